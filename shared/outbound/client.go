// Package outbound is the HTTP client that delivers webhooks to tenants'
// endpoints.
//
// It is hardened for targets that misbehave: one deadline covers the whole
// attempt (DNS, connect, TLS, headers and body), redirects are never
// followed, at most a fixed number of body bytes is read and kept, TLS is
// always verified, connections to blocked addresses are refused at connect
// time by a guard.Guard, and environment proxies are ignored because a
// proxy would connect on the client's behalf, out of the guard's reach.
//
// Do never returns an error: every outcome is a Result whose ErrorClass is
// one of the Class constants, chosen by error types, never by error text.
//
// Userinfo in a target URL is sent as HTTP Basic credentials, as net/http
// does; it never appears in a Result.
package outbound

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"

	"github.com/chis-dev/chis/shared/guard"
)

// Defaults for the zero values of Options.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 64 << 10
	DefaultUserAgent        = "Chis"
	DefaultMaxConnsPerHost  = 16
)

// successBodyWait is how long a 2xx response may keep sending its body for
// the log. The attempt has already succeeded when the status line arrived;
// waiting out a slow or endless stream would only hold a worker.
const successBodyWait = time.Second

// Options configures a Client. Zero values take the defaults above.
type Options struct {
	// Timeout bounds the whole attempt: DNS, connect, TLS, headers and body
	// read. Default 10s.
	Timeout time.Duration
	// MaxResponseBytes is how much of a response body is kept. Default 64 KiB.
	MaxResponseBytes int
	// UserAgent is sent on every request, "Chis/<version>". Default "Chis".
	UserAgent string
	// Guard refuses blocked targets before and at connect time. Nil turns
	// both checks off, which only tests should do.
	Guard *guard.Guard
	// MaxConnsPerHost bounds the connections to one host, dialing, active
	// and idle together; further requests wait. Default 16.
	MaxConnsPerHost int
	// RootCAs verifies servers. Nil means the system roots.
	RootCAs *x509.CertPool
	// Resolver resolves target names. Nil means net.DefaultResolver; tests
	// inject one that asks a local DNS server.
	Resolver *net.Resolver
}

// withDefaults fills the zero and negative fields.
func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}

	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}

	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}

	if o.MaxConnsPerHost <= 0 {
		o.MaxConnsPerHost = DefaultMaxConnsPerHost
	}

	return o
}

// Client delivers requests with a shared, bounded connection pool. It is safe
// for concurrent use; make one per process.
type Client struct {
	opts      Options
	transport *http.Transport
	http      *http.Client
}

