package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/testenv"
)

// sendIdem posts a send body with an Idempotency-Key and returns the status,
// the message id, and whether the answer says it is a replay.
func sendIdem(t *testing.T, tn tenant, key, body string) (int, string, bool) {
	t.Helper()

	status, id, replayed, err := trySendIdem(tn, key, body)
	if err != nil {
		t.Fatal(err)
	}

	return status, id, replayed
}

// trySendIdem is sendIdem for goroutines other than the test's.
func trySendIdem(tn tenant, key, body string) (int, string, bool, error) {
	req, err := http.NewRequest("POST", chis.URL("api")+"/webhook/send",
		strings.NewReader(body))
	if err != nil {
		return 0, "", false, err
	}

	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", tn.apiKey)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", false, fmt.Errorf("send: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()

	var out struct{ MessageID string }
	if resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return 0, "", false, fmt.Errorf("decode send answer: %w", err)
		}
	}

	return resp.StatusCode, out.MessageID, resp.Header.Get("Idempotent-Replayed") == "true",
		nil
}

// P14 (1) to (4): a replay returns the first message and delivers nothing
// more; the same key for another request is a 409 and stores nothing.
func TestIdempotencyKeyReplaysAndConflicts(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	other := newReceiver(t, always(200))
	key := "order-" + testenv.RandomHex(4)
	b1 := `{"url":"` + rcv.URL + `","payload":{"order":1}}`

	status, first, replayed := sendIdem(t, tn, key, b1)
	if status != 201 || replayed || first == "" {
		t.Fatalf("first send: status %d, id %q, replayed %v", status, first, replayed)
	}

	status, again, replayed := sendIdem(t, tn, key, b1)
	if status != 200 || again != first || !replayed {
		t.Fatalf("replay: status %d, id %q (first %q), replayed %v", status, again, first,
			replayed)
	}

	tn.waitFinal(t, first, 15*time.Second)

	// After delivery the replay still answers the first message.
	if status, again, replayed = sendIdem(t, tn, key, b1); status != 200 || again != first ||
		!replayed {
		t.Fatalf("late replay: status %d, id %q, replayed %v", status, again, replayed)
	}

	for name, body := range map[string]string{
		"another payload":    `{"url":"` + rcv.URL + `","payload":{"order":2}}`,
		"another url":        `{"url":"` + other.URL + `","payload":{"order":1}}`,
		"another method":     `{"url":"` + rcv.URL + `","payload":{"order":1},"method":"PUT"}`,
		"another event type": `{"url":"` + rcv.URL + `","payload":{"order":1},"eventType":"x"}`,
		"payload respaced":   `{"url":"` + rcv.URL + `","payload":{ "order": 1 }}`,
	} {
		status, b := tn.sendBody(t, body, "Idempotency-Key", key)
		if e := wantError(t, status, b, 409); e.Code != "idempotency_conflict" {
			t.Fatalf("%s: code %q", name, e.Code)
		}
	}

	if n := orgMessages(t, tn.orgID); n != 1 {
		t.Fatalf("%d messages stored, want 1", n)
	}

	if got, n := rcv.deliveries(), len(other.deliveries()); len(got) != 1 || n != 0 {
		t.Fatalf("deliveries: %d to the first url, %d to the other; want 1 and 0", len(got), n)
	}
}

// P14 (5): 20 identical requests at once with a fresh key make exactly one
// message; one answer is the 201, the others replays of it.
func TestIdempotencyKeyUnderConcurrency(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	key := "burst-" + testenv.RandomHex(4)
	body := `{"url":"` + rcv.URL + `","payload":{"burst":true}}`

	const n = 20

	var wg sync.WaitGroup
	statuses, ids, errs := make([]int, n), make([]string, n), make([]error, n)
	start := make(chan struct{})

	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i], ids[i], _, errs[i] = trySendIdem(tn, key, body)
		})
	}

	close(start)
	wg.Wait()

	created := 0
	for i := range n {
		if statuses[i] == 201 {
			created++
		}

		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}

		if (statuses[i] != 201 && statuses[i] != 200) || ids[i] != ids[0] {
			t.Fatalf("request %d: status %d, id %q (first %q)", i, statuses[i], ids[i], ids[0])
		}
	}

	if created != 1 {
		t.Fatalf("%d requests answered 201, want exactly 1", created)
	}

	d := tn.waitFinal(t, ids[0], 15*time.Second)
	if n := orgMessages(t, tn.orgID); n != 1 || len(d.DeliveryAttempts) != 1 {
		t.Fatalf("%d messages with %d attempts, want 1 with 1", n, len(d.DeliveryAttempts))
	}

	if got := len(rcv.deliveries()); got != 1 {
		t.Fatalf("receiver got %d deliveries, want 1", got)
	}
}

// P14 (6): keys belong to an organisation; the same key elsewhere is a new
// message, and neither organisation sees the other's.
func TestIdempotencyKeyIsPerOrganisation(t *testing.T) {
	t.Parallel()

	a, b := newTenant(t), newTenant(t)
	rcv := newReceiver(t, always(200))
	key := "shared-" + testenv.RandomHex(4)
	body := `{"url":"` + rcv.URL + `","payload":{"same":true}}`

	sa, ida, _ := sendIdem(t, a, key, body)
	sb, idb, rb := sendIdem(t, b, key, body)

	if sa != 201 || sb != 201 || rb || ida == idb {
		t.Fatalf("A: %d %s; B: %d %s replayed %v", sa, ida, sb, idb, rb)
	}

	a.waitFinal(t, ida, 15*time.Second)
	b.waitFinal(t, idb, 15*time.Second)

	if got := len(rcv.deliveries()); got != 2 {
		t.Fatalf("receiver got %d deliveries, want 2", got)
	}
}

// Without a key, identical requests are separate messages.
func TestNoIdempotencyKeyMeansNewMessages(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	first := tn.send(t, rcv.URL, `{"same":1}`)
	second := tn.send(t, rcv.URL, `{"same":1}`)

	status, third, replayed := sendIdem(t, tn, "", `{"url":"`+rcv.URL+`","payload":{"same":1}}`)
	if first == second || status != 201 || replayed || third == first || third == second {
		t.Fatalf("ids %s, %s, %s (status %d)", first, second, third, status)
	}
}
