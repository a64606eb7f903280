package guard

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// CheckURL judges a target URL when a tenant hands it over. It accepts only
// absolute http and https URLs with a host, refuses literal IP addresses that
// are blocked (IPv4-mapped IPv6 is unmapped first, zoned addresses are always
// refused), refuses numeric hosts that a C resolver would read as an IPv4
// address (127.1, 2130706433, 0x7f000001, 0177.0.0.1), and refuses localhost
// names unless loopback is allowed. Other names pass: what they resolve to is
// judged by Control at connect time.
//
// The error wraps ErrInvalidURL, ErrScheme, ErrAmbiguousHost or
// ErrBlockedAddress, and its text never contains the URL's userinfo, path or
// query.
func (g *Guard) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse errors quote the whole URL, secrets included, so only
		// the sentinel travels on.
		return fmt.Errorf("%w: cannot be parsed", ErrInvalidURL)
	}

	if err := checkScheme(u.Scheme); err != nil {
		return err
	}

	host := u.Hostname()
	if u.Opaque != "" || host == "" {
		return fmt.Errorf("%w: a host is required", ErrInvalidURL)
	}

	if err := checkPort(u.Port()); err != nil {
		return err
	}

	return g.checkHost(host)
}

// checkScheme accepts http and https; url.Parse has already lowercased the
// scheme and limited it to letters, digits, "+", "-" and ".", so it is safe
// to quote.
func checkScheme(scheme string) error {
	switch scheme {
	case "http", "https":
		return nil
	case "":
		return fmt.Errorf("%w: the url needs http:// or https://", ErrScheme)
	default:
		return fmt.Errorf("%w: %q, only http and https are allowed", ErrScheme, scheme)
	}
}

// checkPort refuses port 0 and ports past 65535; url.Parse has already made
// sure an explicit port is all digits.
func checkPort(port string) error {
	if port == "" {
		return nil
	}

	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return fmt.Errorf("%w: port must be between 1 and 65535", ErrInvalidURL)
	}

	return nil
}

// checkHost judges the host part: a literal address against the deny rules,
// a name against the numeric and localhost rules.
func (g *Guard) checkHost(host string) error {
	if addr, err := netip.ParseAddr(host); err == nil {
		return g.checkAddr(addr)
	}

	// Trailing dots make a name fully qualified without changing what it
	// resolves to, so "localhost." is still localhost.
	name := strings.TrimRight(strings.ToLower(host), ".")

	if endsInNumber(name) {
		return fmt.Errorf("%w: %q reads as a numeric IPv4 address; "+
			"write addresses as four decimal parts", ErrAmbiguousHost, host)
	}

	if isLocalhost(name) && !g.loopbackAllowed {
		return fmt.Errorf("%w: %q is a loopback name", ErrBlockedAddress, host)
	}

	return nil
}

// endsInNumber reports whether the last label of a name is a decimal or 0x
// hex number. inet_aton and browsers then parse the whole host as an IPv4
// address in one of its legacy forms (octal parts, fewer than four parts, a
// single 32-bit number), and no real top-level domain is numeric.
func endsInNumber(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	if hex, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(hex, "0123456789abcdef") == ""
	}

	return last != "" && strings.Trim(last, "0123456789") == ""
}

// isLocalhost reports whether a lowercased name without trailing dots is
// localhost or under it; RFC 6761 reserves both for loopback.
func isLocalhost(name string) bool {
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}
