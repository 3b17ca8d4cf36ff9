package parley

import (
	"regexp"
	"time"
	"unicode/utf8"
)

// Role is what a member of a process may do there.
type Role string

// The roles of a member of a process.
const (
	// RoleMediator sees every record of the process and may change them.
	RoleMediator Role = "mediator"
	// RoleDelegate speaks for one party: sees public and process-wide
	// records, records shared with the party and its confidential ones.
	RoleDelegate Role = "delegate"
	// RoleObserver sees public records only.
	RoleObserver Role = "observer"
)

// Roles lists the roles, from the widest view to the narrowest.
func Roles() []Role { return []Role{RoleMediator, RoleDelegate, RoleObserver} }

// Bounds of credentials. A password is checked by length only, as NIST SP
// 800-63B advises: long passphrases are accepted whole.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 1024
	MaxUserNameLen = 64
)

// User is an account. An administrator runs the instance (accounts and
// memberships) and sees no process content unless also a member.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"` // sign-in name: lower-case letters, digits, '.', '-', '_'
	// DisplayName is shown on pages; empty means Name.
	DisplayName string    `json:"display_name,omitempty"`
	Admin       bool      `json:"admin,omitempty"`
	Disabled    bool      `json:"disabled,omitempty"`
	Created     time.Time `json:"created"`
}

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	var errs problems
	switch {
	case u.Name == "":
		errs.add(FieldErrorf("name", "name is required"))
	case len(u.Name) > MaxUserNameLen:
		errs.add(FieldErrorf("name", "name is longer than %d characters", MaxUserNameLen))
	case !userNameRE.MatchString(u.Name):
		errs.add(FieldErrorf("name", "name %q may hold lower-case letters, digits, '.', '-' and '_', and starts with a letter or digit", u.Name))
	}
	errs.add(checkLen("display_name", u.DisplayName, MaxNameLen))
	return errs.err()
}

// Label is the name shown for the user.
func (u *User) Label() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

// CheckPassword checks a new password's length.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return FieldErrorf("password", "password is not valid UTF-8")
	case n < MinPasswordLen:
		return FieldErrorf("password", "password has %d characters; it needs at least %d", n, MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return FieldErrorf("password", "password is longer than %d bytes", MaxPasswordLen)
	}
	return nil
}

// Membership gives a user a role in one process; a delegate speaks for
// one party of it. A user has at most one membership per process.
type Membership struct {
	UserID    string `json:"user_id"`
	ProcessID string `json:"process_id"`
	Role      Role   `json:"role"`
	PartyID   string `json:"party_id,omitempty"`
}

// Validate checks a membership's role and party.
func (m *Membership) Validate() error {
	var errs problems
	if m.UserID == "" {
		errs.add(FieldErrorf("user_id", "user is required"))
	}
	if m.ProcessID == "" {
		errs.add(FieldErrorf("process_id", "process is required"))
	}
	switch {
	case m.Role == RoleDelegate && m.PartyID == "":
		errs.add(FieldErrorf("party_id", "a delegate speaks for a party; name it"))
	case m.Role != RoleDelegate && m.Role != "" && m.PartyID != "":
		errs.add(FieldErrorf("party_id", "only a delegate speaks for a party"))
	}
	if m.Role == "" {
		errs.add(FieldErrorf("role", "role is required"))
	} else {
		errs.add(checkOneOf("role", "role", m.Role, Roles()...))
	}
	return errs.err()
}

// APIToken is a credential for scripts and the CLI. Its secret is shown
// once, when it is created, and stored only as a hash.
type APIToken struct {
	ID       string    `json:"id"`
	UserID   string    `json:"user_id"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"`
	Revoked  bool      `json:"revoked,omitempty"`
}

// SessionPolicy bounds sessions: a session ends after Idle without a
// request and after Absolute in all, whatever its use.
type SessionPolicy struct {
	Idle     time.Duration
	Absolute time.Duration
}

// DefaultSessionPolicy is the policy of a server not told otherwise.
var DefaultSessionPolicy = SessionPolicy{Idle: 2 * time.Hour, Absolute: 12 * time.Hour}

// Throttle bounds failed sign-ins: at most PerAccount for one account and
// PerAddress from one network address within Window.
type Throttle struct {
	PerAccount int
	PerAddress int
	Window     time.Duration
}

// DefaultThrottle is the throttle of a server not told otherwise.
var DefaultThrottle = Throttle{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute}
