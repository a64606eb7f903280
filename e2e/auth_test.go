package e2e

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/testenv"
)

// jwtSecret is the key the stack signs dashboard tokens with.
const jwtSecret = "local-development-jwt-secret-0123456789"

func newEmail() string {
	return "user-" + testenv.RandomHex(6) + "@example.com"
}

// registerBody is a /auth/register body.
func registerBody(email, password, firstName string) string {
	b, _ := json.Marshal(map[string]string{
		"email": email, "password": password, "firstName": firstName, "lastName": "Doe",
	})

	return string(b)
}

// login signs in and returns the token.
func login(t *testing.T, email, password string) string {
	t.Helper()

	var out struct {
		Token     string
		ExpiresAt time.Time
	}
	callJSON(t, 200, "POST", "/auth/login", nil,
		`{"email":"`+email+`","password":"`+password+`"}`, &out)

	if out.Token == "" || !out.ExpiresAt.After(time.Now()) {
		t.Fatalf("login answered token %q expiring %v", out.Token, out.ExpiresAt)
	}

	return out.Token
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

func TestRegisterAnswersTheNewUser(t *testing.T) {
	t.Parallel()

	email := newEmail()
	status, body := call(t, "POST", "/auth/register", nil,
		registerBody(email, "secret123", "Ada"))
	if status != 201 {
		t.Fatalf("register: status %d: %s", status, body)
	}

	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}

	if id, _ := got["id"].(string); uuid.Validate(id) != nil {
		t.Fatalf("id %v is not a UUID", got["id"])
	}

	if got["email"] != email || got["firstName"] != "Ada" {
		t.Fatalf("register answered %s", body)
	}

	for _, secret := range []string{"secret123", "password", "hash", "$2a$"} {
		if bytes.Contains(body, []byte(secret)) {
			t.Fatalf("register answer mentions %q: %s", secret, body)
		}
	}

	var me struct{ ID, Email, FirstName, LastName string }
	callJSON(t, 200, "GET", "/api/me", bearer(login(t, email, "secret123")), "", &me)

	if me.ID != got["id"] || me.Email != email || me.FirstName != "Ada" || me.LastName != "Doe" {
		t.Fatalf("/api/me answered %+v after register answered %s", me, body)
	}
}

// E-mail addresses are one account whatever their case, at register and login.
func TestEmailIsOneAccountWhateverItsCase(t *testing.T) {
	t.Parallel()

	email := newEmail()
	callJSON(t, 201, "POST", "/auth/register", nil, registerBody(email, "secret123", "Ada"), nil)

	status, body := call(t, "POST", "/auth/register", nil,
		registerBody(strings.ToUpper(email), "other-password", "Eve"))
	e := wantError(t, status, body, 409)

	if strings.Contains(e.Message, "users_email") || strings.Contains(e.Message, "SQLSTATE") {
		t.Fatalf("conflict leaks internal text: %s", body)
	}

	login(t, strings.ToUpper(email), "secret123")

	status, body = call(t, "POST", "/auth/login", nil,
		`{"email":"`+email+`","password":"other-password"}`)
	wantError(t, status, body, 401)
}

// Two people called Sam each get an organisation of their own.
func TestSameFirstNameGetsSeparateOrganisations(t *testing.T) {
	t.Parallel()

	var orgs [2]struct{ ID, Name, Slug, Role string }

	for i := range orgs {
		email := newEmail()
		callJSON(t, 201, "POST", "/auth/register", nil, registerBody(email, "secret123", "Sam"),
			nil)

		var list []struct{ ID, Name, Slug, Role string }
		callJSON(t, 200, "GET", "/api/orgs", bearer(login(t, email, "secret123")), "", &list)

		if len(list) != 1 || list[0].Role != "admin" {
			t.Fatalf("new user's organisations: %+v, want one as admin", list)
		}

		orgs[i] = list[0]
	}

	if orgs[0].ID == orgs[1].ID || orgs[0].Slug == orgs[1].Slug {
		t.Fatalf("two users share an organisation or slug: %+v", orgs)
	}

	if orgs[0].Name != orgs[1].Name {
		t.Fatalf("organisation names %q and %q, want the same", orgs[0].Name, orgs[1].Name)
	}
}

