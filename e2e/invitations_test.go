package e2e

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// user is a registered person without the API key newTenant makes.
type user struct {
	id, email, token string
}

func (u user) bearer() map[string]string { return bearer(u.token) }

func newUser(t *testing.T, email string) user {
	t.Helper()

	var reg struct{ ID string }
	callJSON(t, 201, "POST", "/auth/register", nil, registerBody(email, "secret123", "Invitee"),
		&reg)

	return user{id: reg.ID, email: email, token: login(t, email, "secret123")}
}

type invitation struct {
	ID, Email, Role, Status, InviteURL string
	ExpiresAt, CreatedAt               time.Time
}

// invite has the tenant's admin invite an e-mail and returns the invitation
// and the token from its link.
func invite(t *testing.T, admin tenant, email, role string) (invitation, string) {
	t.Helper()

	var inv invitation
	callJSON(t, 201, "POST", "/api/invitations/", admin.bearer(),
		`{"email":"`+email+`","role":"`+role+`"}`, &inv)

	link, err := url.Parse(inv.InviteURL)
	if err != nil || link.Query().Get("token") == "" || inv.Status != "pending" ||
		time.Until(inv.ExpiresAt) < 24*time.Hour {
		t.Fatalf("invitation %+v (link %v)", inv, err)
	}

	return inv, link.Query().Get("token")
}

// orgName is the name of the tenant's (only) organisation.
func orgName(t *testing.T, tn tenant) string {
	t.Helper()

	var orgs []org
	callJSON(t, 200, "GET", "/api/orgs", tn.bearer(), "", &orgs)

	if len(orgs) != 1 {
		t.Fatalf("tenant has %d organisations, want 1", len(orgs))
	}

	return orgs[0].Name
}

func accept(t *testing.T, u user, token string) (int, []byte) {
	t.Helper()

	return call(t, "POST", "/api/invitations/accept", u.bearer(), `{"token":"`+token+`"}`)
}

// An invited member joins, sees and uses the organisation, but cannot do
// what only admins may.
func TestInvitedMemberJoinsWithoutAdminRights(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	rcv := newReceiver(t, always(200))
	msg := admin.send(t, rcv.URL, `{"for":"members"}`)

	bob := newUser(t, newEmail())
	carol := newUser(t, newEmail())

	// Invited in another case than registered: e-mails match without case.
	inv, token := invite(t, admin, strings.ToUpper(bob.email), "")
	if inv.Role != "member" {
		t.Fatalf("default role %q, want member", inv.Role)
	}

	var pending []struct{ ID, OrgName, OrgSlug, Role string }
	callJSON(t, 200, "GET", "/api/invitations/pending", bob.bearer(), "", &pending)

	if len(pending) != 1 || pending[0].ID != inv.ID || pending[0].OrgName == "" {
		t.Fatalf("bob's pending invitations: %+v", pending)
	}

	callJSON(t, 200, "GET", "/api/invitations/pending", carol.bearer(), "", &pending)

	if len(pending) != 0 {
		t.Fatalf("carol sees bob's invitation: %+v", pending)
	}

	// Someone else holding the link cannot use it.
	status, body := accept(t, carol, token)
	wantError(t, status, body, 404)

	status, body = call(t, "POST", "/api/invitations/"+inv.ID+"/respond", carol.bearer(),
		`{"action":"accept"}`)
	wantError(t, status, body, 404)

	var joined struct{ OrgID, Role, Message string }
	status, body = accept(t, bob, token)
	if status != 200 {
		t.Fatalf("bob accepts: status %d: %s", status, body)
	}

	if mustDecode(t, body, &joined); joined.OrgID != admin.orgID || joined.Role != "member" {
		t.Fatalf("accept answered %s", body)
	}

	status, body = accept(t, bob, token)
	wantError(t, status, body, 404)

	checkMember(t, admin, bob, "member")
	checkMemberActs(t, admin, bob, msg)
	checkMemberIsNotAdmin(t, admin, bob)

	if n := countRows(t, `SELECT count(*) FROM memberships WHERE user_id = $1`, carol.id); n != 1 {
		t.Fatalf("carol has %d memberships, want her own only", n)
	}
}

