package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"parley"
)

// TestDuplicateKeysAreRefused checks that a JSON body in which one object
// holds a key twice is refused, naming the key, and stores nothing:
// encoding/json keeps the last, where a proxy or a log that read the body
// may have taken the first. Keys that name one field of a record, in
// whatever case, count as the same; GeoJSON imports and drawn areas are
// held to the same rule. Keys repeated in different objects are not
// duplicates.
func TestDuplicateKeysAreRefused(t *testing.T) {
	env := newTestEnv(t)
	fx := newRecordFixture(t, env)
	in := "/api/v1/processes/" + fx.A
	version := apiID(t, env, "/api/v1/plans/"+fx.PlanA+"/versions", `{"label": "V", "date": "2025-11-20", "text": "1. One.\n"}`)
	square := `"geometry": {"type": "Polygon", "coordinates": [[[120, -40], [121, -40], [121, -39], [120, -39], [120, -40]]]}`
	revision := func() any { return apiCall(t, env, http.MethodGet, in, nil).record(t)["revision"] }
	for _, c := range []struct{ name, method, path, ctype, body, key string }{
		{"a field", http.MethodPost, in + "/parties", "application/json", `{"name": "A", "kind": "state", "name": "B"}`, "name"},
		{"a field in another case", http.MethodPost, in + "/parties", "application/json", `{"name": "A", "kind": "state", "NAME": "B"}`, "NAME"},
		{"a nested field", http.MethodPost, in + "/parties", "application/json",
			`{"name": "A", "kind": "state", "classification": {"level": "public", "level": "mediators"}}`, "level"},
		{"a patch", http.MethodPatch, "/api/v1/parties/" + fx.PartyA, "application/json", `{"name": "A", "name": "B"}`, "name"},
		{"a GeoJSON property", http.MethodPost, in + "/regions?source=test", "application/geo+json",
			`{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "X1", "name": "N", "code": "X2"}, ` + square + `}]}`, "code"},
		{"a GeoJSON member", http.MethodPost, in + "/regions?source=test", "application/geo+json",
			`{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "X1", "name": "N"}, ` + square + `, "geometry": null}]}`, "geometry"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := revision()
			r := apiSend(t, env, c.method, c.path, c.ctype, []byte(c.body))
			e := r.apiError(t, http.StatusBadRequest, parley.EINVALID)
			if want := strconv.Quote(c.key) + " appears twice"; !strings.Contains(e.Message, want) {
				t.Errorf("got message %q, want it to say %s", e.Message, want)
			}
			if after := revision(); after != before {
				t.Errorf("the process's revision went from %v to %v: the refused body stored something", before, after)
			}
		})
	}
	// The forms that read GeoJSON.
	drawn := url.Values{"label": {"Drawn"}, "status": {"frozen"}, "classification": {"public"},
		"drawn": {`{"type": "Polygon", "coordinates": [[[120, -40], [121, -40], [121, -39], [120, -39], [120, -40]]], "type": "Polygon"}`}}
	p := pagePost(t, env, "/versions/"+version+"/provisions/new", drawn).want(t, http.StatusBadRequest)
	if msg := p.fieldError("drawn"); !strings.Contains(msg, `"type" appears twice`) {
		t.Errorf("the drawn area with a key twice: got error %q, want it to say so", msg)
	}
	upload := url.Values{"source": {"test"}, "geojson": {`{"type": "FeatureCollection", "type": "FeatureCollection", "features": []}`}}
	p = pagePost(t, env, "/processes/"+fx.A+"/regions/import", upload).want(t, http.StatusBadRequest)
	if msg := p.fieldError("geojson"); !strings.Contains(msg, `"type" appears twice`) {
		t.Errorf("the GeoJSON import with a key twice: got error %q, want it to say so", msg)
	}
	// The same keys in several objects are not duplicates.
	apiCall(t, env, http.MethodPost, in+"/issues", `{"name": "Army", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}`).want(t, http.StatusCreated)
}

// TestFormsOfOtherTypesAreRefused checks that a body sent to a form as
// something other than a form (JSON, plain text, no type at all) is
// refused with 415, saying how to send it, and stores nothing: read as an
// empty form, the sharing form of a contact gave it its channel's
// classification. A request with no body at all is still an empty form.
func TestFormsOfOtherTypesAreRefused(t *testing.T) {
	f := newFixture(t)
	c := f.contacts[0] // in a channel, with a classification of its own
	own := parley.Classification{Level: parley.MediatorsOnly}
	c.Classification = &own
	must(t, f.env.Svc.Contacts.UpdateContact(System, c))
	for _, ctype := range []string{"text/plain", "application/json", ""} {
		req, err := http.NewRequest(http.MethodPost, f.env.URL+"/contacts/"+c.ID+"/share", strings.NewReader("classification=public"))
		must(t, err)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		p := pageDo(t, f.env, req).want(t, http.StatusUnsupportedMediaType)
		p.has(t, "application/x-www-form-urlencoded or multipart/form-data")
		stored, err := f.env.Svc.Contacts.FindContactByID(System, c.ID)
		must(t, err)
		if stored.Classification == nil || stored.Classification.Level != parley.MediatorsOnly {
			t.Errorf("sent as %q, the refused form changed the contact's classification to %+v", ctype, stored.Classification)
		}
	}
	req, err := http.NewRequest(http.MethodPost, f.env.URL+"/processes/"+f.process.ID+"/parties/new", nil)
	must(t, err)
	p := pageDo(t, f.env, req).want(t, http.StatusBadRequest)
	if p.fieldError("name") == "" {
		t.Errorf("an empty form: no error on the name, want one")
	}
}

// TestFormLimitIsSaid checks that a form over its limit is refused with
// 413 and a message giving the limit in the unit it is set in: the
// sign-in form's is 16 KB, not "0 MB".
func TestFormLimitIsSaid(t *testing.T) {
	env := newTestEnv(t)
	body := "name=" + strings.Repeat("a", 20<<10)
	for _, declared := range []bool{true, false} {
		var rd io.Reader = strings.NewReader(body)
		if !declared {
			rd = io.MultiReader(rd) // a length the client does not know: sent chunked
		}
		req, err := http.NewRequest(http.MethodPost, env.URL+"/signin", rd)
		must(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		pageDo(t, env.Anonymous(), req).want(t, http.StatusRequestEntityTooLarge).has(t, "larger than the limit of 16 KB.")
	}
}
