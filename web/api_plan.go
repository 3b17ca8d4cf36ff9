package web

import (
	"net/http"

	"parley"
)

// planAPI describes plans to the generic handlers.
func (s *Server) planAPI() record[parley.Plan] {
	x := s.svc.Plans
	return record[parley.Plan]{collection: "plans", find: x.FindPlanByID, list: x.FindPlans, create: x.CreatePlan,
		update: x.UpdatePlan, fields: func(v *parley.Plan) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID, created: &v.Created, classification: &v.Classification}
		}}
}

// handleAPIPlanList lists the plans of a process.
func (s *Server) handleAPIPlanList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.planAPI())
}

// handleAPIPlanCreate creates a plan in a process.
func (s *Server) handleAPIPlanCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.planAPI())
}

// handleAPIPlanGet returns a plan.
func (s *Server) handleAPIPlanGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.planAPI())
}

// handleAPIPlanUpdate changes the fields of a plan given in the body.
func (s *Server) handleAPIPlanUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.planAPI())
}
