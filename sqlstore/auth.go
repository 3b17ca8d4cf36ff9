package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"parley"
	"parley/credential"
)

// AuthService signs users in and out: sessions, API tokens, throttling of
// failed sign-ins and the one-time setup of the first administrator. All
// of it lives in the database, so that several servers share it.
type AuthService struct {
	db *DB
	// Sessions bounds sessions; Throttle bounds failed sign-ins.
	Sessions parley.SessionPolicy
	Throttle parley.Throttle
}

// NewAuthService returns the auth service of db with the default policies.
func NewAuthService(db *DB) *AuthService {
	return &AuthService{db: db, Sessions: parley.DefaultSessionPolicy, Throttle: parley.DefaultThrottle}
}

var _ parley.AuthService = (*AuthService)(nil)

// errSignIn is the one answer to a wrong name or a wrong password, so that
// a caller cannot tell which names exist.
var errSignIn = parley.Errorf(parley.EUNAUTHORIZED, "wrong name or password")

// errSession is the answer to an unknown, expired or disabled session.
var errSession = parley.Errorf(parley.EUNAUTHORIZED, "your session has ended; sign in again")

// SignIn checks a password and starts a session. Failures are counted per
// account and per address; past the throttle's limits, sign-ins are
// refused without checking the password until the window has passed.
func (s *AuthService) SignIn(ctx context.Context, name, password, address string) (string, *parley.Actor, error) {
	// No account has a name past the limit or one no store keeps.
	if len(name) > parley.MaxUserNameLen || len(password) > parley.MaxPasswordLen || checkText([]any{name, address}) != nil {
		return "", nil, errSignIn
	}
	now := s.db.Now().UTC()
	if err := s.throttled(ctx, now, "user:"+name, s.Throttle.PerAccount); err != nil {
		return "", nil, err
	}
	if err := s.throttled(ctx, now, "addr:"+address, s.Throttle.PerAddress); err != nil {
		return "", nil, err
	}
	var id, hash string
	var disabled bool
	err := s.db.read.QueryRowContext(ctx, "SELECT id, password, disabled FROM users WHERE name = $1", name).Scan(&id, &hash, &disabled)
	switch {
	case errNoRows(err):
		credential.DummyCheck(password) // as long as a real check
		return "", nil, s.failed(ctx, name, address)
	case err != nil:
		return "", nil, parley.Internal(err)
	}
	ok, err := credential.CheckPassword(hash, password)
	if err != nil {
		return "", nil, parley.Internal(err)
	}
	if !ok || disabled {
		return "", nil, s.failed(ctx, name, address)
	}
	token := credential.NewToken()
	var actor *parley.Actor
	_, err = s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO sessions (hash, user_id, created, seen) VALUES ($1, $2, $3, $3)",
			credential.HashToken(token), id, formatTime(tx.now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM signin_failures WHERE key = $1", "user:"+name); err != nil {
			return err
		}
		var err error
		if actor, err = loadActor(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(parley.WithActor(ctx, actor), tx, &parley.AuditRecord{Action: "sign-in", Detail: "from " + address})
	})
	if err != nil {
		return "", nil, err
	}
	return token, actor, nil
}

// throttled refuses a sign-in when key has failed limit times within the
// window, saying when to try again.
func (s *AuthService) throttled(ctx context.Context, now time.Time, key string, limit int) error {
	if limit <= 0 {
		return nil
	}
	var n int
	var oldest sql.NullString
	if err := s.db.read.QueryRowContext(ctx, "SELECT count(*), min(at) FROM signin_failures WHERE key = $1 AND at > $2",
		key, formatInstant(now.Add(-s.Throttle.Window))).Scan(&n, &oldest); err != nil {
		return parley.Internal(err)
	}
	if n < limit {
		return nil
	}
	retry := s.Throttle.Window
	if t, err := parseTime(oldest.String); err == nil {
		retry = max(t.Add(s.Throttle.Window).Sub(now), time.Second)
	}
	return &parley.Error{Code: parley.ETHROTTLED, RetryAfter: retry,
		Message: "too many failed sign-ins; try again in " + retry.Round(time.Second).String()}
}

