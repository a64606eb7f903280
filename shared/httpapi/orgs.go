package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/storage"
)

type meResponse struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
}

func (s *server) me(w http.ResponseWriter, r *http.Request) {
	u, err := s.user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	writeJSON(w, http.StatusOK, meResponse{
		ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
	})
}

// user is the signed-in user. A valid token for a user that no longer
// exists is a 401, like any token that no longer stands for anyone.
func (s *server) user(r *http.Request) (storage.User, error) {
	u, err := s.Store.UserByID(r.Context(), userID(r))
	if storage.IsNotFound(err) {
		return storage.User{}, errUnauthorized
	}

	return u, err
}

type deleteOrgRequest struct {
	Name string `json:"name" validate:"required,text"`
}

type messageResponse struct {
	Message string `json:"message"`
}

// deleteOrg deletes the organisation once the caller types its name, so a
// slip of the mouse cannot delete it.
func (s *server) deleteOrg(w http.ResponseWriter, r *http.Request) {
	var req deleteOrgRequest
	if err := decode(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}

	m := membership(r)
	if req.Name != m.Name {
		s.fail(w, r, invalid(FieldError{Field: "name",
			Message: "must be the organisation's name, exactly"}))

		return
	}

	if err := s.Store.DeleteOrg(r.Context(), m.ID); err != nil {
		s.fail(w, r, err)
		return
	}

	writeJSON(w, http.StatusOK, messageResponse{Message: "organisation deleted"})
}

type memberResponse struct {
	UserID    uuid.UUID `json:"userId"`
	Email     string    `json:"email"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
	Role      string    `json:"role"`
	JoinedAt  time.Time `json:"joinedAt"`
}

func (s *server) members(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Members(r.Context(), orgID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}

	out := make([]memberResponse, len(list))
	for i, m := range list {
		out[i] = memberResponse{UserID: m.ID, Email: m.Email, FirstName: m.FirstName,
			LastName: m.LastName, Role: m.Role, JoinedAt: m.JoinedAt.UTC()}
	}

	writeJSON(w, http.StatusOK, out)
}
