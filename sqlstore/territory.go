package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"parley"
	"parley/geo"
)

// TerritoryService stores the map of processes (regions and lines) and
// the territorial provisions of versions.
type TerritoryService struct{ db *DB }

// NewTerritoryService returns the territory service of db.
func NewTerritoryService(db *DB) *TerritoryService { return &TerritoryService{db: db} }

var _ parley.TerritoryService = (*TerritoryService)(nil)

// FindRegions returns the regions of a process the actor may see, by name.
func (s *TerritoryService) FindRegions(ctx context.Context, processID string) ([]*parley.Region, error) {
	return regions.readInProcess(ctx, s.db, processID)
}

// FindRegionByID returns a region the actor may see, or ENOTFOUND.
func (s *TerritoryService) FindRegionByID(ctx context.Context, id string) (*parley.Region, error) {
	return regions.read(ctx, s.db, id)
}

// CreateRegions stores new regions of a process, all or none. The map
// frames a process: only mediators write it.
func (s *TerritoryService) CreateRegions(ctx context.Context, processID string, rs []*parley.Region) error {
	for _, r := range rs {
		r.ProcessID = processID
	}
	return regions.createAll(ctx, s.db, rs)
}

// UpdateRegion replaces every field of region r.ID but its process.
func (s *TerritoryService) UpdateRegion(ctx context.Context, r *parley.Region) error {
	return regions.update(ctx, s.db, r)
}

// FindLines returns the lines of a process the actor may see, by name.
func (s *TerritoryService) FindLines(ctx context.Context, processID string) ([]*parley.Line, error) {
	return lines.readInProcess(ctx, s.db, processID)
}

// FindLineByID returns a line the actor may see, or ENOTFOUND.
func (s *TerritoryService) FindLineByID(ctx context.Context, id string) (*parley.Line, error) {
	return lines.read(ctx, s.db, id)
}

// CreateLines stores new lines of a process, all or none. Only
// mediators draw the map.
func (s *TerritoryService) CreateLines(ctx context.Context, processID string, ls []*parley.Line) error {
	for _, l := range ls {
		l.ProcessID = processID
	}
	return lines.createAll(ctx, s.db, ls)
}

// UpdateLine replaces every field of line l.ID but its process.
func (s *TerritoryService) UpdateLine(ctx context.Context, l *parley.Line) error {
	return lines.update(ctx, s.db, l)
}

// FindProvisions returns the provisions the actor may see of a process,
// or of one of its versions, by version, point and label. A version the actor
// may not see is not found.
func (s *TerritoryService) FindProvisions(ctx context.Context, f parley.ProvisionFilter) ([]*parley.Provision, error) {
	if f.VersionID == "" {
		return provisions.readInProcess(ctx, s.db, f.ProcessID)
	}
	// The process is looked up first: a reader outside it learns nothing
	// of its versions.
	v, _, err := newView(ctx, s.db.read, f.ProcessID)
	if err != nil {
		return nil, err
	}
	if err := checkVersionRef(ctx, s.db.read, v.acc, "version_id", f.VersionID, f.ProcessID); err != nil {
		if parley.ErrorCode(err) == parley.EINVALID {
			return nil, parley.Errorf(parley.ENOTFOUND, "version %q not found", f.VersionID)
		}
		return nil, err
	}
	return provisions.readInProcessWhere(ctx, s.db, f.ProcessID, "version_id = $2", f.VersionID)
}

// FindProvisionByID returns a provision the actor may see, or ENOTFOUND.
func (s *TerritoryService) FindProvisionByID(ctx context.Context, id string) (*parley.Provision, error) {
	return provisions.read(ctx, s.db, id)
}

// CreateProvisions stores new provisions, all or none. Mediators write any;
// a delegate those confidential to its party or shared by it, on versions
// it sees.
func (s *TerritoryService) CreateProvisions(ctx context.Context, ps []*parley.Provision) error {
	return provisions.createAll(ctx, s.db, ps)
}

