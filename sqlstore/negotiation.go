package sqlstore

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"parley"
)

// NegotiationService stores the negotiation model of processes (their
// issues) and the parties' preferences, and analyses them.
type NegotiationService struct {
	db *DB
	// analyses keeps the latest analyses, whole, by what they were run
	// on (see Analyse).
	analyses analysisCache
}

// NewNegotiationService returns the negotiation service of db.
func NewNegotiationService(db *DB) *NegotiationService { return &NegotiationService{db: db} }

var _ parley.NegotiationService = (*NegotiationService)(nil)

// FindIssueByID returns an issue the actor may see, without the points of
// versions it may not see, or ENOTFOUND.
func (s *NegotiationService) FindIssueByID(ctx context.Context, id string) (*parley.Issue, error) {
	return issues.read(ctx, s.db, id)
}

// FindIssues returns the issues of a process the actor may see, in their
// order, then by name.
func (s *NegotiationService) FindIssues(ctx context.Context, processID string) ([]*parley.Issue, error) {
	return issues.readInProcess(ctx, s.db, processID)
}

// CreateIssue validates and stores a new issue. The negotiation model is
// the mediators' instrument: only they write issues.
func (s *NegotiationService) CreateIssue(ctx context.Context, is *parley.Issue) error {
	return issues.create(ctx, s.db, is)
}

// UpdateIssue replaces every field of issue is.ID but its process.
// Preferences that rate an option the issue no longer has keep the
// rating; the analysis ignores it.
func (s *NegotiationService) UpdateIssue(ctx context.Context, is *parley.Issue) error {
	return issues.update(ctx, s.db, is)
}

// issues is how issues are stored: the options, with the points tied to
// them, as one JSON list.
var issues = &recordKind[parley.Issue]{
	what:     "issue",
	table:    "issues",
	columns:  []string{"name", "ord", "divisible", "options", "default_option", "classification"},
	order:    "ord, name, id",
	keys:     func(is *parley.Issue) (*string, *string) { return &is.ID, &is.ProcessID },
	validate: (*parley.Issue).Validate,
	values: func(is *parley.Issue) []any {
		return []any{is.Name, is.Order, is.Divisible, encodeJSON(is.Options), is.Default,
			encodeClassification(is.Classification)}
	},
	scan: func(row scanner) (*parley.Issue, error) {
		var is parley.Issue
		var options, class string
		if err := row.Scan(&is.ID, &is.ProcessID, &is.Name, &is.Order, &is.Divisible, &options, &is.Default, &class); err != nil {
			return nil, err
		}
		if err := decodeJSON(options, &is.Options); err != nil {
			return nil, err
		}
		var err error
		is.Classification, err = decodeClassification(class)
		return &is, err
	},
	class: func(_ context.Context, _ querier, is *parley.Issue) (parley.Classification, error) {
		return is.Classification, nil
	},
	frame: true,
	refs:  checkIssueRefs,
	scrub: scrubIssue,
}

// checkIssueRefs checks an issue's classification and that every point
// tied to its options is a point of a version of the process that the
// actor sees.
func checkIssueRefs(ctx context.Context, q querier, is *parley.Issue, processID string) error {
	if err := checkClassificationRefs(ctx, q, is.Classification, processID); err != nil {
		return err
	}
	// Every party's preferences weigh every issue, so the bound on
	// preferences is a bound on the model.
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM issues WHERE process_id = $1 AND id != $2", processID, is.ID).Scan(&n); err != nil {
		return parley.Internal(err)
	}
	if n >= parley.MaxIssues {
		return parley.FieldErrorf("name", "the process has %d issues already, the most a negotiation model may have", n)
	}
	acc := parley.ActorFrom(ctx).In(processID)
	checked := map[string]bool{}
	for k, o := range is.Options {
		for _, r := range o.Points {
			if !checked[r.VersionID] {
				if err := checkVersionRef(ctx, q, acc, "options", r.VersionID, processID); err != nil {
					return parley.FieldErrorf("options", "option %d: no version %q in this process", k+1, r.VersionID)
				}
				checked[r.VersionID] = true
			}
			var n int
			if err := q.QueryRowContext(ctx, "SELECT count(*) FROM points WHERE version_id = $1 AND id = $2", r.VersionID, r.PointID).Scan(&n); err != nil {
				return parley.Internal(err)
			}
			if n == 0 {
				return parley.FieldErrorf("options", "option %d: version %q has no point %q", k+1, r.VersionID, r.PointID)
			}
		}
	}
	return nil
}

