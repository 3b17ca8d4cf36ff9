package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"parley"
)

func init() {
	suites["negotiation"] = inParts(part{"issues", testIssues}, part{"issue access", testIssueAccess},
		part{"preferences", testPreferences}, part{"preferences access", testPreferencesAccess})
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
		return &parley.Issue{ProcessID: f.proc.ID, Name: "Security guarantees", Order: 3, Divisible: true,
			Classification: sharedBy(f.ua, f.us), Options: []parley.IssueOption{
				{ID: "art5", Label: "Like Article 5", Points: tie(f.v2, "3")},
				{ID: "none", Label: "None"},
			}}
	}
	issueRecords(s).checkRules(t, valid, f.other.ID, []refusal[parley.Issue]{
		{name: "blank name", edit: func(is *parley.Issue) { is.Name = " " }, field: "name"},
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
	army := &parley.Issue{ProcessID: processID, Name: "Army cap", Order: 2, Classification: public,
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
