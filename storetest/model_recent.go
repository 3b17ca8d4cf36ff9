package storetest

import (
	"context"
	"math/rand/v2"
	"slices"

	"parley"
)

// The probes of the latest contacts and sources: a random page of each,
// checked against the model as the full lists are. A probe's path starts
// with the full list's, so that a process the user may not see must be
// refused as that list refuses it.
func init() {
	probes = append(probes,
		probe{"FindContacts recent", false, func(c *checker, rng *rand.Rand) {
			want := make([]*parley.Contact, 0, len(c.w.contacts))
			for _, r := range c.w.a.Contacts {
				if c.sight.vis[r.ID] {
					want = append(want, r)
				}
			}
			slices.SortFunc(want, newestContact)
			recentCheck(c, rng, "FindContacts recent", c.r.s.Contacts.FindRecentContacts, want,
				func(r *parley.Contact) string { return r.ID }, c.checkContact)
		}},
		probe{"FindSources recent", false, func(c *checker, rng *rand.Rand) {
			var want []*parley.Source
			for _, r := range c.w.a.Sources {
				if c.sight.vis[r.ID] {
					want = append(want, r)
				}
			}
			slices.SortFunc(want, newestSource)
			recentCheck(c, rng, "FindSources recent", c.r.s.Sources.FindRecentSources, want,
				func(r *parley.Source) string { return r.ID }, c.checkSource)
		}},
	)
}

// recentCheck reads a page of the latest records of a kind at a random
// limit and offset and wants the slice of want, the records the user sees
// in the order of the latest, that it names, each checked with check, and
// the count of want; and the read logged as the full list's would be for
// the records on the page.
func recentCheck[T any](c *checker, rng *rand.Rand, path string,
	recent func(context.Context, string, int, int) ([]*T, int, error), want []*T, id func(*T) string,
	check func(path string, r *T)) {
	limit, offset := rng.IntN(len(want)+3), rng.IntN(len(want)+3)
	mark := c.auditMark()
	rs, total, err := recent(c.ctx, c.w.a.Process.ID, limit, offset)
	var returned []string
	switch {
	case !c.processVisible():
		c.notFound(path, err, c.w.a.Process.ID)
	case err != nil:
		c.errorf(path, "%v", err)
	default:
		for _, r := range rs {
			returned = append(returned, id(r))
			check(path, r)
		}
		var page []string
		for _, r := range want[min(offset, len(want)):min(offset+limit, len(want))] {
			page = append(page, id(r))
		}
		c.sameList(path, "page of the latest records", returned, page)
		if total != len(want) {
			c.errorf(path, "got a count of %d, want %d", total, len(want))
		}
	}
	c.done(path, rs, err, mark, returned)
}
