package httpapi

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/message"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
)

type statsResponse struct {
	TotalWebhooksSent   int            `json:"totalWebhooksSent"`
	TotalWebhooksFailed int            `json:"totalWebhooksFailed"`
	TotalWebhooksQueued int            `json:"totalWebhooksQueued"`
	SuccessRate         float64        `json:"successRate"`
	ByState             map[string]int `json:"byState"`
}

// stats counts messages: sent are delivered successfully, queued are not yet
// final, and the success rate (percent, two decimals) is over final ones.
func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	counts, err := s.Store.Stats(r.Context(), orgID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}

	resp := statsResponse{
		TotalWebhooksSent:   counts[storage.StateSuccess],
		TotalWebhooksFailed: counts[storage.StateFailed],
		TotalWebhooksQueued: counts[storage.StatePending] + counts[storage.StateRetry] +
			counts[storage.StateDelivering],
		ByState: counts,
	}

	if final := resp.TotalWebhooksSent + resp.TotalWebhooksFailed; final > 0 {
		rate := 100 * float64(resp.TotalWebhooksSent) / float64(final)
		resp.SuccessRate = math.Round(rate*100) / 100
	}

	writeJSON(w, http.StatusOK, resp)
}

type logRow struct {
	ID             uuid.UUID  `json:"id"`
	Endpoint       string     `json:"endpoint"`
	Status         string     `json:"status"`
	StatusCode     *int       `json:"statusCode"`
	EventType      string     `json:"eventType"`
	Method         string     `json:"method"`
	AttemptCount   int        `json:"attemptCount"`
	AttemptedAt    *time.Time `json:"attemptedAt"`
	ResponseTimeMs *int       `json:"responseTimeMs"`
	CreatedAt      time.Time  `json:"createdAt"`
}

type logPage struct {
	Data       []logRow `json:"data"`
	Total      int      `json:"total"`
	Page       int      `json:"page"`
	Limit      int      `json:"limit"`
	TotalPages int      `json:"totalPages"`
}

func (s *server) listLogs(w http.ResponseWriter, r *http.Request) {
	f, page, err := logQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	rows, total, err := s.Store.ListMessages(r.Context(), orgID(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := logPage{Data: make([]logRow, len(rows)), Total: total, Page: page, Limit: f.Limit,
		TotalPages: (total + f.Limit - 1) / f.Limit}
	for i, m := range rows {
		out.Data[i] = logRow{
			ID: m.ID, Endpoint: m.URL, Status: m.State, StatusCode: m.LastStatusCode,
			EventType: m.EventType, Method: m.Method, AttemptCount: m.AttemptCount,
			AttemptedAt: utcPtr(m.LastAttemptAt), ResponseTimeMs: m.LastDurationMs,
			CreatedAt: m.CreatedAt.UTC(),
		}
	}

	writeJSON(w, http.StatusOK, out)
}

// logQuery reads status, search, page and limit; bad values are a 422.
func logQuery(r *http.Request) (storage.LogFilter, int, error) {
	q := r.URL.Query()
	f := storage.LogFilter{State: q.Get("status"), Search: q.Get("search"), Limit: 20}
	page := 1

	var details []FieldError
	if len(f.Search) > message.MaxURLLength || message.CheckText(f.Search) != nil {
		details = append(details, FieldError{Field: "search",
			Message: "must be short text without control characters"})
	}

	if f.State != "" && !slices.Contains(storage.States, f.State) {
		details = append(details, FieldError{Field: "status",
			Message: "must be one of: " + strings.Join(storage.States, ", ")})
	}

	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			details = append(details, FieldError{Field: "page",
				Message: "must be from 1 to 1000000"})
		}

		page = n
	}

	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			details = append(details, FieldError{Field: "limit",
				Message: "must be from 1 to 100"})
		}

		f.Limit = n
	}

	details = append(details, timeBound(q.Get("from"), "from", &f.From)...)
	details = append(details, timeBound(q.Get("to"), "to", &f.To)...)

	if len(details) > 0 {
		return f, 0, invalid(details...)
	}

	f.Offset = (page - 1) * f.Limit

	return f, page, nil
}

func timeBound(v, field string, dst *time.Time) []FieldError {
	if v == "" {
		return nil
	}

	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return []FieldError{{Field: field, Message: "must be an RFC 3339 time"}}
	}

	*dst = t

	return nil
}

type attemptResponse struct {
	ID                uuid.UUID `json:"id"`
	AttemptNumber     int       `json:"attemptNumber"`
	StatusCode        *int      `json:"statusCode"`
	ResponseBody      string    `json:"responseBody"`
	ResponseTruncated bool      `json:"responseTruncated"`
	ErrorClass        string    `json:"errorClass"`
	ErrorMessage      string    `json:"errorMessage"`
	DurationMs        int64     `json:"durationMs"`
	AttemptedAt       time.Time `json:"attemptedAt"`
}

type detailResponse struct {
	ID      uuid.UUID       `json:"id"`
	Method  string          `json:"method"`
	URL     string          `json:"url"`
	Status  string          `json:"status"`
	Payload json.RawMessage `json:"payload"`
	// PayloadText is the payload's bytes exactly as sent, since JSON
	// encoding of payload compacts its spacing.
	PayloadText      string            `json:"payloadText"`
	EventType        string            `json:"eventType"`
	AttemptCount     int               `json:"attemptCount"`
	FailureReason    string            `json:"failureReason,omitempty"`
	CreatedAt        time.Time         `json:"createdAt"`
	UpdatedAt        time.Time         `json:"updatedAt"`
	NextRetryAt      *time.Time        `json:"nextRetryAt"`
	DeliveryAttempts []attemptResponse `json:"deliveryAttempts"`
}

