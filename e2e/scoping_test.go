package e2e

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// logList is the answer of GET /api/webhook-logs.
type logList struct {
	Data []struct {
		ID, Endpoint, Status, EventType, Method string
		StatusCode                              *int
		AttemptCount                            int
	}
	Total, Page, Limit, TotalPages int
}

func (l logList) ids() []string {
	out := make([]string, len(l.Data))
	for i, r := range l.Data {
		out[i] = r.ID
	}

	return out
}

type stats struct {
	TotalWebhooksSent, TotalWebhooksFailed, TotalWebhooksQueued int
	SuccessRate                                                 float64
}

// P16: with organisation A's token, organisation B's message, attempts and
// key answer exactly as ids that do not exist, and nothing of B changes.
func TestOtherOrganisationsDataIsNotFound(t *testing.T) {
	t.Parallel()

	a, b := newTenant(t), newTenant(t)
	rcv := newReceiver(t, always(410))

	bMsg := b.send(t, rcv.URL, `{"owner":"b"}`)
	b.waitFinal(t, bMsg, 15*time.Second)

	bKeys := listKeys(t, b.bearer())
	if len(bKeys) != 1 {
		t.Fatalf("B has %d keys, want 1", len(bKeys))
	}

	bInv, _ := invite(t, b, newEmail(), "member")

	random := uuid.NewString()
	probes := []struct{ method, theirs, nobodys string }{
		{"GET", "/api/webhook-logs/" + bMsg, "/api/webhook-logs/" + random},
		{"GET", "/api/webhook-logs/msg_" + bMsg, "/api/webhook-logs/msg_" + random},
		{"POST", "/api/webhook-logs/" + bMsg + "/retry", "/api/webhook-logs/" + random + "/retry"},
		{"DELETE", "/api/api-key/" + bKeys[0].ID, "/api/api-key/" + random},
		{"DELETE", "/api/invitations/" + bInv.ID, "/api/invitations/" + random},
	}

	for _, p := range probes {
		ts, tb := call(t, p.method, p.theirs, a.bearer(), "")
		ns, nb := call(t, p.method, p.nobodys, a.bearer(), "")
		wantError(t, ts, tb, 404)

		if ts != ns || !bytes.Equal(tb, nb) {
			t.Fatalf("%s of B's id answered %d %s; of no one's %d %s",
				p.method, ts, tb, ns, nb)
		}
	}

	// B's message was not retried and B's key still works.
	d := b.waitFinal(t, bMsg, time.Second)
	if d.Status != "failed" || len(d.DeliveryAttempts) != 1 || len(rcv.deliveries()) != 1 {
		t.Fatalf("B's message after A's probes: %s with %d attempts, %d deliveries",
			d.Status, len(d.DeliveryAttempts), len(rcv.deliveries()))
	}

	b.send(t, rcv.URL, `{"still":"works"}`)

	var invs []invitation
	callJSON(t, 200, "GET", "/api/invitations", b.bearer(), "", &invs)

	if len(invs) != 1 || invs[0].Status != "pending" {
		t.Fatalf("B's invitations after A's probes: %+v", invs)
	}
}

