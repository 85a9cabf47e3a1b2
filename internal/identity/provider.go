package identity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/motcua/motcua/internal/apperr"
)

// Provider is the relying party of one OpenID provider. Its discovery
// document is read on first use, and again after a failure, so that a
// server starts even while the provider is away.
type Provider struct {
	Config Config
	// Client makes the calls to the provider (discovery, keys, token);
	// nil means a client that gives up after DefaultTimeout, so that a
	// stalled provider does not hold sign-ins without limit.
	Client *http.Client
	// Now is the clock the ID token's expiry is judged by; nil means
	// time.Now.
	Now func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
}

// DefaultTimeout bounds each call to the provider when no Client is set.
const DefaultTimeout = 10 * time.Second

// defaultClient is the client of a Provider without one.
var defaultClient = &http.Client{Timeout: DefaultTimeout}

// NewProvider returns the relying party of cfg, checked.
func NewProvider(cfg Config) (*Provider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Provider{Config: cfg}, nil
}

func (p *Provider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Provider) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return defaultClient
}

func (p *Provider) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, p.client())
}

// errUnreachable: the provider did not answer.
var errUnreachable = apperr.New(apperr.EINTERNAL, "Không kết nối được nhà cung cấp định danh điện tử; vui lòng thử lại sau",
	"the electronic identity provider cannot be reached; please try again later")

// discover returns the provider's discovery document, read once. The lock
// is not held over the network: callers at once each read it, bounded by
// their own context and the client's timeout, and the first answer kept
// is everyone's.
func (p *Provider) discover(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	op := p.provider
	p.mu.Unlock()
	if op != nil {
		return op, nil
	}
	op, err := oidc.NewProvider(p.ctx(ctx), p.Config.Issuer)
	if err != nil {
		return nil, errors.Join(errUnreachable, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider == nil {
		p.provider = op
	}
	return p.provider, nil
}

func (p *Provider) oauth2(op *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.Config.ClientID, ClientSecret: p.Config.ClientSecret, RedirectURL: p.Config.RedirectURL,
		Endpoint: op.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, p.Config.Scopes...)}
}

// AuthURL is the provider's page where the login l goes on.
func (p *Provider) AuthURL(ctx context.Context, l Login) (string, error) {
	op, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	return p.oauth2(op).AuthCodeURL(l.State, oidc.Nonce(l.Nonce), oauth2.S256ChallengeOption(l.Verifier)), nil
}

// Exchange trades the provider's code for its tokens, with the login's
// PKCE verifier, and returns the identity the ID token vouches for: the
// token verified (signature, issuer, audience, expiry), its nonce the
// login's, its personal ID number valid. The cause of a refusal is
// wrapped for the log; the message is ErrToken's, or the number's.
func (p *Provider) Exchange(ctx context.Context, code string, l Login) (Identity, error) {
	op, err := p.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := p.oauth2(op).Exchange(p.ctx(ctx), code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		return Identity{}, errors.Join(ErrToken, fmt.Errorf("token exchange: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, errors.Join(ErrToken, errors.New("no id_token in the token response"))
	}
	v := op.Verifier(&oidc.Config{ClientID: p.Config.ClientID, Now: p.now})
	idt, err := v.Verify(p.ctx(ctx), raw)
	if err != nil {
		return Identity{}, errors.Join(ErrToken, fmt.Errorf("id_token: %w", err))
	}
	if idt.Nonce == "" || idt.Nonce != l.Nonce {
		return Identity{}, errors.Join(ErrToken, errors.New("id_token: nonce does not match the login's"))
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, errors.Join(ErrToken, fmt.Errorf("id_token claims: %w", err))
	}
	number, err := IDNumberOf(claims[p.Config.IDClaim], p.now())
	if err != nil {
		return Identity{}, err
	}
	name, _ := claims[p.Config.NameClaim].(string)
	return Identity{Issuer: idt.Issuer, Subject: idt.Subject, IDNumber: number, Name: name}, nil
}
