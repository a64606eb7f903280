package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
	"github.com/chis-dev/chis/shared/message"
)

// sendRequest keeps the payload as raw bytes: it is delivered exactly as
// sent, so it is never decoded into a map or re-encoded.
type sendRequest struct {
	URL       string          `json:"url"`
	Payload   json.RawMessage `json:"payload"`
	Method    string          `json:"method"`
	EventType string          `json:"eventType"`
}

type sendResponse struct {
	MessageID string `json:"messageId"`
	Status    string `json:"status"`
	Replayed  bool   `json:"replayed,omitempty"`
}

// deliveryTimeout bounds the call to Delivery, so that a database outage
// turns into a 503 within a few seconds instead of a hang.
const deliveryTimeout = 5 * time.Second

// sendEnvelope is room for the fields around the payload in a send body.
const sendEnvelope = 16 << 10

// send accepts one webhook. 201 means it is stored and will be delivered at
// least once; nothing is stored on any 4xx or 5xx.
func (s *server) send(w http.ResponseWriter, r *http.Request) {
	req, err := s.readSend(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), deliveryTimeout)
	defer cancel()

	resp, err := s.Delivery.QueueMessage(ctx, &deliveryv1.QueueMessageRequest{
		OrgId: orgID(r).String(), Url: req.URL, Method: req.Method, Payload: req.Payload,
		EventType: req.EventType, IdempotencyKey: r.Header.Get("Idempotency-Key"),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}

	status := http.StatusCreated
	if resp.GetReplayed() {
		// The first request's answer again; the header tells a client that
		// it is a replay and that no second message was made.
		w.Header().Set("Idempotent-Replayed", "true")
		status = http.StatusOK
	}

	writeJSON(w, status, sendResponse{
		MessageID: resp.GetMessageId(), Status: resp.GetStatus(), Replayed: resp.GetReplayed(),
	})
}

func (s *server) readSend(w http.ResponseWriter, r *http.Request) (sendRequest, error) {
	var req sendRequest

	body, err := readBody(w, r, int64(s.MaxPayload+sendEnvelope))
	if err != nil {
		return req, err
	}

	if err := unmarshal(body, &req); err != nil {
		return req, err
	}

	req.Method = strings.ToUpper(req.Method)
	if req.Method == "" {
		req.Method = "POST"
	}

	if err := s.checkSend(req, r.Header.Get("Idempotency-Key")); err != nil {
		return req, err
	}

	return req, nil
}

func (s *server) checkSend(req sendRequest, idemKey string) error {
	var details []FieldError

	if err := s.checkTarget(req.URL); err != nil {
		details = append(details, FieldError{Field: "url", Message: err.Error()})
	}

	if !message.ValidMethod(req.Method) {
		details = append(details, FieldError{Field: "method",
			Message: "must be one of: " + strings.Join(message.Methods, ", ")})
	}

	if err := checkLabel(req.EventType, message.MaxEventTypeLength); err != nil {
		details = append(details, FieldError{Field: "eventType", Message: err.Error()})
	}

	if err := checkLabel(idemKey, message.MaxIdempotencyKey); err != nil {
		details = append(details, FieldError{Field: "Idempotency-Key", Message: err.Error()})
	}

	err := message.CheckPayload(req.Payload, s.MaxPayload)
	switch {
	case errors.Is(err, message.ErrPayloadTooLarge):
		return errTooLarge
	case errors.Is(err, message.ErrPayloadMissing):
		details = append(details, FieldError{Field: "payload", Message: "is required"})
	case err != nil:
		return badRequest(err.Error())
	}

	if len(details) > 0 {
		return invalid(details...)
	}

	return nil
}

// checkLabel checks a short label: at most max bytes, no control
// characters (it travels in headers and text columns).
func checkLabel(v string, max int) error {
	if len(v) > max {
		return fmt.Errorf("must be at most %d bytes", max)
	}

	return message.CheckText(v)
}

func (s *server) checkTarget(raw string) error {
	if raw == "" {
		return errors.New("is required")
	}

	if err := message.CheckURL(raw); err != nil {
		return err
	}

	return s.Targets.CheckURL(raw)
}
