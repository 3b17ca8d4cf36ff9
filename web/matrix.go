package web

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"parley"
)

// stanceLook is how a stance is drawn: a letter or symbol that says it
// in black and white, a word that says it in full, and the colours that
// say it at a glance.
type stanceLook struct {
	Stance parley.Stance
	// Letter is drawn in the matrix's cell; Word names the stance.
	Letter, Word string
	// Fill and Ink are the cell's background and the letter's colour.
	Fill, Ink string
	// Class styles the stance's badge on HTML pages ("stance-accepts").
	Class string
}

// stanceLooks are the looks of the stances, in the order of
// parley.Stances. Each letter differs from the others, so that a printed
// matrix or a reader who cannot tell the colours apart loses nothing.
var stanceLooks = map[parley.Stance]stanceLook{
	parley.Accepts:            {parley.Accepts, "A", "accepts", "#cdebd5", "#0f5e28", "stance-accepts"},
	parley.AcceptsWithChanges: {parley.AcceptsWithChanges, "C", "accepts with changes", "#f3f0c2", "#4d4a00", "stance-changes"},
	parley.Rejects:            {parley.Rejects, "R", "rejects", "#f6d2cf", "#7a1510", "stance-rejects"},
	parley.RedLine:            {parley.RedLine, "!", "red line", "#8f1a13", "#ffffff", "stance-red-line"},
	parley.NoPosition:         {parley.NoPosition, "–", "no position", "#e4e6ea", "#3c4043", "stance-none"},
}

// noRecord is the look of a cell without a position: the party has not
// recorded one, or the reader may not see it. It differs from "no
// position", which a party records on purpose.
var noRecord = stanceLook{Letter: "", Word: "no position recorded", Fill: "#ffffff", Ink: "#5f6368", Class: "stance-unrecorded"}

// lookOf returns the look of a stored position, or of no record for nil.
func lookOf(p *parley.Position) stanceLook {
	if p == nil {
		return noRecord
	}
	if l, ok := stanceLooks[p.Stance]; ok {
		return l
	}
	// A stance this page does not know is shown by its name.
	return stanceLook{Stance: p.Stance, Letter: "?", Word: words(string(p.Stance)), Fill: "#ffffff", Ink: "#1a1a1a", Class: "stance-other"}
}

// stanceLegend lists the looks in the order the legend shows them, the
// cell without a record last.
func stanceLegend() []stanceLook {
	out := make([]stanceLook, 0, len(stanceLooks)+1)
	for _, s := range parley.Stances() {
		out = append(out, stanceLooks[s])
	}
	return append(out, noRecord)
}

// positionIndex finds the positions of one version by point and party.
type positionIndex map[string]map[string]*parley.Position

// indexPositions indexes positions by point and party.
func indexPositions(positions []*parley.Position) positionIndex {
	ix := positionIndex{}
	for _, p := range positions {
		if ix[p.PointID] == nil {
			ix[p.PointID] = map[string]*parley.Position{}
		}
		ix[p.PointID][p.PartyID] = p
	}
	return ix
}

// at returns the position of a party on a point, or nil.
func (ix positionIndex) at(pointID, partyID string) *parley.Position { return ix[pointID][partyID] }

// inherited returns the position of a party on a point or, failing that,
// on the nearest point above it ("10" for "10.a"): a position on a point
// speaks for its sub-points until the party takes one on a sub-point.
func (ix positionIndex) inherited(pointID, partyID string) *parley.Position {
	for {
		if p := ix.at(pointID, partyID); p != nil {
			return p
		}
		cut := strings.LastIndexByte(pointID, '.')
		if cut < 0 {
			return nil
		}
		pointID = pointID[:cut]
	}
}

// matrixParties are the columns of a matrix: the parties the reader may
// see, in the order the store lists them, that hold a position the reader
// may see on one of the versions shown, and the parties whose positions
// the reader may set (for a mediator every party but the mediating ones,
// which rarely take sides; for a delegate its own). A column of empty
// cells would keep every point from counting as accepted by all, though
// the reader merely may not see that party's positions.
func matrixParties(parties []*parley.Party, acc parley.Access, positions ...[]*parley.Position) []*parley.Party {
	holds := map[string]bool{}
	for _, ps := range positions {
		for _, p := range ps {
			holds[p.PartyID] = true
		}
	}
	var out []*parley.Party
	for _, p := range parties {
		sets := (acc.Mediator() && p.Kind != parley.Mediator) || (acc.Role == parley.RoleDelegate && acc.PartyID == p.ID)
		if holds[p.ID] || sets {
			out = append(out, p)
		}
	}
	return out
}