func TestRegisterRefusesBadInput(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name   string
		body   string
		status int
		fields []string
	}{
		{"short password", registerBody(newEmail(), "short7!", "Ada"), 422,
			[]string{"password"}},
		{"missing e-mail", `{"password":"secret123","firstName":"Ada"}`, 422,
			[]string{"email"}},
		{"not an e-mail", registerBody("not-an-email", "secret123", "Ada"), 422,
			[]string{"email"}},
		{"missing first name", `{"email":"` + newEmail() + `","password":"secret123"}`, 422,
			[]string{"firstName"}},
		{"blank first name", registerBody(newEmail(), "secret123", "   "), 422,
			[]string{"firstName"}},
		{"e-mail of the wrong type", `{"email":42,"password":"secret123","firstName":"A"}`,
			422, []string{"email"}},
		// bcrypt reads at most 72 bytes: 40 two-byte letters are 80 bytes.
		{"password over 72 bytes", registerBody(newEmail(), strings.Repeat("é", 40), "Ada"),
			422, []string{"password"}},
		// PostgreSQL text cannot hold NUL.
		{"NUL in first name", registerBody(newEmail(), "secret123", "A\x00da"), 422,
			[]string{"firstName"}},
		{"malformed JSON", `{"email":`, 400, nil},
		{"an array", `[]`, 422, nil},
		{"empty body", ``, 400, nil},
		{"two JSON values", registerBody(newEmail(), "secret123", "Ada") + `{}`, 400, nil},
		{"invalid UTF-8", "{\"email\":\"" + newEmail() + "\",\"password\":\"secret123\"," +
			"\"firstName\":\"A\xffda\"}", 400, nil},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			status, body := call(t, "POST", "/auth/register", nil, c.body)
			wantError(t, status, body, c.status, c.fields...)
		})
	}
}

// Many registrations of one e-mail at once make one user; the others are
// told it is taken.
func TestConcurrentRegistrationOfOneEmail(t *testing.T) {
	t.Parallel()

	email := newEmail()
	statuses := make([]int, 8)
	start := make(chan struct{})

	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			<-start
			statuses[i], _ = tryCall("POST", "/auth/register", nil,
				registerBody(email, "secret123", "Racer"))
		})
	}

	close(start)
	wg.Wait()

	oneWinner(t, "concurrent registrations", statuses, 201)

	n := countRows(t, `SELECT count(*) FROM users WHERE lower(email) = lower($1)`, email)
	orgs := countRows(t, `SELECT count(*) FROM organizations o WHERE NOT EXISTS
		(SELECT FROM memberships m WHERE m.org_id = o.id)`)
	if n != 1 || orgs != 0 {
		t.Fatalf("%d users for the e-mail and %d organisations without members", n, orgs)
	}
}

// A long password that fits bcrypt works, and only the exact one logs in.
func TestLongPasswordsAreNotTruncated(t *testing.T) {
	t.Parallel()

	email := newEmail()
	password := strings.Repeat("p", 72)
	callJSON(t, 201, "POST", "/auth/register", nil, registerBody(email, password, "Ada"), nil)
	login(t, email, password)

	status, body := call(t, "POST", "/auth/login", nil,
		`{"email":"`+email+`","password":"`+password[:71]+`"}`)
	wantError(t, status, body, 401)

	status, body = call(t, "POST", "/auth/register", nil,
		registerBody(newEmail(), password+"p", "Ada"))
	wantError(t, status, body, 422, "password")
}

// A wrong password and an unknown e-mail get the very same answer, so the
// answer does not tell which e-mails are registered.
func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()

	email := newEmail()
	callJSON(t, 201, "POST", "/auth/register", nil, registerBody(email, "secret123", "Ada"), nil)

	wrongStatus, wrongBody := call(t, "POST", "/auth/login", nil,
		`{"email":"`+email+`","password":"secret124"}`)
	unknownStatus, unknownBody := call(t, "POST", "/auth/login", nil,
		`{"email":"`+newEmail()+`","password":"secret123"}`)

	wantError(t, wrongStatus, wrongBody, 401)

	if unknownStatus != wrongStatus || !bytes.Equal(unknownBody, wrongBody) {
		t.Fatalf("unknown e-mail answered %d %s, wrong password %d %s",
			unknownStatus, unknownBody, wrongStatus, wrongBody)
	}

	for name, body := range map[string]string{
		"malformed JSON": `{"email":"` + email,
		"NUL in e-mail":  `{"email":"a\u0000@example.com","password":"secret123"}`,
	} {
		status, b := call(t, "POST", "/auth/login", nil, body)
		if status != 400 && status != 401 && status != 422 {
			t.Fatalf("login with %s: status %d: %s", name, status, b)
		}
	}
}

