package web

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parley"
	"parley/geo"
	"parley/territory"
)

// provisionForm is the form of a territorial provision: the point that
// states it, the area it names (regions, a side of a line or a buffer
// along it, or a drawn polygon), the status the version proposes and who
// holds the area in law and in fact under it.
var provisionForm = &recordForm[parley.Provision]{
	noun: "provision",
	intro: "A provision is what a version says about one area: the status it proposes, and who holds the area in law " +
		"and controls it in fact under it. Name the area by its regions, cut by a line to one side of it or to a " +
		"buffer along it, or draw it as GeoJSON. Where provisions of a version overlap, the smaller area wins on the map.",
	start: func(s *Server, r *http.Request) (*parley.Provision, string, error) {
		v, proc, err := s.findVersionInProcess(r.Context(), r.PathValue("id"))
		if err != nil {
			return nil, "", err
		}
		// A delegate writes only its party's own material: its reading
		// starts confidential to its party, not as the version is seen.
		c := inherit(v.Classification)
		if acc := parley.ActorFrom(r.Context()).In(proc.ID); acc.Role == parley.RoleDelegate {
			c = parley.Classification{Level: parley.Confidential, PartyIDs: []string{acc.PartyID}}
		}
		return &parley.Provision{ProcessID: proc.ID, VersionID: v.ID, Status: parley.StatusFrozen, Classification: c}, proc.ID, nil
	},
	// A drawn area may be large.
	limit: maxGeoForm,
	store: func(svc parley.Services) recordStore[parley.Provision] {
		return recordStore[parley.Provision]{svc.Territory.FindProvisionByID,
			func(ctx context.Context, p *parley.Provision) error {
				return svc.Territory.CreateProvisions(ctx, []*parley.Provision{p})
			},
			svc.Territory.UpdateProvision}
	},
	load: func(ctx context.Context, svc parley.Services, p *parley.Provision, ch *choices) error {
		var err error
		if ch.version, err = svc.Plans.FindVersionByID(ctx, p.VersionID); err != nil {
			return err
		}
		if ch.regions, err = svc.Territory.FindRegions(ctx, p.ProcessID); err != nil {
			return err
		}
		ch.lines, err = svc.Territory.FindLines(ctx, p.ProcessID)
		return err
	},
	process: func(p *parley.Provision) string { return p.ProcessID },
	name:    func(p *parley.Provision) string { return p.Label },
	fields:  provisionFields,
	read:    readProvision,
	done:    func(p *parley.Provision) string { return territoryURL(p.VersionID, "") },
	back:    func(p *parley.Provision) string { return territoryURL(p.VersionID, "") },
}

