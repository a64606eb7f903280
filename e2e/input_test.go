package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// sendCase is one /webhook/send request and the error it must get.
type sendCase struct {
	name   string
	body   string
	header []string
	status int
	fields []string
}

// rejectedSends are requests that must be refused, with the answer each
// gets. url is a target that would work.
func rejectedSends(url string) []sendCase {
	over := `{"k":"` + strings.Repeat("x", 256<<10) + `"}`

	return []sendCase{
		{name: "P03b raw 0xFF in a payload string",
			body: `{"url":"` + url + `","payload":{"name":"a` + "\xff" + `b"}}`, status: 400},
		{name: "P03c raw 0x00 in a payload string",
			body: `{"url":"` + url + `","payload":{"name":"a` + "\x00" + `b"}}`, status: 400},
		{name: "raw 0x00 between tokens",
			body: `{"url":"` + url + `","payload":` + "\x00" + `{}}`, status: 400},
		{name: "malformed JSON", body: `{"url":"` + url + `","payload":{`, status: 400},
		{name: "malformed payload", body: `{"url":"` + url + `","payload":{"a":}}`, status: 400},
		{name: "empty body", body: ``, status: 400},
		// Valid JSON, but not the object the endpoint takes.
		{name: "a JSON array", body: `[{"url":"` + url + `","payload":{}}]`, status: 422},
		{name: "a JSON string", body: `"hello"`, status: 422},
		{name: "two JSON values", body: `{"url":"` + url + `","payload":1}{}`, status: 400},
		{name: "a form", body: `url=` + url + `&payload=1`, status: 400,
			header: []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{name: "missing url", body: `{"payload":{}}`, status: 422, fields: []string{"url"}},
		{name: "url of the wrong type", body: `{"url":42,"payload":{}}`, status: 422,
			fields: []string{"url"}},
		{name: "ftp url", body: `{"url":"ftp://example.com/x","payload":{}}`, status: 422,
			fields: []string{"url"}},
		{name: "url without host", body: `{"url":"http:///path","payload":{}}`, status: 422,
			fields: []string{"url"}},
		{name: "relative url", body: `{"url":"/hook","payload":{}}`, status: 422,
			fields: []string{"url"}},
		{name: "url with a space in the host", body: `{"url":"http://exa mple.com/",` +
			`"payload":{}}`, status: 422, fields: []string{"url"}},
		{name: "url with NUL", body: `{"url":"` + url + `/a\u0000b","payload":{}}`,
			status: 422, fields: []string{"url"}},
		{name: "url too long", body: `{"url":"` + url + "/" + strings.Repeat("a", 2048) +
			`","payload":{}}`, status: 422, fields: []string{"url"}},
		{name: "port 0", body: `{"url":"http://127.0.0.1:0/","payload":{}}`, status: 422,
			fields: []string{"url"}},
		{name: "method GET", body: `{"url":"` + url + `","payload":{},"method":"GET"}`,
			status: 422, fields: []string{"method"}},
		{name: "method CONNECT", body: `{"url":"` + url + `","payload":{},"method":"connect"}`,
			status: 422, fields: []string{"method"}},
		{name: "missing payload", body: `{"url":"` + url + `"}`, status: 422,
			fields: []string{"payload"}},
		{name: "payload over 256 KiB", body: `{"url":"` + url + `","payload":` + over + `}`,
			status: 413},
		{name: "payload nested past the JSON depth limit", body: `{"url":"` + url +
			`","payload":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
			status: 400},
		{name: "eventType over 255 bytes", body: `{"url":"` + url + `","payload":1,` +
			`"eventType":"` + strings.Repeat("e", 256) + `"}`, status: 422,
			fields: []string{"eventType"}},
		// PostgreSQL text cannot hold NUL.
		{name: "NUL in eventType", body: `{"url":"` + url + `","payload":1,` +
			`"eventType":"a\u0000b"}`, status: 422, fields: []string{"eventType"}},
		// The event type travels as the X-Webhook-Event header, which cannot
		// hold a line break: accepted, it could never be delivered.
		{name: "line break in eventType", body: `{"url":"` + url + `","payload":1,` +
			`"eventType":"order.created\r\nX-Injected: 1"}`, status: 422,
			fields: []string{"eventType"}},
		{name: "Idempotency-Key over 255 bytes", body: `{"url":"` + url + `","payload":1}`,
			header: []string{"Idempotency-Key", strings.Repeat("k", 256)}, status: 422,
			fields: []string{"Idempotency-Key"}},
		{name: "Idempotency-Key not UTF-8", body: `{"url":"` + url + `","payload":1}`,
			header: []string{"Idempotency-Key", "key-\xff\xfe"}, status: 422,
			fields: []string{"Idempotency-Key"}},
	}
}

// P03 and friends: every malformed send is refused with a clear 4xx, and
// nothing of it reaches Postgres or Redis.
func TestSendRefusesBadInput(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	t.Run("each", func(t *testing.T) {
		for _, c := range rejectedSends(rcv.URL) {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()

				status, body := tn.sendBody(t, c.body, c.header...)
				wantError(t, status, body, c.status, c.fields...)
			})
		}
	})

	if n := orgMessages(t, tn.orgID); n != 0 {
		t.Fatalf("%d messages stored from refused requests", n)
	}

	checkNothingQueuedFor(t, tn.orgID)

	if n := len(rcv.deliveries()); n != 0 {
		t.Fatalf("the receiver got %d deliveries from refused requests", n)
	}
}

// P07 at the API: with only loopback allowed, every other non-public
// address is still refused with a 422 naming the url.
func TestSendRefusesPrivateTargets(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	targets := []string{
		"http://10.0.0.5/", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/",
		"http://172.16.0.1/", "http://100.64.0.1/", "http://0.0.0.0:6379/", "http://[::]/",
		"http://[fd00:ec2::254]/", "http://[fe80::1%25eth0]/", "http://2130706433/",
		"http://0x7f000001/", "http://0177.0.0.1/", "http://[::ffff:10.0.0.5]/",
		"http://[::ffff:169.254.169.254]/", "http://224.0.0.1/", "http://255.255.255.255/",
		"file:///etc/passwd", "gopher://127.0.0.1:6379/_x", "javascript:alert(1)",
	}

	for _, target := range targets {
		status, body := tn.sendBody(t, `{"url":"`+target+`","payload":{}}`)
		if status != 422 {
			t.Errorf("%s: status %d, want 422: %s", target, status, body)
			continue
		}

		wantError(t, status, body, 422, "url")
	}

	if n := orgMessages(t, tn.orgID); n != 0 {
		t.Fatalf("%d messages stored for refused targets", n)
	}
}

// P03a: the six-character escape \u0000 is valid JSON: accepted, stored and
// delivered byte for byte.
func TestNULEscapeIsDeliveredIntact(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	payload := `{"name":"a\u0000b","nested":["\u0000"]}`

	id := tn.send(t, rcv.URL, payload)
	if d := tn.waitFinal(t, id, 15*time.Second); d.Status != "success" ||
		string(d.Payload) != payload {
		t.Fatalf("message %s, payload %s", d.Status, d.Payload)
	}

	var stored []byte

	err := openDB(t).QueryRow(context.Background(),
		`SELECT payload FROM messages WHERE id = $1`, id).Scan(&stored)
	if err != nil || string(stored) != payload {
		t.Fatalf("stored payload %q (%v), want %q", stored, err, payload)
	}

	if got := rcv.deliveries(); len(got) != 1 || string(got[0].body) != payload {
		t.Fatalf("receiver got %d deliveries, want one of %q", len(got), payload)
	}
}

// The 256 KiB limit is on the payload: a payload of exactly that size is
// accepted and delivered whole; one byte more is a 413.
func TestPayloadSizeLimitIsExact(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	const limit = 256 << 10
	payload := `"` + strings.Repeat("x", limit-2) + `"`

	id := tn.send(t, rcv.URL, payload)
	if d := tn.waitFinal(t, id, 15*time.Second); d.Status != "success" {
		t.Fatalf("a payload of exactly %d bytes ended %s", limit, d.Status)
	}

	if got := rcv.deliveries(); len(got) != 1 || len(got[0].body) != limit {
		t.Fatalf("receiver got %d deliveries, want one of %d bytes", len(got), limit)
	}

	status, body := tn.sendBody(t, `{"url":"`+rcv.URL+`","payload":"`+
		strings.Repeat("x", limit-1)+`"}`)
	wantError(t, status, body, 413)
}

// What a careless client sends and Chis may accept: case in method and
// field names, no Content-Type, odd but valid values. Each is delivered as
// asked.
func TestSendAcceptsOddButValidInput(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	cases := []struct {
		name, body, method, eventType, payload string
		header                                 []string
	}{
		{name: "lower-case method", body: `{"url":%q,"payload":{"a":1},"method":"put"}`,
			method: "PUT", payload: `{"a":1}`},
		{name: "DELETE with a body", body: `{"url":%q,"payload":[],"method":"DELETE"}`,
			method: "DELETE", payload: `[]`},
		{name: "null payload", body: `{"url":%q,"payload":null}`, method: "POST",
			payload: `null`},
		{name: "unicode event type",
			body:   `{"url":%q,"payload":"ü","eventType":"commande.créée.🚀"}`,
			method: "POST", eventType: "commande.créée.🚀", payload: `"ü"`},
		{name: "event type of 255 bytes",
			body:   `{"url":%q,"payload":0,"eventType":"` + strings.Repeat("e", 255) + `"}`,
			method: "POST", eventType: strings.Repeat("e", 255), payload: `0`},
		{name: "no Content-Type", body: `{"url":%q,"payload":true}`, method: "POST",
			payload: `true`, header: []string{"Content-Type", ""}},
		{name: "text/plain", body: `{"url":%q,"payload":false}`, method: "POST",
			payload: `false`, header: []string{"Content-Type", "text/plain"}},
		{name: "unknown fields ignored", body: `{"url":%q,"payload":7,"priority":"high"}`,
			method: "POST", payload: `7`},
		// encoding/json keeps the last of duplicate keys; what is stored is
		// what is delivered.
		{name: "duplicate top-level keys", body: `{"url":"http://10.0.0.5/","url":%q,` +
			`"payload":{"first":1},"payload":{"second":2}}`, method: "POST",
			payload: `{"second":2}`},
		{name: "deeply nested payload", body: `{"url":%q,"payload":` +
			strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, method: "POST",
			payload: strings.Repeat("[", 5000) + strings.Repeat("]", 5000)},
		{name: "whitespace around the payload", body: "{\"url\":%q,\"payload\":\n\t[1, 2]\n}",
			method: "POST", payload: `[1, 2]`},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			rcv := newMethodReceiver(t)
			status, body := tn.sendBody(t, strings.Replace(c.body, "%q", `"`+rcv.URL+`"`, 1),
				c.header...)
			if status != 201 {
				t.Fatalf("status %d: %s", status, body)
			}

			var resp struct{ MessageID string }
			mustDecode(t, body, &resp)

			if d := tn.waitFinal(t, resp.MessageID, 15*time.Second); d.Status != "success" {
				t.Fatalf("message ended %s", d.Status)
			}

			got := rcv.requests()
			if len(got) != 1 || got[0].method != c.method || string(got[0].body) != c.payload ||
				got[0].header.Get("X-Webhook-Event") != c.eventType {
				t.Fatalf("receiver got %+v, want one %s of %q with event %q",
					got, c.method, c.payload, c.eventType)
			}
		})
	}
}

// Abuse of the HTTP layer itself gets 4xx answers, never 5xx.
func TestSendSurvivesHTTPAbuse(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	body := `{"url":"` + rcv.URL + `","payload":1}`

	// Just past the 1 MiB header limit, so the client has finished writing
	// when the server answers and hangs up.
	status, b := tn.sendBody(t, body, "X-Padding", strings.Repeat("p", 1<<20+64<<10))
	if status != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("1 MiB header: status %d: %.200s", status, b)
	}

	status, b = call(t, "PUT", "/webhook/send", tn.key(), body)
	wantError(t, status, b, 405)

	status, b = call(t, "GET", "/webhook/send", tn.key(), "")
	wantError(t, status, b, 405)

	status, b = call(t, "POST", "/webhook/sendx", tn.key(), body)
	wantError(t, status, b, 404)

	// A body far past every limit is cut off with a 413, not read whole.
	status, b = tn.sendBody(t, `{"url":"`+rcv.URL+`","payload":"`+
		strings.Repeat("x", 8<<20)+`"}`)
	wantError(t, status, b, 413)

	if n := orgMessages(t, tn.orgID); n != 0 {
		t.Fatalf("%d messages stored from refused requests", n)
	}
}

// methodReceiver answers 200 and records each request's method, headers and
// body, which the shared receiver does not keep all of.
type methodReceiver struct {
	*httptest.Server

	mu  sync.Mutex
	got []recorded
}

type recorded struct {
	method string
	header http.Header
	body   []byte
}

func newMethodReceiver(t *testing.T) *methodReceiver {
	t.Helper()

	m := &methodReceiver{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		body, _ := io.ReadAll(r.Body)

		m.mu.Lock()
		m.got = append(m.got, recorded{method: r.Method, header: r.Header.Clone(), body: body})
		m.mu.Unlock()
	}))
	t.Cleanup(m.Close)

	return m
}

func (m *methodReceiver) requests() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()

	return append([]recorded(nil), m.got...)
}