// logDetail shows one message with every attempt. The id may be given as
// the UUID or as the "msg_<uuid>" that deliveries carry.
func (s *server) logDetail(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(strings.TrimPrefix(chi.URLParam(r, "id"), "msg_"))
	if err != nil {
		writeError(w, notFound("message"))
		return
	}

	d, err := s.Store.Message(r.Context(), orgID(r), id)
	if storage.IsNotFound(err) {
		writeError(w, notFound("message"))
		return
	}

	if err != nil {
		s.fail(w, r, err)
		return
	}

	writeJSON(w, http.StatusOK, toDetail(d))
}

func toDetail(d storage.MessageDetail) detailResponse {
	out := detailResponse{
		ID: d.ID, Method: d.Method, URL: d.URL, Status: d.State,
		Payload: json.RawMessage(d.Payload), PayloadText: string(d.Payload),
		EventType:    d.EventType,
		AttemptCount: d.AttemptCount, FailureReason: d.FailureReason,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		DeliveryAttempts: make([]attemptResponse, len(d.Attempts)),
	}

	if d.State == storage.StateRetry || d.State == storage.StatePending {
		out.NextRetryAt = utcPtr(d.NextAttemptAt)
	}

	for i, a := range d.Attempts {
		out.DeliveryAttempts[i] = attemptResponse{
			ID: a.ID, AttemptNumber: a.Number, StatusCode: nullableCode(a.StatusCode),
			ResponseBody: a.ResponseBody, ResponseTruncated: a.ResponseTruncated,
			ErrorClass: a.ErrorClass, ErrorMessage: a.ErrorMessage,
			DurationMs: a.Duration.Milliseconds(), AttemptedAt: a.AttemptedAt.UTC(),
		}
	}

	return out
}

func nullableCode(c int) *int {
	if c == 0 {
		return nil
	}

	return &c
}

type retryResponse struct {
	ID     uuid.UUID `json:"id"`
	Status string    `json:"status"`
}

// retryLog makes a failed message due at once, for one more attempt with the
// same id. The push is a hint: if Redis is down, the sweep queues it.
func (s *server) retryLog(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(strings.TrimPrefix(chi.URLParam(r, "id"), "msg_"))
	if err != nil {
		writeError(w, notFound("message"))
		return
	}

	err = s.Store.RetryNow(r.Context(), orgID(r), id, s.Clock.Now())
	switch {
	case storage.IsNotFound(err):
		writeError(w, notFound("message"))
		return
	case errors.Is(err, storage.ErrNotRetryable):
		writeError(w, newError(http.StatusConflict, "conflict",
			"only a failed message can be retried"))

		return
	case err != nil:
		s.fail(w, r, err)
		return
	}

	if err := s.Queue.Push(r.Context(), id); err != nil {
		s.Log.WarnContext(r.Context(), "push failed; the sweep will queue the message",
			telemetry.KeyMessageID, id, telemetry.KeyError, err)
	}

	writeJSON(w, http.StatusAccepted, retryResponse{ID: id, Status: storage.StatePending})
}

// windows are the time-series spans the overview offers, with their buckets.
var windows = map[string]struct{ span, bucket time.Duration }{
	"1h":  {time.Hour, time.Minute},
	"24h": {24 * time.Hour, 30 * time.Minute},
	"7d":  {7 * 24 * time.Hour, 6 * time.Hour},
}

type seriesPoint struct {
	Time    time.Time `json:"time"`
	Success int       `json:"success"`
	Failed  int       `json:"failed"`
	Retried int       `json:"retried"`
	P50Ms   *float64  `json:"p50Ms"`
	P95Ms   *float64  `json:"p95Ms"`
	P99Ms   *float64  `json:"p99Ms"`
}

type seriesResponse struct {
	Window        string        `json:"window"`
	BucketSeconds int           `json:"bucketSeconds"`
	Points        []seriesPoint `json:"points"`
}

// timeseries counts attempts by outcome over a window, with latency
// percentiles, for the overview chart.
func (s *server) timeseries(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("window")
	if name == "" {
		name = "24h"
	}

	win, ok := windows[name]
	if !ok {
		s.fail(w, r, invalid(FieldError{Field: "window", Message: "must be one of: 1h, 24h, 7d"}))
		return
	}

	to := s.Clock.Now().Truncate(win.bucket).Add(win.bucket)
	points, err := s.Store.Series(r.Context(), orgID(r), to.Add(-win.span), to, win.bucket)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := seriesResponse{Window: name, BucketSeconds: int(win.bucket.Seconds()),
		Points: make([]seriesPoint, len(points))}
	for i, p := range points {
		out.Points[i] = seriesPoint{Time: p.Time.UTC(), Success: p.Success, Failed: p.Failed,
			Retried: p.Retried, P50Ms: p.P50Ms, P95Ms: p.P95Ms, P99Ms: p.P99Ms}
	}

	writeJSON(w, http.StatusOK, out)
}
