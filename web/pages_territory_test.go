package web_test

import (
	"encoding/xml"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"parley"
	"parley/geo"
)

// square is a one-degree square of land with its south-west corner at
// (lon, lat), its ring counter-clockwise as GeoJSON wants.
func square(lon, lat float64) geo.MultiPolygon {
	return geo.MultiPolygon{{{{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}}}}
}

// territoryFixture is the page fixture with a map: two square regions
// side by side, Westland (30–31° E) and Eastland (31–32° E), between 50°
// and 51° N, both held in law by Ukraine, Westland controlled by Ukraine
// and Eastland by Russia; a line of contact along 50.5° N, walked from
// west to east, so that its left side is the north; and provisions of
// the 28 points and of the framework.
type territoryFixture struct {
	*fixture
	west, east *parley.Region
	line       *parley.Line
	// us are the 28 points' provisions: Eastland recognised as Russian
	// in fact (21.a) and the north of Westland a buffer zone (21.d); fw
	// the framework's: Eastland frozen along the line (14.a).
	us, fw []*parley.Provision
}

// Labels of the fixture's provisions.
const (
	eastLabel   = "Eastland, recognised as Russian in fact"
	bufferLabel = "North of the line in Westland, a buffer zone"
	frozenLabel = "Eastland, frozen along the line"
)

// newTerritoryFixture builds the territory fixture in a fresh server.
func newTerritoryFixture(tb testing.TB) *territoryFixture {
	tb.Helper()
	f := &territoryFixture{fixture: newFixture(tb)}
	f.addTerritory(tb)
	return f
}

// addTerritory gives the fixture's process its map and provisions.
func (f *territoryFixture) addTerritory(tb testing.TB) {
	tb.Helper()
	ctx, svc := f.env.Ctx, f.env.Svc
	pub := parley.Classification{Level: parley.Public}
	ua, ru := f.ukraine.ID, f.russia.ID
	f.west = &parley.Region{Code: "XW", Name: "Westland", DeJureID: ua, DeFactoID: ua, Area: square(30, 50),
		Source: "Drawn for the tests", Classification: pub}
	f.east = &parley.Region{Code: "XE", Name: "Eastland", DeJureID: ua, DeFactoID: ru, Area: square(31, 50),
		Source: "Drawn for the tests", Classification: pub}
	must(tb, svc.Territory.CreateRegions(ctx, f.process.ID, []*parley.Region{f.west, f.east}))
	f.line = &parley.Line{Name: "Line of contact", Path: geo.Line{{29.5, 50.5}, {32.5, 50.5}}, LeftLabel: "northern side",
		RightLabel: "southern side", Source: "Drawn for the tests", Classification: pub}
	must(tb, svc.Territory.CreateLines(ctx, f.process.ID, []*parley.Line{f.line}))
	f.us = []*parley.Provision{
		{ProcessID: f.process.ID, VersionID: f.us28.ID, PointID: "21.a", Label: eastLabel, RegionIDs: []string{f.east.ID},
			Status: parley.StatusDeFacto, DeJureID: ua, DeFactoID: ru, Note: "As the point reads it.", Classification: pub},
		{ProcessID: f.process.ID, VersionID: f.us28.ID, PointID: "21.d", Label: bufferLabel, RegionIDs: []string{f.west.ID},
			LineID: f.line.ID, Side: parley.Left, Status: parley.StatusBufferZone, DeJureID: ru, Classification: pub},
	}
	must(tb, svc.Territory.CreateProvisions(ctx, f.us))
	f.fw = []*parley.Provision{
		{ProcessID: f.process.ID, VersionID: f.framework.ID, PointID: "14.a", Label: frozenLabel, RegionIDs: []string{f.east.ID},
			Status: parley.StatusFrozen, DeJureID: ua, DeFactoID: ru, Classification: pub},
	}
	must(tb, svc.Territory.CreateProvisions(ctx, f.fw))
}

// provisionCount counts the provisions of a version, as the system sees
// them.
func provisionCount(tb testing.TB, env *testEnv, processID, versionID string) int {
	tb.Helper()
	ps, err := env.Svc.Territory.FindProvisions(System, parley.ProvisionFilter{ProcessID: processID, VersionID: versionID})
	must(tb, err)
	return len(ps)
}

// territoryPaths gives the fixture a map and provisions, and returns the
// paths of the territory's GET routes for TestNoGetChangesAnything to
// visit.
func territoryPaths(tb testing.TB, f *fixture) map[string][]string {
	tb.Helper()
	t := &territoryFixture{fixture: f}
	t.addTerritory(tb)
	in, us, fw := "/processes/"+f.process.ID, "/versions/"+f.us28.ID, "/versions/"+f.framework.ID
	return map[string][]string{
		"GET /processes/{id}/map":               {in + "/map"},
		"GET /processes/{id}/regions/import":    {in + "/regions/import"},
		"GET /processes/{id}/lines/import":      {in + "/lines/import"},
		"GET /regions/{id}/edit":                {"/regions/" + t.west.ID + "/edit"},
		"GET /lines/{id}/edit":                  {"/lines/" + t.line.ID + "/edit"},
		"GET /versions/{id}/territory":          {us + "/territory", us + "/territory?picture=de_facto", "/versions/" + f.unknown.ID + "/territory"},
		"GET /versions/{id}/map.svg":            {us + "/map.svg", us + "/map.svg?picture=de_jure"},
		"GET /versions/{id}/territory/compare":  {fw + "/territory/compare?with=" + f.us28.ID},
		"GET /versions/{id}/territory/diff.svg": {fw + "/territory/diff.svg?with=" + f.us28.ID + "&picture=de_facto"},
		"GET /versions/{id}/territory/import":   {us + "/territory/import"},
		"GET /versions/{id}/provisions/new":     {us + "/provisions/new"},
		"GET /provisions/{id}/edit":             {"/provisions/" + t.us[1].ID + "/edit"},
		"GET /api/v1/versions/{id}/territory":   {"/api/v1" + us + "/territory"},
		"GET /api/v1/provisions/{id}":           {"/api/v1/provisions/" + t.us[0].ID},
		"GET /api/v1/processes/{id}/regions":    {"/api/v1" + in + "/regions"},
		"GET /api/v1/processes/{id}/lines":      {"/api/v1" + in + "/lines"},
	}
}

