package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parley"
	"parley/geo"
	"parley/territory"
)

// Addresses of the pages about territory.

// territoryURL is the address of a version's territory page in a
// picture; "" or the status picture is the default.
func territoryURL(versionID string, pic territory.Picture) string {
	return withPicture(versionURL(versionID)+"/territory", pic)
}

// mapSVGURL is the address of a version's map as an SVG file.
func mapSVGURL(versionID string, pic territory.Picture) string {
	return withPicture(versionURL(versionID)+"/map.svg", pic)
}

// territoryCompareURL is the address of the comparison of the territory
// of two versions.
func territoryCompareURL(versionID, withID string, pic territory.Picture) string {
	u := versionURL(versionID) + "/territory/compare?" + url.Values{"with": {withID}}.Encode()
	if pic != territory.ByStatus && pic != "" {
		u += "&" + url.Values{"picture": {string(pic)}}.Encode()
	}
	return u
}

// diffSVGURL is the address of the difference map of two versions.
func diffSVGURL(versionID, withID string, pic territory.Picture) string {
	u := versionURL(versionID) + "/territory/diff.svg?" + url.Values{"with": {withID}}.Encode()
	if pic != territory.ByStatus && pic != "" {
		u += "&" + url.Values{"picture": {string(pic)}}.Encode()
	}
	return u
}

// mapPageURL is the address of a process's map: its regions and lines.
func mapPageURL(processID string) string { return processURL(processID) + "/map" }

// provisionURL is the address of a provision's form.
func provisionURL(id string) string { return "/provisions/" + url.PathEscape(id) + "/edit" }

// withPicture adds a picture to an address, unless it is the default.
func withPicture(u string, pic territory.Picture) string {
	if pic == "" || pic == territory.ByStatus {
		return u
	}
	return u + "?" + url.Values{"picture": {string(pic)}}.Encode()
}

// versionTerritory is a version's territory as the reader may see it,
// with what the pages need around it.
type versionTerritory struct {
	version *parley.Version
	plan    *parley.Plan
	process *parley.Process
	parties []*parley.Party
	base    *territory.Base
	t       *territory.Territory
	key     string // what t is kept under (see resolve)
	colours *territory.Parties
	acc     parley.Access
}

// loadTerritory reads the version named by id and resolves its
// provisions against its process's map.
func (s *Server) loadTerritory(ctx context.Context, id string) (*versionTerritory, error) {
	return s.loadTerritoryBeside(ctx, id, nil)
}

// loadTerritoryBeside is loadTerritory for a second version of a page:
// when it is of the same process, unchanged since known was read, the
// parties and map that known read are taken rather than read again.
func (s *Server) loadTerritoryBeside(ctx context.Context, id string, known *versionTerritory) (*versionTerritory, error) {
	v, err := s.svc.Plans.FindVersionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	plan, proc, err := s.findPlanInProcess(ctx, v.PlanID)
	if err != nil {
		return nil, err
	}
	vt := &versionTerritory{version: v, plan: plan, process: proc, acc: parley.ActorFrom(ctx).In(proc.ID)}
	if known != nil && known.process.ID == proc.ID && known.process.Revision == proc.Revision {
		vt.parties, vt.base = known.parties, known.base
	} else {
		if vt.parties, err = s.svc.Parties.FindParties(ctx, proc.ID); err != nil {
			return nil, err
		}
		if vt.base, err = s.mapBase(ctx, proc.ID); err != nil {
			return nil, err
		}
	}
	ps, err := s.svc.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: proc.ID, VersionID: v.ID})
	if err != nil {
		return nil, err
	}
	if vt.t, vt.key, err = s.resolve(proc, v, vt.base, ps); err != nil {
		return nil, err
	}
	vt.colours = territory.NewParties(vt.parties)
	return vt, nil
}

