package parley_test

import (
	"errors"
	"strings"
	"testing"

	"parley"
)

func TestNegotiationValidate(t *testing.T) {
	ua := parley.Classification{Level: parley.Confidential, PartyIDs: []string{"ua"}}
	army := &parley.Issue{ID: "army", Name: "Army cap", Classification: parley.Classification{Level: parley.Public},
		Options: []parley.IssueOption{{ID: "600k", Label: "600,000"}, {ID: "800k", Label: "800,000"}}}
	prefs := func(edit func(p *parley.Preferences)) *parley.Preferences {
		p := &parley.Preferences{PartyID: "ua", Weights: map[string]int{"army": 100},
			Ratings: map[string]map[string]int{"army": {"600k": 10, "800k": 90}}, Classification: ua}
		edit(p)
		return p
	}
	tests := []struct {
		name  string
		err   error
		field string // "" for none
		msg   string
	}{
		{"a valid position", (&parley.Position{PartyID: "ua", VersionID: "v", PointID: "6", Stance: parley.RedLine, Classification: ua}).Validate(), "", ""},
		{"an unknown stance", (&parley.Position{PartyID: "ua", VersionID: "v", PointID: "6", Stance: "maybe", Classification: ua}).Validate(), "stance", `unknown stance "maybe"`},
		{"a position without its point", (&parley.Position{PartyID: "ua", VersionID: "v", Stance: parley.Accepts, Classification: ua}).Validate(), "point_id", "names its point"},
		{"a valid issue", army.Validate(), "", ""},
		{"an issue with one option", (&parley.Issue{Name: "x", Options: army.Options[:1], Classification: army.Classification}).Validate(), "options", "at least two options"},
		{"a default that is no option", (&parley.Issue{Name: "x", Options: army.Options, Default: "1m", Classification: army.Classification}).Validate(), "default", `"1m" is not one of`},
		{"an option ID with a colon", (&parley.Issue{Name: "x", Options: []parley.IssueOption{{ID: "a:b", Label: "A"}, {ID: "c", Label: "C"}}, Classification: army.Classification}).Validate(), "options", `ID "a:b"`},
		{"valid preferences", prefs(func(*parley.Preferences) {}).Validate(), "", ""},
		{"weights summing to 90", prefs(func(p *parley.Preferences) { p.Weights["army"] = 90 }).Validate(), "weights", "sum to 90, not 100"},
		{"a rating of 101", prefs(func(p *parley.Preferences) { p.Ratings["army"]["800k"] = 101 }).Validate(), "ratings", "is 101, not 0–100"},
		{"preferences shared", prefs(func(p *parley.Preferences) { p.Classification = parley.Classification{Level: parley.ProcessWide} }).Validate(), "classification", "confidential to their own party"},
		{"valid against the model", prefs(func(*parley.Preferences) {}).CheckAgainst([]*parley.Issue{army}), "", ""},
		{"an unknown option rated", prefs(func(p *parley.Preferences) { p.Ratings["army"]["1m"] = 5 }).CheckAgainst([]*parley.Issue{army}), "ratings", `option "1m" of issue "army"`},
		{"every option refused", prefs(func(p *parley.Preferences) {
			p.Never = []parley.OptionRef{{IssueID: "army", OptionID: "600k"}, {IssueID: "army", OptionID: "800k"}}
		}).CheckAgainst([]*parley.Issue{army}), "never", `refuses every option of "Army cap"`},
	}
	for _, tt := range tests {
		if tt.field == "" {
			if tt.err != nil {
				t.Errorf("%s: got %v, want no error", tt.name, tt.err)
			}
			continue
		}
		var e *parley.Error
		if tt.err == nil || !errors.As(tt.err, &e) {
			t.Errorf("%s: got %v, want an error on %s", tt.name, tt.err, tt.field)
			continue
		}
		if msg, ok := e.Fields[tt.field]; (e.Field != tt.field && !ok) || !strings.Contains(parley.ErrorMessage(tt.err)+" "+msg, tt.msg) {
			t.Errorf("%s: got %q on %q (fields %v), want %q on %s", tt.name, parley.ErrorMessage(tt.err), e.Field, e.Fields, tt.msg, tt.field)
		}
	}
	if r, ok := parley.ParseOptionRef("army:600k"); !ok || r.String() != "army:600k" {
		t.Errorf("ParseOptionRef(army:600k) = %v, %v", r, ok)
	}
	if _, ok := parley.ParseOptionRef("army:"); ok {
		t.Errorf("ParseOptionRef(army:) is accepted")
	}
}
