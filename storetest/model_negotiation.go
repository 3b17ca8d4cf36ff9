package storetest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"parley"
)

// The negotiation records of the access model: positions, issues and
// preferences. They are drawn from a stream of their own, so that the rest
// of a world is the same as before they were added.
//
// The rules, written out again for the model: a position is seen by whoever
// sees its own classification, its party, its version and the version's
// plan; an issue by whoever sees its classification; preferences are
// confidential to their party, so a mediator sees every party's, a
// delegate its own party's and an observer none, and what they say of an
// issue the reader does not see (its weight, its ratings, its never-list
// entries) is left out.

// negotiationStream numbers the random stream of a world's negotiation
// records, apart from the world's own and from its checks'.
const negotiationStream = 2 << 32

// positionWeights are the chances of the classifications a position may
// have: confidential to its party, shared by it, process-wide, public.
var positionWeights = [4]int{35, 25, 20, 20}

// addNegotiation adds to world n of a run a few positions and, in most
// worlds, issues and some parties' preferences.
func (w *world) addNegotiation(seed uint64, n int) {
	g := &gen{rng: rand.New(rand.NewPCG(seed, uint64(n)+negotiationStream))}
	w.positions = map[string]*parley.Position{}
	w.issues = map[string]*parley.Issue{}
	w.prefs = map[string]*parley.Preferences{}
	updated := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	pid := w.a.Process.ID
	var parties []string
	partyClass := map[string]parley.Classification{}
	for _, p := range w.a.Parties {
		parties = append(parties, p.ID)
		partyClass[p.ID] = p.Classification
	}
	var points []parley.PointRef
	for _, v := range w.a.Versions {
		for _, p := range v.Points {
			points = append(points, parley.PointRef{VersionID: v.ID, PointID: p.ID})
		}
	}
	if len(points) > 0 {
		taken := map[string]bool{}
		for range 1 + g.rng.IntN(4) {
			party, at := parties[g.rng.IntN(len(parties))], points[g.rng.IntN(len(points))]
			if key := party + " " + at.VersionID + " " + at.PointID; !taken[key] {
				taken[key] = true
				w.addPosition(g, pid, party, at, partyClass[party], updated)
			}
		}
	}
	if !g.chance(0.75) {
		return
	}
	var issueIDs []string
	for k := range 1 + g.rng.IntN(3) {
		is := &parley.Issue{ID: g.id(), ProcessID: pid, Name: fmt.Sprint("Issue ", k), Order: k,
			Classification: g.class(parties, recordWeights)}
		for o := range 2 + g.rng.IntN(2) {
			opt := parley.IssueOption{ID: fmt.Sprint("o", o), Label: fmt.Sprint("Option ", o)}
			if len(points) > 0 && g.chance(0.4) {
				opt.Points = []parley.PointRef{points[g.rng.IntN(len(points))]}
			}
			is.Options = append(is.Options, opt)
		}
		w.a.Issues = append(w.a.Issues, is)
		w.issues[is.ID] = is
		issueIDs = append(issueIDs, is.ID)
		w.kinds[is.ID] = "issue"
		w.classes[is.ID] = []parley.Classification{is.Classification}
	}
	for _, party := range parties {
		if g.chance(0.6) {
			w.addPreferences(g, pid, party, issueIDs, updated)
		}
	}
}

// addPosition adds a position of party on the point at, with a random
// stance and one of the classifications a position may have.
func (w *world) addPosition(g *gen, pid, party string, at parley.PointRef, partyClass parley.Classification, updated time.Time) {
	p := &parley.Position{ID: g.id(), ProcessID: pid, PartyID: party, VersionID: at.VersionID, PointID: at.PointID,
		Stance: parley.Stances()[g.rng.IntN(len(parley.Stances()))], Note: "Note " + g.word(), Updated: updated}
	if g.chance(0.3) {
		p.Counter = "Counter " + g.word()
	}
	r := g.rng.IntN(100)
	switch {
	case r < positionWeights[0]:
		p.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{party}}
	case r < positionWeights[0]+positionWeights[1]:
		others := g.subset(slices.DeleteFunc(w.partyIDs(), func(id string) bool { return id == party }), 0.4)
		p.Classification = parley.Classification{Level: parley.Shared, PartyIDs: append([]string{party}, others...)}
	case r < positionWeights[0]+positionWeights[1]+positionWeights[2]:
		p.Classification = parley.Classification{Level: parley.ProcessWide}
	default:
		p.Classification = parley.Classification{Level: parley.Public}
	}
	w.a.Positions = append(w.a.Positions, p)
	w.positions[p.ID] = p
	w.kinds[p.ID] = "position"
	// Its own classification, its version's and plan's, its party's.
	w.classes[p.ID] = append([]parley.Classification{p.Classification}, append(slices.Clone(w.classes[at.VersionID]), partyClass)...)
}

