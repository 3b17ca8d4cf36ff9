package parley

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"time"

	"parley/geo"
)

// TerritoryStatus is what a version of a plan proposes for an area.
type TerritoryStatus string

// The statuses a version may propose for an area.
const (
	StatusUnchanged    TerritoryStatus = "unchanged"
	StatusFrozen       TerritoryStatus = "frozen"      // frozen along the line of contact
	StatusWithdrawal   TerritoryStatus = "withdrawal"  // forces withdraw from it
	StatusBufferZone   TerritoryStatus = "buffer_zone" // demilitarised buffer zone
	StatusDeFacto      TerritoryStatus = "recognised_de_facto"
	StatusDeJure       TerritoryStatus = "recognised_de_jure"
	StatusReturned     TerritoryStatus = "returned"
	StatusReferendum   TerritoryStatus = "referendum"    // subject to a referendum
	StatusEconomicZone TerritoryStatus = "economic_zone" // special or free economic zone
)

// TerritoryStatuses lists the statuses in the order a legend shows them.
func TerritoryStatuses() []TerritoryStatus {
	return []TerritoryStatus{StatusUnchanged, StatusFrozen, StatusWithdrawal, StatusBufferZone, StatusDeFacto,
		StatusDeJure, StatusReturned, StatusReferendum, StatusEconomicZone}
}

// Label is the status as a legend reads it.
func (s TerritoryStatus) Label() string {
	switch s {
	case StatusUnchanged:
		return "unchanged"
	case StatusFrozen:
		return "frozen along the line of contact"
	case StatusWithdrawal:
		return "withdrawal"
	case StatusBufferZone:
		return "demilitarised buffer zone"
	case StatusDeFacto:
		return "recognised de facto"
	case StatusDeJure:
		return "recognised de jure"
	case StatusReturned:
		return "returned"
	case StatusReferendum:
		return "subject to referendum"
	case StatusEconomicZone:
		return "special economic zone"
	}
	return string(s)
}

// Side names one side of a line: walking along the line from its first
// position to its last, Left or Right. A line names its sides for people
// (see Line.LeftLabel).
type Side string

// The sides of a line; NoSide takes a zone on both.
const (
	NoSide Side = ""
	Left   Side = "left"
	Right  Side = "right"
)

// Bounds of territory records.
const (
	MaxRegions       = 500       // regions of one process
	MaxLines         = 100       // lines of one process
	MaxProvisions    = 200       // provisions of one version
	MaxBufferKm      = 500       // the widest buffer along a line
	MaxGeometryBytes = 4 << 20   // a region's, line's or drawn zone's GeoJSON
	MaxPositions     = 1_000_000 // positions in one geometry
)

// regionCodePattern is what a region code may look like: an ISO 3166-2
// code ("UA-14") or any short name without spaces.
var regionCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// Region is an area of a process's base map, such as a first-level
// administrative region: what provisions are mostly about.
type Region struct {
	ID        string `json:"id"`
	ProcessID string `json:"process_id"`
	// Code is short and unique in the process ("UA-14").
	Code string `json:"code"`
	Name string `json:"name"`
	// DeJureID and DeFactoID are the parties that hold the region in law
	// and control it in fact as the process records it before any plan;
	// "" when not stated. A version's provisions override them.
	DeJureID  string `json:"de_jure_id,omitempty"`
	DeFactoID string `json:"de_facto_id,omitempty"`
	// Area is the region's geometry.
	Area geo.MultiPolygon `json:"-"`
	// Source says where the geometry comes from, with its licence.
	Source         string         `json:"source,omitempty"`
	Classification Classification `json:"classification"`
}

// Validate checks a region before it is stored.
func (r *Region) Validate() error {
	var errs problems
	if !regionCodePattern.MatchString(r.Code) {
		errs.add(FieldErrorf("code", "a region code is 1–40 letters, digits, '.', '_' or '-', not %q", r.Code))
	}
	errs.add(checkName("name", r.Name))
	errs.add(checkArea("geometry", r.Area, true))
	errs.add(checkLen("source", r.Source, MaxNameLen))
	errs.add(r.Classification.Validate())
	return errs.err()
}

