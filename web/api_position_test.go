package web_test

import (
	"net/http"
	"strings"
	"testing"

	"parley"
)

// positionsOf lists the positions of a version through the API.
func positionsOf(tb testing.TB, env *testEnv, versionID, query string) []parley.Position {
	tb.Helper()
	r := apiCall(tb, env, http.MethodGet, "/api/v1/versions/"+versionID+"/positions"+query, nil)
	r.want(tb, http.StatusOK)
	var list struct {
		Items []parley.Position `json:"items"`
		Total int               `json:"total"`
	}
	r.decode(tb, &list)
	if list.Total < len(list.Items) {
		tb.Fatalf("got a total of %d for %d items", list.Total, len(list.Items))
	}
	return list.Items
}

func TestAPIPositions(t *testing.T) {
	f := newPositionFixture(t)
	put := "/api/v1/versions/" + f.before.ID + "/points/3/positions/"

	// PUT creates, then replaces under the same ID, and answers with the
	// position stored; without a classification it is confidential to
	// the party.
	r := apiCall(t, f.ruDelegate, http.MethodPut, put+f.russia.ID, map[string]any{"stance": "red_line", "note": "Never", "counter": "Sanctions are lifted."})
	r.want(t, http.StatusOK)
	var first parley.Position
	r.decode(t, &first)
	if first.ID == "" || first.Stance != parley.RedLine || first.Note != "Never" || first.Counter != "Sanctions are lifted." ||
		first.PartyID != f.russia.ID || first.VersionID != f.before.ID || first.PointID != "3" || first.ProcessID != f.process.ID ||
		first.Classification.Level != parley.Confidential || first.Updated.IsZero() {
		t.Fatalf("got %+v, want Russia's red line on point 3, confidential to Russia, with an ID and a time", first)
	}
	r = apiCall(t, f.ruDelegate, http.MethodPut, put+f.russia.ID, map[string]any{"stance": "rejects",
		"classification": map[string]any{"level": "shared", "party_ids": []string{f.russia.ID, f.ukraine.ID}}})
	r.want(t, http.StatusOK)
	var second parley.Position
	r.decode(t, &second)
	if second.ID != first.ID || second.Stance != parley.Rejects || second.Note != "" {
		t.Errorf("got %+v, want the same position (%s) replaced: rejects, no note", second, first.ID)
	}

	// GET by ID and in the version's list, as the stored one.
	r = apiCall(t, f.env, http.MethodGet, "/api/v1/positions/"+first.ID, nil)
	r.want(t, http.StatusOK)
	var got parley.Position
	r.decode(t, &got)
	if got.ID != first.ID || got.Stance != parley.Rejects || got.Classification.Level != parley.Shared {
		t.Errorf("GET by ID: got %+v, want the replaced position", got)
	}
	f.set(t, f.before, "1", f.ukraine, parley.Accepts, "", "")
	f.set(t, f.before, "2", f.russia, parley.Accepts, "", "")
	all := positionsOf(t, f.env, f.before.ID, "")
	var order []string
	for _, p := range all {
		order = append(order, p.PointID+" "+p.PartyID)
	}
	want := []string{"1 " + f.ukraine.ID, "2 " + f.russia.ID, "3 " + f.russia.ID}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Errorf("got positions %v, want %v (by point, then party)", order, want)
	}
	if got := positionsOf(t, f.env, f.before.ID, "?party="+f.ukraine.ID); len(got) != 1 || got[0].PartyID != f.ukraine.ID {
		t.Errorf("?party=Ukraine: got %+v, want Ukraine's one position", got)
	}
	if got := positionsOf(t, f.env, f.before.ID, "?limit=1&offset=1"); len(got) != 1 || got[0].PointID != "2" {
		t.Errorf("?limit=1&offset=1: got %+v, want the second position", got)
	}
	// What each delegate sees: its own, and what is shared with it.
	if got := positionsOf(t, f.uaDelegate, f.before.ID, ""); len(got) != 2 {
		t.Errorf("as Ukraine's delegate: got %d positions, want its own and Russia's shared one", len(got))
	}
	r = apiCall(t, f.uaDelegate, http.MethodGet, "/api/v1/positions/"+positionsOf(t, f.env, f.before.ID, "?party="+f.russia.ID)[0].ID, nil)
	r.apiError(t, http.StatusNotFound, parley.ENOTFOUND)

	// A delegate sets only its own party's positions; an observer none.
	apiCall(t, f.uaDelegate, http.MethodPut, put+f.russia.ID, map[string]any{"stance": "accepts"}).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	apiCall(t, f.observerEnv(t), http.MethodPut, put+f.ukraine.ID, map[string]any{"stance": "accepts"}).apiError(t, http.StatusForbidden, parley.EFORBIDDEN)
	apiCall(t, f.env, http.MethodGet, "/api/v1/positions/nosuch", nil).apiError(t, http.StatusNotFound, parley.ENOTFOUND)
	apiCall(t, f.env, http.MethodGet, "/api/v1/versions/nosuch/positions", nil).apiError(t, http.StatusNotFound, parley.ENOTFOUND)
}

