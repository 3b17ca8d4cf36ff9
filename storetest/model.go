package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley"
	"parley/lineage"
)

func init() { suites["access model"] = testAccessModel }

// The access model suite generates random small worlds — a process with
// parties, people, channels, contacts, sources, plans and versions, each
// with a random classification and random references to the others, the
// parties' positions on points, issues and preferences (see
// model_negotiation.go), and users in random roles — stores each whole
// with ImportProcess, and
// compares what the read paths of the store return to each user with what
// a reference model of the rules says the user may see, written out here
// independently of the domain's Access: the paths that read all of a
// process (FindProcessByID, ExportProcess, a search that matches every
// text) for every user, each of the others for one user of each world
// picked at random. It also checks that no ID of a hidden record appears
// anywhere in what a read returns, and, in every auditEvery-th world, that
// the reads of non-public records are logged, and nothing else.
//
// The one exception to the hidden IDs: stores return a record's
// classification whole, so a record shared with a party the user may not
// see names that party. Such reads are counted and logged, not failed.
//
// Environment:
//
//	PARLEY_WORLDS  how many worlds (default defaultWorlds, fewer under
//	               the race detector or -short)
//	PARLEY_SEED    the seed of the run, to replay one that failed
//	PARLEY_WORLD   with PARLEY_SEED, check that one world alone
//	PARLEY_MODEL_EXHAUSTIVE  check every read path for every user (by
//	               default the paths that read the whole process are
//	               checked for every user, each of the others for one user
//	               of each world)
const (
	defaultWorlds = 10_000
	raceWorlds    = 30 // the race detector slows the store some fiftyfold
	shortWorlds   = 500
	auditEvery    = 20
	// worldsPerStore is how many worlds share a store.
	worldsPerStore = 1000
	// maxFailures is how many failed worlds end the run.
	maxFailures = 10
)

// fillers are the other words of the generated texts.
var fillers = []string{"ceasefire", "border", "troops", "sanctions", "elections", "prisoners", "guarantees", "monitoring"}

// modelUser is a user of a world: a role in its process (none for an
// outsider or an administrator who is not a member) and, for a
// delegate, a party.
type modelUser struct {
	name  string
	role  parley.Role
	party string
	admin bool
	actor *parley.Actor
}

func (u *modelUser) String() string {
	s := u.name + " ("
	switch {
	case u.role == parley.RoleDelegate:
		s += "delegate of " + u.party
	case u.role != "":
		s += string(u.role)
	case u.admin:
		s += "administrator, not a member"
	default:
		s += "not a member"
	}
	return s + ")"
}

// world is one generated process with its users, and what the model
// needs to know about its records.
type world struct {
	n  int
	a  *parley.Archive
	us []*modelUser
	// classes maps every record's ID to the classifications that must all
	// allow a user to see it: its own (a contact's channel's when it has
	// none), and for a version its plan's too. The process's is under its
	// ID.
	classes map[string][]parley.Classification
	kinds   map[string]string // record ID → "party", "person", ...
	// words maps the unique word planted in each point and contact to
	// where it is: a contact's ID, or a version's ID and a point's.
	words map[string]parley.PointRef
	// common is a word planted in every point and every contact summary
	// of the world, and in no other world (a search finds the matches of
	// every process before it keeps those of one), so that one search
	// finds everything a user may see.
	common string
	plans  map[string]*parley.Plan
	// versions maps a version's ID to it, with its points.
	versions map[string]*parley.Version
	contacts map[string]*parley.Contact
	// positions, issues and prefs map the IDs of the negotiation records
	// to them (see model_negotiation.go).
	positions map[string]*parley.Position
	issues    map[string]*parley.Issue
	prefs     map[string]*parley.Preferences
}

// gen draws the parts of a world.
type gen struct {
	rng *rand.Rand
}

const idChars = "abcdefghijklmnopqrstuvwxyz234567"

// id returns a new record ID: 12 characters starting with a digit, so
// that it can be found in any text the world returns and never in the
// words of its texts.
func (g *gen) id() string {
	b := make([]byte, 12)
	b[0] = "234567"[g.rng.IntN(6)]
	for i := 1; i < len(b); i++ {
		b[i] = idChars[g.rng.IntN(len(idChars))]
	}
	return string(b)
}

