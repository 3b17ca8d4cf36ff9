package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"parley"
)

// hostileValue is one entry of the corpus of hostile text: how it is
// carried by a JSON body, by a form, and what a record that accepts it
// must hold.
type hostileValue struct {
	name string
	// value is the text as a form carries it, and as a record that
	// accepts it must hold it.
	value string
	// literal, when set, is the JSON string literal that carries it
	// (quotes included), for what json.Marshal cannot write: bytes that
	// are not UTF-8, a raw NUL.
	literal string
	// body, when set, is the whole body of a JSON route.
	body string
	// jsonOnly values are tried on JSON routes alone (a raw NUL in a
	// form is the escaped one's twin).
	jsonOnly bool
	// words are what the message of a JSON route's refusal must say,
	// any one of them.
	words []string
}

// nested is JSON nested levels deep.
func nested(levels int) string {
	return strings.Repeat("[", levels) + strings.Repeat("]", levels)
}

// hostileValues is the corpus of hostile text, each value sent in place
// of every string of every route's valid body.
func hostileValues() []hostileValue {
	deep := nested(100_000)
	return []hostileValue{
		{name: "JSON nested 100,000 levels deep", value: deep, body: deep, words: []string{"depth"}},
		{name: "invalid UTF-8", value: "caf\xe9 \xff\xfe", literal: "\"caf\xe9 \xff\xfe\"", words: []string{"UTF-8"}},
		{name: "escaped NUL", value: "a\x00b"},
		{name: "raw NUL", value: "a\x00b", literal: "\"a\x00b\"", jsonOnly: true, words: []string{"invalid"}},
		{name: "SQL injection, DROP", value: "'; DROP TABLE points; --"},
		{name: "SQL injection, OR", value: `" OR 1=1`},
		{name: "script", value: "<script>alert(1)</script>"},
		{name: "event handler", value: `<img src=x onerror=alert(1)>`},
		{name: "path traversal", value: "../../etc/passwd"},
		{name: "overlong", value: strings.Repeat("ä", parley.MaxNameLen+1)},
	}
}

// accepted remembers what the hostile requests that were accepted may
// have changed: the records their addresses name, and the kinds of
// record they may have created.
type accepted struct {
	ids   map[string]bool
	kinds map[string]bool
	n     int
}

// add records that a request of route rt was accepted.
func (acc *accepted) add(rt *bodyRoute) {
	acc.n++
	for seg := range strings.SplitSeq(strings.Split(rt.path, "?")[0], "/") {
		acc.ids[seg] = true
	}
	for _, k := range createdKinds(rt.pattern) {
		acc.kinds[k] = true
	}
}

// createdKinds are the collections of an archive in which a route may
// add records.
func createdKinds(pattern string) []string {
	switch pattern {
	case "POST /api/v1/plans/{id}/versions", "POST /plans/{id}/versions/new", "POST /plans/{id}/versions/new-unknown":
		return []string{"versions"}
	case "PUT /api/v1/versions/{id}/points/{point}/positions/{party}", "POST /versions/{id}/points/{point}/position":
		return []string{"positions"}
	case "PUT /api/v1/processes/{id}/preferences/{party}", "POST /processes/{id}/preferences/{party}":
		return []string{"preferences"}
	case "POST /api/v1/processes/{id}/regions", "POST /processes/{id}/regions/import", "POST /processes/{id}/map/base/{key}":
		return []string{"regions"}
	case "POST /api/v1/processes/{id}/lines", "POST /processes/{id}/lines/import":
		return []string{"lines"}
	case "POST /api/v1/versions/{id}/territory", "POST /versions/{id}/territory/import", "POST /versions/{id}/provisions/new":
		return []string{"provisions"}
	}
	for _, kind := range []string{"issues", "parties", "people", "channels", "contacts", "sources", "plans"} {
		if pattern == "POST /api/v1/processes/{id}/"+kind || pattern == "POST /processes/{id}/"+kind+"/new" {
			return []string{kind}
		}
	}
	return nil
}

