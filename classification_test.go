package parley_test

import (
	"testing"

	"parley"
)

func TestClassificationValidate(t *testing.T) {
	tests := []struct {
		name string
		c    parley.Classification
		ok   bool
	}{
		{"public", parley.Classification{Level: parley.Public}, true},
		{"process", parley.Classification{Level: parley.ProcessWide}, true},
		{"shared", parley.Classification{Level: parley.Shared, PartyIDs: []string{"us", "ru"}}, true},
		{"confidential", parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ua"}}, true},
		{"mediators", parley.Classification{Level: parley.MediatorsOnly}, true},
		{"missing", parley.Classification{}, false},
		{"unknown", parley.Classification{Level: "secret"}, false},
		{"shared with nobody", parley.Classification{Level: parley.Shared}, false},
		{"confidential to two", parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ua", "us"}}, false},
		{"public with parties", parley.Classification{Level: parley.Public, PartyIDs: []string{"ua"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("got %v, want ok=%v", err, tt.ok)
			}
			if err != nil && (parley.ErrorCode(err) != parley.EINVALID || parley.ErrorMessage(err) == "") {
				t.Errorf("got code %q message %q, want invalid with a message", parley.ErrorCode(err), parley.ErrorMessage(err))
			}
		})
	}
}

func TestAccessSees(t *testing.T) {
	member := func(role parley.Role, party string) *parley.Actor {
		return &parley.Actor{UserID: "u", Memberships: []parley.Membership{{UserID: "u", ProcessID: "p1", Role: role, PartyID: party}}}
	}
	var (
		anonymous = (*parley.Actor)(nil)
		outsider  = &parley.Actor{UserID: "x", Memberships: []parley.Membership{{ProcessID: "p2", Role: parley.RoleMediator}}}
		admin     = &parley.Actor{UserID: "a", Admin: true}
		observer  = member(parley.RoleObserver, "")
		mediator  = member(parley.RoleMediator, "")
		ukraine   = member(parley.RoleDelegate, "ua")
		russia    = member(parley.RoleDelegate, "ru")
	)
	public := parley.Classification{Level: parley.Public}
	backchannel := parley.Classification{Level: parley.Shared, PartyIDs: []string{"us", "ru"}}
	notes := parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ua"}}
	tests := []struct {
		name string
		c    parley.Classification
		a    *parley.Actor
		want bool
	}{
		{"public to anonymous", public, anonymous, false},
		{"public to a member of another process", public, outsider, false},
		{"public to an administrator", public, admin, false},
		{"Ukraine's notes to the system", notes, parley.System, true},
		{"public to observer", public, observer, true},
		{"process to observer", parley.Classification{Level: parley.ProcessWide}, observer, false},
		{"process to delegate", parley.Classification{Level: parley.ProcessWide}, ukraine, true},
		{"backchannel to Russia", backchannel, russia, true},
		{"backchannel to Ukraine", backchannel, ukraine, false},
		{"Ukraine's notes to Ukraine", notes, ukraine, true},
		{"Ukraine's notes to Russia", notes, russia, false},
		{"Ukraine's notes to the mediator", notes, mediator, true},
		{"mediators only to a delegate", parley.Classification{Level: parley.MediatorsOnly}, ukraine, false},
		{"mediators only to the mediator", parley.Classification{Level: parley.MediatorsOnly}, mediator, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.In("p1").Sees(tt.c); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAccessOwns(t *testing.T) {
	ua := parley.Access{Role: parley.RoleDelegate, PartyID: "ua"}
	tests := []struct {
		name string
		acc  parley.Access
		c    parley.Classification
		want bool
	}{
		{"mediator, public", parley.Access{Role: parley.RoleMediator}, parley.Classification{Level: parley.Public}, true},
		{"delegate, public", ua, parley.Classification{Level: parley.Public}, false},
		{"delegate, process-wide", ua, parley.Classification{Level: parley.ProcessWide}, false},
		{"delegate, own confidential", ua, parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ua"}}, true},
		{"delegate, other's confidential", ua, parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ru"}}, false},
		{"delegate, shared by own party", ua, parley.Classification{Level: parley.Shared, PartyIDs: []string{"ua", "e3"}}, true},
		{"delegate, shared with own party", ua, parley.Classification{Level: parley.Shared, PartyIDs: []string{"e3", "ua"}}, false},
		{"observer, public", parley.Access{Role: parley.RoleObserver}, parley.Classification{Level: parley.Public}, false},
		{"non-member", parley.Access{}, parley.Classification{Level: parley.Public}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.acc.Owns(tt.c); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
