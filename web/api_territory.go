package web

import (
	"context"
	"net/http"
	"strings"

	"parley"
	"parley/geo"
	"parley/territory"
)

// The territory API speaks GeoJSON (RFC 7946): a version's provisions, a
// process's regions and its lines are each a FeatureCollection, read with
// GET and added to with POST (all features stored, or none).

// maxGeoBody bounds a GeoJSON request body: a base map of many detailed
// regions fits.
const maxGeoBody = 32 << 20

// territoryAPIRoutes adds the territory endpoints.
func (s *Server) territoryAPIRoutes(mux *router) {
	mux.HandleFunc("GET /api/v1/versions/{id}/territory", s.handleAPITerritoryGet)
	mux.HandleFunc("POST /api/v1/versions/{id}/territory", s.handleAPITerritoryImport)
	mux.HandleFunc("GET /api/v1/provisions/{id}", s.handleAPIProvisionGet)
	mux.HandleFunc("PUT /api/v1/provisions/{id}", s.handleAPIProvisionPut)
	mux.HandleFunc("DELETE /api/v1/provisions/{id}", s.handleAPIProvisionDelete)
	mux.HandleFunc("GET /api/v1/processes/{id}/regions", s.handleAPIRegionList)
	mux.HandleFunc("POST /api/v1/processes/{id}/regions", s.handleAPIMapImport(parley.MaxRegions, s.importRegions))
	mux.HandleFunc("GET /api/v1/processes/{id}/lines", s.handleAPILineList)
	mux.HandleFunc("POST /api/v1/processes/{id}/lines", s.handleAPIMapImport(parley.MaxLines, s.importLines))
}

// writeGeoJSON writes a FeatureCollection as application/geo+json.
func (s *Server) writeGeoJSON(w http.ResponseWriter, r *http.Request, status int, fc *geo.FeatureCollection) {
	b, err := fc.MarshalJSON()
	if err != nil {
		s.apiError(w, r, parley.Internal(err))
		return
	}
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if _, err := w.Write(append(b, '\n')); err != nil {
		s.log.Debug("writing a response", "path", r.URL.Path, "err", err)
	}
}

// readGeoBody reads a GeoJSON request body, sent as application/geo+json
// or application/json, of at most maxGeoBody bytes.
func readGeoBody(w http.ResponseWriter, r *http.Request, lim geo.Limits) (*geo.FeatureCollection, error) {
	body, err := readBodyOf(w, r, maxGeoBody, "GeoJSON", "application/geo+json", "application/json")
	if err != nil {
		return nil, err
	}
	lim.MaxBytes = maxGeoBody
	fc, err := geo.Parse(body, lim)
	if err != nil {
		return nil, parley.FieldErrorf("geojson", "%v", err)
	}
	if err := duplicateKey(body, nil); err != nil {
		return nil, parley.FieldErrorf("geojson", "%s", parley.ErrorMessage(err))
	}
	if len(fc.Features) == 0 {
		return nil, parley.FieldErrorf("geojson", "the GeoJSON holds no feature")
	}
	return fc, nil
}

// handleAPITerritoryGet writes a version's provisions as a
// FeatureCollection: each the area it names, with its status, holders,
// point and areas in km².
func (s *Server) handleAPITerritoryGet(w http.ResponseWriter, r *http.Request) {
	s.writeTerritory(w, r, r.PathValue("id"), http.StatusOK)
}