// try sends a body to a route as who and checks the answer (see
// wantAnswer), remembering what was accepted.
func (h *hostileEnv) try(t *testing.T, acc *accepted, rt *bodyRoute, who credential, ctype string, body []byte, what string) *answer {
	t.Helper()
	before := h.before(t)
	a := h.sendBody(t, rt, who, ctype, body)
	h.wantAnswer(t, rt, a, before, what+" as "+who.String())
	if a.Status < 400 {
		acc.add(rt)
	}
	return a
}

// credentials are who a route is tried as: the API as the token user and
// a browser, the pages as a browser and a script with the token, the
// open routes as no one.
func credentials(rt *bodyRoute) []credential {
	if rt.anonymous {
		return []credential{asNobody}
	}
	return []credential{asToken, asBrowser}
}

// withValue returns the valid body of a route with every string in it
// replaced by v (for GeoJSON, every string but the types), and its
// content type; false when the route takes no body.
func withValue(tb testing.TB, rt *bodyRoute, v hostileValue) (string, []byte, bool) {
	tb.Helper()
	switch rt.kind {
	case noBody:
		return "", nil, false
	case formBody:
		if v.jsonOnly || rt.valid == "" {
			return "", nil, false
		}
		vals, err := url.ParseQuery(rt.valid)
		must(tb, err)
		keys := slices.Sorted(maps.Keys(vals))
		if v.body != "" { // a document: in the inputs that read JSON, else in one, within the form's limit
			keys = slices.DeleteFunc(keys, func(k string) bool { return k != "geojson" && k != "drawn" })
			if len(keys) == 0 {
				keys = slices.Sorted(maps.Keys(vals))[:1]
			}
		}
		for _, k := range keys {
			if k == "action" { // which button: save or check
				continue
			}
			for i := range vals[k] {
				vals[k][i] = v.value
			}
		}
		return rt.contentType(), []byte(vals.Encode()), true
	}
	if v.body != "" {
		return rt.contentType(), []byte(v.body), true
	}
	const placeholder = "\x01hostile\x01"
	var doc any
	dec := json.NewDecoder(strings.NewReader(rt.valid))
	dec.UseNumber()
	must(tb, dec.Decode(&doc))
	doc = replaceStrings(doc, placeholder, rt.kind == geoBody)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	must(tb, enc.Encode(doc))
	literal := v.literal
	if literal == "" {
		b, err := json.Marshal(v.value)
		must(tb, err)
		literal = string(b)
	}
	quoted, err := json.Marshal(placeholder)
	must(tb, err)
	return rt.contentType(), bytes.ReplaceAll(buf.Bytes(), quoted, []byte(literal)), true
}

// replaceStrings replaces every string value of a JSON document (not the
// keys) by s; with keepTypes, GeoJSON's "type" members stay.
func replaceStrings(doc any, s string, keepTypes bool) any {
	switch d := doc.(type) {
	case string:
		return s
	case []any:
		for i := range d {
			d[i] = replaceStrings(d[i], s, keepTypes)
		}
	case map[string]any:
		for k := range d {
			if k != "type" || !keepTypes {
				d[k] = replaceStrings(d[k], s, keepTypes)
			}
		}
	}
	return doc
}

// apiMessage is the message of an API error, or "".
func apiMessage(a *answer) string {
	var e struct{ Error struct{ Message string } }
	if json.Unmarshal(a.Body, &e) != nil {
		return ""
	}
	return e.Error.Message
}

// wantWords fails unless the refusal's message says one of the words.
func wantWords(t *testing.T, where string, a *answer, words ...string) {
	t.Helper()
	msg := apiMessage(a)
	if a.Status < 400 {
		t.Errorf("%s: status %d, want a refusal saying %q", where, a.Status, words)
		return
	}
	for _, w := range words {
		if strings.Contains(strings.ToLower(msg), strings.ToLower(w)) {
			return
		}
	}
	t.Errorf("%s: status %d with message %q, want it to say %q", where, a.Status, msg, words)
}