// provisionFields are the inputs of the provision form.
func provisionFields(p *parley.Provision, ch *choices) []*field {
	point := &field{Name: "point_id", Label: "Point that states it", Type: "select", Value: p.PointID,
		Options: []option{{Value: "", Label: "None (a version known only by report)"}}}
	if ch.version != nil {
		for _, pt := range ch.version.Points {
			point.Options = append(point.Options, option{Value: pt.ID, Label: cut(pointName(pt)+": "+pt.Text, 90)})
		}
	}
	regions := &field{Name: "region_ids", Label: "Regions", Type: "checkboxes", Values: p.RegionIDs,
		Help: "The regions the provision is about. With a line, only their part on one side of it, or near it, counts."}
	for _, r := range ch.regions {
		regions.Options = append(regions.Options, option{Value: r.ID, Label: r.Name + " (" + r.Code + ")"})
	}
	line := &field{Name: "line_id", Label: "Line", Type: "select", Value: p.LineID, Options: []option{{Value: "", Label: "No line"}}}
	for _, l := range ch.lines {
		line.Options = append(line.Options, option{Value: l.ID, Label: l.Name})
	}
	side := &field{Name: "side", Label: "Side of the line", Type: "select", Value: string(p.Side),
		Options: []option{{Value: "", Label: "Both sides (with a buffer)"}}}
	for _, s := range []parley.Side{parley.Left, parley.Right} {
		// Each line names its sides: "left" means nothing to a reader.
		var names []string
		for _, l := range ch.lines {
			name := l.Side(s)
			if len(ch.lines) > 1 {
				name += " of " + l.Name
			}
			names = append(names, name)
		}
		label := string(s) + " of the line, walking it from its first point"
		if len(names) > 0 {
			label = strings.Join(names, "; ") + " (" + string(s) + ")"
		}
		side.Options = append(side.Options, option{Value: string(s), Label: label})
	}
	status := &field{Name: "status", Label: "Status the version proposes", Type: "select", Value: string(p.Status)}
	for _, st := range parley.TerritoryStatuses() {
		status.Options = append(status.Options, option{Value: string(st), Label: st.Label()})
	}
	buffer := ""
	if p.BufferKm > 0 {
		buffer = strconv.FormatFloat(p.BufferKm, 'f', -1, 64)
	}
	drawn := ""
	if len(p.Drawn) > 0 {
		if b, err := geo.AreaGeometry(p.Drawn).MarshalJSON(); err == nil {
			drawn = string(b)
		}
	}
	return []*field{
		point,
		{Name: "label", Label: "Area, as the plan names it", Type: "text", Value: p.Label, Required: true,
			Help: "For instance “the part of Donetsk held by Ukraine”."},
		regions, line, side,
		{Name: "buffer_km", Label: "Buffer along the line (km)", Type: "number", Value: buffer, Min: "0", Max: strconv.Itoa(parley.MaxBufferKm),
			Help: "Keep only what lies within this distance of the line; empty for none."},
		status,
		{Name: "de_jure_id", Label: "Held in law by", Type: "select", Value: p.DeJureID, Options: partyOptions(ch.parties, "Not stated")},
		{Name: "de_facto_id", Label: "Controlled in fact by", Type: "select", Value: p.DeFactoID, Options: partyOptions(ch.parties, "Not stated")},
		{Name: "note", Label: "Note", Type: "textarea", Rows: 3, Value: p.Note},
		{Name: "drawn", Label: "Drawn area (GeoJSON Polygon or MultiPolygon)", Type: "textarea", Rows: 4, Value: drawn,
			Help: "For an area no region and line describe: longitude, latitude; the outer ring counter-clockwise. With regions, only its part inside them counts."},
		classificationField(p.Classification, ch.parties, ""),
	}
}

// readProvision reads the provision form.
func readProvision(vals url.Values, p *parley.Provision, _ *choices) error {
	p.PointID, p.Label = formLine(vals, "point_id"), formLine(vals, "label")
	p.RegionIDs = formIDs(vals, "region_ids")
	p.LineID, p.Side = formLine(vals, "line_id"), parley.Side(formLine(vals, "side"))
	p.Status = parley.TerritoryStatus(formLine(vals, "status"))
	p.DeJureID, p.DeFactoID = formLine(vals, "de_jure_id"), formLine(vals, "de_facto_id")
	p.Note = formText(vals, "note")
	p.Classification = formClassification(vals)
	var first error
	p.BufferKm = 0
	if b := formLine(vals, "buffer_km"); b != "" {
		km, err := strconv.ParseFloat(b, 64)
		if err != nil {
			first = parley.FieldErrorf("buffer_km", "the buffer must be a number of kilometres, not %q", b)
		}
		p.BufferKm = km
	}
	p.Drawn = nil
	if d := strings.TrimSpace(formText(vals, "drawn")); d != "" {
		g, err := geo.ParseGeometry([]byte(d), geo.Limits{MaxBytes: parley.MaxGeometryBytes, MaxFeatures: 1, MaxPositions: parley.MaxPositions})
		var dup error
		if err == nil {
			dup = duplicateKey([]byte(d), nil)
		}
		switch {
		case err != nil && first == nil:
			first = parley.FieldErrorf("drawn", "%v", err)
		case dup != nil && first == nil:
			first = parley.FieldErrorf("drawn", "%s", parley.ErrorMessage(dup))
		case err == nil && g.Area == nil && first == nil:
			first = parley.FieldErrorf("drawn", "a drawn area is a Polygon or MultiPolygon, not a %s", g.Type)
		}
		p.Drawn = g.Area
	}
	return first
}

// findVersionInProcess reads the version named by id and its process.
func (s *Server) findVersionInProcess(ctx context.Context, id string) (*parley.Version, *parley.Process, error) {
	v, err := s.svc.Plans.FindVersionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	_, proc, err := s.findPlanInProcess(ctx, v.PlanID)
	return v, proc, err
}

