package storetest

import (
	"context"
	"maps"
	"slices"
	"testing"

	"parley"
)

func init() {
	suites["positions"] = inParts(part{"set and find", testPositions}, part{"refused", testPositionRefusals},
		part{"access", testPositionAccess})
}

// talks is what the positions and negotiation suites start from: a public
// process with three public parties and a plan of three versions, the
// second a draft confidential to Ukraine; another process with a party and
// a version of its own, to refer to across processes; and a user in every
// role (the actor names of the access suite), each signed in.
type talks struct {
	s                 *Store
	proc, other       *parley.Process
	ua, ru, us, hamas *parley.Party
	plan              *parley.Plan
	// v1 and v3 are public; v2 is Ukraine's confidential counter-draft.
	// elsewhere is a version of the other process.
	v1, v2, v3, elsewhere *parley.Version
	actors                map[string]context.Context
}

// The texts of the talks' versions: an army cap and NATO membership in
// points 1 and 2, sanctions in 3.
const (
	talksV1 = "1. The army is capped at 600,000.\n2. No membership of NATO.\n3. Sanctions are lifted in stages.\n"
	talksV2 = "1. The army is capped at 800,000.\n2. Membership of NATO is left open.\n3. Sanctions are lifted after withdrawal.\n"
	talksV3 = "1. The army is capped at 800,000.\n2. No membership of NATO.\n3. Sanctions are lifted in stages.\n"
)

// newTalks stores the talks as the system and signs their users in.
func newTalks(t *testing.T, s *Store) *talks {
	t.Helper()
	f := &talks{s: s, proc: mustProcess(t, s, "Talks"), other: mustProcess(t, s, "Elsewhere"), actors: map[string]context.Context{}}
	f.ua, f.ru, f.us = mustPublicParty(t, s, f.proc.ID, "Ukraine"), mustPublicParty(t, s, f.proc.ID, "Russia"),
		mustPublicParty(t, s, f.proc.ID, "United States")
	f.hamas = mustPublicParty(t, s, f.other.ID, "Hamas")
	f.plan = mustPlan(t, s, f.proc.ID, "Peace plan", "")
	f.v1 = mustVersion(t, s, f.plan.ID, "US draft", day(11, 20), talksV1)
	f.v2 = &parley.Version{PlanID: f.plan.ID, Label: "Ukrainian counter-draft", Date: day(11, 23), Status: parley.Draft,
		Text: talksV2, Classification: confidentialTo(f.ua)}
	if err := s.Plans.CreateVersion(asSystem(), f.v2); err != nil {
		t.Fatal(err)
	}
	f.v3 = mustVersion(t, s, f.plan.ID, "Framework", day(12, 24), talksV3)
	f.elsewhere = mustVersion(t, s, mustPlan(t, s, f.other.ID, "Gaza plan", "").ID, "Gaza plan", day(9, 29), "1. A ceasefire.\n")
	f.actors[mediator] = mustMember(t, s, "talks-"+mediator, f.proc.ID, parley.RoleMediator, "")
	f.actors[delegateUA] = mustMember(t, s, "talks-"+delegateUA, f.proc.ID, parley.RoleDelegate, f.ua.ID)
	f.actors[delegateRU] = mustMember(t, s, "talks-"+delegateRU, f.proc.ID, parley.RoleDelegate, f.ru.ID)
	f.actors[observer] = mustMember(t, s, "talks-"+observer, f.proc.ID, parley.RoleObserver, "")
	mustUser(t, s, "talks-"+outsider, false)
	_, f.actors[outsider] = signedIn(t, s, "talks-"+outsider)
	return f
}

// mustMember makes a user who is a member of a process in a role and
// returns a context signed in as them.
func mustMember(t *testing.T, s *Store, name, processID string, role parley.Role, partyID string) context.Context {
	t.Helper()
	u := mustUser(t, s, name, false)
	if err := s.Users.SetMembership(asSystem(), &parley.Membership{UserID: u.ID, ProcessID: processID, Role: role, PartyID: partyID}); err != nil {
		t.Fatal(err)
	}
	_, ctx := signedIn(t, s, name)
	return ctx
}