// UpdateProvision replaces every field of provision p.ID but its process
// and version.
func (s *TerritoryService) UpdateProvision(ctx context.Context, p *parley.Provision) error {
	// The version is kept, as the process is: a provision is a reading of
	// one version's text. Only a provision the actor sees lends its
	// version, so that an update of a hidden one fails as that of a
	// missing one does, whether the caller names a version or not.
	if old, err := provisions.findByID(ctx, s.db.read, p.ID); err == nil && s.sees(ctx, old) {
		p.VersionID = old.VersionID
	}
	return provisions.update(ctx, s.db, p)
}

// sees reports whether the actor may see provision p.
func (s *TerritoryService) sees(ctx context.Context, p *parley.Provision) bool {
	v, _, err := newView(ctx, s.db.read, p.ProcessID)
	if err != nil {
		return false
	}
	ok, err := v.sees("provisions", p.ID)
	return err == nil && ok
}

// DeleteProvision removes a provision the actor may write.
func (s *TerritoryService) DeleteProvision(ctx context.Context, id string) error {
	_, err := s.db.update(ctx, func(tx *Tx) error {
		old, err := provisions.findByID(ctx, tx, id)
		if err != nil {
			return err
		}
		v, _, err := newView(ctx, tx, old.ProcessID)
		if err != nil {
			return provisions.notFound(id)
		}
		if ok, err := v.sees("provisions", id); err != nil || !ok {
			return errors.Join(err, provisions.notFound(id))
		}
		if err := provisions.mayWrite(v.acc, old.Classification); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM provisions WHERE id = $1", id); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, &parley.AuditRecord{Action: "delete", ProcessID: old.ProcessID, Kind: "provision",
			IDs: []string{id}, Detail: old.Classification.String()}); err != nil {
			return err
		}
		return touch(ctx, tx, old.ProcessID)
	})
	return err
}

// encodeArea stores an area as a GeoJSON geometry, or "" for none.
func encodeArea(m geo.MultiPolygon) string {
	if len(m) == 0 {
		return ""
	}
	b, err := json.Marshal(geo.AreaGeometry(m))
	if err != nil {
		return ""
	}
	return string(b)
}

// decodeArea reads an area stored by encodeArea, without checking again
// what was checked when it was written.
func decodeArea(s string) (geo.MultiPolygon, error) {
	if s == "" {
		return nil, nil
	}
	g, err := geo.DecodeGeometry([]byte(s))
	return g.Area, err
}

// regions is how regions are stored.
var regions = &recordKind[parley.Region]{
	what:  "region",
	table: "regions",
	columns: []string{"code", "name", "de_jure_id", "de_facto_id", "geometry", "source", "classification",
		"min_lon", "min_lat", "max_lon", "max_lat"},
	order:    "name, code, id",
	keys:     func(r *parley.Region) (*string, *string) { return &r.ID, &r.ProcessID },
	validate: (*parley.Region).Validate,
	values: func(r *parley.Region) []any {
		b := r.Area.Bounds()
		return []any{r.Code, r.Name, nullable(r.DeJureID), nullable(r.DeFactoID), encodeArea(r.Area), r.Source,
			encodeClassification(r.Classification), b.MinLon, b.MinLat, b.MaxLon, b.MaxLat}
	},
	scan: func(row scanner) (*parley.Region, error) {
		var r parley.Region
		var deJure, deFacto sql.NullString
		var geometry, class string
		var bounds [4]float64 // derived from the geometry, which is read whole
		if err := row.Scan(&r.ID, &r.ProcessID, &r.Code, &r.Name, &deJure, &deFacto, &geometry, &r.Source, &class,
			&bounds[0], &bounds[1], &bounds[2], &bounds[3]); err != nil {
			return nil, err
		}
		r.DeJureID, r.DeFactoID = deJure.String, deFacto.String
		var err error
		if r.Area, err = decodeArea(geometry); err != nil {
			return nil, err
		}
		r.Classification, err = decodeClassification(class)
		return &r, err
	},
	class: func(_ context.Context, _ querier, r *parley.Region) (parley.Classification, error) {
		return r.Classification, nil
	},
	frame: true,
	scrub: func(v *view, r *parley.Region) (err error) {
		if r.DeJureID, err = v.ref("parties", r.DeJureID); err != nil {
			return err
		}
		r.DeFactoID, err = v.ref("parties", r.DeFactoID)
		return err
	},
	refs: checkRegionRefs,
}