// addPreferences adds party's preferences over the issues it may see and,
// now and then, one it may not (weighed before a mediator hid it), which
// readers other than mediators must not be shown.
func (w *world) addPreferences(g *gen, pid, party string, issueIDs []string, updated time.Time) {
	asParty := &modelUser{role: parley.RoleDelegate, party: party}
	var seen, unseen []string
	for _, id := range issueIDs {
		if allows(asParty, w.issues[id].Classification) {
			seen = append(seen, id)
		} else {
			unseen = append(unseen, id)
		}
	}
	weighed := g.subset(seen, 0.8)
	if len(unseen) > 0 && g.chance(0.3) {
		weighed = append(weighed, unseen[g.rng.IntN(len(unseen))])
	}
	if len(weighed) == 0 {
		return
	}
	p := &parley.Preferences{ID: g.id(), ProcessID: pid, PartyID: party, Weights: map[string]int{},
		Ratings: map[string]map[string]int{}, Reservation: g.rng.IntN(101), Note: "Illustrative.",
		Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{party}}, Updated: updated}
	left := 100
	for k, id := range weighed {
		weight := left
		if k < len(weighed)-1 {
			weight = g.rng.IntN(left + 1)
		}
		p.Weights[id] = weight
		left -= weight
		is := w.issues[id]
		p.Ratings[id] = map[string]int{}
		for _, o := range is.Options {
			p.Ratings[id][o.ID] = g.rng.IntN(101)
		}
		if g.chance(0.3) {
			p.Never = append(p.Never, parley.OptionRef{IssueID: id, OptionID: is.Options[g.rng.IntN(len(is.Options))].ID})
		}
	}
	w.a.Preferences = append(w.a.Preferences, p)
	w.prefs[p.ID] = p
	w.kinds[p.ID] = "preferences"
	w.classes[p.ID] = []parley.Classification{p.Classification}
}

// partyIDs returns the IDs of the world's parties, in order.
func (w *world) partyIDs() []string {
	var ids []string
	for _, p := range w.a.Parties {
		ids = append(ids, p.ID)
	}
	return ids
}

// negotiationProbes are the read paths of positions and preferences. Each
// reads what a user sees of the whole process, or one record of it, and
// runs for every user of every world.
var negotiationProbes = []probe{
	{"FindPositions", true, func(c *checker, _ *rand.Rand) {
		c.checkPositions("FindPositions", parley.PositionFilter{}, func(*parley.Position) bool { return true })
	}},
	{"FindPositionsOfVersion", true, func(c *checker, rng *rand.Rand) {
		if id := c.pick(rng, "version"); id != "" {
			c.checkPositions("FindPositionsOfVersion", parley.PositionFilter{VersionID: id},
				func(p *parley.Position) bool { return p.VersionID == id })
		}
	}},
	{"FindPositionsOfParty", true, func(c *checker, rng *rand.Rand) {
		id := c.pick(rng, "party")
		c.checkPositions("FindPositionsOfParty", parley.PositionFilter{PartyID: id},
			func(p *parley.Position) bool { return p.PartyID == id })
	}},
	{"FindPositionByID", true, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindPositionByID", c.pick(rng, "position"), c.r.s.Positions.FindPositionByID, c.checkPosition, nil)
	}},
	{"FindPreferences", true, func(c *checker, _ *rand.Rand) { c.checkFindPreferences() }},
}

func init() { probes = append(probes, negotiationProbes...) }