// figureRE finds the figure that holds a territory map, and the SVG in it.
var figureRE = regexp.MustCompile(`(?s)<figure class="territory-map"[^>]*>\s*(<svg.*?</svg>)`)

// inlineMaps returns the SVG maps inline in a page's figures, each
// checked to be well-formed XML.
func inlineMaps(tb testing.TB, p *page) []string {
	tb.Helper()
	var out []string
	for _, m := range figureRE.FindAllStringSubmatch(p.Body, -1) {
		var n svgNode
		if err := xml.Unmarshal([]byte(m[1]), &n); err != nil {
			tb.Errorf("an inline map is not well-formed XML: %v", err)
		}
		out = append(out, m[1])
	}
	return out
}

// currentPicture returns the picture the switch marks as current, and
// the labels of the links to the others.
func currentPicture(p *page) (current string, others []string) {
	nav := regexp.MustCompile(`(?s)<nav class="picture-switch[^"]*"[^>]*>(.*?)</nav>`).FindStringSubmatch(p.Body)
	if nav == nil {
		return "", nil
	}
	if m := regexp.MustCompile(`<strong aria-current="page">([^<]*)</strong>`).FindStringSubmatch(nav[1]); m != nil {
		current = html.UnescapeString(m[1])
	}
	for _, m := range regexp.MustCompile(`<a href="[^"]*">([^<]*)</a>`).FindAllStringSubmatch(nav[1], -1) {
		others = append(others, html.UnescapeString(m[1]))
	}
	return current, others
}

func TestTerritoryPage(t *testing.T) {
	f := newTerritoryFixture(t)
	path := "/versions/" + f.us28.ID + "/territory"
	for _, tt := range []struct {
		query, current string
	}{
		{"", "Proposed status"},
		{"?picture=status", "Proposed status"},
		{"?picture=de_jure", "Who holds it in law"},
		{"?picture=de_facto", "Who controls it in fact"},
	} {
		t.Run(tt.current+tt.query, func(t *testing.T) {
			p := pageGet(t, f.env, path+tt.query).want(t, http.StatusOK)
			maps := inlineMaps(t, p)
			if len(maps) != 1 {
				t.Fatalf("got %d inline maps in figure.territory-map, want 1", len(maps))
			}
			if !strings.Contains(maps[0], tt.current) {
				t.Errorf("the map's subtitle is not %q", tt.current)
			}
			current, others := currentPicture(p)
			if current != tt.current || len(others) != 2 {
				t.Errorf("the switch marks %q as current with links to %q; want %q and the two others", current, others, tt.current)
			}
			for _, o := range others {
				if o == tt.current {
					t.Errorf("the switch links the current picture %q", o)
				}
			}
		})
	}
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	p.hasText(t, eastLabel, bufferLabel, "recognised de facto", "demilitarised buffer zone",
		"As the point reads it.", "Eastland", "northern side of the Line of contact",
		"By proposed status", "By party", "Held in law", "Controlled in fact", "no provision",
		"Drawn for the tests", // the source of the map
		"/versions/"+f.us28.ID+"/map.svg", "/api/v1/versions/"+f.us28.ID+"/territory")
	// The provisions table has one row per provision, with its areas.
	rows := regexp.MustCompile(`(?s)<table class="provisions">.*?</table>`).FindString(p.Body)
	if n := strings.Count(rows, "<tr>") - 1; n != 2 {
		t.Errorf("the provisions table has %d rows, want 2", n)
	}
	// Eastland is a one-degree square at 50° N: some 7,900 km².
	if !regexp.MustCompile(`<td class="num">7,[89]\d\d[^<0-9]*km²</td>`).MatchString(rows) {
		t.Errorf("the provisions table does not give Eastland's area of about 7,900 km²: %s", cutBody(rows))
	}
	// A mediator edits and deletes; the form to add and import is there.
	p.has(t, `#p-21.a">21.a</a>`, "/provisions/"+f.us[0].ID+"/edit", `action="/provisions/`+f.us[0].ID+`/delete"`,
		"/versions/"+f.us28.ID+"/provisions/new", "/versions/"+f.us28.ID+"/territory/import",
		`action="/versions/`+f.us28.ID+`/territory/compare"`)
	pageGet(t, f.env, path+"?picture=colour").want(t, http.StatusBadRequest)
}

