// Package message holds the rules for what a webhook message may be, shared
// by the API (which answers with field errors) and Delivery (which checks
// again, since it trusts no caller's input).
package message

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"unicode"
	"unicode/utf8"
)

// Limits on the parts of a message.
const (
	MaxURLLength       = 2048
	MaxEventTypeLength = 255
	MaxIdempotencyKey  = 255
)

// Payload errors.
var (
	ErrPayloadMissing  = errors.New("payload is required")
	ErrPayloadTooLarge = errors.New("payload too large")
	ErrPayloadInvalid  = errors.New("payload is not valid JSON")
	ErrPayloadEncoding = errors.New("payload is not valid UTF-8")
)

// Methods lists the HTTP methods a delivery may use.
var Methods = []string{"POST", "PUT", "PATCH", "DELETE"}

// ValidMethod reports whether m is one of Methods.
func ValidMethod(m string) bool {
	for _, v := range Methods {
		if v == m {
			return true
		}
	}

	return false
}

// CheckPayload checks the payload's raw bytes: present, at most max bytes,
// valid UTF-8 and one valid JSON value. The bytes are never re-encoded, so
// checking is all that happens to them.
func CheckPayload(p []byte, max int) error {
	switch {
	case len(bytes.TrimSpace(p)) == 0:
		return ErrPayloadMissing
	case len(p) > max:
		return ErrPayloadTooLarge
	case !utf8.Valid(p):
		// encoding/json accepts invalid UTF-8 inside strings; receivers and
		// PostgreSQL text columns do not, so it is refused here.
		return ErrPayloadEncoding
	case !json.Valid(p):
		return ErrPayloadInvalid
	}

	return nil
}

// CheckURL checks the shape of a target URL: absolute, http or https, with a
// host, not too long. Whether its address may be reached is the target
// guard's business.
func CheckURL(raw string) error {
	if len(raw) > MaxURLLength {
		return fmt.Errorf("url longer than %d characters", MaxURLLength)
	}

	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("url is not a valid URL")
	}

	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("url must use http or https")
	}

	if u.Host == "" || u.Hostname() == "" {
		return errors.New("url must have a host")
	}

	return nil
}

// ErrControlCharacters means a text field is not valid UTF-8 or holds NUL
// or another control character, which no name, label or header may carry.
var ErrControlCharacters = errors.New("must be UTF-8 text without control characters")

// CheckText checks a short text field (a name, an event type, an
// idempotency key): valid UTF-8 without control characters. Such text ends
// up in PostgreSQL text columns, which refuse NUL, and in HTTP headers,
// which refuse CR and LF.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return ErrControlCharacters
	}

	for _, r := range s {
		if unicode.IsControl(r) {
			return ErrControlCharacters
		}
	}

	return nil
}

// RequestHash fingerprints what a send request asked for, so that a repeated
// idempotency key can be told to be a replay (same hash) or a reuse.
func RequestHash(url, method, eventType string, payload []byte) []byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(url), []byte(method), []byte(eventType), payload} {
		// Length-prefix each part so that no two requests hash alike by
		// moving bytes from one field to the next.
		_ = binary.Write(h, binary.BigEndian, uint64(len(part)))
		h.Write(part)
	}

	return h.Sum(nil)
}
