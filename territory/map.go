package territory

import (
	"fmt"
	"slices"
	"strings"

	"parley"
	"parley/geo"
)

// Picture is what a map colours areas by. Parley shows the proposed
// status by default: the de jure and the de facto pictures are a reader's
// choice, since base maps and parties disagree on both.
type Picture string

// The pictures of a map.
const (
	ByStatus  Picture = "status"
	ByDeJure  Picture = "de_jure"
	ByDeFacto Picture = "de_facto"
)

// Pictures lists the pictures in the order a switch offers them.
func Pictures() []Picture { return []Picture{ByStatus, ByDeJure, ByDeFacto} }

// ParsePicture reads a picture, the status picture for "".
func ParsePicture(s string) (Picture, bool) {
	if s == "" {
		return ByStatus, true
	}
	p := Picture(s)
	return p, slices.Contains(Pictures(), p)
}

// Label names the picture for a switch.
func (p Picture) Label() string {
	switch p {
	case ByDeJure:
		return "Who holds it in law"
	case ByDeFacto:
		return "Who controls it in fact"
	}
	return "Proposed status"
}

// style is how a status is drawn: a light fill in the status picture and
// a pattern in every picture, so that statuses stay apart in greyscale
// print and under party colours.
type style struct {
	fill    string
	pattern geo.Pattern
}

// styles of the statuses, and of the areas no provision covers.
var styles = map[parley.TerritoryStatus]style{
	"":                        {"#f2f2ef", geo.PatternNone},
	parley.StatusUnchanged:    {"#d9d9d9", geo.PatternNone},
	parley.StatusFrozen:       {"#9ecae1", geo.PatternHorizontal},
	parley.StatusWithdrawal:   {"#c7e9c0", geo.PatternReverseDiagonal},
	parley.StatusBufferZone:   {"#fee391", geo.PatternCross},
	parley.StatusDeFacto:      {"#fdae6b", geo.PatternDiagonal},
	parley.StatusDeJure:       {"#e6550d", geo.PatternGrid},
	parley.StatusReturned:     {"#74c476", geo.PatternVertical},
	parley.StatusReferendum:   {"#bcbddc", geo.PatternDots},
	parley.StatusEconomicZone: {"#9e9ac8", geo.PatternDots},
}

// palette colours parties, in the order the process lists them; chosen to
// stay apart for readers with the common colour-vision deficiencies.
var palette = []string{"#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#0072b2", "#d55e00", "#f0e442", "#999999"}

// notStated is the colour of areas whose holder the version does not
// name.
const notStated = "#ffffff"

// Parties names and colours the parties of a process on maps.
type Parties struct {
	names  map[string]string
	colour map[string]string
}

// NewParties gives each party a colour, in the order given.
func NewParties(ps []*parley.Party) *Parties {
	out := &Parties{names: map[string]string{}, colour: map[string]string{}}
	for i, p := range ps {
		out.names[p.ID] = p.Name
		out.colour[p.ID] = palette[i%len(palette)]
	}
	return out
}

// Name returns a party's name, "not stated" for "", and "a party not
// shown" for one the reader may not see.
func (ps *Parties) Name(id string) string {
	if id == "" {
		return "not stated"
	}
	if n, ok := ps.names[id]; ok {
		return n
	}
	return "a party not shown"
}

// Colour returns a party's colour.
func (ps *Parties) Colour(id string) string {
	if c, ok := ps.colour[id]; ok {
		return c
	}
	return notStated
}

// StatusLabel is a status as a legend reads it, "no provision" for "".
func StatusLabel(s parley.TerritoryStatus) string {
	if s == "" {
		return "no provision"
	}
	return s.Label()
}

// MapOptions are what a map says about itself.
type MapOptions struct {
	ID, Title, Subtitle string
	Picture             Picture
	Parties             *Parties
	Width               int
	// Fit frames the map; empty frames the base map.
	Fit geo.Bounds
}

