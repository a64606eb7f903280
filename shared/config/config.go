// Package config reads each binary's settings from the environment, once, into
// one struct per binary, and validates them at start. A setting that is missing
// or out of range stops the process with an error that names the variable.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Logging selects the log format and level of a binary.
type Logging struct {
	// Level is debug, info, warn or error.
	Level string `env:"CHIS_LOG_LEVEL" envDefault:"info"`
	// Format is json (deployments) or text (local runs).
	Format string `env:"CHIS_LOG_FORMAT" envDefault:"json"`
}

// Tracing turns OpenTelemetry traces on: they are exported over OTLP/HTTP when
// an endpoint is set, and off, at no cost, when none is. The SDK reads every
// other OTEL_* variable itself (headers, sampler, batch delay, service name).
type Tracing struct {
	// Endpoint is the collector's OTLP/HTTP base URL, such as
	// http://otel-collector:4318. Empty by default: no traces.
	Endpoint string `env:"OTEL_EXPORTER_OTLP_ENDPOINT"`
	// TracesEndpoint is the full URL for traces alone; it wins over Endpoint.
	TracesEndpoint string `env:"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"`
	// Disabled turns traces off even with an endpoint set.
	Disabled bool `env:"OTEL_SDK_DISABLED" envDefault:"false"`
}

// Enabled says whether spans are to be recorded and exported.
func (t Tracing) Enabled() bool {
	return !t.Disabled && (t.Endpoint != "" || t.TracesEndpoint != "")
}

// Postgres says where the source of truth lives.
type Postgres struct {
	// URL is a libpq connection string or URL.
	URL string `env:"DATABASE_URL,required,notEmpty"`
	// MaxConns bounds the connection pool of one process.
	MaxConns int32 `env:"CHIS_DB_MAX_CONNS" envDefault:"10"`
}

// Redis says where the queue hints live.
type Redis struct {
	// URL is a redis:// URL.
	URL string `env:"REDIS_URL,required,notEmpty"`
	// Prefix starts every key Chis writes, so that several installations (or
	// tests) can share one Redis.
	Prefix string `env:"CHIS_REDIS_PREFIX" envDefault:"chis"`
}

// Targets holds the operator's allow-list for delivery targets.
type Targets struct {
	// AllowCIDRs lists networks that are otherwise refused (loopback, private)
	// but allowed here, comma separated. Empty by default: only public
	// addresses are reached. Local development sets 127.0.0.0/8,::1/128.
	AllowCIDRs []string `env:"CHIS_TARGET_ALLOW_CIDRS"`
}

// Prefixes parses AllowCIDRs.
func (t Targets) Prefixes() ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(t.AllowCIDRs))
	for _, s := range t.AllowCIDRs {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("CHIS_TARGET_ALLOW_CIDRS: %w", err)
		}

		out = append(out, p.Masked())
	}

	return out, nil
}

// API configures the public HTTP function.
type API struct {
	Logging
	Tracing
	Postgres
	Redis
	Targets

	// Port is where the function listens; Knative sets it.
	Port string `env:"PORT" envDefault:"8080"`
	// Host is the address to bind; empty binds every interface.
	Host string `env:"HOST"`
	// JWTSecret signs dashboard tokens (HS256); at least 32 bytes.
	JWTSecret string `env:"JWT_SECRET,required,notEmpty"`
	// JWTTTL is how long a dashboard token stays valid.
	JWTTTL time.Duration `env:"CHIS_JWT_TTL" envDefault:"24h"`
	// DeliveryAddr is the host:port of the Delivery gRPC service.
	DeliveryAddr string `env:"DELIVERY_GRPC_ADDR" envDefault:"127.0.0.1:50051"`
	// InternalToken authenticates the API to Delivery.
	InternalToken string `env:"CHIS_INTERNAL_TOKEN,required,notEmpty"`
	// MaxPayloadBytes bounds the payload of one webhook; larger is a 413.
	MaxPayloadBytes int `env:"CHIS_MAX_PAYLOAD_BYTES" envDefault:"262144"`
	// ShutdownTimeout bounds how long in-flight requests may finish on SIGTERM.
	ShutdownTimeout time.Duration `env:"CHIS_SHUTDOWN_TIMEOUT" envDefault:"15s"`
	// PublicURL is where users reach the dashboard, for invitation links;
	// empty means the origin each request came to.
	PublicURL string `env:"CHIS_PUBLIC_URL"`
	// DashboardDir is the built dashboard (dashboard/dist), served at /;
	// empty serves the API alone.
	DashboardDir string `env:"CHIS_DASHBOARD_DIR"`
	// AuthRateLimit bounds sign-in and registration attempts per client
	// address and minute, against password guessing; 0 turns it off.
	AuthRateLimit int `env:"CHIS_AUTH_RATE_LIMIT" envDefault:"20"`
	// TrustedProxies are the networks whose X-Forwarded-For is believed when
	// telling clients apart. Knative's queue-proxy connects from loopback.
	TrustedProxies []string `env:"CHIS_TRUSTED_PROXIES" envDefault:"127.0.0.1/32,::1/128"`
}

