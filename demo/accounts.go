package demo

import (
	"context"
	"fmt"

	"parley"
)

// Account is a demo account: its sign-in name, its role in the demo
// process, and the party a delegate speaks for.
type Account struct {
	Name  string
	Role  parley.Role
	Party string // the party's name, for a delegate
	Admin bool
}

// accounts are the demo's users: an administrator, a mediator, one
// delegate per party and an observer.
var accounts = []struct {
	name, display string
	role          parley.Role
	party         string // key of the party, for a delegate
	admin         bool
}{
	{"admin", "Instance administrator", "", "", true},
	{"mediator", "Mediator", parley.RoleMediator, "", false},
	{"us", "US delegate", parley.RoleDelegate, "us", false},
	{"russia", "Russian delegate", parley.RoleDelegate, "ru", false},
	{"ukraine", "Ukrainian delegate", parley.RoleDelegate, "ua", false},
	{"europe", "E3 delegate", parley.RoleDelegate, "e3", false},
	{"observer", "Observer", parley.RoleObserver, "", false},
}

// Accounts creates the demo's accounts, all with one password, and gives
// them their roles in the demo process. It is idempotent: an account that
// exists keeps its password and gets its membership again. ctx must act
// for an administrator or the system.
func Accounts(ctx context.Context, s parley.Services, processID, password string) ([]Account, error) {
	stored, err := s.Parties.FindParties(ctx, processID)
	if err != nil {
		return nil, fmt.Errorf("demo accounts: %w", err)
	}
	byKey := map[string]*parley.Party{}
	for _, d := range parties {
		for _, p := range stored {
			if p.Name == d.name {
				byKey[d.key] = p
			}
		}
	}
	var out []Account
	for _, d := range accounts {
		u, err := s.Users.FindUserByName(ctx, d.name)
		if parley.ErrorCode(err) == parley.ENOTFOUND {
			u = &parley.User{Name: d.name, DisplayName: d.display, Admin: d.admin}
			err = s.Users.CreateUser(ctx, u, password)
		}
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", d.name, err)
		}
		a := Account{Name: d.name, Role: d.role, Admin: d.admin}
		if d.role != "" {
			m := &parley.Membership{UserID: u.ID, ProcessID: processID, Role: d.role}
			if d.party != "" {
				p := byKey[d.party]
				if p == nil {
					return nil, fmt.Errorf("demo account %s: no party %q in the demo", d.name, d.party)
				}
				m.PartyID, a.Party = p.ID, p.Name
			}
			if err := s.Users.SetMembership(ctx, m); err != nil {
				return nil, fmt.Errorf("demo account %s: %w", d.name, err)
			}
		}
		out = append(out, a)
	}
	return out, nil
}
