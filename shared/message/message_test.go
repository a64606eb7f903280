package message

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"
)

func TestCheckPayload(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		payload string
		want    error
	}{
		{"object", `{"a":1}`, nil},
		{"array", `[1,2]`, nil},
		{"scalar", `"text"`, nil},
		{"big numbers", `{"id":12345678901234567890123,"huge":1e400}`, nil},
		{"NUL escape", `{"n":"a\u0000b"}`, nil},
		{"empty", ``, ErrPayloadMissing},
		{"blank", `   `, ErrPayloadMissing},
		{"raw 0xFF", "{\"n\":\"a\xffb\"}", ErrPayloadEncoding},
		{"raw NUL", "{\"n\":\"a\x00b\"}", ErrPayloadInvalid},
		{"truncated", `{"a":`, ErrPayloadInvalid},
		{"two values", `{} {}`, ErrPayloadInvalid},
		{"too large", `"` + string(bytes.Repeat([]byte("x"), 100)) + `"`, ErrPayloadTooLarge},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if err := CheckPayload([]byte(tt.payload), 64); !errors.Is(err, tt.want) {
				t.Fatalf("CheckPayload = %v, want %v", err, tt.want)
			}
		})
	}
}

// Whatever tenants send, an accepted payload is one valid UTF-8 JSON value
// within the limit, and nothing panics.
func FuzzCheckPayload(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `[`, "\"\xff\"", `1e400`, `{"a":"\u0000"}`} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, p []byte) {
		if CheckPayload(p, 1024) != nil {
			return
		}

		if !json.Valid(p) || !utf8.Valid(p) || len(p) > 1024 {
			t.Fatalf("accepted %q", p)
		}
	})
}

func TestCheckURL(t *testing.T) {
	t.Parallel()

	ok := []string{"http://example.com/hook", "https://example.com:8443/a?b=c"}
	bad := []string{"", "example.com", "ftp://example.com/", "http://", "http:///path",
		"file:///etc/passwd", "http://exa mple.com/", "https://" + string(bytes.Repeat(
			[]byte("a"), MaxURLLength)) + ".com/"}

	for _, u := range ok {
		if err := CheckURL(u); err != nil {
			t.Errorf("CheckURL(%q) = %v, want nil", u, err)
		}
	}

	for _, u := range bad {
		if err := CheckURL(u); err == nil {
			t.Errorf("CheckURL(%q) = nil, want an error", u)
		}
	}
}

func TestRequestHashSeparatesFields(t *testing.T) {
	t.Parallel()

	a := RequestHash("http://x/a", "POST", "", []byte(`{}`))
	b := RequestHash("http://x/", "aPOST", "", []byte(`{}`))
	c := RequestHash("http://x/a", "POST", "", []byte(`{ }`))

	if bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("different requests hash alike")
	}

	if !bytes.Equal(a, RequestHash("http://x/a", "POST", "", []byte(`{}`))) {
		t.Fatal("the same request hashes differently")
	}
}
