package web_test

import (
	"net/http"
	"testing"
)

// wantClientOutcome fails unless the response is a success with status ok
// or a JSON error of the client's making (400) with a message: never a
// 5xx, whatever the input.
func wantClientOutcome(t *testing.T, r *apiResponse, ok int) {
	t.Helper()
	switch {
	case r.Status == ok:
	case r.Status == http.StatusBadRequest:
		r.apiError(t, http.StatusBadRequest, "invalid")
	default:
		t.Fatalf("got status %d, want %d or 400; body: %.500s", r.Status, ok, r.Body)
	}
}

// FuzzAPIVersionText posts arbitrary plan texts as new versions.
func FuzzAPIVersionText(f *testing.F) {
	env := newTestEnv(f)
	fx := newRecordFixture(f, env)
	for _, seed := range []string{
		"1. One.\n2. Two.\n",
		"Title\n\n## Security\n1. A\n   a) sub\n   b) sub\n3. Gap\n",
		"Point 1: x\nArticle 2 y\n§ 3 z\n• bullet\n",
		"",
		"no points at all",
		"1. a\x00b",
		"\ufeff1. BOM\r\n2. CRLF\r\n",
		"i. ii. iii.\n(a)(b)\n10.b.c.d.e.f.g.h.i.j.k.l.m.n.o\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := apiCall(t, env, "POST", "/api/v1/plans/"+fx.PlanA+"/versions",
			map[string]any{"label": "Fuzzed", "date": "2025-11-20", "text": text})
		wantClientOutcome(t, r, http.StatusCreated)
	})
}

// FuzzAPICreate posts arbitrary bodies to every create endpoint.
func FuzzAPICreate(f *testing.F) {
	env := newTestEnv(f)
	fx := newRecordFixture(f, env)
	in := "/api/v1/processes/" + fx.A + "/"
	paths := []string{"/api/v1/processes", in + "parties", in + "people", in + "channels", in + "contacts",
		in + "sources", in + "plans", "/api/v1/plans/" + fx.PlanA + "/versions"}
	seeds := []string{
		`{"name": "P", "classification": {"level": "public"}}`,
		`{"name": "Russia", "kind": "state"}`,
		`{"name": "Envoy", "party_id": "` + fx.PartyA + `"}`,
		`{"name": "Geneva", "kind": "official", "party_ids": []}`,
		`{"kind": "call", "status": "held", "start": "2025-11-20T10:00:00+03:00", "channel_id": "` + fx.ChannelA + `"}`,
		`{"url": "https://example.org", "reliability": "A", "credibility": 1}`,
		`{"title": "Plan", "template_id": "` + fx.PlanB + `"}`,
		`{"label": "V", "date": "2025-11-20", "text": "1. A."}`,
	}
	for k, s := range seeds {
		f.Add(uint8(k), []byte(s))
	}
	for k, s := range []string{`{"start": "x"}`, `{"date": 1}`, `{"kind": ["state"]}`, `[]`, `{"a":1}{`, "{\"name\": \"\xff\"}", `{"credibility": 1e99}`} {
		f.Add(uint8(k), []byte(s))
	}
	f.Fuzz(func(t *testing.T, endpoint uint8, body []byte) {
		r := apiSend(t, env, "POST", paths[int(endpoint)%len(paths)], "application/json", body)
		wantClientOutcome(t, r, http.StatusCreated)
	})
}
