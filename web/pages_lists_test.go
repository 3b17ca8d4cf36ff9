package web_test

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
)

// listEnv is a server over a database that spares its syncs to disk, for
// tests that write hundreds of records, with the account "mediator".
func listEnv(t testing.TB) *testEnv {
	t.Helper()
	env := newThrowAwayEnv(t)
	env.Account = env.NewAccount(t, "mediator", false)
	return env
}

// latestProcess is a process with many contacts and sources, made through
// the services, with the records in the order of the latest.
type latestProcess struct {
	process  *parley.Process
	contacts []*parley.Contact // the latest to start first
	sources  []*parley.Source  // the latest published first, undated last
	version  *parley.Version
}

// newLatestProcess makes a public process with a party, a channel, a plan
// version, and n contacts and n sources, one a day, every fifth of each
// process-wide and the others public, every seventh source undated.
func newLatestProcess(t testing.TB, env *testEnv, name string, n int) *latestProcess {
	t.Helper()
	ctx := env.Ctx
	pub := parley.Classification{Level: parley.Public}
	lp := &latestProcess{process: &parley.Process{Name: name, Classification: pub}}
	must(t, env.Svc.Processes.CreateProcess(ctx, lp.process))
	pid := lp.process.ID
	must(t, env.Svc.Parties.CreateParty(ctx, &parley.Party{ProcessID: pid, Name: "Ukraine", Kind: parley.State, Classification: pub}))
	talks := &parley.Channel{ProcessID: pid, Name: "Talks", Kind: parley.Official, Classification: pub}
	must(t, env.Svc.Channels.CreateChannel(ctx, talks))
	plan := &parley.Plan{ProcessID: pid, Title: "Plan", Classification: pub}
	must(t, env.Svc.Plans.CreatePlan(ctx, plan))
	lp.version = &parley.Version{PlanID: plan.ID, Label: "First draft", Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: "1. A ceasefire.\n", Classification: pub}
	must(t, env.Svc.Plans.CreateVersion(ctx, lp.version))
	start := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)
	for i := range n {
		// Made in an order that is not the order of the latest.
		k := i * 7 % n
		class := pub
		if k%5 == 4 {
			class = parley.Classification{Level: parley.ProcessWide}
		}
		c := &parley.Contact{ProcessID: pid, Kind: parley.Meeting, Status: parley.Held, Start: start.AddDate(0, 0, k),
			Place: fmt.Sprint("Place ", k), ChannelID: talks.ID}
		if k%5 == 4 {
			c.Classification = &class
		}
		must(t, env.Svc.Contacts.CreateContact(ctx, c))
		lp.contacts = append(lp.contacts, c)
		src := &parley.Source{ProcessID: pid, Title: fmt.Sprint("Report ", k), Reliability: "B", Credibility: 2, Classification: class}
		if k%7 != 3 {
			src.Published = start.AddDate(0, 0, k)
		}
		must(t, env.Svc.Sources.CreateSource(ctx, src))
		lp.sources = append(lp.sources, src)
	}
	slices.SortFunc(lp.contacts, func(a, b *parley.Contact) int { return b.Start.Compare(a.Start) })
	slices.SortFunc(lp.sources, func(a, b *parley.Source) int {
		if a.Published.IsZero() != b.Published.IsZero() {
			return cmp.Compare(boolInt(a.Published.IsZero()), boolInt(b.Published.IsZero()))
		}
		return cmp.Or(b.Published.Compare(a.Published), cmp.Compare(b.ID, a.ID))
	})
	return lp
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// contactIDs and sourceIDs return the IDs of records.
func contactIDs(cs []*parley.Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func sourceIDs(ss []*parley.Source) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// Rows of the tables of contacts and of sources, by the link of their
// first cell and of their form.
var (
	contactRowRE = regexp.MustCompile(`<th scope="row"><a href="/contacts/([a-z0-9]+)">`)
	sourceRowRE  = regexp.MustCompile(`<a href="/sources/([a-z0-9]+)/edit">Edit`)
	tableRowRE   = regexp.MustCompile(`(?s)<tr>\s*<td>[^<]*</td>\s*<th scope="row"><a href="/contacts/.*?</tr>`)
	markRE       = regexp.MustCompile(`<a href="/(contacts|versions)/([a-z0-9]+)" class="mark">`)
	allLinkRE    = regexp.MustCompile(`<a href="([^"]+)">All (contacts|sources)</a>`)
)

// matches returns the first group of every match of re in body.
func matches(re *regexp.Regexp, body string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestDashboardLatest checks that a dashboard of a process with 40 contacts
// and 40 sources shows the latest 15 of each, says of how many, and links
// to the full lists, which show them all in the same order and the same
// rows.
func TestDashboardLatest(t *testing.T) {
	env := listEnv(t)
	lp := newLatestProcess(t, env, "Forty of each", 40)
	p := pageGet(t, env, "/processes/"+lp.process.ID).want(t, http.StatusOK)
	p.has(t, "15 of 40 contacts, the latest first.", "15 of 40 sources, the latest published first.")
	if got, want := matches(contactRowRE, p.Body), contactIDs(lp.contacts[:15]); !slices.Equal(got, want) {
		t.Errorf("the table of contacts lists %q, want the latest 15, the latest first: %q", got, want)
	}
	if got, want := matches(sourceRowRE, p.Body), sourceIDs(lp.sources[:15]); !slices.Equal(got, want) {
		t.Errorf("the table of sources lists %q, want the latest 15 published, the latest first: %q", got, want)
	}
	// The timeline draws the same 15, in the order they started, and the
	// plan's version.
	var marks []string
	for _, m := range markRE.FindAllStringSubmatch(p.Body, -1) {
		marks = append(marks, m[2])
	}
	started := contactIDs(lp.contacts[:15])
	slices.Reverse(started)
	if want := append(started, lp.version.ID); !slices.Equal(marks, want) {
		t.Errorf("the timeline marks %q, want %q", marks, want)
	}
	p.has(t, "The latest 15 of 40 contacts, from 26 February 2025 to 12 March 2025")
	for _, c := range lp.contacts[15:] {
		p.hasNot(t, c.ID)
	}

	links := allLinkRE.FindAllStringSubmatch(p.Body, -1)
	if len(links) != 2 || links[0][2] != "contacts" || links[1][2] != "sources" {
		t.Fatalf("got links to full lists %q, want All contacts and All sources", links)
	}
	dashboardRows := tableRowRE.FindAllString(p.Body, -1)
	contacts := pageGet(t, env, links[0][1]).want(t, http.StatusOK)
	contacts.has(t, "<title>Contacts of Forty of each · Parley</title>", "All 40 contacts, the latest first.",
		`<p class="breadcrumb"><a href="/processes/`+lp.process.ID+`">Forty of each</a></p>`,
		`href="/processes/`+lp.process.ID+`/contacts/new"`)
	contacts.hasNot(t, `rel="next"`, `rel="prev"`)
	if got, want := matches(contactRowRE, contacts.Body), contactIDs(lp.contacts); !slices.Equal(got, want) {
		t.Errorf("the full list of contacts lists %q, want all, the latest first: %q", got, want)
	}
	// The columns are the dashboard's: its rows are the list's first.
	if listRows := tableRowRE.FindAllString(contacts.Body, -1); len(dashboardRows) != 15 || !slices.Equal(dashboardRows, listRows[:15]) {
		t.Errorf("the dashboard's %d rows of contacts differ from the full list's first:\n%q\n%q", len(dashboardRows), dashboardRows, listRows[:min(15, len(listRows))])
	}
	sources := pageGet(t, env, links[1][1]).want(t, http.StatusOK)
	sources.has(t, "<title>Sources of Forty of each · Parley</title>", "All 40 sources, the latest published first, undated ones last.",
		`href="/processes/`+lp.process.ID+`/sources/new"`, "Report 39", "B2", "/share")
	if got, want := matches(sourceRowRE, sources.Body), sourceIDs(lp.sources); !slices.Equal(got, want) {
		t.Errorf("the full list of sources lists %q, want all: %q", got, want)
	}
}

// TestDashboardFew checks that a dashboard that shows every contact and
// source says no count, but still links to the full lists, and that one
// with none links to neither.
func TestDashboardFew(t *testing.T) {
	env := listEnv(t)
	lp := newLatestProcess(t, env, "Few", 15)
	p := pageGet(t, env, "/processes/"+lp.process.ID).want(t, http.StatusOK)
	p.hasNot(t, " of 15 ", "The latest")
	p.has(t, `<a href="/processes/`+lp.process.ID+`/contacts">All contacts</a>`, `<a href="/processes/`+lp.process.ID+`/sources">All sources</a>`)
	if got := len(matches(contactRowRE, p.Body)); got != 15 {
		t.Errorf("got %d contacts, want 15", got)
	}
	empty := newLatestProcess(t, env, "Empty", 0)
	p = pageGet(t, env, "/processes/"+empty.process.ID).want(t, http.StatusOK)
	p.has(t, "No contact yet.", "No source yet.")
	p.hasNot(t, "All contacts", "All sources")
	for _, list := range []string{"contacts", "sources"} {
		p := pageGet(t, env, "/processes/"+empty.process.ID+"/"+list).want(t, http.StatusOK)
		p.has(t, "No "+strings.TrimSuffix(list, "s")+" yet.")
		pageGet(t, env, "/processes/"+empty.process.ID+"/"+list+"?page=2").want(t, http.StatusNotFound).
			has(t, "There is no page 2 of the "+list+" of this process: there is 1 page.")
	}
}

// TestFullListPages checks the pages of the full lists: 100 records a
// page, the latest first, with links to the pages around, together every
// record once; a page past the last is not found and a page that is no
// whole number is refused, each saying why.
func TestFullListPages(t *testing.T) {
	env := listEnv(t)
	lp := newLatestProcess(t, env, "Many", 205)
	for _, list := range []struct {
		name string
		row  *regexp.Regexp
		want []string
	}{{"contacts", contactRowRE, contactIDs(lp.contacts)}, {"sources", sourceRowRE, sourceIDs(lp.sources)}} {
		t.Run(list.name, func(t *testing.T) {
			base := "/processes/" + lp.process.ID + "/" + list.name
			var seen []string
			path := base
			for page := 1; path != ""; page++ {
				p := pageGet(t, env, path).want(t, http.StatusOK)
				rows := matches(list.row, p.Body)
				from := (page - 1) * 100
				if want := list.want[from:min(from+100, len(list.want))]; !slices.Equal(rows, want) {
					t.Errorf("page %d lists %q, want %q", page, rows, want)
				}
				p.has(t, fmt.Sprintf("%s %d to %d of 205, the latest", strings.ToUpper(list.name[:1])+list.name[1:], from+1, from+len(rows)),
					fmt.Sprintf("Page %d of 3", page))
				if page > 1 {
					p.has(t, fmt.Sprintf(`<a href="%s?page=%d" rel="prev">`, base, page-1))
				} else {
					p.hasNot(t, `rel="prev"`)
				}
				seen = append(seen, rows...)
				path = ""
				if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(p.Body); m != nil {
					path = strings.ReplaceAll(m[1], "&amp;", "&")
				}
				if page > 3 {
					t.Fatalf("page %d links to a next page %q", page, path)
				}
			}
			if !slices.Equal(seen, list.want) {
				t.Errorf("the pages list %d records, want each of the %d once, in order", len(seen), len(list.want))
			}
			pageGet(t, env, base+"?page=4").want(t, http.StatusNotFound).
				has(t, "There is no page 4 of the "+list.name+" of this process: there are 3 pages.")
		})
	}
}

// TestFullListBadPages checks that the full lists refuse page numbers that
// are not whole numbers from 1 to the bound with a 400 that says so, for
// any process, seen or not, and a process that is not there with the 404
// of any page of it.
func TestFullListBadPages(t *testing.T) {
	env := listEnv(t)
	lp := newLatestProcess(t, env, "Paged", 3)
	for _, list := range []string{"contacts", "sources"} {
		for _, bad := range []string{"0", "-1", "abc", "1.5", "1e2", "2 ", "0x10", "１", "99999999999999999999", "1000001", "<b>"} {
			t.Run(fmt.Sprintf("%s %q", list, bad), func(t *testing.T) {
				for _, pid := range []string{lp.process.ID, "madeupprocess"} {
					p := pageGet(t, env, "/processes/"+pid+"/"+list+"?page="+url.QueryEscape(bad)).want(t, http.StatusBadRequest)
					p.hasText(t, "The page must be a whole number from 1 to 1,000,000, not "+fmt.Sprintf("%q", bad)+".")
					p.hasNot(t, "<b>")
				}
			})
		}
		// An empty page number is the first page; a repeated one, the
		// first given.
		pageGet(t, env, "/processes/"+lp.process.ID+"/"+list+"?page=").want(t, http.StatusOK)
		pageGet(t, env, "/processes/"+lp.process.ID+"/"+list+"?page=1&page=abc").want(t, http.StatusOK)
		pageGet(t, env, "/processes/madeupprocess/"+list).want(t, http.StatusNotFound).has(t, `process &#34;madeupprocess&#34; not found`)
		pageGet(t, env, "/processes/madeupprocess/"+list+"?page=2").want(t, http.StatusNotFound)
	}
}

// TestDashboardLatestDelegate checks what a delegate sees of the latest
// records when the newest are hidden from it: a full 15 of those it may
// see, counted without the hidden ones, and no trace of the hidden ones on
// the dashboard or in the full lists; the mediator sees and counts all.
func TestDashboardLatestDelegate(t *testing.T) {
	env := listEnv(t)
	ctx := env.Ctx
	pub := parley.Classification{Level: parley.Public}
	proc := &parley.Process{Name: "Hidden newest", Classification: pub}
	must(t, env.Svc.Processes.CreateProcess(ctx, proc))
	pid := proc.ID
	ua := &parley.Party{ProcessID: pid, Name: "Ukraine", Kind: parley.State, Classification: pub}
	must(t, env.Svc.Parties.CreateParty(ctx, ua))
	ru := &parley.Party{ProcessID: pid, Name: "Russia", Kind: parley.State, Classification: pub}
	must(t, env.Svc.Parties.CreateParty(ctx, ru))
	ruOnly := parley.Classification{Level: parley.Confidential, PartyIDs: []string{ru.ID}}
	uaOwn := parley.Classification{Level: parley.Confidential, PartyIDs: []string{ua.ID}}
	back := &parley.Channel{ProcessID: pid, Name: "Backchannel", Kind: parley.Backchannel, PartyIDs: []string{ru.ID}, Classification: ruOnly}
	must(t, env.Svc.Channels.CreateChannel(ctx, back))
	start := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	var visibleContacts, visibleSources []string
	hidden := map[string]string{} // ID → marker word
	// 20 visible ones, then 10 newer hidden ones, each marked by a word.
	for i := range 30 {
		marker := fmt.Sprintf("zircon%02d", i)
		c := &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held, Start: start.AddDate(0, 0, i), Place: marker}
		s := &parley.Source{ProcessID: pid, Title: marker, Reliability: "C", Credibility: 3, Published: start.AddDate(0, 0, i)}
		switch {
		case i < 20 && i%2 == 0:
			c.Classification, s.Classification = &pub, pub
		case i < 20:
			c.Classification, s.Classification = &uaOwn, uaOwn
		case i%2 == 0: // hidden through its channel
			c.ChannelID, s.Classification = back.ID, ruOnly
		default:
			c.Classification, s.Classification = &ruOnly, parley.Classification{Level: parley.MediatorsOnly}
		}
		must(t, env.Svc.Contacts.CreateContact(ctx, c))
		must(t, env.Svc.Sources.CreateSource(ctx, s))
		if i < 20 {
			visibleContacts, visibleSources = append([]string{c.ID}, visibleContacts...), append([]string{s.ID}, visibleSources...)
		} else {
			hidden[c.ID], hidden[s.ID] = marker, marker
		}
	}
	uma := env.NewAccount(t, "uma", false)
	env.Grant(t, uma, pid, parley.RoleDelegate, ua.ID)
	asUma := env.As(uma)

	p := pageGet(t, asUma, "/processes/"+pid).want(t, http.StatusOK)
	p.has(t, "15 of 20 contacts, the latest first.", "15 of 20 sources, the latest published first.", "The latest 15 of 20 contacts")
	if got := matches(contactRowRE, p.Body); !slices.Equal(got, visibleContacts[:15]) {
		t.Errorf("the delegate's dashboard lists contacts %q, want the latest 15 it may see %q", got, visibleContacts[:15])
	}
	if got := matches(sourceRowRE, p.Body); !slices.Equal(got, visibleSources[:15]) {
		t.Errorf("the delegate's dashboard lists sources %q, want %q", got, visibleSources[:15])
	}
	pages := []*page{p}
	for _, list := range []string{"contacts", "sources"} {
		l := pageGet(t, asUma, "/processes/"+pid+"/"+list).want(t, http.StatusOK)
		l.has(t, "All 20 "+list)
		pages = append(pages, l)
		pageGet(t, asUma, "/processes/"+pid+"/"+list+"?page=2").want(t, http.StatusNotFound).
			has(t, "There is no page 2 of the "+list+" of this process: there is 1 page.")
	}
	for _, p := range pages {
		for id, marker := range hidden {
			p.hasNot(t, id, marker)
		}
		p.hasNot(t, "30 contacts", "30 sources", "Backchannel")
	}

	p = pageGet(t, env, "/processes/"+pid).want(t, http.StatusOK)
	p.has(t, "15 of 30 contacts, the latest first.", "15 of 30 sources, the latest published first.", "zircon29")
}

// BenchmarkDashboard draws the dashboard of a process with 15 contacts and
// 15 sources and of one with 3,000 of each, as its mediator and as an
// observer, who sees a fifth fewer: the two should cost about the same.
//
//	go test ./web -run '^$' -bench Dashboard
func BenchmarkDashboard(b *testing.B) {
	env := listEnv(b)
	observer := env.NewAccount(b, "observer", false)
	for _, n := range []int{15, 3000} {
		lp := newLatestProcess(b, env, fmt.Sprint(n, " of each"), n)
		env.Grant(b, observer, lp.process.ID, parley.RoleObserver, "")
		for _, who := range []struct {
			name string
			env  *testEnv
		}{{"mediator", env}, {"observer", env.As(observer)}} {
			b.Run(fmt.Sprintf("%d/%s", n, who.name), func(b *testing.B) {
				for b.Loop() {
					pageGet(b, who.env, "/processes/"+lp.process.ID).want(b, http.StatusOK)
				}
			})
		}
	}
}
