// Package demo loads a real case into any store: the 2025 Russia–Ukraine
// peace track, reconstructed from public reporting of October to December
// 2025. It holds the parties and envoys, the channels they used, a
// timeline of calls, meetings and leaks, and the plans point by point: the
// Gaza 20-point plan that served as the model, the US 28-point plan, the
// European counter-proposal, the Geneva revision known only by report and
// the 20-point framework of December, with topic tags, provenance and the
// lineage that links their points. Every fact cites a source. It also
// holds the negotiation model (issues, positions, illustrative
// preferences) and the territory: Ukraine's regions from the base map
// Parley ships, a line of contact drawn by hand from public reporting
// (approximate, and labelled so), and the territorial provisions of the 28
// points, the European counter-proposal and the framework.
//
// The case is written through the domain's service interfaces only, so it
// loads the same way into every store; `parley serve --demo` uses it.
package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // contacts are recorded in their local zones, also on machines without a zone database

	"parley"
)

// Name is the name of the demo process; Load recognises an earlier load
// by it.
const Name = "Russia–Ukraine 2025"

// loadingName is the name the process carries while it is being filled.
// Only a complete load takes Name, so that a load that failed half-way is
// never mistaken for the demo by the next one.
const loadingName = Name + " (loading)"

// Load stores the demo case and returns the ID of its process. It is
// idempotent by process name: when a process named Name exists, it returns
// its ID and stores nothing. A load that fails leaves what it stored under
// a process named Name + " (loading)", which later loads ignore. The
// records are written as the actor in ctx, who must be allowed to write
// records confidential to any party, as a mediator is.
func Load(ctx context.Context, s parley.Services) (processID string, err error) {
	name := Name
	existing, _, err := s.Processes.FindProcesses(ctx, parley.ProcessFilter{Name: &name, Limit: 1})
	if err != nil {
		return "", fmt.Errorf("demo: looking for an earlier load: %w", err)
	}
	if len(existing) > 0 {
		return existing[0].ID, nil
	}
	l := &loader{ctx: ctx, s: s, ids: map[string]string{}, versions: map[string]*parley.Version{}}
	if err := l.load(); err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	return l.process.ID, nil
}

// loader writes the case. The data refers to records by short keys ("us",
// "witkoff", "call-14-oct"); ids maps each key to the ID the store gave
// the record, so the tables read like the case file rather than like
// database rows.
type loader struct {
	ctx     context.Context
	s       parley.Services
	process *parley.Process
	ids     map[string]string
	// versions are the versions stored so far, by ID, with their points
	// as annotated: a later version's lineage is checked against them.
	versions map[string]*parley.Version
}

// load writes every record, parents before the records that refer to
// them, then gives the process its name.
func (l *loader) load() error {
	l.process = &parley.Process{Name: loadingName, Summary: summary, Classification: public}
	if err := l.s.Processes.CreateProcess(l.ctx, l.process); err != nil {
		return fmt.Errorf("process: %w", err)
	}
	steps := []func() error{l.parties, l.people, l.sources, l.channels, l.contacts, l.plans, l.negotiation, l.territory}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	l.process.Name = Name
	if err := l.s.Processes.UpdateProcess(l.ctx, l.process); err != nil {
		return fmt.Errorf("naming the process: %w", err)
	}
	return nil
}

// id returns the ID of the record stored under key. The keys are fixed in
// this package, so an unknown one is a bug in the data, reported as such.
func (l *loader) id(key string) (string, error) {
	id, ok := l.ids[key]
	if !ok {
		return "", fmt.Errorf("the data refers to %q, which was not stored before", key)
	}
	return id, nil
}

