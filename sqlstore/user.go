package sqlstore

import (
	"context"
	"database/sql"

	"parley"
	"parley/credential"
)

// UserService stores accounts and their memberships of processes.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ parley.UserService = (*UserService)(nil)

// admin reports whether the actor runs the instance: an administrator or
// the system itself.
func admin(a *parley.Actor) bool { return a != nil && (a.Admin || a.System) }

// signedIn returns the actor of ctx, or EUNAUTHORIZED when there is none.
func signedIn(ctx context.Context) (*parley.Actor, error) {
	a := parley.ActorFrom(ctx)
	if a == nil {
		return nil, parley.Errorf(parley.EUNAUTHORIZED, "sign in first")
	}
	return a, nil
}

// FindUserByID returns a user: any signed-in user may look up another by
// ID, to show who a member or an audit record is.
func (s *UserService) FindUserByID(ctx context.Context, id string) (*parley.User, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	return findUser(ctx, s.db.read, "id = $1", id)
}

// FindUserByName returns the user with a sign-in name.
func (s *UserService) FindUserByName(ctx context.Context, name string) (*parley.User, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	return findUser(ctx, s.db.read, "name = $1", name)
}

// FindUsers returns every user, by name: administrators only.
func (s *UserService) FindUsers(ctx context.Context) ([]*parley.User, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !admin(a) {
		return nil, parley.Errorf(parley.EFORBIDDEN, "only administrators list the accounts")
	}
	return findUsers(ctx, s.db.read, "1 = 1")
}

// CountUsers returns the number of accounts.
func (s *UserService) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.read.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, parley.Internal(err)
	}
	return n, nil
}

// CreateUser validates and stores a new user: administrators only.
func (s *UserService) CreateUser(ctx context.Context, u *parley.User, password string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if !admin(a) {
		return parley.Errorf(parley.EFORBIDDEN, "only administrators create accounts")
	}
	return s.db.createUser(ctx, u, password, "")
}

// createUser stores a new user, with extra run inside the transaction.
func (db *DB) createUser(ctx context.Context, u *parley.User, password, setupHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := parley.CheckPassword(password); err != nil {
		return err
	}
	hash, err := credential.HashPassword(password)
	if err != nil {
		return parley.Internal(err)
	}
	id := newID()
	now, err := db.update(ctx, func(tx *Tx) error {
		if setupHash != "" {
			if err := useSetupToken(ctx, tx, setupHash); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE name = $1", u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &parley.Error{Code: parley.ECONFLICT, Field: "name", Message: "a user named " + u.Name + " exists already"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, name, display_name, password, admin, disabled, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, u.Name, u.DisplayName, hash, u.Admin, u.Disabled, formatTime(tx.now)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", Kind: "user", IDs: []string{id}, Detail: userDetail(u)})
	})
	if err != nil {
		return err
	}
	u.ID, u.Created = id, now
	return nil
}

func userDetail(u *parley.User) string {
	d := "name " + u.Name
	if u.Admin {
		d += ", administrator"
	}
	return d
}

// SetPassword changes a user's password and ends the user's sessions: the
// user themself, or an administrator.
func (s *UserService) SetPassword(ctx context.Context, userID, password string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if !admin(a) && a.UserID != userID {
		return parley.Errorf(parley.EFORBIDDEN, "only administrators change other users' passwords")
	}
	if err := parley.CheckPassword(password); err != nil {
		return err
	}
	hash, err := credential.HashPassword(password)
	if err != nil {
		return parley.Internal(err)
	}
	_, err = s.db.update(ctx, func(tx *Tx) error {
		if err := setUserColumn(ctx, tx, userID, "password", hash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "password", Kind: "user", IDs: []string{userID}})
	})
	return err
}

// SetDisabled disables or enables an account: administrators only.
// Disabling ends the user's sessions; their tokens fail from then on,
// since every use of one checks the account.
func (s *UserService) SetDisabled(ctx context.Context, userID string, disabled bool) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if !admin(a) {
		return parley.Errorf(parley.EFORBIDDEN, "only administrators disable accounts")
	}
	if disabled && a.UserID == userID {
		return parley.Errorf(parley.ECONFLICT, "you cannot disable your own account")
	}
	_, err = s.db.update(ctx, func(tx *Tx) error {
		if err := setUserColumn(ctx, tx, userID, "disabled", disabled); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
				return err
			}
		}
		action := "enable"
		if disabled {
			action = "disable"
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: action, Kind: "user", IDs: []string{userID}})
	})
	return err
}

