package e2e

import (
	"sync"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/signing"
)

// retryNow asks for one more attempt of a message and returns the status.
func (tn tenant) retryNow(t *testing.T, id string) (int, []byte) {
	t.Helper()

	return call(t, "POST", "/api/webhook-logs/"+id+"/retry", tn.bearer(), "")
}

// A failed message retried by hand gets one more attempt with the same id
// and body; its attempt numbers go on from where they stopped.
func TestRetryNowRedeliversAFailedMessage(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, func(n int) int {
		if n == 1 {
			return 410
		}

		return 200
	})
	payload := `{"retry": "by hand"}`

	id := tn.send(t, rcv.URL, payload)
	if d := tn.waitFinal(t, id, 15*time.Second); d.Status != "failed" {
		t.Fatalf("first run ended %s, want failed", d.Status)
	}

	status, body := tn.retryNow(t, "msg_"+id)
	if status != 202 {
		t.Fatalf("retry: status %d: %s", status, body)
	}

	var resp struct{ ID, Status string }
	if mustDecode(t, body, &resp); resp.ID != id || resp.Status != "pending" {
		t.Fatalf("retry answered %s", body)
	}

	d := tn.waitFinal(t, id, 15*time.Second)
	if d.Status != "success" || d.AttemptCount != 2 || len(d.DeliveryAttempts) != 2 ||
		d.DeliveryAttempts[0].AttemptNumber != 1 || d.DeliveryAttempts[1].AttemptNumber != 2 {
		t.Fatalf("after retry: %s, count %d, attempts %+v", d.Status, d.AttemptCount,
			d.DeliveryAttempts)
	}

	got := rcv.deliveries()
	if len(got) != 2 {
		t.Fatalf("receiver got %d deliveries, want 2", len(got))
	}

	for _, dl := range got {
		checkSigned(t, dl, tn.secret, id, payload)
	}

	if got[0].header.Get(signing.HeaderID) != got[1].header.Get(signing.HeaderID) {
		t.Fatal("the retry carries another X-Webhook-ID")
	}

	status, body = tn.retryNow(t, id)
	wantError(t, status, body, 409)
}

// A message that has not failed cannot be retried, and of several retries
// at once while the first is in flight, one is accepted.
func TestRetryNowOnlyOnceAndOnlyWhenFailed(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	ok := newReceiver(t, always(200))

	// The retried attempt is held at the receiver until the concurrent
	// retries have been answered (well within the 3 s attempt timeout).
	release := make(chan struct{})
	gone := newReceiver(t, func(n int) int {
		if n > 1 {
			<-release
		}

		return 410
	})
	releaseOnce := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseOnce)

	delivered := tn.send(t, ok.URL, `{}`)
	tn.waitFinal(t, delivered, 15*time.Second)

	status, body := tn.retryNow(t, delivered)
	wantError(t, status, body, 409)

	failed := tn.send(t, gone.URL, `{}`)
	tn.waitFinal(t, failed, 15*time.Second)

	var wg sync.WaitGroup
	statuses := make([]int, 5)
	start := make(chan struct{})

	for i := range statuses {
		wg.Go(func() {
			<-start
			statuses[i], _ = tryCall("POST", "/api/webhook-logs/"+failed+"/retry",
				tn.bearer(), "")
		})
	}

	close(start)
	wg.Wait()
	releaseOnce()

	oneWinner(t, "concurrent retries", statuses, 202)

	// The 202 came after the message was pending again, so this waits for
	// the end of the retry.
	d := tn.waitFinal(t, failed, 15*time.Second)
	if n := len(gone.deliveries()); n != 2 || d.Status != "failed" ||
		len(d.DeliveryAttempts) != 2 {
		t.Fatalf("receiver got %d deliveries, message %s with %d attempts; want 2, failed, 2",
			n, d.Status, len(d.DeliveryAttempts))
	}
}