// word returns a new unique word: q and nine letters.
func (g *gen) word() string {
	b := []byte("q.........")
	for i := 1; i < len(b); i++ {
		b[i] = byte('a' + g.rng.IntN(26))
	}
	return string(b)
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// subset returns a random subset of ids in random order, possibly empty.
func (g *gen) subset(ids []string, p float64) []string {
	var out []string
	for _, i := range g.rng.Perm(len(ids)) {
		if g.chance(p) {
			out = append(out, ids[i])
		}
	}
	return out
}

// one returns a random element of ids, or "" with probability 1-p or
// when there is none.
func (g *gen) one(ids []string, p float64) string {
	if len(ids) == 0 || !g.chance(p) {
		return ""
	}
	return ids[g.rng.IntN(len(ids))]
}

// class returns a random classification naming parties of the world;
// weights are those of public, process, shared, confidential and
// mediators only.
func (g *gen) class(parties []string, weights [5]int) parley.Classification {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := g.rng.IntN(total)
	level := 0
	for ; r >= weights[level]; level++ {
		r -= weights[level]
	}
	switch parley.Levels()[level] {
	case parley.Shared:
		ps := g.subset(parties, 0.5)
		if len(ps) == 0 {
			ps = []string{parties[g.rng.IntN(len(parties))]}
		}
		return parley.Classification{Level: parley.Shared, PartyIDs: ps}
	case parley.Confidential:
		return parley.Classification{Level: parley.Confidential, PartyIDs: []string{parties[g.rng.IntN(len(parties))]}}
	}
	return parley.Classification{Level: parley.Levels()[level]}
}

// Weights of the classification levels of each kind of record: public,
// process, shared, confidential, mediators only.
var (
	processWeights = [5]int{60, 20, 6, 4, 10}
	partyWeights   = [5]int{70, 10, 8, 6, 6}
	recordWeights  = [5]int{35, 20, 20, 15, 10}
	planWeights    = [5]int{50, 20, 15, 10, 5}
)

// newWorld generates world n of a run with the given seed. Half the users
// also mediate decoy, another process, which must not widen what they see
// of this one. Point lineage is drawn at random (to any point of an
// earlier version of the process, as a hand-made correction may be), not
// computed from the texts.
func newWorld(seed uint64, n int, decoy string) (*world, error) {
	g := &gen{rng: rand.New(rand.NewPCG(seed, uint64(n)))}
	w := &world{n: n, classes: map[string][]parley.Classification{}, kinds: map[string]string{},
		words: map[string]parley.PointRef{}, plans: map[string]*parley.Plan{}, versions: map[string]*parley.Version{},
		contacts: map[string]*parley.Contact{}}
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	w.common = "z" + g.word()[1:]
	pid := g.id()
	a := &parley.Archive{Schema: parley.ArchiveSchema}
	w.a = a
	record := func(kind, id string, cs ...parley.Classification) {
		w.kinds[id] = kind
		w.classes[id] = cs
	}

	var parties []string
	for range 2 + g.rng.IntN(3) {
		parties = append(parties, g.id())
	}
	a.Process = &parley.Process{ID: pid, Name: fmt.Sprintf("World %d-%d", seed, n), Classification: g.class(parties, processWeights),
		Created: created, Updated: created}
	record("process", pid, a.Process.Classification)
	kinds := []parley.PartyKind{parley.State, parley.Organisation, parley.ArmedGroup, parley.Mediator}
	for i, id := range parties {
		// A party's classification names only the parties before it:
		// ImportProcess checks each party's references as it stores it,
		// so it refuses a party shared with one listed later.
		c := parley.Classification{Level: parley.Public}
		if i > 0 {
			c = g.class(parties[:i], partyWeights)
		}
		p := &parley.Party{ID: id, ProcessID: pid, Name: fmt.Sprint("Party ", i), Kind: kinds[g.rng.IntN(len(kinds))],
			Classification: c}
		a.Parties = append(a.Parties, p)
		record("party", id, p.Classification)
	}
	var people []string
	for i := range g.rng.IntN(4) {
		p := &parley.Person{ID: g.id(), ProcessID: pid, Name: fmt.Sprint("Person ", i), PartyID: g.one(parties, 0.7),
			Classification: g.class(parties, recordWeights)}
		a.People = append(a.People, p)
		people = append(people, p.ID)
		record("person", p.ID, p.Classification)
	}
	var channels []string
	channelKinds := []parley.ChannelKind{parley.Official, parley.Backchannel, parley.Multilateral}
	for i := range 1 + g.rng.IntN(3) {
		c := &parley.Channel{ID: g.id(), ProcessID: pid, Name: fmt.Sprint("Channel ", i), Kind: channelKinds[g.rng.IntN(3)],
			PartyIDs: g.subset(parties, 0.5)}
		if len(c.PartyIDs) > 0 && g.chance(0.4) {
			c.Classification = parley.Classification{Level: parley.Shared, PartyIDs: slices.Clone(c.PartyIDs)}
		} else {
			c.Classification = g.class(parties, recordWeights)
		}
		a.Channels = append(a.Channels, c)
		channels = append(channels, c.ID)
		record("channel", c.ID, c.Classification)
	}
	var sources []string
	for i := range g.rng.IntN(5) {
		s := &parley.Source{ID: g.id(), ProcessID: pid, Title: fmt.Sprint("Source ", i), Reliability: string(rune('A' + g.rng.IntN(6))),
			Credibility: 1 + g.rng.IntN(6), Classification: g.class(parties, recordWeights)}
		a.Sources = append(a.Sources, s)
		sources = append(sources, s.ID)
		record("source", s.ID, s.Classification)
	}
	var contacts []string
	contactKinds := []parley.ContactKind{parley.Call, parley.Meeting, parley.Summit, parley.Message, parley.Document, parley.Leak}
	statuses := []parley.ContactStatus{parley.Planned, parley.Held, parley.Cancelled, parley.Shelved}
	channelOf := map[string]*parley.Channel{}
	for _, c := range a.Channels {
		channelOf[c.ID] = c
	}
	for range g.rng.IntN(7) {
		word := g.word()
		c := &parley.Contact{ID: g.id(), ProcessID: pid, Kind: contactKinds[g.rng.IntN(6)], Status: statuses[g.rng.IntN(4)],
			Start: created.Add(time.Duration(g.rng.IntN(300*24)) * time.Hour), PersonIDs: g.subset(people, 0.4),
			ChannelID: g.one(channels, 0.7), SourceIDs: g.subset(sources, 0.3),
			Summary: fmt.Sprintf("%s %s %s.", w.common, word, fillers[g.rng.IntN(len(fillers))])}
		if c.ChannelID == "" || g.chance(0.5) {
			cl := g.class(parties, recordWeights)
			c.Classification = &cl
		}
		a.Contacts = append(a.Contacts, c)
		contacts = append(contacts, c.ID)
		w.contacts[c.ID] = c
		w.words[word] = parley.PointRef{VersionID: c.ID}
		if c.Classification != nil {
			record("contact", c.ID, *c.Classification)
		} else {
			record("contact", c.ID, channelOf[c.ChannelID].Classification)
		}
	}
	var planIDs []string
	for i := range 1 + g.rng.IntN(2) {
		p := &parley.Plan{ID: g.id(), ProcessID: pid, Title: fmt.Sprint("Plan ", i), TemplateID: g.one(planIDs, 0.4),
			Classification: g.class(parties, planWeights), Created: created}
		a.Plans = append(a.Plans, p)
		planIDs = append(planIDs, p.ID)
		w.plans[p.ID] = p
		record("plan", p.ID, p.Classification)
	}
	// Versions across the plans, each dated no earlier than the one
	// before: a point may come from any point of an earlier version.
	var order []*parley.Plan
	for _, p := range a.Plans {
		for range 1 + g.rng.IntN(3) {
			order = append(order, p)
		}
	}
	g.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	statusesV := []parley.VersionStatus{parley.Draft, parley.Tabled, parley.Agreed, parley.Superseded, parley.Leaked}
	date := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var earlier []*parley.Point // the points of the versions so far
	pointVersion := map[*parley.Point]string{}
	byPlan := map[string][]string{}
	for k, plan := range order {
		date = date.AddDate(0, 0, g.rng.IntN(2))
		v := &parley.Version{ID: g.id(), PlanID: plan.ID, Label: fmt.Sprint("Version ", k), Date: date,
			AuthorPartyID: g.one(parties, 0.5), Status: statusesV[g.rng.IntN(len(statusesV))], SourceIDs: g.subset(sources, 0.3),
			PreviousID: g.one(byPlan[plan.ID], 0.7), Classification: g.class(parties, recordWeights),
			Created: created.Add(time.Duration(k+1) * time.Second)}
		byPlan[plan.ID] = append(byPlan[plan.ID], v.ID)
		if g.chance(0.1) {
			v.TextUnknown, v.PointCount, v.ReportedChanges = true, 1+g.rng.IntN(20), "Reported."
		} else {
			var text strings.Builder
			var lineWords []string
			for i := range 1 + g.rng.IntN(3) {
				for _, label := range []string{strconv.Itoa(i+1) + ".", "(a)"} {
					if label == "(a)" && !g.chance(0.3) {
						continue
					}
					word := g.word()
					lineWords = append(lineWords, word)
					fmt.Fprintf(&text, "%s %s %s %s.\n", label, w.common, word, fillers[g.rng.IntN(len(fillers))])
				}
			}
			v.Text = text.String()
			parsed, err := lineage.Parse(v.ID, v.Text)
			if err != nil {
				return nil, fmt.Errorf("world %d: parsing a generated text: %v", n, err)
			}
			if len(parsed.Points) != len(lineWords) {
				return nil, fmt.Errorf("world %d: %q parses to %d points, want %d", n, v.Text, len(parsed.Points), len(lineWords))
			}
			v.Points, v.Warnings, v.PointCount = parsed.Points, parsed.Warnings, parsed.TopLevel()
			for i, p := range v.Points {
				w.words[lineWords[i]] = parley.PointRef{VersionID: v.ID, PointID: p.ID}
				p.ProposedBy = g.one(parties, 0.4)
				p.ContactID = g.one(contacts, 0.4)
				p.SourceIDs = g.subset(sources, 0.25)
				if len(earlier) > 0 && g.chance(0.7) {
					for _, j := range g.rng.Perm(len(earlier))[:min(len(earlier), 1+g.rng.IntN(2))] {
						from := earlier[j]
						p.Lineage = append(p.Lineage, parley.PointRef{VersionID: pointVersion[from], PointID: from.ID})
					}
					p.Origin = earlier[slices.IndexFunc(earlier, func(e *parley.Point) bool {
						return pointVersion[e] == p.Lineage[0].VersionID && e.ID == p.Lineage[0].PointID
					})].Origin
				}
			}
			for _, p := range v.Points {
				earlier = append(earlier, p)
				pointVersion[p] = v.ID
			}
		}
		a.Versions = append(a.Versions, v)
		w.versions[v.ID] = v
		record("version", v.ID, v.Classification, plan.Classification)
	}

	roles := []struct {
		role   parley.Role
		admin  bool
		weight int
	}{{parley.RoleMediator, false, 2}, {parley.RoleDelegate, false, 5}, {parley.RoleObserver, false, 2}, {"", false, 1}, {"", true, 1}}
	for i := range 2 + g.rng.IntN(2) {
		r := g.rng.IntN(11)
		k := 0
		for ; r >= roles[k].weight; k++ {
			r -= roles[k].weight
		}
		u := &modelUser{name: fmt.Sprintf("user%d.%d", n, i), role: roles[k].role, admin: roles[k].admin}
		if u.role == parley.RoleDelegate {
			u.party = parties[g.rng.IntN(len(parties))]
		}
		u.actor = &parley.Actor{UserID: g.id(), Name: u.name, Admin: u.admin}
		if u.role != "" {
			u.actor.Memberships = append(u.actor.Memberships, parley.Membership{UserID: u.actor.UserID, ProcessID: pid, Role: u.role, PartyID: u.party})
		}
		if g.chance(0.5) {
			decoyM := parley.Membership{UserID: u.actor.UserID, ProcessID: decoy, Role: parley.RoleMediator}
			u.actor.Memberships = append([]parley.Membership{decoyM}, u.actor.Memberships...)
		}
		w.us = append(w.us, u)
	}
	w.addNegotiation(seed, n)
	return w, nil
}

// allows is the rule, written out again for the model: whether a user
// with a role in a process may see a record of that process classified c.
// Mediators see everything; delegates public and process-wide records and
// those shared with or confidential to their party; observers public
// records; anyone else nothing.
func allows(u *modelUser, c parley.Classification) bool {
	switch u.role {
	case parley.RoleMediator:
		return true
	case parley.RoleObserver:
		return c.Level == parley.Public
	case parley.RoleDelegate:
		if c.Level == parley.Public || c.Level == parley.ProcessWide {
			return true
		}
		if c.Level == parley.Shared || c.Level == parley.Confidential {
			for _, p := range c.PartyIDs {
				if p == u.party {
					return true
				}
			}
		}
	}
	return false
}

// sight is what the model says a user sees of a world.
type sight struct {
	w *world
	u *modelUser
	// vis holds the IDs of the records the user may see, the process's
	// included; hidden holds all the others.
	vis    map[string]bool
	hidden []string
}

func (w *world) sight(u *modelUser) *sight {
	s := &sight{w: w, u: u, vis: map[string]bool{}}
	pid := w.a.Process.ID
	process := u.role != "" && allows(u, w.a.Process.Classification)
	for id, cs := range w.classes {
		ok := process
		for _, c := range cs {
			ok = ok && allows(u, c)
		}
		if ok || (id == pid && process) {
			s.vis[id] = true
		} else {
			s.hidden = append(s.hidden, id)
		}
	}
	return s
}

// public reports whether a record is public: reading it is not logged.
func (w *world) public(id string) bool {
	for _, c := range w.classes[id] {
		if c.Level != parley.Public {
			return false
		}
	}
	return true
}

func (s *sight) ref(id string) string {
	if !s.vis[id] {
		return ""
	}
	return id
}

func (s *sight) keep(ids []string) []string {
	var out []string
	for _, id := range ids {
		if s.vis[id] {
			out = append(out, id)
		}
	}
	return out
}

// visibleOf returns the IDs of the visible records of a kind, sorted.
func (s *sight) visibleOf(kind string) []string {
	var out []string
	for id := range s.vis {
		if s.w.kinds[id] == kind {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// modelRun is one run of the suite over one store.
type modelRun struct {
	s    *Store
	seed uint64
	// missing holds, for each read path, the error of the same read of a
	// record that does not exist.
	missing map[string]*parley.Error
	decoy   string
	// exhaustive runs every probe for every user.
	exhaustive bool
	stats      *modelStats
}

// modelStats counts what the runs of a suite found.
type modelStats struct {
	failed, calls atomic.Int64
	// classified counts the reads that returned a hidden party's ID in
	// the classification of a record the user sees.
	classified atomic.Int64
}

// checker checks one user's reads of one world.
type checker struct {
	r     *modelRun
	w     *world
	u     *modelUser
	sight *sight
	ctx   context.Context
	audit bool
	errs  []string
}

func (c *checker) errorf(path, format string, args ...any) {
	c.errs = append(c.errs, path+": "+fmt.Sprintf(format, args...))
}

// classificationRE matches a classification in JSON: an object of a
// level and a list of party IDs.
var classificationRE = regexp.MustCompile(`"classification":\{[^{}]*\}`)

// hiddenIn returns the IDs of hidden records that appear in v. A hidden
// party named in the classification of a record the user sees is not
// counted, only tallied: stores return a record's classification whole
// (see the suite's doc comment).
func (c *checker) hiddenIn(v any) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return []string{"(cannot marshal: " + err.Error() + ")"}
	}
	var out []string
	var outside []byte
	for _, id := range c.sight.hidden {
		if !bytes.Contains(b, []byte(id)) {
			continue
		}
		if c.w.kinds[id] == "party" {
			if outside == nil {
				outside = classificationRE.ReplaceAll(b, nil)
			}
			if !bytes.Contains(outside, []byte(id)) {
				c.r.stats.classified.Add(1)
				continue
			}
		}
		out = append(out, c.w.kinds[id]+" "+id)
	}
	return out
}

// auditMark returns the size of the process's audit log, when the world
// is one whose reads are checked against the log.
func (c *checker) auditMark() int {
	if !c.audit {
		return 0
	}
	_, total, err := c.r.s.Audit.FindAuditRecords(asSystem(), parley.AuditFilter{ProcessID: c.w.a.Process.ID, Limit: 1})
	if err != nil {
		c.errorf("audit", "%v", err)
	}
	return total
}

// done checks a read: that what it returned holds no hidden ID, and, in
// an audited world, that the records it returned that are not public were
// logged as read, and nothing else.
func (c *checker) done(path string, v any, err error, mark int, returned []string) {
	c.r.stats.calls.Add(1)
	if err == nil {
		if l := c.hiddenIn(v); len(l) > 0 {
			c.errorf(path, "returned the IDs of hidden records %q", l)
		}
	}
	if !c.audit {
		return
	}
	rs, total, aerr := c.r.s.Audit.FindAuditRecords(asSystem(), parley.AuditFilter{ProcessID: c.w.a.Process.ID, Limit: 100})
	if aerr != nil {
		c.errorf(path, "reading the audit log: %v", aerr)
		return
	}
	var logged []string
	for _, r := range rs[:min(len(rs), total-mark)] {
		if r.Action != "read" && r.Action != "export" || r.UserID != c.u.actor.UserID {
			c.errorf(path, "got audit record %+v, want reads by %s", r, c.u.actor.UserID)
		}
		logged = append(logged, r.IDs...)
	}
	var want []string
	for _, id := range returned {
		if !c.w.public(id) {
			want = append(want, id)
		}
	}
	slices.Sort(logged)
	slices.Sort(want)
	if !slices.Equal(slices.Compact(logged), slices.Compact(want)) {
		c.errorf(path, "logged reads of %q, want %q", logged, want)
	}
}

// notFound checks that err is what the same read (path, up to a space) of
// a record that does not exist returns, with id for the made-up ID.
func (c *checker) notFound(path string, err error, id string) {
	want := c.r.missing[strings.Fields(path)[0]]
	var got *parley.Error
	if !errors.As(err, &got) {
		c.errorf(path, "got %v, want %s %q", err, want.Code, strings.ReplaceAll(want.Message, madeUpID, id))
		return
	}
	msg := strings.ReplaceAll(want.Message, madeUpID, id)
	if got.Code != want.Code || got.Field != want.Field || got.Message != msg {
		c.errorf(path, "got %s %q, want %s %q as for a record that does not exist", got.Code, got.Message, want.Code, msg)
	}
}

// sameIDs compares two lists of IDs as sets.
func (c *checker) sameIDs(path, what string, got, want []string) {
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		c.errorf(path, "got %s %q, want %q", what, got, want)
	}
}

// sameList compares two lists of IDs in order; nil and empty are alike.
func (c *checker) sameList(path, what string, got, want []string) {
	if len(got) != 0 || len(want) != 0 {
		if !slices.Equal(got, want) {
			c.errorf(path, "got %s %q, want %q", what, got, want)
		}
	}
}

func (c *checker) sameRef(path, what, got, want string) {
	if got != want {
		c.errorf(path, "got %s %q, want %q", what, got, want)
	}
}

func (c *checker) sameClass(path, what string, got, want parley.Classification) {
	if got.Level != want.Level || !slices.Equal(got.PartyIDs, want.PartyIDs) {
		c.errorf(path, "got %s classified %v, want %v", what, got, want)
	}
}

func (c *checker) checkParty(path string, got *parley.Party) {
	want := findByID(c.w.a.Parties, got.ID, func(p *parley.Party) string { return p.ID })
	if want == nil {
		c.errorf(path, "got unknown party %q", got.ID)
		return
	}
	c.sameClass(path, "party "+got.ID, got.Classification, want.Classification)
}

func (c *checker) checkPerson(path string, got *parley.Person) {
	want := findByID(c.w.a.People, got.ID, func(p *parley.Person) string { return p.ID })
	if want == nil {
		c.errorf(path, "got unknown person %q", got.ID)
		return
	}
	c.sameRef(path, "party of person "+got.ID, got.PartyID, c.sight.ref(want.PartyID))
	c.sameClass(path, "person "+got.ID, got.Classification, want.Classification)
}

func (c *checker) checkChannel(path string, got *parley.Channel) {
	want := findByID(c.w.a.Channels, got.ID, func(p *parley.Channel) string { return p.ID })
	if want == nil {
		c.errorf(path, "got unknown channel %q", got.ID)
		return
	}
	c.sameList(path, "parties of channel "+got.ID, got.PartyIDs, c.sight.keep(want.PartyIDs))
	c.sameClass(path, "channel "+got.ID, got.Classification, want.Classification)
}

func (c *checker) checkContact(path string, got *parley.Contact) {
	want := c.w.contacts[got.ID]
	if want == nil {
		c.errorf(path, "got unknown contact %q", got.ID)
		return
	}
	c.sameList(path, "participants of contact "+got.ID, got.PersonIDs, c.sight.keep(want.PersonIDs))
	c.sameList(path, "sources of contact "+got.ID, got.SourceIDs, c.sight.keep(want.SourceIDs))
	c.sameRef(path, "channel of contact "+got.ID, got.ChannelID, c.sight.ref(want.ChannelID))
	switch {
	case (got.Classification == nil) != (want.Classification == nil):
		c.errorf(path, "got contact %s with classification %v, want %v", got.ID, got.Classification, want.Classification)
	case got.Classification != nil:
		c.sameClass(path, "contact "+got.ID, *got.Classification, *want.Classification)
	}
	if got.Summary != want.Summary {
		c.errorf(path, "got contact %s's summary %q, want %q", got.ID, got.Summary, want.Summary)
	}
}

func (c *checker) checkSource(path string, got *parley.Source) {
	want := findByID(c.w.a.Sources, got.ID, func(p *parley.Source) string { return p.ID })
	if want == nil {
		c.errorf(path, "got unknown source %q", got.ID)
		return
	}
	c.sameClass(path, "source "+got.ID, got.Classification, want.Classification)
}

// visibleVersions returns the IDs of the versions of a plan the user
// sees, in the plan's order (by date, then as added).
func (c *checker) visibleVersions(planID string) []string {
	var out []string
	for _, v := range c.w.a.Versions { // generated, and added, in date order
		if v.PlanID == planID && c.sight.vis[v.ID] {
			out = append(out, v.ID)
		}
	}
	return out
}

// checkPlan checks a plan and, when withVersions, its list of versions.
func (c *checker) checkPlan(path string, got *parley.Plan, withVersions bool) {
	want := c.w.plans[got.ID]
	if want == nil {
		c.errorf(path, "got unknown plan %q", got.ID)
		return
	}
	c.sameRef(path, "template of plan "+got.ID, got.TemplateID, c.sight.ref(want.TemplateID))
	c.sameClass(path, "plan "+got.ID, got.Classification, want.Classification)
	if !withVersions {
		if len(got.Versions) > 0 {
			c.errorf(path, "got plan %s with %d versions, want none", got.ID, len(got.Versions))
		}
		return
	}
	var ids []string
	for _, v := range got.Versions {
		ids = append(ids, v.ID)
		c.checkVersion(path, v, false)
	}
	c.sameList(path, "versions of plan "+got.ID, ids, c.visibleVersions(got.ID))
}

// checkVersion checks a version and, when withPoints, its points.
func (c *checker) checkVersion(path string, got *parley.Version, withPoints bool) {
	want := c.w.versions[got.ID]
	if want == nil {
		c.errorf(path, "got unknown version %q", got.ID)
		return
	}
	c.sameRef(path, "plan of version "+got.ID, got.PlanID, want.PlanID)
	c.sameRef(path, "author of version "+got.ID, got.AuthorPartyID, c.sight.ref(want.AuthorPartyID))
	c.sameRef(path, "previous version of "+got.ID, got.PreviousID, c.sight.ref(want.PreviousID))
	c.sameList(path, "sources of version "+got.ID, got.SourceIDs, c.sight.keep(want.SourceIDs))
	c.sameClass(path, "version "+got.ID, got.Classification, want.Classification)
	if !withPoints {
		if len(got.Points) > 0 || got.Text != "" {
			c.errorf(path, "got version %s with its text and %d points, want neither", got.ID, len(got.Points))
		}
		return
	}
	if got.Text != want.Text {
		c.errorf(path, "got version %s's text %q, want %q", got.ID, got.Text, want.Text)
	}
	if len(got.Points) != len(want.Points) {
		c.errorf(path, "got %d points of version %s, want %d", len(got.Points), got.ID, len(want.Points))
		return
	}
	for i, p := range got.Points {
		c.checkPoint(path, got.ID, p, want.Points[i])
	}
}

// checkPoint checks a point of version vid against the world's.
func (c *checker) checkPoint(path, vid string, got, want *parley.Point) {
	where := "point " + vid + "/" + want.ID
	if got.ID != want.ID || got.Text != want.Text {
		c.errorf(path, "got point %s %q, want %s %q", got.ID, got.Text, want.ID, want.Text)
		return
	}
	var lineage []parley.PointRef
	for _, r := range want.Lineage {
		if c.sight.vis[r.VersionID] {
			lineage = append(lineage, r)
		}
	}
	if len(got.Lineage) != 0 || len(lineage) != 0 {
		if !slices.Equal(got.Lineage, lineage) {
			c.errorf(path, "got %s from %v, want from %v", where, got.Lineage, lineage)
		}
	}
	origin := want.Origin
	if !c.sight.vis[origin.VersionID] {
		origin = parley.PointRef{VersionID: vid, PointID: want.ID}
	}
	if got.Origin != origin {
		c.errorf(path, "got %s's origin %v, want %v", where, got.Origin, origin)
	}
	c.sameRef(path, "proposer of "+where, got.ProposedBy, c.sight.ref(want.ProposedBy))
	c.sameRef(path, "contact of "+where, got.ContactID, c.sight.ref(want.ContactID))
	c.sameList(path, "sources of "+where, got.SourceIDs, c.sight.keep(want.SourceIDs))
}

func findByID[T any](rs []*T, id string, key func(*T) string) *T {
	for _, r := range rs {
		if key(r) == id {
			return r
		}
	}
	return nil
}

// pick returns a random ID of a kind of the world, or "".
func (c *checker) pick(rng *rand.Rand, kind string) string {
	var ids []string
	for id, k := range c.w.kinds {
		if k == kind {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	slices.Sort(ids)
	return ids[rng.IntN(len(ids))]
}

// processVisible reports whether the user sees the world's process.
func (c *checker) processVisible() bool { return c.sight.vis[c.w.a.Process.ID] }

// probe is one read path, checked for one user.
type probe struct {
	name string
	// broad probes read what a user sees of the whole process, and run
	// for every user of every world; each other probe runs for one user
	// of each world, picked at random, or for all of them when
	// PARLEY_MODEL_EXHAUSTIVE is set.
	broad bool
	run   func(c *checker, rng *rand.Rand)
}

// versionIDs returns the IDs of a plan's versions.
func versionIDs(p *parley.Plan) []string {
	var ids []string
	for _, v := range p.Versions {
		ids = append(ids, v.ID)
	}
	return ids
}

// probes are the read paths of the stores, each with its check.
var probes = []probe{
	{"FindProcessByID", true, func(c *checker, _ *rand.Rand) {
		pid := c.w.a.Process.ID
		mark := c.auditMark()
		p, err := c.r.s.Processes.FindProcessByID(c.ctx, pid)
		var returned []string
		switch {
		case !c.processVisible():
			c.notFound("FindProcessByID", err, pid)
		case err != nil:
			c.errorf("FindProcessByID", "%v", err)
		case p.ID != pid:
			c.errorf("FindProcessByID", "got process %q, want %q", p.ID, pid)
		default:
			returned = []string{pid}
		}
		c.done("FindProcessByID", p, err, mark, returned)
	}},
	{"ExportProcess", true, func(c *checker, _ *rand.Rand) { c.checkExport() }},
	{"Search", true, func(c *checker, _ *rand.Rand) { c.checkSearch(c.w.common, "") }},
	{"FindProcesses", false, func(c *checker, _ *rand.Rand) {
		pid := c.w.a.Process.ID
		mark := c.auditMark()
		name := c.w.a.Process.Name
		ps, total, err := c.r.s.Processes.FindProcesses(c.ctx, parley.ProcessFilter{Name: &name})
		var got []string
		for _, p := range ps {
			got = append(got, p.ID)
		}
		var want []string
		if c.processVisible() {
			want = []string{pid}
		}
		if err != nil {
			c.errorf("FindProcesses", "%v", err)
		} else if c.sameList("FindProcesses", "processes", got, want); total != len(want) {
			c.errorf("FindProcesses", "got a total of %d, want %d", total, len(want))
		}
		c.done("FindProcesses", ps, err, mark, got)
	}},
	{"FindParties", false, func(c *checker, _ *rand.Rand) {
		listCheck(c, "FindParties", "party", c.r.s.Parties.FindParties, func(r *parley.Party) string { return r.ID }, c.checkParty, nil)
	}},
	{"FindPeople", false, func(c *checker, _ *rand.Rand) {
		listCheck(c, "FindPeople", "person", c.r.s.People.FindPeople, func(r *parley.Person) string { return r.ID }, c.checkPerson, nil)
	}},
	{"FindChannels", false, func(c *checker, _ *rand.Rand) {
		listCheck(c, "FindChannels", "channel", c.r.s.Channels.FindChannels, func(r *parley.Channel) string { return r.ID }, c.checkChannel, nil)
	}},
	{"FindContacts", false, func(c *checker, _ *rand.Rand) {
		listCheck(c, "FindContacts", "contact", c.r.s.Contacts.FindContacts, func(r *parley.Contact) string { return r.ID }, c.checkContact, nil)
	}},
	{"FindSources", false, func(c *checker, _ *rand.Rand) {
		listCheck(c, "FindSources", "source", c.r.s.Sources.FindSources, func(r *parley.Source) string { return r.ID }, c.checkSource, nil)
	}},
	{"FindPlans", false, func(c *checker, _ *rand.Rand) {
		listCheck(c, "FindPlans", "plan", c.r.s.Plans.FindPlans, func(r *parley.Plan) string { return r.ID },
			func(path string, p *parley.Plan) { c.checkPlan(path, p, true) }, versionIDs)
	}},
	{"FindPartyByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindPartyByID", c.pick(rng, "party"), c.r.s.Parties.FindPartyByID, c.checkParty, nil)
	}},
	{"FindPersonByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindPersonByID", c.pick(rng, "person"), c.r.s.People.FindPersonByID, c.checkPerson, nil)
	}},
	{"FindChannelByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindChannelByID", c.pick(rng, "channel"), c.r.s.Channels.FindChannelByID, c.checkChannel, nil)
	}},
	{"FindContactByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindContactByID", c.pick(rng, "contact"), c.r.s.Contacts.FindContactByID, c.checkContact, nil)
	}},
	{"FindSourceByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindSourceByID", c.pick(rng, "source"), c.r.s.Sources.FindSourceByID, c.checkSource, nil)
	}},
	{"FindPlanByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindPlanByID", c.pick(rng, "plan"), c.r.s.Plans.FindPlanByID,
			func(path string, p *parley.Plan) { c.checkPlan(path, p, true) }, versionIDs)
	}},
	{"FindVersionByID", false, func(c *checker, rng *rand.Rand) {
		byIDCheck(c, "FindVersionByID", c.pick(rng, "version"), c.r.s.Plans.FindVersionByID,
			func(path string, v *parley.Version) { c.checkVersion(path, v, true) }, nil)
	}},
	{"Search one word", false, func(c *checker, rng *rand.Rand) {
		words := slices.Sorted(maps.Keys(c.w.words))
		if len(words) > 0 {
			w := words[rng.IntN(len(words))]
			c.checkSearch(w, w)
		}
	}},
	{"FindPointHistory", false, func(c *checker, rng *rand.Rand) { c.checkHistory(rng) }},
	{"FindPointsByContact", false, func(c *checker, rng *rand.Rand) {
		if id := c.pick(rng, "contact"); id != "" {
			c.checkPointsByContact(id)
		}
	}},
}

