package civil

import "strings"

// attrName is each person attribute in Vietnamese and English, as the
// forms and the extract label them.
var attrName = map[string][2]string{
	"full_name":   {"Họ, chữ đệm, tên", "Full name"},
	"sex":         {"Giới tính", "Sex"},
	"birth_date":  {"Ngày, tháng, năm sinh", "Date of birth"},
	"birth_place": {"Nơi sinh", "Place of birth"},
	"home_town":   {"Quê quán", "Home town"},
	"ethnicity":   {"Dân tộc", "Ethnicity"},
	"nationality": {"Quốc tịch", "Nationality"},
	"id_number":   {"Số định danh cá nhân", "Personal ID number"},
	"residence":   {"Nơi cư trú", "Residence"},
}

// fieldName is each top field and kind field in Vietnamese and English.
var fieldName = map[string][2]string{
	"page":                 {"Trang", "Page"},
	"entry":                {"Số đăng ký", "Entry number"},
	"registered_on":        {"Ngày đăng ký", "Date registered"},
	"officer":              {"Người thực hiện", "Registering officer"},
	"declarant.name":       {"Người đi khai", "Declarant"},
	"declarant.relation":   {"Quan hệ với người được đăng ký", "Relation to the person registered"},
	"fields.death_date":    {"Ngày, giờ chết", "Date of death"},
	"fields.death_place":   {"Nơi chết", "Place of death"},
	"fields.cause":         {"Nguyên nhân chết", "Cause of death"},
	"fields.basis":         {"Căn cứ", "Basis"},
	"fields.court":         {"Tòa án", "Court"},
	"fields.decision":      {"Bản án, quyết định số", "Judgment or decision number"},
	"fields.decision_date": {"Ngày bản án, quyết định", "Date of the decision"},
	"fields.event":         {"Nội dung", "Event"},
}

// attrOrder is the order forms and extracts show a person's attributes in.
var attrOrder = []string{"full_name", "sex", "birth_date", "birth_place", "home_town", "ethnicity", "nationality", "id_number", "residence"}

// PersonAttrs lists a person's attributes in the order forms show them.
func PersonAttrs() []string { return append([]string(nil), attrOrder...) }

// FieldLabel names a field key ("child.full_name", "fields.death_date",
// "entry") in Vietnamese and English: "Con - Họ, chữ đệm, tên".
func FieldLabel(key string) [2]string {
	if n, ok := fieldName[key]; ok {
		return n
	}
	role, attr, _ := strings.Cut(key, ".")
	r, a := RoleName[role], attrName[attr]
	if r[0] == "" || a[0] == "" {
		return [2]string{key, key}
	}
	return [2]string{r[0] + " - " + a[0], r[1] + " - " + a[1]}
}

// AttrLabel names a person attribute in Vietnamese and English.
func AttrLabel(attr string) [2]string { return attrName[attr] }

// SexName is each sex in Vietnamese and English.
var SexName = map[string][2]string{"male": {"Nam", "Male"}, "female": {"Nữ", "Female"}}
