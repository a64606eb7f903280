package outbound_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/guard"
	"github.com/chis-dev/chis/shared/outbound"
)

// secretTail is the P15 userinfo-free part of the URL: a path secret and a
// query token.
const secretTail = "/T0/PLACEHOLDER_PATH?token=PLACEHOLDER_QUERY"

// placeholders are the strings that must never appear in a result.
var placeholders = []string{"PLACEHOLDER_USER", "PLACEHOLDER_PASS", "PLACEHOLDER_PATH",
	"PLACEHOLDER_QUERY", "token="}

// TestSecretsStayOut is P15: whatever way an attempt fails, with userinfo,
// a path secret and a query token in the URL, the message carries none of
// them. Location keeps the path by contract (tenants need to see where the
// endpoint moved), but never userinfo or query.
func TestSecretsStayOut(t *testing.T) {
	t.Parallel()

	ca := newCA(t)
	resolver := fakeDNS(t, map[string][]netip.Addr{
		"loop.chis.test": {netip.MustParseAddr("127.0.0.1")},
	})
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		// A receiver that echoes the request URI back in its Location.
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(redirect.Close)

	tests := []struct {
		name, hostport string
		https          bool
	}{
		{"dns", "hooks.example.invalid", false},
		{"refused", closedPort(t), false},
		{"reset", rawServer(t, resetAfterRequest), false},
		{"timeout", rawServer(t, hang), false},
		{"tls", hostOf(tlsURL(t, ca, leafSpec{ips: []net.IP{net.IPv4(127, 0, 0, 1)},
			selfSigned: true})), true},
		{"http 500", hostOf(plainServerStatus(t, http.StatusInternalServerError)), false},
		{"redirect", hostOf(redirect.URL), false},
		{"blocked at connect", "loop.chis.test:" + portOf(redirect.URL), false},
		{"blocked literal", "127.0.0.1:" + portOf(redirect.URL), false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			opts := outbound.Options{Timeout: time.Second, RootCAs: ca.pool, Resolver: resolver}
			if strings.HasPrefix(tt.name, "blocked") {
				opts.Guard = guard.New(nil)
			}

			scheme := "http://"
			if tt.https {
				scheme = "https://"
			}

			url := scheme + "PLACEHOLDER_USER:PLACEHOLDER_PASS@" + tt.hostport + secretTail
			res := outbound.New(opts).Do(context.Background(), outbound.Request{URL: url})
			if res.ErrorClass == "" || res.ErrorMessage == "" {
				t.Fatalf("result = %+v, want a failure with a message", res)
			}

			for _, s := range placeholders {
				if strings.Contains(res.ErrorMessage, s) {
					t.Errorf("%s message leaks %s: %q", res.ErrorClass, s, res.ErrorMessage)
				}

				if s != "PLACEHOLDER_PATH" && strings.Contains(res.Location, s) {
					t.Errorf("location leaks %s: %q", s, res.Location)
				}
			}
		})
	}
}

// plainServerStatus starts a receiver that answers status with the request
// URI in its body, as some error pages do.
func plainServerStatus(t *testing.T, status int) string {
	t.Helper()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, r.URL.RequestURI(), status)
	}))
	t.Cleanup(srv.Close)

	return srv.URL
}

// hostOf returns the host:port of a server URL.
func hostOf(url string) string {
	_, hostport, _ := strings.Cut(url, "://")

	return hostport
}

// portOf returns the port of a server URL.
func portOf(url string) string {
	_, port, _ := net.SplitHostPort(hostOf(url))

	return port
}