// checkRegionRefs checks a region's parties and classification, that its
// code is not taken in the process, and the bound on regions.
func checkRegionRefs(ctx context.Context, q querier, r *parley.Region, processID string) error {
	if err := checkOptionalRef(ctx, q, "parties", "de_jure_id", "party", r.DeJureID, processID); err != nil {
		return err
	}
	if err := checkOptionalRef(ctx, q, "parties", "de_facto_id", "party", r.DeFactoID, processID); err != nil {
		return err
	}
	var taken, n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM regions WHERE process_id = $1 AND code = $2 AND id != $3",
		processID, r.Code, r.ID).Scan(&taken); err != nil {
		return parley.Internal(err)
	}
	if taken > 0 {
		return parley.FieldErrorf("code", "the process has a region with code %q already", r.Code)
	}
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM regions WHERE process_id = $1 AND id != $2", processID, r.ID).Scan(&n); err != nil {
		return parley.Internal(err)
	}
	if n >= parley.MaxRegions {
		return parley.FieldErrorf("code", "the process has %d regions already, the most it may have", n)
	}
	if err := checkRegionOverlap(ctx, q, r, processID); err != nil {
		return err
	}
	return checkClassificationRefs(ctx, q, r.Classification, processID)
}

// Regions of a map may share borders but not land: provisions are drawn
// and counted region by region, and an area in two regions would count
// twice. Two drawings of one border rarely agree to the metre, so an
// overlap is refused only beyond a sliver: more than maxOverlapKm2 and
// more than maxOverlapShare of the smaller region.
const (
	maxOverlapKm2   = 1.0
	maxOverlapShare = 0.001
)

// checkRegionOverlap refuses a region that overlaps another region of the
// process beyond a sliver. Only the regions whose bounds meet its own are
// read, and only those that cross it or lie inside it (geo.CheckOverlap)
// are measured: neighbours that share a border do neither.
func checkRegionOverlap(ctx context.Context, q querier, r *parley.Region, processID string) error {
	b := r.Area.Bounds()
	rows, err := q.QueryContext(ctx, `SELECT code, name, geometry FROM regions WHERE process_id = $1 AND id != $2
		AND min_lon <= $3 AND max_lon >= $4 AND min_lat <= $5 AND max_lat >= $6 ORDER BY name`,
		processID, r.ID, b.MaxLon, b.MinLon, b.MaxLat, b.MinLat)
	if err != nil {
		return parley.Internal(err)
	}
	type other struct {
		code, name string
		area       geo.MultiPolygon
	}
	var others []other
	for rows.Next() {
		var o other
		var geometry string
		if err := rows.Scan(&o.code, &o.name, &geometry); err != nil {
			rows.Close()
			return parley.Internal(err)
		}
		if o.area, err = decodeArea(geometry); err != nil {
			rows.Close()
			return parley.Internal(err)
		}
		others = append(others, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return parley.Internal(err)
	}
	own := geo.Area(r.Area)
	for _, o := range others {
		if geo.CheckOverlap(append(slices.Clone(r.Area), o.area...)) == nil {
			continue
		}
		common, err := geo.Intersection(r.Area, o.area)
		if err != nil {
			return parley.FieldErrorf("geometry", "the region's overlap with %s (%s) cannot be computed: %v", o.name, o.code, err)
		}
		km2 := geo.Area(common)
		if km2 > maxOverlapKm2 && km2 > maxOverlapShare*min(own, geo.Area(o.area)) {
			return parley.FieldErrorf("geometry", "the region overlaps %s (%s) by %.0f km²: regions of a map share borders, not land", o.name, o.code, km2)
		}
	}
	return nil
}

// lines is how lines are stored.
var lines = &recordKind[parley.Line]{
	what:     "line",
	table:    "lines",
	columns:  []string{"name", "geometry", "left_label", "right_label", "source", "classification"},
	order:    "name, id",
	keys:     func(l *parley.Line) (*string, *string) { return &l.ID, &l.ProcessID },
	validate: (*parley.Line).Validate,
	values: func(l *parley.Line) []any {
		return []any{l.Name, encodeJSON(geo.LineGeometry(l.Path)), l.LeftLabel, l.RightLabel, l.Source,
			encodeClassification(l.Classification)}
	},
	scan: func(row scanner) (*parley.Line, error) {
		var l parley.Line
		var geometry, class string
		if err := row.Scan(&l.ID, &l.ProcessID, &l.Name, &geometry, &l.LeftLabel, &l.RightLabel, &l.Source, &class); err != nil {
			return nil, err
		}
		g, err := geo.DecodeGeometry([]byte(geometry))
		if err != nil {
			return nil, err
		}
		if len(g.Lines) != 1 {
			return nil, errors.New("a stored line is not one LineString")
		}
		l.Path = g.Lines[0]
		l.Classification, err = decodeClassification(class)
		return &l, err
	},
	class: func(_ context.Context, _ querier, l *parley.Line) (parley.Classification, error) {
		return l.Classification, nil
	},
	frame: true,
	refs: func(ctx context.Context, q querier, l *parley.Line, processID string) error {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM lines WHERE process_id = $1 AND id != $2", processID, l.ID).Scan(&n); err != nil {
			return parley.Internal(err)
		}
		if n >= parley.MaxLines {
			return parley.FieldErrorf("name", "the process has %d lines already, the most it may have", n)
		}
		return checkClassificationRefs(ctx, q, l.Classification, processID)
	},
}

