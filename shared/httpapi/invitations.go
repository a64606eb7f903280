package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/storage"
)

// invitationTTL is how long an invitation link works.
const invitationTTL = 7 * 24 * time.Hour

type inviteRequest struct {
	Email string `json:"email" validate:"required,email,max=254,text"`
	Role  string `json:"role" validate:"omitempty,oneof=admin member"`
}

type invitationResponse struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	Status    string    `json:"status"`
	ExpiresAt time.Time `json:"expiresAt"`
	CreatedAt time.Time `json:"createdAt"`
	InviteURL string    `json:"inviteUrl,omitempty"`
}

func toInvitation(inv storage.Invitation) invitationResponse {
	return invitationResponse{ID: inv.ID, Email: inv.Email, Role: inv.Role,
		Status: inv.Status, ExpiresAt: inv.ExpiresAt.UTC(), CreatedAt: inv.CreatedAt.UTC()}
}

// invite creates an invitation. No mail is sent: the answer carries the
// link, which the admin passes on. Only a hash of its token is stored.
func (s *server) invite(w http.ResponseWriter, r *http.Request) {
	var req inviteRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	if req.Role == "" {
		req.Role = storage.RoleMember
	}

	token, hash := newInviteToken()
	now := s.Clock.Now()
	inv := storage.Invitation{
		ID: uuid.New(), OrgID: orgID(r), Email: strings.TrimSpace(req.Email), Role: req.Role,
		TokenHash: hash, InvitedBy: userID(r), Status: storage.InvitePending,
		ExpiresAt: now.Add(invitationTTL), CreatedAt: now,
	}

	if err := s.Store.CreateInvitation(r.Context(), inv); err != nil {
		s.fail(w, r, err)
		return
	}

	resp := toInvitation(inv)
	resp.InviteURL = s.publicURL(r) + "/invitations/accept?token=" + url.QueryEscape(token)
	writeJSON(w, http.StatusCreated, resp)
}

func newInviteToken() (string, []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms

	token := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))

	return token, sum[:]
}

// publicURL is where the dashboard is reached: CHIS_PUBLIC_URL, or the
// origin the request came to.
func (s *server) publicURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}

	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}

	return scheme + "://" + r.Host
}

func (s *server) listInvitations(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.OrgInvitations(r.Context(), orgID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := make([]invitationResponse, len(list))
	for i, inv := range list {
		out[i] = toInvitation(inv)
	}

	writeJSON(w, http.StatusOK, out)
}

func (s *server) cancelInvitation(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, notFound("invitation"))
		return
	}

	if err := s.Store.CancelInvitation(r.Context(), orgID(r), id); err != nil {
		s.failNotFound(w, r, err, "invitation")
		return
	}

	writeJSON(w, http.StatusOK, messageResponse{Message: "invitation cancelled"})
}

type pendingResponse struct {
	ID        uuid.UUID `json:"id"`
	OrgName   string    `json:"orgName"`
	OrgSlug   string    `json:"orgSlug"`
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// pendingInvitations lists the invitations sent to the caller's e-mail.
func (s *server) pendingInvitations(w http.ResponseWriter, r *http.Request) {
	u, err := s.user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	list, err := s.Store.PendingInvitations(r.Context(), u.Email, s.Clock.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := make([]pendingResponse, len(list))
	for i, inv := range list {
		out[i] = pendingResponse{ID: inv.ID, OrgName: inv.OrgName, OrgSlug: inv.OrgSlug,
			Role: inv.Role, ExpiresAt: inv.ExpiresAt.UTC()}
	}

	writeJSON(w, http.StatusOK, out)
}

type acceptRequest struct {
	Token string `json:"token" validate:"required,max=200"`
}

type acceptResponse struct {
	Message string    `json:"message"`
	OrgID   uuid.UUID `json:"orgId"`
	OrgName string    `json:"orgName"`
	OrgSlug string    `json:"orgSlug"`
	Role    string    `json:"role"`
}

func (s *server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	var req acceptRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	sum := sha256.Sum256([]byte(req.Token))
	s.answerInvitation(w, r, storage.InvitationMatch{TokenHash: sum[:], UserID: userID(r)},
		true)
}

type respondRequest struct {
	Action string `json:"action" validate:"required,oneof=accept decline"`
}

func (s *server) respondInvitation(w http.ResponseWriter, r *http.Request) {
	var req respondRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, notFound("invitation"))
		return
	}

	s.answerInvitation(w, r, storage.InvitationMatch{ID: id, UserID: userID(r)},
		req.Action == "accept")
}

// answerInvitation accepts or declines. An invitation sent to another
// e-mail is not found, exactly like one that does not exist.
func (s *server) answerInvitation(w http.ResponseWriter, r *http.Request,
	m storage.InvitationMatch, accept bool) {
	inv, err := s.Store.RespondInvitation(r.Context(), m, accept, s.Clock.Now())
	if errors.Is(err, storage.ErrAlreadyMember) {
		writeError(w, newError(http.StatusConflict, "conflict",
			"you are already a member of this organisation"))

		return
	}

	if err != nil {
		s.failNotFound(w, r, err, "invitation")
		return
	}

	if !accept {
		writeJSON(w, http.StatusOK, messageResponse{Message: "invitation declined"})
		return
	}

	writeJSON(w, http.StatusOK, acceptResponse{Message: "invitation accepted",
		OrgID: inv.OrgID, OrgName: inv.OrgName, OrgSlug: inv.OrgSlug, Role: inv.Role})
}

// failNotFound answers 404 for ErrNotFound, else translates.
func (s *server) failNotFound(w http.ResponseWriter, r *http.Request, err error, what string) {
	if storage.IsNotFound(err) {
		writeError(w, notFound(what))
		return
	}

	s.fail(w, r, err)
}