// scrubIssue removes the points of versions the actor may not see from an
// issue's options.
func scrubIssue(v *view, is *parley.Issue) error {
	if v.all() {
		return nil
	}
	versions, err := v.load("versions")
	if err != nil {
		return err
	}
	for k := range is.Options {
		o := &is.Options[k]
		o.Points = slices.DeleteFunc(o.Points, func(r parley.PointRef) bool { return !versions[r.VersionID].ok })
		if len(o.Points) == 0 {
			o.Points = nil
		}
	}
	return nil
}

// FindPreferences returns the preferences of a process the actor may see:
// every party's for a mediator, its own party's for a delegate, none for
// an observer. Each read is in the audit log.
func (s *NegotiationService) FindPreferences(ctx context.Context, processID string) ([]*parley.Preferences, error) {
	return preferences.readInProcess(ctx, s.db, processID)
}

// SetPreferences checks p against the issues of its process that the
// actor sees and stores it as its party's preferences, replacing earlier
// ones under the same ID. A delegate sets its own party's, a mediator any
// party's, an observer none.
func (s *NegotiationService) SetPreferences(ctx context.Context, p *parley.Preferences) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var id string
	now, err := s.db.update(ctx, func(tx *Tx) error {
		v, _, err := newView(ctx, tx, p.ProcessID)
		if err != nil {
			return parley.FieldErrorf("process_id", "no process %q", p.ProcessID)
		}
		if err := checkRef(ctx, tx, "parties", "party_id", "party", p.PartyID, p.ProcessID); err != nil {
			return err
		}
		if v.acc.Role == parley.RoleDelegate && p.PartyID != v.acc.PartyID {
			return parley.Errorf(parley.EFORBIDDEN, "a delegate sets only its own party's preferences")
		}
		if err := mayWrite(v.acc, "preferences", false, p.Classification); err != nil {
			return err
		}
		model, err := issues.find(ctx, tx, "process_id = $1", p.ProcessID)
		if err != nil {
			return err
		}
		seen, err := v.load("issues")
		if err != nil {
			return err
		}
		// Preferences speak only of the issues their party may see: a
		// mediator may not weigh for a party an issue hidden from it,
		// which its delegates could then neither read nor keep.
		party := parley.PartyAccess(p.PartyID)
		for _, is := range model {
			if _, named := p.Weights[is.ID]; !party.Sees(is.Classification) && (v.all() || seen[is.ID].ok) &&
				(named || p.Ratings[is.ID] != nil || slices.ContainsFunc(p.Never, func(r parley.OptionRef) bool { return r.IssueID == is.ID })) {
				return parley.FieldErrorf("weights", "issue %q is hidden from the party, whose preferences speak only of issues it may see", is.Name)
			}
		}
		model = slices.DeleteFunc(model, func(is *parley.Issue) bool {
			return !party.Sees(is.Classification) || (!v.all() && !seen[is.ID].ok)
		})
		if err := p.CheckAgainst(model); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, "SELECT id FROM preferences WHERE process_id = $1 AND party_id = $2",
			p.ProcessID, p.PartyID).Scan(&id)
		stored := *p
		stored.Updated = tx.now
		switch {
		case errNoRows(err):
			id = newID()
			if err := preferences.insertRow(ctx, tx, &stored, id, p.ProcessID); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "create", ProcessID: p.ProcessID, Kind: "preferences",
				IDs: []string{id}, Detail: p.Classification.String()}); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := preferences.updateRow(ctx, tx, &stored, id); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "update", ProcessID: p.ProcessID, Kind: "preferences",
				IDs: []string{id}}); err != nil {
				return err
			}
		}
		return touch(ctx, tx, p.ProcessID)
	})
	if err != nil {
		return err
	}
	p.ID, p.Updated = id, now
	return nil
}