// listCheck checks a list of the records of a kind in the process.
func listCheck[T any](c *checker, path, kind string, list func(context.Context, string) ([]*T, error), id func(*T) string,
	check func(path string, r *T), more func(*T) []string) {
	mark := c.auditMark()
	rs, err := list(c.ctx, c.w.a.Process.ID)
	var returned []string
	if !c.processVisible() {
		c.notFound(path, err, c.w.a.Process.ID)
	} else if err != nil {
		c.errorf(path, "%v", err)
	} else {
		var ids []string
		for _, r := range rs {
			ids = append(ids, id(r))
			returned = append(returned, id(r))
			if more != nil {
				returned = append(returned, more(r)...)
			}
			check(path, r)
		}
		c.sameIDs(path, kind+" records", ids, c.sight.visibleOf(kind))
	}
	c.done(path, rs, err, mark, returned)
}

// byIDCheck checks the read of one record, visible or not.
func byIDCheck[T any](c *checker, path, id string, find func(context.Context, string) (*T, error),
	check func(path string, r *T), more func(*T) []string) {
	if id == "" {
		return
	}
	mark := c.auditMark()
	r, err := find(c.ctx, id)
	var returned []string
	switch {
	case !c.sight.vis[id]:
		c.notFound(path, err, id)
	case err != nil:
		c.errorf(path, "reading %s: %v", id, err)
	default:
		check(path, r)
		returned = []string{id}
		if more != nil {
			returned = append(returned, more(r)...)
		}
	}
	c.done(path, r, err, mark, returned)
}

