// Package deliveryrpc is the Delivery service: a gRPC server that stores an
// accepted message in PostgreSQL and, only after the commit, pushes its id to
// Redis; and the client the API uses to call it.
package deliveryrpc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/message"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/tracing"
)

// Service implements chis.delivery.v1.DeliveryService.
type Service struct {
	deliveryv1.UnimplementedDeliveryServiceServer

	store      *storage.Store
	queue      *queue.Queue
	clock      clock.Clock
	log        *slog.Logger
	maxPayload int
}

// NewService returns the service. maxPayload bounds one payload in bytes.
func NewService(store *storage.Store, q *queue.Queue, clk clock.Clock, log *slog.Logger,
	maxPayload int) *Service {
	return &Service{store: store, queue: q, clock: clk, log: log, maxPayload: maxPayload}
}

// QueueMessage stores the message, then pushes its id. A push that fails
// after the commit is not an error for the caller: the message is durable and
// the sweep will queue it.
func (s *Service) QueueMessage(ctx context.Context,
	req *deliveryv1.QueueMessageRequest) (*deliveryv1.QueueMessageResponse, error) {
	m, err := s.newMessage(req)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}

	// The worker's attempt joins this trace through the stored context.
	m.Traceparent = tracing.Traceparent(ctx)

	acc, err := s.store.InsertMessage(ctx, m)
	if err != nil {
		return nil, s.toStatus(ctx, err)
	}

	if !acc.Replayed {
		s.enqueue(ctx, acc.ID, m.OrgID)
	}

	return &deliveryv1.QueueMessageResponse{
		MessageId: acc.ID.String(),
		Status:    acc.State,
		Replayed:  acc.Replayed,
	}, nil
}

func (s *Service) newMessage(req *deliveryv1.QueueMessageRequest) (storage.NewMessage, error) {
	orgID, err := uuid.Parse(req.GetOrgId())
	if err != nil {
		return storage.NewMessage{}, errors.New("org_id is not a UUID")
	}

	method := strings.ToUpper(req.GetMethod())
	if method == "" {
		method = "POST"
	}

	if err := s.check(req, method); err != nil {
		return storage.NewMessage{}, err
	}

	return storage.NewMessage{
		OrgID:          orgID,
		URL:            req.GetUrl(),
		Method:         method,
		Payload:        req.GetPayload(),
		EventType:      req.GetEventType(),
		IdempotencyKey: req.GetIdempotencyKey(),
		RequestHash: message.RequestHash(req.GetUrl(), method, req.GetEventType(),
			req.GetPayload()),
		Now: s.clock.Now(),
	}, nil
}

func (s *Service) check(req *deliveryv1.QueueMessageRequest, method string) error {
	if err := message.CheckURL(req.GetUrl()); err != nil {
		return err
	}

	if !message.ValidMethod(method) {
		return fmt.Errorf("method %q is not allowed", method)
	}

	if len(req.GetEventType()) > message.MaxEventTypeLength ||
		message.CheckText(req.GetEventType()) != nil {
		return errors.New("event_type too long or has control characters")
	}

	if len(req.GetIdempotencyKey()) > message.MaxIdempotencyKey ||
		message.CheckText(req.GetIdempotencyKey()) != nil {
		return errors.New("idempotency_key too long or has control characters")
	}

	return message.CheckPayload(req.GetPayload(), s.maxPayload)
}

func (s *Service) enqueue(ctx context.Context, id, orgID uuid.UUID) {
	// The caller's deadline may be nearly spent; the push gets its own short
	// one so that a slow Redis delays the answer by a bounded time only.
	pushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()

	err := s.queue.Push(pushCtx, id)
	if err == nil {
		return
	}

	s.log.WarnContext(ctx, "push failed; the sweep will queue the message",
		telemetry.KeyMessageID, id, telemetry.KeyOrgID, orgID, telemetry.KeyError, err)

	if err := s.store.MarkUnqueued(pushCtx, id); err != nil {
		// Not fatal either: the sweep re-queues it after its requeue delay.
		s.log.WarnContext(ctx, "could not mark message unqueued",
			telemetry.KeyMessageID, id, telemetry.KeyError, err)
	}
}

// toStatus is the one table from domain errors to gRPC codes. Internal text
// never reaches the caller.
func (s *Service) toStatus(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, storage.ErrIdempotencyConflict):
		return status.Error(codes.AlreadyExists,
			"idempotency key already used for a different request")
	case errors.Is(err, storage.ErrInvalidText):
		return status.Error(codes.InvalidArgument, "a text field cannot be stored")
	case errors.Is(err, storage.ErrUnknownOrg):
		return status.Error(codes.InvalidArgument, "unknown organisation")
	case errors.Is(err, storage.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		s.log.WarnContext(ctx, "database unavailable", telemetry.KeyError, err)
		return status.Error(codes.Unavailable, "database unavailable")
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "request canceled")
	}

	s.log.ErrorContext(ctx, "queue message failed", telemetry.KeyError, err)

	return status.Error(codes.Internal, "internal error")
}
