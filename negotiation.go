package parley

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Stance is a party's position on a point.
type Stance string

// The stances, from agreement to refusal, and the explicit absence of one.
const (
	Accepts            Stance = "accepts"
	AcceptsWithChanges Stance = "accepts_with_changes"
	Rejects            Stance = "rejects"
	RedLine            Stance = "red_line"
	NoPosition         Stance = "no_position"
)

// Stances lists the stances in the order a consensus matrix shows them.
func Stances() []Stance {
	return []Stance{Accepts, AcceptsWithChanges, Rejects, RedLine, NoPosition}
}

// Accepted reports whether the stance agrees to the point, with or
// without changes.
func (s Stance) Accepted() bool { return s == Accepts || s == AcceptsWithChanges }

// Position is a party's stance on one point of one version, with a note
// and, optionally, the wording it would accept instead. A position is
// confidential to its party (and the mediators) unless shared.
type Position struct {
	ID        string `json:"id"`
	ProcessID string `json:"process_id"`
	PartyID   string `json:"party_id"`
	VersionID string `json:"version_id"`
	PointID   string `json:"point_id"`
	Stance    Stance `json:"stance"`
	Note      string `json:"note,omitempty"`
	// Counter is the party's counter-wording of the point.
	Counter        string         `json:"counter,omitempty"`
	Classification Classification `json:"classification"`
	Updated        time.Time      `json:"updated"`
}

// Validate checks a position before it is stored.
func (p *Position) Validate() error {
	var errs problems
	if p.PartyID == "" {
		errs.add(FieldErrorf("party_id", "a position names its party"))
	}
	if p.VersionID == "" {
		errs.add(FieldErrorf("version_id", "a position names the version of its point"))
	}
	if p.PointID == "" {
		errs.add(FieldErrorf("point_id", "a position names its point"))
	}
	errs.add(checkOneOf("stance", "stance", p.Stance, Stances()...))
	errs.add(checkLen("note", p.Note, MaxSummaryLen))
	errs.add(checkLen("counter", p.Counter, MaxSummaryLen))
	errs.add(p.Classification.Validate())
	return errs.err()
}

// PositionFilter selects positions of a process.
type PositionFilter struct {
	ProcessID string
	VersionID string // "" for every version
	PartyID   string // "" for every party
}

// Bounds of a negotiation model.
const (
	MaxIssues       = 200 // issues of one process
	MaxIssueOptions = 50  // options of one issue
)

// Issue is one question of a process's negotiation model (the army cap,
// the line of control, the guarantee): its options are the answers a plan
// may give. A version of a plan maps to a package, one option per issue,
// through the points its options are tied to.
type Issue struct {
	ID        string `json:"id"`
	ProcessID string `json:"process_id"`
	Name      string `json:"name"`
	// Order places the issue among the process's issues.
	Order int `json:"order"`
	// Divisible issues may be settled by shares of a total (assets, say).
	Divisible bool          `json:"divisible,omitempty"`
	Options   []IssueOption `json:"options"`
	// Default is the option a version takes when none of its points is
	// tied to an option of the issue: what silence means (no cap on the
	// army when no point sets one). "" leaves such a version's issue
	// unsettled.
	Default        string         `json:"default,omitempty"`
	Classification Classification `json:"classification"`
}

// IssueOption is one answer to an issue.
type IssueOption struct {
	// ID is short and unique within the issue ("600k").
	ID    string `json:"id"`
	Label string `json:"label"`
	// Points are the points whose wording means this option, in any
	// versions: a version in which one of them appears takes the option.
	Points []PointRef `json:"points,omitempty"`
}

