package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"parley"
)

func init() {
	suites["negotiation"] = inParts(part{"issues", testIssues}, part{"issue access", testIssueAccess},
		part{"preferences", testPreferences}, part{"preferences access", testPreferencesAccess},
		part{"analysis", testAnalysis}, part{"analysis access", testAnalysisAccess},
		part{"preferences and hidden issues", testPreferencesHiddenIssues})
}

// issueRecords reaches issues through the store's negotiation service.
func issueRecords(s *Store) records[parley.Issue] {
	return newRecords("issue", s.Negotiation.CreateIssue, s.Negotiation.UpdateIssue, s.Negotiation.FindIssueByID,
		s.Negotiation.FindIssues, func(is *parley.Issue) (*string, *string) { return &is.ID, &is.ProcessID })
}

// tie names points of a version, for an option.
func tie(v *parley.Version, points ...string) []parley.PointRef {
	var out []parley.PointRef
	for _, p := range points {
		out = append(out, parley.PointRef{VersionID: v.ID, PointID: p})
	}
	return out
}

// issues stores the talks' negotiation model as the system: the army cap
// (600,000 in the first draft, 800,000 in Ukraine's and the framework) and
// NATO membership (ruled out in the first draft and the framework, left
// open in Ukraine's), both process-wide.
func (f *talks) issues(t *testing.T) (army, nato *parley.Issue) {
	t.Helper()
	pw := parley.Classification{Level: parley.ProcessWide}
	army = &parley.Issue{ProcessID: f.proc.ID, Name: "Army cap", Order: 1, Classification: pw, Options: []parley.IssueOption{
		{ID: "600k", Label: "600,000", Points: tie(f.v1, "1")},
		{ID: "800k", Label: "800,000", Points: append(tie(f.v2, "1"), tie(f.v3, "1")...)},
	}}
	nato = &parley.Issue{ProcessID: f.proc.ID, Name: "NATO membership", Order: 2, Classification: pw, Options: []parley.IssueOption{
		{ID: "no", Label: "Ruled out", Points: append(tie(f.v1, "2"), tie(f.v3, "2")...)},
		{ID: "open", Label: "Left open", Points: tie(f.v2, "2")},
	}}
	for _, is := range []*parley.Issue{army, nato} {
		if err := f.s.Negotiation.CreateIssue(asSystem(), is); err != nil {
			t.Fatalf("creating issue %s: %v", is.Name, err)
		}
	}
	return army, nato
}

func testIssues(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTalks(t, s)
	army, _ := f.issues(t)
	valid := func() *parley.Issue {
		return &parley.Issue{ProcessID: f.proc.ID, Name: "Security guarantees", Order: 3, Divisible: true, Default: "none",
			Classification: sharedBy(f.ua, f.us), Options: []parley.IssueOption{
				{ID: "art5", Label: "Like Article 5", Points: tie(f.v2, "3")},
				{ID: "none", Label: "None"},
			}}
	}
	issueRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Issue]{
		{name: "blank name", edit: func(is *parley.Issue) { is.Name = " " }, field: "name"},
		{name: "a default not among the options", edit: func(is *parley.Issue) { is.Default = "some" }, field: "default"},
		{name: "one option", edit: func(is *parley.Issue) { is.Options = is.Options[:1] }, field: "options"},
		{name: "an option twice", edit: func(is *parley.Issue) { is.Options[1].ID = "art5" }, field: "options"},
		{name: "an option ID with a space", edit: func(is *parley.Issue) { is.Options[1].ID = "no way" }, field: "options"},
		{name: "a point of another process", edit: func(is *parley.Issue) { is.Options[1].Points = tie(f.elsewhere, "1") }, field: "options"},
		{name: "a missing point", edit: func(is *parley.Issue) { is.Options[1].Points = tie(f.v1, "9") }, field: "options"},
		{name: "a missing version", edit: func(is *parley.Issue) {
			is.Options[1].Points = []parley.PointRef{{VersionID: "nosuchversion", PointID: "1"}}
		}, field: "options"},
		{name: "shared with a party of another process", edit: func(is *parley.Issue) {
			is.Classification = sharedBy(f.ua, f.hamas)
		}, field: "classification"},
		{name: "missing process", edit: func(is *parley.Issue) { is.ProcessID = "nosuchprocess" }, field: "process_id", createOnly: true},
	})

	t.Run("update", func(t *testing.T) {
		u := *army
		u.Name, u.Order = "Size of the army", 4
		u.Options = append(slices.Clone(u.Options), parley.IssueOption{ID: "1m", Label: "1,000,000"})
		if err := s.Negotiation.UpdateIssue(ctx, &u); err != nil {
			t.Fatal(err)
		}
		got, err := s.Negotiation.FindIssueByID(ctx, army.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != u.Name || len(got.Options) != 3 || got.Option("800k") == nil || len(got.Option("800k").Points) != 2 {
			t.Errorf("got %+v, want %+v", got, u)
		}
	})

	issueRecords(s).checkOrder(t, f.proc.ID, func(is *parley.Issue) string { return is.Name },
		[]string{"NATO membership", "Security guarantees", "Size of the army"})

	t.Run("at most MaxIssues", func(t *testing.T) {
		for k := range parley.MaxIssues {
			is := &parley.Issue{ProcessID: f.other.ID, Name: fmt.Sprintf("Issue %d", k), Classification: parley.Classification{Level: parley.Public},
				Options: []parley.IssueOption{{ID: "yes", Label: "Yes"}, {ID: "no", Label: "No"}}}
			if err := s.Negotiation.CreateIssue(ctx, is); err != nil {
				t.Fatalf("issue %d: %v", k, err)
			}
		}
		is := &parley.Issue{ProcessID: f.other.ID, Name: "One too many", Classification: parley.Classification{Level: parley.Public},
			Options: []parley.IssueOption{{ID: "yes", Label: "Yes"}, {ID: "no", Label: "No"}}}
		if err := s.Negotiation.CreateIssue(ctx, is); parley.ErrorCode(err) != parley.EINVALID {
			t.Errorf("issue %d: got %v, want it refused", parley.MaxIssues+1, err)
		}
	})
}

