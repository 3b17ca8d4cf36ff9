package web

import (
	"testing"

	"parley"
)

// The plot's default axes are the two parties whose utilities move most
// against each other along the frontier; chosen axes are kept.
func TestPlotAxesDefault(t *testing.T) {
	pk := func(a, b, c float64) *parley.AnalysedPackage {
		return &parley.AnalysedPackage{Utility: map[string]float64{"a": a, "b": b, "c": c}}
	}
	// a and b rise together; c falls as they rise, exactly as b rises
	// (b + c = 100), less so against a.
	an := &parley.Analysis{Parties: []string{"a", "b", "c"}, Frontier: []*parley.AnalysedPackage{
		pk(10, 10, 90), pk(40, 40, 60), pk(70, 80, 20), pk(90, 85, 15),
	}}
	if x, y, err := plotAxes(an, "", ""); err != nil || x != "b" || y != "c" {
		t.Errorf("default axes: got %s, %s (%v), want b and c, the most opposed", x, y, err)
	}
	if x, y, err := plotAxes(an, "b", ""); err != nil || x != "b" || y != "a" {
		t.Errorf("x chosen: got %s, %s (%v)", x, y, err)
	}
	if _, _, err := plotAxes(an, "z", ""); parley.ErrorCode(err) != parley.EINVALID {
		t.Errorf("an unknown party: got %v, want EINVALID", err)
	}
	// Without a frontier, the first two parties.
	if x, y, _ := plotAxes(&parley.Analysis{Parties: []string{"a", "b", "c"}}, "", ""); x != "a" || y != "b" {
		t.Errorf("no frontier: got %s, %s, want a and b", x, y)
	}
}
