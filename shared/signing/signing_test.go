package signing

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The expected value was computed outside Go (Python's hmac module), so the
// test does not check the code against itself.
func TestSignKnownVector(t *testing.T) {
	t.Parallel()

	got := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
		1674087231, []byte(`{"test": 2432232314}`))

	const want = "v1,bJARNha4a8YlqwCMsya56hm24LUf56xlXlUeVQfKzes="
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()

	const secret = "whsec_test"
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"a":1}`)
	good := Sign(secret, "msg_1", now.Unix(), body)

	tests := []struct {
		name      string
		timestamp string
		signature string
		body      []byte
		want      error
	}{
		{"valid", "1700000000", good, body, nil},
		{"one of several signatures", "1700000000", "v1,AAAA " + good, body, nil},
		{"changed body", "1700000000", good, []byte(`{"a":2}`), ErrBadSignature},
		{"other timestamp", "1700000001", good, body, ErrBadSignature},
		{"too old", "1699999000", Sign(secret, "msg_1", 1699999000, body), body, ErrStale},
		{"from the future", "1700001000", Sign(secret, "msg_1", 1700001000, body), body,
			ErrStale},
		{"empty signature", "1700000000", "", body, ErrBadSignature},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			err := Verify(secret, "msg_1", tt.timestamp, tt.signature, tt.body, now, 5*time.Minute)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyRejectsBadTimestamp(t *testing.T) {
	t.Parallel()

	err := Verify("s", "msg_1", "soon", "v1,x", nil, time.Now(), time.Minute)
	if err == nil || errors.Is(err, ErrStale) || errors.Is(err, ErrBadSignature) {
		t.Fatalf("Verify with a bad timestamp = %v, want a parse error", err)
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()

	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}

	b, _ := NewSecret()
	if !strings.HasPrefix(a, SecretPrefix) || len(a) != len(SecretPrefix)+44 || a == b {
		t.Fatalf("secrets %q and %q: want distinct whsec_ + base64 of 32 bytes", a, b)
	}
}

func BenchmarkSign1KiB(b *testing.B) {
	body := []byte(strings.Repeat("x", 1024))
	for b.Loop() {
		Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1674087231, body)
	}
}
