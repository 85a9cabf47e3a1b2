package doc

import (
	"bytes"
	"testing"

	"github.com/motcua/motcua/internal/civil"
)

func testBirthRecord() *civil.Record {
	return &civil.Record{ID: 7, Kind: civil.KindBirth, Page: "12", Entry: "34", RegisteredOn: "1998-03-15",
		Declarant: civil.Declarant{Name: "Trần Thị Huệ", Relation: "mẹ"},
		People: []civil.Person{
			{Role: civil.RoleChild, FullName: "Nguyễn Thị Hòa Bình", Sex: "female", BirthDate: "1998-03-02", BirthPlace: "Trạm y tế phường Ba Đình", Ethnicity: "Kinh", Nationality: "Việt Nam"},
			{Role: civil.RoleMother, FullName: "Trần Thị Huệ", BirthDate: "1970"},
			{Role: civil.RoleFather, FullName: "Nguyễn Văn Đức", BirthDate: "1968-05"},
		}}
}

// The extract of a birth prints the motto, its title by kind, the serial,
// the people with partial dates as written, where it was registered and
// the signer; a certified copy says so.
func TestCivilExtract(t *testing.T) {
	book := &civil.Book{ID: 1, Kind: civil.KindBirth, Year: 1998, Number: "01"}
	in := Extract{Office: Office{Name: "UBND phường Ba Đình", ParentName: "Thành phố Hà Nội"}, Record: testBirthRecord(), Book: book,
		Serial: 5, Year: 2026, Copy: true, Signer: "Lê Văn Tư", SignerTitle: "Công chức tư pháp - hộ tịch", Now: at(2026, 12, 7, 9, 0)}
	var buf bytes.Buffer
	if err := CivilExtract(&buf, in); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes())
	checkText(t, buf.Bytes(), []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND PHƯỜNG BA ĐÌNH",
		"TRÍCH LỤC KHAI SINH", "(BẢN SAO)", "Số: 5/2026/TLKS-BS", "NGUYỄN THỊ HÒA BÌNH", "02/03/1998", "Nữ", "05/1968", "1970",
		"Nơi đăng ký: UBND phường Ba Đình", "Quyển số: 01/1998", "Số đăng ký: 34", "15/03/1998", "NGƯỜI KÝ TRÍCH LỤC", "Lê Văn Tư"})
	checkImage(t, buf.Bytes())

	death := &civil.Record{Kind: civil.KindDeath, Entry: "2", RegisteredOn: "2001", Fields: map[string]string{"death_date": "2001-01-09"},
		People: []civil.Person{{Role: civil.RoleDeceased, FullName: "Phạm Văn Ất"}}}
	buf.Reset()
	if err := CivilExtract(&buf, Extract{Record: death, Book: &civil.Book{Kind: civil.KindDeath, Year: 2001, Number: "02"}, Now: in.Now}); err != nil {
		t.Fatal(err)
	}
	txt := checkText(t, buf.Bytes(), []string{"TRÍCH LỤC KHAI TỬ", "Số: ........../TLKT", "PHẠM VĂN ẤT", "09/01/2001"})
	if bytes.Contains([]byte(txt), []byte("BẢN SAO")) {
		t.Error("an extract that is not a copy says BẢN SAO")
	}
	if err := CivilExtract(&buf, Extract{Record: &civil.Record{Kind: "nope"}, Book: book}); err == nil {
		t.Error("an unknown kind printed")
	}
}
