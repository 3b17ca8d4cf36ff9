package territory_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"parley"
	"parley/geo"
	"parley/territory"
)

// square is a counter-clockwise square of side d degrees with its south
// west corner at (lon, lat).
func square(lon, lat, d float64) geo.MultiPolygon {
	return geo.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

// fixture is a map of two regions side by side, West (30–31° E) and East
// (31–32° E) at 50–51° N, and a line running north along 31.5° E, with
// the parties A and B.
type fixture struct {
	base       *territory.Base
	west, east *parley.Region
	line       *parley.Line
	parties    *territory.Parties
}

func newFixture() *fixture {
	f := &fixture{
		west: &parley.Region{ID: "w", Code: "W", Name: "West", Area: square(30, 50, 1), DeJureID: "a", DeFactoID: "a"},
		east: &parley.Region{ID: "e", Code: "E", Name: "East", Area: square(31, 50, 1), DeJureID: "a", DeFactoID: "b"},
		line: &parley.Line{ID: "l", Name: "Line of contact", Path: geo.Line{{31.5, 49.5}, {31.5, 51.5}},
			LeftLabel: "west side", RightLabel: "east side"},
	}
	f.base = territory.NewBase([]*parley.Region{f.west, f.east}, []*parley.Line{f.line})
	f.parties = territory.NewParties([]*parley.Party{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}})
	return f
}

// near reports whether two areas agree within a relative tolerance.
func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

func TestResolvePaintsSmallerOverLarger(t *testing.T) {
	f := newFixture()
	whole := &parley.Provision{ID: "p1", Label: "East recognised", RegionIDs: []string{"e"}, Status: parley.StatusDeFacto,
		DeJureID: "a", DeFactoID: "b"}
	part := &parley.Provision{ID: "p2", Label: "East, west of the line", RegionIDs: []string{"e"}, LineID: "l",
		Side: parley.Left, Status: parley.StatusBufferZone, DeJureID: "b"}
	tr, err := territory.Resolve(f.base, []*parley.Provision{part, whole})
	if err != nil {
		t.Fatal(err)
	}
	eastKm2 := geo.Area(f.east.Area)
	c1, c2 := tr.Claims[1], tr.Claims[0]
	if c1.Err != nil || c2.Err != nil {
		t.Fatalf("claims not resolved: %v, %v", c1.Err, c2.Err)
	}
	if !near(c1.Km2, eastKm2, 1e-9) {
		t.Errorf("whole-region provision names %.1f km², the region is %.1f", c1.Km2, eastKm2)
	}
	if !near(c2.Km2, eastKm2/2, 0.01) {
		t.Errorf("the part west of the line names %.1f km², want about half of %.1f", c2.Km2, eastKm2)
	}
	// The smaller paints over the larger: what is counted adds up to the
	// region, no more.
	if !near(c1.ShownKm2+c2.ShownKm2, eastKm2, 1e-6) {
		t.Errorf("counted %.1f + %.1f km², want the region's %.1f", c1.ShownKm2, c2.ShownKm2, eastKm2)
	}
	if !near(c2.ShownKm2, c2.Km2, 1e-9) {
		t.Errorf("the smaller provision lost area to the larger: %.1f of %.1f", c2.ShownKm2, c2.Km2)
	}
	// West has no provision: it is the remainder, with its own holders.
	if len(tr.Remainder) != 1 || tr.Remainder[0].Region.ID != "w" || !near(tr.Remainder[0].Km2, geo.Area(f.west.Area), 1e-9) {
		t.Fatalf("remainder %+v, want all of West", tr.Remainder)
	}
	total := geo.Area(f.west.Area) + eastKm2
	if !near(tr.TotalKm2, total, 1e-9) {
		t.Errorf("total %.1f, want %.1f", tr.TotalKm2, total)
	}
	sum := 0.0
	for _, s := range tr.ByStatus {
		sum += s.Km2
	}
	if !near(sum, total, 1e-6) {
		t.Errorf("areas by status add up to %.1f, want the map's %.1f", sum, total)
	}
	byParty := map[string]territory.PartyFigures{}
	for _, p := range tr.ByParty {
		byParty[p.PartyID] = p
	}
	// In law: A holds West and the part of East left to the whole-region
	// provision; B the buffer zone. In fact: A West, B the rest of East,
	// nobody named for the buffer zone.
	if !near(byParty["b"].DeJure.Km2, c2.ShownKm2, 1e-9) || !near(byParty["a"].DeJure.Km2, total-c2.ShownKm2, 1e-6) {
		t.Errorf("in law: A %.1f, B %.1f km²", byParty["a"].DeJure.Km2, byParty["b"].DeJure.Km2)
	}
	if !near(byParty[""].DeFacto.Km2, c2.ShownKm2, 1e-9) || !near(byParty["b"].DeFacto.Km2, c1.ShownKm2, 1e-9) {
		t.Errorf("in fact: B %.1f, not stated %.1f km²", byParty["b"].DeFacto.Km2, byParty[""].DeFacto.Km2)
	}
}

