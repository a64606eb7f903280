package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
)

// Error is what a client sees: a stable code, a readable message and, for
// validation errors, one entry per field. It never holds internal text.
type Error struct {
	Status  int          `json:"-"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Details []FieldError `json:"details,omitempty"`
}

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

func newError(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

func badRequest(msg string) *Error {
	return newError(http.StatusBadRequest, "bad_request", msg)
}

func invalid(details ...FieldError) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed",
		Message: "the request is not valid", Details: details}
}

func notFound(what string) *Error {
	return newError(http.StatusNotFound, "not_found", what+" not found")
}

var (
	errUnauthorized = newError(http.StatusUnauthorized, "unauthorized",
		"missing or invalid credentials")
	errForbidden = newError(http.StatusForbidden, "forbidden",
		"this needs the admin role in the organisation")
	errTooLarge = newError(http.StatusRequestEntityTooLarge, "payload_too_large",
		"the request body is too large")
	errUnavailable = newError(http.StatusServiceUnavailable, "unavailable",
		"a backing service is unavailable; try again shortly")
	errInternal = newError(http.StatusInternalServerError, "internal",
		"internal error")
)

// toError is the one table from domain errors to HTTP answers. Anything it
// does not know is a bug: logged here, once, and answered 500.
func toError(ctx context.Context, log *slog.Logger, err error) *Error {
	var e *Error

	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, auth.ErrInvalidCredentials):
		return errUnauthorized
	case errors.Is(err, storage.ErrAlreadyMember):
		return newError(http.StatusConflict, "conflict", "already a member of this organisation")
	case errors.Is(err, storage.ErrAlreadyInvited):
		return newError(http.StatusConflict, "conflict",
			"that e-mail already has a pending invitation; cancel it to send a new one")
	case errors.Is(err, storage.ErrEmailTaken):
		return newError(http.StatusConflict, "conflict", "that e-mail is already registered")
	case errors.Is(err, storage.ErrInvalidText):
		return badRequest("a text field holds characters that cannot be stored")
	case errors.Is(err, storage.ErrIdempotencyConflict):
		return idempotencyConflict()
	case errors.Is(err, storage.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		log.WarnContext(ctx, "backing store unavailable", telemetry.KeyError, err)
		return errUnavailable
	}

	if e := fromStatus(ctx, log, err); e != nil {
		return e
	}

	log.ErrorContext(ctx, "unexpected error", telemetry.KeyError, err)

	return errInternal
}

func idempotencyConflict() *Error {
	return newError(http.StatusConflict, "idempotency_conflict",
		"this Idempotency-Key was already used for a different request")
}

// fromStatus translates the answers of the Delivery service.
func fromStatus(ctx context.Context, log *slog.Logger, err error) *Error {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}

	switch st.Code() {
	case codes.InvalidArgument:
		return badRequest(st.Message())
	case codes.AlreadyExists:
		return idempotencyConflict()
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted:
		log.WarnContext(ctx, "delivery service unavailable", telemetry.KeyError, err)
		return errUnavailable
	case codes.Canceled:
		return newError(499, "canceled", "request canceled")
	case codes.Unauthenticated:
		// The API's own token is wrong: an operator error, not the client's.
		log.ErrorContext(ctx, "delivery refused the internal token", telemetry.KeyError, err)
		return errUnavailable
	}

	return nil
}