func testIssueAccess(t *testing.T, s *Store) {
	f := newTalks(t, s)
	army, nato := f.issues(t)
	secret := &parley.Issue{ProcessID: f.proc.ID, Name: "Fallback line", Order: 3, Classification: parley.Classification{Level: parley.MediatorsOnly},
		Options: []parley.IssueOption{{ID: "dnipro", Label: "The Dnipro"}, {ID: "contact", Label: "The line of contact", Points: tie(f.v1, "1")}}}
	if err := s.Negotiation.CreateIssue(asSystem(), secret); err != nil {
		t.Fatal(err)
	}
	seenBy := map[string][]string{
		mediator:   {army.ID, nato.ID, secret.ID},
		delegateUA: {army.ID, nato.ID},
		delegateRU: {army.ID, nato.ID},
		observer:   nil,
	}
	for _, actor := range []string{mediator, delegateUA, delegateRU, observer} {
		ctx := f.actors[actor]
		list, err := s.Negotiation.FindIssues(ctx, f.proc.ID)
		if err != nil {
			t.Fatalf("%s: %v", actor, err)
		}
		var got []string
		for _, is := range list {
			got = append(got, is.ID)
		}
		if !slices.Equal(got, seenBy[actor]) {
			t.Errorf("%s lists issues %q, want %q", actor, got, seenBy[actor])
		}
		_, missing := s.Negotiation.FindIssueByID(ctx, madeUpID)
		for _, is := range []*parley.Issue{army, nato, secret} {
			_, err := s.Negotiation.FindIssueByID(ctx, is.ID)
			if !slices.Contains(seenBy[actor], is.ID) {
				wantHidden(t, actor+" reading "+is.Name, err, is.ID, missing)
			} else if err != nil {
				t.Errorf("%s reading %s: %v", actor, is.Name, err)
			}
		}
	}
	_, err := s.Negotiation.FindIssues(f.actors[outsider], f.proc.ID)
	wantCode(t, "outsider listing", err, parley.ENOTFOUND, "")

	// Russia's delegate is not told which points of Ukraine's draft mean
	// an option.
	got, err := s.Negotiation.FindIssueByID(f.actors[delegateRU], army.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := tie(f.v3, "1"); !slices.Equal(got.Option("800k").Points, want) {
		t.Errorf("Russia's delegate sees 800k tied to %v, want only %v", got.Option("800k").Points, want)
	}
	a, err := s.Archive.ExportProcess(f.actors[delegateRU], f.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Issues) != 2 || strings.Contains(exportJSON(t, a), f.v2.ID) || strings.Contains(exportJSON(t, a), secret.ID) {
		t.Errorf("Russia's delegate exports %d issues, or the ID of Ukraine's draft or of the mediators' issue", len(a.Issues))
	}

	// Only mediators write the model.
	for _, actor := range []string{delegateUA, observer} {
		is := &parley.Issue{ProcessID: f.proc.ID, Name: "Elections", Classification: parley.Classification{Level: parley.ProcessWide},
			Options: []parley.IssueOption{{ID: "100d", Label: "Within 100 days"}, {ID: "later", Label: "Later"}}}
		wantCode(t, actor+" creating an issue", s.Negotiation.CreateIssue(f.actors[actor], is), parley.EFORBIDDEN, "")
		u := *army
		u.Name = "Army"
		// The issue is process-wide: hidden from observers.
		want := map[string]string{delegateUA: parley.EFORBIDDEN, observer: parley.ENOTFOUND}[actor]
		wantCode(t, actor+" updating an issue", s.Negotiation.UpdateIssue(f.actors[actor], &u), want, "")
	}
	is := &parley.Issue{ProcessID: f.proc.ID, Name: "Elections", Classification: parley.Classification{Level: parley.ProcessWide},
		Options: []parley.IssueOption{{ID: "100d", Label: "Within 100 days", Points: tie(f.v2, "3")}, {ID: "later", Label: "Later"}}}
	if err := s.Negotiation.CreateIssue(f.actors[mediator], is); err != nil {
		t.Errorf("a mediator creating an issue: %v", err)
	}
}

// exportJSON returns an archive as JSON.
func exportJSON(t *testing.T, a *parley.Archive) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// validPrefs returns preferences of a party of the talks that rate both
// issues of the model.
func (f *talks) validPrefs(party *parley.Party) *parley.Preferences {
	return &parley.Preferences{ProcessID: f.proc.ID, PartyID: party.ID, Classification: confidentialTo(party),
		Weights:     map[string]int{},
		Ratings:     map[string]map[string]int{},
		Reservation: 20, Note: "illustrative"}
}

// rate fills preferences from the IDs of the model's issues.
func rate(p *parley.Preferences, army, nato *parley.Issue, wArmy, wNato, r600k, r800k, rNo, rOpen int) *parley.Preferences {
	p.Weights = map[string]int{army.ID: wArmy, nato.ID: wNato}
	p.Ratings = map[string]map[string]int{army.ID: {"600k": r600k, "800k": r800k}, nato.ID: {"no": rNo, "open": rOpen}}
	return p
}

// samePrefs reports whether two sets of preferences are the same.
func samePrefs(a, b *parley.Preferences) bool {
	x, y := *a, *b
	x.Updated = y.Updated
	return a.Updated.Equal(b.Updated) && jsonEqual(x, y)
}

func testPreferences(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTalks(t, s)
	army, nato := f.issues(t)
	revision := func() int64 {
		p, err := s.Processes.FindProcessByID(ctx, f.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Revision
	}
	list := func() []*parley.Preferences {
		t.Helper()
		ps, err := s.Negotiation.FindPreferences(ctx, f.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}

	rev := revision()
	ua := rate(f.validPrefs(f.ua), army, nato, 40, 60, 0, 100, 0, 100)
	ua.Never = []parley.OptionRef{{IssueID: nato.ID, OptionID: "no"}}
	if err := s.Negotiation.SetPreferences(ctx, ua); err != nil {
		t.Fatal(err)
	}
	if len(ua.ID) != 12 || ua.Updated.IsZero() {
		t.Errorf("got ID %q updated %v, want a 12-character ID and the time", ua.ID, ua.Updated)
	}
	if got := list(); len(got) != 1 || !samePrefs(got[0], ua) {
		t.Errorf("read back %+v, want %+v", got, ua)
	}
	if r := revision(); r <= rev {
		t.Errorf("setting preferences: revision %d → %d, want it to grow", rev, r)
	}

	t.Run("replace", func(t *testing.T) {
		again := rate(f.validPrefs(f.ua), army, nato, 50, 50, 10, 90, 0, 100)
		if err := s.Negotiation.SetPreferences(ctx, again); err != nil {
			t.Fatal(err)
		}
		if again.ID != ua.ID {
			t.Errorf("replacing got ID %q, want the old one's %q", again.ID, ua.ID)
		}
		ru := rate(f.validPrefs(f.ru), army, nato, 70, 30, 100, 0, 100, 0)
		if err := s.Negotiation.SetPreferences(ctx, ru); err != nil {
			t.Fatal(err)
		}
		got := list()
		if len(got) != 2 || !samePrefs(got[0], ru) || !samePrefs(got[1], again) {
			t.Errorf("got %d sets of preferences %+v, want Russia's and Ukraine's latest, by name", len(got), got)
		}
	})

	t.Run("refused", func(t *testing.T) {
		before, rev := len(list()), revision()
		tests := []struct {
			name, field, message string
			edit                 func(p *parley.Preferences)
		}{
			{"weights short of 100", "weights", "sum to 90, not 100", func(p *parley.Preferences) { p.Weights[army.ID] = 30 }},
			{"weights over 100", "weights", "not 100", func(p *parley.Preferences) { p.Weights[army.ID] = 50 }},
			{"an unknown issue weighed", "weights", "nosuchissue", func(p *parley.Preferences) {
				p.Weights = map[string]int{army.ID: 40, "nosuchissue": 60}
			}},
			{"an unknown issue rated", "ratings", "nosuchissue", func(p *parley.Preferences) { p.Ratings["nosuchissue"] = map[string]int{"x": 1} }},
			{"an unknown option rated", "ratings", "1m", func(p *parley.Preferences) { p.Ratings[army.ID]["1m"] = 50 }},
			{"a rating over 100", "ratings", "101", func(p *parley.Preferences) { p.Ratings[army.ID]["600k"] = 101 }},
			{"an unknown option never accepted", "never", "maybe", func(p *parley.Preferences) {
				p.Never = []parley.OptionRef{{IssueID: nato.ID, OptionID: "maybe"}}
			}},
			{"a negative reservation", "reservation", "", func(p *parley.Preferences) { p.Reservation = -1 }},
			{"confidential to another party", "classification", "", func(p *parley.Preferences) { p.Classification = confidentialTo(f.ru) }},
			{"process-wide", "classification", "", func(p *parley.Preferences) {
				p.Classification = parley.Classification{Level: parley.ProcessWide}
			}},
			{"a party of another process", "party_id", "", func(p *parley.Preferences) {
				p.PartyID, p.Classification = f.hamas.ID, confidentialTo(f.hamas)
			}},
			{"a missing process", "process_id", "", func(p *parley.Preferences) { p.ProcessID = "nosuchprocess" }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := rate(f.validPrefs(f.ua), army, nato, 40, 60, 0, 100, 0, 100)
				tt.edit(p)
				err := s.Negotiation.SetPreferences(ctx, p)
				wantCode(t, "set", err, parley.EINVALID, tt.field)
				if err != nil && !strings.Contains(err.Error(), tt.message) {
					t.Errorf("got %v, want a message with %q", err, tt.message)
				}
				if p.ID != "" {
					t.Errorf("refused preferences got ID %q", p.ID)
				}
				if n := len(list()); n != before {
					t.Errorf("got %d sets of preferences after a refused one, want %d", n, before)
				}
				if r := revision(); r != rev {
					t.Errorf("refused preferences changed the revision %d → %d", rev, r)
				}
			})
		}
	})
}

func testPreferencesAccess(t *testing.T, s *Store) {
	f := newTalks(t, s)
	army, nato := f.issues(t)
	secret := &parley.Issue{ProcessID: f.proc.ID, Name: "Fallback line", Order: 3, Classification: parley.Classification{Level: parley.MediatorsOnly},
		Options: []parley.IssueOption{{ID: "dnipro", Label: "The Dnipro"}, {ID: "contact", Label: "The line of contact"}}}
	if err := s.Negotiation.CreateIssue(asSystem(), secret); err != nil {
		t.Fatal(err)
	}
	ua := rate(f.validPrefs(f.ua), army, nato, 40, 60, 0, 100, 0, 100)
	ru := rate(f.validPrefs(f.ru), army, nato, 70, 30, 100, 0, 100, 0)
	for _, p := range []*parley.Preferences{ua, ru} {
		if err := s.Negotiation.SetPreferences(asSystem(), p); err != nil {
			t.Fatal(err)
		}
	}
	seenBy := map[string][]string{
		mediator:   {ru.ID, ua.ID},
		delegateUA: {ua.ID},
		delegateRU: {ru.ID},
		observer:   nil,
	}

	t.Run("reads", func(t *testing.T) {
		for _, actor := range []string{mediator, delegateUA, delegateRU, observer} {
			ctx := f.actors[actor]
			list, err := s.Negotiation.FindPreferences(ctx, f.proc.ID)
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			a, err := s.Archive.ExportProcess(ctx, f.proc.ID)
			if err != nil {
				t.Fatalf("%s exporting: %v", actor, err)
			}
			for what, got := range map[string][]*parley.Preferences{"lists": list, "exports": a.Preferences} {
				var ids []string
				for _, p := range got {
					ids = append(ids, p.ID)
				}
				if !slices.Equal(ids, seenBy[actor]) {
					t.Errorf("%s %s preferences %q, want %q", actor, what, ids, seenBy[actor])
				}
			}
			for _, p := range []*parley.Preferences{ua, ru} {
				if !slices.Contains(seenBy[actor], p.ID) && strings.Contains(exportJSON(t, a), p.ID) {
					t.Errorf("%s's export holds the ID of preferences it may not see", actor)
				}
			}
		}
		_, err := s.Negotiation.FindPreferences(f.actors[outsider], f.proc.ID)
		wantCode(t, "outsider listing", err, parley.ENOTFOUND, "")
		_, err = s.Negotiation.FindPreferences(context.Background(), f.proc.ID)
		if code := parley.ErrorCode(err); code != parley.ENOTFOUND && code != parley.EUNAUTHORIZED {
			t.Errorf("listing without an actor: got %v, want not found or unauthorized", err)
		}
	})

	t.Run("reads are audited", func(t *testing.T) {
		before := auditTotal(t, s, f.proc.ID)
		if _, err := s.Negotiation.FindPreferences(f.actors[delegateUA], f.proc.ID); err != nil {
			t.Fatal(err)
		}
		rs := auditSince(t, s, f.proc.ID, before)
		if len(rs) != 1 || rs[0].Action != "read" || rs[0].Kind != "preferences" || !slices.Equal(rs[0].IDs, []string{ua.ID}) {
			t.Errorf("got audit records %+v, want one read of Ukraine's preferences", rs)
		}
	})

	t.Run("writes", func(t *testing.T) {
		tests := []struct {
			name  string
			actor string
			prefs *parley.Preferences
			code  string
			field string
		}{
			{"a delegate sets its party's", delegateUA, rate(f.validPrefs(f.ua), army, nato, 50, 50, 0, 100, 0, 100), "", ""},
			{"a delegate sets another party's", delegateUA, rate(f.validPrefs(f.ru), army, nato, 50, 50, 0, 100, 0, 100), parley.EFORBIDDEN, ""},
			{"an observer sets a party's", observer, rate(f.validPrefs(f.ru), army, nato, 50, 50, 0, 100, 0, 100), parley.EFORBIDDEN, ""},
			{"an outsider sets a party's", outsider, rate(f.validPrefs(f.ru), army, nato, 50, 50, 0, 100, 0, 100), parley.EINVALID, "process_id"},
			{"a mediator sets a party's", mediator, rate(f.validPrefs(f.ru), army, nato, 60, 40, 100, 0, 100, 0), "", ""},
		}
		for _, tt := range tests {
			err := s.Negotiation.SetPreferences(f.actors[tt.actor], tt.prefs)
			if tt.code == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				}
				continue
			}
			wantCode(t, tt.name, err, tt.code, tt.field)
		}
		got, err := s.Negotiation.FindPreferences(asSystem(), f.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Weights[army.ID] != 60 || got[1].Weights[army.ID] != 50 {
			t.Errorf("after the writes: %+v; want Russia's set by the mediator, Ukraine's by its delegate", got)
		}
		// An issue hidden from a delegate is one the process does not
		// have, as far as its preferences go.
		hidden := rate(f.validPrefs(f.ua), army, nato, 40, 40, 0, 100, 0, 100)
		hidden.Weights[secret.ID] = 20
		madeUp := rate(f.validPrefs(f.ua), army, nato, 40, 40, 0, 100, 0, 100)
		madeUp.Weights[madeUpID] = 20
		wantHidden(t, "preferences weighing a hidden issue", s.Negotiation.SetPreferences(f.actors[delegateUA], hidden), secret.ID,
			s.Negotiation.SetPreferences(f.actors[delegateUA], madeUp))
	})
}

// jsonEqual reports whether two records have the same JSON.
func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// mustFillNegotiation adds to the archive suite's process a model of two
// issues (one divisible) tied to points of the 28-point version v, a
// position of each party on point 12 and both parties' preferences.
func mustFillNegotiation(t *testing.T, s *Store, processID string, us, ru *parley.Party, v *parley.Version) {
	t.Helper()
	ctx := asSystem()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	pw := parley.Classification{Level: parley.ProcessWide}
	plant := &parley.Issue{ProcessID: processID, Name: "Zaporizhzhia plant", Order: 1, Divisible: true, Classification: pw,
		Options: []parley.IssueOption{{ID: "us", Label: "Run by the US", Points: tie(v, "12")}, {ID: "ua", Label: "Run by Ukraine"}}}
	army := &parley.Issue{ProcessID: processID, Name: "Army cap", Order: 2, Default: "800k", Classification: public,
		Options: []parley.IssueOption{{ID: "600k", Label: "600,000", Points: tie(v, "6")}, {ID: "800k", Label: "800,000"}}}
	check(s.Negotiation.CreateIssue(ctx, plant))
	check(s.Negotiation.CreateIssue(ctx, army))
	check(s.Positions.SetPosition(ctx, &parley.Position{ProcessID: processID, PartyID: ru.ID, VersionID: v.ID, PointID: "12",
		Stance: parley.AcceptsWithChanges, Note: "Wants a share.", Counter: "Run jointly.", Classification: confidentialTo(ru)}))
	check(s.Positions.SetPosition(ctx, &parley.Position{ProcessID: processID, PartyID: us.ID, VersionID: v.ID, PointID: "12",
		Stance: parley.Accepts, Classification: public}))
	check(s.Negotiation.SetPreferences(ctx, &parley.Preferences{ProcessID: processID, PartyID: us.ID, Classification: confidentialTo(us),
		Weights: map[string]int{plant.ID: 80, army.ID: 20}, Ratings: map[string]map[string]int{plant.ID: {"us": 100, "ua": 40}, army.ID: {"600k": 50}},
		Reservation: 30}))
	check(s.Negotiation.SetPreferences(ctx, &parley.Preferences{ProcessID: processID, PartyID: ru.ID, Classification: confidentialTo(ru),
		Weights: map[string]int{plant.ID: 30, army.ID: 70}, Ratings: map[string]map[string]int{plant.ID: {"us": 60, "ua": 0}, army.ID: {"600k": 100, "800k": 0}},
		Never: []parley.OptionRef{{IssueID: army.ID, OptionID: "800k"}}, Note: "illustrative"}))
}

// analysedTalks stores the talks' model and the preferences of Russia and
// Ukraine, which the analysis suites know by hand: (600k, no) gives
// Russia 100 and Ukraine 0; (600k, open) 70 and 60; (800k, open) 0 and
// 100; the framework's (800k, no) 30 and 40. The United States has none.
func analysedTalks(t *testing.T, s *Store) (f *talks, army, nato *parley.Issue, ru, ua *parley.Preferences) {
	t.Helper()
	f = newTalks(t, s)
	army, nato = f.issues(t)
	ru = rate(f.validPrefs(f.ru), army, nato, 70, 30, 100, 0, 100, 0)
	ua = rate(f.validPrefs(f.ua), army, nato, 40, 60, 0, 100, 0, 100)
	for _, p := range []*parley.Preferences{ru, ua} {
		p.Reservation = 0
		if err := s.Negotiation.SetPreferences(asSystem(), p); err != nil {
			t.Fatal(err)
		}
	}
	return f, army, nato, ru, ua
}

// packageOf writes an analysed package as its army and NATO options and
// the utilities it shows, by party name.
func packageOf(f *talks, army, nato *parley.Issue, p *parley.AnalysedPackage) string {
	if p == nil {
		return "none"
	}
	out := p.Choice[army.ID] + " " + p.Choice[nato.ID]
	for _, pt := range []*parley.Party{f.ru, f.ua, f.us} {
		if u, ok := p.Utility[pt.ID]; ok {
			out += fmt.Sprintf(" %s=%g", pt.Name, u)
		}
	}
	return out
}

func testAnalysis(t *testing.T, s *Store) {
	f, army, nato, ru, ua := analysedTalks(t, s)
	before := auditTotal(t, s, f.proc.ID)
	a, err := s.Negotiation.Analyse(asSystem(), parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v3.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Parties, []string{f.ru.ID, f.ua.ID}) || !slices.Equal(a.Missing, []string{f.us.ID}) || a.Viewer != "" {
		t.Errorf("got parties %q, missing %q, viewer %q; want Russia and Ukraine by name, the United States missing, every party shown",
			a.Parties, a.Missing, a.Viewer)
	}
	if a.VersionID != f.v3.ID || a.PreviousID != f.v2.ID || !slices.Equal(a.Issues, []string{army.ID, nato.ID}) {
		t.Errorf("got version %q after %q, issues %q; want the framework after the counter-draft, both issues",
			a.VersionID, a.PreviousID, a.Issues)
	}
	var frontier []string
	for _, p := range a.Frontier {
		frontier = append(frontier, packageOf(f, army, nato, p))
	}
	if want := []string{"600k no Russia=100 Ukraine=0", "600k open Russia=70 Ukraine=60", "800k open Russia=0 Ukraine=100"}; !a.Exact || !slices.Equal(frontier, want) {
		t.Errorf("got frontier %q (exact: %v), want %q", frontier, a.Exact, want)
	}
	for _, fp := range a.Fair {
		if got := packageOf(f, army, nato, fp.Package); got != "600k open Russia=70 Ukraine=60" {
			t.Errorf("%s: got %s, want 600k open", fp.Method, got)
		}
	}
	if len(a.Fair) != 4 {
		t.Errorf("got %d fair packages, want 4", len(a.Fair))
	}
	if got := packageOf(f, army, nato, a.Tentative); got != "800k no Russia=30 Ukraine=40" {
		t.Errorf("got tentative %s, want 800k no", got)
	}
	if a.Distance[f.ru.ID] != 70 || a.Distance[f.ua.ID] != 60 || a.Ideal[f.ua.ID] != 100 {
		t.Errorf("got ideal %v and distance %v, want 100 each and 70 for Russia, 60 for Ukraine", a.Ideal, a.Distance)
	}
	want := []parley.Concession{
		{PartyID: f.ru.ID, IssueID: nato.ID, From: "open", To: "no", Loss: -30},
		{PartyID: f.ua.ID, IssueID: nato.ID, From: "open", To: "no", Loss: 60},
	}
	if !slices.Equal(a.Concessions, want) {
		t.Errorf("got concessions %+v, want %+v", a.Concessions, want)
	}
	if len(a.Improvements) != 1 || packageOf(f, army, nato, a.Improvements[0]) != "600k open Russia=70 Ukraine=60" || a.NoImprovement {
		t.Errorf("got improvements %d (none: %v), want 600k open", len(a.Improvements), a.NoImprovement)
	}

	rs := auditSince(t, s, f.proc.ID, before)
	if len(rs) != 1 || rs[0].Action != "analyse" || rs[0].Kind != "preferences" || !slices.Equal(rs[0].IDs, []string{ru.ID, ua.ID}) ||
		!strings.Contains(rs[0].Detail, f.v3.ID) {
		t.Errorf("got audit records %+v, want one analysis naming both sets of preferences and the version", rs)
	}

	t.Run("other versions", func(t *testing.T) {
		a, err := s.Negotiation.Analyse(asSystem(), parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v3.ID, PreviousID: f.v1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a.PreviousID != f.v1.ID || len(a.Concessions) != 2 || a.Concessions[1].IssueID != army.ID || a.Concessions[1].Loss != -40 {
			t.Errorf("against the first draft: got %+v, want the army cap conceded to Ukraine", a.Concessions)
		}
		a, err = s.Negotiation.Analyse(asSystem(), parley.AnalysisQuery{ProcessID: f.proc.ID})
		if err != nil {
			t.Fatal(err)
		}
		if a.Tentative != nil || len(a.Frontier) != 3 {
			t.Errorf("without a version: got tentative %v and %d frontier packages, want none and 3", a.Tentative, len(a.Frontier))
		}
		_, err = s.Negotiation.Analyse(asSystem(), parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.elsewhere.ID})
		wantCode(t, "a version of another process", err, parley.ENOTFOUND, "")
		_, err = s.Negotiation.Analyse(asSystem(), parley.AnalysisQuery{ProcessID: "nosuchprocess"})
		wantCode(t, "a missing process", err, parley.ENOTFOUND, "")
	})

	// The same question asked again, by other readers and after a
	// change: every reader gets its own share of the answer, and a
	// changed preference shows at once (a store may keep analyses, but
	// never past a write).
	t.Run("asked again", func(t *testing.T) {
		q := parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v3.ID}
		for _, actor := range []string{delegateUA, mediator, delegateRU, mediator} {
			a, err := s.Negotiation.Analyse(f.actors[actor], q)
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			if want := map[string]int{mediator: 2, delegateUA: 1, delegateRU: 1}[actor]; len(a.Tentative.Utility) != want {
				t.Errorf("%s: got utilities %v, want %d parties'", actor, a.Tentative.Utility, want)
			}
		}
		ua.Ratings[nato.ID]["no"] = 50
		if err := s.Negotiation.SetPreferences(asSystem(), ua); err != nil {
			t.Fatal(err)
		}
		a, err := s.Negotiation.Analyse(f.actors[mediator], q)
		if err != nil {
			t.Fatal(err)
		}
		// (800k, no) now gives Ukraine 40 + 60 × 50 / 100 = 70.
		if got := a.Tentative.Utility[f.ua.ID]; got != 70 {
			t.Errorf("after Ukraine's change: got its utility %v, want 70", got)
		}
	})
}

