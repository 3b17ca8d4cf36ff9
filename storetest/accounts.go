package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["accounts"] = inParts(part{"users", testUsers}, part{"memberships", testMemberships},
		part{"passwords", testPasswords}, part{"sessions", testSessions}, part{"throttle", testThrottle},
		part{"api tokens", testAPITokens}, part{"setup", testSetup})
}

// clock is a store's clock under the test's control.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// newClock sets the store's clock to start and returns it.
func newClock(s *Store, start time.Time) *clock {
	c := &clock{now: start}
	s.SetNow(c.Now)
	return c
}

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set sets the clock.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Add moves the clock on by d.
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// address is the network address the suite signs in from.
const address = "192.0.2.7"

// mustUser creates a user as the system, with a password of its name.
func mustUser(t *testing.T, s *Store, name string, isAdmin bool) *parley.User {
	t.Helper()
	u := &parley.User{Name: name, Admin: isAdmin}
	if err := s.Users.CreateUser(asSystem(), u, passwordOf(name)); err != nil {
		t.Fatalf("creating user %s: %v", name, err)
	}
	return u
}

// passwordOf is the password mustUser gives a user.
func passwordOf(name string) string { return "the password of " + name }

// signedIn signs a user in with their password and returns the session
// token and a context with the actor.
func signedIn(t *testing.T, s *Store, name string) (string, context.Context) {
	t.Helper()
	token, a, err := s.Auth.SignIn(context.Background(), name, passwordOf(name), address)
	if err != nil {
		t.Fatalf("signing %s in: %v", name, err)
	}
	return token, parley.WithActor(context.Background(), a)
}