// confidentialTo is the classification of a party's own records.
func confidentialTo(p *parley.Party) parley.Classification {
	return parley.Classification{Level: parley.Confidential, PartyIDs: []string{p.ID}}
}

// sharedBy is the classification of records shared by the first party
// with the others.
func sharedBy(ps ...*parley.Party) parley.Classification {
	c := parley.Classification{Level: parley.Shared}
	for _, p := range ps {
		c.PartyIDs = append(c.PartyIDs, p.ID)
	}
	return c
}

// position returns a position of the talks.
func (f *talks) position(party *parley.Party, v *parley.Version, point string, st parley.Stance, c parley.Classification) *parley.Position {
	return &parley.Position{ProcessID: f.proc.ID, PartyID: party.ID, VersionID: v.ID, PointID: point, Stance: st, Classification: c}
}

// positions stores the talks' positions as the system, by name: each
// party's confidential or shared stance on the public draft, Ukraine's
// public stance on its own confidential draft, and public stances.
func (f *talks) positions(t *testing.T) map[string]*parley.Position {
	t.Helper()
	ps := map[string]*parley.Position{
		"ua-v1-1": f.position(f.ua, f.v1, "1", parley.Rejects, confidentialTo(f.ua)),
		"ru-v1-1": f.position(f.ru, f.v1, "1", parley.Accepts, confidentialTo(f.ru)),
		"ru-v1-2": f.position(f.ru, f.v1, "2", parley.RedLine, parley.Classification{Level: parley.ProcessWide}),
		"ua-v1-2": f.position(f.ua, f.v1, "2", parley.AcceptsWithChanges, sharedBy(f.ua, f.us)),
		"ua-v2-1": f.position(f.ua, f.v2, "1", parley.Accepts, public),
		"us-v3-1": f.position(f.us, f.v3, "1", parley.Accepts, public),
	}
	for _, n := range slices.Sorted(maps.Keys(ps)) {
		ps[n].Note = "note on " + n
		if err := f.s.Positions.SetPosition(asSystem(), ps[n]); err != nil {
			t.Fatalf("setting position %s: %v", n, err)
		}
	}
	return ps
}

// positionsSeenBy lists, by actor, the names of the talks' positions it
// sees: its own party's and the others' it sees, each on a version it
// sees.
var positionsSeenBy = map[string][]string{
	mediator:   {"ru-v1-1", "ru-v1-2", "ua-v1-1", "ua-v1-2", "ua-v2-1", "us-v3-1"},
	delegateUA: {"ru-v1-2", "ua-v1-1", "ua-v1-2", "ua-v2-1", "us-v3-1"},
	delegateRU: {"ru-v1-1", "ru-v1-2", "us-v3-1"},
	observer:   {"us-v3-1"},
}

// positionNames returns the names of the positions with the given IDs, in
// their order.
func positionNames(ps map[string]*parley.Position, list []*parley.Position) []string {
	byID := map[string]string{}
	for n, p := range ps {
		byID[p.ID] = n
	}
	out := make([]string, len(list))
	for i, p := range list {
		if out[i] = byID[p.ID]; out[i] == "" {
			out[i] = "unknown " + p.ID
		}
	}
	return out
}

// samePosition reports whether two positions are the same.
func samePosition(a, b *parley.Position) bool {
	return a.ID == b.ID && a.ProcessID == b.ProcessID && a.PartyID == b.PartyID && a.VersionID == b.VersionID &&
		a.PointID == b.PointID && a.Stance == b.Stance && a.Note == b.Note && a.Counter == b.Counter &&
		a.Classification.String() == b.Classification.String() && a.Updated.Equal(b.Updated)
}