// TestHostileInput sends a corpus of hostile input to every route that
// takes a body, through a real listener, as an API token user and as a
// browser signed in: each is answered with a success or a clear 4xx,
// never a server error; a refusal stores nothing; text accepted as text
// comes back exactly and is escaped on every page; and afterwards the
// server still answers and the demo process holds what was accepted and
// nothing else.
func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("a corpus of some thousand requests: run without -short (go test ./... does; .ci/run's race pass uses -short)")
	}
	h := newHostileEnv(t)
	routes := h.routes()
	exportBefore := h.export(t)
	acc := &accepted{ids: map[string]bool{}, kinds: map[string]bool{}}

	t.Run("every route that takes a body is tried", func(t *testing.T) {
		tried := map[string]bool{}
		for _, rt := range routes {
			tried[rt.pattern] = true
		}
		for _, pattern := range h.Server.Routes() {
			method, _, found := strings.Cut(pattern, " ")
			if found && (method == http.MethodGet || method == http.MethodHead) {
				continue
			}
			if !tried[pattern] {
				t.Errorf("route %q may take a body and is not tried by the hostile tests: add it to hostileEnv.routes", pattern)
			}
		}
		for p := range tried {
			if !slices.Contains(h.Server.Routes(), p) {
				t.Errorf("the hostile tests try %q, which is no longer a route", p)
			}
		}
	})

	t.Run("valid bodies are accepted", func(t *testing.T) {
		for _, rt := range routes {
			if rt.kind == noBody || rt.valid == "" {
				continue
			}
			a := h.try(t, acc, rt, asBrowser, rt.contentType(), []byte(rt.valid), "with its valid body")
			if !slices.Contains(rt.ok, a.Status) {
				t.Errorf("%s with its valid body: status %d, want %v: %.300s", rt.pattern, a.Status, rt.ok, a.Body)
			}
		}
	})

	for _, v := range hostileValues() {
		t.Run(v.name, func(t *testing.T) {
			for _, rt := range routes {
				ctype, body, ok := withValue(t, rt, v)
				if !ok {
					continue
				}
				for _, who := range credentials(rt) {
					a := h.try(t, acc, rt, who, ctype, body, "with "+v.name)
					if len(v.words) > 0 && rt.api() {
						wantWords(t, rt.pattern+" with "+v.name, a, v.words...)
					}
				}
			}
		})
	}

	t.Run("malformed JSON", func(t *testing.T) {
		for _, rt := range routes {
			if !rt.api() || rt.kind == noBody {
				continue
			}
			var first map[string]json.RawMessage
			must(t, json.Unmarshal([]byte(rt.valid), &first))
			type malformed struct {
				what, body string
				words      []string
			}
			cases := []malformed{
				{"trailing garbage", rt.valid + ` {"more": 1}`, []string{"after"}},
				{"an array", "[" + rt.valid + "]", []string{"object"}},
				{"a truncated object", rt.valid[:len(rt.valid)-1], []string{"ends early", "end of JSON"}},
			}
			if keys := slices.Sorted(maps.Keys(first)); len(keys) > 0 {
				k, _ := json.Marshal(keys[0])
				cases = append(cases, malformed{"a duplicate key", "{" + string(k) + ":" + string(first[keys[0]]) + "," + rt.valid[1:], []string{"twice"}})
			}
			for _, n := range []string{"1e999", "9223372036854775808", "-1e400"} {
				if body := numbersTo(t, rt.valid, n); body != "" && rt.kind == jsonBody {
					cases = append(cases, malformed{"numbers out of range (" + n + ")", body, []string{"number"}})
				}
			}
			for _, c := range cases {
				for _, who := range credentials(rt) {
					a := h.try(t, acc, rt, who, rt.contentType(), []byte(c.body), "with "+c.what)
					wantWords(t, rt.pattern+" with "+c.what, a, c.words...)
				}
			}
		}
	})

	t.Run("wrong content types", func(t *testing.T) {
		for _, rt := range routes {
			if rt.kind == noBody || rt.valid == "" {
				continue
			}
			types := []string{"application/json", "text/plain"}
			if rt.api() {
				types = []string{"text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=iso-8859-1"}
			}
			for _, ctype := range types {
				for _, who := range credentials(rt) {
					a := h.try(t, acc, rt, who, ctype, []byte(rt.valid), "sent as "+strconv.Quote(ctype))
					want := http.StatusUnsupportedMediaType
					if rt.ok[0] >= 400 { // refused whatever the body: no page here, or set up already
						want = rt.ok[0]
					}
					if a.Status != want {
						t.Errorf("%s sent as %q: status %d, want %d", rt.pattern, ctype, a.Status, want)
					}
					if rt.api() {
						wantWords(t, rt.pattern+" sent as "+ctype, a, "Content-Type")
					}
				}
			}
		}
	})

	t.Run("accepted text comes back exactly and escaped", func(t *testing.T) {
		testAcceptedText(t, h, acc)
	})

	t.Run("path traversal in file names and IDs", func(t *testing.T) {
		testPathTraversal(t, h, acc, routes)
	})

	t.Run("bodies of 100 MB", func(t *testing.T) {
		testHugeBodies(t, h, routes)
	})

	// The server still answers, and the demo holds what was accepted.
	for _, path := range []string{"/api/v1/version", "/healthz"} {
		if path == "/healthz" && !slices.Contains(h.Server.Routes(), "GET /healthz") {
			continue
		}
		if a := h.send(t, asNobody, http.MethodGet, path, "", nil, 0); a.Status != http.StatusOK {
			t.Errorf("GET %s after the corpus: status %d: %.300s", path, a.Status, a.Body)
		}
	}
	h.wantOnlyAccepted(t, exportBefore, h.export(t), acc)
	t.Logf("%d hostile requests were accepted as legitimate", acc.n)
}

