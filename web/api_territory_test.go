package web_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"parley"
	"parley/geo"
)

// geoJSONType is the Content-Type of the territory API's answers.
const geoJSONType = "application/geo+json; charset=utf-8"

// featureCollection is a GeoJSON FeatureCollection as a client reads it.
type featureCollection struct {
	Type     string `json:"type"`
	Features []struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Properties map[string]any  `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	} `json:"features"`
}

// readFeatures wants a GeoJSON answer with the status and reads it.
func readFeatures(tb testing.TB, r *apiResponse, status int) *featureCollection {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("got status %d, want %d: %.500s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != geoJSONType {
		tb.Fatalf("got Content-Type %q, want %s", ct, geoJSONType)
	}
	var fc featureCollection
	if err := json.Unmarshal(r.Body, &fc); err != nil {
		tb.Fatalf("decoding %.300s: %v", r.Body, err)
	}
	if fc.Type != "FeatureCollection" {
		tb.Fatalf("got a GeoJSON %q, want a FeatureCollection", fc.Type)
	}
	return &fc
}

// byLabel returns the properties of each feature by its label.
func (fc *featureCollection) byLabel() map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, f := range fc.Features {
		label, _ := f.Properties["label"].(string)
		out[label] = f.Properties
	}
	return out
}

// geoPost posts GeoJSON to the API.
func geoPost(tb testing.TB, env *testEnv, path string, body []byte) *apiResponse {
	tb.Helper()
	return apiSend(tb, env, http.MethodPost, path, "application/geo+json", body)
}

func TestAPITerritoryGet(t *testing.T) {
	f := newTerritoryFixture(t)
	fc := readFeatures(t, apiCall(t, f.env, http.MethodGet, "/api/v1/versions/"+f.us28.ID+"/territory", nil), http.StatusOK)
	if len(fc.Features) != 2 {
		t.Fatalf("got %d features, want 2", len(fc.Features))
	}
	for _, feat := range fc.Features {
		if feat.Type != "Feature" || len(feat.Geometry) == 0 || string(feat.Geometry) == "null" {
			t.Errorf("feature %s: type %q, geometry %s; want a Feature with its area", feat.ID, feat.Type, feat.Geometry)
		}
		for _, key := range []string{"label", "status", "area_km2", "point", "classification"} {
			if _, ok := feat.Properties[key]; !ok {
				t.Errorf("feature %s has no property %q: %v", feat.ID, key, feat.Properties)
			}
		}
	}
	props := fc.byLabel()
	east, buffer := props[eastLabel], props[bufferLabel]
	if east == nil || buffer == nil {
		t.Fatalf("the features are not the fixture's provisions: %v", props)
	}
	for _, tt := range []struct {
		name      string
		got, want any
	}{
		{"Eastland's status", east["status"], "recognised_de_facto"},
		{"Eastland in law", east["de_jure"], f.ukraine.ID},
		{"Eastland in fact", east["de_facto"], f.russia.ID},
		{"Eastland's holder in fact, by name", east["de_facto_name"], "Russia"},
		{"Eastland's point", east["point"], "21.a"},
		{"the buffer's status", buffer["status"], "buffer_zone"},
		{"the buffer in law", buffer["de_jure"], f.russia.ID},
		{"the buffer's side", buffer["side_label"], "northern side"},
		{"the buffer in fact", buffer["de_facto"], nil},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	// A one-degree square at 50–51° N is some 7,900 km²; the buffer is
	// its northern half.
	ea, _ := east["area_km2"].(float64)
	ba, _ := buffer["area_km2"].(float64)
	if ea < 7700 || ea > 8100 || math.Abs(ba-ea/2) > 0.02*ea {
		t.Errorf("areas: Eastland %g km², the buffer %g km²; want about 7,900 and half of it", ea, ba)
	}
	apiCall(t, f.env, http.MethodGet, "/api/v1/versions/"+madeUp+"/territory", nil).apiError(t, http.StatusNotFound, "not_found")

	p := apiCall(t, f.env, http.MethodGet, "/api/v1/provisions/"+f.us[1].ID, nil)
	p.want(t, http.StatusOK)
	got := p.record(t)
	if got["label"] != bufferLabel || got["line_id"] != f.line.ID || got["side"] != "left" {
		t.Errorf("GET the provision: got %v", got)
	}
}

// TestAPITerritoryRoundTrip exports a version's provisions and imports
// them into another version of the same text: the same labels,
// statuses, regions, line, parties and areas.
func TestAPITerritoryRoundTrip(t *testing.T) {
	f := newTerritoryFixture(t)
	// A drawn provision, so that a drawn area makes the trip too.
	drawn := &parley.Provision{ProcessID: f.process.ID, VersionID: f.us28.ID, PointID: "21.c", Label: "A drawn spit",
		Status: parley.StatusWithdrawal, DeJureID: f.ukraine.ID, Drawn: geo.MultiPolygon{{{{30.2, 50.6}, {30.5, 50.6}, {30.5, 50.8}, {30.2, 50.6}}}},
		Classification: parley.Classification{Level: parley.Public}}
	must(t, f.env.Svc.Territory.CreateProvisions(f.env.Ctx, []*parley.Provision{drawn}))
	copyOf := &parley.Version{PlanID: f.plan.ID, Label: "US 28 points, again", Date: f.us28.Date, Status: parley.Tabled,
		Text: f.us28.Text, Classification: parley.Classification{Level: parley.Public}}
	must(t, f.env.Svc.Plans.CreateVersion(f.env.Ctx, copyOf))

	export := apiCall(t, f.env, http.MethodGet, "/api/v1/versions/"+f.us28.ID+"/territory", nil)
	from := readFeatures(t, export, http.StatusOK)
	to := readFeatures(t, geoPost(t, f.env, "/api/v1/versions/"+copyOf.ID+"/territory", export.Body), http.StatusCreated)
	if len(to.Features) != len(from.Features) {
		t.Fatalf("the import answered %d features, want %d", len(to.Features), len(from.Features))
	}
	a, b := from.byLabel(), to.byLabel()
	for label, pa := range a {
		pb := b[label]
		if pb == nil {
			t.Errorf("%q did not make the trip", label)
			continue
		}
		for _, key := range []string{"status", "point", "de_jure", "de_facto", "line", "side", "drawn", "classification"} {
			if ja, jb := mustJSON(t, pa[key]), mustJSON(t, pb[key]); ja != jb {
				t.Errorf("%q: %s was %s, is %s", label, key, ja, jb)
			}
		}
		if ja, jb := mustJSON(t, pa["regions"]), mustJSON(t, pb["regions"]); ja != jb {
			t.Errorf("%q: regions were %s, are %s", label, ja, jb)
		}
		aa, _ := pa["area_km2"].(float64)
		ab, _ := pb["area_km2"].(float64)
		if aa == 0 || math.Abs(aa-ab) > 0.1 {
			t.Errorf("%q: %g km², then %g km²; want the same within 0.1 km²", label, aa, ab)
		}
		if pa["version_id"] == pb["version_id"] || pb["version_id"] != copyOf.ID {
			t.Errorf("%q: imported into version %v, want %s", label, pb["version_id"], copyOf.ID)
		}
	}
	// What the store holds matches the originals, field by field.
	orig, err := f.env.Svc.Territory.FindProvisions(System, parley.ProvisionFilter{ProcessID: f.process.ID, VersionID: f.us28.ID})
	must(t, err)
	made, err := f.env.Svc.Territory.FindProvisions(System, parley.ProvisionFilter{ProcessID: f.process.ID, VersionID: copyOf.ID})
	must(t, err)
	if len(made) != len(orig) {
		t.Fatalf("stored %d provisions, want %d", len(made), len(orig))
	}
	for i := range orig {
		o, m := orig[i], made[i]
		if o.Label != m.Label || o.Status != m.Status || !slices.Equal(o.RegionIDs, m.RegionIDs) || o.LineID != m.LineID || o.Side != m.Side ||
			o.DeJureID != m.DeJureID || o.DeFactoID != m.DeFactoID || o.PointID != m.PointID || o.Note != m.Note ||
			mustJSON(t, o.Drawn) != mustJSON(t, m.Drawn) || o.Classification.String() != m.Classification.String() {
			t.Errorf("provision %d:\nwas %+v\nis  %+v", i, o, m)
		}
	}
}

// TestAPITerritoryImportRefusals: the import takes GeoJSON only, up to its
// limit, all or none, and says what is wrong where.
func TestAPITerritoryImportRefusals(t *testing.T) {
	f := newTerritoryFixture(t)
	path := "/api/v1/versions/" + f.framework.ID + "/territory"
	good := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Westland","status":"frozen","regions":["XW"]},"geometry":null}]}`)
	unchanged := func(t *testing.T) {
		t.Helper()
		if n := provisionCount(t, f.env, f.process.ID, f.framework.ID); n != len(f.fw) {
			t.Errorf("a refused import stored provisions: %d, want %d", n, len(f.fw))
		}
	}
	t.Run("wrong content type", func(t *testing.T) {
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "application/geo+json; charset=latin1"} {
			r := apiSend(t, f.env, http.MethodPost, path, ct, good)
			e := r.apiError(t, http.StatusUnsupportedMediaType, "unsupported_media_type")
			if !strings.Contains(e.Message, "application/geo+json") {
				t.Errorf("Content-Type %q: the message %q does not say what to send", ct, e.Message)
			}
		}
		unchanged(t)
	})
	t.Run("too large", func(t *testing.T) {
		big := bytes.Repeat([]byte(" "), 32<<20+1)
		copy(big, good)
		geoPost(t, f.env, path, big).apiError(t, http.StatusRequestEntityTooLarge, "too_large")
		unchanged(t)
	})
	for _, tt := range badGeoJSON() {
		t.Run(tt.name, func(t *testing.T) {
			r := geoPost(t, f.env, path, []byte(tt.body))
			e := r.apiError(t, http.StatusBadRequest, "invalid")
			if e.Field != "geojson" || !strings.Contains(e.Message, tt.words) {
				t.Errorf("got field %q and message %q, want geojson and a message that says %q", e.Field, e.Message, tt.words)
			}
			unchanged(t)
		})
	}
	readFeatures(t, apiSend(t, f.env, http.MethodPost, path, "application/json", good), http.StatusCreated)
	if n := provisionCount(t, f.env, f.process.ID, f.framework.ID); n != len(f.fw)+1 {
		t.Errorf("a good import sent as application/json: %d provisions, want %d", n, len(f.fw)+1)
	}
}

