package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"parley"
	"parley/web"
)

// racyPlans runs hook once, right after the FindPlans it is armed for:
// a write that lands between two reads of one page.
type racyPlans struct {
	parley.PlanService
	armed atomic.Bool
	hook  func()
}

func (p *racyPlans) FindPlans(ctx context.Context, processID string) ([]*parley.Plan, error) {
	plans, err := p.PlanService.FindPlans(ctx, processID)
	if p.armed.CompareAndSwap(true, false) {
		p.hook()
	}
	return plans, err
}

// TestDashboardPartsRace: a plan hidden from a delegate between the
// dashboard's frame being drawn and its latest contacts being drawn (whose
// timeline shows the frame's versions) must not stay in the kept latest
// contacts once the frame is drawn again: the parts depend on the frame's
// tables as of the frame's counts.
func TestDashboardPartsRace(t *testing.T) {
	rp := &racyPlans{}
	env := newBareEnv(t, web.Options{}, func(s *parley.Services) { rp.PlanService = s.Plans; s.Plans = rp })
	env.Account = env.NewAccount(t, "mediator", false)
	ctx := env.Ctx
	pub := parley.Classification{Level: parley.Public}
	proc := &parley.Process{Name: "Race", Classification: pub}
	must(t, env.Svc.Processes.CreateProcess(ctx, proc))
	pid := proc.ID
	ua := &parley.Party{ProcessID: pid, Name: "Ukraine", Kind: parley.State, Classification: pub}
	must(t, env.Svc.Parties.CreateParty(ctx, ua))
	ru := &parley.Party{ProcessID: pid, Name: "Russia", Kind: parley.State, Classification: pub}
	must(t, env.Svc.Parties.CreateParty(ctx, ru))
	plan := &parley.Plan{ProcessID: pid, Title: "Plan", Classification: pub}
	must(t, env.Svc.Plans.CreatePlan(ctx, plan))
	ver := &parley.Version{PlanID: plan.ID, Label: "Zetadraft", Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		Status: parley.Draft, Text: "1. A ceasefire.\n", Classification: pub}
	must(t, env.Svc.Plans.CreateVersion(ctx, ver))
	must(t, env.Svc.Contacts.CreateContact(ctx, &parley.Contact{ProcessID: pid, Kind: parley.Call, Status: parley.Held,
		Start: time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC), Place: "Geneva", Classification: &pub}))
	uma := env.NewAccount(t, "uma", false)
	env.Grant(t, uma, pid, parley.RoleDelegate, ua.ID)
	asUma := env.As(uma)

	rp.hook = func() {
		p, err := env.Svc.Plans.FindPlanByID(ctx, plan.ID)
		must(t, err)
		p.Classification = parley.Classification{Level: parley.Confidential, PartyIDs: []string{ru.ID}}
		must(t, env.Svc.Plans.UpdatePlan(ctx, p))
	}
	rp.armed.Store(true)
	pageGet(t, asUma, "/processes/"+pid).want(t, http.StatusOK) // drawn as the plan is hidden
	if _, err := env.Svc.Plans.FindVersionByID(uma.Ctx, ver.ID); parley.ErrorCode(err) != parley.ENOTFOUND {
		t.Fatalf("the version is still visible to the delegate: %v", err)
	}
	for i := range 3 {
		p := pageGet(t, asUma, "/processes/"+pid).want(t, http.StatusOK)
		if strings.Contains(p.Body, ver.ID) || strings.Contains(p.Body, "Zetadraft") {
			t.Errorf("visit %d: the dashboard still shows the version hidden from its reader", i+2)
		}
	}
}