// numbersTo replaces every number of a JSON document by n; "" when it
// has none.
func numbersTo(tb testing.TB, doc, n string) string {
	tb.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	must(tb, dec.Decode(&v))
	found := false
	var walk func(v any) any
	walk = func(v any) any {
		switch d := v.(type) {
		case json.Number:
			found = true
			return json.RawMessage(n)
		case []any:
			for i := range d {
				d[i] = walk(d[i])
			}
		case map[string]any:
			for k := range d {
				d[k] = walk(d[k])
			}
		}
		return v
	}
	b, err := json.Marshal(walk(v))
	must(tb, err)
	if !found {
		return ""
	}
	return string(b)
}

// escaped is text as html/template writes it in an element or a quoted
// attribute.
func escaped(tb testing.TB, s string) string {
	tb.Helper()
	var b strings.Builder
	must(tb, template.Must(template.New("").Parse("{{.}}")).Execute(&b, s))
	return b.String()
}

// testAcceptedText creates records whose names and texts are hostile
// text, through the API and the forms: what is stored is exactly what was
// sent, and every page that shows it escapes it.
func testAcceptedText(t *testing.T, h *hostileEnv, acc *accepted) {
	routes := map[string]*bodyRoute{}
	for _, rt := range h.routes() {
		routes[rt.pattern] = rt
	}
	// A name too long, or not UTF-8, is refused, saying which and why.
	for _, c := range []struct{ name, words string }{
		{strings.Repeat("ä", parley.MaxNameLen+1), "name is 201 characters long, more than 200"},
		{"caf\xe9", "name is not valid UTF-8 text"},
	} {
		form := routes["POST /processes/{id}/parties/new"]
		body := url.Values{"name": {c.name}, "kind": {"state"}, "classification": {"public"}}.Encode()
		a := h.try(t, acc, form, asBrowser, form.contentType(), []byte(body), "named "+strconv.Quote(c.name))
		if a.Status != http.StatusBadRequest || !bytes.Contains(a.Body, []byte(c.words)) {
			t.Errorf("a party named %q: status %d, want 400 saying %q", c.name, a.Status, c.words)
		}
	}
	body, err := json.Marshal(map[string]string{"name": strings.Repeat("ä", parley.MaxNameLen+1), "kind": "state"})
	must(t, err)
	api := routes["POST /api/v1/processes/{id}/parties"]
	wantWords(t, "a party with a name too long", h.try(t, acc, api, asToken, api.contentType(), body, "named too long"), "201 characters long")

	for k, v := range hostileValues() {
		if v.jsonOnly || v.body != "" || strings.Contains(v.name, "UTF-8") || strings.Contains(v.name, "overlong") {
			continue
		}
		name := v.value + " " + strconv.Itoa(k) // unique among the parties
		body, err := json.Marshal(map[string]string{"name": name, "kind": "state"})
		must(t, err)
		a := h.try(t, acc, api, asToken, "application/json", body, "named "+v.name)
		if strings.Contains(v.value, "\x00") && a.Status == http.StatusBadRequest {
			// A store may refuse a NUL in any text (PostgreSQL keeps
			// none), saying so; if it keeps one, it keeps it exactly.
			wantWords(t, "a party named with a NUL", a, "NUL")
			continue
		}
		if a.Status != http.StatusCreated {
			t.Errorf("a party named %q: status %d: %.300s", name, a.Status, a.Body)
			continue
		}
		var p parley.Party
		must(t, json.Unmarshal(a.Body, &p))
		got := h.send(t, asToken, http.MethodGet, "/api/v1/parties/"+p.ID, "", nil, 0)
		var back parley.Party
		must(t, json.Unmarshal(got.Body, &back))
		if back.Name != name {
			t.Errorf("a party named %q reads back as %q", name, back.Name)
		}
		for _, path := range []string{"/processes/" + h.ids.process, "/parties/" + p.ID + "/edit", "/processes/" + h.ids.process + "/members"} {
			wantEscaped(t, h, path, name)
		}

		// The same through the form, and a refused form that shows it
		// again.
		form := routes["POST /processes/{id}/parties/new"]
		formName := name + " (form)"
		h.try(t, acc, form, asBrowser, form.contentType(), []byte(url.Values{"name": {formName}, "kind": {"state"}, "classification": {"public"}}.Encode()), "named "+v.name)
		parties, err := h.Svc.Parties.FindParties(System, h.ids.process)
		must(t, err)
		if !slices.ContainsFunc(parties, func(p *parley.Party) bool { return p.Name == formName }) {
			t.Errorf("the party named %q through the form is not stored under that name", formName)
		}
		refused := h.try(t, acc, form, asBrowser, form.contentType(), []byte(url.Values{"name": {formName}, "kind": {"nation"}, "classification": {"public"}}.Encode()), "refused")
		if refused.Status != http.StatusBadRequest || !bytes.Contains(refused.Body, []byte(escaped(t, formName))) {
			t.Errorf("the refused form with %q: status %d, and it shows the name escaped: %v", formName, refused.Status, bytes.Contains(refused.Body, []byte(escaped(t, formName))))
		}

		// In a plan's text: the version page, the compare page.
		ver := routes["POST /api/v1/plans/{id}/versions"]
		text := "1. " + strings.ReplaceAll(v.value, "\n", " ") + "\n2. Second.\n"
		body, err = json.Marshal(map[string]string{"label": "Hostile " + strconv.Itoa(k), "date": "2025-12-01", "text": text})
		must(t, err)
		a = h.try(t, acc, ver, asToken, "application/json", body, "with "+v.name+" in its text")
		if strings.Contains(v.value, "\x00") { // a plan's text is text: refused, with where
			wantWords(t, "a version with a NUL in its text", a, "NUL")
			continue
		}
		if a.Status != http.StatusCreated {
			t.Errorf("a version with %q in its text: status %d: %.300s", v.value, a.Status, a.Body)
			continue
		}
		var version parley.Version
		must(t, json.Unmarshal(a.Body, &version))
		if version.Text != text {
			t.Errorf("the version's text reads back as %q, want %q", version.Text, text)
		}
		if strings.TrimSpace(v.value) != "" {
			wantEscaped(t, h, "/versions/"+version.ID, strings.TrimSpace(v.value))
			wantEscaped(t, h, "/compare?old="+h.ids.version+"&new="+version.ID, strings.TrimSpace(v.value))
		}
	}
}