func testAnalysisAccess(t *testing.T, s *Store) {
	f, army, _, _, _ := analysedTalks(t, s)
	q := parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v3.ID}
	// A mediators' issue that the framework settles: delegates are not
	// told of it.
	secret := &parley.Issue{ProcessID: f.proc.ID, Name: "Fallback line", Order: 3, Classification: parley.Classification{Level: parley.MediatorsOnly},
		Options: []parley.IssueOption{{ID: "dnipro", Label: "The Dnipro", Points: tie(f.v3, "3")},
			{ID: "contact", Label: "The line of contact", Points: tie(f.v2, "3")}}}
	if err := s.Negotiation.CreateIssue(asSystem(), secret); err != nil {
		t.Fatal(err)
	}

	_, err := s.Negotiation.Analyse(f.actors[observer], q)
	wantCode(t, "an observer", err, parley.EFORBIDDEN, "")
	_, err = s.Negotiation.Analyse(f.actors[outsider], q)
	wantCode(t, "an outsider", err, parley.ENOTFOUND, "")
	_, err = s.Negotiation.Analyse(context.Background(), q)
	if code := parley.ErrorCode(err); code != parley.ENOTFOUND && code != parley.EUNAUTHORIZED {
		t.Errorf("without an actor: got %v, want not found or unauthorized", err)
	}

	med, err := s.Negotiation.Analyse(f.actors[mediator], q)
	if err != nil {
		t.Fatal(err)
	}
	if med.Tentative == nil || med.Tentative.Choice[secret.ID] != "dnipro" || len(med.Tentative.Utility) != 2 {
		t.Errorf("the mediator's tentative package: %+v, want every issue and both parties' utilities", med.Tentative)
	}
	if !slices.ContainsFunc(med.Concessions, func(c parley.Concession) bool { return c.IssueID == secret.ID }) {
		t.Errorf("the mediator's concessions %+v leave out the fallback line, which changed", med.Concessions)
	}

	for _, tt := range []struct {
		actor       string
		own, other  *parley.Party
		previous    string
		concessions int
	}{
		{delegateRU, f.ru, f.ua, "", 0}, // Ukraine's counter-draft is hidden from Russia
		{delegateUA, f.ua, f.ru, f.v2.ID, 1},
	} {
		t.Run(tt.actor, func(t *testing.T) {
			a, err := s.Negotiation.Analyse(f.actors[tt.actor], q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Viewer != tt.own.ID || a.PreviousID != tt.previous || len(a.Concessions) != tt.concessions {
				t.Errorf("got viewer %q, previous %q, %d concessions; want %q, %q, %d", a.Viewer, a.PreviousID, len(a.Concessions),
					tt.own.ID, tt.previous, tt.concessions)
			}
			numbers, err := json.Marshal([]any{a.Tentative, a.Ideal, a.Distance, a.Concessions, a.Frontier, a.Fair, a.Improvements})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(numbers), tt.other.ID) || !strings.Contains(string(numbers), tt.own.ID) {
				t.Errorf("the delegate's numbers name another party, or not its own: %s", numbers)
			}
			if len(a.Frontier) != 3 || len(a.Fair) != 4 || a.Tentative == nil || a.Tentative.Choice[army.ID] != "800k" {
				t.Errorf("the delegate gets %d frontier packages, %d fair ones, tentative %+v; want every package", len(a.Frontier), len(a.Fair), a.Tentative)
			}
			whole, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(whole), secret.ID) {
				t.Errorf("the delegate's analysis names the mediators' issue: %s", whole)
			}
			if tt.actor == delegateRU && strings.Contains(string(whole), f.v2.ID) {
				t.Errorf("Russia's analysis names Ukraine's draft: %s", whole)
			}
		})
	}

	// Ukraine's counter-draft is, to Russia, a made-up version.
	ru := f.actors[delegateRU]
	_, missing := s.Negotiation.Analyse(ru, parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: madeUpID})
	_, err = s.Negotiation.Analyse(ru, parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v2.ID})
	wantHidden(t, "analysing a hidden version", err, f.v2.ID, missing)
	_, missing = s.Negotiation.Analyse(ru, parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v3.ID, PreviousID: madeUpID})
	_, err = s.Negotiation.Analyse(ru, parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v3.ID, PreviousID: f.v2.ID})
	wantHidden(t, "conceding against a hidden version", err, f.v2.ID, missing)
}