// optionIDPattern is what an option ID may look like: it is written in
// never-lists as "issue:option" and in form field names.
var optionIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// Validate checks an issue before it is stored.
func (is *Issue) Validate() error {
	var errs problems
	errs.add(checkName("name", is.Name))
	if len(is.Options) < 2 {
		errs.add(FieldErrorf("options", "an issue has at least two options, not %d", len(is.Options)))
	}
	if len(is.Options) > MaxIssueOptions {
		errs.add(FieldErrorf("options", "an issue has at most %d options, not %d", MaxIssueOptions, len(is.Options)))
	}
	seen := map[string]bool{}
	for k, o := range is.Options {
		switch {
		case !optionIDPattern.MatchString(o.ID):
			errs.add(FieldErrorf("options", "option %d: ID %q is not 1–40 letters, digits, '.', '_' or '-'", k+1, o.ID))
		case seen[o.ID]:
			errs.add(FieldErrorf("options", "option %d: ID %q appears twice", k+1, o.ID))
		}
		seen[o.ID] = true
		if err := checkName("options", o.Label); err != nil {
			errs.add(FieldErrorf("options", "option %d: label is required and at most %d characters", k+1, MaxNameLen))
		}
		if len(o.Points) > MaxRefs {
			errs.add(FieldErrorf("options", "option %d: ties %d points, more than %d", k+1, len(o.Points), MaxRefs))
		}
		for _, r := range o.Points {
			if r.VersionID == "" || r.PointID == "" {
				errs.add(FieldErrorf("options", "option %d: a tied point names its version and its point", k+1))
				break
			}
		}
	}
	if is.Default != "" && is.Option(is.Default) == nil {
		errs.add(FieldErrorf("default", "the default %q is not one of the issue's options", is.Default))
	}
	errs.add(is.Classification.Validate())
	return errs.err()
}

// Option returns the option with the given ID, or nil.
func (is *Issue) Option(id string) *IssueOption {
	for k := range is.Options {
		if is.Options[k].ID == id {
			return &is.Options[k]
		}
	}
	return nil
}

// Preferences are one party's confidential valuation of its process's
// issues: how much each issue matters (100 importance points in all), how
// good each option is (0–100), the utility below which it would walk away,
// and the options it will never accept. They are always confidential to
// the party (and the mediators).
type Preferences struct {
	ID        string `json:"id"`
	ProcessID string `json:"process_id"`
	PartyID   string `json:"party_id"`
	// Weights are importance points by issue ID, summing to 100.
	Weights map[string]int `json:"weights"`
	// Ratings are 0–100 by issue ID, then option ID.
	Ratings map[string]map[string]int `json:"ratings"`
	// Reservation is the party's walk-away utility, 0–100.
	Reservation int `json:"reservation"`
	// Never lists the options the party will never accept.
	Never []OptionRef `json:"never,omitempty"`
	// Note says where the numbers come from ("illustrative").
	Note           string         `json:"note,omitempty"`
	Classification Classification `json:"classification"`
	Updated        time.Time      `json:"updated"`
}

// OptionRef names an option of an issue.
type OptionRef struct {
	IssueID  string `json:"issue_id"`
	OptionID string `json:"option_id"`
}

// String writes the option as "issue:option".
func (r OptionRef) String() string { return r.IssueID + ":" + r.OptionID }

// ParseOptionRef reads "issue:option".
func ParseOptionRef(s string) (OptionRef, bool) {
	i, o, ok := strings.Cut(s, ":")
	return OptionRef{IssueID: i, OptionID: o}, ok && i != "" && o != ""
}

// Validate checks preferences on their own; a store checks them against
// the issues too (see CheckAgainst).
func (p *Preferences) Validate() error {
	var errs problems
	if p.PartyID == "" {
		errs.add(FieldErrorf("party_id", "preferences name their party"))
	}
	if len(p.Weights) > MaxIssues {
		errs.add(FieldErrorf("weights", "weights name %d issues, more than %d", len(p.Weights), MaxIssues))
	}
	sum := 0
	for id, w := range p.Weights {
		if w < 0 || w > 100 {
			errs.add(FieldErrorf("weights", "the weight of issue %q is %d, not 0–100", id, w))
		}
		sum += w
	}
	if sum != 100 {
		errs.add(FieldErrorf("weights", "importance points sum to %d, not 100", sum))
	}
	if len(p.Ratings) > MaxIssues {
		errs.add(FieldErrorf("ratings", "ratings name %d issues, more than %d", len(p.Ratings), MaxIssues))
	}
	for id, rs := range p.Ratings {
		if len(rs) > MaxIssueOptions {
			errs.add(FieldErrorf("ratings", "ratings of issue %q name %d options, more than %d", id, len(rs), MaxIssueOptions))
		}
		for o, r := range rs {
			if r < 0 || r > 100 {
				errs.add(FieldErrorf("ratings", "the rating of %s:%s is %d, not 0–100", id, o, r))
			}
		}
	}
	if p.Reservation < 0 || p.Reservation > 100 {
		errs.add(FieldErrorf("reservation", "the reservation level is %d, not 0–100", p.Reservation))
	}
	if len(p.Never) > MaxRefs {
		errs.add(FieldErrorf("never", "the never-list has %d options, more than %d", len(p.Never), MaxRefs))
	}
	errs.add(checkLen("note", p.Note, MaxSummaryLen))
	if c := p.Classification; c.Level != Confidential || len(c.PartyIDs) != 1 || c.PartyIDs[0] != p.PartyID {
		errs.add(FieldErrorf("classification", "preferences are confidential to their own party"))
	}
	return errs.err()
}