// idList maps keys to IDs.
func (l *loader) idList(keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		id, err := l.id(k)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// optionalID maps an optional key to an ID; "" stays "".
func (l *loader) optionalID(key string) (string, error) {
	if key == "" {
		return "", nil
	}
	return l.id(key)
}

// classification turns a level and party keys into a classification.
func (l *loader) classification(c class) (parley.Classification, error) {
	ids, err := l.idList(c.parties)
	return parley.Classification{Level: c.level, PartyIDs: ids}, err
}

func (l *loader) parties() error {
	for _, d := range parties {
		p := &parley.Party{ProcessID: l.process.ID, Name: d.name, Kind: d.kind, Classification: public}
		if err := l.s.Parties.CreateParty(l.ctx, p); err != nil {
			return fmt.Errorf("party %s: %w", d.key, err)
		}
		l.ids[d.key] = p.ID
	}
	return nil
}

func (l *loader) people() error {
	for _, d := range people {
		party, err := l.id(d.party)
		if err != nil {
			return err
		}
		p := &parley.Person{ProcessID: l.process.ID, Name: d.name, PartyID: party, Role: d.role, Classification: public}
		if err := l.s.People.CreatePerson(l.ctx, p); err != nil {
			return fmt.Errorf("person %s: %w", d.key, err)
		}
		l.ids[d.key] = p.ID
	}
	return nil
}

func (l *loader) sources() error {
	for _, d := range sources {
		var published time.Time
		if d.published != "" {
			var err error
			if published, err = time.Parse(time.DateOnly, d.published); err != nil {
				return fmt.Errorf("source %s: %w", d.key, err)
			}
		}
		s := &parley.Source{ProcessID: l.process.ID, Title: d.title, Outlet: d.outlet, Published: published,
			Reliability: d.reliability, Credibility: d.credibility, Classification: public}
		if err := l.s.Sources.CreateSource(l.ctx, s); err != nil {
			return fmt.Errorf("source %s: %w", d.key, err)
		}
		l.ids[d.key] = s.ID
	}
	return nil
}

func (l *loader) channels() error {
	for _, d := range channels {
		members, err := l.idList(d.parties)
		if err != nil {
			return err
		}
		cl, err := l.classification(d.class)
		if err != nil {
			return err
		}
		c := &parley.Channel{ProcessID: l.process.ID, Name: d.name, Kind: d.kind, PartyIDs: members, Classification: cl}
		if err := l.s.Channels.CreateChannel(l.ctx, c); err != nil {
			return fmt.Errorf("channel %s: %w", d.key, err)
		}
		l.ids[d.key] = c.ID
	}
	return nil
}

func (l *loader) contacts() error {
	for _, d := range contacts {
		loc, err := time.LoadLocation(d.zone)
		if err != nil {
			return fmt.Errorf("contact %s: %w", d.key, err)
		}
		start, err := time.ParseInLocation("2006-01-02", d.day, loc)
		if err != nil {
			return fmt.Errorf("contact %s: %w", d.key, err)
		}
		start = start.Add(12 * time.Hour) // noon: see contactDef.timeNote
		people, err := l.idList(d.people)
		if err != nil {
			return err
		}
		channel, err := l.optionalID(d.channel)
		if err != nil {
			return err
		}
		srcs, err := l.idList(d.sources)
		if err != nil {
			return err
		}
		c := &parley.Contact{ProcessID: l.process.ID, Kind: d.kind, Status: d.status, Start: start, Minutes: d.minutes,
			Place: d.place, PersonIDs: people, ChannelID: channel, Summary: d.summary + d.timeNote(), SourceIDs: srcs}
		if d.class != nil {
			cl, err := l.classification(*d.class)
			if err != nil {
				return err
			}
			c.Classification = &cl
		}
		if err := l.s.Contacts.CreateContact(l.ctx, c); err != nil {
			return fmt.Errorf("contact %s: %w", d.key, err)
		}
		l.ids[d.key] = c.ID
	}
	return nil
}

func (l *loader) plans() error {
	for _, d := range plans {
		template, err := l.optionalID(d.template)
		if err != nil {
			return err
		}
		p := &parley.Plan{ProcessID: l.process.ID, Title: d.title, TemplateID: template, Classification: public}
		if err := l.s.Plans.CreatePlan(l.ctx, p); err != nil {
			return fmt.Errorf("plan %s: %w", d.key, err)
		}
		l.ids[d.key] = p.ID
	}
	// Versions go in date order across plans: a version's lineage is
	// computed against the versions stored before it, and the notes on
	// its points must be in place before later versions inherit from them.
	for _, d := range versions {
		if err := l.version(d); err != nil {
			return fmt.Errorf("version %s: %w", d.key, err)
		}
	}
	return nil
}

// version stores one version, then annotates its points.
func (l *loader) version(d versionDef) error {
	plan, err := l.id(d.plan)
	if err != nil {
		return err
	}
	author, err := l.optionalID(d.author)
	if err != nil {
		return err
	}
	srcs, err := l.idList(d.sources)
	if err != nil {
		return err
	}
	date, err := time.Parse(time.DateOnly, d.date)
	if err != nil {
		return err
	}
	v := &parley.Version{PlanID: plan, Label: d.label, Date: date, AuthorPartyID: author, Status: d.status,
		TextUnknown: d.textUnknown, PointCount: d.pointCount, ReportedChanges: d.reportedChanges,
		SourceIDs: srcs, Classification: public}
	if !d.textUnknown {
		if v.Text, err = d.text(); err != nil {
			return err
		}
	}
	if err := l.s.Plans.CreateVersion(l.ctx, v); err != nil {
		return err
	}
	l.versions[v.ID] = v
	l.ids[d.key] = v.ID
	if !d.textUnknown {
		return l.annotate(v, d)
	}
	return nil
}

// annotate corrects the lineage of the version's points where it departs
// from the reported correspondence and applies the notes, one write per
// point that needs one. Tags the store already has right (inherited
// through lineage) are not written again, so that loading stays a few
// writes per version.
func (l *loader) annotate(v *parley.Version, d versionDef) error {
	notes := map[string]pointNote{}
	for _, n := range d.notes {
		notes[n.point] = n
	}
	var prev *parley.Version
	if len(d.reported) > 0 {
		if prev = l.versions[v.PreviousID]; prev == nil {
			return fmt.Errorf("the store compared the version with %q, not with a version of the demo", v.PreviousID)
		}
	}
	seen := 0
	for i, p := range v.Points {
		n, noted := notes[p.ID]
		from, reported := d.reported[p.ID]
		if !noted && !reported {
			continue
		}
		seen += btoi(noted) + btoi(reported)
		upd, err := l.pointUpdate(p, n, prev, from, reported)
		if err != nil {
			return fmt.Errorf("point %s: %w", p.ID, err)
		}
		if upd == (parley.PointUpdate{}) {
			continue
		}
		if v.Points[i], err = l.s.Plans.UpdatePoint(l.ctx, v.ID, p.ID, upd); err != nil {
			return fmt.Errorf("point %s: %w", p.ID, err)
		}
	}
	if seen != len(notes)+len(d.reported) {
		return fmt.Errorf("the data notes points that %q does not have", v.Label)
	}
	return nil
}

// pointUpdate returns the update that gives point p its note and, when
// reported is set, the lineage from the points of prev listed in from.
// Unchanged fields stay nil; nothing to change is the zero update.
func (l *loader) pointUpdate(p *parley.Point, n pointNote, prev *parley.Version, from []string, reported bool) (parley.PointUpdate, error) {
	var upd parley.PointUpdate
	tags := p.Tags
	if reported && !sameParents(p.Lineage, prev.ID, from) {
		refs := make([]parley.PointRef, len(from))
		tags = nil // inherited from the points it really came from
		for k, id := range from {
			refs[k] = parley.PointRef{VersionID: prev.ID, PointID: id}
			i := slices.IndexFunc(prev.Points, func(q *parley.Point) bool { return q.ID == id })
			if i < 0 {
				return upd, fmt.Errorf("%q has no point %s to come from", prev.Label, id)
			}
			for _, t := range prev.Points[i].Tags {
				if !slices.Contains(tags, t) {
					tags = append(tags, t)
				}
			}
		}
		upd.Lineage = &refs
	}
	if n.tags != nil {
		tags = n.tags
	}
	if !slices.Equal(tags, p.Tags) {
		upd.Tags = &tags
	}
	var err error
	if n.proposedBy != "" {
		var id string
		id, err = l.id(n.proposedBy)
		upd.ProposedBy = &id
	}
	if n.contact != "" && err == nil {
		var id string
		id, err = l.id(n.contact)
		upd.ContactID = &id
	}
	if n.sources != nil && err == nil {
		var ids []string
		ids, err = l.idList(n.sources)
		upd.SourceIDs = &ids
	}
	return upd, err
}

// sameParents reports whether lineage comes from exactly the top-level
// points ids of version prev, counting a link to a sub-point as one to
// its top-level point: the reporting speaks of points, not of their
// sub-points.
func sameParents(lineage []parley.PointRef, prev string, ids []string) bool {
	got := map[string]bool{}
	for _, r := range lineage {
		if r.VersionID != prev {
			return false
		}
		top, _, _ := strings.Cut(r.PointID, ".")
		got[top] = true
	}
	if len(got) != len(ids) {
		return false
	}
	for _, id := range ids {
		if !got[id] {
			return false
		}
	}
	return true
}

// btoi counts a condition.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
