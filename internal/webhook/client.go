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
			if !Public(ap.Addr()) {
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

// notPublic are the blocks that are not the public Internet beyond what
// netip's predicates name: shared address space (carrier NAT, and a cloud's
// metadata service at 100.100.100.200), "this network", IETF protocol
// assignments, benchmarking, documentation and the reserved 240/4.
var notPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("100::/64"),
}

// Public tells whether a is an address of the public Internet. An IPv6
// address that carries an IPv4 one (mapped, NAT64 64:ff9b::/96, 6to4
// 2002::/16) is judged by the IPv4 address it reaches.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is6() {
		b := a.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(a), netip.MustParsePrefix("64:ff9b:1::/48").Contains(a):
			return Public(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
		case netip.MustParsePrefix("2002::/16").Contains(a):
			return Public(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
		}
	}
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range notPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