// TestTerritoryPageObserver: an observer reads the territory but is not
// offered the means to change it.
func TestTerritoryPageObserver(t *testing.T) {
	f := newTerritoryFixture(t)
	a := f.env.NewAccount(t, "observer", false)
	f.env.Grant(t, a, f.process.ID, parley.RoleObserver, "")
	p := pageGet(t, f.env.As(a), "/versions/"+f.us28.ID+"/territory").want(t, http.StatusOK)
	p.hasText(t, eastLabel, bufferLabel)
	p.hasNot(t, "/provisions/"+f.us[0].ID+"/edit", "/provisions/new", "/territory/import")
}

// TestTerritoryPageWithoutMap: a version of a process without regions
// says so, and has no map to serve.
func TestTerritoryPageWithoutMap(t *testing.T) {
	f := newFixture(t)
	p := pageGet(t, f.env, "/versions/"+f.us28.ID+"/territory").want(t, http.StatusOK)
	p.hasText(t, "This process has no map yet", "No territorial provision of this version")
	if maps := inlineMaps(t, p); len(maps) != 0 {
		t.Errorf("got %d maps, want none", len(maps))
	}
	pageGet(t, f.env, "/versions/"+f.us28.ID+"/map.svg").want(t, http.StatusNotFound)
}

func TestMapSVG(t *testing.T) {
	f := newTerritoryFixture(t)
	maps := map[string]string{}
	for _, pic := range []string{"", "de_jure", "de_facto"} {
		path := "/versions/" + f.us28.ID + "/map.svg"
		if pic != "" {
			path += "?picture=" + pic
		}
		p := pageGet(t, f.env, path).want(t, http.StatusOK)
		if ct := p.Header.Get("Content-Type"); ct != "image/svg+xml; charset=utf-8" {
			t.Errorf("GET %s: got Content-Type %q, want image/svg+xml; charset=utf-8", path, ct)
		}
		if got := p.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: got X-Content-Type-Options %q, want nosniff", path, got)
		}
		if !strings.HasPrefix(p.Body, `<?xml`) {
			t.Errorf("GET %s: the file does not start with an XML declaration: %.60s", path, p.Body)
		}
		var n svgNode
		if err := xml.Unmarshal([]byte(p.Body), &n); err != nil || n.XMLName.Local != "svg" {
			t.Errorf("GET %s: not a well-formed SVG (%v, root %q)", path, err, n.XMLName.Local)
		}
		for _, bad := range []string{"<script", "style=", "<style", "<image", "href=\"http"} {
			if strings.Contains(p.Body, bad) {
				t.Errorf("GET %s: the SVG holds %q", path, bad)
			}
		}
		maps[pic] = p.Body
	}
	if maps[""] == maps["de_jure"] || maps["de_jure"] == maps["de_facto"] || maps[""] == maps["de_facto"] {
		t.Error("two pictures drew the same map")
	}
	// Each picture names what it shows.
	for pic, want := range map[string]string{"": "Proposed status", "de_jure": "Who holds it in law", "de_facto": "Who controls it in fact"} {
		if !strings.Contains(maps[pic], want) {
			t.Errorf("the %q map does not say %q", pic, want)
		}
	}
	pageGet(t, f.env, "/versions/"+f.us28.ID+"/map.svg?picture=nope").want(t, http.StatusBadRequest)
}

func TestTerritoryCompare(t *testing.T) {
	f := newTerritoryFixture(t)
	path := "/versions/" + f.framework.ID + "/territory/compare?with=" + f.us28.ID
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	if maps := inlineMaps(t, p); len(maps) != 3 {
		t.Fatalf("got %d inline maps, want 3 (each version and what changed)", len(maps))
	}
	p.hasText(t, "What changed", "US 28 points", "Framework", "frozen along the line of contact", "recognised de facto",
		"demilitarised buffer zone", "Areas by proposed status")
	changes := regexp.MustCompile(`(?s)<table class="changes">.*?</table>`).FindString(p.Body)
	// Eastland goes from recognised de facto to frozen; the north of
	// Westland from a buffer zone to no provision.
	if n := strings.Count(changes, "<tr>") - 1; n != 2 {
		t.Errorf("the changes table has %d rows, want 2: %s", n, cutBody(changes))
	}
	for _, want := range []string{"recognised de facto", "frozen along the line of contact", "demilitarised buffer zone", "no provision"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the changes table does not say %q", want)
		}
	}
	current, _ := currentPicture(p)
	if current != "Proposed status" {
		t.Errorf("the switch marks %q as current, want Proposed status", current)
	}
	q := pageGet(t, f.env, path+"&picture=de_facto").want(t, http.StatusOK)
	if current, _ := currentPicture(q); current != "Who controls it in fact" {
		t.Errorf("with picture=de_facto the switch marks %q as current", current)
	}
	d := pageGet(t, f.env, "/versions/"+f.framework.ID+"/territory/diff.svg?with="+f.us28.ID).want(t, http.StatusOK)
	if ct := d.Header.Get("Content-Type"); ct != "image/svg+xml; charset=utf-8" {
		t.Errorf("the map of changes: got Content-Type %q", ct)
	}
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"no version to compare with", "/versions/" + f.framework.ID + "/territory/compare", http.StatusBadRequest},
		{"a made-up version to compare with", "/versions/" + f.framework.ID + "/territory/compare?with=" + madeUp, http.StatusBadRequest},
		{"a version of another process", "/versions/" + f.framework.ID + "/territory/compare?with=" + f.otherProcessVersion.ID, http.StatusBadRequest},
		{"a made-up version", "/versions/" + madeUp + "/territory/compare?with=" + f.us28.ID, http.StatusNotFound},
		{"a bad picture", path + "&picture=x", http.StatusBadRequest},
		{"the map of changes without a version", "/versions/" + f.framework.ID + "/territory/diff.svg", http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pageGet(t, f.env, tt.path).want(t, tt.status)
		})
	}
}

