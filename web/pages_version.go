package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"

	"parley"
	"parley/plantext"
)

// versionPage is the data of a version's page.
type versionPage struct {
	view
	Plan    *parley.Plan
	Version *parley.Version
	Author  string
	// Class is the version's classification badge; its points share it.
	Class template.HTML
	// Share changes who may see the version; nil for a reader who may
	// not.
	Share   *embeddedShare
	Sources []*parley.Source
	// Groups are the points under their group headings, as a tree.
	Groups []pointGroup
	// Previous and Next are the versions around this one in its plan.
	Previous, Next *parley.Version
	// CompareWith is the version to compare this one with: the one before
	// it in the plan with a known text or, for a plan's first version,
	// the version its lineage was computed against. Nil for none.
	CompareWith *parley.Version
	// Baseline names the version the points' lineage was computed
	// against, when it is not CompareWith.
	Baseline string
	// PointCount counts the points with their sub-points.
	PointCount int
	// Head is what the text says before its points.
	Head textHead
	// Text is the text as given.
	Text string
	// Provisions counts the version's territorial provisions the reader
	// may see; with any, the page shows their map (MapURL) and links to
	// the territory page (TerritoryURL).
	Provisions           int
	MapURL, TerritoryURL string
}

// pointGroup is a run of top-level points under one group heading.
type pointGroup struct {
	Heading string
	Points  []*pointNode
}

// pointNode is a point on its version's page, with what it refers to
// resolved into names and links.
type pointNode struct {
	*parley.Point
	Anchor      string
	HistoryURL  string
	EditURL     string
	Lineage     []lineageLink
	ProposedBy  string
	Contact     string // the contact's name
	ContactURL  string
	Sources     []*parley.Source
	Children    []*pointNode
	IsFirstPlan bool // the version has no earlier one to come from
}

// lineageLink is one point an annotated point came from.
type lineageLink struct {
	PointID string
	Version string // the version's label
	Plan    string // its plan's title
	URL     string
}

// handleVersionPage shows a version: its title line, status, date, author,
// sources and parser warnings, then its points with their labels,
// headings, nesting, tags, provenance and lineage.
func (s *Server) handleVersionPage(w http.ResponseWriter, r *http.Request) {
	key := drawnKey{page: "version", a: r.PathValue("id")}
	r, drawn, served := s.serveDrawn(w, r, "version.html", key)
	if served {
		return
	}
	ctx := r.Context()
	v, err := s.svc.Plans.FindVersionByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plan, proc, err := s.findPlanInProcess(ctx, v.PlanID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	n, err := s.versionNames(ctx, plan, v)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// The page shows the points as a tree, not as the version lists them,
	// nor the raw text.
	shown := *v
	shown.Points, shown.Text = nil, ""
	pg := &versionPage{view: view{Title: plan.Title + ": " + v.Label, Process: proc}, Plan: plan, Version: &shown,
		Class: classificationBadge(v.Classification, n), PointCount: len(v.Points)}
	if t := versionTarget(s.svc, v, plan); t.mayShare(parley.ActorFrom(ctx).In(proc.ID)) {
		parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		pg.Share = embedShare(ctx, t, parties)
	}
	if v.AuthorPartyID != "" {
		pg.Author = n.Party(v.AuthorPartyID)
	}
	for _, id := range v.SourceIDs {
		pg.Sources = append(pg.Sources, n.Source(id))
	}
	at := slices.IndexFunc(plan.Versions, func(x *parley.Version) bool { return x.ID == v.ID })
	if at > 0 {
		pg.Previous = plan.Versions[at-1]
	}
	if at >= 0 && at+1 < len(plan.Versions) {
		pg.Next = plan.Versions[at+1]
	}
	if !v.TextUnknown && at > 0 {
		for _, x := range slices.Backward(plan.Versions[:at]) {
			if !x.TextUnknown {
				pg.CompareWith = x
				break
			}
		}
	}
	if v.PreviousID != "" && (pg.CompareWith == nil || pg.CompareWith.ID != v.PreviousID) {
		if pg.CompareWith == nil && !v.TextUnknown {
			pg.CompareWith = &parley.Version{ID: v.PreviousID, Label: n.Version(v.PreviousID)}
		} else {
			pg.Baseline = n.Version(v.PreviousID)
		}
	}
	provisions, err := s.svc.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: proc.ID, VersionID: v.ID})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Provisions, pg.MapURL, pg.TerritoryURL = len(provisions), mapSVGURL(v.ID, ""), territoryURL(v.ID, "")
	pg.Groups = pointTree(v, n)
	pg.Head, pg.Text = s.head(v), v.Text
	s.renderCached(w, r, "version.html", key, proc.ID, drawn, pg)
}

