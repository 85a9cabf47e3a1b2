package importcsv

import (
	"strings"

	"github.com/motcua/motcua/internal/vntext"
)

// Column is one column of the import layout.
type Column int

// The columns of the layout (see docs/operations.md, "Importing old
// books"). Only Kind, Year, Book, Entry and FullName are required; the
// others may be missing from the file or empty in a row.
const (
	ColKind         Column = iota // Loại: khai sinh, kết hôn, khai tử...
	ColBook                       // Quyển số
	ColYear                       // Năm (of the book)
	ColPage                       // Trang
	ColEntry                      // Số (đăng ký)
	ColRegisteredOn               // Ngày đăng ký
	ColFullName                   // Họ tên: the person registered (child, husband, deceased...)
	ColSex                        // Giới tính
	ColBirthDate                  // Ngày sinh
	ColBirthPlace                 // Nơi sinh
	ColHomeTown                   // Quê quán
	ColEthnicity                  // Dân tộc
	ColNationality                // Quốc tịch
	ColIDNumber                   // Số định danh
	ColResidence                  // Nơi cư trú
	ColMother                     // Họ tên mẹ
	ColMotherBirth                // Năm sinh mẹ
	ColFather                     // Họ tên cha
	ColFatherBirth                // Năm sinh cha
	ColSpouse                     // Họ tên vợ (marriage: the wife; Họ tên is the husband)
	ColSpouseBirth                // Ngày sinh vợ
	ColDeathDate                  // Ngày chết (death)
	ColDeathPlace                 // Nơi chết (death)
	ColGuardian                   // Họ tên người giám hộ (guardianship)
	ColCourt                      // Tòa án (court decisions)
	ColDecision                   // Bản án, quyết định số (court decisions)
	ColDeclarant                  // Người đi khai
	ColRelation                   // Quan hệ với người được đăng ký
	ColOfficer                    // Cán bộ đăng ký
	ColNote                       // Ghi chú
	numColumns
)

// Label is each column's header as the layout writes it, for the error
// report.
var Label = [numColumns]string{
	"Loại", "Quyển số", "Năm", "Trang", "Số", "Ngày đăng ký", "Họ tên", "Giới tính", "Ngày sinh", "Nơi sinh",
	"Quê quán", "Dân tộc", "Quốc tịch", "Số định danh", "Nơi cư trú", "Họ tên mẹ", "Năm sinh mẹ", "Họ tên cha",
	"Năm sinh cha", "Họ tên vợ", "Ngày sinh vợ", "Ngày chết", "Nơi chết", "Họ tên người giám hộ", "Tòa án",
	"Bản án, quyết định", "Người đi khai", "Quan hệ",
	"Cán bộ đăng ký", "Ghi chú",
}