// TestProvisionFormRoundTrip creates, edits and deletes a provision
// through its form, each answered by a redirect to the territory page.
func TestProvisionFormRoundTrip(t *testing.T) {
	f := newTerritoryFixture(t)
	env := f.env
	territory := "/versions/" + f.us28.ID + "/territory"
	pageGet(t, env, "/versions/"+f.us28.ID+"/provisions/new").want(t, http.StatusOK).
		has(t, `name="label"`, `name="region_ids"`, `value="`+f.west.ID+`"`, `name="line_id"`, `name="side"`, `name="buffer_km"`,
			`name="status"`, `name="de_jure_id"`, `name="de_facto_id"`, `name="drawn"`, `name="classification"`, `value="21.b"`)
	form := url.Values{"point_id": {"21.b"}, "label": {"South of the line in Westland, frozen"}, "region_ids": {f.west.ID},
		"line_id": {f.line.ID}, "side": {"right"}, "buffer_km": {""}, "status": {"frozen"}, "de_jure_id": {f.ukraine.ID},
		"de_facto_id": {f.ukraine.ID}, "note": {"Kept as it stands."}, "drawn": {""}, "classification": {"public"}}
	pagePost(t, env, "/versions/"+f.us28.ID+"/provisions/new", form).wantRedirect(t, territory)
	var made *parley.Provision
	ps, err := env.Svc.Territory.FindProvisions(System, parley.ProvisionFilter{ProcessID: f.process.ID, VersionID: f.us28.ID})
	must(t, err)
	for _, p := range ps {
		if p.Label == "South of the line in Westland, frozen" {
			made = p
		}
	}
	if made == nil {
		t.Fatalf("the new provision was not stored: %d provisions", len(ps))
	}
	if made.PointID != "21.b" || made.LineID != f.line.ID || made.Side != parley.Right || made.Status != parley.StatusFrozen ||
		made.DeFactoID != f.ukraine.ID || made.Note != "Kept as it stands." || len(made.RegionIDs) != 1 || made.RegionIDs[0] != f.west.ID {
		t.Errorf("stored %+v, not what the form said", made)
	}
	p := pageGet(t, env, territory).want(t, http.StatusOK)
	p.hasText(t, "South of the line in Westland, frozen", "southern side of the Line of contact")

	edit := "/provisions/" + made.ID + "/edit"
	pageGet(t, env, edit).want(t, http.StatusOK).has(t, `value="South of the line in Westland, frozen"`)
	form.Set("status", "withdrawal")
	form.Set("buffer_km", "20")
	pagePost(t, env, edit, form).wantRedirect(t, territory)
	got, err := env.Svc.Territory.FindProvisionByID(System, made.ID)
	must(t, err)
	if got.Status != parley.StatusWithdrawal || got.BufferKm != 20 || got.VersionID != f.us28.ID {
		t.Errorf("after the edit: status %q, buffer %g km, version %s; want withdrawal, 20 km, %s", got.Status, got.BufferKm, got.VersionID, f.us28.ID)
	}

	pagePost(t, env, "/provisions/"+made.ID+"/delete", url.Values{}).wantRedirect(t, territory)
	if _, err := env.Svc.Territory.FindProvisionByID(System, made.ID); parley.ErrorCode(err) != parley.ENOTFOUND {
		t.Errorf("after the delete: got %v, want not found", err)
	}
	if n := provisionCount(t, env, f.process.ID, f.us28.ID); n != len(f.us) {
		t.Errorf("after the round trip: %d provisions, want %d", n, len(f.us))
	}
	// A drawn area alone is a provision too.
	drawn := url.Values{"label": {"A drawn spit"}, "status": {"buffer_zone"}, "classification": {"public"},
		"drawn": {`{"type":"Polygon","coordinates":[[[30.2,50.1],[30.4,50.1],[30.4,50.2],[30.2,50.1]]]}`}}
	pagePost(t, env, "/versions/"+f.us28.ID+"/provisions/new", drawn).wantRedirect(t, territory)
	pageGet(t, env, territory).want(t, http.StatusOK).hasText(t, "A drawn spit", "a drawn area")
}

