package parley

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Plan is a line of drafts: the versions of one plan, in order.
type Plan struct {
	ID        string `json:"id"`
	ProcessID string `json:"process_id"`
	Title     string `json:"title"`
	// TemplateID is the plan whose structure this one started from, if
	// any (the Gaza plan was proposed as the model for Ukraine's).
	TemplateID     string         `json:"template_id,omitempty"`
	Classification Classification `json:"classification"`
	Created        time.Time      `json:"created"`
	// Versions are the plan's versions in order (by date, then by when
	// they were added), without their text and points. Stores fill them
	// in when they return a plan; they are ignored when a plan is
	// created or updated.
	Versions []*Version `json:"versions,omitempty"`
}

// Validate checks a plan before it is stored.
func (p *Plan) Validate() error {
	var errs problems
	errs.add(checkName("title", p.Title))
	errs.add(p.Classification.Validate())
	return errs.err()
}

// VersionStatus is where a version stands.
type VersionStatus string

// The statuses of a version.
const (
	Draft      VersionStatus = "draft"
	Tabled     VersionStatus = "tabled"
	Agreed     VersionStatus = "agreed"
	Superseded VersionStatus = "superseded"
	Leaked     VersionStatus = "leaked"
)

// Version is one text of a plan. It is immutable once created. A version
// whose text is unknown (the 19-point Geneva revision) records only its
// point count and the changes reported about it.
type Version struct {
	ID     string `json:"id"`
	PlanID string `json:"plan_id"`
	Label  string `json:"label"`
	// Date is the day the version was tabled, leaked or reported.
	Date          time.Time     `json:"date"`
	AuthorPartyID string        `json:"author_party_id,omitempty"`
	Status        VersionStatus `json:"status"`
	// Text is the raw text as given; empty when TextUnknown.
	Text        string `json:"text,omitempty"`
	TextUnknown bool   `json:"text_unknown,omitempty"`
	// PointCount and ReportedChanges describe a version whose text is
	// unknown.
	PointCount      int      `json:"point_count,omitempty"`
	ReportedChanges string   `json:"reported_changes,omitempty"`
	SourceIDs       []string `json:"source_ids,omitempty"`
	// Points are the parsed points, in document order (a parent before
	// its sub-points). Stores set them from Text when a version is created.
	Points []*Point `json:"points,omitempty"`
	// Warnings are the parser's warnings about the numbering, with line
	// and column, set when the version is created.
	Warnings []string `json:"warnings,omitempty"`
	// PreviousID is the version the lineage of the points was computed
	// against: the plan's previous version with a known text or, for the
	// first version of a plan started from a template, the template's
	// latest version. Set when the version is created.
	PreviousID     string         `json:"previous_id,omitempty"`
	Classification Classification `json:"classification"`
	Created        time.Time      `json:"created"`
}

// Validate checks a version before it is stored.
func (v *Version) Validate() error {
	var errs problems
	errs.add(checkName("label", v.Label))
	if v.Date.IsZero() {
		errs.add(FieldErrorf("date", "date is required"))
	}
	errs.add(checkOneOf("status", "status", v.Status, Draft, Tabled, Agreed, Superseded, Leaked))
	switch {
	case v.TextUnknown && v.Text != "":
		errs.add(FieldErrorf("text", "a version whose text is unknown has no text"))
	case v.TextUnknown && v.PointCount <= 0:
		errs.add(FieldErrorf("point_count", "a version whose text is unknown needs its reported number of points"))
	case !v.TextUnknown && v.Text == "":
		errs.add(FieldErrorf("text", "text is required (or mark the text as unknown)"))
	}
	errs.add(checkLen("text", v.Text, MaxTextLen))
	errs.add(checkLen("reported_changes", v.ReportedChanges, MaxSummaryLen))
	errs.add(checkRefs("source_ids", v.SourceIDs))
	errs.add(v.Classification.Validate())
	return errs.err()
}

// Point returns the point of the version with the given ID, or nil.
func (v *Version) Point(id string) *Point {
	for _, p := range v.Points {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// PointRef names a point of a version.
type PointRef struct {
	VersionID string `json:"version_id"`
	PointID   string `json:"point_id"`
}

// Point is one provision of a version, as parsed from its text.
type Point struct {
	// ID is the point's label path in its version ("10.b"), as defined by
	// package plantext.
	ID      string `json:"id"`
	Label   string `json:"label"`
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
	Depth   int    `json:"depth"`
	// Origin is the point as first numbered, kept through renumbering
	// (like Akoma Ntoso's wId): the origin of the first point of its
	// lineage, or the point itself when it has none.
	Origin PointRef `json:"origin"`
	Tags   []string `json:"tags,omitempty"`
	// Lineage lists the points of the previous version this one came
	// from (several for a merge, none for a new point). Stores compute
	// it with package compare when the version is created; people correct
	// it by hand.
	Lineage []PointRef `json:"lineage,omitempty"`
	// Provenance: who proposed the point, where, and on what evidence.
	ProposedBy string   `json:"proposed_by,omitempty"`
	ContactID  string   `json:"contact_id,omitempty"`
	SourceIDs  []string `json:"source_ids,omitempty"`
}

// PointUpdate lists the annotations of a point to change; nil fields stay.
// A point's label and text never change: versions are immutable.
type PointUpdate struct {
	Tags       *[]string   `json:"tags,omitempty"`
	Lineage    *[]PointRef `json:"lineage,omitempty"`
	ProposedBy *string     `json:"proposed_by,omitempty"`
	ContactID  *string     `json:"contact_id,omitempty"`
	SourceIDs  *[]string   `json:"source_ids,omitempty"`
}

// PointStep is one version in the history of a point: the version and the
// point or points that carry it there (two or more after a split, or
// before a merge).
type PointStep struct {
	Version *Version `json:"version"` // without text and points
	Points  []*Point `json:"points"`
}

// Topics returns the built-in topic tags; a process may add its own.
func Topics() []string {
	return []string{
		"ceasefire", "territory", "security guarantees", "military limits", "alliances",
		"sanctions and economy", "reconstruction", "assets", "humanitarian and prisoners",
		"rights and minorities", "elections and governance", "justice and amnesty", "nuclear",
		"implementation and monitoring",
	}
}

// IsTopic reports whether tag is a built-in topic.
func IsTopic(tag string) bool { return slices.Contains(Topics(), tag) }

// TemplateText returns the skeleton of a new plan modelled on version v of
// another plan: its title, its group headings in order and one numbered
// line per top-level point naming the point's topics, for the drafter to
// fill in. Sub-points and wording are left out: a template lends
// structure, not text.
func TemplateText(title string, v *Version) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title + "\n\n")
	}
	heading, n := "", 0
	for _, p := range v.Points {
		if p.Depth > 0 {
			continue
		}
		if p.Heading != heading && p.Heading != "" {
			fmt.Fprintf(&b, "\n## %s\n\n", p.Heading)
		}
		heading = p.Heading
		n++
		topics := "no topic"
		if len(p.Tags) > 0 {
			topics = strings.Join(p.Tags, ", ")
		}
		fmt.Fprintf(&b, "%d. [%s; modelled on point %s]\n", n, topics, p.ID)
	}
	return b.String()
}