// negotiationMissing returns, for each negotiation read path, the same read
// of something that does not exist: a made-up process, or a made-up
// version or party of decoy, a process the system sees.
func negotiationMissing(s *Store, decoy string) map[string]func() error {
	ctx := asSystem()
	find := func(f parley.PositionFilter) func() error {
		return func() error { _, err := s.Positions.FindPositions(ctx, f); return err }
	}
	return map[string]func() error{
		"FindPositions":          find(parley.PositionFilter{ProcessID: madeUpID}),
		"FindPositionsOfVersion": find(parley.PositionFilter{ProcessID: decoy, VersionID: madeUpID}),
		"FindPositionsOfParty":   find(parley.PositionFilter{ProcessID: decoy, PartyID: madeUpID}),
		"FindPositionByID":       func() error { _, err := s.Positions.FindPositionByID(ctx, madeUpID); return err },
		"FindPreferences":        func() error { _, err := s.Negotiation.FindPreferences(ctx, madeUpID); return err },
	}
}

// checkPositions checks FindPositions of the world's process with the
// filter f, whose version or party, when hidden, must be reported as a
// made-up one is; want selects the positions the filter keeps.
func (c *checker) checkPositions(path string, f parley.PositionFilter, want func(*parley.Position) bool) {
	pid := c.w.a.Process.ID
	f.ProcessID = pid
	mark := c.auditMark()
	ps, err := c.r.s.Positions.FindPositions(c.ctx, f)
	var returned []string
	switch {
	case !c.processVisible():
		c.notFound("FindPositions", err, pid)
	case f.VersionID != "" && !c.sight.vis[f.VersionID]:
		c.notFound(path, err, f.VersionID)
	case f.PartyID != "" && !c.sight.vis[f.PartyID]:
		c.notFound(path, err, f.PartyID)
	case err != nil:
		c.errorf(path, "%v", err)
	default:
		for _, p := range ps {
			returned = append(returned, p.ID)
			c.checkPosition(path, p)
		}
		var visible []string
		for _, id := range c.sight.visibleOf("position") {
			if want(c.w.positions[id]) {
				visible = append(visible, id)
			}
		}
		c.sameIDs(path, "positions", returned, visible)
	}
	c.done(path, ps, err, mark, returned)
}

// checkPosition checks a position against the world's.
func (c *checker) checkPosition(path string, got *parley.Position) {
	want := c.w.positions[got.ID]
	if want == nil {
		c.errorf(path, "got unknown position %q", got.ID)
		return
	}
	if got.ProcessID != want.ProcessID || got.PartyID != want.PartyID || got.VersionID != want.VersionID ||
		got.PointID != want.PointID || got.Stance != want.Stance || got.Note != want.Note || got.Counter != want.Counter ||
		!got.Updated.Equal(want.Updated) {
		c.errorf(path, "got position %+v, want %+v", *got, *want)
	}
	c.sameClass(path, "position "+got.ID, got.Classification, want.Classification)
}

// checkIssue checks an issue against the world's: its options keep only
// the points of the versions the user sees.
func (c *checker) checkIssue(path string, got *parley.Issue) {
	want := c.w.issues[got.ID]
	if want == nil {
		c.errorf(path, "got unknown issue %q", got.ID)
		return
	}
	c.sameClass(path, "issue "+got.ID, got.Classification, want.Classification)
	if len(got.Options) != len(want.Options) {
		c.errorf(path, "got %d options of issue %s, want %d", len(got.Options), got.ID, len(want.Options))
		return
	}
	for k, o := range got.Options {
		w := want.Options[k]
		points := slices.DeleteFunc(slices.Clone(w.Points), func(r parley.PointRef) bool { return !c.sight.vis[r.VersionID] })
		if o.ID != w.ID || len(o.Points)+len(points) > 0 && !slices.Equal(o.Points, points) {
			c.errorf(path, "got option %s of issue %s tied to %v, want %s tied to %v", o.ID, got.ID, o.Points, w.ID, points)
		}
	}
}