// X-Org-ID naming an organisation the caller is not in answers 404 on every
// organisation route, the same as one that does not exist.
func TestOrgHeaderOfAnotherOrganisation(t *testing.T) {
	t.Parallel()

	a, b := newTenant(t), newTenant(t)

	routes := []struct{ method, path, body string }{
		{"GET", "/api/webhook-logs", ""},
		{"GET", "/api/dashboard/stats", ""},
		{"GET", "/api/dashboard/timeseries", ""},
		{"GET", "/api/api-key/list", ""},
		{"POST", "/api/api-key/create", ""},
		{"GET", "/api/org/signing-secret", ""},
		{"POST", "/api/org/signing-secret/rotate", ""},
		{"GET", "/api/members", ""},
		{"GET", "/api/invitations", ""},
		{"POST", "/api/invitations", `{"email":"x@example.com"}`},
		{"DELETE", "/api/org", `{"name":"Test's organization"}`},
	}

	for _, r := range routes {
		for _, org := range []string{b.orgID, uuid.NewString(), "not-a-uuid", "' OR 1=1 --"} {
			status, body := call(t, r.method, r.path, a.asOrg(org), r.body)
			wantError(t, status, body, 404)
		}
	}

	var secret struct{ SigningSecret string }
	callJSON(t, 200, "GET", "/api/org/signing-secret", b.bearer(), "", &secret)

	if secret.SigningSecret != b.secret {
		t.Fatal("B's signing secret changed after A's requests")
	}

	if n := countRows(t, `SELECT count(*) FROM api_keys WHERE org_id = $1`, b.orgID); n != 1 {
		t.Fatalf("B has %d keys after A's requests, want 1", n)
	}
}

// Lists, stats and series show the caller's organisation only.
func TestListsNeverMixOrganisations(t *testing.T) {
	t.Parallel()

	a, b := newTenant(t), newTenant(t)
	rcv := newReceiver(t, always(200))

	aMsg := a.send(t, rcv.URL+"/shared-path", `{"owner":"a"}`)
	var bMsgs []string
	for range 3 {
		bMsgs = append(bMsgs, b.send(t, rcv.URL+"/shared-path", `{"owner":"b"}`))
	}

	a.waitFinal(t, aMsg, 15*time.Second)
	for _, id := range bMsgs {
		b.waitFinal(t, id, 15*time.Second)
	}

	for _, q := range []string{"", "?search=shared-path", "?status=success", "?limit=100"} {
		var l logList
		callJSON(t, 200, "GET", "/api/webhook-logs"+q, a.bearer(), "", &l)

		if l.Total != 1 || !slices.Equal(l.ids(), []string{aMsg}) {
			t.Fatalf("A's log%s: total %d, ids %v, want only %s", q, l.Total, l.ids(), aMsg)
		}
	}

	var st stats
	callJSON(t, 200, "GET", "/api/dashboard/stats", a.bearer(), "", &st)

	if st.TotalWebhooksSent != 1 || st.TotalWebhooksFailed != 0 || st.TotalWebhooksQueued != 0 {
		t.Fatalf("A's stats %+v, want 1 sent", st)
	}

	var series struct {
		Points []struct{ Success, Failed, Retried int }
	}
	callJSON(t, 200, "GET", "/api/dashboard/timeseries?window=1h", a.bearer(), "", &series)

	success := 0
	for _, p := range series.Points {
		success += p.Success
	}

	if success != 1 {
		t.Fatalf("A's series counts %d successes, want 1", success)
	}

	var keys, members []json.RawMessage
	callJSON(t, 200, "GET", "/api/api-key/list", a.bearer(), "", &keys)
	callJSON(t, 200, "GET", "/api/members", a.bearer(), "", &members)

	if len(keys) != 1 || len(members) != 1 {
		t.Fatalf("A sees %d keys and %d members, want 1 and 1", len(keys), len(members))
	}
}

// Ids that are not UUIDs are simply not found.
func TestMalformedIDsAreNotFound(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	for _, id := range []string{"not-a-uuid", "msg_", "msg_msg_" + uuid.NewString(), "1",
		"%27%20OR%201=1", "00000000-0000-0000-0000-000000000000",
		uuid.NewString() + "0", "%00"} {
		for _, r := range []struct{ method, path, body string }{
			{"GET", "/api/webhook-logs/" + id, ""},
			{"POST", "/api/webhook-logs/" + id + "/retry", ""},
			{"DELETE", "/api/api-key/" + id, ""},
			{"DELETE", "/api/invitations/" + id, ""},
			{"POST", "/api/invitations/" + id + "/respond", `{"action":"accept"}`},
		} {
			status, body := call(t, r.method, r.path, tn.bearer(), r.body)
			wantError(t, status, body, 404)
		}
	}
}