func checkMember(t *testing.T, admin tenant, u user, role string) {
	t.Helper()

	var members []struct{ UserID, Email, Role string }
	callJSON(t, 200, "GET", "/api/members", admin.bearer(), "", &members)

	for _, m := range members {
		if m.UserID == u.id && m.Email == u.email && m.Role == role {
			return
		}
	}

	t.Fatalf("members %+v, want %s as %s", members, u.email, role)
}

// checkMemberActs: the member reaches the organisation with X-Org-ID and
// sees its messages; without the header, their own organisation stays
// the default.
func checkMemberActs(t *testing.T, admin tenant, u user, msg string) {
	t.Helper()

	var orgs []struct{ ID, Role string }
	callJSON(t, 200, "GET", "/api/orgs", u.bearer(), "", &orgs)

	if len(orgs) != 2 || orgs[1].ID != admin.orgID || orgs[1].Role != "member" {
		t.Fatalf("member's organisations: %+v", orgs)
	}

	var l logList
	callJSON(t, 200, "GET", "/api/webhook-logs", with(u.bearer(), "X-Org-ID", admin.orgID), "",
		&l)

	if l.Total != 1 || len(l.Data) != 1 || l.Data[0].ID != msg {
		t.Fatalf("member sees log %v, want %s", l.ids(), msg)
	}

	callJSON(t, 200, "GET", "/api/webhook-logs/"+msg, with(u.bearer(), "X-Org-ID",
		admin.orgID), "", nil)
	callJSON(t, 200, "GET", "/api/webhook-logs", u.bearer(), "", &l)

	if l.Total != 0 {
		t.Fatalf("member's own organisation shows %d messages", l.Total)
	}
}

// checkMemberIsNotAdmin: every admin route is a 403 for a member, and
// nothing changed.
func checkMemberIsNotAdmin(t *testing.T, admin tenant, u user) {
	t.Helper()

	keys := listKeys(t, admin.bearer())
	if len(keys) == 0 {
		t.Fatal("the admin has no key")
	}

	hdr := with(u.bearer(), "X-Org-ID", admin.orgID)
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/api-key/create", ""},
		{"DELETE", "/api/api-key/" + keys[0].ID, ""},
		{"GET", "/api/org/signing-secret", ""},
		{"POST", "/api/org/signing-secret/rotate", ""},
		{"DELETE", "/api/org", `{"name":"Test's organization"}`},
		{"POST", "/api/invitations/", `{"email":"` + newEmail() + `"}`},
		{"GET", "/api/invitations/", ""},
		{"DELETE", "/api/invitations/" + keys[0].ID, ""},
	} {
		status, body := call(t, r.method, r.path, hdr, r.body)
		wantError(t, status, body, 403)
	}

	var secret struct{ SigningSecret string }
	callJSON(t, 200, "GET", "/api/org/signing-secret", admin.bearer(), "", &secret)

	if secret.SigningSecret != admin.secret || len(listKeys(t, admin.bearer())) != 1 {
		t.Fatal("a member's refused requests changed the organisation")
	}
}

// An admin invitation makes an admin; inviting someone who is already a
// member (the admin included) is a conflict, and so is a second live
// invitation to the same e-mail.
func TestInvitedAdminAndRepeatInvitation(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	dana := newUser(t, newEmail())

	_, token := invite(t, admin, dana.email, "admin")
	if status, body := accept(t, dana, token); status != 200 {
		t.Fatalf("accept: status %d: %s", status, body)
	}

	checkMember(t, admin, dana, "admin")
	callJSON(t, 200, "GET", "/api/org/signing-secret", with(dana.bearer(), "X-Org-ID",
		admin.orgID), "", nil)

	inviteConflict(t, admin, strings.ToUpper(dana.email))
	checkMember(t, admin, dana, "admin")

	// An admin who invites their own e-mail is already a member.
	inviteConflict(t, admin, admin.email)

	erin := newEmail()
	invite(t, admin, erin, "member")
	inviteConflict(t, admin, erin)
}