// consensusCounts sum up a matrix: how many points every party shown
// accepts, each party's stances, and the points that are red lines for
// someone.
type consensusCounts struct {
	// Points counts the points weighed: every top-level point, and the
	// sub-points on which some party shown has a position. A position
	// on "10. Terms of the guarantee" speaks for its sub-points a) to d);
	// counting them as unrecorded would make no point with sub-points
	// ever accepted by all.
	Points int
	// AcceptedByAll counts the points every party shown accepts, with or
	// without changes; Unchanged those every party accepts as they are.
	// Both are 0 when no party is shown.
	AcceptedByAll, Unchanged int
	// RedLinePoints counts the points that are a red line for at least
	// one party.
	RedLinePoints int
	Parties       []partyCounts
	RedLines      []redLinePoint
	// Unweighed names the parties shown without any position on the
	// version: "accepted by all" speaks of the others, since a party
	// that has not yet said anything neither accepts nor refuses.
	Unweighed []string
}

// partyCounts are one party's stances on the points of a version.
type partyCounts struct {
	Party *parley.Party
	// Accepted counts accepts and accepts with changes; WithChanges the
	// latter alone.
	Accepted, WithChanges, Rejects, RedLines, NoPosition int
	// Unrecorded counts the points without a position the reader may
	// see.
	Unrecorded int
}

// redLinePoint is a point that is a red line for some parties.
type redLinePoint struct {
	Point   *parley.Point
	Name    string // the point's label without its final dot
	URL     string
	Parties []string
}

// countConsensus counts the stances of parties on the points of version
// v.
func countConsensus(v *parley.Version, parties []*parley.Party, ix positionIndex) consensusCounts {
	c := consensusCounts{Parties: make([]partyCounts, len(parties))}
	for k, party := range parties {
		c.Parties[k].Party = party
	}
	weighed := map[string]bool{}
	for _, party := range parties {
		for _, pt := range v.Points {
			if ix.at(pt.ID, party.ID) != nil {
				weighed[party.ID] = true
				break
			}
		}
		if !weighed[party.ID] {
			c.Unweighed = append(c.Unweighed, party.Name)
		}
	}
	for _, pt := range v.Points {
		if pt.Depth > 0 && !slices.ContainsFunc(parties, func(p *parley.Party) bool { return ix.at(pt.ID, p.ID) != nil }) {
			continue
		}
		c.Points++
		all, unchanged := len(weighed) > 0, len(weighed) > 0
		var red []string
		for k, party := range parties {
			pc := &c.Parties[k]
			pos := ix.inherited(pt.ID, party.ID)
			if pos == nil {
				pc.Unrecorded++
				if weighed[party.ID] {
					all, unchanged = false, false
				}
				continue
			}
			switch pos.Stance {
			case parley.Accepts:
				pc.Accepted++
			case parley.AcceptsWithChanges:
				pc.Accepted++
				pc.WithChanges++
			case parley.Rejects:
				pc.Rejects++
			case parley.RedLine:
				pc.RedLines++
				red = append(red, party.Name)
			default:
				pc.NoPosition++
			}
			all = all && pos.Stance.Accepted()
			unchanged = unchanged && pos.Stance == parley.Accepts
		}
		if all {
			c.AcceptedByAll++
		}
		if unchanged {
			c.Unchanged++
		}
		if len(red) > 0 {
			c.RedLinePoints++
			c.RedLines = append(c.RedLines, redLinePoint{Point: pt, Name: pointName(pt), URL: pointURL(v.ID, pt.ID), Parties: red})
		}
	}
	return c
}

// matrixCell is one party's position on one point, as the matrix shows
// it.
type matrixCell struct {
	Party    *parley.Party
	Position *parley.Position // nil when there is none the reader may see
	Look     stanceLook
	// Title says the cell in words: party, point, stance and the first
	// words of the note; Label names the cell: party and point.
	Title, Label string
	// Href is the form that sets the position, for a reader who may;
	// empty otherwise.
	Href string
}

// matrixRow is one point of the matrix.
type matrixRow struct {
	Point *parley.Point
	URL   string // the point on its version's page
	// Anchor is the id of the point's row in the matrix's table.
	Anchor string
	Cells  []matrixCell
}

// matrix is the consensus matrix of a version: its points by the parties
// shown.
type matrix struct {
	Version *parley.Version
	Parties []*parley.Party
	Rows    []matrixRow
	// Writes: some cell links to the form, for a reader who may set
	// positions.
	Writes bool
}

