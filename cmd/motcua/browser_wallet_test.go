package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/identity/idptest"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// TestBrowserWallet: the demo citizen signs in through the identity
// provider (motcua-idp, a process of its own, carrying her personal ID
// number: the number opens her existing account) and files a birth
// registration online; the form comes filled in from their earlier
// dossier, and offers the paper handed in with it for the same component.
// Chosen without consent, the form asks for it; with consent the review
// lists it, and the dossier is sent with it. All at a phone's width: the
// profile page then lists the new dossier and the paper; the dossier's
// page names the paper re-used, and its history (as officers read it) too.
func TestBrowserWallet(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	files := blob.NewDir(filepath.Join(t.TempDir(), "files"))
	srv := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals, Now: f.Clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Files: files}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	cb := hs.URL + identity.CallbackPath
	idp := idptest.Start(t, []idptest.Client{{ID: "motcua", Secret: "motcua-secret", Redirects: []string{cb}}},
		[]idptest.User{{Username: "lan", Password: "mat-khau-lan", Name: "Hoàng Thị Lan", PersonalID: "001190012345"}})
	prov, err := identity.NewProvider(identity.Config{Issuer: idp.Issuer, ClientID: "motcua", ClientSecret: "motcua-secret", RedirectURL: cb})
	if err != nil {
		t.Fatal(err)
	}
	srv.Identity = prov
	ctx := context.Background()
	const proc = "1.001193"
	earlier, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: proc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
		Components: demo.Required(proc), Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: "0912345678",
			Email: "lan.hoang@example.vn", Address: "Số 5 phố Đội Cấn, Ba Đình"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.CitizenPapers(ctx, f.DB, files); err != nil { // the demo's paper for the earlier dossier
		t.Fatal(err)
	}
	papers, err := f.Svc.Wallet(ctx, f.Actors["congdan"])
	if err != nil || len(papers) != 1 {
		t.Fatalf("the demo citizen's papers: %v, %v", papers, err)
	}
	paper := papers[0]
	pdf := filepath.Join(t.TempDir(), "giay-chung-sinh.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% giấy chứng sinh\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, hs.URL)
	b.do("phone", chromedp.EmulateViewport(360, 800))
	b.open("/dang-nhap?next=/thu-tuc/" + proc + "/nop")
	b.click("#signin-oidc")
	b.fill("#username", "lan")
	b.fill("#password", "mat-khau-lan")
	b.click(`button[type=submit]`)
	if loc := b.location(); loc != hs.URL+"/thu-tuc/"+proc+"/nop" {
		t.Fatalf("back from the provider at %s, want the submit form", loc)
	}
	b.expect("header", "Trang cá nhân", "Đăng xuất") // her own account: the form below is filled in from her dossier
	b.noSideScroll("the submit form with the wallet's offers")
	for sel, want := range map[string]string{"#name": "Hoàng Thị Lan", "#id_number": "001190012345", "#email": "lan.hoang@example.vn", "#address": "Số 5 phố Đội Cấn, Ba Đình"} {
		if v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel))); err != nil || v != want {
			t.Fatalf("%s holds %q (%v), want it filled in from %s", sel, v, err, earlier.Code)
		}
	}
	// The earlier paper is offered first for its own component.
	b.expect("#reuse-0", paper.Name, earlier.Code)
	first, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('#reuse-0').options[1].value`))
	if err != nil || first != strconv.FormatInt(paper.ID, 10) {
		t.Fatalf("first offer: %q (%v)", first, err)
	}
	b.do("unit", chromedp.SetValue(chromedp.CSS("#unit"), demo.Ward))
	b.do("re-use", chromedp.SetValue(chromedp.CSS("#reuse-0"), first))
	b.do("attach the birth certificate", chromedp.SetUploadFiles(chromedp.CSS("#file-1"), []string{pdf}))
	b.do("attach the ID", chromedp.SetUploadFiles(chromedp.CSS("#file-4"), []string{pdf}))
	action := `form[action="/thu-tuc/` + proc + `/nop"] button[type=submit]`
	if st := b.click(action); st != 422 {
		t.Fatalf("re-use without consent: %d", st)
	}
	b.expect(".error-summary", "đồng ý")
	b.do("consent", chromedp.Click(chromedp.CSS("#reuse_consent")))
	b.click(action)
	b.expect("h1", "Kiểm tra lại")
	b.expect(".review", "Giấy tờ dùng lại", paper.Name, earlier.Code, "giay-chung-sinh.pdf")
	b.click(`button[value=send]`)
	b.expect(".code-box", "Mã hồ sơ")
	code := strings.TrimSpace(b.text(".code.huge"))

	// The profile, at a phone's width.
	b.click(`nav.menu a[href="/ca-nhan"]`)
	b.expect("h1", "Trang cá nhân")
	b.expect("#profile-dossier-list", code, earlier.Code)
	b.expect("main", "001******345", demo.Required(proc)[0], paper.Name, "giay-chung-sinh.pdf")
	b.noSideScroll("the profile")
	b.shot("wallet-profile", 360)
	b.open("/ho-so/" + code)
	b.expect("#reused-papers", "Giấy tờ dùng lại", paper.Name, earlier.Code)
	// The officers read it in the history too.
	b.signOut()
	b.signIn("canbo")
	b.open("/ho-so/" + code)
	b.expect("main", "Dùng lại giấy tờ đã nộp", paper.Name, earlier.Code)
}
