package territory

import (
	"cmp"
	"fmt"
	"slices"

	"parley"
	"parley/geo"
)

// Reading is what a version says of a piece of the map: a status (""
// where no provision covers it) and who holds it in law and controls it
// in fact.
type Reading struct {
	Status    parley.TerritoryStatus
	DeJureID  string
	DeFactoID string
}

// piece is a part of the map with one reading.
type piece struct {
	reading Reading
	area    geo.MultiPolygon
	bounds  geo.Bounds
}

// pieces cuts the base map into the parts of one reading: the painted
// claims, then what no provision covers.
func (t *Territory) pieces() []piece {
	var out []piece
	for _, c := range t.Claims {
		if len(c.Shown) > 0 {
			p := c.Provision
			out = append(out, piece{Reading{p.Status, p.DeJureID, p.DeFactoID}, c.Shown, c.Shown.Bounds()})
		}
	}
	for _, r := range t.Remainder {
		out = append(out, piece{Reading{"", r.Region.DeJureID, r.Region.DeFactoID}, r.Area, r.Area.Bounds()})
	}
	return out
}

// Change is an area that one version reads one way and another version
// another way.
type Change struct {
	From, To Reading
	Area     geo.MultiPolygon
	Km2      float64
}

// Diff returns the areas whose reading differs from version a to version
// b, one change per pair of readings, largest first. Both must be read
// against the same base map.
func Diff(a, b *Territory) ([]*Change, error) {
	byPair := map[[2]Reading][]geo.MultiPolygon{}
	pb := b.pieces()
	for _, x := range a.pieces() {
		for _, y := range pb {
			if x.reading == y.reading || !x.bounds.Meets(y.bounds) {
				continue
			}
			in, err := geo.Intersection(x.area, y.area)
			if err != nil {
				return nil, fmt.Errorf("territory: comparing the versions: %w", err)
			}
			if len(in) > 0 {
				k := [2]Reading{x.reading, y.reading}
				byPair[k] = append(byPair[k], in)
			}
		}
	}
	var out []*Change
	for k, parts := range byPair {
		area, err := geo.Union(parts...)
		if err != nil {
			return nil, fmt.Errorf("territory: joining a change: %w", err)
		}
		c := &Change{From: k[0], To: k[1], Area: area, Km2: geo.Area(area)}
		// Slivers where two drawings of one border disagree are not
		// changes a reader needs told about.
		if c.Km2 >= minChangeKm2 {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y *Change) int {
		if c := cmp.Compare(y.Km2, x.Km2); c != 0 {
			return c
		}
		return cmp.Compare(fmt.Sprint(x.From, x.To), fmt.Sprint(y.From, y.To))
	})
	return out, nil
}

// minChangeKm2 is the smallest change Diff reports.
const minChangeKm2 = 1
