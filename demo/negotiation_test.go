package demo_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"parley"
)

// positionsOf returns a party's positions on a version by point ID, as ctx
// sees them.
func (f *fixture) positionsOf(t *testing.T, ctx context.Context, party, version string) map[string]*parley.Position {
	t.Helper()
	ps, err := f.s.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: f.processID,
		VersionID: f.version(t, version).ID, PartyID: f.party(t, party).ID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*parley.Position{}
	for _, p := range ps {
		out[p.PointID] = p
	}
	return out
}

// The E3's positions on the 28 points are its counter-proposal read point
// by point, as the case file reports its edits: points 3 and 26 deleted,
// 2, 6, 7, 8, 9, 10, 14, 21 and 25 rewritten, the rest kept.
func TestE3PositionsFollowTheCounterProposal(t *testing.T) {
	f := mustFixture(t)
	got := f.positionsOf(t, asSystem(), "E3 (France, Germany, United Kingdom)", "US 28-point plan")
	if len(got) != 28 {
		t.Fatalf("the E3 have %d positions on the 28 points, want 28", len(got))
	}
	rewritten := []string{"2", "6", "7", "8", "9", "10", "14", "21", "25"}
	for id, p := range got {
		want := parley.Accepts
		switch {
		case id == "3" || id == "26":
			want = parley.Rejects
		case slices.Contains(rewritten, id):
			want = parley.AcceptsWithChanges
		}
		if p.Stance != want {
			t.Errorf("E3 on point %s: got %s, want %s", id, p.Stance, want)
		}
		if p.Classification.Level != parley.Public {
			t.Errorf("E3 on point %s is %s; the counter-proposal was public", id, p.Classification)
		}
		if (p.Stance == parley.AcceptsWithChanges) != (p.Counter != "") {
			t.Errorf("E3 on point %s: stance %s with counter-wording %q", id, p.Stance, p.Counter)
		}
	}
	if c := got["6"].Counter; !strings.Contains(c, "800,000") {
		t.Errorf("the E3's wording of point 6 is %q, want the 800,000 cap", c)
	}
}

// Ukraine's and Russia's positions are illustrative and confidential to
// each: neither sees the other's, the observer sees neither, the mediator
// sees both.
func TestIllustrativePositionsAreConfidential(t *testing.T) {
	f := mustFixture(t)
	ukraine, russia := f.party(t, "Ukraine"), f.party(t, "Russia")
	as := func(p *parley.Party) context.Context {
		return parley.WithActor(context.Background(), &parley.Actor{UserID: "u-" + p.ID, Name: p.Name,
			Memberships: []parley.Membership{{ProcessID: f.processID, Role: parley.RoleDelegate, PartyID: p.ID}}})
	}
	observer := parley.WithActor(context.Background(), &parley.Actor{UserID: "u-observer", Name: "observer",
		Memberships: []parley.Membership{{ProcessID: f.processID, Role: parley.RoleObserver}}})
	cases := []struct {
		name          string
		ctx           context.Context
		party         string
		version       string
		want          int
		illustrative  bool
		confidentials bool
	}{
		{"Russia's own", as(russia), "Russia", "US 28-point plan", 28, true, true},
		{"Ukraine on Russia's", as(ukraine), "Russia", "US 28-point plan", 0, false, false},
		{"Russia on Ukraine's", as(russia), "Ukraine", "US 28-point plan", 0, false, false},
		{"observer on Ukraine's", observer, "Ukraine", "US 28-point plan", 0, false, false},
		{"mediator on Ukraine's", asSystem(), "Ukraine", "US 28-point plan", 28, true, true},
		{"Ukraine's framework, public", observer, "Ukraine", "20-point framework", 20, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := f.positionsOf(t, c.ctx, c.party, c.version)
			if len(got) != c.want {
				t.Fatalf("got %d positions, want %d", len(got), c.want)
			}
			for id, p := range got {
				if c.illustrative && !strings.Contains(p.Note, "Illustrative") {
					t.Errorf("point %s: note %q does not say it is illustrative", id, p.Note)
				}
				if c.confidentials != (p.Classification.Level == parley.Confidential) {
					t.Errorf("point %s is %s", id, p.Classification)
				}
			}
		})
	}
}

// The model ties each version to a package: the 28 points, the E3 text and
// the framework settle every issue, and the analysis of the 28 points as
// the mediator sees it names every party's utility and finds packages
// every party prefers. Every party's preferences say they are
// illustrative.
func TestNegotiationModel(t *testing.T) {
	f := mustFixture(t)
	ctx := asSystem()
	prefs, err := f.s.Negotiation.FindPreferences(ctx, f.processID)
	if err != nil {
		t.Fatal(err)
	}
	if len(prefs) != 4 {
		t.Fatalf("got %d parties' preferences, want 4", len(prefs))
	}
	for _, p := range prefs {
		if !strings.Contains(p.Note, "Illustrative") {
			t.Errorf("the preferences of %s do not say they are illustrative: %q", p.PartyID, p.Note)
		}
	}
	want := map[string]map[string]string{
		"US 28-point plan": {"Territory in the east": "withdraw", "Security guarantee": "conditional",
			"Cap on Ukraine's armed forces": "600k", "NATO membership": "renounced", "Frozen Russian assets": "fund",
			"Sanctions on Russia": "lifted", "Amnesty": "full", "Elections in Ukraine": "100-days"},
		"E3 counter-proposal": {"Territory in the east": "talks", "Security guarantee": "us-art5",
			"Cap on Ukraine's armed forces": "800k", "NATO membership": "consensus", "Frozen Russian assets": "frozen",
			"Sanctions on Russia": "lifted", "Amnesty": "none", "Elections in Ukraine": "after-signing"},
		"20-point framework": {"Territory in the east": "line-zones", "Security guarantee": "joint-art5",
			"Cap on Ukraine's armed forces": "800k", "NATO membership": "open", "Frozen Russian assets": "frozen",
			"Sanctions on Russia": "kept", "Amnesty": "none", "Elections in Ukraine": "after-signing"},
	}
	issues, err := f.s.Negotiation.FindIssues(ctx, f.processID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, is := range issues {
		names[is.ID] = is.Name
	}
	for label, choices := range want {
		a, err := f.s.Negotiation.Analyse(ctx, parley.AnalysisQuery{ProcessID: f.processID, VersionID: f.version(t, label).ID})
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if a.Tentative == nil {
			t.Fatalf("%s settles no package; unsettled: %v", label, a.Unsettled)
		}
		for id, option := range a.Tentative.Choice {
			if w := choices[names[id]]; w != option {
				t.Errorf("%s on %s: got %s, want %s", label, names[id], option, w)
			}
		}
		if len(a.Tentative.Utility) != 4 {
			t.Errorf("%s: the mediator sees %d parties' utilities, want 4", label, len(a.Tentative.Utility))
		}
	}
	// A delegate's analysis names no other party's utility.
	ukraine := f.party(t, "Ukraine")
	delegate := parley.WithActor(context.Background(), &parley.Actor{UserID: "u-ua", Name: "ukraine",
		Memberships: []parley.Membership{{ProcessID: f.processID, Role: parley.RoleDelegate, PartyID: ukraine.ID}}})
	a, err := f.s.Negotiation.Analyse(delegate, parley.AnalysisQuery{ProcessID: f.processID, VersionID: f.version(t, "US 28-point plan").ID})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(a)
	for _, p := range f.parties {
		if p.ID != ukraine.ID && strings.Contains(string(b), `"`+p.ID+`":`) {
			t.Errorf("Ukraine's analysis has a value keyed by %s: %s", p.Name, b)
		}
	}
}
