package procedure

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

func TestParseList(t *testing.T) {
	b, err := os.ReadFile("../demo/procedures.json")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ParseList(bytes.NewReader(b))
	if err != nil || len(ps) == 0 {
		t.Fatalf("the demo catalogue: %d procedures, %v", len(ps), err)
	}
	for _, c := range []struct{ in, field, vi string }{
		{`{"code":"1.001193"}`, "file", "không đúng dạng danh sách thủ tục"},
		{`[{"code":"1.001193","nickname":"x"}]`, "file", "không đúng dạng"},
		{`[] []`, "file", "phần thừa"},
		{`[{"code":"1.001193","name":"A","field":"B","time_limit":{"kind":"same_day"}},` +
			`{"code":"1.001193","name":"A","field":"B","time_limit":{"kind":"same_day"}}]`, "code", "có hai lần"},
		{`[{"code":"1.001193","name":"A","field":"B","time_limit":{"kind":"same_day"},"fees":[{"amount":-1}]}]`, "fees", "Thủ tục 1.001193: Lệ phí không được âm"},
	} {
		_, err := ParseList(strings.NewReader(c.in))
		if e := apperr.As(err); e == nil || e.Field != c.field || !strings.Contains(e.Message, c.vi) {
			t.Errorf("ParseList(%s) = %v, want field %s and %q", c.in, err, c.field, c.vi)
		}
	}
}

// FuzzParseList: a catalogue file is taken whole or refused with an
// "invalid" naming a field; what is taken validates again unchanged and
// reads back the same after "procedures export" writes it.
func FuzzParseList(f *testing.F) {
	if b, err := os.ReadFile("../demo/procedures.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		`[{"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch","time_limit":{"kind":"same_day","cutoff_hour":15}}]`,
		`[{"code":" 2.000815 ","name":" Chứng thực bản sao ","field":"Chứng thực","level":"","time_limit":{"kind":"working_days","days":0.5},` +
			`"components":[{"name":"Bản chính","form":"","quantity":0}],"steps":[{"role":"counter","share":10},{"role":"leader","share":90}]}]`,
		`[{"code":"x","time_limit":{"kind":"weeks"}}]`, `[]`, `null`, `[{}]`, `[1]`, `[{"fees":[{"amount":1e30}]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ps, err := ParseList(bytes.NewReader(in))
		if err != nil {
			if e := apperr.As(err); ps != nil || e == nil || e.Code != apperr.EINVALID || e.Field == "" || e.Message == "" {
				t.Fatalf("ParseList(%q) = %v, %#v", in, ps, err)
			}
			return
		}
		for i := range ps {
			again := *ps[i].Clone()
			if err := again.Validate(); err != nil || !reflect.DeepEqual(again, ps[i]) {
				t.Fatalf("procedure %d does not validate again unchanged: %v\n%+v\n%+v", i, err, ps[i], again)
			}
		}
		out, err := json.MarshalIndent(ps, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseList(bytes.NewReader(out))
		if err != nil || len(back) != len(ps) {
			t.Fatalf("the exported list does not read back: %v\n%s", err, out)
		}
		for i := range ps {
			if !reflect.DeepEqual(normal(back[i]), normal(ps[i])) {
				t.Fatalf("procedure %d reads back as\n%+v, want\n%+v", i, back[i], ps[i])
			}
		}
	})
}

// normal makes empty and missing lists compare equal: the export writes
// both as JSON the same way only when they are empty.
func normal(p Procedure) Procedure {
	if len(p.Fees) == 0 {
		p.Fees = nil
	}
	if len(p.Components) == 0 {
		p.Components = nil
	}
	return p
}