// New returns a Client for opts.
func New(opts Options) *Client {
	opts = opts.withDefaults()
	transport := newTransport(opts)

	return &Client{
		opts:      opts,
		transport: transport,
		http: &http.Client{
			Transport: transport,
			// The 3xx itself is the result; its target is never contacted.
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
}

// newTransport builds the pooled transport: guarded dialer, no proxy,
// verified TLS 1.2 or later, bounded connections per host.
func newTransport(opts Options) *http.Transport {
	dialer := &net.Dialer{Timeout: opts.Timeout, Resolver: opts.Resolver}
	if opts.Guard != nil {
		dialer.Control = opts.Guard.Control
	}

	return &http.Transport{
		// Never from the environment: a proxy would dial the target itself,
		// out of the guard's reach.
		Proxy:       nil,
		DialContext: dialer.DialContext,
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			RootCAs:    opts.RootCAs,
		},
		// No TLSHandshakeTimeout: the attempt deadline covers the handshake,
		// and a second timer racing it would only blur the error.
		ForceAttemptHTTP2: true,
		// The body is kept as the receiver sent it, for the log; inflating
		// gzip only to cut it at the cap would waste a worker's time.
		DisableCompression:     true,
		MaxConnsPerHost:        opts.MaxConnsPerHost,
		MaxIdleConnsPerHost:    opts.MaxConnsPerHost,
		MaxIdleConns:           256,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
}

// CloseIdleConnections closes pooled connections that are not in use, as a
// worker does on shutdown.
func (c *Client) CloseIdleConnections() {
	c.transport.CloseIdleConnections()
}

// Do sends one attempt and reports its outcome. It never follows redirects
// and never returns later than Options.Timeout after it started, body read
// included. A cancelled ctx ends the attempt with ClassCanceled.
func (c *Client) Do(ctx context.Context, r Request) Result {
	start := time.Now()

	res := c.attempt(ctx, r, start)
	res.ErrorMessage = redact(res.ErrorMessage, r.URL)
	res.Duration = time.Since(start)

	return res
}

// attempt runs the checks, the round trip and the body read under one
// deadline.
func (c *Client) attempt(ctx context.Context, r Request, start time.Time) Result {
	if f, ok := c.precheck(r.URL); !ok {
		return Result{ErrorClass: f.class, ErrorMessage: f.message}
	}

	attemptCtx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()

	// The request gets its own cancel so a 2xx body read can be cut short
	// without touching the attempt's deadline.
	reqCtx, stop := context.WithCancel(attemptCtx)
	defer stop()

	var p progress
	req, err := c.newRequest(httptrace.WithClientTrace(reqCtx, p.trace()), r)
	if err != nil {
		return Result{ErrorClass: ClassInvalid,
			ErrorMessage: "the request cannot be built: " + innerText(err)}
	}

	resp, err := c.http.Do(req)
	if err != nil {
		f := classify(ctx, attemptCtx, err, &p, time.Since(start))

		return Result{ErrorClass: f.class, ErrorMessage: f.message}
	}

	return c.readResponse(resp, stop)
}

// precheck refuses what no connection should be opened for: URLs that are
// not absolute http or https, and, with a guard, targets CheckURL refuses.
func (c *Client) precheck(rawURL string) (failure, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return failure{ClassInvalid, "the target must be an absolute http or https URL"}, false
	}

	if c.opts.Guard == nil {
		return failure{}, true
	}

	if err := c.opts.Guard.CheckURL(rawURL); err != nil {
		if errors.Is(err, guard.ErrInvalidURL) || errors.Is(err, guard.ErrScheme) {
			return failure{ClassInvalid, err.Error()}, false
		}

		return failure{ClassBlocked, err.Error()}, false
	}

	return failure{}, true
}

// newRequest builds the HTTP request: POST by default, the caller's headers
// and the client's User-Agent.
func (c *Client) newRequest(ctx context.Context, r Request) (*http.Request, error) {
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}

	req, err := http.NewRequestWithContext(ctx, method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}

	if r.Header != nil {
		req.Header = r.Header.Clone()
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)

	return req, nil
}

// readResponse turns a response into a Result. The status decides the
// outcome; the body is read for the log only, under the attempt deadline,
// or for at most successBodyWait once a 2xx has already succeeded.
func (c *Client) readResponse(resp *http.Response, stop context.CancelFunc) Result {
	defer resp.Body.Close()

	res := Result{StatusCode: resp.StatusCode}
	if success(resp.StatusCode) {
		timer := time.AfterFunc(successBodyWait, stop)
		defer timer.Stop()
	}

	res.Body, res.Truncated = readBody(resp, c.opts.MaxResponseBytes)

	switch code := resp.StatusCode; {
	case success(code):
	case code >= 300 && code < 400:
		res.ErrorClass, res.ErrorMessage = ClassRedirect, statusMessage(code)
		res.Location = redirectTarget(resp)
	default:
		res.ErrorClass, res.ErrorMessage = ClassHTTP, statusMessage(code)
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			res.RetryAfter = retryAfter(resp.Header, time.Now())
		}
	}

	return res
}

// success reports whether a status counts as delivered.
func success(code int) bool {
	return code >= 200 && code < 300
}
