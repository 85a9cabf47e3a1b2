package unit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/csvfile"
	"github.com/motcua/motcua/internal/vntext"
)

// Parse reads a list of units in either format the product imports: the
// JSON list of provinces with their wards, or the General Statistics
// Office's CSV. It tells them apart by the first byte that is not white
// space (or a byte order mark): '[' or '{' is JSON, anything else CSV.
func Parse(r io.Reader) ([]Unit, error) {
	br := bufio.NewReader(r)
	if err := skipBOM(br); err != nil {
		return nil, err
	}
	head, _ := br.Peek(4096) // an error here shows up again in the parser
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return nil, emptyErr()
	case head[0] == '[' || head[0] == '{':
		return ParseJSON(br)
	}
	return ParseCSV(br)
}

// skipBOM drops the UTF-8 byte order mark that spreadsheet programs write.
func skipBOM(br *bufio.Reader) error { return csvfile.SkipBOM(br) }

// jsonProvince and jsonWard are the fields of the JSON list that the product
// keeps; the list has more (English full names, code names, unit type ids).
type jsonProvince struct {
	Type     string
	Code     string
	Name     string
	NameEn   string
	FullName string
	Wards    []jsonWard
}

type jsonWard struct {
	Type                        string
	Code                        string
	Name                        string
	NameEn                      string
	FullName                    string
	ProvinceCode                string
	AdministrativeUnitShortName string // "Phường", "Xã", "Đặc khu"
}

// ParseJSON reads the JSON list of units in force since 2025-07-01: an array
// of provinces, each with its "Wards". The list calls every commune-level
// unit a ward, so the kind comes from the Vietnamese level name (Phường, Xã,
// Đặc khu) and Type is only the fallback. All units get ValidFrom ReformDate.
func ParseJSON(r io.Reader) ([]Unit, error) {
	br := bufio.NewReader(r)
	if err := skipBOM(br); err != nil {
		return nil, err
	}
	var list []jsonProvince
	if err := json.NewDecoder(br).Decode(&list); err != nil {
		return nil, apperr.Invalid("file",
			"Tệp JSON không đúng dạng danh sách tỉnh kèm các xã, phường (Wards)",
			"the JSON file is not a list of provinces with their wards: "+err.Error())
	}
	var units []Unit
	for _, p := range list {
		prov, err := p.unit()
		if err != nil {
			return nil, err
		}
		units = append(units, prov)
		for _, w := range p.Wards {
			u, err := w.unit(prov.Code)
			if err != nil {
				return nil, err
			}
			units = append(units, u)
		}
	}
	if err := checkList(units); err != nil {
		return nil, err // nothing of a refused file is kept
	}
	return units, nil
}

func (p jsonProvince) unit() (Unit, error) {
	u := Unit{
		Code: strings.TrimSpace(p.Code), Name: vntext.Clean(p.Name), FullName: vntext.Clean(p.FullName),
		NameEn: vntext.Clean(p.NameEn), Kind: KindProvince, ValidFrom: ReformDate,
	}
	if t := strings.TrimSpace(p.Type); t != "" && t != KindProvince {
		return u, unitErr(u.Code, apperr.Invalid("kind",
			"Đơn vị cấp ngoài cùng phải là tỉnh, thành phố, không phải "+t,
			"a top-level unit must be a province, not "+t))
	}
	return u, nil
}

func (w jsonWard) unit(provinceCode string) (Unit, error) {
	u := Unit{
		Code: strings.TrimSpace(w.Code), Name: vntext.Clean(w.Name), FullName: vntext.Clean(w.FullName),
		NameEn: vntext.Clean(w.NameEn), ParentCode: provinceCode, ValidFrom: ReformDate,
	}
	if pc := strings.TrimSpace(w.ProvinceCode); pc != "" && pc != provinceCode {
		return u, unitErr(u.Code, apperr.Invalid("parent_code",
			"Mã tỉnh của xã, phường ("+pc+") khác với tỉnh chứa nó ("+provinceCode+")",
			"the ward's province code ("+pc+") differs from the province it is listed under ("+provinceCode+")"))
	}
	if l, ok := levelOf(w.AdministrativeUnitShortName); ok {
		u.Kind = l.kind
	} else if _, known := codeLen[w.Type]; known && w.Type != KindProvince {
		u.Kind = w.Type
	} else {
		return u, unitErr(u.Code, unknownLevelErr(w.AdministrativeUnitShortName))
	}
	return u, nil
}

// level is a Vietnamese level name and the kind it maps to.
type level struct{ word, kind string }

// levels are the level names of commune-level units. Thị trấn (township)
// existed until 2025-07-01 and was a commune-level unit.
var levels = []level{
	{"Phường", KindWard},
	{"Xã", KindCommune},
	{"Thị trấn", KindCommune},
	{"Đặc khu", KindSpecialZone},
}

// provinceWords are the words that open a province's full name.
var provinceWords = []string{"Thành phố", "Tỉnh"}

// levelOf maps a level name such as "Phường" or "Đặc khu tại hải đảo" to its
// level, ignoring case and accents.
func levelOf(s string) (level, bool) {
	f := vntext.Fold(s)
	for _, l := range levels {
		w := vntext.Fold(l.word)
		if f == w || strings.HasPrefix(f, w+" ") {
			return l, true
		}
	}
	return level{}, false
}

func unknownLevelErr(s string) error {
	return apperr.Invalid("kind",
		fmt.Sprintf("Cấp hành chính không rõ: %q (cần Phường, Xã hoặc Đặc khu)", s),
		fmt.Sprintf("unknown level %q (expected Phường, Xã or Đặc khu)", s))
}

// checkList validates every unit and checks that codes are unique and that
// every parent comes before its children, so that callers can insert the
// units in order.
func checkList(units []Unit) error {
	if len(units) == 0 {
		return emptyErr()
	}
	seen := make(map[string]bool, len(units))
	for _, u := range units {
		if err := u.Validate(); err != nil {
			return unitErr(u.Code, err)
		}
		if seen[u.Code] {
			return unitErr(u.Code, apperr.Invalid("code", "Mã đơn vị bị trùng", "duplicate unit code"))
		}
		if u.ParentCode != "" && !seen[u.ParentCode] {
			return unitErr(u.Code, apperr.Invalid("parent_code",
				"Không tìm thấy đơn vị cấp trên "+u.ParentCode+" trước đơn vị này trong tệp",
				"parent unit "+u.ParentCode+" is not listed before this unit"))
		}
		seen[u.Code] = true
	}
	return nil
}

func emptyErr() error {
	return apperr.Invalid("file", "Tệp không có đơn vị hành chính nào", "the file lists no administrative units")
}

// unitErr prefixes the messages of err with the unit code it is about.
func unitErr(code string, err error) error {
	if code == "" {
		return prefixErr(err, "Đơn vị không có mã: ", "unit without a code: ")
	}
	return prefixErr(err, "Đơn vị "+code+": ", "unit "+code+": ")
}

// lineErr prefixes the messages of err with the line of the file.
func lineErr(line int, err error) error {
	return prefixErr(err, fmt.Sprintf("Dòng %d: ", line), fmt.Sprintf("line %d: ", line))
}

func prefixErr(err error, vi, en string) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	return &apperr.Error{Code: e.Code, Message: vi + e.Message, MessageEn: en + e.MessageEn, Field: e.Field}
}
