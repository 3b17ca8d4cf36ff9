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

func TestClassificationVisible(t *testing.T) {
	var (
		anonymous = (*parley.Actor)(nil)
		observer  = &parley.Actor{UserID: "o"}
		mediator  = &parley.Actor{UserID: "m", Mediator: true}
		ukraine   = &parley.Actor{UserID: "u", PartyIDs: []string{"ua"}}
		russia    = &parley.Actor{UserID: "r", PartyIDs: []string{"ru"}}
	)
	backchannel := parley.Classification{Level: parley.Shared, PartyIDs: []string{"us", "ru"}}
	notes := parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ua"}}
	tests := []struct {
		name string
		c    parley.Classification
		a    *parley.Actor
		want bool
	}{
		{"public to anonymous", parley.Classification{Level: parley.Public}, anonymous, true},
		{"process to anonymous", parley.Classification{Level: parley.ProcessWide}, anonymous, false},
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
			if got := tt.c.Visible(tt.a); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