// TestProvisionFormErrors: what the provision form refuses is said next
// to the input it is about, and nothing is stored.
func TestProvisionFormErrors(t *testing.T) {
	f := newTerritoryFixture(t)
	valid := func() url.Values {
		return url.Values{"label": {"Westland"}, "region_ids": {f.west.ID}, "status": {"frozen"}, "classification": {"public"}}
	}
	for _, tt := range []struct {
		name, input, value string
		field              string // the input the message must be next to
		words              []string
	}{
		{"a buffer that is no number", "buffer_km", "abc", "buffer_km", []string{"number of kilometres", "abc"}},
		{"a buffer too wide", "buffer_km", "5000", "buffer_km", []string{"0 to 500 km"}},
		{"a drawn area with an open ring", "drawn", `{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,51]]]}`, "drawn", []string{"not closed"}},
		{"a drawn area running clockwise", "drawn", `{"type":"Polygon","coordinates":[[[30,50],[30,51],[31,51],[31,50],[30,50]]]}`, "drawn", []string{"clockwise"}},
		{"a drawn point", "drawn", `{"type":"Point","coordinates":[30,50]}`, "drawn", []string{"Point"}},
		{"drawn text that is no JSON", "drawn", `{"type":`, "drawn", []string{"JSON"}},
		{"no label", "label", "", "label", []string{"label"}},
		{"an unknown status", "status", "annexed", "status", []string{"annexed"}},
		{"a side without a line", "side", "left", "line_id", []string{"line"}},
		{"no region and no drawn area", "region_ids", "", "region_ids", []string{"region"}},
		{"a point the version does not have", "point_id", "99", "point_id", []string{"99"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := valid()
			form.Set(tt.input, tt.value)
			p := pagePost(t, f.env, "/versions/"+f.us28.ID+"/provisions/new", form).want(t, http.StatusBadRequest)
			msg := p.fieldError(tt.field)
			if msg == "" {
				t.Fatalf("no message next to %s: %s", tt.field, gist(p.Body))
			}
			for _, w := range tt.words {
				if !strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
					t.Errorf("the message %q does not say %q", msg, w)
				}
			}
			if n := provisionCount(t, f.env, f.process.ID, f.us28.ID); n != len(f.us) {
				t.Errorf("a refused form stored a provision: %d, want %d", n, len(f.us))
			}
		})
	}
}

// badGeoJSON are GeoJSON files an import refuses, each with a word its
// message must hold.
func badGeoJSON() []struct{ name, body, words string } {
	feature := func(geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Imported","status":"frozen"},"geometry":` + geometry + `}]}`
	}
	var huge strings.Builder
	huge.WriteString(`{"type":"Polygon","coordinates":[[[30,50]`)
	for range parley.MaxPositions {
		huge.WriteString(`,[30,50]`)
	}
	huge.WriteString(`]]}`)
	return []struct{ name, body, words string }{
		{"an open ring", feature(`{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,51]]]}`), "not closed"},
		{"a ring running clockwise", feature(`{"type":"Polygon","coordinates":[[[30,50],[30,51],[31,51],[31,50],[30,50]]]}`), "clockwise"},
		{"a ring crossing itself", feature(`{"type":"Polygon","coordinates":[[[30,50],[32,50],[32,52],[31,49],[30,51],[30,50]]]}`), "crosses"},
		{"a point", feature(`{"type":"Point","coordinates":[30,50]}`), "Point"},
		{"more positions than the limit", feature(huge.String()), "positions"},
		{"invalid JSON", `{"type":"FeatureCollection","features":[{"type":"Feature",]}`, "line 1, column"},
		{"no feature", `{"type":"FeatureCollection","features":[]}`, "no feature"},
		{"an unknown property", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Imported","status":"frozen",` +
			`"colour":"red","regions":["XW"]},"geometry":null}]}`, "colour"},
		{"an unknown region", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Imported","status":"frozen","regions":["ZZ-99"]},"geometry":null}]}`, "ZZ-99"},
	}
}

// TestTerritoryImportPage: the import form stores a version's provisions
// from a GeoJSON file or pasted text, all or none; a file it refuses is
// answered with the form, a clear message next to the input, and nothing
// stored.
func TestTerritoryImportPage(t *testing.T) {
	f := newTerritoryFixture(t)
	path := "/versions/" + f.framework.ID + "/territory/import"
	pageGet(t, f.env, path).want(t, http.StatusOK).has(t, `enctype="multipart/form-data"`, `name="file"`, `name="geojson"`)
	for _, tt := range badGeoJSON() {
		t.Run(tt.name, func(t *testing.T) {
			for _, how := range []string{"file", "pasted"} {
				var p *page
				if how == "file" {
					p = pagePostMultipart(t, f.env, path, url.Values{}, "file", "provisions.geojson", []byte(tt.body))
				} else {
					p = pagePostMultipart(t, f.env, path, url.Values{"geojson": {tt.body}}, "", "", nil)
				}
				p.want(t, http.StatusBadRequest)
				if msg := p.fieldError("geojson"); !strings.Contains(msg, tt.words) {
					t.Errorf("%s: the message next to the input is %q, want it to say %q", how, msg, tt.words)
				}
				if n := provisionCount(t, f.env, f.process.ID, f.framework.ID); n != len(f.fw) {
					t.Errorf("%s: a refused import stored provisions: %d, want %d", how, n, len(f.fw))
				}
			}
		})
	}
	// Of two features, one refused: neither is stored.
	half := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"label":"Good","status":"frozen","regions":["XW"]},"geometry":null},` +
		`{"type":"Feature","properties":{"label":"Bad","status":"seized","regions":["XW"]},"geometry":null}]}`
	p := pagePostMultipart(t, f.env, path, url.Values{"geojson": {half}}, "", "", nil).want(t, http.StatusBadRequest)
	if msg := p.fieldError("geojson"); !strings.Contains(msg, "feature 1") || !strings.Contains(msg, "seized") {
		t.Errorf("the message %q does not name feature 1 and its status", msg)
	}
	if n := provisionCount(t, f.env, f.process.ID, f.framework.ID); n != len(f.fw) {
		t.Errorf("half an import was stored: %d provisions, want %d", n, len(f.fw))
	}
	// A good file is stored whole, and the territory page shows it.
	good := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"label":"Westland, returned","status":"returned","regions":["XW"],"de_jure":"Ukraine","point":"14.c"},"geometry":null},` +
		`{"type":"Feature","properties":{"label":"A drawn zone","status":"buffer_zone"},"geometry":{"type":"Polygon","coordinates":[[[30.2,50.1],[30.4,50.1],[30.4,50.2],[30.2,50.1]]]}}]}`
	pagePostMultipart(t, f.env, path, url.Values{}, "file", "provisions.geojson", []byte(good)).
		wantRedirect(t, "/versions/"+f.framework.ID+"/territory")
	if n := provisionCount(t, f.env, f.process.ID, f.framework.ID); n != len(f.fw)+2 {
		t.Errorf("after a good import: %d provisions, want %d", n, len(f.fw)+2)
	}
	pageGet(t, f.env, "/versions/"+f.framework.ID+"/territory").want(t, http.StatusOK).hasText(t, "Westland, returned", "A drawn zone")
}

