package outbound

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
)

// phase is how far an attempt got, used to say where a timeout struck and
// to tell TLS handshake failures from other errors without reading error
// text.
type phase int

const (
	phaseStart phase = iota
	phaseDNS
	phaseConnect
	phaseTLS
	phaseRequest
	phaseHeaders
)

// doing words each phase for timeout messages.
var doing = map[phase]string{
	phaseStart:   "before connecting",
	phaseDNS:     "resolving the host",
	phaseConnect: "connecting",
	phaseTLS:     "during the TLS handshake",
	phaseRequest: "sending the request",
	phaseHeaders: "waiting for the response",
}

// progress records the phases of one attempt. The transport may call the
// hooks from several goroutines (parallel dials), so it locks.
type progress struct {
	mu     sync.Mutex
	at     phase
	tlsErr error
}

// reach moves the attempt forward to p; phases never go back.
func (p *progress) reach(next phase) {
	p.mu.Lock()
	defer p.mu.Unlock()

	p.at = max(p.at, next)
}

// handshakeDone keeps the first TLS handshake error.
func (p *progress) handshakeDone(_ tls.ConnectionState, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	if p.tlsErr == nil {
		p.tlsErr = err
	}
}

// state returns the phase reached and the TLS handshake error, if any.
func (p *progress) state() (phase, error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	return p.at, p.tlsErr
}

// trace hooks progress into the transport.
func (p *progress) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { p.reach(phaseDNS) },
		ConnectStart:      func(string, string) { p.reach(phaseConnect) },
		TLSHandshakeStart: func() { p.reach(phaseTLS) },
		TLSHandshakeDone:  p.handshakeDone,
		GotConn:           func(httptrace.GotConnInfo) { p.reach(phaseRequest) },
		WroteRequest:      func(httptrace.WroteRequestInfo) { p.reach(phaseHeaders) },
	}
}
