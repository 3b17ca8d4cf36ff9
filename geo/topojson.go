package geo

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// TopoJSON keeps each border once, as an arc that the shapes on both
// sides refer to by index (~i for arc i walked backwards); it is how base
// maps usually ship. A topology's objects are read in the order of their
// names, geometry collections are flattened (their own ID and properties
// are dropped), and every area and line becomes a feature, checked as
// GeoJSON's are. Quantised arcs (with a "transform") are delta-decoded.

// ParseTopoJSON reads the areas and lines of a TopoJSON topology as
// features.
func ParseTopoJSON(data []byte, lim Limits) (*FeatureCollection, error) {
	rd, top, err := newReader(data, lim)
	if err != nil {
		return nil, err
	}
	return rd.topology(top)
}

// transform undoes the quantisation of arcs.
type transform struct {
	scale, translate [2]float64
}

// topology reads a Topology object.
func (rd *reader) topology(top span) (*FeatureCollection, error) {
	m, err := rd.members(top, "the topology")
	if err != nil {
		return nil, err
	}
	typ, err := rd.typeOf(m, "the topology")
	if err != nil {
		return nil, err
	}
	if typ != "Topology" {
		return nil, rd.fail("", "\"type\" is %q, not \"Topology\"", typ)
	}
	tf, err := rd.transform(m.transform)
	if err != nil {
		return nil, err
	}
	arcs, err := rd.arcs(m.arcs, tf)
	if err != nil {
		return nil, err
	}
	if !rd.isKind(m.objects, '{') {
		return nil, rd.fail("", "a Topology has \"objects\", an object of named geometries, not %s", rd.kind(m.objects))
	}
	objects := map[string]span{}
	_ = rd.eachMember(m.objects, func(key []byte, v span) error {
		objects[unquote(key)] = v
		return nil
	})
	names := make([]string, 0, len(objects))
	for k := range objects {
		names = append(names, k)
	}
	slices.Sort(names)
	fc := &FeatureCollection{}
	for _, name := range names {
		if err := rd.topoGeometry(objects[name], fmt.Sprintf("object %q", name), arcs, fc); err != nil {
			return nil, err
		}
	}
	return fc, nil
}

// transform reads a "transform" member, or nil when it is absent.
func (rd *reader) transform(v span) (*transform, error) {
	if !v.present() || rd.isKind(v, 'n') {
		return nil, nil
	}
	m, err := rd.members(v, "the \"transform\"")
	if err != nil {
		return nil, err
	}
	scale, ok1 := rd.pair(m.scale)
	translate, ok2 := rd.pair(m.translate)
	if !ok1 || !ok2 {
		return nil, rd.fail("", "a \"transform\" has \"scale\" and \"translate\", each an array of 2 numbers")
	}
	return &transform{scale: scale, translate: translate}, nil
}

// pair reads an array of exactly 2 finite numbers.
func (rd *reader) pair(v span) ([2]float64, bool) {
	var out [2]float64
	if !rd.isKind(v, '[') {
		return out, false
	}
	n, ok := 0, true
	_ = rd.each(v, func(i int, e span) error {
		n++
		x, good := rd.number(e)
		if !good || i > 1 {
			ok = false
			return nil
		}
		out[i] = x
		return nil
	})
	return out, ok && n == 2
}

// number reads a finite JSON number.
func (rd *reader) number(v span) (float64, bool) {
	if !rd.isNumber(v) {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(rd.data[v.a:v.b]), 64)
	return x, err == nil && !math.IsInf(x, 0)
}