// resolve resolves a version's provisions against the map, or returns
// the territory resolved before from the same records, and the key it is
// kept under. What a reader was given to resolve is fixed by the
// process's revision (every write moves it) and by what the reader sees
// of each region, line and provision: their IDs and every reference the
// store may have removed for the reader (regions, line, side, buffer,
// parties), so that readers share a resolution only when they were given
// the same records. Each still reads them, and is logged, through the
// store.
func (s *Server) resolve(proc *parley.Process, v *parley.Version, base *territory.Base, ps []*parley.Provision) (*territory.Territory, string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", v.ID, proc.Revision)
	for _, r := range base.Regions {
		fmt.Fprintf(h, "r%s\x00%s\x00%s\x00", r.ID, r.DeJureID, r.DeFactoID)
	}
	for _, l := range base.Lines {
		fmt.Fprintf(h, "l%s\x00", l.ID)
	}
	for _, p := range ps {
		fmt.Fprintf(h, "p%s\x00%s\x00%s\x00%s\x00%g\x00%s\x00%s\x00%t\x00", p.ID, strings.Join(p.RegionIDs, ","), p.LineID,
			p.Side, p.BufferKm, p.DeJureID, p.DeFactoID, p.Partial)
	}
	key := string(h.Sum(nil))
	if t, ok := s.page.territories.get(key); ok {
		return t, key, nil
	}
	t, err := territory.Resolve(base, ps)
	if err != nil {
		return nil, "", parley.Internal(err)
	}
	s.page.territories.put(key, t)
	return t, key, nil
}

// territorySize estimates the memory a resolved territory holds: its
// positions, most of it.
func territorySize(t *territory.Territory) int {
	n := 0
	for _, r := range t.Base.Regions {
		n += r.Area.Vertices()
	}
	for _, c := range t.Claims {
		n += c.Area.Vertices() + c.Shown.Vertices()
	}
	for _, r := range t.Remainder {
		n += r.Area.Vertices()
	}
	return 16*n + 1024
}

// drawable reports whether the version's territory has anything to draw:
// regions, or a provision with an area (a drawn one needs no region).
func (vt *versionTerritory) drawable() bool {
	if len(vt.base.Regions) > 0 {
		return true
	}
	return slices.ContainsFunc(vt.t.Claims, func(c *territory.Claim) bool { return len(c.Area) > 0 })
}

// mapBase reads a process's regions and lines.
func (s *Server) mapBase(ctx context.Context, processID string) (*territory.Base, error) {
	regions, err := s.svc.Territory.FindRegions(ctx, processID)
	if err != nil {
		return nil, err
	}
	lines, err := s.svc.Territory.FindLines(ctx, processID)
	if err != nil {
		return nil, err
	}
	return territory.NewBase(regions, lines), nil
}

// picture reads the picture parameter of a map's address.
func picture(r *http.Request) (territory.Picture, error) {
	pic, ok := territory.ParsePicture(r.URL.Query().Get("picture"))
	if !ok {
		return "", parley.FieldErrorf("picture", "picture must be status, de_jure or de_facto, not %q", r.URL.Query().Get("picture"))
	}
	return pic, nil
}

// mapOptions are the options of the version's map in a picture.
func (vt *versionTerritory) mapOptions(id string, pic territory.Picture, width int) territory.MapOptions {
	return territory.MapOptions{ID: id, Title: vt.plan.Title + ": " + vt.version.Label, Subtitle: pic.Label(),
		Picture: pic, Parties: vt.colours, Width: width}
}

// render draws a map as SVG.
func renderMap(m *geo.Map) (template.HTML, error) {
	svg, err := geo.RenderString(m)
	if err != nil {
		return "", parley.Internal(err)
	}
	return template.HTML(svg), nil // drawn by geo, which escapes every text
}

// pictureLink is one choice of the switch between pictures.
type pictureLink struct {
	Label, URL string
	Current    bool
}

// pictureLinks returns the switch between the pictures, each leading to
// url(picture).
func pictureLinks(current territory.Picture, url func(territory.Picture) string) []pictureLink {
	var out []pictureLink
	for _, p := range territory.Pictures() {
		out = append(out, pictureLink{Label: p.Label(), URL: url(p), Current: p == current})
	}
	return out
}

