package worker

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/outbound"
	"github.com/chis-dev/chis/shared/retry"
	"github.com/chis-dev/chis/shared/signing"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/tracing"
)

// hostWait is how long a message waits for a slot of its host before it is
// put off: long enough for a fast host's deliveries to finish, short enough
// that a hung host's messages do not hold the worker's slots.
const hostWait = 100 * time.Millisecond

// recordTries is how often a worker tries to record an attempt while the
// database is unreachable before it leaves the message to its lease.
const recordTries = 5

// deliver makes one attempt of message id, if the claim succeeds.
func (w *Worker) deliver(ctx context.Context, id uuid.UUID) {
	c, err := w.Store.Claim(ctx, id, w.Clock.Now(), w.Lease)
	if storage.IsNotFound(err) {
		// Someone else holds it, it is not due yet, or it is finished.
		return
	}

	if err != nil {
		w.Log.WarnContext(ctx, "claim failed; id put back", telemetry.KeyMessageID, id,
			telemetry.KeyError, err)
		sleep(ctx, pauseOnError)
		w.putBack(ctx, id)

		return
	}

	ctx, span := w.startAttempt(ctx, c)
	defer span.End()

	host := hostOf(c.URL)
	if !w.hosts.acquire(host, hostWait) {
		traceHandedBack(ctx, "deferred")
		w.deferBusy(ctx, c)

		return
	}
	attemptAt, res := w.send(ctx, c)
	w.hosts.release(host, res.Duration)
	if res.ErrorClass == outbound.ClassCanceled {
		traceHandedBack(ctx, "released")
		w.release(ctx, c, w.Clock.Now())

		return
	}

	w.finish(ctx, c, attemptAt, res)
}

// send signs and sends one attempt. The clock is read once: the same second
// is in the timestamp header and in the signed string.
func (w *Worker) send(ctx context.Context, c storage.Claimed) (time.Time, outbound.Result) {
	at := w.Clock.Now()
	ts := at.Unix()
	webhookID := "msg_" + c.ID.String()

	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(signing.HeaderID, webhookID)
	h.Set(signing.HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(signing.HeaderSignature, signing.Sign(c.SigningSecret, webhookID, ts, c.Payload))

	if c.EventType != "" {
		h.Set("X-Webhook-Event", c.EventType)
	}

	res := w.Sender.Do(ctx, outbound.Request{
		Method: c.Method, URL: c.URL, Header: h, Body: c.Payload,
	})

	return at, res
}

// finish records the attempt and what follows it, then schedules a retry.
func (w *Worker) finish(ctx context.Context, c storage.Claimed, at time.Time,
	res outbound.Result) {
	now := w.Clock.Now()
	d := w.Policy.Next(retry.Attempt{
		Number: c.Attempt, StatusCode: res.StatusCode, RetryAfter: res.RetryAfter,
	}, now)

	o := storage.Outcome{
		Attempt: storage.Attempt{
			ID: uuid.New(), MessageID: c.ID, OrgID: c.OrgID, Number: c.Attempt,
			StatusCode:   res.StatusCode,
			ResponseBody: string(res.Body), ResponseTruncated: res.Truncated,
			ErrorClass: res.ErrorClass, ErrorMessage: errorMessage(res),
			Duration: res.Duration, AttemptedAt: at,
		},
		State: d.Verdict, NextAttemptAt: d.At, FailureReason: d.Reason, Now: now,
	}

	if !w.record(ctx, c, o) {
		return
	}

	w.Metrics.observe(d.Verdict, res)
	traceOutcome(ctx, res, d)
	w.logAttempt(ctx, c, res, d)

	if d.Verdict == retry.Retry {
		w.schedule(ctx, c.ID, d.At)
	}
}

// errorMessage adds where a redirect pointed, so the tenant can fix the URL.
func errorMessage(res outbound.Result) string {
	if res.Location == "" {
		return res.ErrorMessage
	}

	return res.ErrorMessage + "; Location: " + res.Location
}

// record stores the outcome, trying again while the database is
// unavailable. It reports whether the outcome now stands.
func (w *Worker) record(ctx context.Context, c storage.Claimed, o storage.Outcome) bool {
	var err error

	for try := range recordTries {
		err = w.Store.Record(ctx, o)
		if err == nil {
			return true
		}

		if !errors.Is(err, storage.ErrUnavailable) {
			break
		}

		sleep(ctx, time.Duration(try+1)*pauseOnError)
	}

	switch {
	case errors.Is(err, storage.ErrFenced):
		w.Log.InfoContext(ctx, "attempt outlived its lease; a newer attempt stands",
			telemetry.KeyMessageID, c.ID, telemetry.KeyAttempt, c.Attempt)

		return false
	case storage.IsNotFound(err):
		w.Log.InfoContext(ctx, "message deleted during its attempt; nothing to record",
			telemetry.KeyMessageID, c.ID, telemetry.KeyAttempt, c.Attempt)

		return false
	}

	// The attempt happened but is not recorded: once the lease ends, the
	// sweep queues the message again (at least once, not exactly once).
	w.Log.ErrorContext(ctx, "could not record attempt", telemetry.KeyMessageID, c.ID,
		telemetry.KeyAttempt, c.Attempt, telemetry.KeyError, err)

	return false
}

func (w *Worker) schedule(ctx context.Context, id uuid.UUID, at time.Time) {
	if err := w.Queue.Schedule(ctx, id, at); err != nil {
		w.Log.WarnContext(ctx, "could not schedule retry; the sweep will queue it",
			telemetry.KeyMessageID, id, telemetry.KeyError, err)
	}
}

// release hands back a message whose attempt was cut by a shutdown, so the
// shutdown does not use up an attempt, and puts its id back in front.
func (w *Worker) release(ctx context.Context, c storage.Claimed, due time.Time) bool {
	if err := w.Store.Release(ctx, c.ID, c.Attempt, w.Clock.Now(), due); err != nil {
		w.Log.WarnContext(ctx, "could not release message; its lease will expire",
			telemetry.KeyMessageID, c.ID, telemetry.KeyError, err)

		return false
	}

	if !due.After(w.Clock.Now()) {
		w.putBack(ctx, c.ID)
	}

	return true
}

// deferBusy hands back a message whose host has every slot taken and
// schedules it a little later. No attempt is used; the host's slow answers
// hold only its own slots, never the whole worker.
func (w *Worker) deferBusy(ctx context.Context, c storage.Claimed) {
	due := w.Clock.Now().Add(w.HostBusyDelay)
	if !w.release(ctx, c, due) {
		return
	}

	w.Metrics.deferred.Inc()
	w.schedule(ctx, c.ID, due)
}

func (w *Worker) logAttempt(ctx context.Context, c storage.Claimed, res outbound.Result,
	d retry.Decision) {
	w.Log.DebugContext(ctx, "attempt",
		telemetry.KeyOrgID, c.OrgID,
		telemetry.KeyMessageID, c.ID,
		telemetry.KeyAttempt, c.Attempt,
		telemetry.KeyEndpointHost, telemetry.EndpointHost(c.URL),
		telemetry.KeyStatusCode, res.StatusCode,
		telemetry.KeyDurationMs, res.Duration.Milliseconds(),
		"error_class", res.ErrorClass,
		"outcome", d.Verdict,
		tracing.LogAttr(ctx))
}