// aliases are the other headers each column is known by, folded (no
// accents, lower case): files typed without accents and English exports.
var aliases = map[Column][]string{
	ColKind:         {"loai", "loai dang ky", "loai so", "kind", "type"},
	ColBook:         {"quyen so", "quyen", "so quyen", "book", "book number"},
	ColYear:         {"nam", "nam dang ky", "nam so", "year"},
	ColPage:         {"trang", "trang so", "to so", "page"},
	ColEntry:        {"so", "so dang ky", "so thu tu", "entry", "entry number", "number"},
	ColRegisteredOn: {"ngay dang ky", "ngay, thang, nam dang ky", "registered on", "registration date", "date of registration"},
	ColFullName:     {"ho ten", "ho va ten", "ho ten nguoi duoc dang ky", "ho ten chong", "ho ten nguoi chet", "full name", "name"},
	ColSex:          {"gioi tinh", "sex", "gender"},
	ColBirthDate:    {"ngay sinh", "ngay, thang, nam sinh", "nam sinh", "birth date", "date of birth", "born"},
	ColBirthPlace:   {"noi sinh", "birth place", "place of birth"},
	ColHomeTown:     {"que quan", "home town", "hometown"},
	ColEthnicity:    {"dan toc", "ethnicity"},
	ColNationality:  {"quoc tich", "nationality"},
	ColIDNumber:     {"so dinh danh", "so dinh danh ca nhan", "so cccd", "so cmnd", "id number", "personal id"},
	ColResidence:    {"noi cu tru", "noi thuong tru", "dia chi", "residence", "address"},
	ColMother:       {"ho ten me", "ho va ten me", "me", "mother", "mother name", "mother's name"},
	ColMotherBirth:  {"nam sinh me", "ngay sinh me", "mother birth", "mother's birth"},
	ColFather:       {"ho ten cha", "ho va ten cha", "cha", "father", "father name", "father's name"},
	ColFatherBirth:  {"nam sinh cha", "ngay sinh cha", "father birth", "father's birth"},
	ColSpouse:       {"ho ten vo", "ho va ten vo", "vo", "wife", "spouse"},
	ColSpouseBirth:  {"ngay sinh vo", "nam sinh vo", "wife birth", "wife's birth", "spouse birth"},
	ColDeathDate:    {"ngay chet", "ngay mat", "ngay tu", "death date", "date of death"},
	ColDeathPlace:   {"noi chet", "noi mat", "death place", "place of death"},
	ColGuardian:     {"nguoi giam ho", "ho ten nguoi giam ho", "guardian"},
	ColCourt:        {"toa an", "court"},
	ColDecision:     {"ban an", "quyet dinh", "so ban an, quyet dinh", "ban an, quyet dinh so", "decision"},
	ColDeclarant:    {"nguoi di khai", "nguoi khai", "ho ten nguoi di khai", "declarant"},
	ColRelation:     {"quan he", "quan he voi nguoi duoc khai", "quan he voi nguoi duoc dang ky", "relation"},
	ColOfficer:      {"can bo dang ky", "nguoi dang ky", "cong chuc tu phap", "officer", "registering officer"},
	ColNote:         {"ghi chu", "note", "notes"},
}

// byHeader finds a column by its folded header.
var byHeader = func() map[string]Column {
	m := map[string]Column{}
	for c := range numColumns {
		m[foldHeader(Label[c])] = c
		for _, a := range aliases[c] {
			m[a] = c
		}
	}
	return m
}()

// foldHeader folds a header cell: "Ngày sinh (*)" and "NGAY SINH:" are
// "ngay sinh".
func foldHeader(s string) string {
	s = vntext.Fold(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', ':', '(', ')', '.', '_', '-':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// required are the columns a file must have.
var required = []Column{ColKind, ColYear, ColBook, ColEntry, ColFullName}

// Layout maps a file's columns to the layout: index[c] is the position of
// column c in a row, -1 when the file lacks it.
type Layout struct {
	index [numColumns]int
	Names []string // the file's headers as written, by position
}

// layoutOf reads a header row. It returns the missing required columns
// when the row is not a header of the layout; unknown columns are ignored.
func layoutOf(header []string) (Layout, []Column) {
	var l Layout
	for i := range l.index {
		l.index[i] = -1
	}
	l.Names = header
	for i, h := range header {
		if c, ok := byHeader[foldHeader(h)]; ok && l.index[c] < 0 {
			l.index[c] = i
		}
	}
	var missing []Column
	for _, c := range required {
		if l.index[c] < 0 {
			missing = append(missing, c)
		}
	}
	return l, missing
}

// Has tells whether the file has column c.
func (l Layout) Has(c Column) bool { return l.index[c] >= 0 }

// value returns column c of a row, trimmed and in NFC; "" when the file
// or the row lacks it.
func (l Layout) value(row []string, c Column) string {
	if c < 0 {
		return ""
	}
	i := l.index[c]
	if i < 0 || i >= len(row) {
		return ""
	}
	return vntext.Clean(row[i])
}