// claimRow is one provision in the table of a territory page.
type claimRow struct {
	Point, PointURL    string
	Label              string
	Status             string
	Swatch             string // the status's fill
	DeJure, DeFacto    string
	Area               string
	Km2, ShownKm2      string
	Note               string
	Badge              template.HTML
	Edit, Delete       string
	Error              string
	RegionsLineAndSide string
}

// figureRow is one line of a table of areas.
type figureRow struct {
	Label        string
	Km2, Share   string
	Swatch       string
	Km2b, Shareb string // the other version's, on the comparison page
}

// partyRow is one party's areas in law and in fact.
type partyRow struct {
	Party                 string
	Swatch                string
	DeJure, DeJureShare   string
	DeFacto, DeFactoShare string
}

// territoryPage is the data of a version's territory page.
type territoryPage struct {
	view
	Plan     *parley.Plan
	Version  *parley.Version
	Pictures []pictureLink
	SVG      template.HTML
	SVGURL   string
	GeoJSON  string
	Claims   []claimRow
	Status   []figureRow
	Parties  []partyRow
	Total    string
	// NoMap is set when there is nothing to draw: no region, and no
	// provision with an area.
	NoMap   bool
	MapURL  string
	Sources []string
	// May add provisions (a mediator, or a delegate for its own).
	MayWrite bool
	New      string
	Import   string
	Compare  *versionChoice
	Intro    string
}

