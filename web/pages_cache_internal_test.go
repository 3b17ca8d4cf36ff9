package web

import (
	"fmt"
	"parley"
	"testing"
	"time"
)

func TestLRU(t *testing.T) {
	c := newLRU[string](3, 10, func(s string) int { return len(s) })
	c.put("a", "aaa")
	c.put("b", "bbb")
	c.put("c", "ccc")
	c.get("a") // now b is the least recently used
	c.put("d", "d")
	// Checked in a fixed order: each get makes its key the most recent.
	for _, tt := range []struct {
		key  string
		want bool
	}{{"a", true}, {"b", false}, {"c", true}, {"d", true}} {
		if _, ok := c.get(tt.key); ok != tt.want {
			t.Errorf("after 4 puts in a cache of 3: %q cached is %v, want %v", tt.key, ok, tt.want)
		}
	}
	c.put("a", "aaaaaaa") // 7 + 3 + 1 bytes: over 10, so the oldest (c) goes
	if _, ok := c.get("c"); ok {
		t.Errorf("c is still cached beyond the bytes bound (%d bytes)", c.bytes)
	}
	if v, _ := c.get("a"); v != "aaaaaaa" {
		t.Errorf("got a = %q, want the value put last", v)
	}
	c.put("huge", "0123456789A")
	if _, ok := c.get("huge"); ok {
		t.Errorf("a value larger than the cache was kept")
	}
	if c.bytes != 8 || c.order.Len() != 2 {
		t.Errorf("got %d bytes in %d entries, want 8 in 2", c.bytes, c.order.Len())
	}
}

// TestKeptAccess checks that the keys of drawn pages tell apart readers
// who see different records.
func TestKeptAccess(t *testing.T) {
	keys := map[string]string{}
	for name, acc := range map[string]parley.Access{
		"observer":       {Role: parley.RoleObserver},
		"mediator":       {Role: parley.RoleMediator},
		"Ukraine":        {Role: parley.RoleDelegate, PartyID: "ua"},
		"Russia":         {Role: parley.RoleDelegate, PartyID: "ru"},
		"not a member":   {},
		"another member": {Role: parley.RoleDelegate, PartyID: "e3"},
	} {
		if other, dup := keys[acc.Key()]; dup {
			t.Errorf("%s and %s share the key %q, but see different records", name, other, acc.Key())
		}
		keys[acc.Key()] = name
	}
	ua1 := parley.Access{Role: parley.RoleDelegate, PartyID: "ua"}
	ua2 := (&parley.Actor{UserID: "u2", Memberships: []parley.Membership{{ProcessID: "p", Role: parley.RoleDelegate, PartyID: "ua"}}}).In("p")
	if ua1.Key() != ua2.Key() {
		t.Errorf("two delegates of one party get keys %q and %q, want one", ua1.Key(), ua2.Key())
	}
}

// TestTimelineCenturies checks that contacts centuries apart (a mistyped
// year) are placed in order along the axis, with ticks in order.
func TestTimelineCenturies(t *testing.T) {
	public := parley.Classification{Level: parley.Public}
	ch := &parley.Channel{ID: "c", Name: "Line", Kind: parley.Official, Classification: public}
	var contacts []*parley.Contact
	for i, year := range []int{2025, 2350, 2400} {
		contacts = append(contacts, &parley.Contact{ID: fmt.Sprint(i), Kind: parley.Call, Status: parley.Held, ChannelID: "c",
			Start: time.Date(year, 1, 1, 12, 0, 0, 0, time.UTC)})
	}
	tl := newTimeline([]*parley.Channel{ch}, contacts, nil, newNames(nil, nil, []*parley.Channel{ch}, nil, contacts, nil))
	for i := 1; i < len(tl.Ticks); i++ {
		if tl.Ticks[i].X <= tl.Ticks[i-1].X {
			t.Fatalf("tick %q at %v is not after tick %q at %v", tl.Ticks[i].Label, tl.Ticks[i].X, tl.Ticks[i-1].Label, tl.Ticks[i-1].X)
		}
	}
	var xs []float64
	for _, m := range tl.Marks {
		xs = append(xs, m.X)
	}
	if len(xs) != 3 || !(xs[0] < xs[1] && xs[1] < xs[2]) {
		t.Errorf("marks at %v, want three in the order of their years", xs)
	}
}