func inviteConflict(t *testing.T, admin tenant, email string) {
	t.Helper()

	status, body := call(t, "POST", "/api/invitations/", admin.bearer(),
		`{"email":"`+email+`","role":"member"}`)
	wantError(t, status, body, 409)
}

// A cancelled or declined invitation no longer works, and is gone from the
// invitee's list.
func TestCancelledAndDeclinedInvitations(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	erin := newUser(t, newEmail())

	cancelled, cancelledToken := invite(t, admin, erin.email, "member")
	callJSON(t, 200, "DELETE", "/api/invitations/"+cancelled.ID, admin.bearer(), "", nil)

	status, body := call(t, "DELETE", "/api/invitations/"+cancelled.ID, admin.bearer(), "")
	wantError(t, status, body, 404)

	status, body = accept(t, erin, cancelledToken)
	wantError(t, status, body, 404)

	declined, declinedToken := invite(t, admin, erin.email, "member")
	callJSON(t, 200, "POST", "/api/invitations/"+declined.ID+"/respond", erin.bearer(),
		`{"action":"decline"}`, nil)

	status, body = accept(t, erin, declinedToken)
	wantError(t, status, body, 404)

	var pending []struct{ ID string }
	callJSON(t, 200, "GET", "/api/invitations/pending", erin.bearer(), "", &pending)

	if len(pending) != 0 {
		t.Fatalf("erin still sees %+v", pending)
	}

	var list []invitation
	callJSON(t, 200, "GET", "/api/invitations", admin.bearer(), "", &list)

	states := map[string]string{}
	for _, inv := range list {
		states[inv.ID] = inv.Status

		if inv.InviteURL != "" {
			t.Fatalf("the invitation list shows a link: %+v", inv)
		}
	}

	if states[cancelled.ID] != "cancelled" || states[declined.ID] != "declined" {
		t.Fatalf("admin's invitation list: %+v", list)
	}

	members := countRows(t, `SELECT count(*) FROM memberships WHERE org_id = $1`, admin.orgID)
	if members != 1 {
		t.Fatalf("organisation has %d members, want 1", members)
	}
}

func TestInvitationInput(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	u := newUser(t, newEmail())

	for body, fields := range map[string][]string{
		`{"email":"not-an-email"}`: {"email"},
		`{}`:                       {"email"},
		`{"email":"a@example.com","role":"root"}`: {"role"},
		`{"email":"a\u0000@example.com"}`:         {"email"},
	} {
		status, b := call(t, "POST", "/api/invitations/", admin.bearer(), body)
		wantError(t, status, b, 422, fields...)
	}

	for body, want := range map[string]int{
		`{"token":""}`: 422,
		`{"token":"` + strings.Repeat("t", 201) + `"}`: 422,
		`{"token":"made-up"}`:                          404,
		`{"token":"a\u0000b"}`:                         404,
		`{"token":`:                                    400,
	} {
		status, b := call(t, "POST", "/api/invitations/accept", u.bearer(), body)
		wantError(t, status, b, want, fieldsFor(want, "token")...)
	}

	status, b := call(t, "POST", "/api/invitations/"+admin.orgID+"/respond", u.bearer(),
		`{"action":"maybe"}`)
	wantError(t, status, b, 422, "action")
}

func fieldsFor(status int, field string) []string {
	if status == 422 {
		return []string{field}
	}

	return nil
}

