// Package telemetry sets up logging and metrics the same way in every binary.
//
// Logs are slog records with a fixed key vocabulary (the Key* constants), JSON
// outside local runs. Secrets never reach them: URLs are logged as their host
// only (EndpointHost), and API keys, tokens and payloads are never logged.
package telemetry

import (
	"io"
	"log/slog"
	"net/url"

	"github.com/chis-dev/chis/shared/config"
)

// The log keys Chis uses; no other keys name these things.
const (
	KeyOrgID        = "org_id"
	KeyMessageID    = "message_id"
	KeyAttempt      = "attempt"
	KeyEndpointHost = "endpoint_host"
	KeyStatusCode   = "status_code"
	KeyDurationMs   = "duration_ms"
	KeyError        = "error"
	KeyComponent    = "component"
	// KeyTraceID ties a line to its trace; only present while tracing is on.
	KeyTraceID = "trace_id"
)

// NewLogger returns a logger writing to w in the configured format and level,
// with every record tagged with the component's name.
func NewLogger(w io.Writer, cfg config.Logging, component string) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level)) // validated at start

	opts := &slog.HandlerOptions{Level: level}

	var h slog.Handler
	if cfg.Format == "text" {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}

	return slog.New(h).With(KeyComponent, component)
}

// EndpointHost returns the host of a target URL, the only part of it that may
// be logged: user info, path and query can hold the tenant's secrets.
func EndpointHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "invalid"
	}

	return u.Hostname()
}
