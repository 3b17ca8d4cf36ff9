package web

import (
	"context"
	"net/http"
	"net/url"

	"parley"
)

// planForm is the form of a plan. A new plan may be modelled on another
// plan of the process: its first version then starts from the structure
// of that plan's latest version.
var planForm = &recordForm[parley.Plan]{
	noun: "plan",
	intro: "A plan is a line of drafts: its versions, in order. A plan modelled on another starts from that plan's structure " +
		"(its headings and one line per point with the point's topics), and its first version is compared with the other plan's latest version.",
	start: func(s *Server, r *http.Request) (*parley.Plan, string, error) {
		// ?template= chooses the plan the new one is modelled on, from
		// the "New plan modelled on this one" links.
		return inProcess(func(proc *parley.Process) *parley.Plan {
			return &parley.Plan{ProcessID: proc.ID, TemplateID: r.URL.Query().Get("template"), Classification: inherit(proc.Classification)}
		})(s, r)
	},
	store: func(svc parley.Services) recordStore[parley.Plan] {
		return recordStore[parley.Plan]{svc.Plans.FindPlanByID, svc.Plans.CreatePlan, svc.Plans.UpdatePlan}
	},
	target:  func(svc parley.Services, p *parley.Plan, _ *choices) *shareTarget { return planTarget(svc, p) },
	process: func(p *parley.Plan) string { return p.ProcessID },
	name:    func(p *parley.Plan) string { return p.Title },
	fields: func(p *parley.Plan, ch *choices) []*field {
		templates := []option{{Value: "", Label: "(none: start from a blank text)"}}
		for _, t := range ch.plans {
			if t.ID != p.ID && latestText(t) != nil {
				templates = append(templates, option{Value: t.ID, Label: t.Title})
			}
		}
		return []*field{
			{Name: "title", Label: "Title", Type: "text", Value: p.Title, Required: true},
			{Name: "template_id", Label: "Modelled on", Type: "select", Value: p.TemplateID, Options: templates,
				Help: "Another plan of this process whose structure this plan starts from."},
			classificationField(p.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, p *parley.Plan, _ *choices) error {
		p.Title, p.TemplateID = formLine(vals, "title"), formLine(vals, "template_id")
		p.Classification = formClassification(vals)
		return nil
	},
	done: func(p *parley.Plan) string {
		if len(p.Versions) == 0 { // a new plan: on to its first version
			return planURL(p.ID) + "/versions/new"
		}
		return processURL(p.ProcessID) + "#plan-" + p.ID
	},
	back: func(p *parley.Plan) string { return processURL(p.ProcessID) + "#plans" },
}

// planURL is the address under which a plan's forms live.
func planURL(id string) string { return "/plans/" + url.PathEscape(id) }

// findPlanInProcess returns a plan and its process.
func (s *Server) findPlanInProcess(ctx context.Context, planID string) (*parley.Plan, *parley.Process, error) {
	plan, err := s.svc.Plans.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, nil, err
	}
	proc, err := s.svc.Processes.FindProcessByID(ctx, plan.ProcessID)
	if err != nil {
		return nil, nil, err
	}
	return plan, proc, nil
}

// latestText returns the latest version of a plan whose text is known, or
// nil.
func latestText(p *parley.Plan) *parley.Version {
	for k := len(p.Versions) - 1; k >= 0; k-- {
		if !p.Versions[k].TextUnknown {
			return p.Versions[k]
		}
	}
	return nil
}
