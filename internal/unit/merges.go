package unit

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Merge types: the whole old unit went into the new one, or only part of it
// (the rest went to one or more other new units).
const (
	MergeFull    = "full"
	MergePartial = "partial"
)

// Mapping says that the old unit OldCode (or part of it) became part of the
// new unit NewCode. An old unit split between several new units has one
// mapping per new unit, each of type partial. Old codes are 2 digits for a
// province, 3 for a district that had no communes (the island districts that
// became special zones) and 5 for a commune.
type Mapping struct {
	OldCode string `json:"old_code"`
	OldName string `json:"old_name"`
	NewCode string `json:"new_code"`
	Type    string `json:"type"` // MergeFull or MergePartial
}

// Validate checks the codes and the type of the mapping.
func (m Mapping) Validate() error {
	if n := len(m.OldCode); !isDigits(m.OldCode) || (n != 2 && n != 3 && n != 5) {
		return apperr.Invalid("old_code",
			"Mã đơn vị cũ phải có 2, 3 hoặc 5 chữ số",
			"the old unit code must have 2, 3 or 5 digits")
	}
	if n := len(m.NewCode); !isDigits(m.NewCode) || (n != 2 && n != 5) {
		return apperr.Invalid("new_code",
			"Mã đơn vị mới phải có 2 chữ số (tỉnh) hoặc 5 chữ số (xã, phường, đặc khu)",
			"the new unit code must have 2 digits (province) or 5 (commune, ward, special zone)")
	}
	if m.Type != MergeFull && m.Type != MergePartial {
		return apperr.Invalid("type",
			"Kiểu sáp nhập phải là full (toàn bộ) hoặc partial (một phần)",
			"the merge type must be full or partial")
	}
	return nil
}

// The shape of the mapping file: for each new province its old provinces,
// and for each of its new communes the old units merged into it.
type mergeFile struct {
	Data []struct {
		Level1ID string    `json:"level1_id"`
		Merges   []oldUnit `json:"merges"`
		Level2s  []struct {
			Level2ID string    `json:"level2_id"`
			Merges   []oldUnit `json:"merges"`
		} `json:"level2s"`
	} `json:"data"`
}

type oldUnit struct {
	OldID string `json:"old_id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
}

// ParseMerges reads the old→new mapping of the 2025 reorganisation. Each new
// province's mappings come first, then those of its communes.
func ParseMerges(r io.Reader) ([]Mapping, error) {
	br := bufio.NewReader(r)
	if err := skipBOM(br); err != nil {
		return nil, err
	}
	var f mergeFile
	if err := json.NewDecoder(br).Decode(&f); err != nil {
		return nil, apperr.Invalid("file",
			"Tệp JSON không đúng dạng bảng sáp nhập đơn vị hành chính",
			"the JSON file is not a table of merged units: "+err.Error())
	}
	var out []Mapping
	add := func(newCode string, olds []oldUnit) error {
		for _, o := range olds {
			m := Mapping{OldCode: strings.TrimSpace(o.OldID), OldName: vntext.Clean(o.Name),
				NewCode: strings.TrimSpace(newCode), Type: strings.TrimSpace(o.Type)}
			if err := m.Validate(); err != nil {
				return prefixErr(err, "Đơn vị mới "+m.NewCode+": ", "new unit "+m.NewCode+": ")
			}
			out = append(out, m)
		}
		return nil
	}
	for _, p := range f.Data {
		if err := add(p.Level1ID, p.Merges); err != nil {
			return nil, err
		}
		for _, c := range p.Level2s {
			if err := add(c.Level2ID, c.Merges); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, apperr.Invalid("file", "Tệp không có dòng sáp nhập nào", "the file lists no merges")
	}
	return out, nil
}