// failed records a failed sign-in for the account and the address, drops
// failures older than the window, and returns the one sign-in error. The
// times are written with formatInstant, fixed-width, so that the window is
// compared in text order as in time order (RFC 3339 with trimmed
// fractions sorts 10:00:00.1 after 10:00:00.123).
func (s *AuthService) failed(ctx context.Context, name, address string) error {
	_, err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM signin_failures WHERE at <= $1", formatInstant(tx.now.Add(-s.Throttle.Window))); err != nil {
			return err
		}
		for _, key := range []string{"user:" + name, "addr:" + address} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO signin_failures (key, at) VALUES ($1, $2)", key, formatInstant(tx.now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return errSignIn
}

// Session returns the actor of a session, refreshing its idle timer at
// most once a minute (a write per request would serialise readers).
func (s *AuthService) Session(ctx context.Context, token string) (*parley.Actor, error) {
	hash := credential.HashToken(token)
	var userID, name, created, seen string
	var disabled, admin bool
	err := s.db.read.QueryRowContext(ctx, `SELECT s.user_id, u.name, u.admin, s.created, s.seen, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1`, hash).Scan(&userID, &name, &admin, &created, &seen, &disabled)
	switch {
	case errNoRows(err):
		return nil, errSession
	case err != nil:
		return nil, parley.Internal(err)
	}
	now := s.db.Now().UTC()
	c, err1 := parseTime(created)
	l, err2 := parseTime(seen)
	if err1 != nil || err2 != nil || disabled || now.Sub(c) > s.Sessions.Absolute || now.Sub(l) > s.Sessions.Idle {
		if _, err := s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE hash = $1", hash)
			return err
		}); err != nil {
			return nil, err
		}
		return nil, errSession
	}
	if now.Sub(l) > time.Minute {
		if _, err := s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE sessions SET seen = $1 WHERE hash = $2", formatTime(tx.now), hash)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return actorOf(ctx, s.db.read, &parley.User{ID: userID, Name: name, Admin: admin})
}

// SignOut ends a session; an unknown token is not an error, since the
// outcome is the same.
func (s *AuthService) SignOut(ctx context.Context, token string) error {
	_, err := s.db.update(ctx, func(tx *Tx) error {
		var userID string
		err := tx.QueryRowContext(ctx, "DELETE FROM sessions WHERE hash = $1 RETURNING user_id", credential.HashToken(token)).Scan(&userID)
		if errNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return appendAudit(parley.WithActor(ctx, &parley.Actor{UserID: userID, Name: userName(ctx, tx, userID)}), tx,
			&parley.AuditRecord{Action: "sign-out"})
	})
	return err
}

// userName returns a user's name, or the ID when it cannot be read.
func userName(ctx context.Context, q querier, id string) string {
	var name string
	if err := q.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&name); err != nil {
		return id
	}
	return name
}

// loadActor reads a user and their memberships as an actor.
func loadActor(ctx context.Context, q querier, userID string) (*parley.Actor, error) {
	u, err := findUser(ctx, q, "id = $1", userID)
	if err != nil {
		return nil, err
	}
	return actorOf(ctx, q, u)
}

// actorOf returns the actor of user u, read with their account: u with
// their memberships.
func actorOf(ctx context.Context, q querier, u *parley.User) (*parley.Actor, error) {
	ms, err := findMemberships(ctx, q, "user_id = $1", u.ID)
	if err != nil {
		return nil, err
	}
	a := &parley.Actor{UserID: u.ID, Name: u.Name, Admin: u.Admin}
	for _, m := range ms {
		a.Memberships = append(a.Memberships, *m)
	}
	return a, nil
}

// tokenPrefix starts every API token, so that one pasted by mistake is
// easy to spot and search for.
const tokenPrefix = "parley_"