// Line is a line on a process's map: a line of contact, a withdrawal
// line. Its sides have names, since "left" means nothing to a reader.
type Line struct {
	ID        string   `json:"id"`
	ProcessID string   `json:"process_id"`
	Name      string   `json:"name"`
	Path      geo.Line `json:"-"`
	// LeftLabel and RightLabel name the sides of the line ("Ukrainian-held
	// side"), walking from its first position to its last.
	LeftLabel      string         `json:"left_label"`
	RightLabel     string         `json:"right_label"`
	Source         string         `json:"source,omitempty"`
	Classification Classification `json:"classification"`
}

// Validate checks a line before it is stored.
func (l *Line) Validate() error {
	var errs problems
	errs.add(checkName("name", l.Name))
	errs.add(checkName("left_label", l.LeftLabel))
	errs.add(checkName("right_label", l.RightLabel))
	errs.add(checkLen("source", l.Source, MaxNameLen))
	switch {
	case len(l.Path) < 2:
		errs.add(FieldErrorf("geometry", "a line has at least two positions, not %d", len(l.Path)))
	case len(l.Path) > MaxPositions:
		errs.add(FieldErrorf("geometry", "a line has at most %d positions, not %d", MaxPositions, len(l.Path)))
	default:
		for k, p := range l.Path {
			if !validPosition(p) {
				errs.add(FieldErrorf("geometry", "position %d (%g, %g) is not a longitude and latitude", k, p[0], p[1]))
				break
			}
		}
	}
	errs.add(l.Classification.Validate())
	return errs.err()
}

// Side returns the label of one side of the line.
func (l *Line) Side(s Side) string {
	switch s {
	case Left:
		return l.LeftLabel
	case Right:
		return l.RightLabel
	}
	return "both sides"
}

// Provision is what one version of a plan says about one area: who holds
// it in law and controls it in fact under the version, and what status
// the version proposes, tied to the point that says so. The area is one or
// more regions, optionally cut by a line to one side of it and optionally
// limited to a buffer along it, or a drawn polygon.
type Provision struct {
	ID        string `json:"id"`
	ProcessID string `json:"process_id"`
	VersionID string `json:"version_id"`
	// PointID is the point of the version that states the provision; ""
	// for a version known only by report.
	PointID string `json:"point_id,omitempty"`
	// Label names the area as the plan does ("the part of Donetsk held
	// by Ukraine").
	Label     string          `json:"label"`
	RegionIDs []string        `json:"region_ids,omitempty"`
	LineID    string          `json:"line_id,omitempty"`
	Side      Side            `json:"side,omitempty"`
	BufferKm  float64         `json:"buffer_km,omitempty"`
	Status    TerritoryStatus `json:"status"`
	// DeJureID and DeFactoID are the parties that hold the area in law and
	// control it in fact under the version; "" when it does not say.
	DeJureID  string `json:"de_jure_id,omitempty"`
	DeFactoID string `json:"de_facto_id,omitempty"`
	Note      string `json:"note,omitempty"`
	// Drawn is a polygon drawn by hand, for an area no region and line
	// describe; with regions, only its part inside them counts.
	Drawn          geo.MultiPolygon `json:"-"`
	Classification Classification   `json:"classification"`
	Updated        time.Time        `json:"updated"`
	// Partial is set on a provision read without some of the regions or
	// the line it names, which are hidden from the reader: the area it
	// names cannot be drawn for them. It is never stored.
	Partial bool `json:"partial,omitempty"`
}

