package webhook

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is the refusal to call an address inside the server's
// own network.
var ErrPrivateAddress = errors.New("webhook: the address is loopback, private or link-local; the operator allows those with --webhook-private")

// NewClient returns the HTTP client webhooks are sent with. Unless
// allowPrivate, it refuses to connect to loopback, private, link-local and
// unspecified addresses, checked on the address actually dialled (after DNS
// and after every redirect): a unit administrator may name any URL, and
// must not be able to make the server call the database, a cloud's
// metadata service or anything else inside its network.
func NewClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return err
			}
			if a := ap.Addr().Unmap(); a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
				a.IsUnspecified() || a.IsMulticast() {
				return ErrPrivateAddress
			}
			return nil
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // a proxy would dial on our behalf, past the check
	tr.DialContext = d.DialContext
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}