func testUsers(t *testing.T, s *Store) {
	sys := asSystem()
	root := mustUser(t, s, "root", true)
	if !root.Admin || root.ID == "" || root.Created.IsZero() {
		t.Errorf("got %+v, want an administrator with an ID and a creation time", root)
	}
	mustUser(t, s, "alice", false)
	_, adminCtx := signedIn(t, s, "root")
	_, aliceCtx := signedIn(t, s, "alice")

	tests := []struct {
		name     string
		ctx      context.Context
		user     parley.User
		password string
		code     string
		field    string
	}{
		{"admin creates a user", adminCtx, parley.User{Name: "bob", DisplayName: "Bob B."}, "a good long password", "", ""},
		{"system creates a user", sys, parley.User{Name: "carol"}, "a good long password", "", ""},
		{"duplicate name", adminCtx, parley.User{Name: "alice"}, "a good long password", parley.ECONFLICT, "name"},
		{"no name", adminCtx, parley.User{}, "a good long password", parley.EINVALID, "name"},
		{"upper-case name", adminCtx, parley.User{Name: "Dave"}, "a good long password", parley.EINVALID, "name"},
		{"name with a space", adminCtx, parley.User{Name: "dave smith"}, "a good long password", parley.EINVALID, "name"},
		{"name too long", adminCtx, parley.User{Name: strings.Repeat("d", parley.MaxUserNameLen+1)}, "a good long password", parley.EINVALID, "name"},
		{"password too short", adminCtx, parley.User{Name: "erin"}, "short", parley.EINVALID, "password"},
		{"non-admin creates a user", aliceCtx, parley.User{Name: "mallory"}, "a good long password", parley.EFORBIDDEN, ""},
		{"no actor", context.Background(), parley.User{Name: "mallory"}, "a good long password", parley.EUNAUTHORIZED, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := s.Users.CountUsers(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			u := tt.user
			err = s.Users.CreateUser(tt.ctx, &u, tt.password)
			after, cerr := s.Users.CountUsers(context.Background())
			if cerr != nil {
				t.Fatal(cerr)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v, want the user created", err)
				}
				if after != before+1 {
					t.Errorf("got %d users, want %d", after, before+1)
				}
				got, err := s.Users.FindUserByName(adminCtx, tt.user.Name)
				if err != nil {
					t.Fatal(err)
				}
				if got.ID != u.ID || got.DisplayName != tt.user.DisplayName || got.Admin {
					t.Errorf("got %+v, want %+v", got, u)
				}
				return
			}
			wantCode(t, "creating", err, tt.code, tt.field)
			if after != before {
				t.Errorf("got %d users after a refused create, want %d", after, before)
			}
			if u.ID != "" {
				t.Errorf("a refused user got ID %q", u.ID)
			}
		})
	}

	t.Run("find", func(t *testing.T) {
		if _, err := s.Users.FindUserByID(aliceCtx, root.ID); err != nil {
			t.Errorf("a user looks another up by ID: %v", err)
		}
		_, err := s.Users.FindUserByID(aliceCtx, "nosuchuser")
		wantCode(t, "a missing user", err, parley.ENOTFOUND, "")
		_, err = s.Users.FindUserByID(context.Background(), root.ID)
		wantCode(t, "without an actor", err, parley.EUNAUTHORIZED, "")
		_, err = s.Users.FindUserByName(context.Background(), "root")
		wantCode(t, "by name without an actor", err, parley.EUNAUTHORIZED, "")
		users, err := s.Users.FindUsers(adminCtx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range users {
			names = append(names, u.Name)
		}
		if want := []string{"alice", "bob", "carol", "root"}; strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("got users %q, want %q by name", names, want)
		}
		_, err = s.Users.FindUsers(aliceCtx)
		wantCode(t, "a non-admin lists users", err, parley.EFORBIDDEN, "")
		if n, err := s.Users.CountUsers(context.Background()); err != nil || n != 4 {
			t.Errorf("counting without an actor: got %d (%v), want 4", n, err)
		}
		b, err := json.Marshal(users)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "password") || strings.Contains(string(b), "argon2") {
			t.Errorf("the users carry their passwords: %s", b)
		}
	})

	t.Run("disable", func(t *testing.T) {
		alice, err := s.Users.FindUserByName(adminCtx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a non-admin disables", s.Users.SetDisabled(aliceCtx, root.ID, true), parley.EFORBIDDEN, "")
		wantCode(t, "an admin disables themself", s.Users.SetDisabled(adminCtx, root.ID, true), parley.ECONFLICT, "")
		wantCode(t, "a missing user", s.Users.SetDisabled(adminCtx, "nosuchuser", true), parley.ENOTFOUND, "")
		if err := s.Users.SetDisabled(adminCtx, alice.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Users.FindUserByID(adminCtx, alice.ID); got == nil || !got.Disabled {
			t.Errorf("got %+v, want alice disabled", got)
		}
	})
}

func testMemberships(t *testing.T, s *Store) {
	mustUser(t, s, "root", true)
	for _, n := range []string{"mira", "dana", "olga", "otto"} {
		mustUser(t, s, n, false)
	}
	proc := mustProcess(t, s, "Memberships")
	other := mustProcess(t, s, "Another process")
	party := must(t, s.Parties.CreateParty, &parley.Party{ProcessID: proc.ID, Name: "Ukraine", Kind: parley.State, Classification: public})
	alien := must(t, s.Parties.CreateParty, &parley.Party{ProcessID: other.ID, Name: "Hamas", Kind: parley.ArmedGroup, Classification: public})
	_, adminCtx := signedIn(t, s, "root")
	id := func(name string) string {
		t.Helper()
		u, err := s.Users.FindUserByName(adminCtx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	// The administrator makes mira the mediator; mira makes the others
	// members.
	if err := s.Users.SetMembership(adminCtx, &parley.Membership{UserID: id("mira"), ProcessID: proc.ID, Role: parley.RoleMediator}); err != nil {
		t.Fatal(err)
	}
	_, mira := signedIn(t, s, "mira")
	if err := s.Users.SetMembership(mira, &parley.Membership{UserID: id("dana"), ProcessID: proc.ID, Role: parley.RoleDelegate, PartyID: party.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.Users.SetMembership(mira, &parley.Membership{UserID: id("olga"), ProcessID: proc.ID, Role: parley.RoleObserver}); err != nil {
		t.Fatal(err)
	}
	_, dana := signedIn(t, s, "dana")
	_, otto := signedIn(t, s, "otto")

	tests := []struct {
		name  string
		ctx   context.Context
		m     parley.Membership
		code  string
		field string
	}{
		{"mediator changes a role", mira, parley.Membership{UserID: id("olga"), ProcessID: proc.ID, Role: parley.RoleObserver}, "", ""},
		{"delegate without a party", mira, parley.Membership{UserID: id("olga"), ProcessID: proc.ID, Role: parley.RoleDelegate}, parley.EINVALID, "party_id"},
		{"observer with a party", mira, parley.Membership{UserID: id("olga"), ProcessID: proc.ID, Role: parley.RoleObserver, PartyID: party.ID}, parley.EINVALID, "party_id"},
		{"unknown role", mira, parley.Membership{UserID: id("olga"), ProcessID: proc.ID, Role: "king"}, parley.EINVALID, "role"},
		{"party of another process", mira, parley.Membership{UserID: id("olga"), ProcessID: proc.ID, Role: parley.RoleDelegate, PartyID: alien.ID}, parley.EINVALID, "party_id"},
		{"missing user", mira, parley.Membership{UserID: "nosuchuser", ProcessID: proc.ID, Role: parley.RoleObserver}, parley.EINVALID, "user_id"},
		{"delegate grants", dana, parley.Membership{UserID: id("otto"), ProcessID: proc.ID, Role: parley.RoleObserver}, parley.EFORBIDDEN, ""},
		{"outsider grants", otto, parley.Membership{UserID: id("otto"), ProcessID: proc.ID, Role: parley.RoleMediator}, parley.ENOTFOUND, ""},
		{"mediator of one process grants in another", mira, parley.Membership{UserID: id("otto"), ProcessID: other.ID, Role: parley.RoleObserver}, parley.ENOTFOUND, ""},
		{"no actor", context.Background(), parley.Membership{UserID: id("otto"), ProcessID: proc.ID, Role: parley.RoleObserver}, parley.EUNAUTHORIZED, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			err := s.Users.SetMembership(tt.ctx, &m)
			if tt.code == "" {
				if err != nil {
					t.Errorf("got %v, want it done", err)
				}
				return
			}
			wantCode(t, "setting", err, tt.code, tt.field)
		})
	}

	t.Run("find", func(t *testing.T) {
		ms, err := s.Users.FindMemberships(mira, proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 3 {
			t.Errorf("got %d memberships, want mira's, dana's and olga's", len(ms))
		}
		if _, err := s.Users.FindMemberships(adminCtx, proc.ID); err != nil {
			t.Errorf("an administrator lists the members: %v", err)
		}
		_, err = s.Users.FindMemberships(dana, proc.ID)
		wantCode(t, "a delegate lists the members", err, parley.EFORBIDDEN, "")
		_, err = s.Users.FindMemberships(otto, proc.ID)
		wantCode(t, "an outsider lists the members", err, parley.ENOTFOUND, "")
		own, err := s.Users.FindMemberships(dana, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(own) != 1 || own[0].Role != parley.RoleDelegate || own[0].PartyID != party.ID {
			t.Errorf("got dana's own memberships %+v, want one as delegate of %s", own, party.ID)
		}
	})

	t.Run("remove", func(t *testing.T) {
		wantCode(t, "a delegate removes", s.Users.RemoveMembership(dana, id("olga"), proc.ID), parley.EFORBIDDEN, "")
		wantCode(t, "removing a non-member", s.Users.RemoveMembership(mira, id("otto"), proc.ID), parley.ENOTFOUND, "")
		if err := s.Users.RemoveMembership(mira, id("olga"), proc.ID); err != nil {
			t.Fatal(err)
		}
		_, olga := signedIn(t, s, "olga")
		if _, err := s.Processes.FindProcessByID(olga, proc.ID); parley.ErrorCode(err) != parley.ENOTFOUND {
			t.Errorf("a removed member reads the process: got %v, want not found", err)
		}
	})
}

func testPasswords(t *testing.T, s *Store) {
	mustUser(t, s, "root", true)
	_, adminCtx := signedIn(t, s, "root")
	tests := []struct {
		name     string
		password string
		code     string
	}{
		{"64 characters", strings.Repeat("0123456789abcdef", 4), ""},
		{"non-ASCII", "мир без аннексий — 🕊️ 和平", ""},
		{"12 non-ASCII characters", "ééééééééééé✓", ""},
		{"the longest", strings.Repeat("ab", parley.MaxPasswordLen/2), ""},
		{"11 characters", "abcdefghijk", parley.EINVALID},
		{"too long", strings.Repeat("a", parley.MaxPasswordLen+1), parley.EINVALID},
		{"not UTF-8", "abcdefghijklm\xff", parley.EINVALID},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "user" + string(rune('a'+i))
			u := &parley.User{Name: name}
			err := s.Users.CreateUser(adminCtx, u, tt.password)
			if tt.code != "" {
				wantCode(t, "creating", err, tt.code, "password")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Auth.SignIn(context.Background(), name, tt.password, address); err != nil {
				t.Errorf("signing in: %v", err)
			}
			// A prefix, or the password with one character more, is wrong.
			for _, wrong := range []string{tt.password[:len(tt.password)-1], tt.password + "x"} {
				if _, _, err := s.Auth.SignIn(context.Background(), name, wrong, "192.0.2.100"); parley.ErrorCode(err) != parley.EUNAUTHORIZED {
					t.Errorf("signing in with a wrong password: got %v, want unauthorized", err)
				}
			}
		})
	}

	t.Run("one message", func(t *testing.T) {
		mustUser(t, s, "known", false)
		_, _, wrongPassword := s.Auth.SignIn(context.Background(), "known", "not the password", "192.0.2.101")
		_, _, wrongName := s.Auth.SignIn(context.Background(), "unknown", "not the password", "192.0.2.101")
		if parley.ErrorCode(wrongPassword) != parley.EUNAUTHORIZED || parley.ErrorMessage(wrongPassword) != parley.ErrorMessage(wrongName) {
			t.Errorf("got %v for a wrong password and %v for a wrong name, want one unauthorized error", wrongPassword, wrongName)
		}
	})

	t.Run("change", func(t *testing.T) {
		u := mustUser(t, s, "changer", false)
		_, self := signedIn(t, s, "changer")
		mustUser(t, s, "other", false)
		_, other := signedIn(t, s, "other")
		wantCode(t, "another user changes it", s.Users.SetPassword(other, u.ID, "a brand new password"), parley.EFORBIDDEN, "")
		wantCode(t, "too short", s.Users.SetPassword(self, u.ID, "short"), parley.EINVALID, "password")
		wantCode(t, "without an actor", s.Users.SetPassword(context.Background(), u.ID, "a brand new password"), parley.EUNAUTHORIZED, "")
		if err := s.Users.SetPassword(self, u.ID, "a brand new password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Auth.SignIn(context.Background(), "changer", passwordOf("changer"), "192.0.2.102"); parley.ErrorCode(err) != parley.EUNAUTHORIZED {
			t.Errorf("the old password: got %v, want unauthorized", err)
		}
		if _, _, err := s.Auth.SignIn(context.Background(), "changer", "a brand new password", "192.0.2.102"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		if err := s.Users.SetPassword(adminCtx, u.ID, "set by the administrator"); err != nil {
			t.Errorf("an administrator sets it: %v", err)
		}
	})
}

func testSessions(t *testing.T, s *Store) {
	start := time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
	clk := newClock(s, start)
	policy := s.sessions()
	mustUser(t, s, "root", true)
	_, adminCtx := signedIn(t, s, "root")
	u := mustUser(t, s, "sam", false)
	session := func(token string) error {
		_, err := s.Auth.Session(context.Background(), token)
		return err
	}

	t.Run("tokens", func(t *testing.T) {
		t1, a1 := signedIn(t, s, "sam")
		t2, _ := signedIn(t, s, "sam")
		if t1 == t2 || t1 == "" {
			t.Errorf("got tokens %q and %q, want two different ones", t1, t2)
		}
		if got := parley.ActorFrom(a1); got.UserID != u.ID || got.Name != "sam" || got.Admin || got.System {
			t.Errorf("signing in: got actor %+v, want sam", got)
		}
		a, err := s.Auth.Session(context.Background(), t1)
		if err != nil {
			t.Fatal(err)
		}
		if a.UserID != u.ID || a.Name != "sam" {
			t.Errorf("got actor %+v, want sam", a)
		}
		if err := s.Auth.SignOut(context.Background(), t1); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "after signing out", session(t1), parley.EUNAUTHORIZED, "")
		if err := session(t2); err != nil {
			t.Errorf("the other session: %v", err)
		}
		if err := s.Auth.SignOut(context.Background(), t1); err != nil {
			t.Errorf("signing out twice: %v", err)
		}
		wantCode(t, "an unknown token", session("no-such-token"), parley.EUNAUTHORIZED, "")
	})

	t.Run("idle", func(t *testing.T) {
		clk.Set(start)
		token, _ := signedIn(t, s, "sam")
		clk.Add(policy.Idle - time.Minute)
		if err := session(token); err != nil {
			t.Fatalf("a minute before the idle timeout: %v", err)
		}
		// Used, the session lasts another Idle from now.
		clk.Add(policy.Idle - time.Minute)
		if err := session(token); err != nil {
			t.Fatalf("used again within the idle timeout: %v", err)
		}
		clk.Add(policy.Idle + time.Second)
		wantCode(t, "past the idle timeout", session(token), parley.EUNAUTHORIZED, "")
		clk.Set(clk.Now().Add(-policy.Idle))
		wantCode(t, "an ended session, with the clock set back", session(token), parley.EUNAUTHORIZED, "")
	})

	t.Run("absolute", func(t *testing.T) {
		clk.Set(start)
		token, _ := signedIn(t, s, "sam")
		step := min(policy.Idle/2, policy.Absolute/4)
		for clk.Now().Add(step).Before(start.Add(policy.Absolute)) {
			clk.Add(step)
			if err := session(token); err != nil {
				t.Fatalf("at %v, used every %v: %v", clk.Now().Sub(start), step, err)
			}
		}
		clk.Set(start.Add(policy.Absolute + time.Second))
		wantCode(t, "past the absolute timeout, though used", session(token), parley.EUNAUTHORIZED, "")
	})

	t.Run("disabled", func(t *testing.T) {
		clk.Set(start)
		token, _ := signedIn(t, s, "sam")
		if err := s.Users.SetDisabled(adminCtx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "disabled", session(token), parley.EUNAUTHORIZED, "")
		_, _, err := s.Auth.SignIn(context.Background(), "sam", passwordOf("sam"), address)
		wantCode(t, "signing in disabled", err, parley.EUNAUTHORIZED, "")
		if err := s.Users.SetDisabled(adminCtx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "the old session, enabled again", session(token), parley.EUNAUTHORIZED, "")
		token, _ = signedIn(t, s, "sam")
		if err := session(token); err != nil {
			t.Errorf("a new session once enabled: %v", err)
		}
	})

	t.Run("new password", func(t *testing.T) {
		clk.Set(start)
		token, self := signedIn(t, s, "sam")
		if err := s.Users.SetPassword(self, u.ID, "sam's second password"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "after a new password", session(token), parley.EUNAUTHORIZED, "")
		if err := s.Users.SetPassword(adminCtx, u.ID, passwordOf("sam")); err != nil {
			t.Fatal(err)
		}
	})
}

func testThrottle(t *testing.T, s *Store) {
	th := s.throttle()
	start := time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
	clk := newClock(s, start)
	signIn := func(name, password, addr string) error {
		_, _, err := s.Auth.SignIn(context.Background(), name, password, addr)
		return err
	}
	wantThrottled := func(t *testing.T, what string, err error) {
		t.Helper()
		var e *parley.Error
		if !errors.As(err, &e) || e.Code != parley.ETHROTTLED {
			t.Errorf("%s: got %v, want a throttled error", what, err)
			return
		}
		if e.RetryAfter <= 0 || e.RetryAfter > th.Window {
			t.Errorf("%s: got RetryAfter %v, want between 0 and %v", what, e.RetryAfter, th.Window)
		}
	}

	t.Run("per account", func(t *testing.T) {
		mustUser(t, s, "victim", false)
		// Failures from many addresses count against the account.
		for i := range th.PerAccount {
			clk.Set(start.Add(time.Duration(i) * time.Second))
			wantCode(t, "a wrong password", signIn("victim", "wrong password!", "198.51.100."+string(rune('1'+i%9))), parley.EUNAUTHORIZED, "")
		}
		last := clk.Now()
		wantThrottled(t, "the right password after too many failures", signIn("victim", passwordOf("victim"), "203.0.113.1"))
		mustUser(t, s, "bystander", false)
		if err := signIn("bystander", passwordOf("bystander"), "203.0.113.1"); err != nil {
			t.Errorf("another account from the same address: %v", err)
		}
		// Until the first failure leaves the window, the account is
		// still refused.
		clk.Set(start.Add(th.Window - time.Second))
		wantThrottled(t, "just before the window passes", signIn("victim", passwordOf("victim"), "203.0.113.1"))
		clk.Set(last.Add(th.Window + time.Second))
		if err := signIn("victim", passwordOf("victim"), "203.0.113.1"); err != nil {
			t.Errorf("after the window: got %v, want signed in", err)
		}
	})

	t.Run("per address", func(t *testing.T) {
		clk.Set(start.Add(24 * time.Hour))
		mustUser(t, s, "target", false)
		for i := range th.PerAddress {
			// A different name each time: no account reaches its limit.
			wantCode(t, "a wrong password", signIn("guess"+string(rune('a'+i%26))+string(rune('a'+i/26)), "wrong password!", "198.51.100.99"), parley.EUNAUTHORIZED, "")
		}
		wantThrottled(t, "a right password from the address", signIn("target", passwordOf("target"), "198.51.100.99"))
		if err := signIn("target", passwordOf("target"), "198.51.100.100"); err != nil {
			t.Errorf("the same account from another address: %v", err)
		}
		clk.Add(th.Window + time.Second)
		if err := signIn("target", passwordOf("target"), "198.51.100.99"); err != nil {
			t.Errorf("after the window: got %v, want signed in", err)
		}
	})

	t.Run("window to the millisecond", func(t *testing.T) {
		// A burst of failures a tenth of a second into a second, then a
		// sign-in 23 milliseconds after the window has passed for them.
		mustUser(t, s, "precise", false)
		clk.Set(start.Add(48*time.Hour + 100*time.Millisecond))
		for range th.PerAccount {
			wantCode(t, "a wrong password", signIn("precise", "wrong password!", "203.0.113.50"), parley.EUNAUTHORIZED, "")
		}
		wantThrottled(t, "right after", signIn("precise", passwordOf("precise"), "203.0.113.51"))
		clk.Set(clk.Now().Add(th.Window + 23*time.Millisecond))
		if err := signIn("precise", passwordOf("precise"), "203.0.113.51"); err != nil {
			t.Errorf("23 ms after the window: got %v, want signed in", err)
		}
	})
}

func testAPITokens(t *testing.T, s *Store) {
	mustUser(t, s, "root", true)
	_, adminCtx := signedIn(t, s, "root")
	u := mustUser(t, s, "scripter", false)
	_, self := signedIn(t, s, "scripter")
	mustUser(t, s, "other", false)
	_, other := signedIn(t, s, "other")

	tok, secret, err := s.Auth.CreateAPIToken(self, u.ID, "nightly import")
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID == "" || tok.UserID != u.ID || tok.Name != "nightly import" || secret == "" {
		t.Errorf("got token %+v with secret %q, want one for %s with a secret", tok, secret, u.ID)
	}
	a, err := s.Auth.APIToken(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}
	if a.UserID != u.ID {
		t.Errorf("got actor %+v, want scripter", a)
	}
	_, err = s.Auth.APIToken(context.Background(), secret+"x")
	wantCode(t, "a wrong secret", err, parley.EUNAUTHORIZED, "")

	t.Run("rights", func(t *testing.T) {
		_, _, err := s.Auth.CreateAPIToken(other, u.ID, "stolen")
		wantCode(t, "another user makes one", err, parley.EFORBIDDEN, "")
		_, _, err = s.Auth.CreateAPIToken(self, u.ID, "")
		wantCode(t, "no name", err, parley.EINVALID, "name")
		_, _, err = s.Auth.CreateAPIToken(context.Background(), u.ID, "anonymous")
		wantCode(t, "no actor", err, parley.EUNAUTHORIZED, "")
		if _, _, err := s.Auth.CreateAPIToken(adminCtx, u.ID, "made by the administrator"); err != nil {
			t.Errorf("an administrator makes one: %v", err)
		}
		_, err = s.Auth.FindAPITokens(other, u.ID)
		wantCode(t, "another user lists them", err, parley.EFORBIDDEN, "")
		wantCode(t, "another user revokes", s.Auth.RevokeAPIToken(other, tok.ID), parley.ENOTFOUND, "")
		if _, err := s.Auth.APIToken(context.Background(), secret); err != nil {
			t.Errorf("after another user's failed revocation: %v", err)
		}
	})

	t.Run("list", func(t *testing.T) {
		tokens, err := s.Auth.FindAPITokens(self, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tokens) != 2 {
			t.Errorf("got %d tokens, want 2", len(tokens))
		}
		b, err := json.Marshal(tokens)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), secret) || strings.Contains(string(b), strings.TrimPrefix(secret, "parley_")) {
			t.Errorf("the list of tokens holds the secret: %s", b)
		}
		var used bool
		for _, tk := range tokens {
			used = used || (tk.ID == tok.ID && !tk.LastUsed.IsZero())
		}
		if !used {
			t.Errorf("got %s, want the used token to say when it was used", b)
		}
	})

	t.Run("revoked", func(t *testing.T) {
		if err := s.Auth.RevokeAPIToken(self, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.Auth.APIToken(context.Background(), secret)
		wantCode(t, "a revoked token", err, parley.EUNAUTHORIZED, "")
		tokens, err := s.Auth.FindAPITokens(adminCtx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range tokens {
			if tk.ID == tok.ID && !tk.Revoked {
				t.Errorf("got %+v, want it revoked", tk)
			}
		}
	})

	t.Run("disabled user", func(t *testing.T) {
		_, secret, err := s.Auth.CreateAPIToken(self, u.ID, "second")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Users.SetDisabled(adminCtx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.Auth.APIToken(context.Background(), secret)
		wantCode(t, "the token of a disabled user", err, parley.EUNAUTHORIZED, "")
	})
}

func testSetup(t *testing.T, s *Store) {
	ctx := context.Background()
	if n, err := s.Users.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("a fresh store: got %d users (%v), want none", n, err)
	}
	old, err := s.Auth.SetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.Auth.SetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if token == old || token == "" {
		t.Errorf("got setup tokens %q and %q, want two different ones", old, token)
	}
	first := &parley.User{Name: "first"}
	err = s.Auth.Setup(ctx, old, first, passwordOf("first"))
	if err == nil || first.ID != "" {
		t.Errorf("setting up with a replaced token: got %v, want it refused", err)
	}
	err = s.Auth.Setup(ctx, token, &parley.User{Name: "first"}, "short")
	wantCode(t, "setting up with a short password", err, parley.EINVALID, "password")
	if err := s.Auth.Setup(ctx, token, first, passwordOf("first")); err != nil {
		t.Fatalf("setting up: %v", err)
	}
	if !first.Admin || first.ID == "" {
		t.Errorf("got %+v, want an administrator", first)
	}
	_, a := signedIn(t, s, "first")
	if !parley.ActorFrom(a).Admin {
		t.Errorf("the first user signed in as %+v, want an administrator", parley.ActorFrom(a))
	}
	if err := s.Auth.Setup(ctx, token, &parley.User{Name: "second"}, passwordOf("second")); err == nil {
		t.Errorf("setting up twice with one token: got no error")
	}
	_, err = s.Auth.SetupToken(ctx)
	wantCode(t, "a setup token once a user exists", err, parley.ECONFLICT, "")
	if n, err := s.Users.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("got %d users (%v), want the first alone", n, err)
	}
}
