package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/vntext"
)

// oidcCookie carries the random handle of a login under way at the
// identity provider; the login itself is in the database.
const oidcCookie = "motcua_oidc"

// limitOIDCLogin counts the logins started at the identity provider from
// one address, under the SigninAddr rate; a login that ends signed in is
// given back.
const limitOIDCLogin = "oidc_login"

func (s *Server) identities() store.Identities { return store.Identities{DB: s.DB} }

// oidcLogin starts a sign-in at the identity provider: a login stored with
// its state, nonce and PKCE verifier, its handle in a short-lived cookie,
// and the browser sent to the provider.
func (s *Server) oidcLogin(w http.ResponseWriter, r *http.Request) {
	if s.Identity == nil {
		s.pageNotFound(w, r)
		return
	}
	if err := s.oidcTry(w, r); err != nil {
		s.pageFail(w, r, err)
		return
	}
	secret, l, err := identity.NewLogin(localPath(r.URL.Query().Get("next")), s.Now())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	to, err := s.Identity.AuthURL(r.Context(), l)
	if err != nil {
		s.Log.Error("identity provider", "err", err)
		s.pageFail(w, r, apperr.As(err))
		return
	}
	if err := s.identities().SaveLogin(r.Context(), l); err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: secret, Path: "/auth/oidc/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		MaxAge: int(identity.LoginTTL.Seconds()), Secure: s.secureCookies(r)})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
}

// oidcTry counts a login started against the address's limit.
func (s *Server) oidcTry(w http.ResponseWriter, r *http.Request) error {
	rate := s.limits.SigninAddr
	if rate.N <= 0 {
		return nil
	}
	_, err := s.count(w, r, []limitRule{{store.Counter{Kind: limitOIDCLogin, Key: s.clientAddr(r), Window: rate.Per}, rate.N}})
	return err
}

// oidcCallback takes the provider's answer: the login of the cookie's
// handle, once; the state and expiry checked; the code traded for the ID
// token, verified; the account found or made; a session started.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.Identity == nil {
		s.pageNotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	u, l, err := s.oidcSignIn(r)
	if err != nil {
		s.Log.Warn("sign-in through the identity provider refused", "err", err)
		if e := apperr.As(err); e != nil && e.Code == apperr.EUNAUTHORIZED {
			err = identity.ErrToken // never the sign-in page's redirect: the error is shown
		}
		s.pageFail(w, r, err)
		return
	}
	if rate := s.limits.SigninAddr; rate.N > 0 {
		if err := s.DB.Unhit(r.Context(), l.CreatedAt, store.Counter{Kind: limitOIDCLogin, Key: s.clientAddr(r), Window: rate.Per}); err != nil {
			s.Log.Warn("throttle: give back a sign-in through the identity provider", "err", err)
		}
	}
	s.signedIn(w, r, u, l.Next)
}

// oidcSignIn checks the provider's answer and returns the account.
func (s *Server) oidcSignIn(r *http.Request) (*auth.User, *identity.Login, error) {
	c, err := r.Cookie(oidcCookie)
	if err != nil || c.Value == "" {
		return nil, nil, identity.ErrNoLogin
	}
	l, err := s.identities().TakeLogin(r.Context(), auth.TokenDigest(c.Value))
	if err != nil {
		return nil, nil, err
	}
	q := r.URL.Query()
	if err := l.Check(q.Get("state"), s.Now()); err != nil {
		return nil, nil, err
	}
	if e := vntext.Truncate(q.Get("error"), 64); e != "" { // the provider's code, shown as sent, bounded
		return nil, nil, apperr.Forbidden("Nhà cung cấp định danh điện tử từ chối đăng nhập ("+e+")",
			"the electronic identity provider refused the sign-in ("+e+")")
	}
	code := q.Get("code")
	if code == "" {
		return nil, nil, identity.ErrToken
	}
	id, err := s.Identity.Exchange(r.Context(), code, *l)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.identities().SignIn(r.Context(), id)
	return u, l, err
}

// passwordRefused refuses an officer's password sign-in when officers
// must sign in through the identity provider.
func (s *Server) passwordRefused(u *auth.User) error {
	if s.Identity != nil && s.Identity.Config.Officers && u.Actor().IsOfficer() {
		return identity.OfficerPasswordRefused
	}
	return nil
}
