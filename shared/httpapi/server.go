// Package httpapi is the public HTTP API of Chis: the tenant's webhook
// endpoint (API key), the dashboard's endpoints (JWT), and health. It
// validates input, answers errors as JSON {code, message, details}, and hands
// webhooks to the Delivery service.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/health"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
)

// TargetChecker refuses target URLs the worker would not be allowed to reach.
type TargetChecker interface {
	CheckURL(raw string) error
}

// Deps is what the API needs. Every field is required.
type Deps struct {
	Store      *storage.Store
	Queue      *queue.Queue
	Delivery   deliveryv1.DeliveryServiceClient
	Tokens     *auth.Tokens
	Targets    TargetChecker
	Clock      clock.Clock
	Log        *slog.Logger
	MaxPayload int
	// Ready lists the dependencies /ready checks.
	Ready []health.Check
	// Draining, when it returns true, makes /ready answer 503.
	Draining func() bool
	// Metrics serves /metrics; nil leaves the route out.
	Metrics http.Handler
	// PublicURL is where users reach the dashboard, for invitation links;
	// empty means the origin of the request.
	PublicURL string
	// DashboardDir holds the built dashboard, served at /; empty serves none.
	DashboardDir string
	// AuthRateLimit bounds sign-in and registration per client address and
	// minute; 0 turns the bound off.
	AuthRateLimit int
	// TrustedProxies are the networks whose X-Forwarded-For names the client.
	TrustedProxies []string
	// Registerer takes the API's own series; nil leaves them unregistered.
	Registerer prometheus.Registerer
}

type server struct {
	Deps
}

// New returns the API's handler.
func New(d Deps) http.Handler {
	s := &server{Deps: d}

	r := chi.NewRouter()
	r.Use(middleware.Recoverer, newHTTPMetrics(d.Registerer, d.Log).middleware, deadline)

	r.Get("/health", health.Live)
	r.Get("/ready", health.Ready(d.Ready, d.Draining))

	if d.Metrics != nil {
		r.Handle("/metrics", d.Metrics)
	}

	r.Group(func(r chi.Router) {
		r.Use(clientIP(d.TrustedProxies), s.authLimit())
		r.Post("/auth/register", s.register)
		r.Post("/auth/login", s.login)
	})

	r.With(s.apiKey).Post("/webhook/send", s.send)

	r.Route("/api", func(r chi.Router) {
		r.Use(s.session)

		r.Get("/me", s.me)
		r.Get("/orgs", s.listOrgs)
		r.Post("/orgs", s.createOrg)
		r.Get("/invitations/pending", s.pendingInvitations)
		r.Post("/invitations/accept", s.acceptInvitation)
		r.Post("/invitations/{id}/respond", s.respondInvitation)

		r.Group(func(r chi.Router) {
			r.Use(s.orgScope)
			s.orgRoutes(r)
		})
	})

	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, newError(http.StatusMethodNotAllowed, "method_not_allowed",
			"method not allowed on this route"))
	})

	return r
}

// requestTimeout bounds the work of one request, so that a database that
// hangs (rather than refusing connections) still turns into a 503 quickly.
const requestTimeout = 8 * time.Second

func deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()

		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// orgRoutes are the dashboard calls that act on one organisation.
func (s *server) orgRoutes(r chi.Router) {
	r.Get("/api-key/list", s.listKeys)
	r.Get("/dashboard/stats", s.stats)
	r.Get("/dashboard/timeseries", s.timeseries)
	r.Get("/webhook-logs", s.listLogs)
	r.Get("/webhook-logs/{id}", s.logDetail)
	r.Post("/webhook-logs/{id}/retry", s.retryLog)
	r.Get("/members", s.members)

	r.Group(func(r chi.Router) {
		r.Use(adminOnly)

		r.Post("/api-key/create", s.createKey)
		r.Delete("/api-key/{id}", s.revokeKey)
		r.Get("/org/signing-secret", s.signingSecret)
		r.Post("/org/signing-secret/rotate", s.rotateSecret)
		r.Delete("/org", s.deleteOrg)
		r.Post("/invitations/", s.invite)
		r.Post("/invitations", s.invite)
		r.Get("/invitations/", s.listInvitations)
		r.Get("/invitations", s.listInvitations)
		r.Delete("/invitations/{id}", s.cancelInvitation)
	})
}

// fail answers with the translation of err.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, toError(r.Context(), s.Log, err))
}