// CheckAgainst checks that preferences speak only of the given issues and
// their options, and that the never-list leaves every issue an option.
func (p *Preferences) CheckAgainst(issues []*Issue) error {
	var errs problems
	byID := map[string]*Issue{}
	for _, is := range issues {
		byID[is.ID] = is
	}
	for id := range p.Weights {
		if byID[id] == nil {
			errs.add(FieldErrorf("weights", "weights name issue %q, which the process does not have", id))
		}
	}
	for id, rs := range p.Ratings {
		is := byID[id]
		if is == nil {
			errs.add(FieldErrorf("ratings", "ratings name issue %q, which the process does not have", id))
			continue
		}
		for o := range rs {
			if is.Option(o) == nil {
				errs.add(FieldErrorf("ratings", "ratings name option %q of issue %q, which it does not have", o, id))
			}
		}
	}
	refused := map[string]int{}
	for _, r := range p.Never {
		if is := byID[r.IssueID]; is == nil || is.Option(r.OptionID) == nil {
			errs.add(FieldErrorf("never", "the never-list names %s, which is not an option of the process", r))
			continue
		}
		refused[r.IssueID]++
	}
	for _, is := range issues {
		if n := refused[is.ID]; n > 0 && n >= len(is.Options) {
			errs.add(FieldErrorf("never", "the never-list refuses every option of %q, so no package could ever be agreed; leave at least one", is.Name))
		}
	}
	return errs.err()
}

// PositionService records the parties' positions on points.
type PositionService interface {
	// FindPositionByID returns a position, or ENOTFOUND.
	FindPositionByID(ctx context.Context, id string) (*Position, error)
	// FindPositions returns the positions the actor may see, by version,
	// point order and party.
	FindPositions(ctx context.Context, filter PositionFilter) ([]*Position, error)
	// SetPosition stores p as its party's position on p.VersionID's
	// point p.PointID, replacing the one there was, and sets p.ID and
	// p.Updated.
	SetPosition(ctx context.Context, p *Position) error
}

// NegotiationService holds a process's negotiation model and the
// parties' preferences, and analyses them with package bargain.
type NegotiationService interface {
	// FindIssueByID returns an issue, or ENOTFOUND.
	FindIssueByID(ctx context.Context, id string) (*Issue, error)
	// FindIssues returns the issues of a process the actor may see, in
	// order.
	FindIssues(ctx context.Context, processID string) ([]*Issue, error)
	// CreateIssue validates and stores a new issue of is.ProcessID.
	CreateIssue(ctx context.Context, is *Issue) error
	// UpdateIssue replaces every field of issue is.ID but its process.
	UpdateIssue(ctx context.Context, is *Issue) error

	// FindPreferences returns the preferences of a process the actor may
	// see: all of them for a mediator, its own party's for a delegate,
	// none for an observer.
	FindPreferences(ctx context.Context, processID string) ([]*Preferences, error)
	// SetPreferences checks p against the process's issues and stores it
	// as its party's preferences, replacing earlier ones; sets p.ID and
	// p.Updated.
	SetPreferences(ctx context.Context, p *Preferences) error

	// Analyse runs the analysis of a process at a version, reading every
	// party's preferences, and returns what the actor may see of it: a
	// mediator sees every party's utilities; a delegate sees the packages
	// but only its own party's utilities, never another party's numbers;
	// an observer gets EFORBIDDEN. The analysis is recorded in the audit
	// log.
	Analyse(ctx context.Context, q AnalysisQuery) (*Analysis, error)
}

// AnalysisQuery asks for the analysis of a process's negotiation model.
type AnalysisQuery struct {
	ProcessID string
	// VersionID is the version whose package is the tentative one; ""
	// for none.
	VersionID string
	// PreviousID is the version to measure concessions against; "" for
	// the version's previous one.
	PreviousID string
}