// checkSearch searches for word: the common word is in every point and
// contact, a unique word in the one at c.w.words[only].
func (c *checker) checkSearch(word, only string) {
	path := "Search " + word
	mark := c.auditMark()
	hits, err := searchHits(c.r.s.Search, c.ctx, parley.SearchQuery{ProcessID: c.w.a.Process.ID, Text: word, Limit: parley.MaxSearchLimit})
	if !c.processVisible() {
		c.notFound(path, err, c.w.a.Process.ID)
		c.done(path, hits, err, mark, nil)
		return
	}
	if err != nil {
		c.errorf(path, "%v", err)
		return
	}
	var got, returned []string
	for _, h := range hits {
		if h.Kind == "contact" {
			got = append(got, "contact "+h.ContactID)
			returned = append(returned, h.ContactID)
		} else {
			got = append(got, "point "+h.VersionID+"/"+h.PointID)
			returned = append(returned, h.VersionID)
		}
	}
	var want []string
	for w, at := range c.w.words {
		if only != "" && w != only {
			continue
		}
		if at.PointID == "" && c.sight.vis[at.VersionID] {
			want = append(want, "contact "+at.VersionID)
		} else if at.PointID != "" && c.sight.vis[at.VersionID] {
			want = append(want, "point "+at.VersionID+"/"+at.PointID)
		}
	}
	c.sameIDs(path, "hits", got, want)
	c.done(path, hits, err, mark, returned)
}

