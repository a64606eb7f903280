package e2e

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type apiKey struct {
	ID         string
	Name       string
	Prefix     string
	Key        string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
}

// listKeys lists the organisation's keys and checks that neither a key
// field nor any of the given secrets is shown.
func listKeys(t *testing.T, hdr map[string]string, secrets ...string) []apiKey {
	t.Helper()

	status, body := call(t, "GET", "/api/api-key/list", hdr, "")
	if status != 200 {
		t.Fatalf("list keys: status %d: %s", status, body)
	}

	if bytes.Contains(body, []byte(`"key"`)) {
		t.Fatalf("key list has a key field: %s", body)
	}

	for _, s := range secrets {
		if bytes.Contains(body, []byte(s)) {
			t.Fatalf("key list shows a whole key: %s", body)
		}
	}

	var keys []apiKey
	if err := json.Unmarshal(body, &keys); err != nil {
		t.Fatal(err)
	}

	return keys
}

func findKey(keys []apiKey, id string) (apiKey, bool) {
	for _, k := range keys {
		if k.ID == id {
			return k, true
		}
	}

	return apiKey{}, false
}

// An API key is shown once, works, records its use, and stops working the
// moment it is revoked.
func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	var k apiKey
	callJSON(t, 201, "POST", "/api/api-key/create", tn.bearer(), `{"name":"deploy bot"}`, &k)

	if !strings.HasPrefix(k.Key, "chis_sk_") || len(k.Key) < 40 ||
		!strings.HasPrefix(k.Key, k.Prefix) || k.Prefix == k.Key || k.Name != "deploy bot" {
		t.Fatalf("created key %+v", k)
	}

	listed, ok := findKey(listKeys(t, tn.bearer(), k.Key, tn.apiKey), k.ID)
	if !ok || listed.Key != "" || listed.LastUsedAt != nil || listed.Prefix != k.Prefix {
		t.Fatalf("new key listed as %+v (found %v)", listed, ok)
	}

	keyHdr := map[string]string{"X-API-Key": k.Key}
	callJSON(t, 201, "POST", "/webhook/send", keyHdr,
		`{"url":"`+rcv.URL+`","payload":{"k":1}}`, nil)

	listed, _ = findKey(listKeys(t, tn.bearer(), k.Key, tn.apiKey), k.ID)
	if listed.LastUsedAt == nil || time.Since(*listed.LastUsedAt) > time.Minute {
		t.Fatalf("used key lists lastUsedAt %v", listed.LastUsedAt)
	}

	status, body := call(t, "DELETE", "/api/api-key/"+k.ID, tn.bearer(), "")
	if status != 204 || len(body) != 0 {
		t.Fatalf("revoke: status %d: %s", status, body)
	}

	status, body = call(t, "POST", "/webhook/send", keyHdr,
		`{"url":"`+rcv.URL+`","payload":{"k":2}}`)
	wantError(t, status, body, 401)

	status, body = call(t, "DELETE", "/api/api-key/"+k.ID, tn.bearer(), "")
	wantError(t, status, body, 404)

	if _, ok := findKey(listKeys(t, tn.bearer()), k.ID); ok {
		t.Fatal("a revoked key is still listed")
	}

	// The tenant's other key is untouched.
	tn.send(t, rcv.URL, `{"k":3}`)
}

func TestAPIKeyCreateInput(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	var k apiKey
	callJSON(t, 201, "POST", "/api/api-key/create", tn.bearer(), "", &k)

	if k.Name == "" || k.ExpiresAt != nil || !strings.HasPrefix(k.Key, "chis_sk_") {
		t.Fatalf("key made from an empty body: %+v", k)
	}

	future := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	callJSON(t, 201, "POST", "/api/api-key/create", tn.bearer(),
		`{"name":"Clé 🔑","expiresAt":"`+future.Format(time.RFC3339)+`"}`, &k)

	if k.Name != "Clé 🔑" || k.ExpiresAt == nil || !k.ExpiresAt.Equal(future) {
		t.Fatalf("key with a unicode name and an expiry: %+v", k)
	}

	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		name, body string
		status     int
		fields     []string
	}{
		{"expiry in the past", `{"expiresAt":"` + past + `"}`, 422, []string{"expiresAt"}},
		{"expiry not a time", `{"expiresAt":"next tuesday"}`, 422, []string{"expiresAt"}},
		{"name too long", `{"name":"` + strings.Repeat("n", 101) + `"}`, 422,
			[]string{"name"}},
		{"name of the wrong type", `{"name":["a"]}`, 422, []string{"name"}},
		{"NUL in the name", `{"name":"a\u0000b"}`, 422, []string{"name"}},
		{"malformed JSON", `{"name":`, 400, nil},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			status, body := call(t, "POST", "/api/api-key/create", tn.bearer(), c.body)
			wantError(t, status, body, c.status, c.fields...)
		})
	}
}

// A key with an expiry works until then and is refused after, by the clock
// alone.
func TestExpiredAPIKeyIsRefused(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	var k apiKey
	exp := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano)
	callJSON(t, 201, "POST", "/api/api-key/create", tn.bearer(), `{"expiresAt":"`+exp+`"}`, &k)

	body := `{"url":"` + rcv.URL + `","payload":1}`
	keyHdr := map[string]string{"X-API-Key": k.Key}
	callJSON(t, 201, "POST", "/webhook/send", keyHdr, body, nil)

	eventually(t, 10*time.Second, func() bool {
		status, _ := call(t, "POST", "/webhook/send", keyHdr, body)
		return status == 401
	})

	if !time.Now().After(*k.ExpiresAt) {
		t.Fatalf("key refused before its expiry %v", k.ExpiresAt)
	}
}

// Keys that are not Chis keys, or near misses of a real one, get 401.
func TestSendRefusesBadAPIKeys(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	body := `{"url":"` + rcv.URL + `","payload":1}`

	keys := map[string]map[string]string{
		"no key":             nil,
		"empty key":          {"X-API-Key": ""},
		"not a chis key":     {"X-API-Key": "sk_live_123"},
		"prefix only":        {"X-API-Key": "chis_sk_"},
		"one character more": {"X-API-Key": tn.apiKey + "x"},
		"one character less": {"X-API-Key": tn.apiKey[:len(tn.apiKey)-1]},
		"upper case":         {"X-API-Key": strings.ToUpper(tn.apiKey)},
		"as a bearer token":  tn.bearer(),
		"a JWT as the key":   {"X-API-Key": tn.token},
	}

	for name, hdr := range keys {
		status, b := call(t, "POST", "/webhook/send", hdr, body)
		if status != 401 {
			t.Errorf("%s: status %d, want 401: %s", name, status, b)
		}
	}

	if n := orgMessages(t, tn.orgID); n != 0 {
		t.Fatalf("%d messages stored from refused keys", n)
	}
}