// Analysis is what the negotiation model says about a process: the
// packages no other package improves for every party (the frontier), the
// fair packages, the tentative package of a version with what each party
// conceded to reach it, and the packages every party would prefer to it.
// Utilities are 0–100; the definitions are those of package bargain.
type Analysis struct {
	ProcessID  string `json:"process_id"`
	VersionID  string `json:"version_id,omitempty"`
	PreviousID string `json:"previous_id,omitempty"`
	// Parties are the IDs of the parties with preferences, whose
	// utilities the analysis weighs, in the order of the parties' names.
	Parties []string `json:"parties"`
	// Missing are the IDs of the parties of the process without
	// preferences, in the same order; the analysis leaves them out.
	Missing []string `json:"missing,omitempty"`
	// Viewer is the one party whose utilities are shown; "" when every
	// party's are (a mediator's analysis).
	Viewer string `json:"viewer,omitempty"`
	// Issues are the issue IDs of the model, in order.
	Issues []string `json:"issues"`

	// Tentative is the version's package; nil when there is no version
	// or it does not settle every issue.
	Tentative *AnalysedPackage `json:"tentative,omitempty"`
	// Unsettled lists the issues for which the version has no option.
	Unsettled []string `json:"unsettled,omitempty"`
	// Ideal and Distance give, by party, the best utility any feasible
	// package offers and how far the tentative package is from it.
	Ideal    map[string]float64 `json:"ideal,omitempty"`
	Distance map[string]float64 `json:"distance,omitempty"`
	// OwnIdeal is each party's best utility when only its own never-list
	// counts: what a delegate is shown as its ideal, since the ideal over
	// every party's never-lists would tell it the others'. Never sent.
	OwnIdeal map[string]float64 `json:"-"`
	// Concessions are what each party gave up against the previous
	// version's package, issue by issue.
	Concessions []Concession `json:"concessions,omitempty"`
	// Infeasible says that the tentative package holds an option some
	// party will never accept; Vetoes name them (a delegate is shown its
	// own party's alone). Below lists the parties whose utility in the
	// tentative package is under their reservation level (likewise).
	Infeasible bool     `json:"infeasible,omitempty"`
	Vetoes     []Veto   `json:"vetoes,omitempty"`
	Below      []string `json:"below,omitempty"`

	// Frontier is the Pareto frontier (Exact) or an ε-Pareto set, with ε
	// a fraction of each party's utility range.
	Frontier []*AnalysedPackage `json:"frontier"`
	Exact    bool               `json:"exact"`
	Epsilon  float64            `json:"epsilon,omitempty"`
	// Fair are the fair packages: nash, ks, maximin, maxsum.
	Fair []FairPackage `json:"fair"`
	// Improvements are packages every party prefers to the tentative one,
	// best smallest gain first; NoImprovement says there is none, the
	// frontier being the certificate.
	Improvements  []*AnalysedPackage `json:"improvements,omitempty"`
	NoImprovement bool               `json:"no_improvement,omitempty"`
}

// AnalysedPackage is a package of the analysis: an option for every issue
// and what each party gets from it.
type AnalysedPackage struct {
	// Choice is the option of every issue settled whole, by issue ID.
	Choice map[string]string `json:"choice"`
	// Shares are the options' shares of each split issue, as exact
	// fractions ("1/4").
	Shares map[string]map[string]string `json:"shares,omitempty"`
	// Utility is by party ID: every party's for a mediator, the viewer's
	// alone for a delegate.
	Utility map[string]float64 `json:"utility"`
}

// FairPackage is the package a fairness method picks.
type FairPackage struct {
	Method  string           `json:"method"` // nash, ks, maximin, maxsum
	Package *AnalysedPackage `json:"package,omitempty"`
	// None says that no package gives every party its reservation.
	None bool `json:"none,omitempty"`
}

// Veto is an option of a package that a party will never accept.
type Veto struct {
	PartyID string `json:"party_id"`
	OptionRef
}

// Concession is what one party lost (or, negative, gained) on one issue
// between two versions' packages, in utility points.
type Concession struct {
	PartyID string  `json:"party_id"`
	IssueID string  `json:"issue_id"`
	From    string  `json:"from"`
	To      string  `json:"to"`
	Loss    float64 `json:"loss"`
}
