package main

import (
	"flag"
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
		o := addOIDCFlags(fs)
		if err := fs.Parse(args); err != nil {
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
