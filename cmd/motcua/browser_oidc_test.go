package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/identity/idptest"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// TestBrowserOIDC: a citizen without an account presses the VNeID button
// on the sign-in page, signs in at the provider's own form (motcua-idp, a
// process of its own), and comes back to motcua signed in, with the
// account made from the provider's name and personal ID number.
func TestBrowserOIDC(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	srv := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals, Now: f.Clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Files: blob.NewDir(filepath.Join(t.TempDir(), "files"))}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	b := newBrowser(t, hs.URL)
	cb := hs.URL + identity.CallbackPath
	idp := idptest.Start(t, []idptest.Client{{ID: "motcua", Secret: "motcua-secret", Redirects: []string{cb}}},
		[]idptest.User{{Username: "an", Password: "mat-khau-an", Name: "Nguyễn Văn An", PersonalID: "001090012345"}})
	prov, err := identity.NewProvider(identity.Config{Issuer: idp.Issuer, ClientID: "motcua", ClientSecret: "motcua-secret", RedirectURL: cb})
	if err != nil {
		t.Fatal(err)
	}
	srv.Identity = prov

	b.open("/dang-nhap?next=/thu-tuc")
	b.expect("#signin-oidc", "Đăng nhập bằng tài khoản định danh điện tử (VNeID)")
	b.shot("signin-oidc", 360)
	b.click("#signin-oidc")
	if loc := b.location(); !strings.HasPrefix(loc, idp.Issuer+"login/") {
		t.Fatalf("the button led to %s, not the provider's login form", loc)
	}
	b.fill("#username", "an")
	b.fill("#password", "mat-khau-an")
	b.click(`button[type=submit]`)
	if loc := b.location(); loc != hs.URL+"/thu-tuc" {
		t.Fatalf("back at %s, want /thu-tuc", loc)
	}
	b.expect("header", "Đăng xuất", "Nguyễn Văn An")
	b.open("/ho-so")
	b.expect("header", "Nguyễn Văn An")
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Fatalf("page errors: %v", errs)
	}
}
