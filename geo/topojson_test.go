package geo_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"parley/geo"
)

// The test topology is a 1 × 0.25 degree box at (30, 50) cut in two by a
// meridian. On the quantised grid (scale 0.5, 0.25): A (0,0), B (1,0),
// C (2,0), D (2,1), E (1,1), F (0,1). Arc 0 runs B→E (the cut), arc 1
// E→F→A→B (the west side), arc 2 B→C→D→E (the east side); arcs are
// delta-encoded.
const (
	topoTransform = `"transform":{"scale":[0.5,0.25],"translate":[30,50]}`
	topoArcs      = `"arcs":[[[1,0],[0,1]],[[1,1],[-1,0],[0,-1],[1,0]],[[1,0],[1,0],[0,1],[-1,0]]]`
)

// topology makes a quantised topology of the box with the given objects.
func topology(objects string) string {
	return `{"type":"Topology",` + topoTransform + `,` + topoArcs + `,"objects":{` + objects + `}}`
}

func TestParseTopoJSON(t *testing.T) {
	in := topology(`
		"regions":{"type":"GeometryCollection","id":"dropped","geometries":[
			{"type":"Polygon","id":"W","arcs":[[0,1]]},
			{"type":"Polygon","id":"E","properties":{"name":"east"},"arcs":[[2,-1]]},
			{"type":"GeometryCollection","geometries":[{"type":null,"id":"nothing"}]}
		]},
		"line":{"type":"LineString","id":"cut","arcs":[0]},
		"a-first":{"type":"MultiPolygon","arcs":[[[0,1]]],"foreign":1},
		"lines":{"type":"MultiLineString","arcs":[[1,0],[-1]]}`)
	fc, err := geo.ParseTopoJSON([]byte(in), geo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, string(f.ID))
	}
	// Objects by name: a-first, line, lines, regions (flattened).
	if want := []string{``, `"cut"`, ``, `"W"`, `"E"`, `"nothing"`}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("IDs %v, want %v", ids, want)
	}
	west := geo.MultiPolygon{{{{30.5, 50}, {30.5, 50.25}, {30, 50.25}, {30, 50}, {30.5, 50}}}}
	east := geo.MultiPolygon{{{{30.5, 50}, {31, 50}, {31, 50.25}, {30.5, 50.25}, {30.5, 50}}}}
	cut := geo.Line{{30.5, 50}, {30.5, 50.25}}
	for _, c := range []struct {
		i    int
		want geo.Geometry
	}{
		{0, geo.Geometry{Type: "MultiPolygon", Area: west}},
		{1, geo.Geometry{Type: "LineString", Lines: []geo.Line{cut}}},
		{2, geo.Geometry{Type: "MultiLineString", Lines: []geo.Line{
			{{30.5, 50.25}, {30, 50.25}, {30, 50}, {30.5, 50}, {30.5, 50.25}},
			{{30.5, 50.25}, {30.5, 50}},
		}}},
		{3, geo.Geometry{Type: "Polygon", Area: west}},
		{4, geo.Geometry{Type: "Polygon", Area: east}},
		{5, geo.Geometry{}},
	} {
		if got := fc.Features[c.i].Geometry; !reflect.DeepEqual(got, c.want) {
			t.Errorf("feature %d: got %+v, want %+v", c.i, got, c.want)
		}
	}
	if fc.Features[4].StringProperty("name") != "east" {
		t.Errorf("properties: %s", fc.Features[4].Properties)
	}
	// The two halves share the cut, so they add up to the box.
	whole := geo.Area(geo.MultiPolygon{{{{30, 50}, {31, 50}, {31, 50.25}, {30, 50.25}, {30, 50}}}})
	if sum := geo.Area(fc.Features[3].Geometry.Area) + geo.Area(fc.Features[4].Geometry.Area); !near(sum, whole, 1e-12) {
		t.Errorf("halves %.6f km², whole %.6f", sum, whole)
	}
}