// Validate checks a provision before it is stored.
func (p *Provision) Validate() error {
	var errs problems
	if p.VersionID == "" {
		errs.add(FieldErrorf("version_id", "a provision names its version"))
	}
	errs.add(checkName("label", p.Label))
	errs.add(checkRefs("region_ids", p.RegionIDs))
	errs.add(checkOneOf("status", "status", p.Status, TerritoryStatuses()...))
	errs.add(checkOneOf("side", "side", p.Side, NoSide, Left, Right))
	errs.add(checkLen("note", p.Note, MaxSummaryLen))
	if len(p.RegionIDs) == 0 && len(p.Drawn) == 0 {
		errs.add(FieldErrorf("region_ids", "a provision covers at least one region or a drawn area"))
	}
	if p.LineID == "" && (p.Side != NoSide || p.BufferKm != 0) {
		errs.add(FieldErrorf("line_id", "a side or a buffer is taken along a line: name the line"))
	}
	if p.LineID != "" && p.Side == NoSide && p.BufferKm == 0 {
		errs.add(FieldErrorf("side", "with a line, take one side of it or a buffer along it"))
	}
	if math.IsNaN(p.BufferKm) || p.BufferKm < 0 || p.BufferKm > MaxBufferKm {
		errs.add(FieldErrorf("buffer_km", "a buffer is 0 to %d km wide, not %g", MaxBufferKm, p.BufferKm))
	}
	if len(p.Drawn) > 0 {
		errs.add(checkArea("drawn", p.Drawn, false))
	}
	errs.add(p.Classification.Validate())
	return errs.err()
}

// checkArea checks the size of an area, its positions and the shape of
// its polygons as the GeoJSON reader does (closed rings, exterior
// counter-clockwise, holes clockwise and inside it, no crossings): an area
// the reader refuses could be stored but not exported and imported again.
func checkArea(field string, m geo.MultiPolygon, required bool) error {
	n := m.Vertices()
	switch {
	case n == 0 && required:
		return FieldErrorf(field, "an area is required")
	case n > MaxPositions:
		return FieldErrorf(field, "an area has at most %d positions, not %d", MaxPositions, n)
	}
	for i, poly := range m {
		for _, r := range poly {
			for k, p := range r {
				if !validPosition(p) {
					return FieldErrorf(field, "polygon %d: position %d (%g, %g) is not a longitude and latitude", i, k, p[0], p[1])
				}
			}
		}
		if err := geo.CheckPolygon(poly); err != nil {
			return FieldErrorf(field, "polygon %d, %v", i, err)
		}
	}
	if err := geo.CheckOverlap(m); err != nil {
		return FieldErrorf(field, "%v", err)
	}
	return nil
}

