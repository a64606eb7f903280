// Package signing signs webhook deliveries the way receivers verify them:
// HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed with the bytes of the
// organisation's whole secret string, sent as "v1,<base64>".
package signing

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header names of a signed delivery.
const (
	HeaderID        = "X-Webhook-ID"
	HeaderTimestamp = "X-Webhook-Timestamp"
	HeaderSignature = "X-Webhook-Signature"
)

// SecretPrefix starts every signing secret.
const SecretPrefix = "whsec_"

// NewSecret returns a fresh secret: "whsec_" and the base64 of 32 random bytes.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new signing secret: %w", err)
	}

	return SecretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// Sign returns the signature header value for one attempt.
func Sign(secret, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write(strconv.AppendInt(nil, timestamp, 10))
	mac.Write([]byte{'.'})
	mac.Write(body)

	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verification errors.
var (
	ErrBadSignature = errors.New("signature does not match")
	ErrStale        = errors.New("timestamp outside tolerance")
)

// Verify checks a delivery as a receiver would: the timestamp must be within
// tolerance of now and one of the space-separated signatures must match.
func Verify(secret, id, timestamp, signature string, body []byte, now time.Time,
	tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("verify: bad timestamp: %w", err)
	}

	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}

	want := Sign(secret, id, ts, body)
	for _, got := range strings.Fields(signature) {
		if hmac.Equal([]byte(got), []byte(want)) {
			return nil
		}
	}

	return ErrBadSignature
}
