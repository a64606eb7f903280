package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/signing"
)

type org struct{ ID, Name, Slug, Role string }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// A user's second organisation is separate from the first: its own key,
// secret and messages, reached with X-Org-ID.
func TestSecondOrganisationIsSeparate(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	first := tn.send(t, rcv.URL, `{"org":1}`)

	var second org
	callJSON(t, 201, "POST", "/api/orgs", tn.bearer(), `{"name":"  Zoë & Co. 🚀  "}`, &second)

	if second.Name != "Zoë & Co. 🚀" || second.Role != "admin" ||
		!slugPattern.MatchString(second.Slug) {
		t.Fatalf("new organisation %+v", second)
	}

	var orgs []org
	callJSON(t, 200, "GET", "/api/orgs", tn.bearer(), "", &orgs)

	if len(orgs) != 2 || orgs[0].ID != tn.orgID || orgs[1] != second {
		t.Fatalf("organisations %+v, want the first then %+v", orgs, second)
	}

	as := tn.asOrg(second.ID)

	var key apiKey
	callJSON(t, 201, "POST", "/api/api-key/create", as, "", &key)

	var secret struct{ SigningSecret string }
	callJSON(t, 200, "GET", "/api/org/signing-secret", as, "", &secret)

	if secret.SigningSecret == tn.secret {
		t.Fatal("two organisations share a signing secret")
	}

	var resp struct{ MessageID string }
	callJSON(t, 201, "POST", "/webhook/send", map[string]string{"X-API-Key": key.Key},
		`{"url":"`+rcv.URL+`","payload":{"org":2}}`, &resp)

	d := tn.waitFinal(t, first, 15*time.Second)
	eventually(t, 15*time.Second, func() bool { return len(rcv.deliveries()) == 2 })

	// Each message is signed with its own organisation's secret.
	for _, dl := range rcv.deliveries() {
		if strings.Contains(string(dl.body), `"org":1`) {
			checkSigned(t, dl, tn.secret, first, `{"org":1}`)
		} else {
			checkSigned(t, dl, secret.SigningSecret, resp.MessageID, `{"org":2}`)
		}
	}

	var l logList
	callJSON(t, 200, "GET", "/api/webhook-logs", as, "", &l)

	if l.Total != 1 || len(l.Data) != 1 || l.Data[0].ID != resp.MessageID || d.Status != "success" {
		t.Fatalf("second organisation's log %v, want only %s", l.ids(), resp.MessageID)
	}
}

func TestCreateOrganisationInput(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	cases := []struct {
		name, body string
		status     int
	}{
		{"no name", `{}`, 422},
		{"empty name", `{"name":""}`, 422},
		// Trimmed to nothing: an organisation without a name could never be
		// deleted, as deleting asks for its name.
		{"blank name", `{"name":"   "}`, 422},
		{"name too long", `{"name":"` + strings.Repeat("n", 101) + `"}`, 422},
		{"name of the wrong type", `{"name":12}`, 422},
		{"NUL in the name", `{"name":"a\u0000b"}`, 422},
		{"malformed JSON", `{"name":`, 400},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, b := call(t, "POST", "/api/orgs", tn.bearer(), c.body)
			wantError(t, status, b, c.status, fieldsFor(c.status, "name")...)
		})
	}

	// A name of symbols only still gets a usable slug.
	var o org
	callJSON(t, 201, "POST", "/api/orgs", tn.bearer(), `{"name":"日本語 ★★★"}`, &o)

	if !slugPattern.MatchString(o.Slug) {
		t.Fatalf("slug %q for a name without ASCII letters", o.Slug)
	}
}

// Rotating the secret answers the new one, which signs every later attempt;
// the old one no longer verifies.
func TestRotatedSecretSignsLaterDeliveries(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))

	status, body := call(t, "POST", "/api/org/signing-secret/rotate", tn.bearer(), "")
	if status != 200 {
		t.Fatalf("rotate: status %d: %s", status, body)
	}

	var rotated struct{ SigningSecret string }
	mustDecode(t, body, &rotated)

	if !strings.HasPrefix(rotated.SigningSecret, "whsec_") || rotated.SigningSecret == tn.secret {
		t.Fatalf("rotated secret %q (was %q)", rotated.SigningSecret, tn.secret)
	}

	var current struct{ SigningSecret string }
	callJSON(t, 200, "GET", "/api/org/signing-secret", tn.bearer(), "", &current)

	if current != rotated {
		t.Fatalf("secret reads %q after rotating to %q", current.SigningSecret,
			rotated.SigningSecret)
	}

	id := tn.send(t, rcv.URL, `{"after":"rotation"}`)
	tn.waitFinal(t, id, 15*time.Second)

	d := rcv.deliveries()[0]
	checkSigned(t, d, rotated.SigningSecret, id, `{"after":"rotation"}`)

	err := signing.Verify(tn.secret, d.header.Get(signing.HeaderID),
		d.header.Get(signing.HeaderTimestamp), d.header.Get(signing.HeaderSignature), d.body,
		time.Now(), 5*time.Minute)
	if err == nil {
		t.Fatal("the old secret still verifies a delivery made after rotation")
	}
}

// The secret is never cached on the way.
func TestSecretAnswersAreNotCached(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	for _, r := range []struct{ method, path string }{
		{"GET", "/api/org/signing-secret"}, {"POST", "/api/org/signing-secret/rotate"},
	} {
		resp := rawDo(t, r.method, r.path, tn.bearer())
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s %s: Cache-Control %q, want no-store", r.method, r.path, cc)
		}
	}
}

// /api/me is the caller, whatever organisation X-Org-ID names.
func TestMe(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	var me map[string]any
	callJSON(t, 200, "GET", "/api/me", tn.bearer(), "", &me)

	if me["email"] != tn.email || me["firstName"] != "Test" || me["lastName"] != "User" {
		t.Fatalf("/api/me: %v", me)
	}

	b, _ := json.Marshal(me)
	for _, secret := range []string{"secret123", "$2a$", "password"} {
		if strings.Contains(string(b), secret) {
			t.Fatalf("/api/me shows %q: %s", secret, b)
		}
	}
}