// wantEscaped fails unless the page at path shows s escaped, and nowhere
// raw (when escaping changes it).
func wantEscaped(t *testing.T, h *hostileEnv, path, s string) {
	t.Helper()
	a := h.send(t, asBrowser, http.MethodGet, path, "", nil, 0)
	if a.Status != http.StatusOK {
		t.Errorf("GET %s: status %d", path, a.Status)
		return
	}
	esc := escaped(t, s)
	if !bytes.Contains(a.Body, []byte(esc)) {
		t.Errorf("GET %s does not show %q as %q", path, s, esc)
	}
	if esc != s && bytes.Contains(a.Body, []byte(s)) {
		t.Errorf("GET %s shows %q unescaped", path, s)
	}
	wantOnlyOwnMarkup(t, "GET "+path, a.Body)
}

// testPathTraversal sends "../../etc/passwd" as the name of every
// uploaded file, where the upload is read for its content alone, and as
// the ID in the address of every route that takes one, where it names no
// record.
func testPathTraversal(t *testing.T, h *hostileEnv, acc *accepted, routes []*bodyRoute) {
	const traversal = "../../etc/passwd"
	_, statErr := os.Stat(traversal)
	for _, rt := range routes {
		if rt.upload == "" {
			continue
		}
		v, err := url.ParseQuery(rt.valid)
		must(t, err)
		content := v.Get("text") + v.Get("geojson")
		if rt.pattern == "POST /processes/{id}/regions/import" { // a region where there is none yet
			content = regionGeoJSON("FUZZ-3", 124)
		}
		v.Del("text")
		v.Del("geojson")
		ctype, body := multipartBody(t, v.Encode(), rt.upload, traversal, []byte(content))
		a := h.try(t, acc, rt, asBrowser, ctype, body, "uploading "+traversal)
		if a.Status >= 400 {
			t.Errorf("%s uploading a file named %s: status %d, want the file read for its content", rt.pattern, traversal, a.Status)
		}
	}
	if _, err := os.Stat(traversal); !errors.Is(err, os.ErrNotExist) && errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("an upload named %s made a file there", traversal)
	}
	for _, rt := range routes {
		if !strings.Contains(rt.pattern, "{") || rt.anonymous {
			continue
		}
		segs := strings.Split(rt.path, "/")
		_, pattern, _ := strings.Cut(rt.pattern, " ")
		for i, p := range strings.Split(pattern, "/") {
			if strings.HasPrefix(p, "{") && i < len(segs) {
				segs[i] = url.PathEscape(traversal)
			}
		}
		bad := *rt
		bad.path = strings.Join(segs, "/")
		body := []byte(rt.valid)
		a := h.try(t, acc, &bad, asBrowser, rt.contentType(), body, "with "+traversal+" as an ID")
		// An administrator adding a member to no process is told so
		// on the form.
		if a.Status != http.StatusNotFound && (rt.pattern != "POST /processes/{id}/members" || a.Status != http.StatusBadRequest) {
			t.Errorf("%s %s: status %d, want 404", bad.method, bad.path, a.Status)
		}
	}
	// Unescaped, the dots are the address's own: the server answers
	// with the address they lead to, and stores nothing.
	before := h.before(t)
	a := h.send(t, asBrowser, http.MethodPost, "/parties/"+traversal+"/edit", "application/x-www-form-urlencoded", strings.NewReader("name=x"), 6)
	if a.Status < 300 || a.Status >= 500 {
		t.Errorf("POST /parties/%s/edit: status %d, want a redirect or a refusal", traversal, a.Status)
	}
	h.unchanged(t, before, "POST /parties/"+traversal+"/edit")
	t.Logf("POST /parties/%s/edit: %d %s", traversal, a.Status, a.Header.Get("Location"))
}

