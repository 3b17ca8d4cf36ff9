package bargain_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/bargain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with the golden file testdata/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bargain -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is right):\ngot:\n%s", name, got)
	}
}

// samplePlot is a frontier of five packages with every kind of mark.
func samplePlot() *bargain.Plot {
	return &bargain.Plot{
		Title:  "Pareto frontier: Russia and Ukraine",
		XLabel: "utility of Russia",
		YLabel: "utility of Ukraine",
		Frontier: []bargain.Point{
			{X: 90, Y: 20}, {X: 30, Y: 85}, {X: 60, Y: 60}, {X: 75, Y: 45}, {X: 10, Y: 95},
		},
		Marks: []bargain.Mark{
			{Label: "nash", Kind: bargain.MarkFair, X: 60, Y: 60},
			{Label: "ks", Kind: bargain.MarkFair, X: 60, Y: 60},
			{Label: "maxsum", Kind: bargain.MarkFair, X: 75, Y: 45},
			{Label: "28-point", Kind: bargain.MarkTentative, X: 70, Y: 25},
			{Label: "#1", Kind: bargain.MarkImprovement, X: 75, Y: 45},
		},
	}
}

func TestPlotGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := samplePlot().WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "frontier.svg", buf.Bytes())
}

// svgDoc is what the tests read back from an SVG.
type svgDoc struct {
	XMLName   xml.Name `xml:"svg"`
	AriaLabel string   `xml:"aria-label,attr"`
	Role      string   `xml:"role,attr"`
	Title     string   `xml:"title"`
	Desc      string   `xml:"desc"`
}

// parseSVG checks that data is well-formed XML and reads its root.
func parseSVG(t *testing.T, data []byte) (svgDoc, []string) {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%s", err, data)
	}
	// Every element and all the character data, in order.
	var elements, texts []string
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			elements = append(elements, tok.Name.Local)
			for _, a := range tok.Attr {
				if a.Name.Local == "href" || strings.HasPrefix(a.Name.Local, "on") {
					t.Errorf("element %s has attribute %s, want no references or handlers", tok.Name.Local, a.Name.Local)
				}
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	for _, e := range elements {
		switch e {
		case "script", "image", "use", "foreignObject", "a", "style":
			t.Errorf("the SVG has a <%s> element, want none", e)
		}
	}
	return doc, texts
}

func TestPlotIsWellFormedAndAccessible(t *testing.T) {
	var buf bytes.Buffer
	if err := samplePlot().WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	doc, texts := parseSVG(t, buf.Bytes())
	if doc.Title != "Pareto frontier: Russia and Ukraine" || doc.AriaLabel != doc.Title || doc.Role != "img" {
		t.Errorf("got title %q, aria-label %q, role %q, want the plot's title twice and role img", doc.Title, doc.AriaLabel, doc.Role)
	}
	for _, want := range []string{"5 frontier points", "fair nash at 60, 60", "tentative 28-point at 70, 25"} {
		if !strings.Contains(doc.Desc, want) {
			t.Errorf("description %q lacks %q", doc.Desc, want)
		}
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"nash; ks", "maxsum; #1", "28-point", "utility of Russia", "utility of Ukraine", "Pareto frontier", "fair point", "tentative package", "improvement", "|100|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("texts %q lack %q", joined, want)
		}
	}
}

func TestPlotStepLine(t *testing.T) {
	// Three points, one of them dominated (as happens when a frontier of
	// three parties is seen on two axes): the line joins the other two,
	// dropping then running across; all three are dots.
	p := &bargain.Plot{Frontier: []bargain.Point{{X: 100, Y: 0}, {X: 0, Y: 100}, {X: 40, Y: 40}, {X: 50, Y: 50}}}
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	// x = 70 + v·4.7, y = 50 + (100 − v)·3.7.
	want := `d="M70 50 V235 H305 V420 H540"`
	if !strings.Contains(buf.String(), want) {
		t.Errorf("got\n%s\nwant the step line %s", buf.String(), want)
	}
	if got := strings.Count(buf.String(), `<circle cx=`); got != 4+1 { // and one in the legend
		t.Errorf("got %d dots, want 5", got)
	}
}

func TestPlotEscapesHostileText(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'quotes' ]]> ` + "\x00\x1b"
	p := &bargain.Plot{
		Title:    hostile,
		XLabel:   hostile,
		YLabel:   `"><svg onload=alert(1)>`,
		Frontier: []bargain.Point{{X: 50, Y: 50}},
		Marks:    []bargain.Mark{{Label: hostile, Kind: bargain.MarkTentative, X: 50, Y: 50}},
	}
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", `"><svg`, "& ", "\x00", "\x1b"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
	doc, texts := parseSVG(t, buf.Bytes())
	if !strings.HasPrefix(doc.Title, `<script>alert("x")</script> & 'quotes'`) {
		t.Errorf("got title %q, want the hostile title read back as text", doc.Title)
	}
	if !strings.Contains(strings.Join(texts, "|"), `"><svg onload=alert(1)>`) {
		t.Errorf("texts %q lack the y label as text", texts)
	}
}

func TestPlotClipsLongLabels(t *testing.T) {
	long := strings.Repeat("é", 300)
	p := &bargain.Plot{Title: long, Marks: []bargain.Mark{{Label: long, Kind: bargain.MarkFair, X: 1, Y: 1}}}
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	doc, _ := parseSVG(t, buf.Bytes())
	if n := len([]rune(doc.Title)); n != 90 || !strings.HasSuffix(doc.Title, "…") {
		t.Errorf("got a title of %d characters, want 90 ending in …", n)
	}
}

