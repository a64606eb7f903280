package guard_test

import (
	"errors"
	"net/netip"
	"net/url"
	"testing"

	"github.com/chis-dev/chis/shared/guard"
)

// FuzzCheckURL checks what must hold for any input: no panic; an accepted
// URL is an absolute http(s) URL whose literal address, if any, Control
// would also accept; a refusal wraps one sentinel; and the error text does
// not depend on userinfo, path, query or fragment, so none can leak.
func FuzzCheckURL(f *testing.F) {
	seeds := []string{
		"http://127.0.0.1/", "http://127.1/", "http://[::ffff:127.0.0.1]/",
		"http://0x7f000001/", "http://0177.0.0.1/", "http://localhost./",
		"http://example.com@127.0.0.1/", "gopher://127.0.0.1:6379/_x",
		"http://[fe80::1%25eth0]/", "https://u:p@example.com/p?token=q#f",
		"http://[2001:db8::1]:8080/hook", "http://2130706433/",
	}
	for _, s := range seeds {
		f.Add(s)
	}

	g := guard.New(nil)
	f.Fuzz(func(t *testing.T, raw string) {
		err := g.CheckURL(raw)
		if err == nil {
			checkAccepted(t, g, raw)

			return
		}

		if !wrapsSentinel(err) {
			t.Fatalf("CheckURL(%q) = %v, wraps no sentinel", raw, err)
		}

		u, parseErr := url.Parse(raw)
		if parseErr != nil {
			return
		}

		bare := url.URL{Scheme: u.Scheme, Opaque: u.Opaque, Host: u.Host}
		if u.Opaque != "" {
			// An opaque URL keeps its secrets in Opaque; its error must
			// not quote it at all.
			bare.Opaque = "x"
		}

		if bareErr := g.CheckURL(bare.String()); bareErr == nil || bareErr.Error() != err.Error() {
			t.Fatalf("CheckURL(%q) = %q, without secrets %q = %v", raw, err, bare.String(), bareErr)
		}
	})
}

// checkAccepted asserts the shape of a URL that CheckURL let through.
func checkAccepted(t *testing.T, g *guard.Guard, raw string) {
	t.Helper()

	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		t.Fatalf("CheckURL(%q) accepted a URL that is not absolute http(s)", raw)
	}

	addr, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return
	}

	if err := g.Control("tcp6", netip.AddrPortFrom(addr, 80).String(), nil); err != nil &&
		g.Control("tcp4", netip.AddrPortFrom(addr.Unmap(), 80).String(), nil) != nil {
		t.Fatalf("CheckURL(%q) accepted an address Control refuses: %v", raw, err)
	}
}

// wrapsSentinel reports whether err wraps one of the package's sentinels.
func wrapsSentinel(err error) bool {
	for _, s := range []error{guard.ErrInvalidURL, guard.ErrScheme,
		guard.ErrAmbiguousHost, guard.ErrBlockedAddress} {
		if errors.Is(err, s) {
			return true
		}
	}

	return false
}
