package outbound_test

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/guard"
	"github.com/chis-dev/chis/shared/outbound"
)

// loopbackTrio starts canaries on one port at 127.0.0.1, 127.0.0.2 and ::1,
// the three addresses the fake names below resolve to.
func loopbackTrio(t *testing.T) (port string, main, v4, v6 *canary) {
	t.Helper()

	main = newCanary(t, "127.0.0.1:0")
	_, port, _ = net.SplitHostPort(main.Listener.Addr().String())

	return port, main, newCanary(t, "127.0.0.2:"+port), newCanary(t, "[::1]:"+port)
}

// loopbackNames resolves names that pass CheckURL but point at loopback.
func loopbackNames(t *testing.T) *net.Resolver {
	t.Helper()

	return fakeDNS(t, map[string][]netip.Addr{
		"rebind.chis.test": {netip.MustParseAddr("127.0.0.1")},
		"mixed.chis.test": {netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.2"),
			netip.MustParseAddr("127.0.0.1")},
	})
}

// TestGuardRefuses is P07 and P08 inside the client: every form is refused
// with class "blocked", before or at connect time, and no loopback canary
// sees a connection. rebind.chis.test and mixed.chis.test pass CheckURL, so
// only the dialer's Control stops them.
func TestGuardRefuses(t *testing.T) {
	t.Parallel()

	port, main, v4, v6 := loopbackTrio(t)
	c := outbound.New(outbound.Options{Timeout: 2 * time.Second,
		Guard: guard.New(nil), Resolver: loopbackNames(t)})

	tests := []struct {
		host, message string
	}{
		{"rebind.chis.test", "127.0.0.1 is a loopback address"},
		{"mixed.chis.test", "is a loopback address"},
		{"localhost", "loopback name"},
		{"127.0.0.1", "127.0.0.1 is a loopback address"},
		{"[::ffff:127.0.0.1]", "127.0.0.1 is a loopback address"},
		{"[::1]", "::1 is a loopback address"},
		{"2130706433", "numeric"},
	}

	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			t.Parallel()

			res := c.Do(context.Background(), outbound.Request{
				URL: "http://" + tt.host + ":" + port + "/hook"})

			if res.ErrorClass != outbound.ClassBlocked || res.StatusCode != 0 {
				t.Fatalf("result = %+v, want class blocked", res)
			}

			if !strings.Contains(res.ErrorMessage, tt.message) {
				t.Errorf("message = %q, want it to contain %q", res.ErrorMessage, tt.message)
			}
		})
	}

	t.Cleanup(func() {
		for _, c := range []*canary{main, v4, v6} {
			c.assertUntouched(t)
		}
	})
}

// TestGuardAllowList shows the operator's allow-list at connect time. Only
// 127.0.0.1 is allowed: mixed.chis.test resolves to ::1, 127.0.0.2 and
// 127.0.0.1, the dialer tries ::1 first (RFC 6724 order), is refused, and
// falls back until it reaches the allowed address; the others see nothing.
func TestGuardAllowList(t *testing.T) {
	t.Parallel()

	port, main, v4, v6 := loopbackTrio(t)
	allowed := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	c := outbound.New(outbound.Options{Timeout: 2 * time.Second,
		Guard: guard.New(allowed), Resolver: loopbackNames(t)})

	for _, host := range []string{"rebind.chis.test", "mixed.chis.test", "127.0.0.1"} {
		res := c.Do(context.Background(), outbound.Request{URL: "http://" + host + ":" + port})
		if !res.Success() {
			t.Fatalf("%s: result = %+v, want success through the allow-list", host, res)
		}

		// A fresh connection each time, so every host is dialed.
		c.CloseIdleConnections()
	}

	if main.hits.Load() == 0 {
		t.Error("the allowed address was never reached")
	}

	v4.assertUntouched(t)
	v6.assertUntouched(t)
}