// history returns the steps the model expects in the history of a point:
// the points it came from, back through every version, and all the
// points that came from those, in the versions the user sees, by date.
func (c *checker) history(start parley.PointRef) []string {
	back := map[parley.PointRef][]parley.PointRef{}
	forth := map[parley.PointRef][]parley.PointRef{}
	for _, v := range c.w.a.Versions {
		for _, p := range v.Points {
			to := parley.PointRef{VersionID: v.ID, PointID: p.ID}
			for _, from := range p.Lineage {
				back[to] = append(back[to], from)
				forth[from] = append(forth[from], to)
			}
		}
	}
	closure := func(from []parley.PointRef, next map[parley.PointRef][]parley.PointRef) map[parley.PointRef]bool {
		seen := map[parley.PointRef]bool{}
		queue := slices.Clone(from)
		for len(queue) > 0 {
			r := queue[0]
			queue = queue[1:]
			if !seen[r] {
				seen[r] = true
				queue = append(queue, next[r]...)
			}
		}
		return seen
	}
	roots := closure([]parley.PointRef{start}, back)
	all := closure(slices.Collect(func(yield func(parley.PointRef) bool) {
		for r := range roots {
			if !yield(r) {
				return
			}
		}
	}), forth)
	return c.steps(all)
}

// steps groups points by version, in the versions the user sees, by
// date, as "version: point point".
func (c *checker) steps(points map[parley.PointRef]bool) []string {
	var out []string
	for _, v := range c.w.a.Versions { // in date order, and as added
		if !c.sight.vis[v.ID] {
			continue
		}
		var ids []string
		for _, p := range v.Points {
			if points[parley.PointRef{VersionID: v.ID, PointID: p.ID}] {
				ids = append(ids, p.ID)
			}
		}
		if len(ids) > 0 {
			out = append(out, v.ID+": "+strings.Join(ids, " "))
		}
	}
	return out
}

