package web

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// goWords are what a message must never show a user: Go's types, its
// decoder's wording, time layouts.
var goWords = regexp.MustCompile(`json:|Go |time\.Time|int64|\bint\b|float64|\[\]string|struct|parsing time|cannot unmarshal|dossier\.|web\.|Z07:00|reflect`)

// FuzzDecode drives the strict decoder with arbitrary bodies into each
// request type of the API: it never panics, a refusal is always an
// "invalid" (422) naming a field in Vietnamese and English without Go's
// words, and what it accepts decodes again to the same value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"procedure_code":"1.004873","channel":1,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`,
		`{"applicant":{"id_number":1}}`, `{"new_due_at":"2026-12-31"}`, `{"rating":"very_satisfied"}`, `{"rating":"3"}`,
		`{"missing":["a",2]}`, `{"amount":1e99}`, `{"unknown":1}`, `[]`, `"x"`, `{}}`, `{"reason":"` + strings.Repeat("x", 20) + `"}`,
		`{"version":-1,"note":null}`, "\xff", `{"comment":"\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	// Every body the API decodes, as the contract test lists them, so that a
	// new one is fuzzed without an edit here.
	var targets []func() any
	for _, v := range RequestTypes {
		typ := reflect.TypeOf(v)
		targets = append(targets, func() any { return reflect.New(typ).Interface() })
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range targets {
			v := target()
			err := decodeBytes(body, v)
			if err != nil {
				e := apperr.As(err)
				if e == nil || e.Code != apperr.EINVALID || e.Field == "" || e.Message == "" || e.MessageEn == "" {
					t.Fatalf("%T %q: refusal %#v", v, body, err)
				}
				// The field's name is the client's own word ("int" is a
				// possible key): only the rest of the message is judged.
				msg, msgEn := e.Message, e.MessageEn
				if e.Field != "body" {
					msg, msgEn = strings.ReplaceAll(msg, e.Field, ""), strings.ReplaceAll(msgEn, e.Field, "")
				}
				if goWords.MatchString(msg) || goWords.MatchString(msgEn) {
					t.Fatalf("%T %q: message shows Go's words: %s / %s", v, body, e.Message, e.MessageEn)
				}
				if e.Field != "body" && !strings.Contains(e.Message, e.Field) {
					t.Fatalf("%T %q: message does not name %s: %s", v, body, e.Field, e.Message)
				}
				continue
			}
			forStrings(reflect.ValueOf(v), func(s string) {
				if _, bad := vntext.Unclean(s, true); bad || utf8.RuneCountInString(s) > maxString {
					t.Fatalf("%T %q: accepted text that is not clean or too long: %q", v, body, s)
				}
			})
			again, _ := json.Marshal(v)
			w := target()
			if err := json.Unmarshal(again, w); err != nil {
				t.Fatalf("%T %q: accepted value does not decode again: %v", v, body, err)
			}
			if a, b := mustJSON(t, v), mustJSON(t, w); a != b {
				t.Fatalf("%T %q: %s decodes as %s", v, body, a, b)
			}
		}
	})
}

// forStrings calls fn with every string held in v.
func forStrings(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			forStrings(v.Elem(), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				forStrings(v.Field(i), fn)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			forStrings(v.Index(i), fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			forStrings(it.Key(), fn)
			forStrings(it.Value(), fn)
		}
	case reflect.String:
		fn(v.String())
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeMessages(t *testing.T) {
	for _, c := range []struct {
		body, field, vi string
		into            any
	}{
		{`{"new_due_at":"31/12/2026"}`, "new_due_at", "Trường new_due_at phải là thời điểm dạng 2026-12-31T17:00:00+07:00", new(dossier.ActionRequest)},
		{`{"new_due_at":20261231}`, "new_due_at", "Trường new_due_at phải là thời điểm dạng", new(dossier.ActionRequest)},
		{`{"applicant":{"id_number":1234}}`, "applicant.id_number", "Trường applicant.id_number phải là chuỗi ký tự", new(dossier.SubmitRequest)},
		{`{"applicant":{"nickname":"x"}}`, "applicant.nickname", "Không có trường applicant.nickname", new(dossier.SubmitRequest)},
		{`{"rating":"rất tốt"}`, "rating", "Trường rating phải là 3 hoặc \"very_satisfied\"", new(ratingRequest)},
		{`{"rating":2.5}`, "rating", "Trường rating phải là 3", new(ratingRequest)},
		{`{"channel":"1"}`, "channel", "Trường channel phải là số nguyên", new(dossier.SubmitRequest)},
		{`{"version":"3"}`, "version", "Trường version phải là số nguyên", new(dossier.ActionRequest)},
		{`{"amount":"50000"}`, "amount", "Trường amount phải là số nguyên", new(dossier.ActionRequest)},
		{`{"rating":"3"}`, "rating", "Trường rating phải là 3", new(ratingRequest)},
		{`{"note":"a\u0000b"}`, "note", "Trường note chứa ký tự điều khiển U+0000", new(dossier.ActionRequest)},
		{`{"department":"a\tb"}`, "department", "Trường department chứa ký tự điều khiển U+0009", new(dossier.ActionRequest)},
		{"{\"note\":\"a\xffb\"}", "note", "Trường note chứa byte không phải UTF-8", new(dossier.ActionRequest)},
		{`{"amount":1e40}`, "amount", "Trường amount phải là số nguyên trong khoảng cho phép", new(dossier.ActionRequest)},
		{`{"missing":["a",2]}`, "missing[1]", "Trường missing[1] phải là chuỗi ký tự", new(dossier.ActionRequest)},
		{`{"missing":"a"}`, "missing", "Trường missing phải là một danh sách", new(dossier.ActionRequest)},
		{`{"reason":"` + strings.Repeat("ă", maxString+1) + `"}`, "reason", "Trường reason quá dài", new(dossier.ActionRequest)},
		{`{"note":"x",}`, "body", "không phải JSON hợp lệ (lỗi ở dòng 1, cột 13)", new(dossier.ActionRequest)},
		{`{"note":"x"`, "body", "không phải JSON hợp lệ", new(dossier.ActionRequest)},
		{`{"note":"x"} {}`, "body", "phần thừa sau JSON", new(dossier.ActionRequest)},
		{`{"note":"x"}}`, "body", "phần thừa sau JSON", new(dossier.ActionRequest)},
		{`[1]`, "body", "Dữ liệu gửi lên phải là một đối tượng JSON", new(dossier.ActionRequest)},
		{`  `, "body", "Thiếu dữ liệu JSON", new(dossier.ActionRequest)},
	} {
		err := decodeBytes([]byte(c.body), c.into)
		e := apperr.As(err)
		if e == nil || e.Code != apperr.EINVALID || e.Field != c.field || !strings.Contains(e.Message, c.vi) || goWords.MatchString(e.Message+e.MessageEn) {
			t.Errorf("%.60s: got %#v, want field %s and %q", c.body, err, c.field, c.vi)
		}
	}
	var req dossier.ActionRequest
	if err := decodeBytes([]byte(`{"new_due_at":"2026-12-31T17:00:00+07:00","missing":["Bản sao"],"amount":50000}`), &req); err != nil ||
		req.NewDueAt.IsZero() || req.Amount != 50000 || len(req.Missing) != 1 {
		t.Fatalf("a good body: %+v %v", req, err)
	}
}