// generator is a body of n bytes made as it is read: a prefix, then
// filler. It counts what was read.
type generator struct {
	prefix string
	n, off int64
}

func (g *generator) Read(p []byte) (int, error) {
	if g.off >= g.n {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && g.off < g.n {
		if g.off < int64(len(g.prefix)) {
			p[k] = g.prefix[g.off]
		} else {
			p[k] = 'a'
		}
		k++
		g.off++
	}
	return k, nil
}

// testHugeBodies streams a body of 100 MB to one route of each body
// limit, once with its length declared and once chunked: each is refused
// with 413 long before the server has read it all.
func testHugeBodies(t *testing.T, h *hostileEnv, routes []*bodyRoute) {
	const size = 100 << 20
	byPattern := map[string]*bodyRoute{}
	for _, rt := range routes {
		byPattern[rt.pattern] = rt
	}
	for _, c := range []struct {
		pattern, prefix string
		limit           int64
	}{
		{"POST /api/v1/processes/{id}/parties", `{"name":"`, 1 << 20},
		{"POST /api/v1/plans/{id}/versions", `{"label":"L","text":"`, 8 << 20},
		{"POST /api/v1/processes/{id}/regions", `{"type":"FeatureCollection","features":[],"x":"`, 32 << 20},
		{"POST /signin", "name=", 16 << 10},
		{"POST /processes/{id}/parties/new", "name=", 1 << 20},
		{"POST /plans/{id}/versions/new", "text=", 8 << 20},
		{"POST /processes/{id}/regions/import", "geojson=", 32 << 20},
	} {
		rt := byPattern[c.pattern]
		for _, declared := range []bool{true, false} {
			g := &generator{prefix: c.prefix, n: size}
			length := int64(size)
			if !declared {
				length = -1 // chunked
			}
			who := asToken
			if rt.anonymous {
				who = asNobody
			}
			before := h.before(t)
			a := h.send(t, who, rt.method, rt.path, rt.contentType(), g, length)
			what := rt.pattern + " with 100 MB, " + map[bool]string{true: "length declared", false: "chunked"}[declared]
			if a.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: status %d, want 413: %.300s", what, a.Status, a.Body)
			}
			h.wantAnswer(t, rt, a, before, what)
			if rt.api() {
				wantWords(t, what, a, "larger than the limit")
			}
			if g.off >= size/2 || g.off > c.limit+16<<20 {
				t.Errorf("%s: the server read %d bytes of 100 MB before answering, want at most its limit (%d) and what the connection holds", what, g.off, c.limit)
			}
			t.Logf("%s: %d, %.1f MB sent", what, a.Status, float64(g.off)/(1<<20))
		}
	}
}

