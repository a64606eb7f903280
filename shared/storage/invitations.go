package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Invitation states.
const (
	InvitePending   = "pending"
	InviteAccepted  = "accepted"
	InviteDeclined  = "declined"
	InviteCancelled = "cancelled"
)

// Invitation errors.
var (
	// ErrAlreadyMember means the invited user is already in the organisation.
	ErrAlreadyMember = errors.New("already a member")
	// ErrAlreadyInvited means a live invitation to that e-mail exists.
	ErrAlreadyInvited = errors.New("already invited")
)

// Invitation asks someone, by e-mail, to join an organisation.
type Invitation struct {
	ID        uuid.UUID
	OrgID     uuid.UUID
	OrgName   string
	OrgSlug   string
	Email     string
	Role      string
	TokenHash []byte
	InvitedBy uuid.UUID
	Status    string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// CreateInvitation stores a pending invitation, unless the e-mail (in any
// case) is already a member's (ErrAlreadyMember) or already has a live
// invitation (ErrAlreadyInvited).
func (s *Store) CreateInvitation(ctx context.Context, inv Invitation) error {
	var member, invited bool

	err := s.pool.QueryRow(ctx, `
		SELECT
			EXISTS (SELECT FROM memberships m JOIN users u ON u.id = m.user_id
				WHERE m.org_id = $1 AND lower(u.email) = lower($2)),
			EXISTS (SELECT FROM invitations
				WHERE org_id = $1 AND lower(email) = lower($2) AND status = 'pending'
				  AND expires_at > $3)`, inv.OrgID, inv.Email, inv.CreatedAt).
		Scan(&member, &invited)
	if err != nil {
		return fmt.Errorf("create invitation: %w", translate(err))
	}

	switch {
	case member:
		return fmt.Errorf("create invitation: %w", ErrAlreadyMember)
	case invited:
		return fmt.Errorf("create invitation: %w", ErrAlreadyInvited)
	}

	_, err = s.pool.Exec(ctx, `
		INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, status,
			expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)`,
		inv.ID, inv.OrgID, inv.Email, inv.Role, inv.TokenHash, inv.InvitedBy, inv.ExpiresAt,
		inv.CreatedAt)
	if err != nil {
		return fmt.Errorf("create invitation: %w", translate(err))
	}

	return nil
}

const invitationColumns = `i.id, i.org_id, o.name, o.slug, i.email, i.role, i.status,
	i.expires_at, i.created_at`

func scanInvitation(r pgx.Row) (Invitation, error) {
	var inv Invitation
	err := r.Scan(&inv.ID, &inv.OrgID, &inv.OrgName, &inv.OrgSlug, &inv.Email, &inv.Role,
		&inv.Status, &inv.ExpiresAt, &inv.CreatedAt)

	return inv, err
}

func (s *Store) listInvitations(ctx context.Context, where string,
	args ...any) ([]Invitation, error) {
	return queryAll(ctx, s, "list invitations", `
		SELECT `+invitationColumns+`
		FROM invitations i JOIN organizations o ON o.id = i.org_id
		WHERE `+where+` ORDER BY i.created_at DESC, i.id`,
		func(r pgx.CollectableRow) (Invitation, error) {
			return scanInvitation(r)
		}, args...)
}

// OrgInvitations lists an organisation's invitations, newest first.
func (s *Store) OrgInvitations(ctx context.Context, orgID uuid.UUID) ([]Invitation, error) {
	return s.listInvitations(ctx, `i.org_id = $1`, orgID)
}

// PendingInvitations lists the live invitations sent to an e-mail address.
func (s *Store) PendingInvitations(ctx context.Context, email string,
	now time.Time) ([]Invitation, error) {
	return s.listInvitations(ctx,
		`lower(i.email) = lower($1) AND i.status = 'pending' AND i.expires_at > $2`, email, now)
}

// CancelInvitation cancels one of the organisation's pending invitations.
func (s *Store) CancelInvitation(ctx context.Context, orgID, id uuid.UUID) error {
	return s.execOne(ctx, "cancel invitation", `
		UPDATE invitations SET status = 'cancelled'
		WHERE id = $1 AND org_id = $2 AND status = 'pending'`, id, orgID)
}

// InvitationMatch names an invitation by its token hash or by its id; the
// invitee must be the user whose e-mail it was sent to.
type InvitationMatch struct {
	TokenHash []byte
	ID        uuid.UUID
	UserID    uuid.UUID
}

// RespondInvitation accepts (adding the membership) or declines a live
// invitation addressed to the user, in one transaction. Invitations that are
// unknown, expired, answered or addressed to someone else are ErrNotFound.
func (s *Store) RespondInvitation(ctx context.Context, m InvitationMatch, accept bool,
	now time.Time) (Invitation, error) {
	var inv Invitation

	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if inv, err = lockInvitation(ctx, tx, m, now); err != nil {
			return err
		}

		inv.Status = InviteDeclined
		if accept {
			inv.Status = InviteAccepted
			if err := addMember(ctx, tx, m.UserID, inv, now); err != nil {
				return err
			}
		}

		_, err = tx.Exec(ctx, `UPDATE invitations SET status = $2 WHERE id = $1`,
			inv.ID, inv.Status)

		return err
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("answer invitation: %w", translate(err))
	}

	return inv, nil
}

func lockInvitation(ctx context.Context, tx pgx.Tx, m InvitationMatch,
	now time.Time) (Invitation, error) {
	return scanInvitation(tx.QueryRow(ctx, `
		SELECT `+invitationColumns+`
		FROM invitations i JOIN organizations o ON o.id = i.org_id
		JOIN users u ON lower(u.email) = lower(i.email) AND u.id = $3
		WHERE (i.token_hash = $1 OR i.id = $2) AND i.status = 'pending' AND i.expires_at > $4
		FOR UPDATE OF i`, m.TokenHash, m.ID, m.UserID, now))
}

func addMember(ctx context.Context, tx pgx.Tx, userID uuid.UUID, inv Invitation,
	now time.Time) error {
	tag, err := tx.Exec(ctx, `
		INSERT INTO memberships (user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, userID, inv.OrgID, inv.Role, now)
	if err != nil {
		return err
	}

	if tag.RowsAffected() == 0 {
		return ErrAlreadyMember
	}

	return nil
}