// Delivery configures the gRPC service that stores and queues messages.
type Delivery struct {
	Logging
	Tracing
	Postgres
	Redis

	// Port serves gRPC (h2c) and HTTP/1.1 health and metrics on one listener.
	Port string `env:"PORT" envDefault:"50051"`
	// Host is the address to bind; empty binds every interface.
	Host string `env:"HOST"`
	// InternalToken is the token callers must present.
	InternalToken string `env:"CHIS_INTERNAL_TOKEN,required,notEmpty"`
	// MaxPayloadBytes bounds one payload, as at the API.
	MaxPayloadBytes int `env:"CHIS_MAX_PAYLOAD_BYTES" envDefault:"262144"`
	// ShutdownTimeout bounds how long in-flight calls may finish on SIGTERM.
	ShutdownTimeout time.Duration `env:"CHIS_SHUTDOWN_TIMEOUT" envDefault:"15s"`
}

// Worker configures a delivering process.
type Worker struct {
	Logging
	Tracing
	Postgres
	Redis
	Targets
	Retry

	// Port serves /health, /ready and /metrics.
	Port string `env:"PORT" envDefault:"8083"`
	// Host is the address to bind; empty binds every interface.
	Host string `env:"HOST"`
	// Concurrency is how many deliveries one process runs at once.
	Concurrency int `env:"CHIS_WORKER_CONCURRENCY" envDefault:"32"`
	// PerHost bounds the deliveries in flight to one host, so slow targets
	// cannot take every slot; 0 means no bound beyond Concurrency.
	PerHost int `env:"CHIS_PER_HOST_CONCURRENCY" envDefault:"8"`
	// HostBusyDelay is how long a message waits when its host is at its bound.
	HostBusyDelay time.Duration `env:"CHIS_HOST_BUSY_DELAY" envDefault:"1s"`
	// Timeout bounds one attempt: DNS, connect, TLS, headers and body.
	Timeout time.Duration `env:"CHIS_DELIVERY_TIMEOUT" envDefault:"10s"`
	// LeaseMargin is added to Timeout to make the lease a worker holds on a
	// message; another worker may take it over only after that.
	LeaseMargin time.Duration `env:"CHIS_LEASE_MARGIN" envDefault:"20s"`
	// MaxResponseBytes is how much of a response body is kept per attempt.
	MaxResponseBytes int `env:"CHIS_MAX_RESPONSE_BYTES" envDefault:"65536"`
}

// Retry is the retry policy the worker applies.
type Retry struct {
	// MaxAttempts is the number of attempts in all, the first included.
	MaxAttempts int `env:"CHIS_MAX_ATTEMPTS" envDefault:"5"`
	// Schedule is the wait after failed attempt 1, 2, ...; the last entry
	// repeats when there are more attempts than entries.
	Schedule []time.Duration `env:"CHIS_RETRY_SCHEDULE" envDefault:"1s,2s,4s,8s"`
	// Jitter spreads each wait by up to this fraction (0 to 1), either way.
	Jitter float64 `env:"CHIS_RETRY_JITTER" envDefault:"0"`
	// RetryAfterMax caps how far a receiver's Retry-After may push an attempt.
	RetryAfterMax time.Duration `env:"CHIS_RETRY_AFTER_MAX" envDefault:"1h"`
}

// Tick configures the sweep function.
type Tick struct {
	Logging
	Postgres
	Redis

	// Port is where the CloudEvent function listens.
	Port string `env:"PORT" envDefault:"8084"`
	// Host is the address to bind; empty binds every interface.
	Host string `env:"HOST"`
	// Batch is how many ids one sweep query takes.
	Batch int `env:"CHIS_SWEEP_BATCH" envDefault:"2000"`
	// Budget bounds the time one tick spends sweeping, so ticks stay short.
	Budget time.Duration `env:"CHIS_SWEEP_BUDGET" envDefault:"4s"`
	// RequeueAfter is how long a due message's id may sit in Redis before the
	// sweep pushes it again, in case Redis lost it.
	RequeueAfter time.Duration `env:"CHIS_SWEEP_REQUEUE_AFTER" envDefault:"30s"`
}