// provisionOrder lists provisions by version, in the order of positions
// (the version's date, its plan's title, its order of addition), then by
// the order of their points, those tied to no point last, then by label:
// the order in which a reader follows the version's text.
const provisionOrder = `(SELECT v.date FROM versions v WHERE v.id = provisions.version_id),
	(SELECT pl.title FROM versions v JOIN plans pl ON pl.id = v.plan_id WHERE v.id = provisions.version_id),
	(SELECT v.plan_id FROM versions v WHERE v.id = provisions.version_id),
	(SELECT v.seq FROM versions v WHERE v.id = provisions.version_id),
	provisions.point_id = '',
	(SELECT pt.seq FROM points pt WHERE pt.version_id = provisions.version_id AND pt.id = provisions.point_id),
	label, id`

// provisions is how provisions are stored. A provision is seen only where
// its version (and plan) are: it says what the version's text says.
var provisions = &recordKind[parley.Provision]{
	what:  "provision",
	table: "provisions",
	columns: []string{"version_id", "point_id", "label", "region_ids", "line_id", "side", "buffer_km", "status",
		"de_jure_id", "de_facto_id", "note", "drawn", "classification", "updated"},
	order:    provisionOrder,
	keys:     func(p *parley.Provision) (*string, *string) { return &p.ID, &p.ProcessID },
	validate: (*parley.Provision).Validate,
	values: func(p *parley.Provision) []any {
		return []any{p.VersionID, p.PointID, p.Label, encodeJSON(p.RegionIDs), nullable(p.LineID), p.Side, p.BufferKm,
			p.Status, nullable(p.DeJureID), nullable(p.DeFactoID), p.Note, encodeArea(p.Drawn),
			encodeClassification(p.Classification), formatTime(p.Updated)}
	},
	scan: func(row scanner) (*parley.Provision, error) {
		var p parley.Provision
		var regionIDs, drawn, class, updated string
		var line, deJure, deFacto sql.NullString
		if err := row.Scan(&p.ID, &p.ProcessID, &p.VersionID, &p.PointID, &p.Label, &regionIDs, &line, &p.Side, &p.BufferKm,
			&p.Status, &deJure, &deFacto, &p.Note, &drawn, &class, &updated); err != nil {
			return nil, err
		}
		p.LineID, p.DeJureID, p.DeFactoID = line.String, deJure.String, deFacto.String
		if err := decodeJSON(regionIDs, &p.RegionIDs); err != nil {
			return nil, err
		}
		var err error
		if p.Drawn, err = decodeArea(drawn); err != nil {
			return nil, err
		}
		if p.Updated, err = parseTime(updated); err != nil {
			return nil, err
		}
		p.Classification, err = decodeClassification(class)
		return &p, err
	},
	class: func(_ context.Context, _ querier, p *parley.Provision) (parley.Classification, error) {
		return p.Classification, nil
	},
	nested: true,
	stamp:  func(p *parley.Provision, now time.Time) { p.Updated = now },
	scrub:  scrubProvision,
	keep:   keepProvision,
	refs:   checkProvisionRefs,
}

