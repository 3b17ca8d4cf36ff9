package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"parley"
)

// auditPageSize is how many audit records one page of the log shows.
const auditPageSize = 50

// maxAuditPage bounds the page number asked for, so that the offset it
// makes stays reasonable.
const maxAuditPage = 1_000_000

// auditPage is the data of a process's audit log.
type auditPage struct {
	view
	Rows []auditRow
	// Page is the page shown, from 1; Pages how many there are.
	Page, Pages, Total int
	// From and To number the records shown, counted from the newest.
	From, To int
	// Newer and Older are the addresses of the pages around this one.
	Newer, Older string
}

// auditRow is one record of the log, with the records it names linked
// and the parties in its detail named.
type auditRow struct {
	*parley.AuditRecord
	Records []auditRef
	// More counts the records named beyond the first maxAuditRefs.
	More   int
	Detail string
}

// maxAuditRefs is how many of the records an audit record names are
// shown: a read of a list names every record in it.
const maxAuditRefs = 12

// auditRef is a record an audit record names, linked to its page when it
// has one.
type auditRef struct{ Text, URL string }

// handleAuditPage shows a process's audit log, newest first, a page at a
// time (?page=N): when, who, what they did, to which records. Only the
// process's mediators may read it; the store refuses everyone else
// (403 for the other members, 404 for anyone else).
func (s *Server) handleAuditPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	processID := r.PathValue("id")
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAuditPage {
			s.pageError(w, r, parley.FieldErrorf("page", "The page must be a whole number from 1 to %d, not %q.", maxAuditPage, v))
			return
		}
		page = n
	}
	// The process first: a member who may not see it (an observer of a
	// process-wide one) finds nothing, as for a process that does not
	// exist, rather than a refusal that says it does.
	proc, err := s.svc.Processes.FindProcessByID(ctx, processID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	recs, total, err := s.svc.Audit.FindAuditRecords(ctx, parley.AuditFilter{ProcessID: processID,
		Offset: (page - 1) * auditPageSize, Limit: auditPageSize})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	parties, err := s.svc.Parties.FindParties(ctx, processID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg := &auditPage{view: view{Title: "Audit log of " + proc.Name, Process: proc}, Page: page, Total: total,
		Pages: (total + auditPageSize - 1) / auditPageSize}
	base := processURL(processID) + "/audit"
	if page > 1 {
		pg.Newer = base + "?page=" + strconv.Itoa(min(page-1, max(pg.Pages, 1)))
	}
	if page < pg.Pages {
		pg.Older = base + "?page=" + strconv.Itoa(page+1)
	}
	if len(recs) > 0 {
		pg.From, pg.To = (page-1)*auditPageSize+1, (page-1)*auditPageSize+len(recs)
	}
	n := newNames(parties, nil, nil, nil, nil, nil)
	named := partyNamer(parties)
	users := map[string]string{}
	for _, rec := range recs {
		row := auditRow{AuditRecord: rec, Detail: named.Replace(rec.Detail)}
		for k, id := range rec.IDs {
			if k == maxAuditRefs {
				row.More = len(rec.IDs) - k
				break
			}
			row.Records = append(row.Records, s.auditRef(ctx, rec.Kind, id, n, users))
		}
		pg.Rows = append(pg.Rows, row)
	}
	s.render(w, r, http.StatusOK, "audit.html", pg)
}

// auditRef names and links a record of kind named by an audit record:
// parties and users by name, the others by kind and ID, each linked to
// its page or form. users caches the names of users looked up.
func (s *Server) auditRef(ctx context.Context, kind, id string, n *names, users map[string]string) auditRef {
	e := url.PathEscape(id)
	switch kind {
	case "process":
		return auditRef{Text: "process " + id, URL: processURL(id)}
	case "party":
		name := n.Party(id)
		if name == id {
			name = "party " + id
		}
		return auditRef{Text: name, URL: "/parties/" + e + "/edit"}
	case "person":
		return auditRef{Text: "person " + id, URL: "/people/" + e + "/edit"}
	case "channel":
		return auditRef{Text: "channel " + id, URL: "/channels/" + e + "/edit"}
	case "source":
		return auditRef{Text: "source " + id, URL: "/sources/" + e + "/edit"}
	case "contact":
		return auditRef{Text: "contact " + id, URL: contactURL(id)}
	case "plan":
		return auditRef{Text: "plan " + id, URL: planURL(id)}
	case "version":
		return auditRef{Text: "version " + id, URL: versionURL(id)}
	case "point":
		if v, p, ok := strings.Cut(id, "/"); ok {
			return auditRef{Text: "point " + p + " of version " + v, URL: pointURL(v, p)}
		}
	case "user":
		name, ok := users[id]
		if !ok {
			name = "user " + id
			if u, err := s.svc.Users.FindUserByID(ctx, id); err == nil {
				name = u.Name
			}
			users[id] = name
		}
		return auditRef{Text: name}
	}
	if kind == "" {
		return auditRef{Text: id}
	}
	return auditRef{Text: kind + " " + id}
}
