// Package guard decides which webhook targets Chis may connect to.
//
// A Guard refuses loopback, unspecified, private, link-local, shared (CGNAT),
// unique-local, multicast, documentation and otherwise reserved addresses,
// including IPv6 forms that embed them, unless the operator lists the range
// in the allow-list. It checks twice: CheckURL at the API, when a tenant
// hands over a URL, and Control at connect time, on the exact address the
// dialer is about to use. The second check is the one that matters: it sees
// every address a name resolves to, and a DNS answer that changes between
// the two checks (rebinding) cannot slip through.
//
// The address classification comes from code.dny.dev/ssrf, which follows the
// IANA special-purpose registries; this package adds the allow-list, the URL
// rules and errors that say what was refused without echoing secrets.
package guard

import (
	"fmt"
	"net/netip"
	"syscall"

	"code.dny.dev/ssrf"
)

// Guard checks webhook targets against the deny rules and the operator's
// allow-list. It is safe for concurrent use and must not be copied.
type Guard struct {
	rules *ssrf.Guardian

	// loopbackAllowed lets the localhost names through CheckURL when the
	// operator allows loopback, as local development does.
	loopbackAllowed bool
}

// New returns a Guard that refuses every non-public address except those in
// allowed. Production passes no prefixes; local development passes
// 127.0.0.0/8 and ::1/128. IPv4-mapped IPv6 prefixes are read as IPv4 and
// invalid prefixes are ignored.
func New(allowed []netip.Prefix) *Guard {
	var v4, v6 []netip.Prefix
	for _, p := range allowed {
		if !p.IsValid() {
			continue
		}

		p = unmapPrefix(p)
		if p.Addr().Is4() {
			v4 = append(v4, p)
		} else {
			v6 = append(v6, p)
		}
	}

	// Webhook targets listen on any port, so only addresses and the TCP
	// network are judged.
	g := &Guard{rules: ssrf.New(
		ssrf.WithAnyPort(),
		ssrf.WithNetworks("tcp4", "tcp6"),
		ssrf.WithAllowedV4Prefixes(v4...),
		ssrf.WithAllowedV6Prefixes(v6...),
	)}

	g.loopbackAllowed = g.checkAddr(netip.IPv6Loopback()) == nil ||
		g.checkAddr(netip.AddrFrom4([4]byte{127, 0, 0, 1})) == nil

	return g
}

// Control is a net.Dialer Control function. It runs after name resolution,
// once for each address the dialer tries, and refuses the blocked ones with
// an error wrapping ErrBlockedAddress; the dialer then falls back to the
// next address, if any.
func (g *Guard) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read dial address", ErrBlockedAddress)
	}

	if err := g.checkAddr(ap.Addr()); err != nil {
		return err
	}

	// Only the network is left to judge; the address passed above.
	unmapped := netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	if err := g.rules.Safe(network, unmapped.String(), nil); err != nil {
		return fmt.Errorf("%w: network %q is not allowed", ErrBlockedAddress, network)
	}

	return nil
}

// checkAddr judges one IP address. Zoned addresses are refused outright: a
// zone only means something for link-local scope, which is never a public
// target.
func (g *Guard) checkAddr(addr netip.Addr) error {
	if addr.Zone() != "" {
		return fmt.Errorf("%w: %s carries an interface zone", ErrBlockedAddress, addr)
	}

	// ::ffff:127.0.0.1 is 127.0.0.1 on the wire, so it is judged as IPv4.
	addr = addr.Unmap()
	if err := g.rules.SafeAddr(addr); err != nil {
		return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, addr, describe(addr))
	}

	return nil
}

// describe names the kind of a refused address for the error message. The
// refusal itself is decided by the ssrf rules; this is wording only.
func describe(addr netip.Addr) string {
	switch {
	case addr.IsLoopback():
		return "a loopback address"
	case addr.IsUnspecified():
		return "the unspecified address"
	case addr.IsPrivate():
		return "a private address"
	case addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast():
		return "a link-local address"
	case addr.IsMulticast():
		return "a multicast address"
	default:
		return "in a reserved or non-public range"
	}
}

// unmapPrefix turns an IPv4-mapped IPv6 prefix such as ::ffff:10.0.0.0/104
// into its IPv4 form, because addresses are unmapped before they are judged.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96).Masked()
	}

	return p.Masked()
}