// Load reads the environment into cfg (a pointer to one of the structs above)
// and validates it. environ, when not nil, replaces the process environment,
// which lets tests build a configuration without touching global state.
func Load(cfg any, environ map[string]string) error {
	opts := env.Options{}
	if environ != nil {
		opts.Environment = environ
	}

	if err := env.ParseWithOptions(cfg, opts); err != nil {
		return fmt.Errorf("read configuration: %w", err)
	}

	if v, ok := cfg.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return fmt.Errorf("check configuration: %w", err)
		}
	}

	return nil
}

func (l Logging) validate() error {
	switch l.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("CHIS_LOG_LEVEL %q: want debug, info, warn or error", l.Level)
	}

	if l.Format != "json" && l.Format != "text" {
		return fmt.Errorf("CHIS_LOG_FORMAT %q: want json or text", l.Format)
	}

	return nil
}

func (c *API) validate() error {
	if len(c.JWTSecret) < 32 {
		return errors.New("JWT_SECRET: must be at least 32 bytes")
	}

	if c.MaxPayloadBytes < 1 {
		return errors.New("CHIS_MAX_PAYLOAD_BYTES: must be positive")
	}

	if c.AuthRateLimit < 0 {
		return errors.New("CHIS_AUTH_RATE_LIMIT: must not be negative")
	}

	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(strings.TrimSpace(p)); err != nil {
			return fmt.Errorf("CHIS_TRUSTED_PROXIES: %w", err)
		}
	}

	if _, err := c.Prefixes(); err != nil {
		return err
	}

	return c.Logging.validate()
}

func (c *Delivery) validate() error {
	if c.MaxPayloadBytes < 1 {
		return errors.New("CHIS_MAX_PAYLOAD_BYTES: must be positive")
	}

	return c.Logging.validate()
}

func (c *Worker) validate() error {
	switch {
	case c.Concurrency < 1:
		return errors.New("CHIS_WORKER_CONCURRENCY: must be at least 1")
	case c.PerHost < 0:
		return errors.New("CHIS_PER_HOST_CONCURRENCY: must not be negative")
	case c.HostBusyDelay < 10*time.Millisecond:
		return errors.New("CHIS_HOST_BUSY_DELAY: must be at least 10ms")
	case c.Timeout <= 0:
		return errors.New("CHIS_DELIVERY_TIMEOUT: must be positive")
	case c.LeaseMargin < time.Second:
		return errors.New("CHIS_LEASE_MARGIN: must be at least 1s")
	case c.MaxResponseBytes < 0:
		return errors.New("CHIS_MAX_RESPONSE_BYTES: must not be negative")
	}

	if _, err := c.Prefixes(); err != nil {
		return err
	}

	if err := c.Retry.validate(); err != nil {
		return err
	}

	return c.Logging.validate()
}

// Lease is how long a claim on a message lasts: longer than one attempt can
// take, so a live worker never loses its message to another.
func (c *Worker) Lease() time.Duration {
	return c.Timeout + c.LeaseMargin
}

func (r Retry) validate() error {
	switch {
	case r.MaxAttempts < 1:
		return errors.New("CHIS_MAX_ATTEMPTS: must be at least 1")
	case len(r.Schedule) == 0 && r.MaxAttempts > 1:
		return errors.New("CHIS_RETRY_SCHEDULE: needs at least one wait")
	case r.Jitter < 0 || r.Jitter > 1:
		return errors.New("CHIS_RETRY_JITTER: must be between 0 and 1")
	}

	for _, d := range r.Schedule {
		if d <= 0 {
			return errors.New("CHIS_RETRY_SCHEDULE: waits must be positive")
		}
	}

	return nil
}

func (c *Tick) validate() error {
	switch {
	case c.Batch < 1:
		return errors.New("CHIS_SWEEP_BATCH: must be at least 1")
	case c.Budget <= 0:
		return errors.New("CHIS_SWEEP_BUDGET: must be positive")
	case c.RequeueAfter < time.Second:
		return errors.New("CHIS_SWEEP_REQUEUE_AFTER: must be at least 1s")
	}

	return c.Logging.validate()
}