// TestAPIPositionBadInput: each bad body or parameter is refused with a
// message that names the field at fault.
func TestAPIPositionBadInput(t *testing.T) {
	f := newPositionFixture(t)
	put := "/api/v1/versions/" + f.before.ID + "/points/1/positions/" + f.russia.ID
	long := strings.Repeat("é", parley.MaxSummaryLen+1)
	for _, tt := range []struct {
		name, path, body string
		status           int
		field            string
		words            []string
	}{
		{"unknown stance", put, `{"stance": "maybe"}`, 400, "stance", []string{"maybe"}},
		{"no stance", put, `{"note": "x"}`, 400, "stance", nil},
		{"unknown field", put, `{"stance": "accepts", "colour": "red"}`, 400, "colour", []string{"unknown field"}},
		{"invalid UTF-8 in the note", put, "{\"stance\": \"accepts\", \"note\": \"caf\xe9\"}", 400, "note", []string{"UTF-8"}},
		{"invalid UTF-8 in the counter", put, "{\"counter\": \"\xff\", \"stance\": \"accepts\"}", 400, "counter", []string{"UTF-8"}},
		{"note too long", put, `{"stance": "accepts", "note": "` + long + `"}`, 400, "note", nil},
		{"counter too long", put, `{"stance": "accepts", "counter": "` + long + `"}`, 400, "counter", nil},
		{"note not a string", put, `{"stance": "accepts", "note": 3}`, 400, "note", []string{"a string"}},
		{"for the mediators only", put, `{"stance": "accepts", "classification": {"level": "mediators"}}`, 400, "classification", nil},
		{"another party's secret", put, `{"stance": "accepts", "classification": {"level": "confidential", "party_ids": ["` + f.ukraine.ID + `"]}}`, 400, "classification", nil},
		{"no such point", "/api/v1/versions/" + f.before.ID + "/points/99/positions/" + f.russia.ID, `{"stance": "accepts"}`, 400, "point_id", nil},
		{"no such party", "/api/v1/versions/" + f.before.ID + "/points/1/positions/nosuch", `{"stance": "accepts"}`, 400, "party_id", nil},
		{"no such party to list", "/api/v1/versions/" + f.before.ID + "/positions?party=nosuch", "", 400, "party", nil},
		{"bad limit", "/api/v1/versions/" + f.before.ID + "/positions?limit=0", "", 400, "limit", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := apiSend(t, f.env, http.MethodGet, tt.path, "", nil)
			if tt.body != "" {
				r = apiSend(t, f.env, http.MethodPut, tt.path, "application/json", []byte(tt.body))
			}
			r.wantError(t, tt.status, parley.EINVALID, tt.field, tt.words...)
		})
	}
	apiSend(t, f.env, http.MethodPut, put, "text/plain", []byte(`{"stance": "accepts"}`)).apiError(t, http.StatusUnsupportedMediaType, "unsupported_media_type")
	// Nothing was stored by any of them.
	if got := positionsOf(t, f.env, f.before.ID, ""); len(got) != 0 {
		t.Errorf("got %d positions after bad requests only, want none", len(got))
	}
}

// FuzzAPIPositionSet puts arbitrary notes and counter-wordings: the
// answer is the position stored or a client error, never a 5xx.
func FuzzAPIPositionSet(f *testing.F) {
	for _, seed := range [][2]string{{"A note", "A wording"}, {"", ""}, {"<b>", "\x00"}, {"\xff", "ok"}, {strings.Repeat("x", parley.MaxSummaryLen+1), ""}} {
		f.Add(seed[0], seed[1])
	}
	fx := newPositionFixture(f)
	path := "/api/v1/versions/" + fx.before.ID + "/points/2/positions/" + fx.russia.ID
	f.Fuzz(func(t *testing.T, note, counter string) {
		// Sent as raw bytes, so that text that is not UTF-8 reaches the
		// server as it is.
		body := `{"stance": "accepts", "note": "` + jsonEscapeRaw(note) + `", "counter": "` + jsonEscapeRaw(counter) + `"}`
		r := apiSend(t, fx.env, http.MethodPut, path, "application/json", []byte(body))
		wantClientOutcome(t, r, http.StatusOK)
	})
}

// jsonEscapeRaw escapes quotes, backslashes and control characters for a
// JSON string and leaves every other byte as it is, valid UTF-8 or not.
func jsonEscapeRaw(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