// Deleting an organisation needs its exact name, and then removes all of
// its data: keys stop working and members lose it.
func TestDeleteOrganisation(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	rcv := newReceiver(t, always(200))

	// Only final messages, so no id of the organisation is left in Redis.
	msg := admin.send(t, rcv.URL, `{}`)
	admin.waitFinal(t, msg, 15*time.Second)

	bob := newUser(t, newEmail())
	_, token := invite(t, admin, bob.email, "member")
	if status, body := accept(t, bob, token); status != 200 {
		t.Fatalf("accept: status %d: %s", status, body)
	}

	name := orgName(t, admin)
	for _, wrong := range []string{"", "wrong", strings.ToUpper(name), name + " "} {
		status, body := call(t, "DELETE", "/api/org", admin.bearer(), `{"name":"`+wrong+`"}`)
		wantError(t, status, body, 422, "name")
	}

	callJSON(t, 200, "GET", "/api/webhook-logs/"+msg, admin.bearer(), "", nil)
	callJSON(t, 200, "DELETE", "/api/org", admin.bearer(), `{"name":"`+name+`"}`, nil)

	for table, query := range map[string]string{
		"organizations":     `SELECT count(*) FROM organizations WHERE id = $1`,
		"api_keys":          `SELECT count(*) FROM api_keys WHERE org_id = $1`,
		"memberships":       `SELECT count(*) FROM memberships WHERE org_id = $1`,
		"invitations":       `SELECT count(*) FROM invitations WHERE org_id = $1`,
		"messages":          `SELECT count(*) FROM messages WHERE org_id = $1`,
		"delivery_attempts": `SELECT count(*) FROM delivery_attempts WHERE org_id = $1`,
	} {
		if n := countRows(t, query, admin.orgID); n != 0 {
			t.Errorf("%d rows of the deleted organisation left in %s", n, table)
		}
	}

	status, body := admin.sendBody(t, `{"url":"`+rcv.URL+`","payload":1}`)
	wantError(t, status, body, 401)

	status, body = call(t, "GET", "/api/webhook-logs", with(bob.bearer(), "X-Org-ID",
		admin.orgID), "")
	wantError(t, status, body, 404)

	var left []struct{ ID string }
	callJSON(t, 200, "GET", "/api/orgs", admin.bearer(), "", &left)

	if len(left) != 0 {
		t.Fatalf("admin still lists %+v", left)
	}

	// The users remain and can start again.
	login(t, admin.email, "secret123")
	callJSON(t, 201, "POST", "/api/orgs", admin.bearer(), `{"name":"Second try"}`, nil)
	callJSON(t, 200, "GET", "/api/webhook-logs", admin.bearer(), "", nil)
}

// Deleting an organisation stops the retries of its messages.
func TestDeletedOrganisationStopsRetries(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	rcv := newReceiver(t, always(500))

	id := admin.send(t, rcv.URL, `{}`)

	var d detail
	eventually(t, 15*time.Second, func() bool {
		callJSON(t, 200, "GET", "/api/webhook-logs/"+id, admin.bearer(), "", &d)
		return len(d.DeliveryAttempts) == 1 && d.Status == "retry"
	})

	// The retry is scheduled in Redis before the organisation goes.
	eventually(t, 5*time.Second, func() bool { return slices.Contains(queuedIDs(t), id) })

	callJSON(t, 200, "DELETE", "/api/org", admin.bearer(), `{"name":"`+orgName(t, admin)+`"}`,
		nil)

	// The retry was due a second after the first attempt; once its id has
	// left Redis, the worker has dropped it.
	eventually(t, 15*time.Second, func() bool {
		return !slices.Contains(queuedIDs(t), id)
	})

	if n := len(rcv.deliveries()); n != 1 {
		t.Fatalf("receiver got %d deliveries, want only the one before deletion", n)
	}
}

// One invitation accepted many times at once makes one membership.
func TestConcurrentAcceptJoinsOnce(t *testing.T) {
	t.Parallel()

	admin := newTenant(t)
	u := newUser(t, newEmail())
	_, token := invite(t, admin, u.email, "member")

	statuses := make([]int, 6)
	start := make(chan struct{})

	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			<-start
			statuses[i], _ = tryCall("POST", "/api/invitations/accept", u.bearer(),
				`{"token":"`+token+`"}`)
		})
	}

	close(start)
	wg.Wait()

	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{200, 404, 404, 404, 404, 404}) {
		t.Fatalf("concurrent accepts answered %v, want one 200 and 404s", statuses)
	}

	checkMember(t, admin, u, "member")
}
