package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"parley"
)

// PlanService stores plans, their versions and their points.
type PlanService struct{ db *DB }

// NewPlanService returns the plan service of db.
func NewPlanService(db *DB) *PlanService { return &PlanService{db: db} }

var _ parley.PlanService = (*PlanService)(nil)

// FindPlanByID returns a plan with its versions (without text).
func (s *PlanService) FindPlanByID(ctx context.Context, id string) (*parley.Plan, error) {
	p, err := findPlanByID(ctx, s.db.read, id)
	if err != nil {
		return nil, err
	}
	v, _, err := newView(ctx, s.db.read, p.ProcessID)
	if err != nil {
		return nil, parley.Errorf(parley.ENOTFOUND, "plan %q not found", id)
	}
	plans, err := s.db.seePlans(v, []*parley.Plan{p})
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "plan %q not found", id)
	}
	return p, nil
}

// seePlans keeps the plans, and their versions, that the actor may see
// through v, removes references to hidden records and logs the read.
func (db *DB) seePlans(v *view, plans []*parley.Plan) ([]*parley.Plan, error) {
	var planIDs, versionIDs []string
	var out []*parley.Plan
	for _, p := range plans {
		if ok, err := v.sees("plans", p.ID); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		var err error
		if p.TemplateID, err = v.ref("plans", p.TemplateID); err != nil {
			return nil, err
		}
		var versions []*parley.Version
		for _, ver := range p.Versions {
			if ok, err := v.sees("versions", ver.ID); err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			if err := v.scrubVersion(ver); err != nil {
				return nil, err
			}
			versions = append(versions, ver)
			versionIDs = append(versionIDs, ver.ID)
		}
		p.Versions = versions
		out = append(out, p)
		planIDs = append(planIDs, p.ID)
	}
	if err := v.logRead(db, "plan", "plans", planIDs); err != nil {
		return nil, err
	}
	if err := v.logRead(db, "version", "versions", versionIDs); err != nil {
		return nil, err
	}
	return out, nil
}

// findPlanByID reads one plan with its versions, or reports ENOTFOUND.
func findPlanByID(ctx context.Context, q querier, id string) (*parley.Plan, error) {
	plans, err := findPlans(ctx, q, "id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, parley.Errorf(parley.ENOTFOUND, "plan %q not found", id)
	}
	return plans[0], nil
}

// FindPlans returns the plans of a process by title, with their versions.
func (s *PlanService) FindPlans(ctx context.Context, processID string) ([]*parley.Plan, error) {
	v, _, err := newView(ctx, s.db.read, processID)
	if err != nil {
		return nil, err
	}
	plans, err := findPlans(ctx, s.db.read, "process_id = $1", processID)
	if err != nil {
		return nil, err
	}
	return s.db.seePlans(v, plans)
}

// CreatePlan validates and stores a new plan.
func (s *PlanService) CreatePlan(ctx context.Context, p *parley.Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	id := newID()
	now, err := s.db.update(ctx, func(tx *Tx) error {
		acc, err := writeAccess(ctx, tx, p.ProcessID)
		if err != nil {
			return err
		}
		if err := checkPlanRefs(ctx, tx, p); err != nil {
			return err
		}
		if err := mayWrite(acc, "plan", false, p.Classification); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", ProcessID: p.ProcessID, Kind: "plan",
			IDs: []string{id}, Detail: p.Classification.String()}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plans (id, process_id, title, template_id, classification, created)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, p.ProcessID, p.Title, nullable(p.TemplateID),
			encodeClassification(p.Classification), formatTime(tx.now)); err != nil {
			return err
		}
		return touch(ctx, tx, p.ProcessID)
	})
	if err != nil {
		return err
	}
	p.ID, p.Created, p.Versions = id, now, nil
	return nil
}