// checkSteps compares steps with the model's and checks their records.
func (c *checker) checkSteps(path string, steps []*parley.PointStep, want []string) []string {
	var got, returned []string
	for _, st := range steps {
		var ids []string
		for _, p := range st.Points {
			ids = append(ids, p.ID)
			if v := c.w.versions[st.Version.ID]; v != nil {
				if wp := v.Point(p.ID); wp != nil {
					c.checkPoint(path, v.ID, p, wp)
				}
			}
		}
		got = append(got, st.Version.ID+": "+strings.Join(ids, " "))
		returned = append(returned, st.Version.ID)
		c.checkVersion(path, st.Version, false)
	}
	if !slices.Equal(got, want) {
		c.errorf(path, "got steps %q, want %q", got, want)
	}
	return returned
}

func (c *checker) checkHistory(rng *rand.Rand) {
	var starts []parley.PointRef
	for _, v := range c.w.a.Versions {
		for _, p := range v.Points {
			starts = append(starts, parley.PointRef{VersionID: v.ID, PointID: p.ID})
		}
	}
	if len(starts) == 0 {
		return
	}
	start := starts[rng.IntN(len(starts))]
	const path = "FindPointHistory"
	mark := c.auditMark()
	steps, err := c.r.s.Plans.FindPointHistory(c.ctx, start.VersionID, start.PointID)
	var returned []string
	switch {
	case !c.sight.vis[start.VersionID]:
		c.notFound(path, err, start.VersionID)
	case err != nil:
		c.errorf(path, "%v", err)
	default:
		returned = c.checkSteps(path, steps, c.history(start))
	}
	c.done(path, steps, err, mark, returned)
}