// handleProvisionImportPage shows the form that imports provisions into a
// version from GeoJSON.
func (s *Server) handleProvisionImportPage(w http.ResponseWriter, r *http.Request) {
	v, proc, err := s.findVersionInProcess(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showGeoImport(w, r, proc.ID, "Import provisions into "+v.Label, provisionImportIntro, territoryURL(v.ID, ""), nil)
}

// provisionImportIntro says what a provisions import takes.
const provisionImportIntro = "A GeoJSON FeatureCollection, one feature per provision, as the version's GeoJSON export writes it: " +
	"properties label and status (unchanged, frozen, withdrawal, buffer_zone, recognised_de_facto, recognised_de_jure, returned, " +
	"referendum, economic_zone), and optionally point, regions (codes), line (name), side (left or right), buffer_km, de_jure and " +
	"de_facto (party names), note. A feature without regions is a drawn area: its geometry. All are stored, or none."

// geoImportForm is the form of a GeoJSON import: a file or pasted text.
func geoImportForm(action, cancel string, extra ...*field) *form {
	return &form{Action: action, Submit: "Import", Cancel: cancel, Multipart: true, Fields: append(extra,
		&field{Name: "file", Label: "GeoJSON file", Type: "file", Accept: ".geojson,.json,application/geo+json,application/json"},
		&field{Name: "geojson", Label: "Or paste GeoJSON", Type: "textarea", Rows: 10})}
}

// showGeoImport draws an import form with err on it.
func (s *Server) showGeoImport(w http.ResponseWriter, r *http.Request, processID, title, intro, cancel string, err error, extra ...*field) {
	proc, perr := s.svc.Processes.FindProcessByID(r.Context(), processID)
	if perr != nil {
		s.pageError(w, r, perr)
		return
	}
	f := geoImportForm(r.URL.Path, cancel, extra...)
	if r.Method == http.MethodPost {
		f.keep(r.PostForm)
	}
	if err != nil {
		f.fail(err)
	}
	s.render(w, r, s.statusOfForm(r, err), "form.html", &formPage{view: view{Title: title, Process: proc}, Intro: intro, Form: f})
}

// maxGeoForm bounds an import form: a base map of many detailed regions.
const maxGeoForm = 32 << 20

// readGeoUpload reads the GeoJSON of an import form: the file if one was
// chosen, else the pasted text.
func readGeoUpload(w http.ResponseWriter, r *http.Request) (*geo.FeatureCollection, error) {
	if err := parseForm(w, r, maxGeoForm); err != nil {
		return nil, err
	}
	var data []byte
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		fh := r.MultipartForm.File["file"][0]
		f, err := fh.Open()
		if err != nil {
			return nil, parley.FieldErrorf("file", "the file could not be read")
		}
		defer f.Close()
		if data, err = io.ReadAll(f); err != nil {
			return nil, parley.FieldErrorf("file", "the file could not be read")
		}
	} else {
		data = []byte(r.PostForm.Get("geojson"))
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, parley.FieldErrorf("geojson", "choose a GeoJSON file or paste GeoJSON")
	}
	fc, err := geo.Parse(data, geo.Limits{MaxBytes: maxGeoForm, MaxFeatures: parley.MaxRegions, MaxPositions: parley.MaxPositions})
	if err != nil {
		return nil, parley.FieldErrorf("geojson", "%v", err)
	}
	if err := duplicateKey(data, nil); err != nil {
		return nil, parley.FieldErrorf("geojson", "%s", parley.ErrorMessage(err))
	}
	return fc, nil
}

// handleProvisionImport stores the provisions of an import form, all or
// none, then shows the version's territory.
func (s *Server) handleProvisionImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, proc, err := s.findVersionInProcess(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	fc, err := readGeoUpload(w, r)
	if err == nil {
		err = s.importProvisions(ctx, v, proc.ID, fc)
	}
	if err != nil {
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		s.showGeoImport(w, r, proc.ID, "Import provisions into "+v.Label, provisionImportIntro, territoryURL(v.ID, ""), err)
		return
	}
	seeOther(w, r, territoryURL(v.ID, ""))
}

// importProvisions reads the features of an import as provisions of v
// and stores them, all or none; they are returned with their IDs.
func (s *Server) importProvisions(ctx context.Context, v *parley.Version, processID string, fc *geo.FeatureCollection) error {
	base, err := s.mapBase(ctx, processID)
	if err != nil {
		return err
	}
	parties, err := s.svc.Parties.FindParties(ctx, processID)
	if err != nil {
		return err
	}
	names := &territory.Names{ProcessID: processID, Version: v, Parties: parties, Base: base}
	// A delegate writes only its party's own material: what it imports
	// without a classification is confidential to its party.
	if acc := parley.ActorFrom(ctx).In(processID); acc.Role == parley.RoleDelegate {
		names.Classification = &parley.Classification{Level: parley.Confidential, PartyIDs: []string{acc.PartyID}}
	}
	ps, err := territory.ReadProvisions(fc, names)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return parley.FieldErrorf("geojson", "the GeoJSON holds no feature")
	}
	return s.svc.Territory.CreateProvisions(ctx, ps)
}