// TestAPIProvisionPutDelete: a provision is replaced whole and removed.
func TestAPIProvisionPutDelete(t *testing.T) {
	f := newTerritoryFixture(t)
	path := "/api/v1/provisions/" + f.us[0].ID
	r := apiCall(t, f.env, http.MethodPut, path, map[string]any{"label": "Eastland, frozen", "status": "frozen",
		"region_ids": []string{f.east.ID}, "point_id": "21.b", "de_jure_id": f.ukraine.ID, "version_id": f.framework.ID,
		"classification": map[string]any{"level": "public"}})
	r.want(t, http.StatusOK)
	got, err := f.env.Svc.Territory.FindProvisionByID(System, f.us[0].ID)
	must(t, err)
	if got.Label != "Eastland, frozen" || got.Status != parley.StatusFrozen || got.DeFactoID != "" || got.VersionID != f.us28.ID {
		t.Errorf("after PUT: %+v; want the new fields, no holder in fact, the version kept", got)
	}
	apiCall(t, f.env, http.MethodPut, path, map[string]any{"label": "", "status": "frozen", "region_ids": []string{f.east.ID},
		"classification": map[string]any{"level": "public"}}).wantError(t, http.StatusBadRequest, "invalid", "label")
	apiCall(t, f.env, http.MethodPut, path, map[string]any{"label": "Drawn", "status": "frozen",
		"drawn":          map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{30, 50}, {31, 50}, {31, 51}, {30, 51}}}},
		"classification": map[string]any{"level": "public"}}).wantError(t, http.StatusBadRequest, "invalid", "drawn", "not closed")
	if r := apiCall(t, f.env, http.MethodDelete, path, nil); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE: got %d, want 204: %s", r.Status, r.Body)
	}
	apiCall(t, f.env, http.MethodGet, path, nil).apiError(t, http.StatusNotFound, "not_found")
	apiCall(t, f.env, http.MethodDelete, path, nil).apiError(t, http.StatusNotFound, "not_found")
}