func (c *checker) checkPointsByContact(id string) {
	const path = "FindPointsByContact"
	mark := c.auditMark()
	steps, err := c.r.s.Plans.FindPointsByContact(c.ctx, id)
	var returned []string
	switch {
	case !c.sight.vis[id]:
		c.notFound(path, err, id)
	case err != nil:
		c.errorf(path, "%v", err)
	default:
		raised := map[parley.PointRef]bool{}
		for _, v := range c.w.a.Versions {
			for _, p := range v.Points {
				if p.ContactID == id {
					raised[parley.PointRef{VersionID: v.ID, PointID: p.ID}] = true
				}
			}
		}
		returned = append(c.checkSteps(path, steps, c.steps(raised)), id)
	}
	c.done(path, steps, err, mark, returned)
}

func (c *checker) checkExport() {
	const path = "ExportProcess"
	pid := c.w.a.Process.ID
	mark := c.auditMark()
	a, err := c.r.s.Archive.ExportProcess(c.ctx, pid)
	var returned []string
	switch {
	case !c.processVisible():
		c.notFound(path, err, pid)
	case err != nil:
		c.errorf(path, "%v", err)
	default:
		returned = append(returned, a.Process.ID)
		if a.Process.ID != pid {
			c.errorf(path, "got process %q, want %q", a.Process.ID, pid)
		}
		kinds := []struct {
			kind string
			ids  []string
		}{
			{"party", exportIDs(a.Parties, func(r *parley.Party) string { c.checkParty(path, r); return r.ID })},
			{"person", exportIDs(a.People, func(r *parley.Person) string { c.checkPerson(path, r); return r.ID })},
			{"channel", exportIDs(a.Channels, func(r *parley.Channel) string { c.checkChannel(path, r); return r.ID })},
			{"source", exportIDs(a.Sources, func(r *parley.Source) string { c.checkSource(path, r); return r.ID })},
			{"contact", exportIDs(a.Contacts, func(r *parley.Contact) string { c.checkContact(path, r); return r.ID })},
			{"plan", exportIDs(a.Plans, func(r *parley.Plan) string { c.checkPlan(path, r, false); return r.ID })},
			{"version", exportIDs(a.Versions, func(r *parley.Version) string { c.checkVersion(path, r, true); return r.ID })},
		}
		for _, k := range append(kinds, c.negotiationExport(path, a)...) {
			c.sameIDs(path, k.kind+" records", k.ids, c.sight.visibleOf(k.kind))
			returned = append(returned, k.ids...)
		}
	}
	c.done(path, c.exportWithOwnParty(a), err, mark, returned)
}

func exportIDs[T any](rs []*T, check func(*T) string) []string {
	var out []string
	for _, r := range rs {
		out = append(out, check(r))
	}
	return out
}

// envInt reads an integer from the environment, or returns def.
func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a number", name, v)
	}
	return n
}

