package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/signing"
	"github.com/chis-dev/chis/shared/storage"
)

type registerRequest struct {
	Email     string `json:"email" validate:"required,email,max=254,text"`
	Password  string `json:"password" validate:"required,min=8"`
	FirstName string `json:"firstName" validate:"required,max=100,text"`
	LastName  string `json:"lastName" validate:"max=100,text"`
}

func (r *registerRequest) normalize() {
	r.Email = strings.TrimSpace(r.Email)
	r.FirstName = strings.TrimSpace(r.FirstName)
	r.LastName = strings.TrimSpace(r.LastName)
}

// maxPasswordBytes is bcrypt's limit, in bytes rather than characters.
const maxPasswordBytes = 72

type userResponse struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
}

// register creates a user with an organisation of their own, as its admin.
func (s *server) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	if len(req.Password) > maxPasswordBytes {
		s.fail(w, r, invalid(FieldError{Field: "password",
			Message: "must be at most 72 bytes"}))

		return
	}

	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	org, err := s.newOrg(req.FirstName + "'s organization")
	if err != nil {
		s.fail(w, r, err)
		return
	}

	u := storage.User{
		ID: uuid.New(), Email: req.Email, PasswordHash: hash, FirstName: req.FirstName,
		LastName: req.LastName, CreatedAt: s.Clock.Now(),
	}

	if _, err := s.Store.Register(r.Context(), u, org); err != nil {
		s.fail(w, r, err)
		return
	}

	writeJSON(w, http.StatusCreated, userResponse{
		ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
	})
}

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=254,text"`
	Password string `json:"password" validate:"required"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// login answers a token for a right e-mail and password, and the same 401
// for an unknown e-mail as for a wrong password.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	u, err := s.Store.UserByEmail(r.Context(), strings.TrimSpace(req.Email))
	switch {
	case storage.IsNotFound(err):
		err = auth.SpendPasswordCheck(req.Password)
	case err == nil:
		err = auth.CheckPassword(u.PasswordHash, req.Password)
	}

	if err != nil {
		s.fail(w, r, err)
		return
	}

	token, exp, err := s.Tokens.Issue(u.ID, s.Clock.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}

	writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: exp.UTC()})
}

type orgResponse struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	Slug string    `json:"slug"`
	Role string    `json:"role"`
}

func toOrgResponse(m storage.Membership) orgResponse {
	return orgResponse{ID: m.ID, Name: m.Name, Slug: m.Slug, Role: m.Role}
}

func (s *server) listOrgs(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Memberships(r.Context(), userID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := make([]orgResponse, len(list))
	for i, m := range list {
		out[i] = toOrgResponse(m)
	}

	writeJSON(w, http.StatusOK, out)
}

type createOrgRequest struct {
	Name string `json:"name" validate:"required,max=100,text"`
}

func (r *createOrgRequest) normalize() { r.Name = strings.TrimSpace(r.Name) }

func (s *server) createOrg(w http.ResponseWriter, r *http.Request) {
	var req createOrgRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	org, err := s.newOrg(req.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	m, err := s.Store.CreateOrg(r.Context(), userID(r), org)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	writeJSON(w, http.StatusCreated, toOrgResponse(m))
}

// newOrg names a new organisation and gives it a fresh signing secret. The
// slug carries a random suffix, so two organisations with the same name (two
// users called Sam) never collide.
func (s *server) newOrg(name string) (storage.NewOrg, error) {
	secret, err := signing.NewSecret()
	if err != nil {
		return storage.NewOrg{}, err
	}

	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return storage.NewOrg{}, fmt.Errorf("slug suffix: %w", err)
	}

	slug := slugify(name) + "-" + hex.EncodeToString(suffix)

	return storage.NewOrg{Name: name, Slug: slug, SigningSecret: secret}, nil
}

// slugify keeps letters and digits of name, lowercased, joined by hyphens.
func slugify(name string) string {
	var b strings.Builder

	dash := false
	for _, c := range strings.ToLower(name) {
		switch {
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}

		if b.Len() >= 40 {
			break
		}
	}

	slug := strings.Trim(b.String(), "-")
	if slug == "" {
		return "org"
	}

	return slug
}
