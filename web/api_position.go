package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"parley"
)

// positionInput is the body of PUT
// /api/v1/versions/{id}/points/{point}/positions/{party}: what a client
// says of a party's position. The path names the party, version and
// point; the store sets the ID and the time.
type positionInput struct {
	Stance  parley.Stance `json:"stance"`
	Note    string        `json:"note"`
	Counter string        `json:"counter"`
	// Classification, when omitted, is confidential to the party.
	Classification *parley.Classification `json:"classification"`
}

// handleAPIPositionList lists the positions on a version that the reader
// may see (parameter party keeps one party's), by the point's order and
// party.
func (s *Server) handleAPIPositionList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	offset, limit, err := page(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.svc.Plans.FindVersionByID(ctx, r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	plan, err := s.svc.Plans.FindPlanByID(ctx, v.PlanID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	filter := parley.PositionFilter{ProcessID: plan.ProcessID, VersionID: v.ID, PartyID: r.URL.Query().Get("party")}
	if filter.PartyID != "" {
		// A party of another process, one the reader may not see and a
		// made-up one are the same bad parameter.
		p, err := s.svc.Parties.FindPartyByID(ctx, filter.PartyID)
		if err != nil && parley.ErrorCode(err) != parley.ENOTFOUND {
			s.apiError(w, r, err)
			return
		}
		if p == nil || p.ProcessID != plan.ProcessID {
			s.apiError(w, r, parley.FieldErrorf("party", "no party %q in the process of version %q", filter.PartyID, v.ID))
			return
		}
	}
	positions, err := s.svc.Positions.FindPositions(ctx, filter)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeList(s, w, r, pageOf(positions, offset, limit), len(positions))
}

// handleAPIPositionSet sets a party's position on a point, replacing the
// one it had, and answers with the position stored.
func (s *Server) handleAPIPositionSet(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, err := s.svc.Plans.FindVersionByID(ctx, r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	plan, err := s.svc.Plans.FindPlanByID(ctx, v.PlanID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in positionInput
	if err := decodePositionBody(w, r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p := &parley.Position{ProcessID: plan.ProcessID, PartyID: r.PathValue("party"), VersionID: v.ID, PointID: r.PathValue("point"),
		Stance: in.Stance, Note: in.Note, Counter: in.Counter,
		Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{r.PathValue("party")}}}
	if in.Classification != nil {
		p.Classification = *in.Classification
	}
	if err := s.svc.Positions.SetPosition(ctx, p); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

// handleAPIPositionGet returns one position.
func (s *Server) handleAPIPositionGet(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Positions.FindPositionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

// decodePositionBody reads a position's body like decodeBody, but names
// the field whose text is not UTF-8, where decodeBody gives only the
// byte offset: a note pasted from a document in another encoding is the
// usual cause, and its field says where to look.
func decodePositionBody(w http.ResponseWriter, r *http.Request, v any) error {
	var seen bytes.Buffer
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(r.Body, &seen), r.Body}
	body, err := readBody(w, r, maxBody)
	if err != nil {
		raw := seen.Bytes()
		if parley.ErrorCode(err) == parley.EINVALID && !utf8.Valid(raw) {
			at := invalidUTF8At(raw)
			if name := fieldAt(raw, at); name != "" {
				return parley.FieldErrorf(name, "%s is not valid UTF-8 (byte offset %d of the body)", name, at)
			}
		}
		return err
	}
	return decodeJSON(body, v)
}

// invalidUTF8At returns the offset of the first byte of b that is not
// UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// fieldAt returns the top-level field of a JSON object whose name or
// value holds byte offset at, or "" when there is none (the offset is
// outside any field, or body is not an object).
func fieldAt(body []byte, at int) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	depth, key, wantKey := 0, "", false
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return ""
			}
			return key // the value that fails to decode is the key's
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
				wantKey = depth == 1 && d == '{'
			default:
				depth--
				wantKey = depth == 1
			}
		} else if depth == 1 && wantKey {
			key, _ = tok.(string)
			wantKey = false
			if int(dec.InputOffset()) > at {
				return "" // in a field's name, which names nothing
			}
			continue
		} else if depth == 1 {
			wantKey = true
		}
		if int(dec.InputOffset()) > at {
			if depth == 0 {
				return ""
			}
			return key
		}
	}
}
