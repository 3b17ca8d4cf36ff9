package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"parley"
)

// BenchmarkDemoPages times the pages of the load test's mix on the demo
// case, served in process (no network) to a delegate of Ukraine, one at a
// time: the CPU a request costs the server. Pages kept once drawn are
// drawn before the timing starts, so that their rows time a page served
// again (with its audit records appended again).
func BenchmarkDemoPages(b *testing.B) {
	d := newDemoEnv(b)
	parties, err := d.Svc.Parties.FindParties(d.Ctx, d.processID)
	if err != nil {
		b.Fatal(err)
	}
	var ukraine string
	for _, p := range parties {
		if strings.HasPrefix(p.Name, "Ukraine") {
			ukraine = p.ID
		}
	}
	a := d.NewAccount(b, "delegate", false)
	d.Grant(b, a, d.processID, parley.RoleDelegate, ukraine)
	cookie := d.CookieName() + "=" + a.Token
	for _, bc := range []struct{ name, path string }{
		{"version", "/versions/" + d.us28},
		{"compare", "/compare?old=" + d.framework + "&new=" + d.us28},
		{"dashboard", "/processes/" + d.processID},
		{"search page", "/processes/" + d.processID + "/search?q=" + url.QueryEscape("ceasefire")},
		{"search API", "/api/v1/processes/" + d.processID + "/search?q=" + url.QueryEscape("security guarantees")},
		{"static file", "/static/style.css"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			serve := func() {
				r := httptest.NewRequest(http.MethodGet, bc.path, nil)
				r.Header.Set("Cookie", cookie)
				w := httptest.NewRecorder()
				d.Server.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d %.300s", bc.path, w.Code, w.Body)
				}
			}
			serve()
			b.ReportAllocs()
			for b.Loop() {
				serve()
			}
		})
	}
}
