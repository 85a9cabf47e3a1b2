package web

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

// FuzzReuseForm drives the submit form's wallet fields (reuse-<i>, the
// consent box) as readReuse reads them against the applicant's papers:
// only the applicant's own papers are ever chosen, each for the component
// of its field, which it hands in; errors name only the form's fields; and
// a choice without consent is always refused.
func FuzzReuseForm(f *testing.F) {
	f.Add("11", "", "1")
	f.Add("12", "11", "")
	f.Add("99", "-1", "1")
	f.Add(" 11 ", "1e3", "on")
	f.Add("", "", "")
	comps := []procedure.Component{{Name: "Tờ khai"}, {Name: "Giấy chứng sinh"}}
	papers := []dossier.Paper{{ID: 11, Kind: dossier.PaperAttachment, Component: "Tờ khai"}, {ID: 12, Kind: dossier.PaperResult}}
	c := mustCatalogs(f)[langVI]
	f.Fuzz(func(t *testing.T, first, second, consent string) {
		r := &http.Request{PostForm: url.Values{"reuse-0": {first}, "reuse-1": {second}, "reuse_consent": {consent}}}
		var form applicantForm
		var errs formErrors
		readReuse(r, c, comps, papers, &form, &errs)
		for _, e := range errs.List {
			if !slices.Contains([]string{"file-0", "file-1", "reuse_consent"}, e.Field) || e.Msg == "" {
				t.Fatalf("refusal %+v names no field of the form", e)
			}
		}
		for _, x := range form.Reuse {
			if !slices.ContainsFunc(papers, func(p dossier.Paper) bool { return p.ID == x.Paper.ID }) {
				t.Fatalf("chose a paper not the applicant's: %+v", x)
			}
			if !slices.ContainsFunc(comps, func(p procedure.Component) bool { return p.Name == x.Component }) || !slices.Contains(form.Components, x.Component) {
				t.Fatalf("choice %+v for no component handed in: %v", x, form.Components)
			}
		}
		if len(form.Reuse) > 0 && consent != "1" && errs.Get("reuse_consent") == "" {
			t.Fatalf("re-use without consent accepted: %q", consent)
		}
	})
}
