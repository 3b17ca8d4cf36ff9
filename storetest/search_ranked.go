package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["search ranks the latest"] = inParts(part{"observer and mediator", testSearchRanked})
}

// testSearchRanked checks the bound on the matches a search ranks: when
// more than parley.MaxRanked records a reader may see match, the search
// ranks the parley.MaxRanked written last and says so; when no more than
// that many match for the reader, hidden ones aside, it ranks them all
// and says nothing, so that the answer tells nothing of hidden records.
//
// The oldest contact matching "walrus" holds the word five times and is
// the best match; parley.MaxRanked-2 others hold it once; then three that are the
// mediators' alone, and last one that also holds a rare word. The
// observer sees parley.MaxRanked matches, the mediator three more.
func testSearchRanked(t *testing.T, s *Store) {
	f := newRecentFixture(t, s)
	pid := f.proc.ID
	contact := func(i int, summary string, c parley.Classification) *parley.Contact {
		return &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held, Summary: summary,
			Start: day(time.August, 1).Add(time.Duration(i) * time.Minute), Classification: &c}
	}
	best := must(t, s.Contacts.CreateContact, contact(0, "The walrus, the walrus, the walrus: walrus after walrus.", public))
	createContacts(t, s, 1, parley.MaxRanked-2, func(i int) *parley.Contact {
		return contact(i, fmt.Sprintf("Call %d, which mentioned a walrus once.", i), public)
	})
	var hidden []string
	for i := range 3 {
		c := must(t, s.Contacts.CreateContact, contact(parley.MaxRanked+i, "The mediators' own walrus.", parley.Classification{Level: parley.MediatorsOnly}))
		hidden = append(hidden, c.ID)
	}
	narwhal := must(t, s.Contacts.CreateContact, contact(parley.MaxRanked+3, "A narwhal, and a walrus.", public))

	ids := func(res *parley.SearchResult) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ContactID)
		}
		return out
	}
	search := func(actor, q string, limit int) *parley.SearchResult {
		t.Helper()
		res, err := s.Search.Search(f.actors[actor], parley.SearchQuery{ProcessID: pid, Text: q, Limit: limit})
		if err != nil {
			t.Fatalf("%s searching %q: %v", actor, q, err)
		}
		return res
	}

	// The observer sees parley.MaxRanked matches (the narwhal's among
	// them, not the mediators' three): all are ranked, the best first.
	res := search("obi", "walrus", 5)
	if res.Narrowed {
		t.Errorf("obi sees %d matches, no more than a search ranks, yet the search says it was narrowed", parley.MaxRanked)
	}
	if len(res.Hits) != 5 || res.Hits[0].ContactID != best.ID {
		t.Errorf("obi: got hits %q, want 5, the best match %s first", ids(res), best.ID)
	}
	for _, id := range ids(search("obi", "walrus", parley.MaxSearchLimit)) {
		if slices.Contains(hidden, id) {
			t.Errorf("obi's search shows the mediators' contact %s", id)
		}
	}

	// One more that the observer sees: the search ranks the latest
	// parley.MaxRanked of the observer's, without the best, and says so;
	// the mediators' three, among them, are not shown.
	more := must(t, s.Contacts.CreateContact, contact(parley.MaxRanked+4, "Yet another walrus.", public))
	res = search("obi", "walrus", parley.MaxSearchLimit)
	if !res.Narrowed || len(res.Hits) != parley.MaxRanked || slices.Contains(ids(res), best.ID) || !slices.Contains(ids(res), more.ID) {
		t.Errorf("obi sees %d matches: got %d hits (narrowed %v), want the %d latest, %s among them and not %s",
			parley.MaxRanked+1, len(res.Hits), res.Narrowed, parley.MaxRanked, more.ID, best.ID)
	}
	for _, id := range ids(res) {
		if slices.Contains(hidden, id) {
			t.Errorf("obi's narrowed search shows the mediators' contact %s", id)
		}
	}

	// The mediator sees four more: the search ranks the latest
	// parley.MaxRanked, which leaves out the four oldest, the best match
	// among them, and says so.
	res = search("mia", "walrus", parley.MaxSearchLimit)
	if !res.Narrowed {
		t.Errorf("mia sees %d matches, more than a search ranks, and the search does not say it was narrowed", parley.MaxRanked+4)
	}
	if len(res.Hits) != parley.MaxRanked {
		t.Errorf("mia: got %d hits, want the %d ranked", len(res.Hits), parley.MaxRanked)
	}
	if slices.Contains(ids(res), best.ID) {
		t.Errorf("mia: the oldest match %s is among the hits, though it was written before the %d latest", best.ID, parley.MaxRanked)
	}
	for _, id := range append(hidden, narwhal.ID) {
		if !slices.Contains(ids(res), id) {
			t.Errorf("mia: the match %s, among the latest, is not among the hits", id)
		}
	}

	// A word that many records hold, nearly all hidden from the
	// observer: the oldest and one newer are public, the
	// parley.MaxRanked between them and three newer the mediators'. The
	// observer sees two matches, the best first, and nothing narrowed; the
	// mediator sees the search narrowed to the latest, without the oldest.
	sealed := must(t, s.Contacts.CreateContact, contact(2000, "A seal, a seal, a seal.", public))
	mediatorsOnly := parley.Classification{Level: parley.MediatorsOnly}
	createContacts(t, s, 1, parley.MaxRanked, func(i int) *parley.Contact {
		return contact(2000+i, fmt.Sprintf("Call %d, of a seal.", i), mediatorsOnly)
	})
	seal := must(t, s.Contacts.CreateContact, contact(3100, "One more seal.", public))
	for i := range 3 {
		must(t, s.Contacts.CreateContact, contact(3101+i, "The mediators' seal.", mediatorsOnly))
	}
	for _, limit := range []int{1, 50} {
		res = search("obi", "seal", limit)
		want := []string{sealed.ID, seal.ID}[:min(limit, 2)]
		if res.Narrowed || !slices.Equal(ids(res), want) {
			t.Errorf("obi searching seal, %d hits: got %q (narrowed %v), want %q", limit, ids(res), res.Narrowed, want)
		}
	}
	res = search("mia", "seal", 5)
	if !res.Narrowed || len(res.Hits) != 5 || slices.Contains(ids(res), sealed.ID) {
		t.Errorf("mia searching seal: got %q (narrowed %v), want 5 of the latest, not %s", ids(res), res.Narrowed, sealed.ID)
	}

	// A word that few records hold is ranked in full, for everyone.
	for _, actor := range []string{"mia", "obi"} {
		res := search(actor, "narwhal", 0)
		if res.Narrowed || !slices.Equal(ids(res), []string{narwhal.ID}) {
			t.Errorf("%s searching narwhal: got %q (narrowed %v), want %s alone", actor, ids(res), res.Narrowed, narwhal.ID)
		}
	}
}

// createContacts creates the contacts contactOf returns for first to last, on
// eight goroutines, so that their writes commit in groups.
func createContacts(t *testing.T, s *Store, first, last int, contactOf func(i int) *parley.Contact) {
	t.Helper()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range work {
				if err := s.Contacts.CreateContact(asSystem(), contactOf(i)); err != nil {
					t.Errorf("contact %d: %v", i, err)
				}
			}
		})
	}
	for i := first; i <= last; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
}
