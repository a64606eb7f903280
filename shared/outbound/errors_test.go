package outbound_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/outbound"
)

// resetAfterRequest reads the request, then closes with SO_LINGER 0 so the
// kernel sends a RST instead of a FIN.
func resetAfterRequest(c net.Conn, _ <-chan struct{}) {
	readRequestHead(c)
	_ = c.(*net.TCPConn).SetLinger(0)
}

// endlessHeaders answers a status line and then header lines forever.
func endlessHeaders(c net.Conn, done <-chan struct{}) {
	readRequestHead(c)
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n")

	line := []byte("X-Filler: " + strings.Repeat("f", 1000) + "\r\n")
	for {
		select {
		case <-done:
			return
		default:
		}

		if _, err := c.Write(line); err != nil {
			return
		}
	}
}

// closeAfterRequest reads the request and closes cleanly without a word.
func closeAfterRequest(c net.Conn, _ <-chan struct{}) {
	readRequestHead(c)
}

// TestNetworkErrors is P10: each failure gets no status, a stable class, a
// readable message and a duration. TLS verification stays on: expired,
// self-signed, wrong-name and pre-1.2 servers are all refused, while a
// certificate from the injected CA works.
func TestNetworkErrors(t *testing.T) {
	t.Parallel()

	ca := newCA(t)
	loopbackIP := []net.IP{net.IPv4(127, 0, 0, 1)}
	resolver := fakeDNS(t, map[string][]netip.Addr{})

	tests := []struct {
		name    string
		url     string
		class   string
		message string
	}{
		{"no such host", "http://hooks.example.invalid/", outbound.ClassDNS, "no such host"},
		{"refused", "http://" + closedPort(t), outbound.ClassRefused, "connection refused"},
		{"reset", "http://" + rawServer(t, resetAfterRequest), outbound.ClassReset,
			"connection reset"},
		{"closed without answer", "http://" + rawServer(t, closeAfterRequest),
			outbound.ClassNetwork, "closed the connection"},
		{"expired", tlsURL(t, ca, leafSpec{ips: loopbackIP, expired: true}),
			outbound.ClassTLS, "expired"},
		{"self-signed", tlsURL(t, ca, leafSpec{ips: loopbackIP, selfSigned: true}),
			outbound.ClassTLS, "unknown authority"},
		{"wrong name", tlsURL(t, ca, leafSpec{dnsNames: []string{"other.example"}}),
			outbound.ClassTLS, "not valid for 127.0.0.1"},
		{"TLS 1.1 only", tlsServerURL(t, ca, leafSpec{ips: loopbackIP}, tls.VersionTLS11),
			outbound.ClassTLS, "handshake failed"},
		{"plain HTTP on https", "https://" + strings.TrimPrefix(plainServer(t), "http://"),
			outbound.ClassTLS, "did not answer with TLS"},
		{"endless headers", "http://" + rawServer(t, endlessHeaders), outbound.ClassNetwork,
			"headers exceeded"},
		{"file scheme", "file:///etc/passwd", outbound.ClassInvalid, "http or https"},
		{"no host", "http:///hook", outbound.ClassInvalid, "http or https"},
		{"bad method", "http://" + closedPort(t), outbound.ClassInvalid, "cannot be built"},
	}

	c := outbound.New(outbound.Options{Timeout: 2 * time.Second, RootCAs: ca.pool,
		Resolver: resolver})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			req := outbound.Request{URL: tt.url}
			if tt.name == "bad method" {
				req.Method = "BAD METHOD"
			}

			res := c.Do(context.Background(), req)
			t.Logf("%s: %s", res.ErrorClass, res.ErrorMessage)
			if res.ErrorClass != tt.class || res.StatusCode != 0 {
				t.Fatalf("result = %+v, want class %q and no status", res, tt.class)
			}

			if !strings.Contains(res.ErrorMessage, tt.message) {
				t.Errorf("message = %q, want it to contain %q", res.ErrorMessage, tt.message)
			}

			if res.Duration <= 0 || res.Duration > 2*time.Second {
				t.Errorf("duration = %v, want a positive time under the timeout", res.Duration)
			}
		})
	}
}

// TestTLSSuccess reaches servers whose certificate comes from the injected
// CA, over HTTP/1.1 and HTTP/2. Each answers an endless 200: the body is cut
// at the cap, and the connection is still reused afterwards over HTTP/2,
// where dropping a stream does not cost the connection.
func TestTLSSuccess(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		http2  bool
		proto  int
		opened int64
	}{
		{"HTTP/1.1", false, 1, 2},
		{"HTTP/2", true, 2, 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			ca := newCA(t)
			var opened atomic.Int64
			protos := make(chan int, 2)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				protos <- r.ProtoMajor
				endless(http.StatusOK, make(chan int64, 1))(w, r)
			}))
			srv.EnableHTTP2 = tt.http2
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{
				ca.leaf(t, leafSpec{ips: []net.IP{net.IPv4(127, 0, 0, 1)}})}}
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					opened.Add(1)
				}
			}
			srv.StartTLS()
			t.Cleanup(srv.Close)

			c := outbound.New(outbound.Options{Timeout: 2 * time.Second, RootCAs: ca.pool})
			for range 2 {
				res := c.Do(context.Background(), outbound.Request{URL: srv.URL})
				if !res.Success() || !res.Truncated {
					t.Fatalf("result = %+v, want a truncated success", res)
				}

				if proto := <-protos; proto != tt.proto {
					t.Errorf("receiver saw HTTP/%d, want HTTP/%d", proto, tt.proto)
				}
			}

			if got := opened.Load(); got != tt.opened {
				t.Errorf("%d connections opened, want %d", got, tt.opened)
			}
		})
	}
}

// tlsURL starts an HTTPS receiver with a certificate made from spec.
func tlsURL(t *testing.T, ca *testCA, spec leafSpec) string {
	t.Helper()

	return tlsServerURL(t, ca, spec, 0)
}

// tlsServerURL is tlsURL with a highest TLS version.
func tlsServerURL(t *testing.T, ca *testCA, spec leafSpec, maxVersion uint16) string {
	t.Helper()

	return tlsServer(t, ca.leaf(t, spec), maxVersion).URL
}

// plainServer starts a plain HTTP receiver answering 200.
func plainServer(t *testing.T) string {
	t.Helper()

	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)

	return srv.URL
}
