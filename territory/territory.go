// Package territory connects the domain's territorial records to package
// geo: it resolves each provision of a version to an area, paints the
// provisions so that no area counts twice, sums areas by status and by
// party, compares two versions, and builds the maps.
//
// A version's provisions may overlap: "Donetsk recognised de facto as
// Russian" covers the whole region, and "the part of Donetsk held by
// Ukraine becomes a buffer zone" a part of it. The more specific provision
// wins where they overlap: provisions are painted from the largest area to
// the smallest, each over the ones before. What no provision covers keeps
// the state the process records for its region (Region.DeJureID and
// DeFactoID), and has no status.
package territory

import (
	"cmp"
	"fmt"
	"slices"

	"parley"
	"parley/geo"
)

// Base is a process's map: its regions and lines.
type Base struct {
	Regions []*parley.Region
	Lines   []*parley.Line
	regions map[string]*parley.Region
	lines   map[string]*parley.Line
}

// NewBase indexes a process's regions and lines.
func NewBase(regions []*parley.Region, lines []*parley.Line) *Base {
	b := &Base{Regions: regions, Lines: lines, regions: map[string]*parley.Region{}, lines: map[string]*parley.Line{}}
	for _, r := range regions {
		b.regions[r.ID] = r
	}
	for _, l := range lines {
		b.lines[l.ID] = l
	}
	return b
}

// Region returns the region with the given ID, or nil.
func (b *Base) Region(id string) *parley.Region { return b.regions[id] }

// Line returns the line with the given ID, or nil.
func (b *Base) Line(id string) *parley.Line { return b.lines[id] }