// arcs reads and decodes the arcs of a topology.
func (rd *reader) arcs(v span, tf *transform) ([]Line, error) {
	if !rd.isKind(v, '[') {
		return nil, rd.fail("", "a Topology has \"arcs\", an array of arcs, not %s", rd.kind(v))
	}
	var arcs []Line
	err := rd.each(v, func(i int, a span) error {
		where := "arc " + strconv.Itoa(i)
		if !rd.isKind(a, '[') {
			return rd.fail(where, "%s, not an array of positions", rd.kind(a))
		}
		var l Line
		var x, y float64
		err := rd.each(a, func(k int, p span) error {
			at := where + ", position " + strconv.Itoa(k)
			rd.positions++
			if rd.lim.MaxPositions > 0 && rd.positions > rd.lim.MaxPositions {
				return rd.fail(at, "more than the %d positions allowed in all: the input is too large", rd.lim.MaxPositions)
			}
			q, err := rd.arcPosition(p, at)
			if err != nil {
				return err
			}
			if tf != nil {
				x, y = x+q[0], y+q[1]
				q = Point{x*tf.scale[0] + tf.translate[0], y*tf.scale[1] + tf.translate[1]}
			}
			if q[0] < -180 || q[0] > 180 || q[1] < -90 || q[1] > 90 {
				return rd.fail(at, "(%g, %g) is not a longitude in [-180, 180] and a latitude in [-90, 90]", q[0], q[1])
			}
			l = append(l, q)
			return nil
		})
		if err != nil {
			return err
		}
		if len(l) < 2 {
			return rd.fail(where, "an arc has at least 2 positions, not %d", len(l))
		}
		arcs = append(arcs, l)
		return nil
	})
	return arcs, err
}

// arcPosition reads the first two numbers of a position of an arc.
func (rd *reader) arcPosition(v span, where string) (Point, error) {
	if !rd.isKind(v, '[') {
		return Point{}, rd.fail(where, "%s, not a position [x, y]", rd.kind(v))
	}
	var q Point
	n := 0
	err := rd.each(v, func(i int, e span) error {
		x, ok := rd.number(e)
		if !ok {
			return rd.fail(where, "number %d of the position is %s, not a finite number", i, rd.kind(e))
		}
		if i < 2 {
			q[i] = x
		}
		n++
		return nil
	})
	if err == nil && n < 2 {
		err = rd.fail(where, "a position has 2 numbers, not %d", n)
	}
	return q, err
}

// topoGeometry adds a geometry, or the members of a collection, as
// features.
func (rd *reader) topoGeometry(v span, where string, arcs []Line, fc *FeatureCollection) error {
	rd.feature, rd.id = -1, ""
	m, err := rd.members(v, where)
	if err != nil {
		return err
	}
	if rd.isKind(m.typ, '"') && rd.isString(m.typ, "GeometryCollection") {
		if !rd.isKind(m.geometries, '[') {
			return rd.fail(where, "a GeometryCollection has \"geometries\", an array, not %s", rd.kind(m.geometries))
		}
		return rd.each(m.geometries, func(i int, g span) error {
			return rd.topoGeometry(g, fmt.Sprintf("%s, geometry %d", where, i), arcs, fc)
		})
	}
	rd.feature = len(fc.Features)
	rd.features++
	if rd.lim.MaxFeatures > 0 && rd.features > rd.lim.MaxFeatures {
		return rd.fail(where, "more than the %d features allowed", rd.lim.MaxFeatures)
	}
	f, err := rd.idAndProperties(m)
	if err != nil {
		return err
	}
	if !rd.isKind(m.typ, 'n') {
		typ, err := rd.typeOf(m, where)
		if err != nil {
			return err
		}
		if f.Geometry, err = rd.topoShape(m, typ, where, arcs); err != nil {
			return err
		}
	}
	fc.Features = append(fc.Features, f)
	return nil
}

