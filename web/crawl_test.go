package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// hrefs finds the addresses a page links to.
var hrefs = regexp.MustCompile(`href="(/[^"#]*)`)

// TestCrawlDemo follows every link of the demo from the list of processes,
// as a reader clicking everything would, and wants every page to answer:
// a template error on a rarely drawn path shows here.
func TestCrawlDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("a crawl of thousands of requests: run without -short (go test ./... does; .ci/run's race pass uses -short)")
	}
	d := newDemoEnv(t)
	seen := map[string]bool{}
	queue := []string{"/"}
	for len(queue) > 0 && len(seen) < 2000 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		p := pageGet(t, d.testEnv, strings.ReplaceAll(path, "&amp;", "&"))
		if p.Status == http.StatusSeeOther && p.Location != "" { // a plan's address leads to its dashboard
			queue = append(queue, p.Location)
			continue
		}
		if p.Status != http.StatusOK {
			t.Errorf("GET %s: %d", path, p.Status)
			continue
		}
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			continue
		}
		wantNoInlineCode(t, path, p)
		for _, m := range hrefs.FindAllStringSubmatch(p.Body, -1) {
			if link := m[1]; !seen[link] && !strings.HasPrefix(link, "/static/") {
				queue = append(queue, link)
			}
		}
	}
	t.Logf("crawled %d pages", len(seen))
	if len(seen) < 100 {
		t.Errorf("crawled %d pages, want the whole demo (more than 100)", len(seen))
	}
}
