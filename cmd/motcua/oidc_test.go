package main

import (
	"context"
	"path/filepath"

	"flag"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/store"
	"io"
	"strings"
	"testing"
)

// TestOIDCFlags: the sign-in through a provider is off with nothing set,
// on with all three, and half a configuration stops serve with an error.
func TestOIDCFlags(t *testing.T) {
	parse := func(args ...string) *oidcFlags {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		o, err := addOIDCFlags(fs)
		if err != nil {
			t.Fatal(err)
		}
		if err = fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return o
	}
	t.Setenv("MOTCUA_OIDC_CLIENT_SECRET", "")
	if p, err := identityProvider(parse(), ""); p != nil || err != nil {
		t.Fatalf("nothing set: %v %v", p, err)
	}
	if _, err := identityProvider(parse("--oidc-officers"), ""); err == nil || !strings.Contains(err.Error(), "--oidc-officers") {
		t.Fatalf("officers without a provider: %v", err)
	}
	if _, err := identityProvider(parse("--oidc-issuer", "https://vneid.example.vn"), ""); err == nil {
		t.Fatal("half a configuration accepted")
	}
	t.Setenv("MOTCUA_OIDC_CLIENT_SECRET", "s3cret")
	full := []string{"--oidc-issuer", "https://vneid.example.vn", "--oidc-client-id", "motcua"}
	if _, err := identityProvider(parse(full...), ""); err == nil || !strings.Contains(err.Error(), "--public-url") {
		t.Fatalf("no redirect URL: %v", err)
	}
	p, err := identityProvider(parse(append(full, "--oidc-id-claim", "so_dinh_danh", "--oidc-scopes", "openid, profile,email", "--oidc-officers")...), "https://motcua.example.vn/")
	if err != nil {
		t.Fatal(err)
	}
	c := p.Config
	if c.RedirectURL != "https://motcua.example.vn/auth/oidc/callback" || c.IDClaim != "so_dinh_danh" || c.ClientSecret != "s3cret" ||
		strings.Join(c.Scopes, " ") != "profile email" || !c.Officers {
		t.Fatalf("config: %+v", c)
	}
}

// TestOIDCOfficersEnv: $MOTCUA_OIDC_OFFICERS that is not a boolean stops
// serve with an error naming it, rather than leaving officers on passwords.
func TestOIDCOfficersEnv(t *testing.T) {
	for _, v := range []string{"yes", "on", "bật"} {
		t.Setenv("MOTCUA_OIDC_OFFICERS", v)
		if _, err := addOIDCFlags(flag.NewFlagSet("serve", flag.ContinueOnError)); err == nil || !strings.Contains(err.Error(), "MOTCUA_OIDC_OFFICERS") {
			t.Fatalf("%q: %v", v, err)
		}
		m := &Main{Stdout: io.Discard, Stderr: io.Discard}
		if err := m.Run(context.Background(), []string{"serve", "--data", t.TempDir()}); err == nil || !strings.Contains(err.Error(), "MOTCUA_OIDC_OFFICERS") {
			t.Fatalf("serve with %q: %v", v, err)
		}
	}
	for v, want := range map[string]bool{"": false, "true": true, "1": true, "false": false, "0": false} {
		t.Setenv("MOTCUA_OIDC_OFFICERS", v)
		o, err := addOIDCFlags(flag.NewFlagSet("serve", flag.ContinueOnError))
		if err != nil || o.officers != want {
			t.Fatalf("%q: %+v %v", v, o, err)
		}
	}
}

// TestOIDCUserCommands: `motcua user id-number` sets a normalised, valid
// number not held by another active account, and clears it; `motcua user
// unlink` forgets an account's provider identities.
func TestOIDCUserCommands(t *testing.T) {
	path := demoInstallation(t)
	data := filepath.Dir(path)
	if _, _, err := runCLI(t, "user", "id-number", "--data", data, "--user", "canbo", "--id-number", "001 190 012 345"); err == nil ||
		!strings.Contains(err.Error(), "another active account") {
		t.Fatalf("the demo citizen's number: %v", err)
	}
	if _, _, err := runCLI(t, "user", "id-number", "--data", data, "--user", "canbo", "--id-number", "12345"); apperr.Code(err) != apperr.EINVALID {
		t.Fatalf("invalid number: %v", err)
	}
	if _, _, err := runCLI(t, "user", "id-number", "--data", data, "--user", "canbo"); err == nil {
		t.Fatal("neither a number nor --clear accepted")
	}
	if _, _, err := runCLI(t, "user", "id-number", "--data", data, "--user", "nobody", "--id-number", "001085012345"); apperr.Code(err) != apperr.ENOTFOUND {
		t.Fatalf("unknown user: %v", err)
	}
	out, _, err := runCLI(t, "user", "id-number", "--data", data, "--user", "canbo", "--id-number", "001.085-012 345")
	if err != nil || !strings.Contains(out, "001085012345") {
		t.Fatalf("id-number: %v %s", err, out)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if u, _ := db.UserByName(ctx, "canbo"); u.IDNumber != "001085012345" {
		t.Fatalf("stored: %q", u.IDNumber)
	}
	// The officer's provider sign-in now finds the officer's account.
	ids := store.Identities{DB: db}
	id := identity.Identity{Issuer: "https://vneid.example.vn", Subject: "sub-1", IDNumber: "001085012345"}
	if u, err := ids.SignIn(ctx, id); err != nil || u.Username != "canbo" {
		t.Fatalf("sign-in: %+v %v", u, err)
	}
	// Another subject with the number is refused until the link is removed.
	id.Subject = "sub-2"
	if _, err := ids.SignIn(ctx, id); apperr.Code(err) != apperr.ECONFLICT {
		t.Fatalf("second subject: %v", err)
	}
	if out, _, err := runCLI(t, "user", "unlink", "--data", data, "--user", "canbo"); err != nil || !strings.Contains(out, "1 electronic identity link") {
		t.Fatalf("unlink: %v %s", err, out)
	}
	if u, err := ids.SignIn(ctx, id); err != nil || u.Username != "canbo" {
		t.Fatalf("sign-in after unlink: %+v %v", u, err)
	}
	if out, _, err := runCLI(t, "user", "id-number", "--data", data, "--user", "canbo", "--clear"); err != nil || !strings.Contains(out, "removed") {
		t.Fatalf("clear: %v %s", err, out)
	}
	if u, _ := db.UserByName(ctx, "canbo"); u.IDNumber != "" {
		t.Fatalf("cleared: %q", u.IDNumber)
	}
}
