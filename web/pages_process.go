package web

import (
	"cmp"
	"context"
	"html/template"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parley"
)

// processListPage is the data of the home page.
type processListPage struct {
	view
	Processes []*parley.Process
	Total     int
	// Form creates a process.
	Form *form
}

// handleProcessList shows the processes and a form to create one.
func (s *Server) handleProcessList(w http.ResponseWriter, r *http.Request) {
	procs, total, err := s.svc.Processes.FindProcesses(r.Context(), parley.ProcessFilter{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	rec, _, _ := processForm.start(s, r)
	f := &form{Action: "/processes/new", Submit: "Create process", Fields: processForm.fields(rec, &choices{})}
	s.render(w, r, http.StatusOK, "processes.html", &processListPage{view: view{Title: "Peace processes"},
		Processes: procs, Total: total, Form: f})
}

// processForm is the form of a process.
var processForm = &recordForm[parley.Process]{
	noun:  "process",
	intro: "A process is the frame of everything else: its parties, people, channels, contacts, sources and plans.",
	start: func(*Server, *http.Request) (*parley.Process, string, error) {
		// A new process is seen by its participants until someone
		// decides it is public.
		return &parley.Process{Classification: parley.Classification{Level: parley.ProcessWide}}, "", nil
	},
	store: func(svc parley.Services) recordStore[parley.Process] {
		return recordStore[parley.Process]{svc.Processes.FindProcessByID, svc.Processes.CreateProcess, svc.Processes.UpdateProcess}
	},
	target:  func(svc parley.Services, p *parley.Process, _ *choices) *shareTarget { return processTarget(svc, p) },
	process: func(p *parley.Process) string { return p.ID },
	name:    func(p *parley.Process) string { return p.Name },
	fields: func(p *parley.Process, ch *choices) []*field {
		return []*field{
			{Name: "name", Label: "Name", Type: "text", Value: p.Name, Required: true},
			{Name: "summary", Label: "Summary", Type: "textarea", Rows: 4, Value: p.Summary},
			{Name: "topics", Label: "Topics of this process", Type: "textarea", Rows: 3, Value: strings.Join(p.Topics, "\n"),
				Help: "Tags for points, one a line, besides the built-in topics (" + strings.Join(parley.Topics(), ", ") + ")."},
			classificationField(p.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, p *parley.Process, _ *choices) error {
		p.Name, p.Summary = formLine(vals, "name"), formText(vals, "summary")
		p.Topics = nil
		for line := range strings.Lines(formText(vals, "topics")) {
			if t := strings.TrimSpace(line); t != "" && !slices.Contains(p.Topics, t) {
				p.Topics = append(p.Topics, t)
			}
		}
		p.Classification = formClassification(vals)
		return nil
	},
	done: func(p *parley.Process) string { return processURL(p.ID) },
	back: func(p *parley.Process) string {
		if p.ID == "" {
			return "/"
		}
		return processURL(p.ID)
	},
}

// processPage is the data of a process's dashboard.
type processPage struct {
	view
	Names *names
	// Contacts are the latest contacts, the latest first; Latest says how
	// many of how many they are.
	Contacts []*parley.Contact
	Latest   latest
	Plans    []planRow
	// Tables list the parties, people and channels; Sources the latest
	// sources.
	Tables   []recordTable
	Sources  recordTable
	Timeline *timeline
	// Compare chooses two versions to compare; nil with fewer than two
	// versions whose text is known.
	Compare *compareChoice
	// Access is the reader's access to the process: mediators are shown
	// its members and audit log, and whoever may change who sees a
	// record the way to.
	Access parley.Access
}

// MayShare reports whether the reader may change who sees a plan or a
// source of classification c (the store decides again).
func (pg *processPage) MayShare(c parley.Classification) bool { return pg.Access.Owns(c) }

// planRow is a plan on the dashboard.
type planRow struct {
	*parley.Plan
	Template string // the title of the plan it is modelled on
	Versions []versionRow
}

// versionRow is a version in a plan's list.
type versionRow struct {
	*parley.Version
	// Previous is the version to compare it with: the one its lineage was
	// computed against, else the version before it in the plan with a
	// known text; "" for none.
	Previous string
}

// compareChoice is the form that picks two versions to compare.
type compareChoice struct {
	Legend   string
	Old, New *field
}

// handleProcessPage shows a process's dashboard, kept once drawn in three
// parts (see keptDrawing): its frame (the process, its plans, parties,
// people and channels), its latest contacts and its latest sources. A
// contact or a source is added far more often than the frame changes, and
// a dashboard kept whole was drawn again at nearly every visit. The
// counts of changes are read once for the three.
func (s *Server) handleProcessPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	changes := s.changesNow(ctx)
	key := drawnKey{page: "dashboard", a: r.PathValue("id")}
	d, at := s.keptDrawing(ctx, key, changes)
	var f *dashFrame
	var fr *frameRead
	var reads []parley.Read // of the kept parts served, logged once
	var err error
	if d != nil {
		f, fr, reads = d.data.(*dashFrame), &frameRead{d.tables, d.changes}, d.reads
	} else if f, fr, err = s.drawDashFrame(ctx, key, at); err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := f.page(ctx)
	contacts, sources, kept, err := s.dashLatest(ctx, changes, f, fr, pg)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.svc.Changes.LogReads(ctx, slices.Concat(reads, kept)); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.frame(r, pg)
	pg.Drawn = f.head + contacts + f.middle + sources
	s.execute(w, r, http.StatusOK, "process.html", "layout", pg)
}

// dashLatest returns the latest contacts and sources of a dashboard
// drawn, each kept like the frame but apart from it and from each other:
// they change at every contact or source added, the frame seldom. The
// names they show are the frame's, so a kept drawing of them also depends
// on what the frame read (fr).
// It also returns the audit records of the kept parts it serves, for the
// caller to log.
func (s *Server) dashLatest(ctx context.Context, changes parley.Changes, f *dashFrame, fr *frameRead, pg *processPage) (contacts, sources template.HTML, reads []parley.Read, err error) {
	pid := f.process.ID
	var more []parley.Read
	contacts, reads, err = s.keptPart(ctx, drawnKey{page: "latest contacts", a: pid}, changes, f, fr, func(traced context.Context) (template.HTML, error) {
		cs, total, err := s.svc.Contacts.FindRecentContacts(traced, pid, dashboardLatest, 0)
		if err != nil {
			return "", err
		}
		pg.Names = newNames(f.parties, f.people, f.channels, nil, cs, f.plans)
		// The timeline draws contacts in the order they started.
		started := slices.Clone(cs)
		slices.Reverse(started)
		pg.Contacts = cs
		pg.Latest = newLatest(len(cs), total, "contacts", "the latest first", contactListURL(pid))
		pg.Timeline = drawTimeline(f.channels, started, total, f.plans, pg.Names)
		return s.drawContent("process.html", "dash-contacts", pg)
	})
	if err != nil {
		return "", "", nil, err
	}
	sources, more, err = s.keptPart(ctx, drawnKey{page: "latest sources", a: pid}, changes, f, fr, func(traced context.Context) (template.HTML, error) {
		ss, total, err := s.svc.Sources.FindRecentSources(traced, pid, dashboardLatest, 0)
		if err != nil {
			return "", err
		}
		pg.Names = newNames(f.parties, f.people, f.channels, ss, nil, f.plans)
		pg.Sources = sourceTable(pid, ss, pg.Names, pg.Access)
		pg.Sources.Latest = newLatest(len(ss), total, "sources", "the latest published first", sourceListURL(pid))
		return s.drawContent("process.html", "dash-sources", pg)
	})
	return contacts, sources, slices.Concat(reads, more), err
}

// frameRead is what a dashboard's frame read, and the counts of changes
// as of which what it read is what it shows: the counts read before it was
// drawn, whether it was drawn for this visit or kept from an earlier one.
type frameRead struct {
	tables  map[string]bool
	changes parley.Changes
}

// keptPart returns a part of a dashboard's page kept for key (see
// keptDrawing) with its audit records, for the caller to log, or draws it
// with draw, whose reads are traced and logged, and keeps it. The part shows the frame's data too, so it is kept as depending on
// the frame's tables at the frame's counts: a frame table written after
// the frame was drawn makes the part stale with the frame, even when the
// write came before the part's own counts were read.
func (s *Server) keptPart(ctx context.Context, key drawnKey, changes parley.Changes, f *dashFrame, fr *frameRead,
	draw func(traced context.Context) (template.HTML, error)) (template.HTML, []parley.Read, error) {
	d, at := s.keptDrawing(ctx, key, changes)
	if d != nil {
		return d.content, d.reads, nil
	}
	if fr == nil {
		at = drawAt{} // the frame was not kept: neither is the part
	}
	traced := ctx
	if at.ctx != nil {
		traced = at.ctx
		at.changes = maps.Clone(at.changes)
		for t, whole := range fr.tables {
			at.trace.Table(t, whole)
			at.changes[t] = fr.changes[t]
		}
	}
	part, err := draw(traced)
	if err != nil {
		return "", nil, err
	}
	s.keep(ctx, key, f.process.ID, at, &drawnPage{process: f.process, title: f.process.Name, content: part})
	return part, nil, nil
}

// dashFrame is the frame of a dashboard: what it shows of its process but
// the latest contacts and sources, drawn (head and middle, around the
// latest contacts) and as read, to draw the latest records with.
type dashFrame struct {
	head, middle template.HTML
	process      *parley.Process
	parties      []*parley.Party
	people       []*parley.Person
	channels     []*parley.Channel
	plans        []*parley.Plan
}

// page returns the dashboard's data as far as the frame goes, for the
// reader of ctx.
func (f *dashFrame) page(ctx context.Context) *processPage {
	return &processPage{view: view{Title: f.process.Name, Process: f.process},
		Access: parley.ActorFrom(ctx).In(f.process.ID)}
}

// drawDashFrame reads and draws the frame of a dashboard, and keeps it
// (see keep) when at says how; it returns what it read, as the kept
// drawing holds it (nil when not kept).
func (s *Server) drawDashFrame(ctx context.Context, key drawnKey, at drawAt) (*dashFrame, *frameRead, error) {
	traced := ctx
	if at.ctx != nil {
		traced = at.ctx
	}
	ch, err := s.loadFrame(traced, key.a)
	if err != nil {
		return nil, nil, err
	}
	pid := ch.process.ID
	if ch.plans, err = s.svc.Plans.FindPlans(traced, pid); err != nil {
		return nil, nil, err
	}
	f := &dashFrame{process: ch.process, parties: ch.parties, people: ch.people, channels: ch.channels, plans: ch.plans}
	pg := f.page(ctx)
	pg.Names = newNames(ch.parties, ch.people, ch.channels, nil, nil, ch.plans)
	pg.Compare = newCompareChoice(ch.plans, "", "")
	pg.Tables = recordTables(ch, pg.Names, pg.Access)
	titles := map[string]string{}
	for _, p := range ch.plans {
		titles[p.ID] = p.Title
	}
	for _, p := range storyOrder(ch.plans) {
		row := planRow{Plan: p, Template: titles[p.TemplateID]}
		prev := ""
		for _, v := range p.Versions {
			// Compared with the version its lineage was computed
			// against, which for a plan's first version may be its
			// template's.
			row.Versions = append(row.Versions, versionRow{Version: v, Previous: cmp.Or(v.PreviousID, prev)})
			if !v.TextUnknown {
				prev = v.ID
			}
		}
		pg.Plans = append(pg.Plans, row)
	}
	if f.head, err = s.drawContent("process.html", "dash-head", pg); err != nil {
		return nil, nil, err
	}
	if f.middle, err = s.drawContent("process.html", "dash-middle", pg); err != nil {
		return nil, nil, err
	}
	d := &drawnPage{process: ch.process, title: ch.process.Name, data: f}
	if !s.keep(ctx, key, pid, at, d) {
		return f, nil, nil
	}
	return f, &frameRead{d.tables, d.changes}, nil
}

// storyOrder returns the plans in the order their first versions are
// dated, plans without versions last, so that the dashboard tells the
// story in order (the template before the plans modelled on it).
func storyOrder(plans []*parley.Plan) []*parley.Plan {
	first := func(p *parley.Plan) int64 {
		if len(p.Versions) == 0 {
			return math.MaxInt64
		}
		return p.Versions[0].Date.Unix()
	}
	out := slices.Clone(plans)
	slices.SortStableFunc(out, func(a, b *parley.Plan) int { return cmp.Compare(first(a), first(b)) })
	return out
}

// newCompareChoice builds the two selects of versions with a known text,
// grouped by plan. The selected versions are oldID and newID or, when
// those are empty, the two latest versions.
func newCompareChoice(plans []*parley.Plan, oldID, newID string) *compareChoice {
	legend := "Compare two versions"
	if oldID != "" { // on the compare page
		legend = "Compare two other versions"
	}
	var opts []option
	var all []*parley.Version
	for _, p := range storyOrder(plans) {
		for _, v := range p.Versions {
			if !v.TextUnknown {
				opts = append(opts, option{Value: v.ID, Label: v.Label + " (" + formatDay(v.Date) + ")", Group: p.Title})
				all = append(all, v)
			}
		}
	}
	if len(all) < 2 {
		return nil
	}
	if oldID == "" || newID == "" {
		// The latest version and the one its lineage was computed
		// against (the version before it, or its template's), else the
		// latest two.
		slices.SortStableFunc(all, func(a, b *parley.Version) int { return cmp.Compare(a.Date.Unix(), b.Date.Unix()) })
		latest := all[len(all)-1]
		oldID, newID = all[len(all)-2].ID, latest.ID
		if slices.ContainsFunc(all, func(v *parley.Version) bool { return v.ID == latest.PreviousID }) {
			oldID = latest.PreviousID
		}
	}
	return &compareChoice{Legend: legend,
		Old: &field{Name: "old", Label: "Old version", Type: "select", Options: opts, Value: oldID},
		New: &field{Name: "new", Label: "New version", Type: "select", Options: opts, Value: newID},
	}
}

// recordTable lists the records of one kind on the dashboard, each with a
// link to its form.
type recordTable struct {
	ID, Title string
	Columns   []string
	Rows      []tableRow
	// Empty is said when there are no rows.
	Empty string
	// New is the address of the form of a new record, named NewLabel.
	New, NewLabel string
	// Latest, for a table of the latest records of a kind, says how many
	// of how many they are and links to them all.
	Latest latest
}

// tableRow is a record in a table; its first cell names it.
type tableRow struct {
	Cells []tableCell
	Edit  string // the address of its form
	// Share is the address of its sharing form, for a reader who may
	// change who sees it.
	Share string
}

// tableCell is a cell, with a link when URL is set, or a badge.
type tableCell struct {
	Text, URL string
	Badge     template.HTML
}

// recordTables lists the parties, people, channels and sources of a
// process, for a reader with access acc.
func recordTables(ch *choices, n *names, acc parley.Access) []recordTable {
	in := processURL(ch.process.ID)
	badge := func(c parley.Classification) tableCell { return tableCell{Badge: classificationBadge(c, n)} }
	// Only mediators change the frame of a process (its parties, people
	// and channels).
	share := func(may bool, base string) string {
		if may {
			return sharePath(base)
		}
		return ""
	}
	parties := recordTable{ID: "parties", Title: "Parties", Columns: []string{"Name", "Kind", "Seen by"},
		Empty: "No party yet.", New: in + "/parties/new", NewLabel: "New party"}
	for _, p := range ch.parties {
		parties.Rows = append(parties.Rows, tableRow{Edit: "/parties/" + url.PathEscape(p.ID) + "/edit", Share: share(acc.Mediator(), "/parties/"+url.PathEscape(p.ID)),
			Cells: []tableCell{{Text: p.Name}, {Text: words(string(p.Kind))}, badge(p.Classification)}})
	}
	people := recordTable{ID: "people", Title: "People", Columns: []string{"Name", "Party", "Role", "Seen by"},
		Empty: "No person yet.", New: in + "/people/new", NewLabel: "New person"}
	for _, p := range ch.people {
		party := ""
		if p.PartyID != "" {
			party = n.Party(p.PartyID)
		}
		people.Rows = append(people.Rows, tableRow{Edit: "/people/" + url.PathEscape(p.ID) + "/edit", Share: share(acc.Mediator(), "/people/"+url.PathEscape(p.ID)),
			Cells: []tableCell{{Text: p.Name}, {Text: party}, {Text: p.Role}, badge(p.Classification)}})
	}
	channels := recordTable{ID: "channels", Title: "Channels", Columns: []string{"Name", "Kind", "Member parties", "Seen by"},
		Empty: "No channel yet.", New: in + "/channels/new", NewLabel: "New channel"}
	for _, c := range ch.channels {
		channels.Rows = append(channels.Rows, tableRow{Edit: "/channels/" + url.PathEscape(c.ID) + "/edit", Share: share(acc.Mediator(), "/channels/"+url.PathEscape(c.ID)),
			Cells: []tableCell{{Text: c.Name}, {Text: string(c.Kind)}, {Text: n.Parties(c.PartyIDs)}, badge(c.Classification)}})
	}
	return []recordTable{parties, people, channels}
}

// sourceTable lists sources of a process, for a reader with access acc:
// a delegate may change who sees their party's own sources.
func sourceTable(processID string, sources []*parley.Source, n *names, acc parley.Access) recordTable {
	t := recordTable{ID: "sources", Title: "Sources", Columns: []string{"Source", "Published", "Rating", "Seen by"},
		Empty: "No source yet.", New: processURL(processID) + "/sources/new", NewLabel: "New source"}
	for _, src := range sources {
		row := tableRow{Edit: "/sources/" + url.PathEscape(src.ID) + "/edit",
			Cells: []tableCell{{Text: sourceName(src), URL: src.URL}, {Text: formatDay(src.Published)},
				{Text: src.Reliability + strconv.Itoa(src.Credibility)}, {Badge: classificationBadge(src.Classification, n)}}}
		if acc.Owns(src.Classification) {
			row.Share = sharePath("/sources/" + url.PathEscape(src.ID))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// words writes an enumerated value as words ("armed_group" as "armed
// group").
func words(v string) string { return strings.ReplaceAll(v, "_", " ") }
