package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// A message that is in PostgreSQL but whose id never reached Redis (as after
// Redis lost it) is delivered anyway: the Tick function's sweep, pinged every
// 5 s like the Knative PingSource, queues it.
func TestTickSweepDeliversMessagesRedisNeverSaw(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()

	id := uuid.New()
	_, err = conn.Exec(ctx, `
		INSERT INTO messages (id, org_id, url, method, payload, state, next_attempt_at,
			created_at, updated_at)
		VALUES ($1, $2, $3, 'POST', '{"swept":true}', 'pending', now(), now(), now())`,
		id, tn.orgID, rcv.URL)
	if err != nil {
		t.Fatal(err)
	}

	d := tn.waitFinal(t, id.String(), 15*time.Second)
	if d.Status != "success" || len(rcv.deliveries()) != 1 {
		t.Fatalf("status %s, %d deliveries; want success after one", d.Status,
			len(rcv.deliveries()))
	}
}

// Tick serves liveness on its own route: a CloudEvent function answers 400
// to a GET, so /health must not be the function.
func TestTickRoutes(t *testing.T) {
	t.Parallel()

	for path, want := range map[string]int{"/health": 200, "/ready": 200, "/Tick": 400} {
		resp, err := http.Get(chis.URL("tick") + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()

		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