// TestAPIRegionAndLineImport: regions and lines are imported with their
// source, as GeoJSON, and listed as GeoJSON.
func TestAPIRegionAndLineImport(t *testing.T) {
	f := newTerritoryFixture(t)
	in := "/api/v1/processes/" + f.process.ID
	region := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"XN","name":"Northland","de_jure":"Ukraine"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[30,51],[31,51],[31,52],[30,52],[30,51]]]}}]}`)
	line := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Withdrawal line","left_label":"west","right_label":"east"},` +
		`"geometry":{"type":"LineString","coordinates":[[30.5,52],[30.5,50]]}}]}`)
	for _, tt := range []struct {
		what   string
		body   []byte
		before int // regions or lines of the fixture
	}{{"regions", region, 2}, {"lines", line, 1}} {
		t.Run(tt.what, func(t *testing.T) {
			geoPost(t, f.env, in+"/"+tt.what, tt.body).wantError(t, http.StatusBadRequest, "invalid", "source", "source")
			geoPost(t, f.env, in+"/"+tt.what+"?source=", tt.body).wantError(t, http.StatusBadRequest, "invalid", "source")
			made := readFeatures(t, geoPost(t, f.env, in+"/"+tt.what+"?"+url.Values{"source": {"Drawn by hand (CC0)"}}.Encode(), tt.body), http.StatusCreated)
			if len(made.Features) != 1 {
				t.Fatalf("the import answered %d features, want 1", len(made.Features))
			}
			list := readFeatures(t, apiCall(t, f.env, http.MethodGet, in+"/"+tt.what, nil), http.StatusOK)
			if len(list.Features) != tt.before+1 {
				t.Errorf("listed %d %s, want %d", len(list.Features), tt.what, tt.before+1)
			}
			found := false
			for _, feat := range list.Features {
				if string(feat.ID) == string(made.Features[0].ID) {
					found = true
					if feat.Properties["source"] != "Drawn by hand (CC0)" {
						t.Errorf("the imported one's source: got %v", feat.Properties["source"])
					}
				}
			}
			if !found {
				t.Errorf("the list lacks the imported one (%s)", made.Features[0].ID)
			}
		})
	}
	regions := readFeatures(t, apiCall(t, f.env, http.MethodGet, in+"/regions", nil), http.StatusOK)
	for _, feat := range regions.Features {
		if feat.Properties["code"] == "XN" && feat.Properties["de_jure"] != f.ukraine.ID {
			t.Errorf("Northland's holder in law: got %v, want Ukraine's ID", feat.Properties["de_jure"])
		}
	}
	// A code the process has already is refused, and nothing is added.
	geoPost(t, f.env, in+"/regions?source=again", region).wantError(t, http.StatusBadRequest, "invalid", "code", "XN")
	if rs, err := f.env.Svc.Territory.FindRegions(System, f.process.ID); err != nil || len(rs) != 3 {
		t.Errorf("after a refused import: %d regions (%v), want 3", len(rs), err)
	}
}