// textHead is what a version's text says before its points: its title
// line ("Peace plan for Ukraine: the 28 points") and its preamble (often
// the caveat that the text is a paraphrase), which the store does not
// keep apart.
type textHead struct{ Title, Preamble string }

// head returns the title line and preamble of a version's text. A
// version's text never changes, so it is parsed once and kept.
func (s *Server) head(v *parley.Version) textHead {
	if v.TextUnknown {
		return textHead{}
	}
	if h, ok := s.page.heads.get(v.ID); ok {
		return h
	}
	doc, err := plantext.Parse([]byte(v.Text))
	if err != nil { // stored texts were parsed once already
		s.log.Warn("parsing a stored version", "version", v.ID, "err", err)
		return textHead{}
	}
	h := textHead{Title: doc.Title, Preamble: doc.Preamble}
	s.page.heads.put(v.ID, h)
	return h
}

// versionNames loads the names a version's page shows: parties, sources,
// contacts and the versions its points came from, each only when the
// version refers to one, so that a plain version costs few reads.
func (s *Server) versionNames(ctx context.Context, plan *parley.Plan, v *parley.Version) (*names, error) {
	var contactIDs []string
	needParties := v.AuthorPartyID != "" || len(v.Classification.PartyIDs) > 0
	sourceIDs := slices.Clone(v.SourceIDs)
	missing := false
	known := map[string]bool{}
	for _, x := range plan.Versions {
		known[x.ID] = true
	}
	for _, p := range v.Points {
		needParties = needParties || p.ProposedBy != ""
		for _, id := range p.SourceIDs {
			if !slices.Contains(sourceIDs, id) {
				sourceIDs = append(sourceIDs, id)
			}
		}
		if p.ContactID != "" && !slices.Contains(contactIDs, p.ContactID) {
			contactIDs = append(contactIDs, p.ContactID)
		}
		for _, ref := range p.Lineage {
			missing = missing || !known[ref.VersionID]
		}
	}
	missing = missing || (v.PreviousID != "" && !known[v.PreviousID])
	var (
		parties  []*parley.Party
		sources  []*parley.Source
		contacts []*parley.Contact
		plans    = []*parley.Plan{plan}
		err      error
	)
	if needParties {
		if parties, err = s.svc.Parties.FindParties(ctx, plan.ProcessID); err != nil {
			return nil, err
		}
	}
	if sources, err = s.findSources(ctx, plan.ProcessID, sourceIDs); err != nil {
		return nil, err
	}
	if contacts, err = s.findContacts(ctx, plan.ProcessID, contactIDs); err != nil {
		return nil, err
	}
	n := newNames(parties, nil, nil, sources, contacts, plans)
	if missing && plan.TemplateID != "" { // points that came from another plan: the template, usually
		tpl, err := s.svc.Plans.FindPlanByID(ctx, plan.TemplateID)
		if err != nil && parley.ErrorCode(err) != parley.ENOTFOUND {
			return nil, err
		}
		if tpl != nil {
			n.addPlans(tpl)
		}
		missing = slices.ContainsFunc(v.Points, func(p *parley.Point) bool {
			return slices.ContainsFunc(p.Lineage, func(ref parley.PointRef) bool { return n.versions[ref.VersionID].Label == "" })
		})
	}
	if missing { // or any other plan of the process
		if plans, err = s.svc.Plans.FindPlans(ctx, plan.ProcessID); err != nil {
			return nil, err
		}
		n.addPlans(plans...)
	}
	return n, nil
}