// writeTerritory writes the provisions of version id as the reader sees
// them, as a FeatureCollection, with status.
func (s *Server) writeTerritory(w http.ResponseWriter, r *http.Request, id string, status int) {
	vt, err := s.loadTerritory(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	fc, err := vt.t.Features(vt.colours)
	if err != nil {
		s.apiError(w, r, parley.Internal(err))
		return
	}
	s.writeGeoJSON(w, r, status, fc)
}

// handleAPITerritoryImport adds the provisions of a FeatureCollection to
// a version, all or none, and answers with the version's territory.
func (s *Server) handleAPITerritoryImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, proc, err := s.findVersionInProcess(ctx, r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	fc, err := readGeoBody(w, r, geo.Limits{MaxFeatures: parley.MaxProvisions, MaxPositions: parley.MaxPositions})
	if err == nil {
		err = s.importProvisions(ctx, v, proc.ID, fc)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeTerritory(w, r, v.ID, http.StatusCreated)
}

// handleAPIProvisionGet writes one provision.
func (s *Server) handleAPIProvisionGet(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Territory.FindProvisionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

// handleAPIProvisionPut replaces a provision's fields (all but its
// process and version) with the body's.
func (s *Server) handleAPIProvisionPut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	old, err := s.svc.Territory.FindProvisionByID(ctx, r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var p parley.Provision
	if err := decodeBody(w, r, maxGeoBody, &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	p.ID, p.ProcessID, p.VersionID = old.ID, old.ProcessID, old.VersionID
	if err := s.svc.Territory.UpdateProvision(ctx, &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, &p)
}

// handleAPIProvisionDelete removes a provision.
func (s *Server) handleAPIProvisionDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Territory.DeleteProvision(r.Context(), r.PathValue("id")); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleAPIRegionList writes a process's regions as a FeatureCollection.
func (s *Server) handleAPIRegionList(w http.ResponseWriter, r *http.Request) {
	rs, err := s.svc.Territory.FindRegions(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	fc, err := territory.RegionFeatures(rs)
	if err != nil {
		s.apiError(w, r, parley.Internal(err))
		return
	}
	s.writeGeoJSON(w, r, http.StatusOK, fc)
}

// geoImportQuery reads the source parameter every import of geometry
// needs: where it comes from and under what licence.
func geoImportQuery(r *http.Request) (string, error) {
	src := strings.TrimSpace(r.URL.Query().Get("source"))
	if src == "" {
		return "", parley.FieldErrorf("source", "say where the geometry comes from and under what licence (source=...)")
	}
	return src, nil
}

// mapImport stores the features of an import into a process's map, all
// or none, and returns what it stored as GeoJSON.
type mapImport func(ctx context.Context, proc *parley.Process, fc *geo.FeatureCollection, source string) (*geo.FeatureCollection, error)

// importRegions stores regions (see territory.ReadRegions).
func (s *Server) importRegions(ctx context.Context, proc *parley.Process, fc *geo.FeatureCollection, source string) (*geo.FeatureCollection, error) {
	parties, err := s.svc.Parties.FindParties(ctx, proc.ID)
	if err != nil {
		return nil, err
	}
	rs, err := territory.ReadRegions(fc, proc.ID, source, inherit(proc.Classification), &territory.Names{Parties: parties})
	if err != nil {
		return nil, err
	}
	if err := s.svc.Territory.CreateRegions(ctx, proc.ID, rs); err != nil {
		return nil, err
	}
	return territory.RegionFeatures(rs)
}

// importLines stores lines (see territory.ReadLines).
func (s *Server) importLines(ctx context.Context, proc *parley.Process, fc *geo.FeatureCollection, source string) (*geo.FeatureCollection, error) {
	ls, err := territory.ReadLines(fc, proc.ID, source, inherit(proc.Classification))
	if err != nil {
		return nil, err
	}
	if err := s.svc.Territory.CreateLines(ctx, proc.ID, ls); err != nil {
		return nil, err
	}
	return territory.LineFeatures(ls)
}

// handleAPIMapImport answers a POST of GeoJSON (or TopoJSON) into the map
// of the process in the path, of at most maxFeatures features, stored by
// imp, with what was stored.
func (s *Server) handleAPIMapImport(maxFeatures int, imp mapImport) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		proc, err := s.svc.Processes.FindProcessByID(ctx, r.PathValue("id"))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		source, err := geoImportQuery(r)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		fc, err := readGeoBody(w, r, geo.Limits{MaxFeatures: maxFeatures, MaxPositions: parley.MaxPositions})
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		out, err := imp(ctx, proc, fc, source)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		s.writeGeoJSON(w, r, http.StatusCreated, out)
	}
}

// handleAPILineList writes a process's lines as a FeatureCollection.
func (s *Server) handleAPILineList(w http.ResponseWriter, r *http.Request) {
	ls, err := s.svc.Territory.FindLines(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	fc, err := territory.LineFeatures(ls)
	if err != nil {
		s.apiError(w, r, parley.Internal(err))
		return
	}
	s.writeGeoJSON(w, r, http.StatusOK, fc)
}