func testPositions(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTalks(t, s)
	before, err := s.Processes.FindProcessByID(ctx, f.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	ps := f.positions(t)
	for n, p := range ps {
		if len(p.ID) != 12 || p.Updated.IsZero() {
			t.Errorf("%s: got ID %q updated %v, want a 12-character ID and the time", n, p.ID, p.Updated)
		}
		got, err := s.Positions.FindPositionByID(ctx, p.ID)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if !samePosition(got, p) {
			t.Errorf("%s: read back %+v, want %+v", n, got, p)
		}
	}
	after, err := s.Processes.FindProcessByID(ctx, f.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Revision < before.Revision+int64(len(ps)) {
		t.Errorf("revision %d → %d after %d positions, want it to count each", before.Revision, after.Revision, len(ps))
	}

	t.Run("order and filters", func(t *testing.T) {
		tests := []struct {
			name   string
			filter parley.PositionFilter
			want   []string
		}{
			{"all", parley.PositionFilter{}, []string{"ru-v1-1", "ua-v1-1", "ru-v1-2", "ua-v1-2", "ua-v2-1", "us-v3-1"}},
			{"one version", parley.PositionFilter{VersionID: f.v1.ID}, []string{"ru-v1-1", "ua-v1-1", "ru-v1-2", "ua-v1-2"}},
			{"one party", parley.PositionFilter{PartyID: f.ua.ID}, []string{"ua-v1-1", "ua-v1-2", "ua-v2-1"}},
			{"both", parley.PositionFilter{VersionID: f.v1.ID, PartyID: f.ua.ID}, []string{"ua-v1-1", "ua-v1-2"}},
			{"none", parley.PositionFilter{VersionID: f.v3.ID, PartyID: f.ru.ID}, []string{}},
		}
		for _, tt := range tests {
			tt.filter.ProcessID = f.proc.ID
			list, err := s.Positions.FindPositions(ctx, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := positionNames(ps, list); !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
	})

	t.Run("replace", func(t *testing.T) {
		p := f.position(f.ua, f.v1, "1", parley.AcceptsWithChanges, sharedBy(f.ua, f.ru))
		p.Counter = "The army is capped at 800,000."
		if err := s.Positions.SetPosition(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.ID != ps["ua-v1-1"].ID {
			t.Errorf("replacing got ID %q, want the old position's %q", p.ID, ps["ua-v1-1"].ID)
		}
		got, err := s.Positions.FindPositionByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !samePosition(got, p) || got.Note != "" {
			t.Errorf("read back %+v, want %+v", got, p)
		}
		list, err := s.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: f.proc.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(ps) {
			t.Errorf("got %d positions after a replacement, want %d", len(list), len(ps))
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := s.Positions.FindPositionByID(ctx, "nosuchposition")
		wantCode(t, "find", err, parley.ENOTFOUND, "")
		for _, filter := range []parley.PositionFilter{
			{ProcessID: "nosuchprocess"},
			{ProcessID: f.proc.ID, VersionID: "nosuchversion"},
			{ProcessID: f.proc.ID, VersionID: f.elsewhere.ID},
			{ProcessID: f.proc.ID, PartyID: f.hamas.ID},
		} {
			_, err := s.Positions.FindPositions(ctx, filter)
			wantCode(t, "list "+filter.VersionID+filter.PartyID, err, parley.ENOTFOUND, "")
		}
	})
}

func testPositionRefusals(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTalks(t, s)
	valid := func() *parley.Position { return f.position(f.ua, f.v3, "2", parley.Accepts, confidentialTo(f.ua)) }
	if err := s.Positions.SetPosition(ctx, valid()); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		list, err := s.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: f.proc.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	revision := func() int64 {
		p, err := s.Processes.FindProcessByID(ctx, f.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Revision
	}
	before, rev := count(), revision()
	tests := []struct {
		name  string
		edit  func(p *parley.Position)
		field string
	}{
		{"unknown stance", func(p *parley.Position) { p.Stance = "maybe" }, "stance"},
		{"no party", func(p *parley.Position) { p.PartyID = "" }, "party_id"},
		{"no version", func(p *parley.Position) { p.VersionID = "" }, "version_id"},
		{"no point", func(p *parley.Position) { p.PointID = "" }, "point_id"},
		{"missing process", func(p *parley.Position) { p.ProcessID = "nosuchprocess" }, "process_id"},
		{"party of another process", func(p *parley.Position) {
			p.PartyID, p.Classification = f.hamas.ID, confidentialTo(f.hamas)
		}, "party_id"},
		{"version of another process", func(p *parley.Position) { p.VersionID, p.PointID = f.elsewhere.ID, "1" }, "version_id"},
		{"missing version", func(p *parley.Position) { p.VersionID = "nosuchversion" }, "version_id"},
		{"missing point", func(p *parley.Position) { p.PointID = "9" }, "point_id"},
		{"mediators only", func(p *parley.Position) { p.Classification = parley.Classification{Level: parley.MediatorsOnly} }, "classification"},
		{"confidential to another party", func(p *parley.Position) { p.Classification = confidentialTo(f.ru) }, "classification"},
		{"shared by another party", func(p *parley.Position) { p.Classification = sharedBy(f.ru, f.ua) }, "classification"},
		{"shared with a party of another process", func(p *parley.Position) { p.Classification = sharedBy(f.ua, f.hamas) }, "classification"},
		{"note too long", func(p *parley.Position) { p.Note = string(make([]byte, parley.MaxSummaryLen+1)) }, "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.edit(p)
			wantCode(t, "set", s.Positions.SetPosition(ctx, p), parley.EINVALID, tt.field)
			if p.ID != "" {
				t.Errorf("a refused position got ID %q", p.ID)
			}
			if n := count(); n != before {
				t.Errorf("got %d positions after a refused one, want %d", n, before)
			}
			if r := revision(); r != rev {
				t.Errorf("a refused position changed the revision %d → %d", rev, r)
			}
		})
	}
}

func testPositionAccess(t *testing.T, s *Store) {
	f := newTalks(t, s)
	ps := f.positions(t)

	t.Run("reads", func(t *testing.T) {
		for _, actor := range []string{mediator, delegateUA, delegateRU, observer} {
			ctx := f.actors[actor]
			list, err := s.Positions.FindPositions(ctx, parley.PositionFilter{ProcessID: f.proc.ID})
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			got := positionNames(ps, list)
			slices.Sort(got)
			if want := positionsSeenBy[actor]; !slices.Equal(got, want) {
				t.Errorf("%s lists %q, want %q", actor, got, want)
			}
			_, missing := s.Positions.FindPositionByID(ctx, madeUpID)
			for _, n := range slices.Sorted(maps.Keys(ps)) {
				got, err := s.Positions.FindPositionByID(ctx, ps[n].ID)
				switch {
				case !slices.Contains(positionsSeenBy[actor], n):
					wantHidden(t, actor+" reading "+n, err, ps[n].ID, missing)
				case err != nil:
					t.Errorf("%s reading %s: %v", actor, n, err)
				case got.ID != ps[n].ID:
					t.Errorf("%s reading %s: got %s", actor, n, got.ID)
				}
			}
			a, err := s.Archive.ExportProcess(ctx, f.proc.ID)
			if err != nil {
				t.Fatalf("%s exporting: %v", actor, err)
			}
			got = positionNames(ps, a.Positions)
			slices.Sort(got)
			if want := positionsSeenBy[actor]; !slices.Equal(got, want) {
				t.Errorf("%s exports %q, want %q", actor, got, want)
			}
		}
		_, err := s.Positions.FindPositions(f.actors[outsider], parley.PositionFilter{ProcessID: f.proc.ID})
		wantCode(t, "outsider listing", err, parley.ENOTFOUND, "")
		_, err = s.Positions.FindPositionByID(f.actors[outsider], ps["us-v3-1"].ID)
		wantCode(t, "outsider reading", err, parley.ENOTFOUND, "")
		// A version hidden from the reader is not found, as a made-up one.
		ru := f.actors[delegateRU]
		_, missing := s.Positions.FindPositions(ru, parley.PositionFilter{ProcessID: f.proc.ID, VersionID: madeUpID})
		_, err = s.Positions.FindPositions(ru, parley.PositionFilter{ProcessID: f.proc.ID, VersionID: f.v2.ID})
		wantHidden(t, "Russia's delegate listing the positions on Ukraine's draft", err, f.v2.ID, missing)
	})

	t.Run("reads are audited", func(t *testing.T) {
		before := auditTotal(t, s, f.proc.ID)
		if _, err := s.Positions.FindPositionByID(f.actors[delegateRU], ps["ru-v1-1"].ID); err != nil {
			t.Fatal(err)
		}
		rs := auditSince(t, s, f.proc.ID, before)
		if len(rs) != 1 || rs[0].Action != "read" || rs[0].Kind != "position" || !slices.Equal(rs[0].IDs, []string{ps["ru-v1-1"].ID}) {
			t.Errorf("got audit records %+v, want one read of the position", rs)
		}
	})

	t.Run("writes", func(t *testing.T) {
		ru := f.actors[delegateRU]
		tests := []struct {
			name  string
			ctx   context.Context
			pos   *parley.Position
			code  string
			field string
		}{
			{"a delegate sets its party's confidential position", ru, f.position(f.ru, f.v1, "3", parley.Rejects, confidentialTo(f.ru)), "", ""},
			{"and shares it", ru, f.position(f.ru, f.v1, "3", parley.Rejects, sharedBy(f.ru, f.us)), "", ""},
			{"a delegate sets another party's position", ru, f.position(f.ua, f.v1, "3", parley.Rejects, confidentialTo(f.ua)), parley.EFORBIDDEN, ""},
			{"a delegate sets a public position", ru, f.position(f.ru, f.v3, "3", parley.Rejects, public), parley.EFORBIDDEN, ""},
			{"a delegate replaces a process-wide position", ru, f.position(f.ru, f.v1, "2", parley.Accepts, confidentialTo(f.ru)), parley.EFORBIDDEN, ""},
			{"an observer sets a position", f.actors[observer], f.position(f.ru, f.v3, "3", parley.Rejects, public), parley.EFORBIDDEN, ""},
			{"an outsider sets a position", f.actors[outsider], f.position(f.ru, f.v3, "3", parley.Rejects, public), parley.EINVALID, "process_id"},
			{"a mediator sets a public position", f.actors[mediator], f.position(f.ua, f.v3, "3", parley.Rejects, public), "", ""},
		}
		for _, tt := range tests {
			err := s.Positions.SetPosition(tt.ctx, tt.pos)
			if tt.code == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				}
				continue
			}
			wantCode(t, tt.name, err, tt.code, tt.field)
		}
		// A version or party hidden from the writer is refused as a
		// made-up one.
		p := f.position(f.ru, f.v2, "1", parley.Rejects, confidentialTo(f.ru))
		madeUp := f.position(f.ru, f.v2, "1", parley.Rejects, confidentialTo(f.ru))
		madeUp.VersionID = madeUpID
		wantHidden(t, "a position on a hidden version", s.Positions.SetPosition(ru, p), f.v2.ID,
			s.Positions.SetPosition(ru, madeUp))
		stored, err := s.Positions.FindPositions(asSystem(), parley.PositionFilter{ProcessID: f.proc.ID, VersionID: f.v1.ID, PartyID: f.ru.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != 3 || stored[1].Stance != parley.RedLine || stored[2].Classification.Level != parley.Shared {
			t.Errorf("Russia's positions on the first draft after the writes: %+v; want 3, the process-wide red line unchanged and point 3 shared", stored)
		}
	})
}