// findContacts reads the contacts of a process with the given IDs (see
// findSome). Contacts carry transcripts, which a page of names does not
// need, so they are read one by one only while they are few.
func (s *Server) findContacts(ctx context.Context, processID string, ids []string) ([]*parley.Contact, error) {
	return findSome(ctx, ids, maxContactsOneByOne, s.svc.Contacts.FindContactByID,
		func() ([]*parley.Contact, error) { return s.svc.Contacts.FindContacts(ctx, processID) })
}

// findSources reads the sources of a process with the given IDs (see
// findSome).
func (s *Server) findSources(ctx context.Context, processID string, ids []string) ([]*parley.Source, error) {
	return findSome(ctx, ids, maxSourcesOneByOne, s.svc.Sources.FindSourceByID,
		func() ([]*parley.Source, error) { return s.svc.Sources.FindSources(ctx, processID) })
}

// findSome reads the records with the given IDs one by one when they are
// at most max, else all of the process's at once; a record the reader may
// not see is left out. Read one by one, a page depends on those records
// only, and a kept drawing of it stays current while others are added
// (see serveDrawn); a process gains contacts and sources all the time.
func findSome[T any](ctx context.Context, ids []string, max int, byID func(context.Context, string) (*T, error), all func() ([]*T, error)) ([]*T, error) {
	if len(ids) > max {
		return all()
	}
	var out []*T
	for _, id := range ids {
		r, err := byID(ctx, id)
		switch {
		case parley.ErrorCode(err) == parley.ENOTFOUND:
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// How many contacts and sources findContacts and findSources read one by
// one before they read them all at once.
const (
	maxContactsOneByOne = 4
	maxSourcesOneByOne  = 24
)

// pointTree arranges a version's points, which are in document order
// with their depths, into a tree under their group headings, resolving
// their references into names and links.
func pointTree(v *parley.Version, n *names) []pointGroup {
	var groups []pointGroup
	var stack []*pointNode
	for k, p := range v.Points {
		node := &pointNode{Point: p, Anchor: pointAnchor(p.ID), HistoryURL: pointPageURL(v.ID, p.ID, "history"),
			EditURL: pointPageURL(v.ID, p.ID, "edit"), IsFirstPlan: v.PreviousID == ""}
		for _, ref := range p.Lineage {
			node.Lineage = append(node.Lineage, lineageLink{PointID: ref.PointID, Version: n.Version(ref.VersionID),
				Plan: n.VersionPlan(ref.VersionID), URL: pointURL(ref.VersionID, ref.PointID)})
		}
		if p.ProposedBy != "" {
			node.ProposedBy = n.Party(p.ProposedBy)
		}
		if p.ContactID != "" {
			node.Contact, node.ContactURL = n.Contact(p.ContactID), contactURL(p.ContactID)
		}
		for _, id := range p.SourceIDs {
			node.Sources = append(node.Sources, n.Source(id))
		}
		for len(stack) > 0 && stack[len(stack)-1].Depth >= p.Depth {
			stack = stack[:len(stack)-1]
		}
		switch {
		case len(stack) > 0:
			parent := stack[len(stack)-1]
			parent.Children = append(parent.Children, node)
		case k == 0 || len(groups) == 0 || groups[len(groups)-1].Heading != p.Heading:
			groups = append(groups, pointGroup{Heading: p.Heading, Points: []*pointNode{node}})
		default:
			g := &groups[len(groups)-1]
			g.Points = append(g.Points, node)
		}
		stack = append(stack, node)
	}
	return groups
}