// newMatrix lays out the positions of the parties on the points of v.
// mayWrite says whether the reader may set a party's positions, so that
// only the cells they may change link to the form.
func newMatrix(v *parley.Version, parties []*parley.Party, ix positionIndex, mayWrite func(partyID string) bool) *matrix {
	m := &matrix{Version: v, Parties: parties, Rows: make([]matrixRow, len(v.Points))}
	for k, pt := range v.Points {
		row := matrixRow{Point: pt, URL: pointURL(v.ID, pt.ID), Anchor: matrixRowAnchor(pt.ID), Cells: make([]matrixCell, len(parties))}
		for j, party := range parties {
			pos := ix.at(pt.ID, party.ID)
			cell := matrixCell{Party: party, Position: pos, Look: lookOf(pos)}
			cell.Label = party.Name + " on point " + pointName(pt)
			cell.Title = cell.Label + ": " + cell.Look.Word
			if pos != nil && pos.Note != "" {
				cell.Title += ". " + firstWords(pos.Note, 90)
			}
			if mayWrite(party.ID) {
				cell.Href = positionFormURL(v.ID, pt.ID, party.ID)
				m.Writes = true
			}
			row.Cells[j] = cell
		}
		m.Rows[k] = row
	}
	return m
}

// pointName names a point by its label, or its ID when it has none.
func pointName(p *parley.Point) string {
	if p.Depth > 0 {
		// "a)" alone does not say which point it belongs to; the ID does
		// ("10.a").
		return p.ID
	}
	if l := strings.TrimSpace(p.Label); l != "" {
		return strings.TrimSuffix(l, ".")
	}
	return p.ID
}

// firstWords cuts a text to at most n characters, at a space when there
// is one, with an ellipsis when it was cut; line breaks become spaces.
func firstWords(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cutAt := len(r)
	for i := len(r) - 1; i > n/2; i-- {
		if r[i] == ' ' {
			cutAt = i
			break
		}
	}
	return strings.TrimSpace(string(r[:cutAt])) + "…"
}

// Geometry of the matrix, in SVG user units (pixels at 100%).
const (
	mxLabelW   = 390 // the points' labels and first words
	mxCellW    = 62
	mxCellH    = 26
	mxHeaderH  = 132 // the parties' names, slanted
	mxPad      = 8
	mxLegendH  = 26 // one row of the legend
	mxLegendW  = 214
	mxMinWidth = 560
	mxLabelLen = 52 // characters of a point's text in its label
	mxNameLen  = 20 // characters of a party's name in its heading
	mxIndent   = 14 // per level of a sub-point
	mxInk      = "#1a1a1a"
	mxMuted    = "#5f6368"
	mxRule     = "#c8ccd2"
)