func testAccessModel(t *testing.T, open Opener) {
	scratch := open
	worlds := defaultWorlds
	if s := open(t); s.Scratch != nil {
		scratch = s.Scratch
		if s.Worlds > 0 {
			worlds = s.Worlds
		}
	}
	switch {
	case raceEnabled:
		worlds = raceWorlds
	case testing.Short():
		worlds = shortWorlds
	}
	worlds = envInt(t, "PARLEY_WORLDS", worlds)
	seed := rand.Uint64()
	if v := os.Getenv("PARLEY_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("PARLEY_SEED=%q: want a number", v)
		}
	}
	only := envInt(t, "PARLEY_WORLD", -1)
	stats := &modelStats{}
	start := time.Now()
	// The worlds go into stores of worldsPerStore each, so that the time
	// a world takes does not grow with the size of the database.
	for first := 0; first < worlds && stats.failed.Load() < maxFailures; first += worldsPerStore {
		last := min(first+worldsPerStore, worlds)
		if only >= 0 && (only < first || only >= last) {
			continue
		}
		t.Run(fmt.Sprintf("worlds %d to %d", first, last-1), func(t *testing.T) {
			r := &modelRun{s: scratch(t), seed: seed, missing: map[string]*parley.Error{}, stats: stats,
				exhaustive: os.Getenv("PARLEY_MODEL_EXHAUSTIVE") != ""}
			r.init(t)
			r.run(t, first, last, only)
		})
	}
	if stats.failed.Load() > 0 {
		t.Logf("replay a world with PARLEY_SEED=%d PARLEY_WORLD=n", seed)
	}
	elapsed := time.Since(start)
	t.Logf("%d worlds, %d reads checked in %v (%v a world), seed %d", worlds, stats.calls.Load(), elapsed.Round(time.Millisecond),
		(elapsed / time.Duration(max(worlds, 1))).Round(time.Microsecond), seed)
	if n := stats.classified.Load(); n > 0 {
		t.Logf("%d reads returned a hidden party's ID in the classification of a record the user sees", n)
	}
}

// run checks worlds first to last-1, or only the one numbered only when
// it is not negative.
func (r *modelRun) run(t *testing.T, first, last, only int) {
	next := make(chan int)
	var wg sync.WaitGroup
	// Twice as many workers as processors: a worker waiting for its
	// read's audit record to commit leaves its processor to another.
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for n := range next {
				r.world(t, n)
			}
		})
	}
	for n := first; n < last && r.stats.failed.Load() < maxFailures; n++ {
		if only < 0 || n == only {
			next <- n
		}
	}
	close(next)
	wg.Wait()
}

// init creates the decoy process and records, for each read path, the
// error of the same read of something that does not exist.
func (r *modelRun) init(t *testing.T) {
	ctx := asSystem()
	r.decoy = mustProcess(t, r.s, "Decoy").ID
	errOf := func(path string, err error) {
		var e *parley.Error
		if !errors.As(err, &e) || e.Code == parley.EINTERNAL {
			t.Fatalf("%s of something that does not exist: got %v, want an application error", path, err)
		}
		r.missing[path] = e
	}
	s := r.s
	_, err := s.Processes.FindProcessByID(ctx, madeUpID)
	errOf("FindProcessByID", err)
	for path, list := range map[string]func() error{
		"FindParties":  func() error { _, err := s.Parties.FindParties(ctx, madeUpID); return err },
		"FindPeople":   func() error { _, err := s.People.FindPeople(ctx, madeUpID); return err },
		"FindChannels": func() error { _, err := s.Channels.FindChannels(ctx, madeUpID); return err },
		"FindContacts": func() error { _, err := s.Contacts.FindContacts(ctx, madeUpID); return err },
		"FindSources":  func() error { _, err := s.Sources.FindSources(ctx, madeUpID); return err },
		"FindPlans":    func() error { _, err := s.Plans.FindPlans(ctx, madeUpID); return err },
		"Search": func() error {
			_, err := s.Search.Search(ctx, parley.SearchQuery{ProcessID: madeUpID, Text: "accord"})
			return err
		},
		"ExportProcess":       func() error { _, err := s.Archive.ExportProcess(ctx, madeUpID); return err },
		"FindPartyByID":       func() error { _, err := s.Parties.FindPartyByID(ctx, madeUpID); return err },
		"FindPersonByID":      func() error { _, err := s.People.FindPersonByID(ctx, madeUpID); return err },
		"FindChannelByID":     func() error { _, err := s.Channels.FindChannelByID(ctx, madeUpID); return err },
		"FindContactByID":     func() error { _, err := s.Contacts.FindContactByID(ctx, madeUpID); return err },
		"FindSourceByID":      func() error { _, err := s.Sources.FindSourceByID(ctx, madeUpID); return err },
		"FindPlanByID":        func() error { _, err := s.Plans.FindPlanByID(ctx, madeUpID); return err },
		"FindVersionByID":     func() error { _, err := s.Plans.FindVersionByID(ctx, madeUpID); return err },
		"FindPointsByContact": func() error { _, err := s.Plans.FindPointsByContact(ctx, madeUpID); return err },
		"FindPointHistory":    func() error { _, err := s.Plans.FindPointHistory(ctx, madeUpID, "1"); return err },
	} {
		errOf(path, list())
	}
	for path, read := range negotiationMissing(s, r.decoy) {
		errOf(path, read())
	}
}

// world generates, stores and checks world n.
func (r *modelRun) world(t *testing.T, n int) {
	w, err := newWorld(r.seed, n, r.decoy)
	if err != nil {
		r.fail(t, n, err.Error())
		return
	}
	if err := r.s.Archive.ImportProcess(asSystem(), w.a); err != nil {
		r.fail(t, n, fmt.Sprintf("importing: %v", err))
		return
	}
	rng := rand.New(rand.NewPCG(r.seed, uint64(n)+1<<32))
	// Which user checks which probe: everyone the broad ones, one user
	// each of the others.
	assigned := make([][]probe, len(w.us))
	for _, p := range probes {
		for i := range w.us {
			if p.broad || r.exhaustive {
				assigned[i] = append(assigned[i], p)
			}
		}
		if !p.broad && !r.exhaustive {
			i := rng.IntN(len(w.us))
			assigned[i] = append(assigned[i], p)
		}
	}
	for i, u := range w.us {
		c := &checker{r: r, w: w, u: u, sight: w.sight(u), ctx: parley.WithActor(context.Background(), u.actor), audit: n%auditEvery == 0}
		for _, p := range assigned[i] {
			p.run(c, rng)
		}
		if len(c.errs) > 0 {
			r.fail(t, n, fmt.Sprintf("user %s:\n\t%s", u, strings.Join(c.errs, "\n\t")))
		}
	}
}

func (r *modelRun) fail(t *testing.T, n int, msg string) {
	if r.stats.failed.Add(1) <= maxFailures {
		t.Errorf("world %d (replay with PARLEY_SEED=%d PARLEY_WORLD=%d): %s", n, r.seed, n, msg)
	}
}
