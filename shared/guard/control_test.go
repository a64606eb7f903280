package guard_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/guard"
)

// TestControl judges the addresses a dialer hands to Control, after name
// resolution, in the forms the kernel reports them.
func TestControl(t *testing.T) {
	t.Parallel()

	tests := []struct {
		network, address string
		allowed          []netip.Prefix
		want             error
	}{
		{"tcp4", "127.0.0.1:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "127.0.0.1:8080", devAllowList, nil},
		{"tcp6", "[::1]:443", nil, guard.ErrBlockedAddress},
		{"tcp6", "[::1]:443", devAllowList, nil},
		{"tcp6", "[::ffff:127.0.0.1]:80", nil, guard.ErrBlockedAddress},
		{"tcp6", "[::ffff:127.0.0.1]:80", devAllowList, nil},
		{"tcp4", "0.0.0.0:6379", nil, guard.ErrBlockedAddress},
		{"tcp6", "[::]:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "10.0.0.5:80", devAllowList, guard.ErrBlockedAddress},
		{"tcp4", "100.64.0.1:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "169.254.169.254:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "192.168.1.1:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "224.0.0.1:80", nil, guard.ErrBlockedAddress},
		{"tcp6", "[fd00:ec2::254]:80", nil, guard.ErrBlockedAddress},
		{"tcp6", "[fe80::1%eth0]:80", nil, guard.ErrBlockedAddress},
		{"tcp6", "[2001:db8::1]:8080", nil, guard.ErrBlockedAddress},
		{"tcp6", "[64:ff9b::a00:5]:80", nil, guard.ErrBlockedAddress},
		{"tcp6", "[2002:a00:5::]:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "93.184.215.14:443", nil, nil},
		{"tcp4", "1.1.1.1:6379", nil, nil},
		{"tcp6", "[2606:4700:4700::1111]:443", nil, nil},
		{"udp4", "1.1.1.1:53", nil, guard.ErrBlockedAddress},
		{"tcp4", "example.com:80", nil, guard.ErrBlockedAddress},
		{"tcp4", "1.1.1.1", nil, guard.ErrBlockedAddress},
	}

	for _, tt := range tests {
		t.Run(tt.network+" "+tt.address, func(t *testing.T) {
			t.Parallel()

			err := guard.New(tt.allowed).Control(tt.network, tt.address, nil)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Control(%q, %q) = %v, want %v", tt.network, tt.address, err, tt.want)
			}
		})
	}
}

// TestControlDial dials real loopback listeners through a guarded dialer:
// a refused dial never reaches the listener, an allowed one does. localhost
// goes through name resolution, so every address it has is judged.
func TestControlDial(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		host    string
		allowed []netip.Prefix
		blocked bool
	}{
		{"ip blocked", "127.0.0.1", nil, true},
		{"name blocked", "localhost", nil, true},
		{"ip allowed", "127.0.0.1", devAllowList, false},
		{"name allowed", "localhost", devAllowList, false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			ln := listen(t)
			_, port, _ := net.SplitHostPort(ln.Addr().String())
			dialer := net.Dialer{Control: guard.New(tt.allowed).Control, Timeout: 2 * time.Second}

			conn, err := dialer.DialContext(context.Background(), "tcp",
				net.JoinHostPort(tt.host, port))
			if conn != nil {
				_ = conn.Close()
			}

			if tt.blocked != errors.Is(err, guard.ErrBlockedAddress) {
				t.Fatalf("dial error = %v, blocked want %v", err, tt.blocked)
			}

			if got := accepted(t, ln); got != !tt.blocked {
				t.Fatalf("listener saw a connection: %v, want %v", got, !tt.blocked)
			}
		})
	}
}

// listen opens a loopback listener closed with the test.
func listen(t *testing.T) *net.TCPListener {
	t.Helper()

	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() })

	return ln
}

// accepted reports whether a connection reached ln before this call. It
// dials a marker connection of its own and accepts: the accept queue is in
// arrival order, so if the first connection out is the marker, nothing came
// before it. No waiting on a clock is involved.
func accepted(t *testing.T, ln *net.TCPListener) bool {
	t.Helper()

	marker, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatalf("dial marker: %v", err)
	}
	defer marker.Close()

	first, err := ln.Accept()
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	defer first.Close()

	return first.RemoteAddr().String() != marker.LocalAddr().String()
}
