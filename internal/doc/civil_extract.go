package doc

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/civil"
)

// Extract is a civil-status extract (trích lục hộ tịch) as it prints: the
// record with its corrections applied, the book it is written in and the
// issuance's serial number.
type Extract struct {
	Office      Office
	Place       string        // "Nơi đăng ký" as written: "Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội"; the office's name without it
	Record      *civil.Record // current values (Record.Current())
	Book        *civil.Book
	Serial      int  // số, per unit and year; 0 for a working print
	Year        int  // the year of the serial
	Copy        bool // a certified copy (bản sao) rather than the original extract
	Signer      string
	SignerTitle string // "Công chức tư pháp - hộ tịch", "Chủ tịch"...
	Now         time.Time
}

// extractTitle is the extract's name per kind, in capitals as printed.
var extractTitle = map[string]string{
	civil.KindBirth:        "TRÍCH LỤC KHAI SINH",
	civil.KindMarriage:     "TRÍCH LỤC KẾT HÔN",
	civil.KindDeath:        "TRÍCH LỤC KHAI TỬ",
	civil.KindGuardianship: "TRÍCH LỤC ĐĂNG KÝ GIÁM HỘ",
	civil.KindParentage:    "TRÍCH LỤC ĐĂNG KÝ NHẬN CHA, MẸ, CON",
	civil.KindChange:       "TRÍCH LỤC THAY ĐỔI, CẢI CHÍNH HỘ TỊCH",
	civil.KindCourt:        "TRÍCH LỤC GHI VÀO SỔ VIỆC HỘ TỊCH",
}

// extractCode is the short code of the serial number: "Số: 12/TLKS-BS".
var extractCode = map[string]string{
	civil.KindBirth: "TLKS", civil.KindMarriage: "TLKH", civil.KindDeath: "TLKT", civil.KindGuardianship: "TLGH",
	civil.KindParentage: "TLNCMC", civil.KindChange: "TLCC", civil.KindCourt: "TLHT",
}

// ExtractTitle is the extract's title for a kind, "(BẢN SAO)" aside.
func ExtractTitle(kind string) string { return extractTitle[kind] }

// CivilExtract draws the extract of a record in the official layout: the
// issuing unit and the national motto, the title by kind, the serial, the
// people and fields of the kind, where and when it was registered (book
// and entry), the date and the signer.
func CivilExtract(w io.Writer, in Extract) error {
	r := in.Record
	if r == nil || in.Book == nil || extractTitle[r.Kind] == "" {
		return fmt.Errorf("doc: an extract needs a record of a known kind and its book")
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	p := newPage(portrait, in.Now, extractTitle[r.Kind])
	p.letterhead(in.Office, 0, in.Now)
	p.SetY(p.GetY() - 2)
	p.title(extractTitle[r.Kind])
	if in.Copy {
		p.SetY(p.centered(p.left, p.GetY()-3, p.width, "(BẢN SAO)", "B", 11, 5.5) + 1)
	}
	p.SetY(p.centered(p.left, p.GetY(), p.width, extractSerial(in), "", bodySize, lineH) + 3)
	for _, role := range civil.KindRoles(r.Kind) {
		if r.PersonOf(role) != nil {
			p.extractPerson(r, role)
		}
	}
	for _, f := range civil.KindFields(r.Kind) {
		if v := r.Fields[f]; v != "" {
			p.field(civil.FieldLabel("fields." + f)[0], partialDate("fields."+f, v))
		}
	}
	if r.Declarant.Name != "" {
		p.field("Người đi khai", strings.TrimSpace(r.Declarant.Name+extractRelation(r.Declarant.Relation)))
	}
	p.gap(2)
	p.field("Nơi đăng ký", cmp.Or(in.Place, in.Office.Name))
	p.fieldPair("Quyển số", in.Book.Number+"/"+fmt.Sprint(in.Book.Year), "Số đăng ký", r.Entry)
	p.fieldPair("Ngày, tháng, năm đăng ký", partialDate("registered_on", r.RegisteredOn), "Trang", r.Page)
	for _, c := range r.Corrections {
		p.para(fmt.Sprintf("Ghi chú: đã đăng ký thay đổi, cải chính hộ tịch, số đăng ký %s ngày %s.", dash(c.Entry), dash(partialDate("", c.RegisteredOn))))
	}
	p.gap(2)
	p.signatures(sig{}, sig{role: "NGƯỜI KÝ TRÍCH LỤC", hint: "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
		name: strings.TrimSpace(in.Signer + extractTitleLine(in.SignerTitle))})
	return p.output(w)
}

// extractSerial is "Số: 12/TLKS-BS" (BS: bản sao), or blank dots for a
// print without an issuance.
func extractSerial(in Extract) string {
	code := extractCode[in.Record.Kind]
	if in.Copy {
		code += "-BS"
	}
	if in.Serial == 0 {
		return "Số: ........../" + code
	}
	return fmt.Sprintf("Số: %d/%d/%s", in.Serial, in.Year, code)
}

// extractPerson writes a person's block: the role as a heading, then the
// attributes the record has.
func (p *page) extractPerson(r *civil.Record, role string) {
	p.heading(civil.RoleName[role][0] + ":")
	for _, a := range civil.PersonAttrs() {
		v := personValue(r.Field(role+"."+a), a)
		if v == "" && a != "full_name" {
			continue
		}
		if a == "full_name" {
			v = strings.ToUpper(v)
		}
		p.SetX(p.left + 4)
		p.field("   "+civil.AttrLabel(a)[0], v)
	}
	p.gap(1)
}

// personValue writes an attribute's stored value as printed.
func personValue(v, attr string) string {
	switch attr {
	case "sex":
		if n := civil.SexName[v]; n[0] != "" {
			return n[0]
		}
	case "birth_date":
		return partialDate(attr, v)
	}
	return v
}

// partialDate writes a stored date (YYYY, YYYY-MM, YYYY-MM-DD) as the
// forms do: 12/03/1975, 03/1975, 1975. Other fields pass through.
func partialDate(key, v string) string {
	if key != "" && !strings.HasSuffix(key, "_date") && key != "registered_on" {
		return v
	}
	parts := strings.Split(v, "-")
	if len(parts[0]) != 4 {
		return v
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

func extractRelation(rel string) string {
	if rel == "" {
		return ""
	}
	return " (quan hệ: " + rel + ")"
}

func extractTitleLine(title string) string {
	if title == "" {
		return ""
	}
	return "\n" + title
}