// near reports whether a is within rel of b, relatively.
func near(a, b, rel float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= rel*max(abs(a), abs(b))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestParseTopoJSONWithoutTransform(t *testing.T) {
	in := `{"type":"Topology","arcs":[[[30,50],[31,50],[31,51]],[[31,51],[30,51],[30,50]]],
		"objects":{"x":{"type":"Polygon","arcs":[[0,1]]}}}`
	fc, err := geo.ParseTopoJSON([]byte(in), geo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := geo.MultiPolygon{{{{30, 50}, {31, 50}, {31, 51}, {30, 51}, {30, 50}}}}
	if got := fc.Features[0].Geometry.Area; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseTopoJSONErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		lim  geo.Limits
		want string
	}{
		{name: "arc index out of range", in: topology(`"x":{"type":"Polygon","id":"UA-1","arcs":[[0,5]]}`),
			want: `feature 0 (id "UA-1"): object "x", ring 0: arc 5 does not exist: the topology has 3 arcs`},
		{name: "reversed arc index out of range", in: topology(`"x":{"type":"LineString","arcs":[-4]}`),
			want: `object "x": arc -4 does not exist`},
		{name: "arc index not an integer", in: topology(`"x":{"type":"Polygon","arcs":[[0.5]]}`),
			want: `object "x", ring 0: arc index 0 is a number (0.5), not an integer`},
		{name: "arc index a string", in: topology(`"x":{"type":"LineString","arcs":["0"]}`),
			want: `object "x": arc index 0 is the string "0", not an integer`},
		{name: "arcs that do not join", in: topology(`"x":{"type":"Polygon","arcs":[[0,2]]}`),
			want: `object "x", ring 0: arc 2 starts at (30.5, 50), not where the arc before it ends, (30.5, 50.25)`},
		{name: "clockwise", in: topology(`"x":{"type":"Polygon","arcs":[[-1,-2]]}`),
			want: `object "x", ring 0: the exterior ring runs clockwise; RFC 7946`},
		{name: "open ring", in: topology(`"x":{"type":"Polygon","arcs":[[2]]}`),
			want: `object "x", ring 0: ring is not closed: first position (30.5, 50), last (30.5, 50.25)`},
		{name: "short ring", in: topology(`"x":{"type":"Polygon","arcs":[[0,-1]]}`),
			want: `object "x", ring 0: a ring has at least 4 positions, not 3`},
		{name: "MultiPolygon in a collection", in: topology(`"c":{"type":"GeometryCollection","geometries":[{"type":"LineString","arcs":[0]},{"type":"MultiPolygon","arcs":[[[0,1]],[[2,-1],[5]]]}]}`),
			want: `feature 1: object "c", geometry 1, polygon 1, ring 1: arc 5 does not exist`},
		{name: "overlapping polygons", in: topology(`"x":{"type":"MultiPolygon","arcs":[[[0,1]],[[1,0]]]}`),
			want: `object "x", polygon 1: the polygon overlaps polygon 0`},
		{name: "Point", in: topology(`"x":{"type":"Point","coordinates":[1,2]}`),
			want: `object "x": a Point is not territory`},
		{name: "unknown type", in: topology(`"x":{"type":"Square","arcs":[]}`),
			want: `object "x": unknown geometry type "Square"`},
		{name: "no arcs", in: topology(`"x":{"type":"Polygon"}`),
			want: `object "x": a Polygon has "arcs"`},
		{name: "arcs too shallow", in: topology(`"x":{"type":"Polygon","arcs":[0,1]}`),
			want: `object "x", ring 0: the arcs are a number (0), not an array`},
		{name: "empty polygon", in: topology(`"x":{"type":"Polygon","arcs":[]}`),
			want: `object "x": a polygon has at least its exterior ring`},
		{name: "too many positions", in: topology(`"x":{"type":"LineString","arcs":[0]}`), lim: geo.Limits{MaxPositions: 5},
			want: `arc 1, position 3: more than the 5 positions allowed`},
		{name: "too many features", in: topology(`"x":{"type":"LineString","arcs":[0]},"y":{"type":"LineString","arcs":[0]}`), lim: geo.Limits{MaxFeatures: 1},
			want: `feature 1: object "y": more than the 1 features allowed`},
		{name: "position off the globe", in: `{"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[179.8,50]},"arcs":[[[0,0],[2,0]]],"objects":{}}`,
			want: `arc 0, position 1: (180.8, 50) is not a longitude in [-180, 180] and a latitude in [-90, 90]`},
		{name: "arc of one position", in: `{"type":"Topology","arcs":[[[0,0]]],"objects":{}}`,
			want: `arc 0: an arc has at least 2 positions, not 1`},
		{name: "position of strings", in: `{"type":"Topology","arcs":[[[0,0],["1","2"]]],"objects":{}}`,
			want: `arc 0, position 1: number 0 of the position is the string "1", not a finite number`},
		{name: "bad transform", in: `{"type":"Topology","transform":{"scale":[1],"translate":[0,0]},"arcs":[],"objects":{}}`,
			want: `a "transform" has "scale" and "translate", each an array of 2 numbers`},
		{name: "no objects", in: `{"type":"Topology","arcs":[]}`,
			want: `a Topology has "objects", an object of named geometries, not nothing`},
		{name: "no arcs at all", in: `{"type":"Topology","objects":{}}`,
			want: `a Topology has "arcs", an array of arcs, not nothing`},
		{name: "not a topology", in: `{"type":"FeatureCollection","features":[]}`,
			want: `"type" is "FeatureCollection", not "Topology"`},
		{name: "syntax", in: "{\"type\":\"Topology\",\n\"arcs\":[[[0,0],[1,1]]]]", want: "line 2, column 23: invalid character ']'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			lim := c.lim
			if lim == (geo.Limits{}) {
				lim = geo.DefaultLimits
			}
			_, err := geo.ParseTopoJSON([]byte(c.in), lim)
			var e *geo.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *geo.Error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestParsePicksTheFormat(t *testing.T) {
	topo, err := geo.Parse([]byte(topology(`"x":{"type":"Polygon","arcs":[[0,1]]}`)), geo.DefaultLimits)
	if err != nil || len(topo.Features) != 1 || topo.Features[0].Geometry.Type != "Polygon" {
		t.Errorf("topology: %+v, %v", topo, err)
	}
	gj, err := geo.Parse([]byte(`{"type":"LineString","coordinates":[[30,50],[31,50]]}`), geo.DefaultLimits)
	if err != nil || len(gj.Features) != 1 || gj.Features[0].Geometry.Type != "LineString" {
		t.Errorf("GeoJSON: %+v, %v", gj, err)
	}
	if _, err := geo.Parse([]byte(`{"type":"Topology"`), geo.DefaultLimits); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("broken JSON: got %v", err)
	}
}

func FuzzParseTopoJSON(f *testing.F) {
	f.Add([]byte(topology(`"regions":{"type":"GeometryCollection","geometries":[{"type":"Polygon","id":"W","arcs":[[0,1]]},{"type":"Polygon","arcs":[[2,-1]]}]},"line":{"type":"LineString","arcs":[0]}`)))
	f.Add([]byte(`{"type":"Topology","arcs":[[[30,50],[31,50],[31,51]],[[31,51],[30,51],[30,50]]],"objects":{"x":{"type":"Polygon","arcs":[[0,1]]}}}`))
	lim := geo.Limits{MaxBytes: 1 << 20, MaxFeatures: 100, MaxPositions: 100_000}
	f.Fuzz(func(t *testing.T, data []byte) {
		fc, err := geo.ParseTopoJSON(data, lim)
		if err != nil {
			var e *geo.Error
			if !errors.As(err, &e) {
				t.Fatalf("the error %v is not a *geo.Error", err)
			}
			return
		}
		checkRead(t, fc)
	})
}