// topoShape builds the area or lines of a geometry from its arcs.
func (rd *reader) topoShape(m members, typ, where string, arcs []Line) (Geometry, error) {
	names, ok := shapes[typ]
	switch {
	case typ == "Point" || typ == "MultiPoint":
		return Geometry{}, rd.fail(where, "a %s is not territory: give an area (Polygon or MultiPolygon) or a line (LineString or MultiLineString)", typ)
	case !ok:
		return Geometry{}, rd.fail(where, "unknown geometry type %q", typ)
	case !m.arcs.present():
		return Geometry{}, rd.fail(where, "a %s has \"arcs\"", typ)
	}
	// The arcs of a geometry nest as its GeoJSON coordinates do, with a
	// list of arc indices where a line or ring is.
	t, err := rd.arcTree(m.arcs, len(names)-1, where, names, nil)
	if err != nil {
		return Geometry{}, err
	}
	g := Geometry{Type: typ}
	switch typ {
	case "LineString":
		l, err := rd.join(t.ids, arcs, where)
		if err != nil {
			return Geometry{}, err
		}
		g.Lines = []Line{l}
	case "MultiLineString":
		for i, k := range t.kids {
			l, err := rd.join(k.ids, arcs, fmt.Sprintf("%s, line %d", where, i))
			if err != nil {
				return Geometry{}, err
			}
			g.Lines = append(g.Lines, l)
		}
	case "Polygon":
		p, err := rd.topoPolygon(t, arcs, where)
		if err != nil {
			return Geometry{}, err
		}
		g.Area = MultiPolygon{p}
	case "MultiPolygon":
		for i, k := range t.kids {
			p, err := rd.topoPolygon(k, arcs, fmt.Sprintf("%s, polygon %d", where, i))
			if err != nil {
				return Geometry{}, err
			}
			g.Area = append(g.Area, p)
		}
		if err := rd.checkArea(g.Area); err != nil {
			return Geometry{}, rd.placed(err, where)
		}
	}
	if len(g.Area) == 0 && len(g.Lines) == 0 {
		return Geometry{}, rd.fail(where, "a %s has at least one %s", typ, names[0])
	}
	return g, nil
}

// arcTree is the arc indices of a geometry as nested.
type arcTree struct {
	ids  []int
	kids []arcTree
}

// arcTree reads nested arrays of arc indices, depth levels above the
// lists of indices.
func (rd *reader) arcTree(v span, depth int, where string, names []string, path []int) (arcTree, error) {
	place := where
	for i, k := range path {
		place += fmt.Sprintf(", %s %d", names[i], k)
	}
	if !rd.isKind(v, '[') {
		return arcTree{}, rd.fail(place, "the arcs are %s, not an array", rd.kind(v))
	}
	var t arcTree
	err := rd.each(v, func(i int, e span) error {
		if depth > 0 {
			kid, err := rd.arcTree(e, depth-1, where, names, append(path[:len(path):len(path)], i))
			t.kids = append(t.kids, kid)
			return err
		}
		id, err := strconv.Atoi(string(rd.data[e.a:e.b]))
		if !rd.isNumber(e) || err != nil {
			return rd.fail(place, "arc index %d is %s, not an integer", i, rd.kind(e))
		}
		t.ids = append(t.ids, id)
		return nil
	})
	return t, err
}

// join follows arcs, by index (~i for arc i reversed), into one line; each
// arc starts where the one before it ends.
func (rd *reader) join(ids []int, arcs []Line, where string) (Line, error) {
	var out Line
	for _, id := range ids {
		k := id
		if k < 0 {
			k = ^k
		}
		if k >= len(arcs) {
			return nil, rd.fail(where, "arc %d does not exist: the topology has %d arcs", id, len(arcs))
		}
		a := arcs[k]
		if id < 0 {
			a = slices.Clone(a)
			slices.Reverse(a)
		}
		if len(out) > 0 {
			if last := out[len(out)-1]; a[0] != last {
				return nil, rd.fail(where, "arc %d starts at (%g, %g), not where the arc before it ends, (%g, %g)", id, a[0][0], a[0][1], last[0], last[1])
			}
			a = a[1:]
		}
		out = append(out, a...)
	}
	if len(out) < 2 {
		return nil, rd.fail(where, "a line has at least 2 positions, not %d", len(out))
	}
	return out, nil
}

// topoPolygon builds a polygon's rings from arcs and checks it.
func (rd *reader) topoPolygon(t arcTree, arcs []Line, where string) (Polygon, error) {
	if len(t.kids) == 0 {
		return nil, rd.fail(where, "a polygon has at least its exterior ring")
	}
	p := make(Polygon, len(t.kids))
	for i, k := range t.kids {
		l, err := rd.join(k.ids, arcs, fmt.Sprintf("%s, ring %d", where, i))
		if err != nil {
			return nil, err
		}
		p[i] = Ring(l)
	}
	if rd.trusted {
		return p, nil
	}
	if err := CheckPolygon(p); err != nil {
		return nil, rd.placed(err, where)
	}
	return p, nil
}