// APIToken returns the actor of an API token.
func (s *AuthService) APIToken(ctx context.Context, secret string) (*parley.Actor, error) {
	var id, userID string
	var lastUsed sql.NullString
	var disabled bool
	err := s.db.read.QueryRowContext(ctx, `SELECT t.id, t.user_id, t.last_used, u.disabled FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND NOT t.revoked`, credential.HashToken(secret)).Scan(&id, &userID, &lastUsed, &disabled)
	switch {
	case errNoRows(err):
		return nil, parley.Errorf(parley.EUNAUTHORIZED, "unknown or revoked API token")
	case err != nil:
		return nil, parley.Internal(err)
	case disabled:
		return nil, parley.Errorf(parley.EUNAUTHORIZED, "unknown or revoked API token")
	}
	if t, err := parseTime(lastUsed.String); err != nil || s.db.Now().Sub(t) > time.Minute {
		if _, err := s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE api_tokens SET last_used = $1 WHERE id = $2", formatTime(tx.now), id)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return loadActor(ctx, s.db.read, userID)
}

// CreateAPIToken makes a token for a user: the user themself, or an
// administrator.
func (s *AuthService) CreateAPIToken(ctx context.Context, userID, name string) (*parley.APIToken, string, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, "", err
	}
	if !admin(a) && a.UserID != userID {
		return nil, "", parley.Errorf(parley.EFORBIDDEN, "only administrators make tokens for other users")
	}
	if name == "" {
		return nil, "", parley.FieldErrorf("name", "name the token, to know later what uses it")
	}
	if len(name) > parley.MaxNameLen {
		return nil, "", parley.FieldErrorf("name", "name is longer than %d characters", parley.MaxNameLen)
	}
	secret := credential.NewSecret(tokenPrefix)
	t := &parley.APIToken{ID: newID(), UserID: userID, Name: name}
	t.Created, err = s.db.update(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx, "id = $1", userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO api_tokens (id, user_id, name, hash, created) VALUES ($1, $2, $3, $4, $5)",
			t.ID, userID, name, credential.HashToken(secret), formatTime(tx.now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", Kind: "token", IDs: []string{t.ID}, Detail: "for user " + userID})
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// RevokeAPIToken revokes a token: its user's, or an administrator's doing.
func (s *AuthService) RevokeAPIToken(ctx context.Context, id string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.update(ctx, func(tx *Tx) error {
		var userID string
		err := tx.QueryRowContext(ctx, "SELECT user_id FROM api_tokens WHERE id = $1", id).Scan(&userID)
		if errNoRows(err) || (err == nil && !admin(a) && userID != a.UserID) {
			return parley.Errorf(parley.ENOTFOUND, "token %q not found", id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked = TRUE WHERE id = $1", id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "revoke", Kind: "token", IDs: []string{id}})
	})
	return err
}

// FindAPITokens returns a user's tokens, newest first.
func (s *AuthService) FindAPITokens(ctx context.Context, userID string) ([]*parley.APIToken, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !admin(a) && a.UserID != userID {
		return nil, parley.Errorf(parley.EFORBIDDEN, "only administrators see other users' tokens")
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, user_id, name, created, coalesce(last_used, ''), revoked
		FROM api_tokens WHERE user_id = $1 ORDER BY created DESC, id`, userID)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []*parley.APIToken
	for rows.Next() {
		var t parley.APIToken
		var created, used string
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &used, &t.Revoked); err != nil {
			return nil, parley.Internal(err)
		}
		t.Created, _ = parseTime(created)
		if used != "" {
			t.LastUsed, _ = parseTime(used)
		}
		out = append(out, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// SetupToken makes a new one-time token for creating the first
// administrator, replacing any earlier one, while there is no user.
func (s *AuthService) SetupToken(ctx context.Context) (string, error) {
	token := credential.NewToken()
	_, err := s.db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return parley.Errorf(parley.ECONFLICT, "this instance is set up already")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ('setup_token', $1)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, credential.HashToken(token))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Setup creates the first administrator with the one-time token.
func (s *AuthService) Setup(ctx context.Context, token string, u *parley.User, password string) error {
	u.Admin, u.Disabled = true, false
	return s.db.createUser(parley.WithActor(ctx, &parley.Actor{Name: "setup"}), u, password, credential.HashToken(token))
}

// useSetupToken checks the one-time token and spends it.
func useSetupToken(ctx context.Context, tx *Tx, hash string) error {
	var stored string
	err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = 'setup_token'").Scan(&stored)
	if errNoRows(err) || (err == nil && stored != hash) {
		return parley.Errorf(parley.EFORBIDDEN, "this setup link is not valid: it was used already or a newer one was printed")
	}
	if err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return parley.Errorf(parley.ECONFLICT, "this instance is set up already")
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM settings WHERE name = 'setup_token'")
	return err
}