// export is the demo process as the archive service exports it, by
// collection and ID.
func (h *hostileEnv) export(tb testing.TB) map[string]map[string]string {
	tb.Helper()
	a, err := h.Svc.Archive.ExportProcess(System, h.ids.process)
	must(tb, err)
	b, err := json.Marshal(a)
	must(tb, err)
	var doc map[string]json.RawMessage
	must(tb, json.Unmarshal(b, &doc))
	out := map[string]map[string]string{}
	for coll, raw := range doc {
		out[coll] = map[string]string{}
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw, &items) != nil { // the process itself, and the schema
			out[coll][coll] = string(raw)
			continue
		}
		for i, item := range items {
			id := string(item["id"])
			if id == "" {
				id = strconv.Itoa(i)
			}
			b, err := json.Marshal(item)
			must(tb, err)
			out[coll][id] = string(b)
		}
	}
	return out
}

// wantOnlyAccepted fails unless every difference between two exports of
// the demo process is one an accepted request may have made: a record
// whose ID an accepted request's address named changed or went, a record
// of a kind an accepted request creates appeared. The process itself
// changes with every write (its revision).
func (h *hostileEnv) wantOnlyAccepted(t *testing.T, before, after map[string]map[string]string, acc *accepted) {
	t.Helper()
	changed, added := 0, 0
	for coll, recs := range before {
		for id, rec := range recs {
			now, ok := after[coll][id]
			switch {
			case ok && now == rec:
			case coll == "process" && acc.n > 0:
				changed++
			case acc.ids[strings.Trim(id, `"`)] || h.touchedThrough(coll, rec, acc):
				changed++
			case !ok:
				t.Errorf("%s %s is gone, and no accepted request named it", coll, id)
			default:
				t.Errorf("%s %s changed, and no accepted request named it:\nbefore: %.500s\nafter:  %.500s", coll, id, rec, now)
			}
		}
	}
	for coll, recs := range after {
		for id := range recs {
			if _, ok := before[coll][id]; ok {
				continue
			}
			added++
			if !acc.kinds[coll] {
				t.Errorf("%s %s appeared, and no accepted request creates %s", coll, id, coll)
			}
		}
	}
	t.Logf("the demo process: %d records changed and %d added by accepted requests", changed, added)
}

// touchedThrough reports whether an accepted request named a record by
// the records it belongs to: a position by its version and party,
// preferences by their party, a version by its plan (a new version of a
// plan changes nothing of the others, but the plan lists them).
func (h *hostileEnv) touchedThrough(coll, rec string, acc *accepted) bool {
	var r struct {
		VersionID string `json:"version_id"`
		PartyID   string `json:"party_id"`
	}
	if json.Unmarshal([]byte(rec), &r) != nil {
		return false
	}
	switch coll {
	case "positions":
		return acc.ids[r.VersionID] && acc.ids[r.PartyID]
	case "preferences":
		return acc.ids[r.PartyID]
	}
	return false
}

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
