package web

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestWalletPrefillKeepsTheAccountsIdentity: the online form keeps the
// account's name, ID number and phone over what the last dossier typed,
// and fills only the fields still empty from it; a last dossier of another
// ID number is not claimed as the source of the details.
func TestWalletPrefillKeepsTheAccountsIdentity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		citizen := e.f.Actors["congdan"]
		last, err := e.f.Svc.Submit(context.Background(), citizen, dossier.SubmitRequest{ProcedureCode: "1.001193", UnitCode: demo.Ward,
			Channel: dossier.ChannelOnline, Components: demo.Required("1.001193"),
			Applicant: dossier.Applicant{Name: "Hoàng Văn Nam", IDNumber: "001090099999", Phone: "0987654321", Email: "lan@example.vn", Address: "Số 9 phố Kim Mã"}})
		if err != nil {
			t.Fatal(err)
		}
		status, body := e.get("congdan", "/thu-tuc/1.001193/nop")
		body = html.UnescapeString(body)
		if status != http.StatusOK {
			t.Fatalf("form: %d", status)
		}
		for _, want := range []string{`value="Hoàng Thị Lan"`, `value="001190012345"`, `value="0912345678"`, `value="lan@example.vn"`, `value="Số 9 phố Kim Mã"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		for _, not := range []string{"Hoàng Văn Nam", "001090099999", "0987654321", `name="reused_from" value="` + last.Code + `"`} {
			if strings.Contains(body, not) {
				t.Errorf("the form shows %s, from the last dossier over the account", not)
			}
		}
	})
}

// TestWalletReuseErrorNamesTheComponent: a refusal of a re-use by the
// service is shown beside the component the paper was chosen for, so that
// the error summary links to it.
func TestWalletReuseErrorNamesTheComponent(t *testing.T) {
	comps := []procedure.Component{{Name: "Tờ khai"}, {Name: "Giấy chứng sinh"}, {Name: "Căn cước"}}
	f := applicantForm{Reuse: []reuseChoice{{Component: "Giấy chứng sinh"}, {Component: "Căn cước"}}}
	for field, want := range map[string]string{"reuse[0]": "file-1", "reuse[1]": "file-2", "reuse": "file-1", "reuse[7]": "file-1", "phone": ""} {
		if got := f.reuseErrorField(field, comps); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if got := (applicantForm{}).reuseErrorField("reuse", comps); got != "components" {
		t.Errorf("no choice: %q", got)
	}
}

// TestIndexPageEnteredHasNoDrillDown: 4.3 computed from the dossiers links
// to the dossiers that cost points; once a month is entered the score says
// "nhập tay" and has no drill-down.
func TestIndexPageEnteredHasNoDrillDown(t *testing.T) {
	e := newPagesEnv(t)
	ctx := context.Background()
	d, err := e.f.Svc.Submit(ctx, e.f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: "1.001193", UnitCode: demo.Ward,
		Channel: dossier.ChannelOnline, Components: demo.Required("1.001193"), Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Svc.Act(ctx, e.f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
		t.Fatal(err)
	}
	const page = "/chi-so?unit=00004&from=2026-03-01&to=2026-03-31"
	row := func() string {
		t.Helper()
		status, body := e.get("lanhdao", page)
		if status != http.StatusOK {
			t.Fatalf("index: %d", status)
		}
		i := strings.Index(body, `id="ind-4.3"`)
		if i < 0 {
			t.Fatal("no row 4.3")
		}
		return body[i : i+strings.Index(body[i:], "</tr>")]
	}
	if r := row(); !strings.Contains(r, "indicator=4.3") || strings.Contains(r, "nhập tay") {
		t.Fatalf("computed 4.3: %s", r)
	}
	if err := e.f.DB.SaveIndexEntry(ctx, store.IndexEntry{UnitCode: demo.Ward, Period: "2026-03", Indicator: "4.3", Numerator: 1, Denominator: 4,
		EnteredBy: "quantri", EnteredAt: e.f.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if r := row(); strings.Contains(r, "indicator=4.3") || !strings.Contains(r, "nhập tay") {
		t.Fatalf("entered 4.3: %s", r)
	}
}
