// Package auth holds the credentials of Chis: password hashes (bcrypt),
// dashboard tokens (JWT, HS256 only) and tenant API keys ("chis_sk_..."),
// of which only a SHA-256 hash is ever stored.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
)

// ErrInvalidCredentials covers a wrong password, an unknown user and a token
// that does not verify; callers answer all of them alike.
var ErrInvalidCredentials = errors.New("invalid credentials")

// bcryptCost is bcrypt's default; tests may not lower it, so logins in tests
// cost what they cost in production.
const bcryptCost = bcrypt.DefaultCost

// HashPassword returns a bcrypt hash of password. Passwords longer than 72
// bytes are refused by bcrypt; callers validate length first.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}

	return string(h), nil
}

// CheckPassword compares a password with its hash.
func CheckPassword(hash, password string) error {
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return ErrInvalidCredentials
	}

	return nil
}

// dummyHash lets a login for an unknown e-mail take as long as one with a
// wrong password, so timing does not tell which e-mails are registered. It
// is made on first use, not at start, where it would add to every cold start.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("chis-dummy-password"), bcryptCost)
	return h
})

// SpendPasswordCheck does the work of one password check and fails.
func SpendPasswordCheck(password string) error {
	_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
	return ErrInvalidCredentials
}

// Tokens issues and verifies dashboard tokens.
type Tokens struct {
	secret []byte
	ttl    time.Duration
}

const issuer = "chis"

// NewTokens returns a token issuer keyed with secret, whose tokens live ttl.
func NewTokens(secret string, ttl time.Duration) *Tokens {
	return &Tokens{secret: []byte(secret), ttl: ttl}
}

// Issue returns a signed token for userID and when it expires.
func (t *Tokens) Issue(userID uuid.UUID, now time.Time) (string, time.Time, error) {
	exp := now.Add(t.ttl)
	claims := jwt.RegisteredClaims{
		Subject:   userID.String(),
		Issuer:    issuer,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}

	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}

	return signed, exp, nil
}

// Verify returns the user a token was issued to. Only HS256 is accepted (so
// "none" and algorithm swaps fail), and the expiry is required.
func (t *Tokens) Verify(token string, now time.Time) (uuid.UUID, error) {
	var claims jwt.RegisteredClaims

	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) {
		return t.secret, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(issuer),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil {
		return uuid.Nil, ErrInvalidCredentials
	}

	id, err := uuid.Parse(claims.Subject)
	if err != nil {
		return uuid.Nil, ErrInvalidCredentials
	}

	return id, nil
}

// KeyPrefix starts every API key, so that leaked keys are easy to recognise.
const KeyPrefix = "chis_sk_"

// keyShownChars is how many characters of a key are kept in clear, to tell
// keys apart in the dashboard.
const keyShownChars = len(KeyPrefix) + 6

// NewAPIKey returns a fresh key, the part of it that may be shown again, and
// the hash to store.
func NewAPIKey() (key, prefix string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", nil, fmt.Errorf("new api key: %w", err)
	}

	key = KeyPrefix + base64.RawURLEncoding.EncodeToString(b)

	return key, key[:keyShownChars], HashAPIKey(key), nil
}

// HashAPIKey returns the SHA-256 of a key. Keys carry 256 random bits, so a
// fast unsalted hash is enough: it cannot be brute-forced.
func HashAPIKey(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}