// handleTerritoryPage shows a version's territory: the map in the chosen
// picture, the provisions with their areas, and the areas by status and
// by party.
func (s *Server) handleTerritoryPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pic, err := picture(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	vt, err := s.loadTerritory(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := vt.version
	pg := &territoryPage{view: view{Title: "Territory: " + vt.plan.Title + ", " + v.Label, Process: vt.process}, Plan: vt.plan,
		Version: v, SVGURL: mapSVGURL(v.ID, pic), GeoJSON: "/api/v1/versions/" + url.PathEscape(v.ID) + "/territory",
		MapURL: mapPageURL(vt.process.ID), NoMap: !vt.drawable(),
		MayWrite: vt.acc.Mediator() || vt.acc.Role == parley.RoleDelegate,
		New:      versionURL(v.ID) + "/provisions/new", Import: versionURL(v.ID) + "/territory/import"}
	pg.Pictures = pictureLinks(pic, func(p territory.Picture) string { return territoryURL(v.ID, p) })
	if !pg.NoMap {
		if pg.SVG, err = renderMap(vt.t.Map(vt.mapOptions("map", pic, 960))); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	n := newNames(vt.parties, nil, nil, nil, nil, nil)
	pg.Claims = claimRows(vt, n)
	pg.Status, pg.Parties, pg.Total = figureTables(vt.t, vt.colours)
	pg.Sources = vt.base.Sources()
	pg.Compare, err = s.territoryChoice(ctx, vt, "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "territory.html", pg)
}

// claimRows lists a version's provisions for its territory page.
func claimRows(vt *versionTerritory, n *names) []claimRow {
	var out []claimRow
	for _, c := range vt.t.Claims {
		p := c.Provision
		row := claimRow{Label: p.Label, Status: p.Status.Label(), Swatch: territory.StatusFill(p.Status),
			DeJure: vt.colours.Name(p.DeJureID), DeFacto: vt.colours.Name(p.DeFactoID),
			Km2: formatKm2(c.Km2), ShownKm2: formatKm2(c.ShownKm2), Note: p.Note,
			Badge: classificationBadge(p.Classification, n), RegionsLineAndSide: describeArea(vt.base, p)}
		if p.PointID != "" {
			row.Point, row.PointURL = "point "+p.PointID, pointURL(vt.version.ID, p.PointID)
			if pt := vt.version.Point(p.PointID); pt != nil {
				row.Point = pointName(pt)
			}
		}
		if c.Err != nil {
			row.Error = c.Err.Error()
		}
		if vt.acc.Mediator() || (vt.acc.Role == parley.RoleDelegate && vt.acc.Owns(p.Classification)) {
			row.Edit, row.Delete = provisionURL(p.ID), "/provisions/"+url.PathEscape(p.ID)+"/delete"
		}
		out = append(out, row)
	}
	return out
}

// describeArea says what area a provision names: its regions, the side of
// the line or the buffer along it, and a drawn polygon.
func describeArea(b *territory.Base, p *parley.Provision) string {
	var names []string
	for _, id := range p.RegionIDs {
		if r := b.Region(id); r != nil {
			names = append(names, r.Name)
		}
	}
	s := strings.Join(names, ", ")
	if l := b.Line(p.LineID); l != nil {
		if p.Side != parley.NoSide {
			s += ", " + l.Side(p.Side) + " of the " + l.Name
		}
		if p.BufferKm > 0 {
			s += fmt.Sprintf(", within %g km of the %s", p.BufferKm, l.Name)
		}
	}
	if len(p.Drawn) > 0 {
		if s != "" {
			s += ", "
		}
		s += "a drawn area"
	}
	return s
}

// formatKm2 writes an area as "26,081 km²".
func formatKm2(km2 float64) string {
	return groupThousands(int64(km2+0.5)) + "\u00a0km²" // kept on one line with its number
}

// formatShare writes a share as a percentage with one decimal.
func formatShare(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// groupThousands writes n with commas between thousands.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// figureTables builds the tables of areas by status and by party.
func figureTables(t *territory.Territory, ps *territory.Parties) (status []figureRow, parties []partyRow, total string) {
	for _, f := range t.ByStatus {
		status = append(status, figureRow{Label: territory.StatusLabel(f.Status), Km2: formatKm2(f.Km2), Share: formatShare(f.Share),
			Swatch: territory.StatusFill(f.Status)})
	}
	for _, f := range t.ByParty {
		parties = append(parties, partyRow{Party: ps.Name(f.PartyID), Swatch: ps.Colour(f.PartyID),
			DeJure: formatKm2(f.DeJure.Km2), DeJureShare: formatShare(f.DeJure.Share),
			DeFacto: formatKm2(f.DeFacto.Km2), DeFactoShare: formatShare(f.DeFacto.Share)})
	}
	return status, parties, formatKm2(t.TotalKm2)
}

// territoryChoice is the form that picks another version to compare the
// territory with; nil when the process has no other version.
func (s *Server) territoryChoice(ctx context.Context, vt *versionTerritory, selected string) (*versionChoice, error) {
	plans, err := s.svc.Plans.FindPlans(ctx, vt.process.ID)
	if err != nil {
		return nil, err
	}
	f := &field{Name: "with", Label: "Compare the territory with", Type: "select", Value: selected}
	for _, pl := range plans {
		for _, x := range pl.Versions {
			if x.ID != vt.version.ID {
				f.Options = append(f.Options, option{Value: x.ID, Label: x.Label, Group: pl.Title})
			}
		}
	}
	if len(f.Options) == 0 {
		return nil, nil
	}
	if selected == "" {
		f.Value = defaultComparison(vt)
	}
	return &versionChoice{Action: versionURL(vt.version.ID) + "/territory/compare", Field: f}, nil
}

// defaultComparison is the version a territory is compared with unless
// the reader picks another: the nearest before it in its plan whose text
// is known, else the nearest after it, since a plan's versions answer
// each other; else the version it came from.
func defaultComparison(vt *versionTerritory) string {
	vs := vt.plan.Versions
	at := slices.IndexFunc(vs, func(x *parley.Version) bool { return x.ID == vt.version.ID })
	if at >= 0 {
		for i := at - 1; i >= 0; i-- {
			if !vs[i].TextUnknown {
				return vs[i].ID
			}
		}
		for i := at + 1; i < len(vs); i++ {
			if !vs[i].TextUnknown {
				return vs[i].ID
			}
		}
	}
	return vt.version.PreviousID
}

// handleMapSVG serves a version's map as an SVG file in the chosen
// picture.
func (s *Server) handleMapSVG(w http.ResponseWriter, r *http.Request) {
	pic, err := picture(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	vt, err := s.loadTerritory(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !vt.drawable() {
		s.pageError(w, r, parley.Errorf(parley.ENOTFOUND, "the process of version %q has no map yet", vt.version.ID))
		return
	}
	s.writeSVG(w, r, vt.t.Map(vt.mapOptions("map", pic, 960)), "map-"+vt.version.ID+"-"+string(pic)+".svg")
}

// writeSVG sends a map as a standalone SVG file.
func (s *Server) writeSVG(w http.ResponseWriter, r *http.Request, m *geo.Map, filename string) {
	svg, err := geo.RenderString(m)
	if err != nil {
		s.pageError(w, r, parley.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", `inline; filename="`+safeFilename(filename)+`"`)
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + svg)); err != nil {
		s.log.Debug("writing a map", "path", r.URL.Path, "err", err)
	}
}

// safeFilename keeps the characters of a file name that need no quoting.
func safeFilename(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r == '.' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, name)
}

// territoryComparePage is the data of the comparison of the territory of
// two versions.
type territoryComparePage struct {
	view
	From, To   *versionTerritory
	FromLabel  string
	ToLabel    string
	FromURL    string
	ToURL      string
	Pictures   []pictureLink
	FromSVG    template.HTML
	ToSVG      template.HTML
	DiffSVG    template.HTML
	DiffSVGURL string
	Changes    []changeRow
	Status     []figureRow
	Compare    *versionChoice
	NoMap      bool
	MapURL     string
}

// changeRow is one change of reading between two versions.
type changeRow struct {
	Area     string
	Was, Now string
	Swatch   string
}

// handleTerritoryCompare shows the territory of two versions side by
// side, the map of what changed, and the changes with their areas. The
// version in the path is the later one; with names the earlier.
func (s *Server) handleTerritoryCompare(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pic, err := picture(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	to, from, changes, err := s.loadTerritoryPair(ctx, r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := &territoryComparePage{view: view{Title: "Territory: " + from.version.Label + " and " + to.version.Label, Process: to.process},
		From: from, To: to, FromLabel: from.plan.Title + ": " + from.version.Label, ToLabel: to.plan.Title + ": " + to.version.Label,
		FromURL: territoryURL(from.version.ID, pic), ToURL: territoryURL(to.version.ID, pic),
		DiffSVGURL: diffSVGURL(to.version.ID, from.version.ID, pic), NoMap: !to.drawable() && !from.drawable(), MapURL: mapPageURL(to.process.ID)}
	pg.Pictures = pictureLinks(pic, func(p territory.Picture) string { return territoryCompareURL(to.version.ID, from.version.ID, p) })
	if !pg.NoMap {
		fit := to.base.Bounds()
		fromMap := from.t.Map(from.mapOptions("from", pic, 560))
		toMap := to.t.Map(to.mapOptions("to", pic, 560))
		fromMap.Fit, toMap.Fit = fit, fit
		diff := territory.DiffMap(to.t, changes, to.diffOptions(from, pic))
		for _, m := range []struct {
			m   *geo.Map
			out *template.HTML
		}{{fromMap, &pg.FromSVG}, {toMap, &pg.ToSVG}, {diff, &pg.DiffSVG}} {
			if *m.out, err = renderMap(m.m); err != nil {
				s.pageError(w, r, err)
				return
			}
		}
	}
	for _, c := range changes {
		pg.Changes = append(pg.Changes, changeRow{Area: formatKm2(c.Km2), Was: describeReading(c.From, to.colours),
			Now: describeReading(c.To, to.colours), Swatch: territory.StatusFill(c.To.Status)})
	}
	pg.Status = compareFigures(from.t, to.t)
	if pg.Compare, err = s.territoryChoice(ctx, to, from.version.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "territory_compare.html", pg)
}

// diffOptions are the options of the difference map from version from to
// this one.
func (vt *versionTerritory) diffOptions(from *versionTerritory, pic territory.Picture) territory.MapOptions {
	o := vt.mapOptions("diff", pic, 960)
	o.Title = "What changed from " + from.version.Label + " to " + vt.version.Label
	o.Subtitle = pic.Label() + "; areas whose reading did not change are left blank"
	return o
}

// loadTerritoryPair reads the version of the path and the one named by
// the with parameter, both resolved, and what changed between them.
func (s *Server) loadTerritoryPair(ctx context.Context, r *http.Request) (to, from *versionTerritory, changes []*territory.Change, err error) {
	withID := r.URL.Query().Get("with")
	if withID == "" {
		return nil, nil, nil, parley.FieldErrorf("with", "name the version to compare with (with=...)")
	}
	if to, err = s.loadTerritory(ctx, r.PathValue("id")); err != nil {
		return nil, nil, nil, err
	}
	if from, err = s.loadTerritoryBeside(ctx, withID, to); err != nil {
		if parley.ErrorCode(err) == parley.ENOTFOUND {
			return nil, nil, nil, parley.FieldErrorf("with", "no version %q to compare with", withID)
		}
		return nil, nil, nil, err
	}
	if from.process.ID != to.process.ID {
		return nil, nil, nil, parley.FieldErrorf("with", "version %q is of another process", withID)
	}
	// What changed is read from the earlier version to the later,
	// whichever the address names first.
	if from.version.Date.After(to.version.Date) {
		from, to = to, from
	}
	key := territoryPair{from.key, to.key}
	if c, ok := s.page.changes.get(key); ok {
		return to, from, c, nil
	}
	if changes, err = territory.Diff(from.t, to.t); err != nil {
		return nil, nil, nil, parley.Internal(err)
	}
	s.page.changes.put(key, changes)
	return to, from, changes, nil
}

// territoryPair names a comparison by the keys of the territories
// compared (see resolve).
type territoryPair struct{ from, to string }

// changesSize estimates the memory of a comparison's changes.
func changesSize(cs []*territory.Change) int {
	n := 0
	for _, c := range cs {
		n += c.Area.Vertices()
	}
	return 16*n + 256
}

// describeReading says a reading in words: its status and holders.
func describeReading(r territory.Reading, ps *territory.Parties) string {
	return fmt.Sprintf("%s (in law: %s; in fact: %s)", territory.StatusLabel(r.Status), ps.Name(r.DeJureID), ps.Name(r.DeFactoID))
}

// compareFigures builds the table of areas by status for two versions.
func compareFigures(from, to *territory.Territory) []figureRow {
	byStatus := func(t *territory.Territory) map[parley.TerritoryStatus]territory.StatusFigure {
		m := map[parley.TerritoryStatus]territory.StatusFigure{}
		for _, f := range t.ByStatus {
			m[f.Status] = f
		}
		return m
	}
	a, b := byStatus(from), byStatus(to)
	var out []figureRow
	for _, st := range append(parley.TerritoryStatuses(), "") {
		fa, inA := a[st]
		fb, inB := b[st]
		if !inA && !inB {
			continue
		}
		out = append(out, figureRow{Label: territory.StatusLabel(st), Swatch: territory.StatusFill(st),
			Km2: formatKm2(fa.Km2), Share: formatShare(fa.Share), Km2b: formatKm2(fb.Km2), Shareb: formatShare(fb.Share)})
	}
	return out
}

// handleDiffSVG serves the difference map of two versions as an SVG file.
func (s *Server) handleDiffSVG(w http.ResponseWriter, r *http.Request) {
	pic, err := picture(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	to, from, changes, err := s.loadTerritoryPair(r.Context(), r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !to.drawable() && !from.drawable() {
		s.pageError(w, r, parley.Errorf(parley.ENOTFOUND, "the process has no map yet"))
		return
	}
	s.writeSVG(w, r, territory.DiffMap(to.t, changes, to.diffOptions(from, pic)), "changes-"+from.version.ID+"-"+to.version.ID+".svg")
}

// handleProvisionDelete removes a provision and goes back to its
// version's territory.
func (s *Server) handleProvisionDelete(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.svc.Territory.FindProvisionByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.svc.Territory.DeleteProvision(ctx, p.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	seeOther(w, r, territoryURL(p.VersionID, ""))
}