// validPosition reports whether p is a longitude and a latitude.
func validPosition(p geo.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// ProvisionFilter selects provisions of a process.
type ProvisionFilter struct {
	ProcessID string
	VersionID string // "" for every version
}

// TerritoryService manages a process's map (regions and lines) and the
// territorial provisions of its versions.
type TerritoryService interface {
	// FindRegions returns the regions of a process, by name.
	FindRegions(ctx context.Context, processID string) ([]*Region, error)
	// FindRegionByID returns a region, or ENOTFOUND.
	FindRegionByID(ctx context.Context, id string) (*Region, error)
	// CreateRegions validates and stores new regions of processID, all
	// or none (an import of a base map).
	CreateRegions(ctx context.Context, processID string, rs []*Region) error
	// UpdateRegion replaces every field of region r.ID but its process.
	UpdateRegion(ctx context.Context, r *Region) error

	// FindLines returns the lines of a process, by name.
	FindLines(ctx context.Context, processID string) ([]*Line, error)
	// FindLineByID returns a line, or ENOTFOUND.
	FindLineByID(ctx context.Context, id string) (*Line, error)
	// CreateLines validates and stores new lines of processID, all or
	// none.
	CreateLines(ctx context.Context, processID string, ls []*Line) error
	// UpdateLine replaces every field of line l.ID but its process.
	UpdateLine(ctx context.Context, l *Line) error

	// FindProvisions returns the provisions the actor may see, by
	// version, then the order of their points, then label.
	FindProvisions(ctx context.Context, f ProvisionFilter) ([]*Provision, error)
	// FindProvisionByID returns a provision, or ENOTFOUND.
	FindProvisionByID(ctx context.Context, id string) (*Provision, error)
	// CreateProvisions validates and stores new provisions, all or none
	// (an import); each gets its ID.
	CreateProvisions(ctx context.Context, ps []*Provision) error
	// UpdateProvision replaces every field of provision p.ID but its
	// process and version.
	UpdateProvision(ctx context.Context, p *Provision) error
	// DeleteProvision removes a provision.
	DeleteProvision(ctx context.Context, id string) error
}

// regionJSON is a region as the API and archives write it: its geometry
// as a GeoJSON geometry.
type regionJSON struct {
	regionFields
	Geometry geo.Geometry `json:"geometry"`
}

type regionFields Region

// MarshalJSON writes the region with its geometry as GeoJSON.
func (r Region) MarshalJSON() ([]byte, error) {
	return json.Marshal(regionJSON{regionFields(r), geo.AreaGeometry(r.Area)})
}

// UnmarshalJSON reads a region with its geometry as GeoJSON, checked as
// geo.ParseGeometry checks it.
func (r *Region) UnmarshalJSON(data []byte) error {
	var raw struct {
		regionFields
		Geometry json.RawMessage `json:"geometry"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*r = Region(raw.regionFields)
	area, err := parseArea("geometry", raw.Geometry)
	r.Area = area
	return err
}

type lineFields Line

// MarshalJSON writes the line with its path as a GeoJSON LineString.
func (l Line) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		lineFields
		Geometry geo.Geometry `json:"geometry"`
	}{lineFields(l), geo.LineGeometry(l.Path)})
}

// UnmarshalJSON reads a line with its path as a GeoJSON LineString.
func (l *Line) UnmarshalJSON(data []byte) error {
	var raw struct {
		lineFields
		Geometry json.RawMessage `json:"geometry"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*l = Line(raw.lineFields)
	if len(raw.Geometry) == 0 || string(raw.Geometry) == "null" {
		return nil
	}
	g, err := geo.ParseGeometry(raw.Geometry, geometryLimits)
	if err != nil {
		return FieldErrorf("geometry", "%v", err)
	}
	if len(g.Lines) != 1 {
		return FieldErrorf("geometry", "a line is one GeoJSON LineString, not a %s", g.Type)
	}
	l.Path = g.Lines[0]
	return nil
}

type provisionFields Provision

// MarshalJSON writes the provision with its drawn area, if any, as
// GeoJSON.
func (p Provision) MarshalJSON() ([]byte, error) {
	var drawn *geo.Geometry
	if len(p.Drawn) > 0 {
		g := geo.AreaGeometry(p.Drawn)
		drawn = &g
	}
	return json.Marshal(struct {
		provisionFields
		Drawn *geo.Geometry `json:"drawn,omitempty"`
	}{provisionFields(p), drawn})
}

// UnmarshalJSON reads a provision with its drawn area, if any, as GeoJSON.
func (p *Provision) UnmarshalJSON(data []byte) error {
	var raw struct {
		provisionFields
		Drawn json.RawMessage `json:"drawn"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*p = Provision(raw.provisionFields)
	area, err := parseArea("drawn", raw.Drawn)
	p.Drawn = area
	return err
}

// geometryLimits bound one geometry of a record.
var geometryLimits = geo.Limits{MaxBytes: MaxGeometryBytes, MaxFeatures: 1, MaxPositions: MaxPositions}

// parseArea reads a GeoJSON Polygon or MultiPolygon for field; absent or
// null is no area.
func parseArea(field string, data json.RawMessage) (geo.MultiPolygon, error) {
	if len(data) == 0 || string(data) == "null" {
		return nil, nil
	}
	g, err := geo.ParseGeometry(data, geometryLimits)
	if err != nil {
		return nil, FieldErrorf(field, "%v", err)
	}
	if g.Area == nil {
		return nil, FieldErrorf(field, "an area is a GeoJSON Polygon or MultiPolygon, not a %s", g.Type)
	}
	return g.Area, nil
}