// mapPage is the data of a process's map page: its regions and lines,
// where they come from, and the base maps Parley ships.
type mapPage struct {
	view
	SVG      template.HTML
	Regions  []regionRow
	Lines    []lineRow
	Bases    []baseRow
	Mediator bool
	Sources  []string
	Total    string
}

// regionRow is one region on the map page.
type regionRow struct {
	Code, Name, Area, DeJure, DeFacto, Source string
	Edit                                      string
}

// lineRow is one line on the map page.
type lineRow struct {
	Name, Left, Right, Length, Source string
	Edit                              string
}

// baseRow is a base map Parley ships, with its provenance.
type baseRow struct {
	Key, Name, Package, Licence, Derivation, Crimea, URL string
	Regions                                              int
	Import                                               string
}

// handleMapPage shows a process's map.
func (s *Server) handleMapPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	base, err := s.mapBase(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ps := territory.NewParties(parties)
	acc := parley.ActorFrom(ctx).In(proc.ID)
	pg := &mapPage{view: view{Title: "Map of " + proc.Name, Process: proc}, Mediator: acc.Mediator(), Sources: base.Sources()}
	var total float64
	for _, reg := range base.Regions {
		km2 := geo.Area(reg.Area)
		total += km2
		row := regionRow{Code: reg.Code, Name: reg.Name, Area: formatKm2(km2), DeJure: ps.Name(reg.DeJureID), DeFacto: ps.Name(reg.DeFactoID),
			Source: reg.Source}
		if acc.Mediator() {
			row.Edit = "/regions/" + url.PathEscape(reg.ID) + "/edit"
		}
		pg.Regions = append(pg.Regions, row)
	}
	pg.Total = formatKm2(total)
	for _, l := range base.Lines {
		row := lineRow{Name: l.Name, Left: l.LeftLabel, Right: l.RightLabel, Length: groupThousands(int64(geo.Length(l.Path)+0.5)) + " km",
			Source: l.Source}
		if acc.Mediator() {
			row.Edit = "/lines/" + url.PathEscape(l.ID) + "/edit"
		}
		pg.Lines = append(pg.Lines, row)
	}
	for _, key := range geo.BaseMaps() {
		b, err := geo.LoadBaseMap(key)
		if err != nil {
			s.pageError(w, r, parley.Internal(err))
			return
		}
		pg.Bases = append(pg.Bases, baseRow{Key: key, Name: b.Name, Package: b.Package + " " + b.Version, Licence: b.Licence,
			Derivation: b.Derivation, Crimea: b.Crimea, URL: b.URL, Regions: len(b.Regions),
			Import: mapPageURL(proc.ID) + "/base/" + url.PathEscape(key)})
	}
	if len(base.Regions) > 0 {
		t, err := territory.Resolve(base, nil)
		if err != nil {
			s.pageError(w, r, parley.Internal(err))
			return
		}
		m := t.Map(territory.MapOptions{ID: "base", Title: "Map of " + proc.Name, Subtitle: "Regions and lines, before any plan",
			Picture: territory.ByDeFacto, Parties: ps, Width: 960})
		if pg.SVG, err = renderMap(m); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "map.html", pg)
}

// handleBaseImport adds the regions of a base map Parley ships to a
// process, all or none; regions with codes the process has are refused.
func (s *Server) handleBaseImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	b, err := geo.LoadBaseMap(r.PathValue("key"))
	if err != nil {
		s.pageError(w, r, parley.Errorf(parley.ENOTFOUND, "no base map %q", r.PathValue("key")))
		return
	}
	// Regions the process has already (by code) are left as they are, so
	// that adding a base map twice, or after some of its regions, adds
	// only what is missing.
	have, err := s.svc.Territory.FindRegions(ctx, proc.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	regions := slices.DeleteFunc(baseRegions(b, proc), func(nr *parley.Region) bool {
		return slices.ContainsFunc(have, func(h *parley.Region) bool { return h.Code == nr.Code })
	})
	if err := s.svc.Territory.CreateRegions(ctx, proc.ID, regions); err != nil {
		s.pageError(w, r, err)
		return
	}
	seeOther(w, r, mapPageURL(proc.ID))
}

