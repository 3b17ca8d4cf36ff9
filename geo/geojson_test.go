package geo_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"parley/geo"
)

// square is a counter-clockwise square ring as GeoJSON.
const square = `[[30,50],[31,50],[31,51],[30,51],[30,50]]`

// feature wraps a geometry in a feature with an ID.
func feature(id, geometry string) string {
	return `{"type":"Feature","id":` + id + `,"properties":{"name":"x"},"geometry":` + geometry + `}`
}

// collection wraps features in a FeatureCollection.
func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// positions returns a ring-shaped list of n positions as GeoJSON.
func positions(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		t := 2 * math.Pi * float64(i) / float64(n-1)
		fmt.Fprintf(&b, "[%g,%g]", 30+math.Cos(t), 50+math.Sin(t))
	}
	b.WriteString("]")
	return b.String()
}

func TestParseGeoJSONErrors(t *testing.T) {
	lim := geo.DefaultLimits
	for _, c := range []struct {
		name    string
		in      string
		lim     *geo.Limits
		feature int
		want    []string // each must appear in the message
	}{
		{name: "open ring", feature: 1, in: collection(
			feature(`"UA-1"`, `{"type":"Polygon","coordinates":[`+square+`]}`),
			feature(`"UA-14"`, `{"type":"MultiPolygon","coordinates":[[`+square+`],[[[30.1,50.2],[30.4,50.1],[30.4,50.4],[30.4,50.1]]]]}`)),
			want: []string{`feature 1 (id "UA-14"): polygon 1, ring 0: ring is not closed: first position (30.1, 50.2), last (30.4, 50.1)`}},
		{name: "exterior clockwise", feature: 0, in: feature(`7`, `{"type":"Polygon","coordinates":[[[30,50],[30,51],[31,51],[31,50],[30,50]]]}`),
			want: []string{"feature 0 (id 7): ring 0: ", "runs clockwise", "RFC 7946", "counter-clockwise"}},
		{name: "hole counter-clockwise", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[4,2],[4,4],[2,4],[2,2]]]}`,
			want: []string{"ring 1: ", "hole runs counter-clockwise", "RFC 7946", "holes clockwise"}},
		{name: "self-intersecting ring", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[4,-2],[0,10],[0,0]]]}`,
			want: []string{"ring 0: ", "crosses or touches itself near (", ", 0), between its edges from positions 0 and "}},
		{name: "ring touching itself", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[5,5],[10,10],[0,10],[5,5],[0,0]]]}`,
			want: []string{"ring 0: ", "touches itself near (5, 5)"}},
		{name: "spike", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[10,20],[10,10],[0,10],[0,0]]]}`,
			want: []string{"ring 0: ", "touches itself near (10, 10)"}},
		{name: "hole crossing the exterior", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[8,2],[8,4],[12,4],[12,2],[8,2]]]}`,
			want: []string{"ring 1: the ring crosses ring 0", "near (10, "}},
		{name: "holes crossing", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]],[[3,3],[3,5],[5,5],[5,3],[3,3]]]}`,
			want: []string{"ring 2: the ring crosses ring 1"}},
		{name: "hole outside", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[12,2],[12,4],[14,4],[14,2],[12,2]]]}`,
			want: []string{"ring 1: the hole lies outside the exterior ring"}},
		{name: "hole inside a hole", feature: -1, in: `{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[1,1],[1,9],[9,9],[9,1],[1,1]],[[2,2],[2,4],[4,4],[4,2],[2,2]]]}`,
			want: []string{"ring 2: the hole lies inside hole 1"}},
		{name: "overlapping polygons", feature: -1, in: `{"type":"MultiPolygon","coordinates":[[[[0,0],[10,0],[10,10],[0,10],[0,0]]],[[[2,2],[4,2],[4,4],[2,4],[2,2]]]]}`,
			want: []string{"polygon 1: the polygon overlaps polygon 0"}},
		{name: "crossing polygons", feature: -1, in: `{"type":"MultiPolygon","coordinates":[[[[0,0],[10,0],[10,10],[0,10],[0,0]]],[[[5,5],[15,5],[15,15],[5,15],[5,5]]]]}`,
			want: []string{"polygon 1: the polygon overlaps polygon 0", "cross near"}},
		{name: "over MaxPositions", feature: -1, lim: &geo.Limits{MaxPositions: 1000},
			in:   `{"type":"LineString","coordinates":` + positions(5000) + `}`,
			want: []string{"position 1000: ", "more than the 1000 positions allowed"}},
		{name: "over MaxBytes", feature: -1, lim: &geo.Limits{MaxBytes: 100},
			in:   `{"type":"LineString","coordinates":` + positions(50) + `}`,
			want: []string{"bytes, more than the 100 allowed"}},
		{name: "over MaxFeatures", feature: 2, lim: &geo.Limits{MaxFeatures: 2},
			in:   collection(feature("1", "null"), feature("2", "null"), feature("3", "null")),
			want: []string{"feature 2: more than the 2 features allowed"}},
		{name: "Point", feature: 0, in: feature(`"a"`, `{"type":"Point","coordinates":[30,50]}`),
			want: []string{`feature 0 (id "a"): a Point is not territory`, "Polygon"}},
		{name: "MultiPoint", feature: -1, in: `{"type":"MultiPoint","coordinates":[[30,50]]}`,
			want: []string{"a MultiPoint is not territory"}},
		{name: "GeometryCollection", feature: 0, in: feature(`"a"`, `{"type":"GeometryCollection","geometries":[]}`),
			want: []string{"GeometryCollection is not read"}},
		{name: "type is a number", feature: -1, in: `{"type":5,"coordinates":[]}`,
			want: []string{`"type" of the document is a number (5), not a string`}},
		{name: "unknown type", feature: -1, in: `{"type":"Polygonn","coordinates":[]}`,
			want: []string{`unknown geometry type "Polygonn"`}},
		{name: "no type", feature: 0, in: collection(`{"geometry":null}`),
			want: []string{`feature 0: the feature has no "type"`}},
		{name: "feature of the wrong type", feature: 0, in: collection(`{"type":"Polygon","coordinates":[]}`),
			want: []string{`"type" is "Polygon", not "Feature"`}},
		{name: "strings for numbers", feature: -1, in: `{"type":"LineString","coordinates":[[30,50],["31","50"]]}`,
			want: []string{`position 1: number 0 of the position is the string "31", not a number`}},
		{name: "NaN as a string", feature: -1, in: `{"type":"LineString","coordinates":[[30,50],[31,"NaN"]]}`,
			want: []string{`position 1: number 1 of the position is the string "NaN", not a number`}},
		{name: "null for a number", feature: -1, in: `{"type":"LineString","coordinates":[[30,50],[31,null]]}`,
			want: []string{"position 1: number 1 of the position is null, not a number"}},
		{name: "number too large", feature: -1, in: `{"type":"LineString","coordinates":[[30,50],[1e400,50]]}`,
			want: []string{"position 1: number 0 of the position, 1e400, is not a finite number"}},
		{name: "latitude out of range", feature: -1, in: `{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,91],[30,50]]]}`,
			want: []string{"ring 0, position 2: latitude 91 is outside [-90, 90]"}},
		{name: "longitude out of range", feature: -1, in: `{"type":"MultiLineString","coordinates":[[[30,50],[31,50]],[[30,50],[-180.5,50]]]}`,
			want: []string{"line 1, position 1: longitude -180.5 is outside [-180, 180]"}},
		{name: "too shallow", feature: -1, in: `{"type":"Polygon","coordinates":` + square + `}`,
			want: []string{"ring 0, position 0: a number (30), not a position", "one level too shallow for a Polygon"}},
		{name: "too shallow by two", feature: -1, in: `{"type":"MultiPolygon","coordinates":` + square + `}`,
			want: []string{"polygon 0, ring 0: a number (30), not an array", "MultiPolygon are an array of polygons"}},
		{name: "too deep", feature: -1, in: `{"type":"LineString","coordinates":[` + square + `]}`,
			want: []string{"position 0: number 0 of the position is an array, not a number", "nested too deep for a LineString"}},
		{name: "coordinates not an array", feature: -1, in: `{"type":"Polygon","coordinates":"x"}`,
			want: []string{`the coordinates of a Polygon are the string "x", not an array of rings`}},
		{name: "missing coordinates", feature: -1, in: `{"type":"Polygon"}`,
			want: []string{`a Polygon has "coordinates"`}},
		{name: "3-position ring", feature: -1, in: `{"type":"Polygon","coordinates":[[[30,50],[31,50],[30,50]]]}`,
			want: []string{"ring 0: a ring has at least 4 positions, not 3"}},
		{name: "ring without area", feature: -1, in: `{"type":"Polygon","coordinates":[[[30,50],[31,50],[32,50],[30,50]]]}`,
			want: []string{"ring 0: ring encloses no area"}},
		{name: "1-position line", feature: -1, in: `{"type":"LineString","coordinates":[[30,50]]}`,
			want: []string{"a line has at least 2 positions, not 1"}},
		{name: "1-number position", feature: -1, in: `{"type":"LineString","coordinates":[[30,50],[31]]}`,
			want: []string{"position 1: a position has a longitude and a latitude, not 1 number(s)"}},
		{name: "4-number position", feature: -1, in: `{"type":"LineString","coordinates":[[30,50],[31,50,0,0]]}`,
			want: []string{"position 1: a position has at most 3 numbers"}},
		{name: "empty polygon", feature: -1, in: `{"type":"Polygon","coordinates":[]}`,
			want: []string{"a polygon has at least its exterior ring"}},
		{name: "empty MultiPolygon", feature: -1, in: `{"type":"MultiPolygon","coordinates":[]}`,
			want: []string{"a MultiPolygon has at least one polygon"}},
		{name: "properties an array", feature: 0, in: collection(`{"type":"Feature","properties":[1],"geometry":null}`),
			want: []string{`"properties" is an object or null, not an array`}},
		{name: "id an object", feature: 0, in: collection(`{"type":"Feature","id":{},"geometry":null}`),
			want: []string{`"id" is a string or a number, not an object`}},
		{name: "no geometry", feature: 0, in: collection(`{"type":"Feature","properties":null}`),
			want: []string{`a feature has a "geometry" (null for none)`}},
		{name: "features not an array", feature: -1, in: `{"type":"FeatureCollection","features":{}}`,
			want: []string{`"features", an array of features, not an object`}},
		{name: "bad bbox", feature: -1, in: `{"type":"LineString","bbox":[1,2,3],"coordinates":[[30,50],[31,50]]}`,
			want: []string{`"bbox" is an array of 4 numbers`}},
		{name: "not an object", feature: -1, in: `[1,2]`,
			want: []string{"the document is an array, not an object"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := lim
			if c.lim != nil {
				l = *c.lim
			}
			_, err := geo.ParseGeoJSON([]byte(c.in), l)
			var e *geo.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *geo.Error", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
			if e.Feature != c.feature {
				t.Errorf("Feature = %d, want %d", e.Feature, c.feature)
			}
		})
	}
}

func TestParseGeoJSONSyntaxError(t *testing.T) {
	in := "{\n  \"type\": \"Feature\",\n  \"geometry\": }"
	_, err := geo.ParseGeoJSON([]byte(in), geo.DefaultLimits)
	var e *geo.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *geo.Error", err)
	}
	if e.Line != 3 || e.Column != 15 {
		t.Errorf("line %d, column %d, want line 3, column 15", e.Line, e.Column)
	}
	if !strings.HasPrefix(err.Error(), "line 3, column 15: invalid character '}'") {
		t.Errorf("got %q", err)
	}

	_, err = geo.ParseGeoJSON([]byte("{\"type\": \"Polygon\",\n \"coordinates\": [[[30, NaN]]]}"), geo.DefaultLimits)
	if !errors.As(err, &e) || e.Line != 2 || e.Column != 24 {
		t.Errorf("bare NaN: got %v, want line 2, column 24", err)
	}

	_, err = geo.ParseGeoJSON([]byte(`{"type": "Polygon"`), geo.DefaultLimits)
	if !errors.As(err, &e) || e.Line != 1 || !strings.Contains(err.Error(), "unexpected end") {
		t.Errorf("cut short: got %v, want line 1 and the end named", err)
	}
}

func TestParseGeoJSONAccepts(t *testing.T) {
	in := `{"type":"FeatureCollection","name":"foreign","crs":{"x":1},"features":[
		{"type":"Feature","id":"UA-14","properties": {"name" : "Donetsk",  "n": [1, 2]},"extra":true,
		 "geometry":{"type":"Polygon","coordinates":[[[30,50,120.5],[31,50,0],[31,51,0],[30,51,0],[30,50,120.5]]],"bbox":[30,50,31,51]}},
		{"type":"Feature","id":14,"properties":null,"geometry":null},
		{"type":"Feature","geometry":{"type":"LineString","coordinates":[[30,50],[31,51]],"type":"MultiLineString","coordinates":[[[1,2],[3,4]]]}}
	]}`
	fc, err := geo.ParseGeoJSON([]byte(in), geo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 3 {
		t.Fatalf("%d features, want 3", len(fc.Features))
	}
	f := fc.Features[0]
	if string(f.ID) != `"UA-14"` || string(f.Properties) != `{"name":"Donetsk","n":[1,2]}` {
		t.Errorf("ID %s, properties %s", f.ID, f.Properties)
	}
	if f.StringProperty("name") != "Donetsk" || f.StringProperty("n") != "" || f.StringProperty("none") != "" {
		t.Errorf("StringProperty: %q %q %q", f.StringProperty("name"), f.StringProperty("n"), f.StringProperty("none"))
	}
	want := geo.MultiPolygon{{{{30, 50}, {31, 50}, {31, 51}, {30, 51}, {30, 50}}}}
	if f.Geometry.Type != "Polygon" || !reflect.DeepEqual(f.Geometry.Area, want) {
		t.Errorf("geometry %+v, want a Polygon %v with altitudes dropped", f.Geometry, want)
	}
	if g := fc.Features[1]; string(g.ID) != "14" || g.Properties != nil || g.Geometry.Type != "" {
		t.Errorf("second feature: %+v", g)
	}
	// Of a member given twice, the last counts.
	if g := fc.Features[2].Geometry; g.Type != "MultiLineString" || !reflect.DeepEqual(g.Lines, []geo.Line{{{1, 2}, {3, 4}}}) {
		t.Errorf("duplicate members: got %+v, want the last ones", g)
	}
	if fc.Features[2].StringProperty("name") != "" {
		t.Error("a feature without properties has a property")
	}

	// A bare geometry is one feature; so is a bare feature.
	bare, err := geo.ParseGeoJSON([]byte(`{"type":"LineString","coordinates":[[30,50],[31,51]]}`), geo.DefaultLimits)
	if err != nil || len(bare.Features) != 1 || bare.Features[0].Geometry.Type != "LineString" || bare.Features[0].Properties != nil {
		t.Errorf("bare geometry: %+v, %v", bare, err)
	}
	one, err := geo.ParseGeoJSON([]byte(feature(`"a"`, `{"type":"Polygon","coordinates":[`+square+`]}`)), geo.DefaultLimits)
	if err != nil || len(one.Features) != 1 || string(one.Features[0].ID) != `"a"` {
		t.Errorf("bare feature: %+v, %v", one, err)
	}
}

func TestParseGeometry(t *testing.T) {
	g, err := geo.ParseGeometry([]byte(`{"type":"Polygon","coordinates":[`+square+`,[[30.2,50.2],[30.2,50.4],[30.4,50.4],[30.4,50.2],[30.2,50.2]]]}`), geo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if g.Type != "Polygon" || len(g.Area) != 1 || len(g.Area[0]) != 2 {
		t.Errorf("got %+v", g)
	}
	_, err = geo.ParseGeometry([]byte(feature("1", "null")), geo.DefaultLimits)
	if err == nil || !strings.Contains(err.Error(), "a Feature where a geometry belongs") {
		t.Errorf("a feature given as a geometry: got %v", err)
	}
}

func TestParseBigRing(t *testing.T) {
	if testing.Short() {
		t.Skip("two million positions take a few seconds to write and read")
	}
	// The limit is on positions in all; two million are read and checked.
	in := []byte(`{"type":"Polygon","coordinates":[` + positions(2_000_000) + `]}`)
	g, err := geo.ParseGeometry(in, geo.Limits{MaxPositions: 2_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if n := g.Area.Vertices(); n != 2_000_000 {
		t.Errorf("%d positions, want 2,000,000", n)
	}
	_, err = geo.ParseGeometry(in, geo.Limits{MaxPositions: 1_999_999})
	if err == nil || !strings.Contains(err.Error(), "ring 0, position 1999999: more than the 1999999 positions") {
		t.Errorf("one position over: got %v", err)
	}
}

// randomCollection is a collection of squares and lines at random
// coordinates, with IDs and properties of every kind.
func randomCollection(rng *rand.Rand, n int) *geo.FeatureCollection {
	fc := &geo.FeatureCollection{}
	for i := range n {
		lon, lat := rng.Float64()*300-150, rng.Float64()*160-80
		d := rng.Float64() * 5
		var f geo.Feature
		switch i % 4 {
		case 0:
			f.ID = json.RawMessage(fmt.Sprintf(`"R-%d"`, i))
			f.Properties = json.RawMessage(`{"name":"Région \"é\"","n":1.5e-7,"list":[true,null]}`)
		case 1:
			f.ID = json.RawMessage(fmt.Sprint(i))
		case 2:
			f.Properties = json.RawMessage(`{}`)
		}
		switch i % 3 {
		case 0:
			f.Geometry = geo.AreaGeometry(geo.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}})
		case 1:
			f.Geometry = geo.AreaGeometry(geo.MultiPolygon{
				{{{lon, lat}, {lon + d, lat}, {lon, lat + d}, {lon, lat}}},
				{{{lon + 2*d, lat}, {lon + 3*d, lat}, {lon + 2*d, lat + d}, {lon + 2*d, lat}}},
			})
		case 2:
			f.Geometry = geo.LineGeometry(geo.Line{{lon, lat}, {lon + d, lat - d/3}, {lon + 1e-9, lat + 1e-12}})
		}
		fc.Features = append(fc.Features, f)
	}
	return fc
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fc := randomCollection(rng, 200)
	data, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := geo.ParseGeoJSON(data, geo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, fc) {
		for i := range fc.Features {
			if !reflect.DeepEqual(back.Features[i], fc.Features[i]) {
				t.Fatalf("feature %d: read back %+v, wrote %+v", i, back.Features[i], fc.Features[i])
			}
		}
		t.Fatal("the collection read back differs")
	}
	again, err := back.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Error("writing what was read gives other bytes")
	}
}

func TestWriteIsLossless(t *testing.T) {
	// Written numbers read back as the same float64.
	rng := rand.New(rand.NewPCG(3, 4))
	l := make(geo.Line, 1000)
	for i := range l {
		l[i] = geo.Point{rng.Float64()*360 - 180, math.Nextafter(rng.Float64()*180-90, 0)}
	}
	l[0] = geo.Point{-180, 90}
	l[1] = geo.Point{1e-300, -5e-324}
	data, err := geo.LineGeometry(l).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	g, err := geo.ParseGeometry(data, geo.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Lines[0], l) {
		t.Error("positions changed on the way through JSON")
	}
}

func TestMarshalGeometry(t *testing.T) {
	sq := geo.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	for _, c := range []struct {
		g    geo.Geometry
		want string
	}{
		{geo.Geometry{}, `null`},
		{geo.AreaGeometry(geo.MultiPolygon{{sq}}), `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`},
		{geo.Geometry{Type: "Polygon", Area: geo.MultiPolygon{{sq}, {sq}}}, `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[0,0],[1,0],[1,1],[0,1],[0,0]]]]}`},
		{geo.LineGeometry(geo.Line{{0.1, -2.5}, {1e21, 3}}), `{"type":"LineString","coordinates":[[0.1,-2.5],[1e+21,3]]}`},
		{geo.LineGeometry(), `{"type":"MultiLineString","coordinates":[]}`},
	} {
		got, err := json.Marshal(c.g)
		if err != nil || string(got) != c.want {
			t.Errorf("%+v: got %s, %v; want %s", c.g, got, err, c.want)
		}
	}
	for _, g := range []geo.Geometry{
		{Type: "Point"},
		geo.LineGeometry(geo.Line{{math.NaN(), 0}, {1, 1}}),
		geo.LineGeometry(geo.Line{{math.Inf(1), 0}, {1, 1}}),
	} {
		if _, err := json.Marshal(g); err == nil {
			t.Errorf("%+v: written without an error", g)
		}
	}
	bad := &geo.FeatureCollection{Features: []geo.Feature{{Properties: json.RawMessage(`[1]`)}}}
	if _, err := bad.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "feature 0") {
		t.Errorf("properties that are not an object: got %v", err)
	}
}

func TestDecodeGeometry(t *testing.T) {
	g := geo.AreaGeometry(geo.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}})
	data, _ := json.Marshal(g)
	back, err := geo.DecodeGeometry(data)
	if err != nil || !reflect.DeepEqual(back, g) {
		t.Errorf("got %+v, %v; want %+v", back, err, g)
	}
	for _, g := range []geo.Geometry{geo.AreaGeometry(nil), geo.LineGeometry()} {
		data, _ := json.Marshal(g)
		if back, err := geo.DecodeGeometry(data); err != nil || back.Type != g.Type || back.Area != nil || back.Lines != nil {
			t.Errorf("empty %s: got %+v, %v", g.Type, back, err)
		}
	}
	for _, in := range []string{``, `{`, `null`, `{"type":"Point","coordinates":[1,2]}`, `{"type":"Polygon","coordinates":[[1,2]]}`} {
		if _, err := geo.DecodeGeometry([]byte(in)); err == nil {
			t.Errorf("%q: decoded without an error", in)
		}
	}
}

func BenchmarkParseGeoJSON100k(b *testing.B) {
	in := []byte(`{"type":"Polygon","coordinates":[` + positions(100_000) + `]}`)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := geo.ParseGeometry(in, geo.DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// checkRead fails unless what a reader returned holds what it promises:
// closed rings of at least 4 positions, exteriors counter-clockwise and
// holes clockwise, lines of at least 2 positions, and a round trip
// through GeoJSON that gives back the same collection and the same bytes.
func checkRead(t *testing.T, fc *geo.FeatureCollection) {
	t.Helper()
	for i, f := range fc.Features {
		for _, p := range f.Geometry.Area {
			for k, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Fatalf("feature %d: ring %d of %d positions, open or short", i, k, len(r))
				}
				if a := signedArea(r); (k == 0) != (a > 0) {
					t.Fatalf("feature %d: ring %d wound the wrong way (signed area %g)", i, k, a)
				}
			}
		}
		for _, l := range f.Geometry.Lines {
			if len(l) < 2 {
				t.Fatalf("feature %d: a line of %d positions", i, len(l))
			}
		}
	}
	data, err := fc.MarshalJSON()
	if err != nil {
		t.Fatalf("writing what was read: %v", err)
	}
	back, err := geo.ParseGeoJSON(data, geo.Limits{})
	if err != nil {
		t.Fatalf("reading back what was written: %v", err)
	}
	if !reflect.DeepEqual(back, fc) {
		t.Fatalf("the collection read back differs from the one written")
	}
	again, err := back.MarshalJSON()
	if err != nil || string(again) != string(data) {
		t.Fatalf("writing it again gives other bytes (%v)", err)
	}
}

func FuzzParseGeoJSON(f *testing.F) {
	for _, s := range []string{
		`{"type":"Polygon","coordinates":[` + square + `]}`,
		collection(feature(`"UA-14"`, `{"type":"MultiPolygon","coordinates":[[`+square+`]]}`), feature("7", "null")),
		`{"type":"LineString","coordinates":[[30,50],[31,51.5e-3]]}`,
		`{"type":"Feature","id":"x","properties":{"a":[1,{"b":null}]},"geometry":{"type":"MultiLineString","coordinates":[[[1,2],[3,4,5]]]}}`,
	} {
		f.Add([]byte(s))
	}
	lim := geo.Limits{MaxBytes: 1 << 20, MaxFeatures: 100, MaxPositions: 100_000}
	f.Fuzz(func(t *testing.T, data []byte) {
		fc, err := geo.ParseGeoJSON(data, lim)
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