// Map draws a version's territory in one picture: the regions, each
// provision's painted area with its status's pattern, the lines, a legend
// and the sources of the base map.
func (t *Territory) Map(o MapOptions) *geo.Map {
	m := t.frame(o)
	legend := newLegend()
	for _, r := range t.Remainder {
		fill, label := t.fillFor(o, Reading{"", r.Region.DeJureID, r.Region.DeFactoID})
		m.Areas = append(m.Areas, geo.Shape{Area: r.Area, Fill: fill, Title: r.Region.Name + ": " + label})
		legend.add(fill, geo.PatternNone, label)
	}
	for _, c := range t.Claims {
		if len(c.Shown) == 0 {
			continue
		}
		p := c.Provision
		reading := Reading{p.Status, p.DeJureID, p.DeFactoID}
		fill, label := t.fillFor(o, reading)
		pat := styles[p.Status].pattern
		m.Areas = append(m.Areas, geo.Shape{Area: c.Shown, Fill: fill, Pattern: pat,
			Title: p.Label + ": " + describe(o, reading), Stroke: "#333333"})
		if o.Picture == ByStatus {
			legend.add(fill, pat, label)
		} else {
			legend.add(fill, geo.PatternNone, label)
			legend.add(notStated, pat, StatusLabel(p.Status))
		}
	}
	m.Legend = append(legend.items, t.lineLegend(m)...)
	return m
}

// fillFor returns the fill of a reading in the map's picture and what
// the legend says of it.
func (t *Territory) fillFor(o MapOptions, r Reading) (fill, label string) {
	switch o.Picture {
	case ByDeJure:
		return o.Parties.Colour(r.DeJureID), "held in law: " + o.Parties.Name(r.DeJureID)
	case ByDeFacto:
		return o.Parties.Colour(r.DeFactoID), "controlled in fact: " + o.Parties.Name(r.DeFactoID)
	}
	return styles[r.Status].fill, StatusLabel(r.Status)
}

// frame starts a map: title, base regions with their names, the lines and
// the sources.
func (t *Territory) frame(o MapOptions) *geo.Map {
	m := &geo.Map{ID: o.ID, Title: o.Title, Subtitle: o.Subtitle, Width: o.Width, Fit: o.Fit}
	if m.Fit.Empty() || m.Fit == (geo.Bounds{}) {
		m.Fit = t.Base.Bounds()
	}
	for _, r := range t.Base.Regions {
		m.Base = append(m.Base, geo.Shape{Area: r.Area, Label: r.Name, Title: r.Name})
	}
	for _, l := range t.Base.Lines {
		m.Lines = append(m.Lines, geo.Path{Line: l.Path, Label: l.Name, Stroke: "#b2182b", Dashed: true, Width: 2})
	}
	m.Source = strings.Join(t.Base.Sources(), " · ")
	return m
}

// lineLegend returns a legend item per line of the map.
func (t *Territory) lineLegend(m *geo.Map) []geo.LegendItem {
	var out []geo.LegendItem
	for _, p := range m.Lines {
		out = append(out, geo.LegendItem{Line: true, Dashed: p.Dashed, Stroke: p.Stroke, Label: p.Label})
	}
	return out
}

// legend collects a map's legend items, each once.
type legend struct {
	items []geo.LegendItem
	seen  map[string]bool
}

func newLegend() *legend { return &legend{seen: map[string]bool{}} }

// add adds an item unless one with the same look and label is there.
func (l *legend) add(fill string, p geo.Pattern, label string) {
	key := fmt.Sprint(fill, p, label)
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.items = append(l.items, geo.LegendItem{Fill: fill, Pattern: p, Label: label})
}

// DiffMap draws what changed from version a to version b: each change in
// b's reading, over the base map greyed.
func DiffMap(b *Territory, changes []*Change, o MapOptions) *geo.Map {
	m := b.frame(o)
	legend := newLegend()
	for _, c := range changes {
		fill, label := b.fillFor(o, c.To)
		_, was := b.fillFor(o, c.From)
		pat := styles[c.To.Status].pattern
		text := fmt.Sprintf("now %s; was %s", label, was)
		if o.Picture == ByStatus || c.From.Status != c.To.Status {
			text = fmt.Sprintf("now %s; was %s", describe(o, c.To), describe(o, c.From))
		}
		m.Areas = append(m.Areas, geo.Shape{Area: c.Area, Fill: fill, Pattern: pat, Title: fmt.Sprintf("%s (%.0f km²)", text, c.Km2),
			Stroke: "#000000"})
		legend.add(fill, pat, text)
	}
	m.Legend = append(legend.items, b.lineLegend(m)...)
	return m
}

// describe says a reading in full: its status, and the holders the
// picture is about.
func describe(o MapOptions, r Reading) string {
	s := StatusLabel(r.Status)
	switch o.Picture {
	case ByDeJure:
		s += ", held in law by " + o.Parties.Name(r.DeJureID)
	case ByDeFacto:
		s += ", controlled in fact by " + o.Parties.Name(r.DeFactoID)
	}
	return s
}

// StatusFill is the colour of a status in the status picture, for the
// swatches of tables.
func StatusFill(s parley.TerritoryStatus) string { return styles[s].fill }