// svg draws the matrix as an inline SVG: a row per point (label and first
// words, linking to the point), a column per party, a cell per position
// with its colour and letter, a title per cell and a legend. Every text
// is escaped; nothing in it is a script or a style.
func (m *matrix) svg() template.HTML {
	cols := len(m.Parties)
	gridW := mxLabelW + cols*mxCellW
	width := max(gridW+mxPad*2, mxMinWidth)
	// The slanted names reach right of their columns: at most about 8.5
	// units a character (bold), at 40°.
	for j, p := range m.Parties {
		reach := mxLabelW + j*mxCellW + mxCellW/2 + int(float64(utf8.RuneCountInString(firstWords(p.Name, mxNameLen))*17/2+8)*0.77)
		width = max(width, reach+mxPad)
	}
	legend := stanceLegend()
	perRow := max(1, (width-2*mxPad)/mxLegendW)
	legendRows := (len(legend) + perRow - 1) / perRow
	gridTop := mxHeaderH
	gridBottom := gridTop + len(m.Rows)*mxCellH
	legendTop := gridBottom + 20
	height := legendTop + legendRows*mxLegendH + mxPad

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="matrix" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-labelledby="matrix-title matrix-desc" font-family="system-ui, sans-serif" font-size="13">`,
		width, height, width, height)
	b.WriteString("\n")
	fmt.Fprintf(&b, `<title id="matrix-title">Consensus matrix of %s: the stance of each party on each point</title>`, xmlText(m.Version.Label))
	fmt.Fprintf(&b, `<desc id="matrix-desc">%s</desc>`+"\n", xmlText(m.desc()))

	// The parties' names, slanted so that long names fit above narrow
	// columns; the whole name is the heading's title.
	for j, p := range m.Parties {
		x := mxLabelW + j*mxCellW + mxCellW/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" transform="rotate(-40 %d %d)" fill="%s" font-weight="600"><title>%s</title>%s</text>`+"\n",
			x, gridTop-8, x, gridTop-8, mxInk, xmlText(p.Name), xmlText(firstWords(p.Name, mxNameLen)))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s" font-weight="600">Point</text>`+"\n", mxPad, gridTop-8, mxInk)

	for i, row := range m.Rows {
		y := gridTop + i*mxCellH
		if i%2 == 1 {
			fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d" height="%d" fill="#f4f5f7"/>`+"\n", y, gridW, mxCellH)
		}
		indent := mxPad + min(row.Point.Depth, 4)*mxIndent
		label := pointName(row.Point)
		room := mxLabelLen - min(row.Point.Depth, 4)*2 - utf8.RuneCountInString(label)
		fmt.Fprintf(&b, `<a href="%s"><title>Point %s: %s</title><text x="%d" y="%d" dy="17" fill="%s"><tspan font-weight="600">%s</tspan> %s</text></a>`+"\n",
			xmlText(row.URL), xmlText(label), xmlText(firstWords(row.Point.Text, 300)), indent, y, mxInk,
			xmlText(label), xmlText(firstWords(row.Point.Text, max(room, 8))))
		for j, cell := range row.Cells {
			x := mxLabelW + j*mxCellW
			m.writeCell(&b, cell, x+3, y+3, mxCellW-6, mxCellH-6)
		}
	}
	// The grid's rules: under the headings and between the columns.
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="%s"/>`+"\n", gridTop, gridW, gridTop, mxInk)
	for j := 0; j <= cols; j++ {
		x := mxLabelW + j*mxCellW
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`+"\n", x, gridTop, x, gridBottom, mxRule)
	}

	fmt.Fprintf(&b, `<g class="legend"><text x="%d" y="%d" fill="%s" font-weight="600">Key</text>`+"\n", mxPad, legendTop-4, mxInk)
	for k, l := range legend {
		x := mxPad + (k%perRow)*mxLegendW
		y := legendTop + (k/perRow)*mxLegendH + 4
		writeSample(&b, l, x, y, 30, mxCellH-8)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dy="14" fill="%s">%s</text>`+"\n", x+38, y, mxInk, xmlText(l.Word))
	}
	b.WriteString("</g>\n</svg>")
	return template.HTML(b.String()) // every text above went through xmlText
}

// writeCell draws one cell: a link to the form when the reader may set
// the position, with the cell's title.
func (m *matrix) writeCell(b *strings.Builder, c matrixCell, x, y, w, h int) {
	if c.Href != "" {
		fmt.Fprintf(b, `<a href="%s">`, xmlText(c.Href))
	} else {
		b.WriteString("<g>")
	}
	fmt.Fprintf(b, `<title>%s</title>`, xmlText(c.Title))
	writeSample(b, c.Look, x, y, w, h)
	if c.Href != "" {
		b.WriteString("</a>\n")
	} else {
		b.WriteString("</g>\n")
	}
}

// writeSample draws the box of a stance with its letter: filled and
// framed for a recorded stance (a red line with a thick frame), dashed
// and empty for no record.
func writeSample(b *strings.Builder, l stanceLook, x, y, w, h int) {
	switch {
	case l.Stance == "":
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="%s" stroke-dasharray="3 3"/>`, x, y, w, h, l.Fill, mxMuted)
	case l.Stance == parley.RedLine:
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="%s" stroke-width="2.5"/>`, x, y, w, h, l.Fill, mxInk)
	default:
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="%s"/>`, x, y, w, h, l.Fill, l.Ink)
	}
	if l.Letter != "" {
		fmt.Fprintf(b, `<text x="%d" y="%d" dy="5" text-anchor="middle" fill="%s" font-weight="700" font-size="14">%s</text>`,
			x+w/2, y+h/2, l.Ink, xmlText(l.Letter))
	}
}

// desc sums the matrix up in words, for screen readers.
func (m *matrix) desc() string {
	var names []string
	for _, p := range m.Parties {
		names = append(names, p.Name)
	}
	d := plural(len(m.Rows), "point", "points") + " by " + plural(len(m.Parties), "party", "parties")
	if len(names) > 0 {
		d += " (" + strings.Join(names, ", ") + ")"
	}
	return d + ". Each cell shows the party's stance by a letter and a colour: A accepts, C accepts with changes, R rejects, ! red line, – no position; an empty dashed cell has no position recorded."
}

// xmlText escapes a text for an SVG's text or attribute, after dropping
// what XML cannot hold at all (control characters) and replacing bytes
// that are not UTF-8: the SVG must stay well-formed XML whatever a name or
// note holds.
func xmlText(s string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r == utf8.RuneError, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return template.HTMLEscapeString(clean)
}
