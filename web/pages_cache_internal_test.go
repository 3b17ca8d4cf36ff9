package web

import (
	"testing"
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
