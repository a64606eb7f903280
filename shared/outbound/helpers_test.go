package outbound_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// rawServer accepts TCP connections on 127.0.0.1 and hands each to handle,
// for receivers that misbehave below HTTP. done is closed when the test
// ends; every connection is closed then too, so handlers blocked on it
// return.
func rawServer(t *testing.T, handle func(c net.Conn, done <-chan struct{})) string {
	t.Helper()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}

	done := make(chan struct{})
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)

	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}

			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()

			wg.Go(func() {
				defer c.Close()
				handle(c, done)
			})
		}
	})

	t.Cleanup(func() {
		close(done)
		_ = ln.Close()

		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()

		wg.Wait()
	})

	return ln.Addr().String()
}

// readRequestHead reads until the end of the request headers, so a raw
// receiver answers only once the client has sent its request.
func readRequestHead(c net.Conn) {
	buf := make([]byte, 0, 4096)
	chunk := make([]byte, 1024)

	for !strings.Contains(string(buf), "\r\n\r\n") && len(buf) < cap(buf) {
		n, err := c.Read(chunk)
		if err != nil {
			return
		}

		buf = append(buf, chunk[:n]...)
	}
}

// canary is a receiver that must never be reached. It answers 200, so a
// request that did reach it would also show up as a success.
type canary struct {
	*httptest.Server
	hits atomic.Int64
}

// newCanary starts a canary on the given loopback address ("127.0.0.1:0").
func newCanary(t *testing.T, addr string) *canary {
	t.Helper()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}

	c := &canary{}
	c.Server = httptest.NewUnstartedServer(http.HandlerFunc(
		func(http.ResponseWriter, *http.Request) { c.hits.Add(1) }))
	c.Listener = ln
	c.Config.ConnState = func(net.Conn, http.ConnState) { c.hits.Add(1) }
	c.Start()
	t.Cleanup(c.Close)

	return c
}

// assertUntouched fails the test if anything reached the canary.
func (c *canary) assertUntouched(t *testing.T) {
	t.Helper()

	if n := c.hits.Load(); n != 0 {
		t.Errorf("canary %s saw %d connection events, want 0", c.Listener.Addr(), n)
	}
}

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}

	addr := ln.Addr().String()
	_ = ln.Close()

	return addr
}

// assertWithin fails unless d lies in [low, high].
func assertWithin(t *testing.T, d, low, high time.Duration) {
	t.Helper()

	if d < low || d > high {
		t.Errorf("duration = %v, want between %v and %v", d, low, high)
	}
}

// fakeDNS answers A and AAAA queries from records and NXDOMAIN for every
// other name, on 127.0.0.1 over UDP. The resolver it returns sends every
// query there, so tests never leave loopback.
func fakeDNS(t *testing.T, records map[string][]netip.Addr) *net.Resolver {
	t.Helper()

	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen udp: %v", err)
	}

	done := make(chan struct{})
	go serveDNS(pc, records, done)
	t.Cleanup(func() {
		_ = pc.Close()
		<-done
	})

	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer

			return d.DialContext(ctx, "udp4", pc.LocalAddr().String())
		},
	}
}

// serveDNS answers queries on pc until it is closed.
func serveDNS(pc net.PacketConn, records map[string][]netip.Addr, done chan<- struct{}) {
	defer close(done)

	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}

		if err != nil {
			continue
		}

		if reply, err := answer(buf[:n], records); err == nil {
			_, _ = pc.WriteTo(reply, from)
		}
	}
}

// answer builds the reply to one query.
func answer(query []byte, records map[string][]netip.Addr) ([]byte, error) {
	var p dnsmessage.Parser
	hdr, err := p.Start(query)
	if err != nil {
		return nil, err
	}

	q, err := p.Question()
	if err != nil {
		return nil, err
	}

	addrs, known := records[strings.TrimSuffix(q.Name.String(), ".")]
	reply := dnsmessage.Header{ID: hdr.ID, Response: true, Authoritative: true,
		RecursionDesired: hdr.RecursionDesired, RecursionAvailable: true}
	if !known {
		reply.RCode = dnsmessage.RCodeNameError
	}

	b := dnsmessage.NewBuilder(nil, reply)
	_ = b.StartQuestions()
	_ = b.Question(q)
	_ = b.StartAnswers()

	rh := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET}
	for _, a := range addrs {
		switch {
		case q.Type == dnsmessage.TypeA && a.Is4():
			_ = b.AResource(rh, dnsmessage.AResource{A: a.As4()})
		case q.Type == dnsmessage.TypeAAAA && a.Is6():
			_ = b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: a.As16()})
		}
	}

	return b.Finish()
}

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

// newCA makes a CA valid for the next hour.
func newCA(t *testing.T) *testCA {
	t.Helper()

	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Chis test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}

	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create CA: %v", err)
	}

	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parse CA: %v", err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(cert)

	return &testCA{cert: cert, key: key, pool: pool}
}

// leafSpec describes a server certificate to make.
type leafSpec struct {
	dnsNames   []string
	ips        []net.IP
	expired    bool
	selfSigned bool
}

// leaf makes a server certificate signed by ca, or by itself.
func (ca *testCA) leaf(t *testing.T, spec leafSpec) tls.Certificate {
	t.Helper()

	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "chis receiver"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     spec.dnsNames,
		IPAddresses:  spec.ips,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if spec.expired {
		tmpl.NotBefore = time.Now().Add(-48 * time.Hour)
		tmpl.NotAfter = time.Now().Add(-24 * time.Hour)
	}

	parent, signer := ca.cert, ca.key
	if spec.selfSigned {
		parent, signer = tmpl, key
	}

	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatalf("create leaf: %v", err)
	}

	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// newKey makes a P-256 key, which is quick to generate.
func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}

	return key
}

// tlsServer starts an HTTPS receiver answering 200 with cert.
func tlsServer(t *testing.T, cert tls.Certificate, maxVersion uint16) *httptest.Server {
	t.Helper()

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter,
		*http.Request) {
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: maxVersion}
	// Refused handshakes are the point of these tests, not news.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)

	return srv
}
