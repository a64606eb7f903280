package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/storage"
)

type ctxKey int

const (
	ctxOrgID ctxKey = iota
	ctxUserID
	ctxMembership
)

// apiKey authenticates a tenant's backend by its X-API-Key header.
func (s *server) apiKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-API-Key")
		if !strings.HasPrefix(key, auth.KeyPrefix) {
			writeError(w, errUnauthorized)
			return
		}

		orgID, err := s.Store.OrgForAPIKey(r.Context(), auth.HashAPIKey(key), s.Clock.Now())
		if storage.IsNotFound(err) {
			writeError(w, errUnauthorized)
			return
		}

		if err != nil {
			s.fail(w, r, err)
			return
		}

		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxOrgID, orgID)))
	})
}

// session authenticates a dashboard user by the bearer token.
func (s *server) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			writeError(w, errUnauthorized)
			return
		}

		userID, err := s.Tokens.Verify(strings.TrimSpace(token), s.Clock.Now())
		if err != nil {
			writeError(w, errUnauthorized)
			return
		}

		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxUserID, userID)))
	})
}

// orgScope picks the organisation a dashboard call acts on: the one named by
// X-Org-ID, or the user's oldest. An organisation the user is not a member of
// is a 404, the same as one that does not exist.
func (s *server) orgScope(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		orgID := uuid.Nil
		if h := r.Header.Get("X-Org-ID"); h != "" {
			id, err := uuid.Parse(h)
			if err != nil || id == uuid.Nil {
				writeError(w, notFound("organisation"))
				return
			}

			orgID = id
		}

		m, err := s.Store.Membership(r.Context(), userID(r), orgID)
		if storage.IsNotFound(err) {
			writeError(w, notFound("organisation"))
			return
		}

		if err != nil {
			s.fail(w, r, err)
			return
		}

		ctx := context.WithValue(r.Context(), ctxMembership, m)
		ctx = context.WithValue(ctx, ctxOrgID, m.ID)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// adminOnly lets through members with the admin role.
func adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if membership(r).Role != storage.RoleAdmin {
			writeError(w, errForbidden)
			return
		}

		next.ServeHTTP(w, r)
	})
}

func orgID(r *http.Request) uuid.UUID {
	id, _ := r.Context().Value(ctxOrgID).(uuid.UUID)
	return id
}

func userID(r *http.Request) uuid.UUID {
	id, _ := r.Context().Value(ctxUserID).(uuid.UUID)
	return id
}

func membership(r *http.Request) storage.Membership {
	m, _ := r.Context().Value(ctxMembership).(storage.Membership)
	return m
}
