// Package lineage turns the text of a plan version into the domain's points
// and links them to the points of the version before, so that a point can
// be followed through every version of a plan. It is the one place where
// stores parse (with package plantext) and align (with package compare), so
// that every store computes the same points and the same lineage.
package lineage

import (
	"errors"
	"fmt"
	"slices"

	"parley"
	"parley/compare"
	"parley/plantext"
)

// MaxPoints bounds the points of one version: enough for any real plan,
// small enough that a pasted telephone directory is refused.
const MaxPoints = 5000

// Text is the parsed text of a version: its points and the parser's
// warnings.
type Text struct {
	// Points are in document order, parents before their sub-points, each
	// its own origin until linked.
	Points []*parley.Point
	// Warnings are the parser's warnings, with line and column.
	Warnings []string
	doc      *plantext.Document
}

// Parse parses the text of version id. A text that cannot be parsed or has
// no points is EINVALID about the field "text", with the line and column.
func Parse(id, text string) (*Text, error) {
	doc, err := parse(text)
	if err != nil {
		return nil, err
	}
	t := &Text{Points: points(id, doc), doc: doc}
	for _, w := range doc.Warnings {
		t.Warnings = append(t.Warnings, w.String())
	}
	return t, nil
}

// TopLevel counts the top-level points.
func (t *Text) TopLevel() int { return len(t.doc.Points) }

// parse parses a version's text, turning parse errors into
// EINVALID errors about the text that give the line and column.
func parse(text string) (*plantext.Document, error) {
	lim := plantext.DefaultLimits()
	lim.MaxPoints = MaxPoints
	doc, err := plantext.ParseLimits([]byte(text), lim)
	if err != nil {
		var pe *plantext.Error
		if errors.As(err, &pe) && pe.Line > 0 {
			return nil, parley.FieldErrorf("text", "line %d, column %d: %s", pe.Line, pe.Col, pe.Msg)
		}
		return nil, parley.FieldErrorf("text", "%v", err)
	}
	if len(doc.Points) == 0 {
		return nil, parley.FieldErrorf("text", "the text has no numbered points (a point starts a line with a label such as \"1.\", \"(a)\" or \"Point 1:\")")
	}
	return doc, nil
}

// points turns a parsed document into the points of version id, in
// document order, each its own origin until linked.
func points(id string, doc *plantext.Document) []*parley.Point {
	all := doc.All()
	points := make([]*parley.Point, len(all))
	for i, p := range all {
		points[i] = &parley.Point{ID: p.ID, Label: p.Label, Heading: p.Heading, Text: p.Text, Depth: p.Depth,
			Origin: parley.PointRef{VersionID: id, PointID: p.ID}}
	}
	return points
}

// Link sets the lineage, origin and inherited tags of the points by
// comparing prev (read with its text and points) with this text. A point
// gets the origin of the first point it came from and, when it has no tags
// of its own, the tags of all of them.
func (t *Text) Link(prev *parley.Version) error { return link(prev, t.doc, t.Points) }

// link is Link on a parsed text.
func link(prev *parley.Version, doc *plantext.Document, points []*parley.Point) error {
	old, err := plantext.Parse([]byte(prev.Text))
	if err != nil {
		return parley.Internal(fmt.Errorf("re-parsing version %s: %w", prev.ID, err))
	}
	before := map[string]*parley.Point{}
	for _, p := range prev.Points {
		before[p.ID] = p
	}
	now := map[string]*parley.Point{}
	for _, p := range points {
		now[p.ID] = p
	}
	report := compare.Compare(old, doc, compare.Options{})
	for _, pair := range report.Pairs {
		if len(pair.Old) == 0 || len(pair.New) == 0 {
			continue
		}
		for _, n := range pair.New {
			p := now[n]
			for _, o := range pair.Old {
				if from := before[o]; from != nil {
					p.Lineage = append(p.Lineage, parley.PointRef{VersionID: prev.ID, PointID: o})
				}
			}
			inherit(p, before)
		}
	}
	return nil
}

// inherit gives a point the origin of the first point it came from and,
// when it has no tags of its own, the tags of all the points it came from.
func inherit(p *parley.Point, from map[string]*parley.Point) {
	own := len(p.Tags) > 0
	for i, ref := range p.Lineage {
		f := from[ref.PointID]
		if f == nil {
			continue
		}
		if i == 0 {
			p.Origin = f.Origin
		}
		if !own {
			for _, t := range f.Tags {
				if !slices.Contains(p.Tags, t) {
					p.Tags = append(p.Tags, t)
				}
			}
		}
	}
}
