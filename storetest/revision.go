package storetest

import (
	"testing"

	"parley"
)

func init() { suites["revision"] = testRevision }

// testRevision checks that every write to a process or its records counts
// in the process's revision, and that a refused write does not.
func testRevision(t *testing.T, open Opener) {
	ctx := asSystem()
	s := open(t)
	proc := mustProcess(t, s, "Russia–Ukraine 2025")
	other := mustProcess(t, s, "Elsewhere")
	revision := func(id string) int64 {
		t.Helper()
		p, err := s.Processes.FindProcessByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Revision
	}
	var plan *parley.Plan
	var version *parley.Version
	party := &parley.Party{ProcessID: proc.ID, Name: "Ukraine", Kind: parley.State, Classification: public}
	writes := []struct {
		name  string
		write func() error
		count bool // whether the write is accepted and counts
	}{
		{"update process", func() error {
			p, _ := s.Processes.FindProcessByID(ctx, proc.ID)
			p.Summary = "changed"
			return s.Processes.UpdateProcess(ctx, p)
		}, true},
		{"create party", func() error { return s.Parties.CreateParty(ctx, party) }, true},
		{"update party", func() error { party.Name = "Ukraine (government)"; return s.Parties.UpdateParty(ctx, party) }, true},
		{"refused party", func() error {
			return s.Parties.CreateParty(ctx, &parley.Party{ProcessID: proc.ID, Name: "", Kind: parley.State, Classification: public})
		}, false},
		{"create plan", func() error {
			plan = &parley.Plan{ProcessID: proc.ID, Title: "Plan", Classification: public}
			return s.Plans.CreatePlan(ctx, plan)
		}, true},
		{"update plan", func() error { plan.Title = "The plan"; return s.Plans.UpdatePlan(ctx, plan) }, true},
		{"create version", func() error {
			version = &parley.Version{PlanID: plan.ID, Label: "v1", Date: day(11, 20), Status: parley.Draft, Text: "1. A ceasefire.\n", Classification: public}
			return s.Plans.CreateVersion(ctx, version)
		}, true},
		{"refused version", func() error {
			return s.Plans.CreateVersion(ctx, &parley.Version{PlanID: plan.ID, Label: "v2", Date: day(11, 21), Status: parley.Draft, Text: "no points", Classification: public})
		}, false},
		{"annotate point", func() error {
			tags := []string{"ceasefire"}
			_, err := s.Plans.UpdatePoint(ctx, version.ID, "1", parley.PointUpdate{Tags: &tags})
			return err
		}, true},
	}
	otherBefore := revision(other.ID)
	for _, w := range writes {
		before := revision(proc.ID)
		err := w.write()
		if (err == nil) != w.count {
			t.Fatalf("%s: got %v, want accepted: %v", w.name, err, w.count)
		}
		after := revision(proc.ID)
		if w.count && after <= before {
			t.Errorf("%s: revision %d → %d, want it to grow", w.name, before, after)
		}
		if !w.count && after != before {
			t.Errorf("%s (refused): revision %d → %d, want it unchanged", w.name, before, after)
		}
	}
	if got := revision(other.ID); got != otherBefore {
		t.Errorf("writes to one process changed another's revision: %d → %d", otherBefore, got)
	}
}
