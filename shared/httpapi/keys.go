package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/signing"
	"github.com/chis-dev/chis/shared/storage"
)

// createKeyRequest takes expiresAt as text, so that a value that is not a
// time is a 422 on that field rather than "not valid JSON".
type createKeyRequest struct {
	Name      string `json:"name" validate:"max=100,text"`
	ExpiresAt string `json:"expiresAt"`
}

func (r *createKeyRequest) normalize() { r.Name = strings.TrimSpace(r.Name) }

// expiry parses expiresAt, which must be an RFC 3339 time in the future.
func (r *createKeyRequest) expiry(now time.Time) (*time.Time, error) {
	if r.ExpiresAt == "" {
		return nil, nil
	}

	t, err := time.Parse(time.RFC3339, r.ExpiresAt)
	if err != nil {
		return nil, invalid(FieldError{Field: "expiresAt", Message: "must be an RFC 3339 time"})
	}

	if !t.After(now) {
		return nil, invalid(FieldError{Field: "expiresAt", Message: "must be in the future"})
	}

	return &t, nil
}

type keyResponse struct {
	ID         uuid.UUID  `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Key        string     `json:"key,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
}

func toKeyResponse(k storage.APIKey) keyResponse {
	return keyResponse{
		ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt.UTC(),
		LastUsedAt: utcPtr(k.LastUsedAt), ExpiresAt: utcPtr(k.ExpiresAt),
	}
}

// createKey makes a key and shows it this once; only its hash is kept.
func (s *server) createKey(w http.ResponseWriter, r *http.Request) {
	var req createKeyRequest
	if err := decode(w, r, &req, true); err != nil {
		s.fail(w, r, err)
		return
	}

	now := s.Clock.Now()

	expires, err := req.expiry(now)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	if req.Name == "" {
		req.Name = "API key " + now.UTC().Format("2006-01-02 15:04")
	}

	key, prefix, hash, err := auth.NewAPIKey()
	if err != nil {
		s.fail(w, r, err)
		return
	}

	k := storage.APIKey{
		ID: uuid.New(), OrgID: orgID(r), Name: req.Name, Prefix: prefix, Hash: hash,
		CreatedBy: userID(r), CreatedAt: now, ExpiresAt: expires,
	}
	if err := s.Store.CreateAPIKey(r.Context(), k); err != nil {
		s.fail(w, r, err)
		return
	}

	resp := toKeyResponse(k)
	resp.Key = key
	writeJSON(w, http.StatusCreated, resp)
}

func (s *server) listKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := s.Store.ListAPIKeys(r.Context(), orgID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := make([]keyResponse, len(keys))
	for i, k := range keys {
		out[i] = toKeyResponse(k)
	}

	writeJSON(w, http.StatusOK, out)
}

func (s *server) revokeKey(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, notFound("api key"))
		return
	}

	err = s.Store.RevokeAPIKey(r.Context(), orgID(r), id, s.Clock.Now())
	if storage.IsNotFound(err) {
		writeError(w, notFound("api key"))
		return
	}

	if err != nil {
		s.fail(w, r, err)
		return
	}

	w.WriteHeader(http.StatusNoContent)
}

type secretResponse struct {
	SigningSecret string `json:"signingSecret"`
}

func (s *server) signingSecret(w http.ResponseWriter, r *http.Request) {
	secret, err := s.Store.SigningSecret(r.Context(), orgID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}

	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, secretResponse{SigningSecret: secret})
}

// rotateSecret replaces the secret at once: attempts from now on, retries of
// older messages included, are signed with the new one.
func (s *server) rotateSecret(w http.ResponseWriter, r *http.Request) {
	secret, err := signing.NewSecret()
	if err != nil {
		s.fail(w, r, err)
		return
	}

	if err := s.Store.SetSigningSecret(r.Context(), orgID(r), secret); err != nil {
		s.fail(w, r, err)
		return
	}

	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, secretResponse{SigningSecret: secret})
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}

	u := t.UTC()

	return &u
}