// TestMapPageAndRegionImport: the map page lists the regions and lines;
// an import of regions needs its source; a region's and a line's forms
// change their names and holders.
func TestMapPageAndRegionImport(t *testing.T) {
	f := newTerritoryFixture(t)
	in := "/processes/" + f.process.ID
	p := pageGet(t, f.env, in+"/map").want(t, http.StatusOK)
	p.hasText(t, "Westland", "Eastland", "XW", "XE", "Line of contact", "northern side", "southern side", "Drawn for the tests")
	if maps := inlineMaps(t, p); len(maps) != 1 {
		t.Errorf("the map page has %d maps, want 1", len(maps))
	}
	region := `{"type":"FeatureCollection","features":[{"type":"Feature","id":"XN","properties":{"name":"Northland","de_facto":"Russia"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[30,51],[31,51],[31,52],[30,52],[30,51]]]}}]}`
	q := pagePostMultipart(t, f.env, in+"/regions/import", url.Values{"geojson": {region}}, "", "", nil).want(t, http.StatusBadRequest)
	if msg := q.fieldError("source"); msg == "" {
		t.Errorf("an import without a source: no message next to the source: %s", gist(q.Body))
	}
	pagePostMultipart(t, f.env, in+"/regions/import", url.Values{"geojson": {region}, "source": {"Drawn by hand, no licence needed"}}, "", "", nil).
		wantRedirect(t, in+"/map")
	rs, err := f.env.Svc.Territory.FindRegions(System, f.process.ID)
	must(t, err)
	var north *parley.Region
	for _, r := range rs {
		if r.Code == "XN" {
			north = r
		}
	}
	if north == nil || north.Name != "Northland" || north.DeFactoID != f.russia.ID || north.Source != "Drawn by hand, no licence needed" {
		t.Fatalf("the imported region: got %+v", north)
	}
	// The same code again is refused, whole.
	pagePostMultipart(t, f.env, in+"/regions/import", url.Values{"geojson": {region}, "source": {"Again"}}, "", "", nil).want(t, http.StatusBadRequest)
	// The base map adds its 27 regions to a process without a map, and
	// adding it again adds nothing; over the fixture's squares, which
	// overlap it, it is refused.
	bare := &parley.Process{Name: "Bare", Classification: parley.Classification{Level: parley.Public}}
	must(t, f.env.Svc.Processes.CreateProcess(f.env.Ctx, bare))
	for range 2 {
		pagePost(t, f.env, "/processes/"+bare.ID+"/map/base/ukraine-adm1", url.Values{}).wantRedirect(t, "/processes/"+bare.ID+"/map")
		all, err := f.env.Svc.Territory.FindRegions(System, bare.ID)
		must(t, err)
		if len(all) != 27 {
			t.Fatalf("after adding the base map: %d regions, want 27", len(all))
		}
	}
	pagePost(t, f.env, in+"/map/base/ukraine-adm1", url.Values{}).want(t, http.StatusBadRequest).hasText(t, "overlaps")
	line := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Withdrawal line"},` +
		`"geometry":{"type":"LineString","coordinates":[[30,51.5],[31,51.5]]}}]}`
	pagePostMultipart(t, f.env, in+"/lines/import", url.Values{"geojson": {line}, "source": {"Drawn"}}, "", "", nil).wantRedirect(t, in+"/map")
	pageGet(t, f.env, in+"/map").want(t, http.StatusOK).hasText(t, "Northland", "Withdrawal line", "left side", "right side")

	form := url.Values{"name": {"Westland proper"}, "code": {"XW"}, "de_jure_id": {f.ukraine.ID}, "de_facto_id": {f.russia.ID},
		"source": {"Drawn for the tests"}, "classification": {"public"}}
	pagePost(t, f.env, "/regions/"+f.west.ID+"/edit", form).wantRedirect(t, in+"/map")
	w, err := f.env.Svc.Territory.FindRegionByID(System, f.west.ID)
	must(t, err)
	if w.Name != "Westland proper" || w.DeFactoID != f.russia.ID || len(w.Area) != 1 {
		t.Errorf("after the region's form: %q, in fact %q, %d polygons; want the new name and holder, the area kept", w.Name, w.DeFactoID, len(w.Area))
	}
	lf := url.Values{"name": {"Line of contact, 2025"}, "left_label": {"north"}, "right_label": {"south"}, "source": {"Drawn"}, "classification": {"public"}}
	pagePost(t, f.env, "/lines/"+f.line.ID+"/edit", lf).wantRedirect(t, in+"/map")
	l, err := f.env.Svc.Territory.FindLineByID(System, f.line.ID)
	must(t, err)
	if l.Name != "Line of contact, 2025" || l.LeftLabel != "north" || len(l.Path) != 2 {
		t.Errorf("after the line's form: %q, left %q, %d positions", l.Name, l.LeftLabel, len(l.Path))
	}
}

