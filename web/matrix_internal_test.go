package web

import (
	"slices"
	"testing"

	"parley"
)

// countConsensus weighs top-level points and the sub-points someone took
// a position on; a position on a point speaks for its sub-points; a party
// without any position on the version is left out of "accepted by all".
func TestCountConsensus(t *testing.T) {
	v := &parley.Version{ID: "v", Points: []*parley.Point{
		{ID: "1"}, {ID: "10"}, {ID: "10.a", Depth: 1}, {ID: "10.b", Depth: 1}, {ID: "11"},
	}}
	a, b, silent := &parley.Party{ID: "a", Name: "A"}, &parley.Party{ID: "b", Name: "B"}, &parley.Party{ID: "s", Name: "Silent"}
	pos := func(party *parley.Party, point string, st parley.Stance) *parley.Position {
		return &parley.Position{PartyID: party.ID, VersionID: v.ID, PointID: point, Stance: st}
	}
	ix := indexPositions([]*parley.Position{
		pos(a, "1", parley.Accepts), pos(b, "1", parley.Accepts),
		pos(a, "10", parley.Accepts), pos(b, "10", parley.AcceptsWithChanges),
		pos(b, "10.a", parley.Accepts), // A's position on 10 speaks for 10.a
		pos(a, "11", parley.Accepts), pos(b, "11", parley.RedLine),
	})
	c := countConsensus(v, []*parley.Party{a, b, silent}, ix)
	// 1, 10, 10.a and 11 are weighed (10.b has no position of its own);
	// 1, 10 and 10.a are accepted by A and B; 1 and 10.a without changes.
	if c.Points != 4 || c.AcceptedByAll != 3 || c.Unchanged != 2 || c.RedLinePoints != 1 {
		t.Errorf("got %d points, %d accepted by all, %d unchanged, %d red lines; want 4, 3, 2, 1",
			c.Points, c.AcceptedByAll, c.Unchanged, c.RedLinePoints)
	}
	if !slices.Equal(c.Unweighed, []string{"Silent"}) {
		t.Errorf("got unweighed %q, want Silent", c.Unweighed)
	}
	if got := c.Parties[0]; got.Accepted != 4 || got.Unrecorded != 0 {
		t.Errorf("A: got %+v, want 4 accepted (10.a through 10), none unrecorded", got)
	}
}