// scrubProvision removes a provision's references to records the actor
// may not see.
func scrubProvision(v *view, p *parley.Provision) (err error) {
	if v.all() {
		return nil
	}
	n := len(p.RegionIDs)
	if p.RegionIDs, err = v.keep("regions", p.RegionIDs); err != nil {
		return err
	}
	line := p.LineID
	if p.LineID, err = v.ref("lines", p.LineID); err != nil {
		return err
	}
	if line != "" && p.LineID == "" {
		// The side and the buffer would tell of the hidden line.
		p.Side, p.BufferKm = parley.NoSide, 0
	}
	p.Partial = len(p.RegionIDs) < n || p.LineID != line
	if p.DeJureID, err = v.ref("parties", p.DeJureID); err != nil {
		return err
	}
	p.DeFactoID, err = v.ref("parties", p.DeFactoID)
	return err
}

// keepProvision adds back to p the references of old hidden from the
// actor, which a delegate's save must not lose.
func keepProvision(v *view, old, p *parley.Provision) (err error) {
	if p.RegionIDs, err = v.keepHidden("regions", old.RegionIDs, p.RegionIDs); err != nil {
		return err
	}
	line := p.LineID
	if p.LineID, err = v.keepHiddenRef("lines", old.LineID, p.LineID); err != nil {
		return err
	}
	if line == "" && p.LineID != "" {
		// The hidden line comes back with its side and buffer, which the
		// delegate was not shown either.
		p.Side, p.BufferKm = old.Side, old.BufferKm
	}
	if p.DeJureID, err = v.keepHiddenRef("parties", old.DeJureID, p.DeJureID); err != nil {
		return err
	}
	p.DeFactoID, err = v.keepHiddenRef("parties", old.DeFactoID, p.DeFactoID)
	return err
}

// checkProvisionRefs checks that a provision's version, point, regions,
// line and parties are of the process and seen by the actor, and the
// bound on provisions per version.
func checkProvisionRefs(ctx context.Context, q querier, p *parley.Provision, processID string) error {
	if err := checkVersionRef(ctx, q, parley.ActorFrom(ctx).In(processID), "version_id", p.VersionID, processID); err != nil {
		return err
	}
	if p.PointID != "" {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM points WHERE version_id = $1 AND id = $2", p.VersionID, p.PointID).Scan(&n); err != nil {
			return parley.Internal(err)
		}
		if n == 0 {
			return parley.FieldErrorf("point_id", "the version has no point %q", p.PointID)
		}
	}
	if err := checkRefs(ctx, q, "regions", "region_ids", "region", p.RegionIDs, processID); err != nil {
		return err
	}
	for _, f := range []struct{ table, field, what, id string }{
		{"lines", "line_id", "line", p.LineID},
		{"parties", "de_jure_id", "party", p.DeJureID},
		{"parties", "de_facto_id", "party", p.DeFactoID},
	} {
		if err := checkOptionalRef(ctx, q, f.table, f.field, f.what, f.id, processID); err != nil {
			return err
		}
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM provisions WHERE version_id = $1 AND id != $2", p.VersionID, p.ID).Scan(&n); err != nil {
		return parley.Internal(err)
	}
	if n >= parley.MaxProvisions {
		return parley.FieldErrorf("version_id", "the version has the most provisions it may have (%d)", parley.MaxProvisions)
	}
	return checkClassificationRefs(ctx, q, p.Classification, processID)
}