// TestVersionPageLinksTerritory: a version's page links its territory
// page, and shows its map when it has provisions.
func TestVersionPageLinksTerritory(t *testing.T) {
	f := newTerritoryFixture(t)
	p := pageGet(t, f.env, "/versions/"+f.us28.ID).want(t, http.StatusOK)
	p.has(t, `href="/versions/`+f.us28.ID+`/territory"`, `src="/versions/`+f.us28.ID+`/map.svg"`)
	p.hasText(t, "2 provisions")
	q := pageGet(t, f.env, "/versions/"+f.unknown.ID).want(t, http.StatusOK)
	q.has(t, `href="/versions/`+f.unknown.ID+`/territory"`)
	q.hasNot(t, "/map.svg")
}

// TestDemoTerritory reads the demo's territory: the 28 points' page lists
// every provision with the map, the framework compared with the 28 points
// shows what changed, and the 28 points' provisions, exported and
// imported into a copy of their version, come back the same, down to a
// tenth of a km².
func TestDemoTerritory(t *testing.T) {
	d := newDemoEnv(t)
	ps, err := d.Svc.Territory.FindProvisions(System, parley.ProvisionFilter{ProcessID: d.processID, VersionID: d.us28})
	must(t, err)
	if len(ps) < 5 {
		t.Fatalf("the demo's 28 points have %d provisions, want their point 21's", len(ps))
	}
	p := pageGet(t, d.testEnv, "/versions/"+d.us28+"/territory").want(t, http.StatusOK)
	if maps := inlineMaps(t, p); len(maps) != 1 {
		t.Errorf("the 28 points' territory has %d maps, want 1", len(maps))
	}
	rows := regexp.MustCompile(`(?s)<table class="provisions">.*?</table>`).FindString(p.Body)
	if n := strings.Count(rows, "<tr>") - 1; n != len(ps) {
		t.Errorf("the provisions table has %d rows, want the %d provisions", n, len(ps))
	}
	p.hasText(t, "Donetsk", "Crimea", "21.a", "21.d", "recognised de facto", "demilitarised buffer zone", "Line of contact")
	if strings.Contains(rows, "Not drawn:") {
		t.Errorf("a provision of the 28 points could not be drawn: %s", cutBody(rows))
	}
	c := pageGet(t, d.testEnv, "/versions/"+d.framework+"/territory/compare?with="+d.us28).want(t, http.StatusOK)
	if maps := inlineMaps(t, c); len(maps) != 3 {
		t.Errorf("the comparison has %d maps, want 3", len(maps))
	}
	changes := regexp.MustCompile(`(?s)<table class="changes">.*?</table>`).FindString(c.Body)
	if strings.Count(changes, "<tr>") < 3 {
		t.Errorf("the framework reads the territory of the 28 points alike, or nearly: %s", cutBody(changes))
	}

	v, err := d.Svc.Plans.FindVersionByID(System, d.us28)
	must(t, err)
	copyOf := &parley.Version{PlanID: v.PlanID, Label: "The 28 points, again", Date: v.Date, Status: parley.Draft, Text: v.Text,
		Classification: v.Classification}
	must(t, d.Svc.Plans.CreateVersion(d.Ctx, copyOf))
	export := apiCall(t, d.testEnv, http.MethodGet, "/api/v1/versions/"+d.us28+"/territory", nil)
	from := readFeatures(t, export, http.StatusOK)
	to := readFeatures(t, geoPost(t, d.testEnv, "/api/v1/versions/"+copyOf.ID+"/territory", export.Body), http.StatusCreated)
	a, b := from.byLabel(), to.byLabel()
	if len(a) != len(ps) || len(b) != len(a) {
		t.Fatalf("exported %d provisions by label, imported %d, want %d", len(a), len(b), len(ps))
	}
	for label, pa := range a {
		pb := b[label]
		for _, key := range []string{"status", "point", "de_jure", "de_facto", "regions", "line", "side", "drawn"} {
			if ja, jb := mustJSON(t, pa[key]), mustJSON(t, pb[key]); ja != jb {
				t.Errorf("%q: %s was %s, is %s", label, key, ja, jb)
			}
		}
		for _, key := range []string{"area_km2", "shown_km2"} {
			x, _ := pa[key].(float64)
			y, _ := pb[key].(float64)
			if math.Abs(x-y) > 0.1 {
				t.Errorf("%q: %s was %g, is %g", label, key, x, y)
			}
		}
	}
}