// forge signs claims for a token that Chis must refuse.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()

	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("forge token: %v", err)
	}

	return s
}

func TestForgedTokensAreRefused(t *testing.T) {
	t.Parallel()

	email := newEmail()
	reg := struct{ ID string }{}
	callJSON(t, 201, "POST", "/auth/register", nil, registerBody(email, "secret123", "Ada"),
		&reg)

	now := time.Now()
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{"sub": reg.ID, "iss": "chis", "iat": now.Unix(),
			"exp": now.Add(time.Hour).Unix()}
	}
	key := []byte(jwtSecret)

	// The control: a token forged exactly as Chis issues them does work, so
	// each refusal below is about the one thing that case changes.
	callJSON(t, 200, "GET", "/api/orgs", bearer(forge(t, jwt.SigningMethodHS256, key, valid())),
		"", nil)

	expired, wrongIssuer, noExpiry, notYet := valid(), valid(), valid(), valid()
	expired["exp"] = now.Add(-time.Minute).Unix()
	wrongIssuer["iss"] = "someone-else"
	delete(noExpiry, "exp")
	notYet["nbf"] = now.Add(time.Hour).Unix()

	notUUID := valid()
	notUUID["sub"] = "admin"

	headers := map[string]map[string]string{
		"alg none": bearer(forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType,
			valid())),
		"wrong key": bearer(forge(t, jwt.SigningMethodHS256,
			[]byte("not-the-secret-0123456789abcdef"), valid())),
		"HS512 with the right key": bearer(forge(t, jwt.SigningMethodHS512, key, valid())),
		"expired":                  bearer(forge(t, jwt.SigningMethodHS256, key, expired)),
		"wrong issuer":             bearer(forge(t, jwt.SigningMethodHS256, key, wrongIssuer)),
		"no expiry":                bearer(forge(t, jwt.SigningMethodHS256, key, noExpiry)),
		"not valid yet":            bearer(forge(t, jwt.SigningMethodHS256, key, notYet)),
		"subject not a UUID":       bearer(forge(t, jwt.SigningMethodHS256, key, notUUID)),
		"garbage":                  bearer("not.a.token"),
		"empty bearer":             bearer(""),
		"basic scheme":             {"Authorization": "Basic dXNlcjpwYXNz"},
		"no Authorization":         nil,
		"token without scheme": {"Authorization": forge(t, jwt.SigningMethodHS256, key,
			valid())},
	}

	for name, hdr := range headers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			for _, path := range []string{"/api/orgs", "/api/me", "/api/webhook-logs"} {
				status, body := call(t, "GET", path, hdr, "")
				wantError(t, status, body, 401)
			}
		})
	}
}

// A token that verifies but names a user who no longer exists (a database
// reset, a deleted account) is refused or not found, never a 500.
func TestTokenOfUnknownUser(t *testing.T) {
	t.Parallel()

	now := time.Now()
	token := forge(t, jwt.SigningMethodHS256, []byte(jwtSecret), jwt.MapClaims{
		"sub": uuid.NewString(), "iss": "chis", "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
	})

	// An empty list of organisations is a fair answer too.
	allowed := map[string][]int{
		"/api/me": {401, 404}, "/api/invitations/pending": {401, 404},
		"/api/webhook-logs": {401, 404}, "/api/orgs": {200, 401, 404},
	}

	for path, want := range allowed {
		status, body := call(t, "GET", path, bearer(token), "")
		if !slices.Contains(want, status) {
			t.Errorf("GET %s with a token of an unknown user: status %d, want one of %v: %s",
				path, status, want, body)
		}
	}
}
