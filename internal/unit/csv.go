package unit

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/csvfile"
	"github.com/motcua/motcua/internal/vntext"
)

// Columns of the General Statistics Office's list, by their folded header so
// that "Mã tỉnh", "MÃ TỈNH" and "Ma tinh" all match.
const (
	colProvinceCode = "ma tinh"
	colProvinceName = "ten tinh"
	colCode         = "ma xa"
	colName         = "ten xa"
	colLevel        = "cap"
	colNameEn       = "ten tieng anh" // optional: the commune's English name
)

// requiredColumns are the columns a list must have, with the header to show
// in an error.
var requiredColumns = []struct{ key, label string }{
	{colProvinceCode, "Mã tỉnh"},
	{colProvinceName, "Tên tỉnh"},
	{colCode, "Mã xã"},
	{colName, "Tên xã"},
	{colLevel, "Cấp"},
}

// ParseCSV reads the General Statistics Office's list of communes: a header
// with the columns "Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã" and "Cấp" in any
// order (other columns are ignored; an optional "Tên tiếng Anh" gives the
// English name), separated by commas or semicolons, with or without a UTF-8
// byte order mark, after at most ten rows of title. Each province is
// returned once, before its communes; the kind comes from "Cấp" (Phường, Xã,
// Đặc khu).
//
// Spreadsheets drop the leading zeros of codes, so codes shorter than their
// kind's length are padded with zeros. Names may be given with or without
// their level word ("Phường Ba Đình" or "Ba Đình"); English names default to
// the name without accents. Units are in force from ReformDate. The whole
// list is kept in memory: limit the reader for uploads.
func ParseCSV(r io.Reader) ([]Unit, error) {
	cr, err := newCSVReader(r)
	if err != nil {
		return nil, err
	}
	cols, err := findHeader(cr)
	if err != nil {
		return nil, err
	}
	b := csvBuilder{provinces: map[string]*csvProvince{}, lines: map[string]int{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(err)
		}
		line, _ := cr.FieldPos(0)
		if err := b.add(cols.row(rec), line); err != nil {
			return nil, lineErr(line, err)
		}
	}
	units := b.units()
	return units, checkList(units)
}

// newCSVReader opens the list: Excel in a Vietnamese locale writes
// semicolons, other tools commas.
func newCSVReader(r io.Reader) (*csv.Reader, error) {
	cr, err := csvfile.NewReader(r)
	if errors.Is(err, csvfile.ErrEmpty) {
		return nil, emptyErr()
	}
	return cr, err
}

// maxTitleRows is how many rows may come before the header: exports from
// the statistics office open with a title and the date of the list.
const maxTitleRows = 10

// findHeader reads rows until one names the required columns, and reports
// what is wrong with the first row if none does.
func findHeader(cr *csv.Reader) (columns, error) {
	var first error
	for range maxTitleRows + 1 {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) && first != nil {
			return nil, first
		}
		if err != nil {
			return nil, csvErr(err)
		}
		cols, err := columnIndex(rec)
		if err == nil {
			return cols, nil
		}
		if first == nil {
			line, _ := cr.FieldPos(0)
			first = lineErr(line, err)
		}
	}
	return nil, first
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return lineErr(pe.Line, apperr.Invalid("file",
			"Sai định dạng CSV (kiểm tra dấu ngoặc kép)",
			"malformed CSV: "+pe.Err.Error()))
	}
	if errors.Is(err, io.EOF) {
		return emptyErr()
	}
	return err
}

// columns maps a folded header to its index in a record.
type columns map[string]int

func columnIndex(header []string) (columns, error) {
	cols := columns{}
	for i, h := range header {
		key := vntext.Fold(h)
		if _, dup := cols[key]; dup && key != "" {
			return nil, apperr.Invalid("file",
				fmt.Sprintf("Cột %q xuất hiện hai lần", vntext.Clean(h)),
				fmt.Sprintf("column %q appears twice", vntext.Clean(h)))
		}
		cols[key] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := cols[c.key]; !ok {
			missing = append(missing, c.label)
		}
	}
	if len(missing) > 0 {
		list := strings.Join(missing, ", ")
		return nil, apperr.Invalid("file",
			"Thiếu cột: "+list+" (cần Mã tỉnh, Tên tỉnh, Mã xã, Tên xã, Cấp)",
			"missing columns: "+list+" (needed: Mã tỉnh, Tên tỉnh, Mã xã, Tên xã, Cấp)")
	}
	return cols, nil
}

// csvRow is one record by column.
type csvRow struct{ provinceCode, provinceName, code, name, level, nameEn string }