// preferences is how preferences are stored. They are not written through
// create and update (SetPreferences replaces a party's), but read, exported
// and imported like the other kinds.
var preferences = &recordKind[parley.Preferences]{
	what:     "preferences",
	table:    "preferences",
	columns:  []string{"party_id", "weights", "ratings", "reservation", "never", "note", "classification", "updated"},
	order:    "(SELECT name FROM parties WHERE parties.id = party_id), id",
	keys:     func(p *parley.Preferences) (*string, *string) { return &p.ID, &p.ProcessID },
	validate: (*parley.Preferences).Validate,
	values: func(p *parley.Preferences) []any {
		return []any{p.PartyID, encodeMap(p.Weights), encodeMap(p.Ratings), p.Reservation, encodeJSON(p.Never), p.Note,
			encodeClassification(p.Classification), formatTime(p.Updated)}
	},
	scan: func(row scanner) (*parley.Preferences, error) {
		var p parley.Preferences
		var weights, ratings, never, class, updated string
		if err := row.Scan(&p.ID, &p.ProcessID, &p.PartyID, &weights, &ratings, &p.Reservation, &never, &p.Note,
			&class, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(weights), &p.Weights); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(ratings), &p.Ratings); err != nil {
			return nil, err
		}
		if err := decodeJSON(never, &p.Never); err != nil {
			return nil, err
		}
		var err error
		if p.Updated, err = parseTime(updated); err != nil {
			return nil, err
		}
		p.Classification, err = decodeClassification(class)
		return &p, err
	},
	class: func(_ context.Context, _ querier, p *parley.Preferences) (parley.Classification, error) {
		return p.Classification, nil
	},
	scrub: scrubPreferences,
	refs: func(ctx context.Context, q querier, p *parley.Preferences, processID string) error {
		if err := checkRef(ctx, q, "parties", "party_id", "party", p.PartyID, processID); err != nil {
			return err
		}
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM preferences WHERE process_id = $1 AND party_id = $2",
			processID, p.PartyID).Scan(&n); err != nil {
			return parley.Internal(err)
		}
		if n > 0 {
			return parley.FieldErrorf("party_id", "party %q has preferences already", p.PartyID)
		}
		model, err := issues.find(ctx, q, "process_id = $1", processID)
		if err != nil {
			return err
		}
		return p.CheckAgainst(model)
	},
}

// encodeMap stores a map as a JSON object; nil as null, so that it reads
// back as nil.
func encodeMap[M ~map[string]V, V any](m M) string {
	b, err := json.Marshal(m)
	if err != nil {
		panic("sqlstore: encoding a map: " + err.Error()) // maps of numbers cannot fail
	}
	return string(b)
}

// scrubPreferences removes from preferences what they say of issues the
// actor may not see (an issue a mediator hid after the party weighed it):
// its weight, its ratings and its never-list entries.
func scrubPreferences(v *view, p *parley.Preferences) error {
	if v.all() {
		return nil
	}
	seen, err := v.load("issues")
	if err != nil {
		return err
	}
	hidden := func(id string) bool { return !seen[id].ok }
	maps.DeleteFunc(p.Weights, func(id string, _ int) bool { return hidden(id) })
	maps.DeleteFunc(p.Ratings, func(id string, _ map[string]int) bool { return hidden(id) })
	p.Never = slices.DeleteFunc(p.Never, func(r parley.OptionRef) bool { return hidden(r.IssueID) })
	if len(p.Never) == 0 {
		p.Never = nil
	}
	return nil
}