// TestAPITerritoryObserverWrites: an observer reads the territory and
// writes none of it: every write is refused with 403 and changes nothing.
func TestAPITerritoryObserverWrites(t *testing.T) {
	f := newTerritoryFixture(t)
	a := f.env.NewAccount(t, "observer", false)
	f.env.Grant(t, a, f.process.ID, parley.RoleObserver, "")
	obs := f.env.As(a)
	in := "/api/v1/processes/" + f.process.ID
	readFeatures(t, apiCall(t, obs, http.MethodGet, "/api/v1/versions/"+f.us28.ID+"/territory", nil), http.StatusOK)
	region := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"XN","name":"Northland"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[30,51],[31,51],[31,52],[30,52],[30,51]]]}}]}`)
	line := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A line"},` +
		`"geometry":{"type":"LineString","coordinates":[[30.5,52],[30.5,50]]}}]}`)
	provision := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Westland","status":"frozen","regions":["XW"]},"geometry":null}]}`)
	before := f.stateOf(t)
	for _, tt := range []struct {
		name string
		r    func() *apiResponse
	}{
		{"import provisions", func() *apiResponse { return geoPost(t, obs, "/api/v1/versions/"+f.us28.ID+"/territory", provision) }},
		{"replace a provision", func() *apiResponse {
			return apiCall(t, obs, http.MethodPut, "/api/v1/provisions/"+f.us[0].ID, map[string]any{"label": "Mine", "status": "frozen",
				"region_ids": []string{f.east.ID}, "classification": map[string]any{"level": "public"}})
		}},
		{"delete a provision", func() *apiResponse { return apiCall(t, obs, http.MethodDelete, "/api/v1/provisions/"+f.us[0].ID, nil) }},
		{"import regions", func() *apiResponse { return geoPost(t, obs, in+"/regions?source=mine", region) }},
		{"import lines", func() *apiResponse { return geoPost(t, obs, in+"/lines?source=mine", line) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.r().apiError(t, http.StatusForbidden, "forbidden")
		})
	}
	if after := f.stateOf(t); after != before {
		t.Errorf("an observer's refused writes changed the territory:\nbefore %.500s\nafter  %.500s", before, after)
	}
}