func TestResolveKeepsUnresolvableProvisions(t *testing.T) {
	f := newFixture()
	hidden := &parley.Provision{ID: "p", Label: "Somewhere", RegionIDs: []string{"gone"}, Status: parley.StatusFrozen}
	tr, err := territory.Resolve(f.base, []*parley.Provision{hidden})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Claims[0].Err == nil || !strings.Contains(tr.Claims[0].Err.Error(), `"gone"`) {
		t.Fatalf("a provision on a region not on the map: error %v, want one naming it", tr.Claims[0].Err)
	}
	if len(tr.Remainder) != 2 {
		t.Errorf("the map's regions are all uncovered: %d remainders, want 2", len(tr.Remainder))
	}
}

func TestDiffFindsWhatChanged(t *testing.T) {
	f := newFixture()
	before, err := territory.Resolve(f.base, []*parley.Provision{
		{ID: "1", Label: "East frozen", RegionIDs: []string{"e"}, Status: parley.StatusFrozen, DeJureID: "a", DeFactoID: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	after, err := territory.Resolve(f.base, []*parley.Provision{
		{ID: "2", Label: "East frozen", RegionIDs: []string{"e"}, Status: parley.StatusFrozen, DeJureID: "a", DeFactoID: "b"},
		{ID: "3", Label: "East of the line recognised", RegionIDs: []string{"e"}, LineID: "l", Side: parley.Right,
			Status: parley.StatusDeFacto, DeJureID: "a", DeFactoID: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	changes, err := territory.Diff(before, after)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 {
		t.Fatalf("%d changes, want 1 (the part of East east of the line): %+v", len(changes), changes)
	}
	c := changes[0]
	if c.From.Status != parley.StatusFrozen || c.To.Status != parley.StatusDeFacto {
		t.Errorf("change from %s to %s, want frozen to recognised de facto", c.From.Status, c.To.Status)
	}
	if !near(c.Km2, geo.Area(f.east.Area)/2, 0.01) {
		t.Errorf("changed area %.1f km², want about half of East", c.Km2)
	}
	same, err := territory.Diff(after, after)
	if err != nil || len(same) != 0 {
		t.Errorf("a version against itself: %d changes (%v), want none", len(same), err)
	}
}

func TestGeoJSONRoundTrip(t *testing.T) {
	f := newFixture()
	v := &parley.Version{ID: "v", Points: []*parley.Point{{ID: "21"}},
		Classification: parley.Classification{Level: parley.Public}}
	drawn := square(30.2, 50.2, 0.3)
	in := []*parley.Provision{
		{ID: "x", ProcessID: "proc", VersionID: "v", PointID: "21", Label: "East, east side", RegionIDs: []string{"e"}, LineID: "l",
			Side: parley.Right, Status: parley.StatusFrozen, DeJureID: "a", DeFactoID: "b", Note: "frozen",
			Classification: parley.Classification{Level: parley.Public}},
		{ID: "y", ProcessID: "proc", VersionID: "v", Label: "A drawn zone", Drawn: drawn, Status: parley.StatusBufferZone,
			Classification: parley.Classification{Level: parley.ProcessWide}},
	}
	tr, err := territory.Resolve(f.base, in)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := tr.Features(f.parties)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := geo.ParseGeoJSON(raw, geo.DefaultLimits)
	if err != nil {
		t.Fatalf("reading the export back: %v\n%s", err, raw)
	}
	var props territory.ProvisionProperties
	if err := json.Unmarshal(back.Features[0].Properties, &props); err != nil {
		t.Fatal(err)
	}
	if props.DeJureName != "A" || props.DeFactoName != "B" || props.SideLabel != "east side" || props.Regions[0] != "E" || props.AreaKm2 <= 0 {
		t.Errorf("export properties %+v", props)
	}
	out, err := territory.ReadProvisions(back, &territory.Names{ProcessID: "proc", Version: v, Parties: []*parley.Party{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}, Base: f.base})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range out {
		want := in[i]
		if p.Label != want.Label || p.Status != want.Status || p.DeJureID != want.DeJureID || p.DeFactoID != want.DeFactoID ||
			p.LineID != want.LineID || p.Side != want.Side || p.PointID != want.PointID || p.Note != want.Note ||
			strings.Join(p.RegionIDs, ",") != strings.Join(want.RegionIDs, ",") || p.Classification.String() != want.Classification.String() {
			t.Errorf("provision %d after a round trip:\n got %+v\nwant %+v", i, p, want)
		}
		if !near(geo.Area(p.Drawn), geo.Area(want.Drawn), 1e-12) {
			t.Errorf("provision %d: drawn area %.3f km² after a round trip, want %.3f", i, geo.Area(p.Drawn), geo.Area(want.Drawn))
		}
	}
}

func TestReadProvisionsNamesTheFaultyFeature(t *testing.T) {
	f := newFixture()
	v := &parley.Version{ID: "v", Points: []*parley.Point{{ID: "1"}}}
	for _, c := range []struct{ body, want string }{
		{`{"type":"Feature","properties":{"label":"x","status":"frozen","regions":["Q"]},"geometry":null}`, `no region "Q"`},
		{`{"type":"Feature","properties":{"label":"x","status":"frozen","regions":["E"],"de_jure":"Z"},"geometry":null}`, `no party "Z"`},
		{`{"type":"Feature","properties":{"label":"x","status":"annexed","regions":["E"]},"geometry":null}`, `status`},
		{`{"type":"Feature","properties":{"label":"x","status":"frozen","regions":["E"],"point":"9"},"geometry":null}`, `no point "9"`},
		{`{"type":"Feature","properties":{"label":"x","status":"frozen","colour":"red","regions":["E"]},"geometry":null}`, `unknown field "colour"`},
		{`{"type":"Feature","properties":{"label":"x","status":"frozen"},"geometry":null}`, `drawn Polygon`},
	} {
		fc, err := geo.ParseGeoJSON([]byte(`{"type":"FeatureCollection","features":[`+c.body+`]}`), geo.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", c.body, err)
		}
		_, err = territory.ReadProvisions(fc, &territory.Names{Version: v, Base: f.base})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "feature 0") {
			t.Errorf("%s: error %v, want one naming feature 0 and %q", c.body, err, c.want)
		}
	}
}

func TestMapPictures(t *testing.T) {
	f := newFixture()
	tr, err := territory.Resolve(f.base, []*parley.Provision{
		{ID: "1", Label: "East frozen", RegionIDs: []string{"e"}, Status: parley.StatusFrozen, DeJureID: "a", DeFactoID: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	svgs := map[territory.Picture]string{}
	for _, pic := range territory.Pictures() {
		m := tr.Map(territory.MapOptions{ID: "m", Title: "T", Subtitle: pic.Label(), Picture: pic, Parties: f.parties, Width: 400})
		svg, err := geo.RenderString(m)
		if err != nil {
			t.Fatal(err)
		}
		svgs[pic] = svg
		var labels []string
		for _, it := range m.Legend {
			labels = append(labels, it.Label)
		}
		legend := strings.Join(labels, "|")
		switch pic {
		case territory.ByStatus:
			if !strings.Contains(legend, "frozen along the line of contact") || strings.Contains(legend, "controlled in fact") {
				t.Errorf("status legend %q", legend)
			}
		case territory.ByDeFacto:
			if !strings.Contains(legend, "controlled in fact: B") || !strings.Contains(legend, "controlled in fact: A") {
				t.Errorf("de facto legend %q", legend)
			}
		case territory.ByDeJure:
			if !strings.Contains(legend, "held in law: A") || strings.Contains(legend, "held in law: B") {
				t.Errorf("de jure legend %q", legend)
			}
		}
	}
	if svgs[territory.ByDeJure] == svgs[territory.ByDeFacto] {
		t.Error("the de jure and de facto maps are the same")
	}
	if p, ok := territory.ParsePicture("sideways"); ok {
		t.Errorf("ParsePicture took %q", p)
	}
}

func TestGeoJSONKeepsDrawnLimitAndUnresolved(t *testing.T) {
	f := newFixture()
	v := &parley.Version{ID: "v", Classification: parley.Classification{Level: parley.Public}}
	limit := square(30.5, 50, 1) // the east half of West, and beyond it
	in := []*parley.Provision{
		{ID: "x", ProcessID: "proc", VersionID: "v", Label: "East half of West", RegionIDs: []string{"w"}, Drawn: limit,
			Status: parley.StatusFrozen, Classification: parley.Classification{Level: parley.Public}},
		{ID: "y", ProcessID: "proc", VersionID: "v", Label: "Partly hidden", RegionIDs: []string{"e"}, Partial: true,
			Status: parley.StatusFrozen, Classification: parley.Classification{Level: parley.Public}},
	}
	tr, err := territory.Resolve(f.base, in)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Claims[1].Err == nil || len(tr.Claims[1].Area) != 0 {
		t.Fatalf("a partial provision resolved to %.1f km² (error %v); want no area and an error", tr.Claims[1].Km2, tr.Claims[1].Err)
	}
	fc, err := tr.Features(f.parties)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := geo.ParseGeoJSON(raw, geo.DefaultLimits)
	if err != nil {
		t.Fatalf("the export of a version with an unresolved provision does not read back: %v", err)
	}
	if back.Features[1].Geometry.Type != "" {
		t.Errorf("the unresolved provision's geometry is %q, want null", back.Features[1].Geometry.Type)
	}
	if got, want := geo.Area(back.Features[0].Geometry.Area), geo.Area(f.west.Area)/2; !near(got, want, 0.01) {
		t.Errorf("the exported geometry of the limited provision is %.0f km², want about %.0f (half of West)", got, want)
	}
	out, err := territory.ReadProvisions(back, &territory.Names{ProcessID: "proc", Version: v, Base: f.base})
	if err != nil {
		t.Fatal(err)
	}
	if !near(geo.Area(out[0].Drawn), geo.Area(limit), 1e-12) || len(out[0].RegionIDs) != 1 {
		t.Errorf("after a round trip the limited provision has regions %v and a drawn area of %.0f km², want West and %.0f",
			out[0].RegionIDs, geo.Area(out[0].Drawn), geo.Area(limit))
	}
	again, err := territory.Resolve(f.base, out[:1])
	if err != nil {
		t.Fatal(err)
	}
	if !near(again.Claims[0].Km2, tr.Claims[0].Km2, 1e-9) {
		t.Errorf("after a round trip the limited provision names %.1f km², want %.1f", again.Claims[0].Km2, tr.Claims[0].Km2)
	}
}

func TestBaseSourcesOnce(t *testing.T) {
	f := newFixture()
	f.west.Source, f.east.Source = "Base data (MIT)", "Base data (MIT)"
	f.line.Source = "Drawn by hand"
	second := &parley.Line{ID: "l2", Name: "Line of contact", Path: geo.Line{{30, 50}, {31, 51}}, Source: "Drawn by hand"}
	b := territory.NewBase([]*parley.Region{f.west, f.east}, []*parley.Line{f.line, second})
	got := strings.Join(b.Sources(), " | ")
	if want := "Base data (MIT) | Line of contact: Drawn by hand"; got != want {
		t.Errorf("sources %q, want %q", got, want)
	}
	tr, err := territory.Resolve(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := tr.Map(territory.MapOptions{ID: "m", Parties: f.parties}); m.Source != "Base data (MIT) · Line of contact: Drawn by hand" {
		t.Errorf("the map's source line %q names a source twice or leaves one out", m.Source)
	}
}

func TestMapTooltipsSayTheStatusOnce(t *testing.T) {
	f := newFixture()
	tr, err := territory.Resolve(f.base, []*parley.Provision{
		{ID: "1", Label: "East frozen", RegionIDs: []string{"e"}, Status: parley.StatusFrozen, DeJureID: "a", DeFactoID: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for pic, want := range map[territory.Picture]string{
		territory.ByStatus:  "East frozen: frozen along the line of contact",
		territory.ByDeJure:  "East frozen: frozen along the line of contact, held in law by A",
		territory.ByDeFacto: "East frozen: frozen along the line of contact, controlled in fact by B",
	} {
		m := tr.Map(territory.MapOptions{ID: "m", Picture: pic, Parties: f.parties})
		if got := m.Areas[len(m.Areas)-1].Title; got != want {
			t.Errorf("%s picture: tooltip %q, want %q", pic, got, want)
		}
	}
}
