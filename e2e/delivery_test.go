package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/signing"
)

// P01 and P02: the receiver gets the payload's bytes exactly as sent, signed.
func TestDeliveryIsSignedAndByteIdentical(t *testing.T) {
	t.Parallel()

	payloads := map[string]string{
		"P01 order, dup keys, spelling": `{"zeta":1, "alpha":{"b":2,"a":1},"dup":1,"dup":2,` +
			`"e":1E+2,"s":"two  spaces"}`,
		"P01 pretty-printed": "{\n  \"event\": \"order.created\",\n  \"data\": {\n" +
			"    \"id\": 123\n  }\n}",
		"P02 big numbers": `{"id":12345678901234567890123,"cents":9007199254740993,` +
			`"f":0.1000000000000000055511151231257827,"huge":1e400,"z":-0}`,
		"P03a NUL escape": `{"name":"a\u0000b"}`,
		"array":           `[1, "two", null]`,
	}

	tn := newTenant(t)

	for name, payload := range payloads {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			rcv := newReceiver(t, always(200))
			id := tn.send(t, rcv.URL+"/hook", payload)

			d := tn.waitFinal(t, id, 15*time.Second)
			if d.Status != "success" || len(d.DeliveryAttempts) != 1 {
				t.Fatalf("status %s with %d attempts, want success with 1",
					d.Status, len(d.DeliveryAttempts))
			}

			got := rcv.deliveries()
			if len(got) != 1 {
				t.Fatalf("receiver got %d deliveries, want 1", len(got))
			}

			checkSigned(t, got[0], tn.secret, id, payload)
		})
	}
}

func checkSigned(t *testing.T, d delivery, secret, messageID, payload string) {
	t.Helper()

	if string(d.body) != payload {
		t.Fatalf("body changed on the way:\n got %q\nwant %q", d.body, payload)
	}

	h := d.header
	if got := h.Get(signing.HeaderID); got != "msg_"+messageID {
		t.Fatalf("X-Webhook-ID %q, want msg_%s", got, messageID)
	}

	if h.Get("Content-Type") != "application/json" {
		t.Fatalf("Content-Type %q", h.Get("Content-Type"))
	}

	if !strings.HasPrefix(h.Get("User-Agent"), "Chis/") {
		t.Fatalf("User-Agent %q, want Chis/<version>", h.Get("User-Agent"))
	}

	err := signing.Verify(secret, h.Get(signing.HeaderID), h.Get(signing.HeaderTimestamp),
		h.Get(signing.HeaderSignature), d.body, time.Now(), 5*time.Minute)
	if err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
}

// A receiver that fails twice then answers 200 gets 3 attempts, about 1 s and
// 2 s apart, made when due rather than at the next 5 s sweep.
func TestRetriesFollowTheSchedule(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, func(n int) int {
		if n <= 2 {
			return 500
		}

		return 200
	})

	id := tn.send(t, rcv.URL, `{"retry":true}`)
	d := tn.waitFinal(t, id, 20*time.Second)

	if d.Status != "success" || d.AttemptCount != 3 || len(d.DeliveryAttempts) != 3 {
		t.Fatalf("status %s, attempts %d (%d rows), want success after 3",
			d.Status, d.AttemptCount, len(d.DeliveryAttempts))
	}

	got := rcv.deliveries()
	if len(got) != 3 {
		t.Fatalf("receiver got %d deliveries, want 3", len(got))
	}

	checkGap(t, got[0].at, got[1].at, time.Second)
	checkGap(t, got[1].at, got[2].at, 2*time.Second)

	for i, a := range d.DeliveryAttempts {
		want := 500
		if i == 2 {
			want = 200
		}

		if a.AttemptNumber != i+1 || a.StatusCode == nil || *a.StatusCode != want {
			t.Fatalf("attempt %d: %+v, want number %d status %d", i, a, i+1, want)
		}
	}

	for _, dl := range got {
		checkSigned(t, dl, tn.secret, id, `{"retry":true}`)
	}
}

// checkGap wants b about want after a: never early, and late by far less
// than the sweep would make it (a retry's id is swept again only 30 s after
// it was scheduled), which shows the retry was made when due. The margin is
// wide so that a busy machine does not make the test flaky.
func checkGap(t *testing.T, a, b time.Time, want time.Duration) {
	t.Helper()

	gap := b.Sub(a)
	if gap < want-50*time.Millisecond || gap > want+2500*time.Millisecond {
		t.Fatalf("gap between attempts %v, want about %v", gap, want)
	}
}

// A receiver that always fails gets exactly 5 attempts; the message fails.
func TestAlwaysFailingReceiverGetsFiveAttempts(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(503))

	id := tn.send(t, rcv.URL, `{"n":1}`)
	d := tn.waitFinal(t, id, 30*time.Second)

	if d.Status != "failed" || len(d.DeliveryAttempts) != 5 {
		t.Fatalf("status %s with %d attempts, want failed with 5",
			d.Status, len(d.DeliveryAttempts))
	}

	if n := len(rcv.deliveries()); n != 5 {
		t.Fatalf("receiver got %d deliveries, want 5", n)
	}

	for i, a := range d.DeliveryAttempts {
		if a.AttemptNumber != i+1 || a.StatusCode == nil || *a.StatusCode != 503 ||
			a.ErrorClass != "http" {
			t.Fatalf("attempt %d: %+v", i+1, a)
		}
	}
}

// 410 Gone ends retries at once (P09).
func TestGoneEndsRetries(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(410))

	id := tn.send(t, rcv.URL, `{}`)
	d := tn.waitFinal(t, id, 15*time.Second)

	if d.Status != "failed" || len(d.DeliveryAttempts) != 1 {
		t.Fatalf("status %s with %d attempts, want failed with 1",
			d.Status, len(d.DeliveryAttempts))
	}
}