// setUserColumn sets one column of a user, or reports ENOTFOUND.
func setUserColumn(ctx context.Context, tx *Tx, userID, column string, value any) error {
	res, err := tx.ExecContext(ctx, "UPDATE users SET "+column+" = $1 WHERE id = $2", value, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return parley.Errorf(parley.ENOTFOUND, "user %q not found", userID)
	}
	return nil
}

// findUser reads one user, or reports ENOTFOUND.
func findUser(ctx context.Context, q querier, where string, args ...any) (*parley.User, error) {
	us, err := findUsers(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "user %q not found", args[0])
	}
	return us[0], nil
}

// findUsers reads the users matching where, by name.
func findUsers(ctx context.Context, q querier, where string, args ...any) ([]*parley.User, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, name, display_name, admin, disabled, created FROM users WHERE "+where+" ORDER BY name", args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []*parley.User
	for rows.Next() {
		var u parley.User
		var created string
		if err := rows.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Admin, &u.Disabled, &created); err != nil {
			return nil, parley.Internal(err)
		}
		if u.Created, err = parseTime(created); err != nil {
			return nil, parley.Internal(err)
		}
		out = append(out, &u)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// memberManager checks that the actor may manage the memberships of a
// process: an administrator or one of its mediators.
func (db *DB) memberManager(ctx context.Context, processID string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if admin(a) || a.In(processID).Mediator() {
		return nil
	}
	// A member who may not see the process learns no more than anyone.
	if _, _, err := newView(ctx, db.read, processID); err != nil {
		return err
	}
	return parley.Errorf(parley.EFORBIDDEN, "only the process's mediators manage its members")
}

// FindMemberships returns the memberships of a process, or the actor's own.
func (s *UserService) FindMemberships(ctx context.Context, processID string) ([]*parley.Membership, error) {
	if processID == "" {
		a, err := signedIn(ctx)
		if err != nil {
			return nil, err
		}
		return findMemberships(ctx, s.db.read, "user_id = $1", a.UserID)
	}
	if err := s.db.memberManager(ctx, processID); err != nil {
		return nil, err
	}
	return findMemberships(ctx, s.db.read, "process_id = $1", processID)
}

// SetMembership adds or replaces a user's membership of a process.
func (s *UserService) SetMembership(ctx context.Context, m *parley.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if err := s.db.memberManager(ctx, m.ProcessID); err != nil {
		return err
	}
	_, err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx, "id = $1", m.UserID); err != nil {
			return &parley.Error{Code: parley.EINVALID, Field: "user_id", Message: "no user " + m.UserID}
		}
		if err := checkProcessRef(ctx, tx, m.ProcessID); err != nil {
			return err
		}
		if m.PartyID != "" {
			if err := checkRef(ctx, tx, "parties", "party_id", "party", m.PartyID, m.ProcessID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, process_id, role, party_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, process_id) DO UPDATE SET role = excluded.role, party_id = excluded.party_id`,
			m.UserID, m.ProcessID, m.Role, nullable(m.PartyID)); err != nil {
			return err
		}
		detail := string(m.Role)
		if m.PartyID != "" {
			detail += " of party " + m.PartyID
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "grant", ProcessID: m.ProcessID, Kind: "user", IDs: []string{m.UserID}, Detail: detail})
	})
	return err
}

// RemoveMembership ends a user's membership of a process.
func (s *UserService) RemoveMembership(ctx context.Context, userID, processID string) error {
	if err := s.db.memberManager(ctx, processID); err != nil {
		return err
	}
	_, err := s.db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM memberships WHERE user_id = $1 AND process_id = $2", userID, processID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return parley.Errorf(parley.ENOTFOUND, "user %q is not a member of process %q", userID, processID)
		}
		return appendAudit(ctx, tx, &parley.AuditRecord{Action: "revoke", ProcessID: processID, Kind: "user", IDs: []string{userID}})
	})
	return err
}

// findMemberships reads the memberships matching where.
func findMemberships(ctx context.Context, q querier, where string, args ...any) ([]*parley.Membership, error) {
	rows, err := q.QueryContext(ctx, "SELECT user_id, process_id, role, party_id FROM memberships WHERE "+where+
		" ORDER BY process_id, user_id", args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []*parley.Membership
	for rows.Next() {
		var m parley.Membership
		var party sql.NullString
		if err := rows.Scan(&m.UserID, &m.ProcessID, &m.Role, &party); err != nil {
			return nil, parley.Internal(err)
		}
		m.PartyID = party.String
		out = append(out, &m)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}