// testPreferencesHiddenIssues: preferences speak only of issues their
// party may see. A mediator may not weigh for a party an issue hidden
// from it; when an issue the party weighed is hidden later, its delegate
// reads, exports and analyses nothing of it, while the mediator still
// sees the whole.
func testPreferencesHiddenIssues(t *testing.T, s *Store) {
	f := newTalks(t, s)
	army, nato := f.issues(t)
	secret := &parley.Issue{ProcessID: f.proc.ID, Name: "Fallback line", Order: 3, Classification: parley.Classification{Level: parley.MediatorsOnly},
		Options: []parley.IssueOption{{ID: "dnipro", Label: "The Dnipro"}, {ID: "contact", Label: "The line of contact"}}}
	if err := s.Negotiation.CreateIssue(asSystem(), secret); err != nil {
		t.Fatal(err)
	}
	ua := rate(f.validPrefs(f.ua), army, nato, 40, 40, 0, 100, 0, 100)
	ua.Weights[secret.ID] = 20
	ua.Ratings[secret.ID] = map[string]int{"dnipro": 100}
	err := s.Negotiation.SetPreferences(asSystem(), ua)
	if parley.ErrorCode(err) != parley.EINVALID || !strings.Contains(parley.ErrorMessage(err), "hidden from the party") {
		t.Fatalf("weighing an issue hidden from the party: got %v, want it refused as hidden from the party", err)
	}

	// The issue is process-wide when Ukraine weighs it, hidden later.
	secret.Classification = parley.Classification{Level: parley.ProcessWide}
	if err := s.Negotiation.UpdateIssue(asSystem(), secret); err != nil {
		t.Fatal(err)
	}
	ua.Never = []parley.OptionRef{{IssueID: secret.ID, OptionID: "contact"}}
	if err := s.Negotiation.SetPreferences(asSystem(), ua); err != nil {
		t.Fatal(err)
	}
	ru := rate(f.validPrefs(f.ru), army, nato, 70, 30, 100, 0, 100, 0)
	if err := s.Negotiation.SetPreferences(asSystem(), ru); err != nil {
		t.Fatal(err)
	}
	secret.Classification = parley.Classification{Level: parley.MediatorsOnly}
	if err := s.Negotiation.UpdateIssue(asSystem(), secret); err != nil {
		t.Fatal(err)
	}

	list, err := s.Negotiation.FindPreferences(f.actors[delegateUA], f.proc.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("Ukraine's delegate: got %d preferences, %v; want its own", len(list), err)
	}
	b, _ := json.Marshal(list[0])
	if strings.Contains(string(b), secret.ID) {
		t.Errorf("Ukraine's delegate reads the hidden issue in its preferences: %s", b)
	}
	if a, err := s.Archive.ExportProcess(f.actors[delegateUA], f.proc.ID); err != nil {
		t.Fatal(err)
	} else if b := exportJSON(t, a); strings.Contains(b, secret.ID) {
		t.Errorf("Ukraine's delegate exports the hidden issue")
	}
	an, err := s.Negotiation.Analyse(f.actors[delegateUA], parley.AnalysisQuery{ProcessID: f.proc.ID, VersionID: f.v1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(an); strings.Contains(string(b), secret.ID) {
		t.Errorf("Ukraine's delegate's analysis names the hidden issue: %s", b)
	}
	all, err := s.Negotiation.FindPreferences(asSystem(), f.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.PartyID == f.ua.ID && (p.Weights[secret.ID] != 20 || len(p.Never) != 1) {
			t.Errorf("the mediator reads Ukraine's preferences without the hidden issue: %+v", p)
		}
	}
}