// baseRegions turns a base map into regions of a process, each with the
// base map's attribution and the process's classification.
func baseRegions(b *geo.BaseMap, proc *parley.Process) []*parley.Region {
	out := make([]*parley.Region, len(b.Regions))
	for i, br := range b.Regions {
		out[i] = &parley.Region{ProcessID: proc.ID, Code: br.Code, Name: br.Name, Area: br.Area.Clone(), Source: b.Attribution(),
			Classification: inherit(proc.Classification)}
	}
	return out
}

// regionImportIntro and lineImportIntro say what the imports take.
const (
	regionImportIntro = "A GeoJSON FeatureCollection of Polygons and MultiPolygons, or a TopoJSON topology, one feature per " +
		"region, with properties code (or iso_3166_2, or the feature's id) and name, and optionally de_jure and de_facto " +
		"(party names). Rings must be closed, outer rings counter-clockwise, and regions may share borders but not overlap. " +
		"All are stored, or none."
	lineImportIntro = "A GeoJSON FeatureCollection of LineStrings, one per line, with properties name, left_label and " +
		"right_label: what lies on each side walking the line from its first point to its last (“Russian-held side”). " +
		"All are stored, or none."
)

// sourceField is the input that says where imported geometry comes from.
func sourceField() *field {
	return &field{Name: "source", Label: "Source and licence", Type: "text", Required: true,
		Help: "Where the geometry comes from and under what licence, shown on every map that draws it."}
}

// handleRegionImportPage shows the form that imports regions.
func (s *Server) handleRegionImportPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.showGeoImport(w, r, id, "Import regions", regionImportIntro, mapPageURL(id), nil, sourceField())
}

// handleRegionImport stores the regions of an import form.
func (s *Server) handleRegionImport(w http.ResponseWriter, r *http.Request) {
	s.geoImport(w, r, "Import regions", regionImportIntro, s.importRegions)
}

// handleLineImportPage shows the form that imports lines.
func (s *Server) handleLineImportPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.showGeoImport(w, r, id, "Import lines", lineImportIntro, mapPageURL(id), nil, sourceField())
}

// handleLineImport stores the lines of an import form.
func (s *Server) handleLineImport(w http.ResponseWriter, r *http.Request) {
	s.geoImport(w, r, "Import lines", lineImportIntro, s.importLines)
}

// geoImport reads an import form of the process in the path and stores
// what it holds with store, then shows the process's map; or shows the
// form again with what is wrong.
func (s *Server) geoImport(w http.ResponseWriter, r *http.Request, title, intro string, store mapImport) {
	ctx := r.Context()
	proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	fc, err := readGeoUpload(w, r)
	source := formLine(r.PostForm, "source")
	if err == nil && source == "" {
		err = parley.FieldErrorf("source", "say where the geometry comes from and under what licence")
	}
	if err == nil && len(fc.Features) == 0 {
		err = parley.FieldErrorf("geojson", "the GeoJSON holds no feature")
	}
	if err == nil {
		_, err = store(ctx, proc, fc, source)
	}
	if err != nil {
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		s.showGeoImport(w, r, proc.ID, title, intro, mapPageURL(proc.ID), err, sourceField())
		return
	}
	seeOther(w, r, mapPageURL(proc.ID))
}