// UpdatePlan replaces the title, template and classification of a plan.
func (s *PlanService) UpdatePlan(ctx context.Context, p *parley.Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var old *parley.Plan
	_, err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if old, err = findPlanByID(ctx, tx, p.ID); err != nil {
			return err
		}
		v, _, err := newView(ctx, tx, old.ProcessID)
		if err != nil {
			return parley.Errorf(parley.ENOTFOUND, "plan %q not found", p.ID)
		}
		if ok, err := v.sees("plans", p.ID); err != nil || !ok {
			return errors.Join(err, parley.Errorf(parley.ENOTFOUND, "plan %q not found", p.ID))
		}
		// A plan never moves to another process.
		stored := *p
		stored.ProcessID = old.ProcessID
		if err := checkPlanRefs(ctx, tx, &stored); err != nil {
			return err
		}
		if err := mayWrite(v.acc, "plan", false, old.Classification); err != nil {
			return err
		}
		if err := mayWrite(v.acc, "plan", false, p.Classification); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, changeRecord(old.ProcessID, "plan", p.ID, old.Classification, p.Classification)); err != nil {
			return err
		}
		// A template hidden from the actor stays, as it is not shown.
		if p.TemplateID, err = v.keepHiddenRef("plans", old.TemplateID, p.TemplateID); err != nil {
			return err
		}
		if p.TemplateID != "" && templateCycle(ctx, tx, p.ID, p.TemplateID) {
			return parley.FieldErrorf("template_id", "plan %q is modelled on this plan, so it cannot be its template", p.TemplateID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET title = $1, template_id = $2, classification = $3 WHERE id = $4`,
			p.Title, nullable(p.TemplateID), encodeClassification(p.Classification), p.ID); err != nil {
			return err
		}
		return touch(ctx, tx, old.ProcessID)
	})
	if err != nil {
		return err
	}
	p.ProcessID, p.Created, p.Versions = old.ProcessID, old.Created, old.Versions
	v, _, err := newView(ctx, s.db.read, p.ProcessID)
	if err != nil {
		return err
	}
	p.TemplateID, err = v.ref("plans", p.TemplateID)
	return err
}

// checkPlanRefs checks that a plan's process exists and that its template
// is another plan of the same process.
func checkPlanRefs(ctx context.Context, q querier, p *parley.Plan) error {
	if err := checkProcessRef(ctx, q, p.ProcessID); err != nil {
		return err
	}
	if err := checkClassificationRefs(ctx, q, p.Classification, p.ProcessID); err != nil {
		return err
	}
	if p.TemplateID != "" {
		if p.TemplateID == p.ID {
			return parley.FieldErrorf("template_id", "a plan cannot be its own template")
		}
		if err := checkRef(ctx, q, "plans", "template_id", "plan", p.TemplateID, p.ProcessID); err != nil {
			return err
		}
	}
	return nil
}

// templateCycle reports whether plan id is among the templates of
// template, so that making template the template of id would close a loop.
func templateCycle(ctx context.Context, q querier, id, template string) bool {
	for steps := 0; template != "" && steps < 1000; steps++ {
		if template == id {
			return true
		}
		var next sql.NullString
		if err := q.QueryRowContext(ctx, "SELECT template_id FROM plans WHERE id = $1", template).Scan(&next); err != nil {
			return false
		}
		template = next.String
	}
	return false
}

// checkProcessRef checks that a record's process exists.
func checkProcessRef(ctx context.Context, q querier, processID string) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM processes WHERE id = $1", processID).Scan(&n); err != nil {
		return parley.Internal(err)
	}
	if n == 0 {
		return parley.FieldErrorf("process_id", "no process %q", processID)
	}
	return nil
}

// checkRef checks that id names a record of table in process processID,
// reporting field as invalid otherwise.
func checkRef(ctx context.Context, q querier, table, field, what, id, processID string) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE id = $1 AND process_id = $2", id, processID).Scan(&n); err != nil {
		return parley.Internal(err)
	}
	if n == 0 {
		return parley.FieldErrorf(field, "no %s %q in this process", what, id)
	}
	// A record the actor may not see is, to the actor, not there: the
	// message is the same.
	if acc := parley.ActorFrom(ctx).In(processID); acc.Member() && !acc.Mediator() {
		if _, ok := classQueries[table]; ok {
			v := &view{ctx: ctx, q: q, acc: acc, processID: processID, visible: map[string]map[string]seen{}}
			if ok, err := v.sees(table, id); err != nil || !ok {
				return errors.Join(err, parley.FieldErrorf(field, "no %s %q in this process", what, id))
			}
		}
	}
	return nil
}

// checkRefs checks a list of references with checkRef.
func checkRefs(ctx context.Context, q querier, table, field, what string, ids []string, processID string) error {
	for _, id := range ids {
		if err := checkRef(ctx, q, table, field, what, id, processID); err != nil {
			return err
		}
	}
	return nil
}

// nullable stores an empty reference as NULL, as foreign keys require.
func nullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// findPlans reads the plans matching where (with args), by title, and
// their versions.
func findPlans(ctx context.Context, q querier, where string, args ...any) ([]*parley.Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, process_id, title, coalesce(template_id, ''), classification, created
		FROM plans WHERE `+where+` ORDER BY title, id`, args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	var plans []*parley.Plan
	byID := map[string]*parley.Plan{}
	for rows.Next() {
		var p parley.Plan
		var class, created string
		if err := rows.Scan(&p.ID, &p.ProcessID, &p.Title, &p.TemplateID, &class, &created); err != nil {
			rows.Close()
			return nil, parley.Internal(err)
		}
		if p.Classification, err = decodeClassification(class); err != nil {
			rows.Close()
			return nil, parley.Internal(err)
		}
		if p.Created, err = parseTime(created); err != nil {
			rows.Close()
			return nil, parley.Internal(err)
		}
		plans = append(plans, &p)
		byID[p.ID] = &p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	if len(plans) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(plans))
	for _, p := range plans {
		ids = append(ids, p.ID)
	}
	versions, err := findVersions(ctx, q, false, "plan_id IN ("+placeholders(len(ids), 1)+")", anys(ids)...)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		p := byID[v.PlanID]
		p.Versions = append(p.Versions, v)
	}
	return plans, nil
}

// placeholders returns "$from, $from+1, ..." for n parameters.
func placeholders(n, from int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// anys converts a list of strings to query arguments.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
