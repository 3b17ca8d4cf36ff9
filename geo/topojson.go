package geo

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// TopoJSON keeps each border once, as an arc that the shapes on both
// sides refer to; it is how base maps usually ship. Its geometries are
// read as GeoJSON's are, and checked the same way.

// topology is a TopoJSON document.
type topology struct {
	Type      string                     `json:"type"`
	Arcs      [][][]float64              `json:"arcs"`
	Transform *transform                 `json:"transform"`
	Objects   map[string]json.RawMessage `json:"objects"`
}

// transform undoes the quantisation of arcs.
type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

// topoGeometry is a geometry of a topology.
type topoGeometry struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties json.RawMessage `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []topoGeometry  `json:"geometries"`
}

// ParseTopoJSON reads the areas and lines of a TopoJSON topology: every
// geometry of every object (objects taken by name, collections
// flattened), as features.
func ParseTopoJSON(data []byte, lim Limits) (*FeatureCollection, error) {
	rd := &reader{data: data, lim: lim, feature: -1}
	if err := rd.checkSize(); err != nil {
		return nil, err
	}
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, rd.jsonError(data, err, "the topology")
	}
	if t.Type != "Topology" {
		return nil, rd.fail("", "\"type\" is %q, not \"Topology\"", t.Type)
	}
	arcs, err := rd.decodeArcs(t)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(t.Objects))
	for k := range t.Objects {
		names = append(names, k)
	}
	slices.Sort(names)
	fc := &FeatureCollection{}
	for _, name := range names {
		var g topoGeometry
		if err := json.Unmarshal(t.Objects[name], &g); err != nil {
			return nil, rd.fail("", "object %q is not a TopoJSON geometry: %v", name, err)
		}
		if err := rd.flatten(g, arcs, fc); err != nil {
			return nil, err
		}
	}
	return fc, nil
}

// decodeArcs turns the arcs into positions, undoing the delta encoding
// and quantisation of a transform.
func (rd *reader) decodeArcs(t topology) ([]Line, error) {
	out := make([]Line, len(t.Arcs))
	for i, a := range t.Arcs {
		x, y := 0.0, 0.0
		l := make(Line, len(a))
		for k, p := range a {
			rd.positions++
			if rd.lim.MaxPositions > 0 && rd.positions > rd.lim.MaxPositions {
				return nil, rd.fail("", "more than %d positions in all: the input is too large", rd.lim.MaxPositions)
			}
			if len(p) < 2 {
				return nil, rd.fail("", "arc %d, position %d has %d numbers, not 2", i, k, len(p))
			}
			pt := Point{p[0], p[1]}
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pt = Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			}
			if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
				return nil, rd.fail("", "arc %d, position %d (%g, %g) is not a longitude and latitude", i, k, pt[0], pt[1])
			}
			l[k] = pt
		}
		out[i] = l
	}
	return out, nil
}

// flatten adds a geometry, or the members of a collection, as features.
func (rd *reader) flatten(g topoGeometry, arcs []Line, fc *FeatureCollection) error {
	if g.Type == "GeometryCollection" {
		for _, m := range g.Geometries {
			if err := rd.flatten(m, arcs, fc); err != nil {
				return err
			}
		}
		return nil
	}
	rd.feature = len(fc.Features)
	rd.id = ""
	f := Feature{}
	if len(g.ID) > 0 && string(g.ID) != "null" {
		f.ID = compact(g.ID)
		rd.id = string(f.ID)
	}
	if len(g.Properties) > 0 && string(g.Properties) != "null" {
		var props map[string]json.RawMessage
		if json.Unmarshal(g.Properties, &props) != nil {
			return rd.fail("", "\"properties\" is an object or null")
		}
		f.Properties = compact(g.Properties)
	}
	switch g.Type {
	case "Polygon":
		var rings [][]int
		if err := json.Unmarshal(g.Arcs, &rings); err != nil {
			return rd.fail("", "the arcs of a Polygon are an array of rings, each an array of arc indices")
		}
		p, err := rd.topoPolygon(rings, arcs, "")
		if err != nil {
			return err
		}
		f.Geometry = Geometry{Type: "Polygon", Area: MultiPolygon{p}}
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(g.Arcs, &polys); err != nil {
			return rd.fail("", "the arcs of a MultiPolygon are an array of polygons of rings of arc indices")
		}
		f.Geometry.Type = "MultiPolygon"
		for i, rings := range polys {
			p, err := rd.topoPolygon(rings, arcs, "polygon "+strconv.Itoa(i)+", ")
			if err != nil {
				return err
			}
			f.Geometry.Area = append(f.Geometry.Area, p)
		}
	case "LineString":
		var ids []int
		if err := json.Unmarshal(g.Arcs, &ids); err != nil {
			return rd.fail("", "the arcs of a LineString are an array of arc indices")
		}
		l, err := rd.join(ids, arcs, "line")
		if err != nil {
			return err
		}
		f.Geometry = Geometry{Type: "LineString", Lines: []Line{l}}
	case "MultiLineString":
		var lines [][]int
		if err := json.Unmarshal(g.Arcs, &lines); err != nil {
			return rd.fail("", "the arcs of a MultiLineString are an array of lines of arc indices")
		}
		f.Geometry.Type = "MultiLineString"
		for i, ids := range lines {
			l, err := rd.join(ids, arcs, "line "+strconv.Itoa(i))
			if err != nil {
				return err
			}
			f.Geometry.Lines = append(f.Geometry.Lines, l)
		}
	case "Point", "MultiPoint":
		return rd.fail("", "a %s is not territory", g.Type)
	case "", "null":
		// A geometry without shape: a feature without geometry.
	default:
		return rd.fail("", "unknown geometry type %q", g.Type)
	}
	fc.Features = append(fc.Features, f)
	return nil
}

// join follows arcs, by index (~i for arc i reversed), into one line.
func (rd *reader) join(ids []int, arcs []Line, where string) (Line, error) {
	var out Line
	for _, id := range ids {
		k := id
		if k < 0 {
			k = ^k
		}
		if k >= len(arcs) {
			return nil, rd.fail(where, "arc %d does not exist (the topology has %d)", id, len(arcs))
		}
		a := arcs[k]
		if id < 0 {
			a = slices.Clone(a)
			slices.Reverse(a)
		}
		if len(out) > 0 && len(a) > 0 {
			a = a[1:] // the arcs share their joining position
		}
		out = append(out, a...)
	}
	if len(out) < 2 {
		return nil, rd.fail(where, "a line has at least 2 positions, not %d", len(out))
	}
	return out, nil
}

// topoPolygon builds a polygon's rings from arcs and checks it.
func (rd *reader) topoPolygon(rings [][]int, arcs []Line, where string) (Polygon, error) {
	p := make(Polygon, len(rings))
	for i, ids := range rings {
		l, err := rd.join(ids, arcs, fmt.Sprintf("%sring %d", where, i))
		if err != nil {
			return nil, err
		}
		p[i] = Ring(l)
	}
	if err := CheckPolygon(p); err != nil {
		if e, ok := err.(*Error); ok {
			e.Feature, e.ID, e.Where = rd.feature, rd.id, where+e.Where
			return nil, e
		}
		return nil, err
	}
	return p, nil
}