func (c columns) row(rec []string) csvRow {
	get := func(key string) string {
		if i, ok := c[key]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	return csvRow{get(colProvinceCode), get(colProvinceName), get(colCode), get(colName), get(colLevel), get(colNameEn)}
}

func (r csvRow) blank() bool { return r == csvRow{} }

// csvProvince is a province and its communes in the order read.
type csvProvince struct {
	unit     Unit
	line     int
	communes []Unit
}

// csvBuilder collects the units of a list, each province once.
type csvBuilder struct {
	order     []string                // province codes in the order first seen
	provinces map[string]*csvProvince // by code
	lines     map[string]int          // line of each commune code
}

func (b *csvBuilder) add(r csvRow, line int) error {
	if r.blank() {
		return nil // spreadsheets leave empty rows at the end
	}
	p, err := b.province(r, line)
	if err != nil {
		return err
	}
	u, err := communeOf(r, p.unit.Code)
	if err != nil {
		return err
	}
	if first, dup := b.lines[u.Code]; dup {
		return apperr.Invalid("code",
			fmt.Sprintf("Mã xã %s trùng với dòng %d", u.Code, first),
			fmt.Sprintf("commune code %s already on line %d", u.Code, first))
	}
	b.lines[u.Code] = line
	p.communes = append(p.communes, u)
	return nil
}

// province returns the province of r, adding it when first seen and
// checking that later rows give it the same name.
func (b *csvBuilder) province(r csvRow, line int) (*csvProvince, error) {
	name, full := splitName(r.provinceName, provinceWords, "")
	u := Unit{
		Code: padCode(r.provinceCode, 2), Name: name, FullName: full,
		NameEn: vntext.Unaccent(name), Kind: KindProvince, ValidFrom: ReformDate,
	}
	if p, ok := b.provinces[u.Code]; ok {
		if vntext.Fold(p.unit.Name) != vntext.Fold(u.Name) {
			return nil, apperr.Invalid("name",
				fmt.Sprintf("Tỉnh mã %s có tên khác với dòng %d (%s)", u.Code, p.line, p.unit.Name),
				fmt.Sprintf("province %s has a different name on line %d (%s)", u.Code, p.line, p.unit.Name))
		}
		return p, nil
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	p := &csvProvince{unit: u, line: line}
	b.provinces[u.Code] = p
	b.order = append(b.order, u.Code)
	return p, nil
}

// communeOf builds the commune, ward or special zone of r.
func communeOf(r csvRow, provinceCode string) (Unit, error) {
	l, ok := levelOf(r.level)
	if !ok {
		return Unit{}, unknownLevelErr(r.level)
	}
	name, full := splitName(r.name, levelWords, l.word)
	u := Unit{
		Code: padCode(r.code, 5), Name: name, FullName: full, NameEn: vntext.Clean(r.nameEn),
		Kind: l.kind, ParentCode: provinceCode, ValidFrom: ReformDate,
	}
	if u.NameEn == "" {
		u.NameEn = vntext.Unaccent(name)
	}
	return u, u.Validate()
}

// levelWords are the words of levels, any of which may open a name.
var levelWords = func() []string {
	words := make([]string, len(levels))
	for i, l := range levels {
		words[i] = l.word
	}
	return words
}()

// splitName separates a leading level word from a unit's name: "Phường Ba
// Đình" gives "Ba Đình" and the full name as written. A name without one of
// words gets word in front of it for the full name (or none if word is "").
func splitName(s string, words []string, word string) (name, full string) {
	s = vntext.Clean(s)
	fields := strings.Fields(s)
	for _, w := range words {
		wf := strings.Fields(w)
		if len(fields) > len(wf) && sameFolded(fields[:len(wf)], wf) {
			return strings.Join(fields[len(wf):], " "), s
		}
	}
	if word == "" || s == "" {
		return s, s
	}
	return s, word + " " + s
}

func sameFolded(a, b []string) bool {
	for i := range a {
		if vntext.Fold(a[i]) != vntext.Fold(b[i]) {
			return false
		}
	}
	return true
}

// padCode restores the leading zeros a spreadsheet dropped from a numeric
// code.
func padCode(s string, n int) string {
	if isDigits(s) && len(s) < n {
		return strings.Repeat("0", n-len(s)) + s
	}
	return s
}

// units lists each province followed by its communes.
func (b *csvBuilder) units() []Unit {
	var out []Unit
	for _, code := range b.order {
		p := b.provinces[code]
		out = append(out, p.unit)
		out = append(out, p.communes...)
	}
	return out
}
