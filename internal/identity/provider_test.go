package identity

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// stalled is a provider that accepts connections and never answers.
func stalled(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(done)
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

func stalledProvider(t *testing.T) *Provider {
	p, err := NewProvider(Config{Issuer: stalled(t), ClientID: "motcua", ClientSecret: "s", RedirectURL: "https://motcua.example.vn/auth/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// within runs fn and fails the test if it has not returned by d.
func within(t *testing.T, d time.Duration, what string, fn func() error) error {
	t.Helper()
	ch := make(chan error, 1)
	go func() { ch <- fn() }()
	select {
	case err := <-ch:
		return err
	case <-time.After(d):
		t.Fatalf("%s: still waiting after %v", what, d)
		return nil
	}
}

// TestProviderTimeout: without a client of its own, a provider that never
// answers fails the sign-in after the default timeout, 10 s.
func TestProviderTimeout(t *testing.T) {
	if defaultClient.Timeout != 10*time.Second || DefaultTimeout != 10*time.Second {
		t.Fatalf("default timeout: %v", defaultClient.Timeout)
	}
	old := defaultClient
	defaultClient = &http.Client{Timeout: 300 * time.Millisecond}
	t.Cleanup(func() { defaultClient = old })
	p := stalledProvider(t)
	err := within(t, 5*time.Second, "stalled provider", func() error {
		_, err := p.AuthURL(context.Background(), Login{State: "s", Nonce: "n", Verifier: "v"})
		return err
	})
	if !errors.Is(err, errUnreachable) {
		t.Fatalf("stalled provider: %v", err)
	}
}

// TestProviderDiscoveryUnlocked: while one sign-in waits for the
// provider's discovery, another gives up on its own context rather than
// queueing behind it.
func TestProviderDiscoveryUnlocked(t *testing.T) {
	p := stalledProvider(t)
	p.Client = &http.Client{} // no timeout of its own: only the contexts bound the calls
	first, cancel := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() {
		_, err := p.AuthURL(first, Login{State: "s", Nonce: "n", Verifier: "v"})
		firstDone <- err
	}()
	time.Sleep(200 * time.Millisecond) // the first is waiting for the provider
	err := within(t, 3*time.Second, "second sign-in", func() error {
		ctx, stop := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer stop()
		_, err := p.AuthURL(ctx, Login{State: "s", Nonce: "n", Verifier: "v"})
		return err
	})
	if !errors.Is(err, errUnreachable) {
		t.Fatalf("second sign-in: %v", err)
	}
	cancel()
	if err := <-firstDone; !errors.Is(err, errUnreachable) {
		t.Fatalf("first sign-in: %v", err)
	}
}