// checkPreferences checks preferences against the world's, less what they
// say of the issues the user does not see.
func (c *checker) checkPreferences(path string, got *parley.Preferences) {
	want := c.w.prefs[got.ID]
	if want == nil {
		c.errorf(path, "got unknown preferences %q", got.ID)
		return
	}
	where := "preferences of " + want.PartyID
	c.sameRef(path, "party of preferences "+got.ID, got.PartyID, want.PartyID)
	c.sameClass(path, where, got.Classification, want.Classification)
	if got.Reservation != want.Reservation || got.Note != want.Note || !got.Updated.Equal(want.Updated) {
		c.errorf(path, "got %s with reservation %d, note %q, updated %v; want %d, %q, %v", where, got.Reservation, got.Note,
			got.Updated, want.Reservation, want.Note, want.Updated)
	}
	seen := func(id string) bool { return c.sight.vis[id] }
	weights := maps.Clone(want.Weights)
	maps.DeleteFunc(weights, func(id string, _ int) bool { return !seen(id) })
	if !maps.Equal(got.Weights, weights) {
		c.errorf(path, "got %s weighing %v, want %v", where, got.Weights, weights)
	}
	ratings := maps.Clone(want.Ratings)
	maps.DeleteFunc(ratings, func(id string, _ map[string]int) bool { return !seen(id) })
	if !maps.EqualFunc(got.Ratings, ratings, maps.Equal) {
		c.errorf(path, "got %s rating %v, want %v", where, got.Ratings, ratings)
	}
	never := slices.DeleteFunc(slices.Clone(want.Never), func(r parley.OptionRef) bool { return !seen(r.IssueID) })
	if len(got.Never)+len(never) > 0 && !slices.Equal(got.Never, never) {
		c.errorf(path, "got %s never accepting %v, want %v", where, got.Never, never)
	}
}

// checkFindPreferences checks FindPreferences: which parties' preferences
// the user is shown, and what of them.
func (c *checker) checkFindPreferences() {
	const path = "FindPreferences"
	pid := c.w.a.Process.ID
	mark := c.auditMark()
	ps, err := c.r.s.Negotiation.FindPreferences(c.ctx, pid)
	var returned, parties []string
	switch {
	case !c.processVisible():
		c.notFound(path, err, pid)
	case err != nil:
		c.errorf(path, "%v", err)
	default:
		for _, p := range ps {
			returned = append(returned, p.ID)
			parties = append(parties, p.PartyID)
			c.checkPreferences(path, p)
		}
		var want []string
		for _, id := range c.sight.visibleOf("preferences") {
			want = append(want, c.w.prefs[id].PartyID)
		}
		c.sameIDs(path, "preferences of parties", parties, want)
	}
	c.done(path, c.ownParty(ps), err, mark, returned)
}

// ownParty returns preferences as done should search them for hidden IDs:
// a delegate is shown its own party's preferences even when the party's
// record is hidden from it, and knows its party's ID from its membership,
// so that ID, once checked, is left out of the search.
func (c *checker) ownParty(ps []*parley.Preferences) []*parley.Preferences {
	if c.u.party == "" || c.sight.vis[c.u.party] {
		return ps
	}
	out := make([]*parley.Preferences, len(ps))
	for i, p := range ps {
		out[i] = p
		if p.PartyID == c.u.party {
			q := *p
			q.PartyID = ""
			out[i] = &q
		}
	}
	return out
}

// exportWithOwnParty returns an exported archive as done should search it
// for hidden IDs (see ownParty).
func (c *checker) exportWithOwnParty(a *parley.Archive) *parley.Archive {
	if a == nil {
		return nil
	}
	b := *a
	b.Preferences = c.ownParty(a.Preferences)
	return &b
}

// negotiationExport checks the positions, issues and preferences of an
// exported archive, and returns their IDs by kind.
func (c *checker) negotiationExport(path string, a *parley.Archive) []struct {
	kind string
	ids  []string
} {
	return []struct {
		kind string
		ids  []string
	}{
		{"position", exportIDs(a.Positions, func(r *parley.Position) string { c.checkPosition(path, r); return r.ID })},
		{"issue", exportIDs(a.Issues, func(r *parley.Issue) string { c.checkIssue(path, r); return r.ID })},
		{"preferences", exportIDs(a.Preferences, func(r *parley.Preferences) string { c.checkPreferences(path, r); return r.ID })},
	}
}
