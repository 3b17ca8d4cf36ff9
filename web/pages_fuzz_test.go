package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzPageForms posts odd values to the forms that create records: each
// answer is a page (a saved record's redirect, or the form again with its
// errors), never a server error, and nothing a user typed comes back as
// markup.
func FuzzPageForms(f *testing.F) {
	for _, seed := range []struct{ name, value string }{
		{"name", "Ukraine"}, {"kind", "state"}, {"classification", "public"}, {"start", "2025-10-14T10:00"},
		{"start_zone", "Europe/Moscow"}, {"duration_minutes", "-5"}, {"url", "javascript:alert(1)"},
		{"reliability", "Z"}, {"credibility", "99999999999999999999"}, {"name", "<script>alert(1)</script>"},
		{"party_ids", "nosuch"}, {"title", "\x00"}, {"start", "2025-02-30"}, {"classification_parties", "x"},
	} {
		f.Add(seed.name, seed.value)
	}
	fx := newFixture(f)
	forms := []string{"parties", "people", "channels", "contacts", "sources", "plans"}
	f.Fuzz(func(t *testing.T, name, value string) {
		for _, form := range forms {
			vals := url.Values{"name": {"A name"}, "title": {"A title"}, "kind": {"state"}, "classification": {"public"},
				"status": {"held"}, "start": {"2025-10-14T10:00"}, "start_zone": {"UTC"}, "reliability": {"B"}, "credibility": {"2"},
				"url": {"https://example.org/"}}
			vals.Set(name, value)
			p := pagePost(t, fx.env, "/processes/"+fx.process.ID+"/"+form+"/new", vals)
			if p.Status >= 500 {
				t.Fatalf("%s form with %s=%q: status %d", form, name, value, p.Status)
			}
			if p.Status != http.StatusSeeOther && p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("%s form with %s=%q: status %d, want a redirect or the form with its errors", form, name, value, p.Status)
			}
			if strings.Contains(value, "<") && strings.Contains(p.Body, value) {
				t.Fatalf("%s form echoes %q unescaped", form, value)
			}
		}
	})
}