// stateOf is the fixture's territory as the system reads it.
func (f *territoryFixture) stateOf(tb testing.TB) string {
	tb.Helper()
	a, err := f.env.Svc.Archive.ExportProcess(System, f.process.ID)
	must(tb, err)
	return mustJSON(tb, []any{a.Regions, a.Lines, a.Provisions})
}

// FuzzTerritoryImport posts arbitrary bodies to the import of a version's
// provisions, through the API and through the page's form (as a file and
// pasted): never a 5xx, and a refusal stores nothing.
func FuzzTerritoryImport(f *testing.F) {
	fx := newTerritoryFixture(f)
	version := fx.framework.ID
	for _, tt := range badGeoJSON() {
		if len(tt.body) < 4096 { // not the one over the limit of positions: too large a seed
			f.Add(uint8(0), []byte(tt.body))
			f.Add(uint8(1), []byte(tt.body))
		}
	}
	for k, s := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Westland","status":"frozen","regions":["XW"],"line":"Line of contact","side":"left"},"geometry":null}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"Drawn","status":"buffer_zone","de_jure":"Ukraine"},"geometry":{"type":"MultiPolygon","coordinates":[[[[30.1,50.1],[30.3,50.1],[30.3,50.3],[30.1,50.1]]]]}}]}`,
		`{"type":"Feature","properties":{"label":"One","status":"returned","regions":["XE"],"buffer_km":1e308},"geometry":null}`,
		`{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,50]]]}`,
		`{"type":"Topology","objects":{},"arcs":[]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"P","status":"frozen","regions":["XW"],"classification":{"level":"shared","party_ids":["nobody"]}},"geometry":null}]}`,
		"\xff\xfe{", `[]`, `null`, ``,
	} {
		f.Add(uint8(k), []byte(s))
	}
	f.Fuzz(func(t *testing.T, where uint8, body []byte) {
		before := provisionCount(t, fx.env, fx.process.ID, version)
		var status int
		switch where % 3 {
		case 0:
			r := geoPost(t, fx.env, "/api/v1/versions/"+version+"/territory", body)
			status = r.Status
			if status >= 400 && !json.Valid(r.Body) {
				t.Fatalf("a refusal that is not JSON: %d %.300s", status, r.Body)
			}
		case 1:
			status = pagePostMultipart(t, fx.env, "/versions/"+version+"/territory/import", url.Values{}, "file", "f.geojson", body).Status
		default:
			status = pagePostMultipart(t, fx.env, "/versions/"+version+"/territory/import", url.Values{"geojson": {string(body)}}, "", "", nil).Status
		}
		after := provisionCount(t, fx.env, fx.process.ID, version)
		switch {
		case status >= 500:
			t.Fatalf("got %d for %q", status, body)
		case status >= 400 && after != before:
			t.Fatalf("a refused import (%d) stored %d provisions", status, after-before)
		case status < 400 && after <= before:
			t.Fatalf("an accepted import (%d) stored nothing", status)
		}
	})
}