// Sources lists where the map's regions and lines come from, each once:
// a region's source, a line's name with its source.
func (b *Base) Sources() []string {
	var out []string
	for _, r := range b.Regions {
		if r.Source != "" && !slices.Contains(out, r.Source) {
			out = append(out, r.Source)
		}
	}
	for _, l := range b.Lines {
		if s := l.Name + ": " + l.Source; l.Source != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Bounds returns the bounds of every region.
func (b *Base) Bounds() geo.Bounds {
	out := geo.EmptyBounds()
	for _, r := range b.Regions {
		out = out.Union(r.Area.Bounds())
	}
	return out
}

// Claim is a provision with the area it names.
type Claim struct {
	Provision *parley.Provision
	// Area is the area the provision names, and Km2 its size.
	Area geo.MultiPolygon
	Km2  float64
	// Shown is what is left of Area once the more specific provisions
	// are painted over it, and ShownKm2 its size: what the figures count.
	Shown    geo.MultiPolygon
	ShownKm2 float64
	// Err says why the area could not be resolved (a region or line
	// hidden from the reader, a line that misses the region); such a
	// claim has no area.
	Err error
}

// Remainder is the part of a region that no provision covers.
type Remainder struct {
	Region *parley.Region
	Area   geo.MultiPolygon
	Km2    float64
}

// Figure is an area in km² and its share of the base map.
type Figure struct {
	Km2   float64
	Share float64 // of the base map's area, 0–1
}

// PartyFigures are the areas a party holds in law and controls in fact
// under a version. PartyID "" stands for "not stated".
type PartyFigures struct {
	PartyID string
	DeJure  Figure
	DeFacto Figure
}

// StatusFigure is the area of one status under a version; Status "" is
// the area no provision covers.
type StatusFigure struct {
	Status parley.TerritoryStatus
	Figure
}

// Territory is what one version says of the base map.
type Territory struct {
	Base      *Base
	Claims    []*Claim
	Remainder []*Remainder
	// TotalKm2 is the area of the base map's regions.
	TotalKm2 float64
	ByStatus []StatusFigure
	ByParty  []PartyFigures
}

// Resolve reads a version's provisions against the base map: each
// provision's area, the painting, the remainder and the figures. It fails
// only when the geometry engine does; a provision that cannot be resolved
// is kept with its error.
func Resolve(b *Base, ps []*parley.Provision) (*Territory, error) {
	t := &Territory{Base: b}
	for _, p := range ps {
		c := &Claim{Provision: p}
		c.Area, c.Err = b.Zone(p)
		c.Km2 = geo.Area(c.Area)
		t.Claims = append(t.Claims, c)
	}
	if err := t.paint(); err != nil {
		return nil, err
	}
	if err := t.remainder(); err != nil {
		return nil, err
	}
	t.figures()
	return t, nil
}

// Zone resolves the area a provision names.
func (b *Base) Zone(p *parley.Provision) (geo.MultiPolygon, error) {
	if p.Partial {
		return nil, fmt.Errorf("part of what it names (a region or a line) is not shown to you")
	}
	z := geo.Zone{BufferKm: p.BufferKm, Drawn: p.Drawn}
	for _, id := range p.RegionIDs {
		r := b.Region(id)
		if r == nil {
			return nil, fmt.Errorf("region %q is not on the map", id)
		}
		z.Region = append(z.Region, r.Area...)
	}
	if p.LineID != "" {
		l := b.Line(p.LineID)
		if l == nil {
			return nil, fmt.Errorf("line %q is not on the map", p.LineID)
		}
		z.Line = l.Path
		switch p.Side {
		case parley.Left:
			z.Side = geo.Left
		case parley.Right:
			z.Side = geo.Right
		}
	}
	m, err := z.Resolve()
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("the area is empty: the line may miss the region")
	}
	return m, nil
}

// paint orders the claims from the largest area to the smallest (then by
// label) and paints each over the ones before. Only claims that can meet
// are laid over each other: a claim with regions lies inside them, so two
// such claims meet only when they share a region.
func (t *Territory) paint() error {
	order := slices.Clone(t.Claims)
	slices.SortStableFunc(order, func(a, b *Claim) int {
		if c := cmp.Compare(b.Km2, a.Km2); c != 0 {
			return c
		}
		return cmp.Compare(a.Provision.Label, b.Provision.Label)
	})
	for i, c := range order {
		var over []geo.MultiPolygon
		for _, later := range order[i+1:] {
			if len(later.Area) > 0 && mayMeet(c, later) {
				over = append(over, later.Area)
			}
		}
		c.Shown = c.Area
		if len(over) > 0 && len(c.Area) > 0 {
			cover, err := geo.Union(over...)
			if err != nil {
				return fmt.Errorf("territory: painting the provisions: %w", err)
			}
			if c.Shown, err = geo.Difference(c.Area, cover); err != nil {
				return fmt.Errorf("territory: painting the provisions: %w", err)
			}
		}
		c.ShownKm2 = geo.Area(c.Shown)
	}
	return nil
}

// mayMeet reports whether two claims may overlap: both with regions and
// one in common, or either drawn without regions and their bounds meet.
func mayMeet(a, b *Claim) bool {
	ra, rb := a.Provision.RegionIDs, b.Provision.RegionIDs
	if len(ra) > 0 && len(rb) > 0 {
		return slices.ContainsFunc(ra, func(id string) bool { return slices.Contains(rb, id) })
	}
	return a.Area.Bounds().Meets(b.Area.Bounds())
}

// remainder finds what of each region no provision covers. A region that
// no claim names, and no drawn claim reaches, is left whole without any
// overlay; one a claim covers whole is covered.
func (t *Territory) remainder() error {
	for _, r := range t.Base.Regions {
		km2 := geo.Area(r.Area)
		t.TotalKm2 += km2
		var over []geo.MultiPolygon
		whole := false
		for _, c := range t.Claims {
			if len(c.Area) == 0 {
				continue
			}
			p := c.Provision
			switch {
			case len(p.RegionIDs) == 0:
				if c.Area.Bounds().Meets(r.Area.Bounds()) {
					over = append(over, c.Area)
				}
			case slices.Contains(p.RegionIDs, r.ID):
				if p.LineID == "" && len(p.Drawn) == 0 {
					whole = true
				}
				over = append(over, c.Area)
			}
		}
		if whole {
			continue
		}
		left := r.Area
		if len(over) > 0 {
			cover, err := geo.Union(over...)
			if err != nil {
				return fmt.Errorf("territory: joining the provisions on region %s: %w", r.Code, err)
			}
			if left, err = geo.Difference(r.Area, cover); err != nil {
				return fmt.Errorf("territory: region %s less the provisions: %w", r.Code, err)
			}
			km2 = geo.Area(left)
		}
		if km2 >= minChangeKm2 {
			t.Remainder = append(t.Remainder, &Remainder{Region: r, Area: left, Km2: km2})
		}
	}
	return nil
}

// figures sums the painted areas by status and by party.
func (t *Territory) figures() {
	status := map[parley.TerritoryStatus]float64{}
	deJure, deFacto := map[string]float64{}, map[string]float64{}
	for _, c := range t.Claims {
		status[c.Provision.Status] += c.ShownKm2
		deJure[c.Provision.DeJureID] += c.ShownKm2
		deFacto[c.Provision.DeFactoID] += c.ShownKm2
	}
	for _, r := range t.Remainder {
		status[""] += r.Km2
		deJure[r.Region.DeJureID] += r.Km2
		deFacto[r.Region.DeFactoID] += r.Km2
	}
	for _, s := range append(parley.TerritoryStatuses(), "") {
		if km2, ok := status[s]; ok {
			t.ByStatus = append(t.ByStatus, StatusFigure{Status: s, Figure: t.figure(km2)})
		}
	}
	parties := map[string]bool{}
	for id := range deJure {
		parties[id] = true
	}
	for id := range deFacto {
		parties[id] = true
	}
	for _, id := range sortedKeys(parties) {
		t.ByParty = append(t.ByParty, PartyFigures{PartyID: id, DeJure: t.figure(deJure[id]), DeFacto: t.figure(deFacto[id])})
	}
}

// figure makes a figure of an area.
func (t *Territory) figure(km2 float64) Figure {
	f := Figure{Km2: km2}
	if t.TotalKm2 > 0 {
		f.Share = km2 / t.TotalKm2
	}
	return f
}

// sortedKeys returns the keys of a set in order, "" last.
func sortedKeys(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	return out
}