// TestTerritoryPageDelegate: a delegate adds a provision of its party's
// own through the form, and is offered to edit that one only; another
// party's delegate does not see it.
func TestTerritoryPageDelegate(t *testing.T) {
	f := newTerritoryFixture(t)
	ua := f.env.NewAccount(t, "ukraine", false)
	f.env.Grant(t, ua, f.process.ID, parley.RoleDelegate, f.ukraine.ID)
	ru := f.env.NewAccount(t, "russia", false)
	f.env.Grant(t, ru, f.process.ID, parley.RoleDelegate, f.russia.ID)
	asUA, asRU := f.env.As(ua), f.env.As(ru)
	territory := "/versions/" + f.us28.ID + "/territory"
	// The delegate's new provision starts confidential to its party,
	// whatever the version's classification: the only kind it may write.
	pageGet(t, asUA, "/versions/"+f.us28.ID+"/provisions/new").want(t, http.StatusOK).
		has(t, `<option value="confidential" selected>`, `value="`+f.ukraine.ID+`" checked`)
	form := url.Values{"label": {"Westland, our reading"}, "region_ids": {f.west.ID}, "status": {"unchanged"},
		"classification": {"confidential"}, "classification_parties": {f.ukraine.ID}}
	pagePost(t, asUA, "/versions/"+f.us28.ID+"/provisions/new", form).wantRedirect(t, territory)
	var own *parley.Provision
	ps, err := f.env.Svc.Territory.FindProvisions(System, parley.ProvisionFilter{ProcessID: f.process.ID, VersionID: f.us28.ID})
	must(t, err)
	for _, p := range ps {
		if p.Label == "Westland, our reading" {
			own = p
		}
	}
	if own == nil || own.Classification.Level != parley.Confidential || len(own.Classification.PartyIDs) != 1 || own.Classification.PartyIDs[0] != f.ukraine.ID {
		t.Fatalf("the delegate's provision: got %+v, want one confidential to Ukraine", own)
	}
	p := pageGet(t, asUA, territory).want(t, http.StatusOK)
	p.hasText(t, "Westland, our reading", eastLabel)
	p.has(t, "/provisions/"+own.ID+"/edit", "/versions/"+f.us28.ID+"/provisions/new")
	p.hasNot(t, "/provisions/"+f.us[0].ID+"/edit", "/provisions/"+f.us[1].ID+"/edit")
	q := pageGet(t, asRU, territory).want(t, http.StatusOK)
	q.hasText(t, eastLabel)
	q.hasNot(t, "Westland, our reading", own.ID)
	pageGet(t, asRU, "/provisions/"+own.ID+"/edit").want(t, http.StatusNotFound)
	pagePost(t, asRU, "/provisions/"+own.ID+"/delete", url.Values{}).want(t, http.StatusNotFound)
	pagePost(t, asUA, "/provisions/"+f.us[0].ID+"/delete", url.Values{}).want(t, http.StatusForbidden)
	pagePost(t, asUA, "/provisions/"+own.ID+"/delete", url.Values{}).wantRedirect(t, territory)
}

// TestTerritoryKeptPerReader: a resolution kept for one reader is never
// served to another who was given other records: a public provision whose
// holder is a party hidden from an observer shows the mediator the party
// and the observer "not stated", whoever asks first.
func TestTerritoryKeptPerReader(t *testing.T) {
	f := newTerritoryFixture(t)
	secret := &parley.Party{ProcessID: f.process.ID, Name: "Secret party", Kind: parley.State,
		Classification: parley.Classification{Level: parley.MediatorsOnly}}
	must(t, f.env.Svc.Parties.CreateParty(f.env.Ctx, secret))
	p := &parley.Provision{ProcessID: f.process.ID, VersionID: f.us28.ID, Label: "Held by a secret", RegionIDs: []string{f.west.ID},
		Status: parley.StatusFrozen, DeFactoID: secret.ID, Classification: parley.Classification{Level: parley.Public}}
	must(t, f.env.Svc.Territory.CreateProvisions(f.env.Ctx, []*parley.Provision{p}))
	a := f.env.NewAccount(t, "observer", false)
	f.env.Grant(t, a, f.process.ID, parley.RoleObserver, "")
	observer := f.env.As(a)
	api := "/api/v1/versions/" + f.us28.ID + "/territory"
	page := "/versions/" + f.us28.ID + "/territory"
	for _, first := range []bool{true, false} {
		if first {
			pageGet(t, f.env, api).want(t, http.StatusOK).has(t, secret.ID)
			pageGet(t, f.env, page).want(t, http.StatusOK).hasText(t, "Secret party")
		}
		pageGet(t, observer, api).want(t, http.StatusOK).hasNot(t, secret.ID, "Secret party")
		pageGet(t, observer, page).want(t, http.StatusOK).hasNot(t, secret.ID, "Secret party", "a party not shown")
		if !first {
			pageGet(t, f.env, api).want(t, http.StatusOK).has(t, secret.ID)
			pageGet(t, f.env, page).want(t, http.StatusOK).hasText(t, "Secret party")
		}
		// A write moves the revision: the second round starts afresh.
		p.Note = "again"
		must(t, f.env.Svc.Territory.UpdateProvision(f.env.Ctx, p))
	}
}