func TestPlotErrors(t *testing.T) {
	tests := []struct {
		name string
		plot bargain.Plot
		want string
	}{
		{"NaN", bargain.Plot{Frontier: []bargain.Point{{X: math.NaN(), Y: 1}}}, "frontier point 0"},
		{"infinite", bargain.Plot{Marks: []bargain.Mark{{Label: "m", Kind: bargain.MarkFair, X: 1, Y: math.Inf(1)}}}, "mark 0 (m)"},
		{"above 100", bargain.Plot{Frontier: []bargain.Point{{X: 1, Y: 1}, {X: 101, Y: 0}}}, "frontier point 1: (101, 0) lies outside 0–100"},
		{"negative", bargain.Plot{Frontier: []bargain.Point{{X: -1, Y: 0}}}, "outside 0–100"},
		{"unknown kind", bargain.Plot{Marks: []bargain.Mark{{Label: "m", Kind: "star"}}}, `unknown kind "star"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := tt.plot.WriteSVG(&buf)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestFrontierPlot(t *testing.T) {
	fr := &bargain.Frontier{
		Parties: []string{"US", "Russia", "Ukraine"},
		Epsilon: 0.005,
		Outcomes: []*bargain.Outcome{
			{Choice: bargain.Package{"army": {Option: "600k"}}, Utility: ratMap(t, "US=50", "Russia=90", "Ukraine=10")},
			{Choice: bargain.Package{"army": {Option: "800k"}}, Utility: ratMap(t, "US=60", "Russia=40", "Ukraine=170/3")},
		},
	}
	tentative := &bargain.Outcome{Utility: ratMap(t, "US=40", "Russia=70", "Ukraine=20")}
	fair := []*bargain.Solution{
		{Method: bargain.MethodNash, Outcome: fr.Outcomes[1]},
		{Method: bargain.MethodKS}, // no package: left out
	}
	p, err := bargain.FrontierPlot(fr, bargain.PlotOptions{X: "Russia", Y: "Ukraine", Fair: fair, Tentative: tentative, TentativeName: "28-point",
		Improvements: []*bargain.Outcome{fr.Outcomes[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "ε-Pareto set (ε = 0.005): Russia and Ukraine, 2 of 3 parties"; p.Title != want {
		t.Errorf("got title %q, want %q", p.Title, want)
	}
	if p.XLabel != "utility of Russia" || p.YLabel != "utility of Ukraine" {
		t.Errorf("got labels %q and %q, want the utilities of Russia and Ukraine", p.XLabel, p.YLabel)
	}
	if len(p.Frontier) != 2 || p.Frontier[0] != (bargain.Point{X: 90, Y: 10}) || math.Abs(p.Frontier[1].Y-56.666666) > 1e-4 {
		t.Errorf("got frontier %v, want (90, 10) and (40, 56.67)", p.Frontier)
	}
	wantMarks := []bargain.Mark{
		{Label: "nash", Kind: bargain.MarkFair, X: 40, Y: p.Frontier[1].Y},
		{Label: "28-point", Kind: bargain.MarkTentative, X: 70, Y: 20},
		{Label: "#1", Kind: bargain.MarkImprovement, X: 40, Y: p.Frontier[1].Y},
	}
	if len(p.Marks) != len(wantMarks) {
		t.Fatalf("got marks %v, want %v", p.Marks, wantMarks)
	}
	for k, m := range p.Marks {
		if m != wantMarks[k] {
			t.Errorf("mark %d: got %+v, want %+v", k, m, wantMarks[k])
		}
	}
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	parseSVG(t, buf.Bytes())

	two := &bargain.Frontier{Parties: []string{"A", "B"}, Exact: true}
	if p, err := bargain.FrontierPlot(two, bargain.PlotOptions{}); err != nil || p.Title != "Pareto frontier: A and B" {
		t.Errorf("got %v, %v, want the title Pareto frontier: A and B", p, err)
	}
	for _, opt := range []bargain.PlotOptions{{X: "A", Y: "C"}, {X: "A", Y: "A"}} {
		if _, err := bargain.FrontierPlot(two, opt); err == nil {
			t.Errorf("axes %s and %s: got no error", opt.X, opt.Y)
		}
	}
	if _, err := bargain.FrontierPlot(&bargain.Frontier{Parties: []string{"A"}}, bargain.PlotOptions{}); err == nil {
		t.Error("one party: got no error")
	}
}

func BenchmarkPlot(b *testing.B) {
	// A frontier of 1000 points with a mark at each of 20 of them.
	p := &bargain.Plot{Title: "benchmark", XLabel: "x", YLabel: "y"}
	for k := range 1000 {
		x := float64(k) / 10
		p.Frontier = append(p.Frontier, bargain.Point{X: x, Y: 100 - x})
		if k%50 == 0 {
			p.Marks = append(p.Marks, bargain.Mark{Label: "fair", Kind: bargain.MarkFair, X: x, Y: 100 - x})
		}
	}
	for b.Loop() {
		if err := p.WriteSVG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// exactRat reads an exact number for a test.
func exactRat(tb testing.TB, s string) *big.Rat {
	tb.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		tb.Fatalf("bad number %q", s)
	}
	return r
}

// ratMap makes an exact utility map from "A=64" pairs.
func ratMap(tb testing.TB, pairs ...string) map[string]*big.Rat {
	tb.Helper()
	m := map[string]*big.Rat{}
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		m[k] = exactRat(tb, v)
	}
	return m
}
