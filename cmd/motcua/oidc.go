package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/identity"
)

// oidcFlags configure the sign-in through an OpenID Connect provider.
type oidcFlags struct {
	issuer, clientID, redirect, idClaim, scopes string
	officers                                    bool
}

// addOIDCFlags adds the flags; a $MOTCUA_OIDC_OFFICERS that is not a
// boolean is an error, never a silent "off".
func addOIDCFlags(fs *flag.FlagSet) (*oidcFlags, error) {
	var o oidcFlags
	var officers bool
	if v := strings.TrimSpace(os.Getenv("MOTCUA_OIDC_OFFICERS")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("$MOTCUA_OIDC_OFFICERS=%q is not understood: want true or false (1 or 0)", v)
		}
		officers = b
	}
	fs.StringVar(&o.issuer, "oidc-issuer", os.Getenv("MOTCUA_OIDC_ISSUER"), "issuer URL of the OpenID Connect provider of electronic identities (with --oidc-client-id and $MOTCUA_OIDC_CLIENT_SECRET: sign-in through it on)")
	fs.StringVar(&o.clientID, "oidc-client-id", os.Getenv("MOTCUA_OIDC_CLIENT_ID"), "the client id registered at the provider")
	fs.StringVar(&o.redirect, "oidc-redirect-url", os.Getenv("MOTCUA_OIDC_REDIRECT_URL"), "the redirect URL registered at the provider (default: the public URL + "+identity.CallbackPath+")")
	fs.StringVar(&o.idClaim, "oidc-id-claim", envOr("MOTCUA_OIDC_ID_CLAIM", identity.DefaultIDClaim), "the ID token's claim that carries the 12-digit personal ID number")
	fs.StringVar(&o.scopes, "oidc-scopes", envOr("MOTCUA_OIDC_SCOPES", "profile"), "scopes asked besides openid, comma-separated")
	fs.BoolVar(&o.officers, "oidc-officers", officers, "officers must sign in through the provider: their password sign-in is refused ($MOTCUA_OIDC_OFFICERS)")
	return &o, nil
}

// identityProvider is the sign-in through the provider as configured, or
// nil when it is off. Half a configuration is an error rather than a
// silent "off".
func identityProvider(o *oidcFlags, publicURL string) (*identity.Provider, error) {
	secret := os.Getenv("MOTCUA_OIDC_CLIENT_SECRET")
	if o.issuer == "" && o.clientID == "" && secret == "" {
		if o.officers {
			return nil, fmt.Errorf("--oidc-officers needs the sign-in through a provider: --oidc-issuer, --oidc-client-id and $MOTCUA_OIDC_CLIENT_SECRET")
		}
		return nil, nil
	}
	if o.issuer == "" || o.clientID == "" || secret == "" {
		return nil, fmt.Errorf("sign-in through OpenID Connect needs all of --oidc-issuer, --oidc-client-id and $MOTCUA_OIDC_CLIENT_SECRET")
	}
	redirect := o.redirect
	if redirect == "" {
		if publicURL == "" {
			return nil, fmt.Errorf("sign-in through OpenID Connect needs --public-url or --oidc-redirect-url")
		}
		redirect = strings.TrimRight(publicURL, "/") + identity.CallbackPath
	}
	var scopes []string
	for _, s := range strings.Split(o.scopes, ",") {
		if s = strings.TrimSpace(s); s != "" && s != "openid" {
			scopes = append(scopes, s)
		}
	}
	return identity.NewProvider(identity.Config{Issuer: o.issuer, ClientID: o.clientID, ClientSecret: secret, RedirectURL: redirect,
		IDClaim: o.idClaim, Scopes: scopes, Officers: o.officers})
}
