package outbound

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/chis-dev/chis/shared/guard"
)

// failure is a classified error: a Class constant and a message for people.
type failure struct {
	class   string
	message string
}

// classify names the error of an attempt that got no response. It goes by
// error types and the attempt's own state, never by error text: the caller's
// context first (shutdown, deadline), then the guard, DNS, other timeouts,
// TLS and socket errors, then anything else.
func classify(parent, attempt context.Context, err error, p *progress,
	elapsed time.Duration) failure {
	at, tlsErr := p.state()

	switch {
	case errors.Is(parent.Err(), context.Canceled):
		return failure{ClassCanceled, "the attempt was cancelled before it finished"}
	case errors.Is(attempt.Err(), context.DeadlineExceeded):
		return timedOut(at, elapsed)
	case errors.Is(err, guard.ErrBlockedAddress):
		return failure{ClassBlocked, guardMessage(err)}
	}

	if f, ok := classifyDNS(err); ok {
		return f
	}

	if isTimeout(err) || isTimeout(tlsErr) {
		return timedOut(at, elapsed)
	}

	if f, ok := classifyTLS(err, tlsErr); ok {
		return f
	}

	return classifySocket(err, at)
}

// isTimeout reports whether err is a network timeout other than the
// attempt's own deadline, such as a socket or handshake timer.
func isTimeout(err error) bool {
	var netErr net.Error

	return errors.As(err, &netErr) && netErr.Timeout()
}

// timedOut words a timeout with the phase it struck in.
func timedOut(at phase, elapsed time.Duration) failure {
	msg := fmt.Sprintf("timed out after %s %s", elapsed.Round(time.Millisecond), doing[at])

	return failure{ClassTimeout, msg}
}

// guardMessage returns the text of the guard's own error, which names the
// refused address and why, without the layers the dialer put around it.
func guardMessage(err error) string {
	for {
		inner := errors.Unwrap(err)
		// Identity, not errors.Is: the loop walks the chain itself and stops
		// at the layer just above the sentinel.
		if inner == nil || inner == guard.ErrBlockedAddress || //nolint:errorlint // see above
			!errors.Is(inner, guard.ErrBlockedAddress) {
			return err.Error()
		}

		err = inner
	}
}

// classifyDNS recognises resolver failures.
func classifyDNS(err error) (failure, bool) {
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		return failure{}, false
	}

	switch {
	case dnsErr.IsNotFound:
		return failure{ClassDNS, fmt.Sprintf("no such host %q", dnsErr.Name)}, true
	case dnsErr.IsTimeout:
		return failure{ClassDNS, fmt.Sprintf("dns lookup of %q timed out", dnsErr.Name)}, true
	default:
		msg := fmt.Sprintf("dns lookup of %q failed: %s", dnsErr.Name, dnsErr.Err)

		return failure{ClassDNS, msg}, true
	}
}

// classifyTLS recognises certificate and handshake failures, from the error
// itself or from the handshake error the trace saw: the transport replaces
// some handshake errors with its own plain ones.
func classifyTLS(err, handshakeErr error) (failure, bool) {
	err = errors.Join(err, handshakeErr)

	var (
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		unknownErr x509.UnknownAuthorityError
		headerErr  tls.RecordHeaderError
	)

	switch {
	case errors.As(err, &hostErr):
		return failure{ClassTLS, fmt.Sprintf("tls: the certificate is not valid for %s",
			hostErr.Host)}, true
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return failure{ClassTLS, "tls: the certificate has expired or is not yet valid"}, true
	case errors.As(err, &invalidErr):
		return failure{ClassTLS, "tls: the certificate chain is invalid"}, true
	case errors.As(err, &unknownErr):
		return failure{ClassTLS, "tls: the certificate is signed by an unknown authority " +
			"(self-signed, or an intermediate is missing)"}, true
	case errors.As(err, &headerErr):
		return failure{ClassTLS, "tls: the receiver did not answer with TLS"}, true
	case handshakeErr != nil:
		return failure{ClassTLS, "tls: handshake failed: " + handshakeErr.Error()}, true
	}

	return failure{}, false
}

// classifySocket recognises refused and reset connections; whatever is left
// is ClassNetwork.
func classifySocket(err error, at phase) failure {
	var opErr *net.OpError

	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return failure{ClassRefused, "connection refused" + peer(err)}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNABORTED):
		return failure{ClassReset, "connection reset" + peer(err)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return failure{ClassNetwork, "the receiver closed the connection without answering"}
	case errors.As(err, &opErr):
		return failure{ClassNetwork, fmt.Sprintf("network error while %s: %v",
			doing[at], opErr.Err)}
	default:
		return failure{ClassNetwork, "request failed: " + innerText(err)}
	}
}

// peer names the remote address of a socket error, when it is known.
func peer(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Addr != nil {
		return " by " + opErr.Addr.String()
	}

	return ""
}

// innerText is the error text without the *url.Error wrapper, whose text
// quotes the whole request URL.
func innerText(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}

	const maxLen = 200
	text := err.Error()
	if len(text) > maxLen {
		text = text[:maxLen] + "…"
	}

	return strings.ToValidUTF8(text, "\uFFFD")
}
