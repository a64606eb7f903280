package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Roles a member can hold in an organisation.
const (
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// User is a person who signs in to the dashboard.
type User struct {
	ID           uuid.UUID
	Email        string
	PasswordHash string
	FirstName    string
	LastName     string
	CreatedAt    time.Time
}

// Org is an organisation: the tenant that owns keys, messages and a secret.
type Org struct {
	ID        uuid.UUID
	Name      string
	Slug      string
	CreatedAt time.Time
}

// Membership is an organisation as one user sees it, with that user's role.
type Membership struct {
	Org
	Role     string
	JoinedAt time.Time
}

// NewOrg is what creating an organisation needs.
type NewOrg struct {
	Name          string
	Slug          string
	SigningSecret string
}

// Register creates a user, an organisation and the user's admin membership in
// one transaction: either all three exist afterwards or none does.
func (s *Store) Register(ctx context.Context, u User, org NewOrg) (User, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO users (id, email, password_hash, first_name, last_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			u.ID, u.Email, u.PasswordHash, u.FirstName, u.LastName, u.CreatedAt)
		if err != nil {
			return err
		}

		_, err = createOrg(ctx, tx, u.ID, org, u.CreatedAt)

		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("register user: %w", translate(err))
	}

	return u, nil
}

// UserByEmail finds a user by e-mail, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User

	err := s.pool.QueryRow(ctx, `
		SELECT id, email, password_hash, first_name, last_name, created_at
		FROM users WHERE lower(email) = lower($1)`, email).
		Scan(&u.ID, &u.Email, &u.PasswordHash, &u.FirstName, &u.LastName, &u.CreatedAt)
	if err != nil {
		return User{}, fmt.Errorf("find user: %w", translate(err))
	}

	return u, nil
}

// CreateOrg creates an organisation with userID as its admin.
func (s *Store) CreateOrg(ctx context.Context, userID uuid.UUID, org NewOrg) (Membership, error) {
	var m Membership

	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		m, err = createOrg(ctx, tx, userID, org, time.Now())

		return err
	})
	if err != nil {
		return Membership{}, fmt.Errorf("create organisation: %w", translate(err))
	}

	return m, nil
}

func createOrg(ctx context.Context, tx pgx.Tx, userID uuid.UUID, org NewOrg,
	now time.Time) (Membership, error) {
	m := Membership{
		Org:      Org{ID: uuid.New(), Name: org.Name, Slug: org.Slug, CreatedAt: now},
		Role:     RoleAdmin,
		JoinedAt: now,
	}

	_, err := tx.Exec(ctx, `
		INSERT INTO organizations (id, name, slug, signing_secret, created_at)
		VALUES ($1, $2, $3, $4, $5)`, m.ID, m.Name, m.Slug, org.SigningSecret, now)
	if err != nil {
		return Membership{}, err
	}

	_, err = tx.Exec(ctx, `
		INSERT INTO memberships (user_id, org_id, role, created_at)
		VALUES ($1, $2, $3, $4)`, userID, m.ID, RoleAdmin, now)

	return m, err
}

const membershipColumns = `o.id, o.name, o.slug, o.created_at, m.role, m.created_at`

func scanMembership(row pgx.Row) (Membership, error) {
	var m Membership
	err := row.Scan(&m.ID, &m.Name, &m.Slug, &m.CreatedAt, &m.Role, &m.JoinedAt)

	return m, err
}

// Memberships lists the organisations of a user, oldest membership first.
func (s *Store) Memberships(ctx context.Context, userID uuid.UUID) ([]Membership, error) {
	return queryAll(ctx, s, "list memberships", `
		SELECT `+membershipColumns+`
		FROM memberships m JOIN organizations o ON o.id = m.org_id
		WHERE m.user_id = $1 ORDER BY m.created_at, o.id`,
		func(r pgx.CollectableRow) (Membership, error) {
			return scanMembership(r)
		}, userID)
}

// Membership returns the user's membership of orgID, or, when orgID is the
// zero UUID, the user's oldest membership. ErrNotFound when there is none.
func (s *Store) Membership(ctx context.Context, userID, orgID uuid.UUID) (Membership, error) {
	row := s.pool.QueryRow(ctx, `
		SELECT `+membershipColumns+`
		FROM memberships m JOIN organizations o ON o.id = m.org_id
		WHERE m.user_id = $1 AND ($2::uuid IS NULL OR m.org_id = $2)
		ORDER BY m.created_at, o.id LIMIT 1`, userID, optionalID(orgID))

	m, err := scanMembership(row)
	if err != nil {
		return Membership{}, fmt.Errorf("find membership: %w", translate(err))
	}

	return m, nil
}

// SigningSecret returns the organisation's current signing secret.
func (s *Store) SigningSecret(ctx context.Context, orgID uuid.UUID) (string, error) {
	var secret string

	err := s.pool.QueryRow(ctx,
		`SELECT signing_secret FROM organizations WHERE id = $1`, orgID).Scan(&secret)
	if err != nil {
		return "", fmt.Errorf("read signing secret: %w", translate(err))
	}

	return secret, nil
}

// SetSigningSecret replaces the organisation's signing secret. Attempts made
// after this are signed with the new one.
func (s *Store) SetSigningSecret(ctx context.Context, orgID uuid.UUID, secret string) error {
	return s.execOne(ctx, "rotate signing secret",
		`UPDATE organizations SET signing_secret = $2 WHERE id = $1`, orgID, secret)
}

// IsNotFound reports whether err means that nothing matched.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// optionalID is nil for the zero UUID, so SQL can tell "any" from an id.
func optionalID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}

	return &id
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id uuid.UUID) (User, error) {
	var u User

	err := s.pool.QueryRow(ctx, `
		SELECT id, email, password_hash, first_name, last_name, created_at
		FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Email, &u.PasswordHash, &u.FirstName, &u.LastName, &u.CreatedAt)
	if err != nil {
		return User{}, fmt.Errorf("find user: %w", translate(err))
	}

	return u, nil
}

// DeleteOrg deletes an organisation with everything it owns: keys,
// memberships, invitations, messages and their attempts.
func (s *Store) DeleteOrg(ctx context.Context, orgID uuid.UUID) error {
	return s.execOne(ctx, "delete organisation",
		`DELETE FROM organizations WHERE id = $1`, orgID)
}

// Member is one user of an organisation.
type Member struct {
	User
	Role     string
	JoinedAt time.Time
}

// Members lists the organisation's members, oldest first.
func (s *Store) Members(ctx context.Context, orgID uuid.UUID) ([]Member, error) {
	return queryAll(ctx, s, "list members", `
		SELECT u.id, u.email, u.first_name, u.last_name, m.role, m.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = $1 ORDER BY m.created_at, u.id`,
		func(r pgx.CollectableRow) (Member, error) {
			var m Member
			err := r.Scan(&m.ID, &m.Email, &m.FirstName, &m.LastName, &m.Role, &m.JoinedAt)

			return m, err
		}, orgID)
}