// regionForm is the form of a region: its name, code, holders and source
// (its geometry is imported, not typed).
var regionForm = &recordForm[parley.Region]{
	noun:  "region",
	intro: "Who holds the region in law and controls it in fact before any plan, as the process records it; a version's provisions override both where they speak.",
	store: func(svc parley.Services) recordStore[parley.Region] {
		return recordStore[parley.Region]{find: svc.Territory.FindRegionByID, update: svc.Territory.UpdateRegion}
	},
	process: func(r *parley.Region) string { return r.ProcessID },
	name:    func(r *parley.Region) string { return r.Name },
	fields: func(r *parley.Region, ch *choices) []*field {
		return []*field{
			{Name: "name", Label: "Name", Type: "text", Value: r.Name, Required: true},
			{Name: "code", Label: "Code", Type: "text", Value: r.Code, Required: true, Help: "Short and unique in the process: an ISO 3166-2 code such as UA-14."},
			{Name: "de_jure_id", Label: "Held in law by", Type: "select", Value: r.DeJureID, Options: partyOptions(ch.parties, "Not stated")},
			{Name: "de_facto_id", Label: "Controlled in fact by", Type: "select", Value: r.DeFactoID, Options: partyOptions(ch.parties, "Not stated")},
			{Name: "source", Label: "Source and licence", Type: "text", Value: r.Source},
			classificationField(r.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, r *parley.Region, _ *choices) error {
		r.Name, r.Code, r.Source = formLine(vals, "name"), formLine(vals, "code"), formLine(vals, "source")
		r.DeJureID, r.DeFactoID = formLine(vals, "de_jure_id"), formLine(vals, "de_facto_id")
		r.Classification = formClassification(vals)
		return nil
	},
	done: func(r *parley.Region) string { return mapPageURL(r.ProcessID) },
	back: func(r *parley.Region) string { return mapPageURL(r.ProcessID) },
}

// lineForm is the form of a line: its name, the names of its sides and
// its source (its path is imported, not typed).
var lineForm = &recordForm[parley.Line]{
	noun:  "line",
	intro: "The sides are named walking the line from its first point to its last.",
	store: func(svc parley.Services) recordStore[parley.Line] {
		return recordStore[parley.Line]{find: svc.Territory.FindLineByID, update: svc.Territory.UpdateLine}
	},
	process: func(l *parley.Line) string { return l.ProcessID },
	name:    func(l *parley.Line) string { return l.Name },
	fields: func(l *parley.Line, ch *choices) []*field {
		return []*field{
			{Name: "name", Label: "Name", Type: "text", Value: l.Name, Required: true},
			{Name: "left_label", Label: "Left side", Type: "text", Value: l.LeftLabel, Required: true},
			{Name: "right_label", Label: "Right side", Type: "text", Value: l.RightLabel, Required: true},
			{Name: "source", Label: "Source", Type: "text", Value: l.Source},
			classificationField(l.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, l *parley.Line, _ *choices) error {
		l.Name, l.LeftLabel, l.RightLabel = formLine(vals, "name"), formLine(vals, "left_label"), formLine(vals, "right_label")
		l.Source, l.Classification = formLine(vals, "source"), formClassification(vals)
		return nil
	},
	done: func(l *parley.Line) string { return mapPageURL(l.ProcessID) },
	back: func(l *parley.Line) string { return mapPageURL(l.ProcessID) },
}

// territoryRoutes adds the pages about territory.
func (s *Server) territoryRoutes(mux *router, post func(string, http.HandlerFunc)) {
	mux.HandleFunc("GET /processes/{id}/map", s.handleMapPage)
	post("/processes/{id}/map/base/{key}", s.handleBaseImport)
	mux.HandleFunc("GET /processes/{id}/regions/import", s.handleRegionImportPage)
	post("/processes/{id}/regions/import", s.handleRegionImport)
	mux.HandleFunc("GET /processes/{id}/lines/import", s.handleLineImportPage)
	post("/processes/{id}/lines/import", s.handleLineImport)
	mux.HandleFunc("GET /regions/{id}/edit", editRecordPage(s, regionForm))
	post("/regions/{id}/edit", updateRecordPage(s, regionForm))
	mux.HandleFunc("GET /lines/{id}/edit", editRecordPage(s, lineForm))
	post("/lines/{id}/edit", updateRecordPage(s, lineForm))

	mux.HandleFunc("GET /versions/{id}/territory", s.handleTerritoryPage)
	mux.HandleFunc("GET /versions/{id}/map.svg", s.handleMapSVG)
	mux.HandleFunc("GET /versions/{id}/territory/compare", s.handleTerritoryCompare)
	mux.HandleFunc("GET /versions/{id}/territory/diff.svg", s.handleDiffSVG)
	mux.HandleFunc("GET /versions/{id}/territory/import", s.handleProvisionImportPage)
	post("/versions/{id}/territory/import", s.handleProvisionImport)
	mux.HandleFunc("GET /versions/{id}/provisions/new", newRecordPage(s, provisionForm))
	post("/versions/{id}/provisions/new", createRecordPage(s, provisionForm))
	mux.HandleFunc("GET /provisions/{id}/edit", editRecordPage(s, provisionForm))
	post("/provisions/{id}/edit", updateRecordPage(s, provisionForm))
	post("/provisions/{id}/delete", s.handleProvisionDelete)
}
