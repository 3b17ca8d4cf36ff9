package web

import (
	"context"
	"net/http"
	"strconv"

	"parley"
)

// dashboardLatest is how many of its latest contacts and sources a
// process's dashboard shows.
const dashboardLatest = 15

// listPageSize is how many records a page of a full list shows.
const listPageSize = 100

// maxListPage bounds the page number asked for, so that the offset it
// makes stays reasonable.
const maxListPage = 1_000_000

// contactListURL and sourceListURL are the addresses of the full lists of
// a process's contacts and sources.
func contactListURL(processID string) string { return processURL(processID) + "/contacts" }
func sourceListURL(processID string) string  { return processURL(processID) + "/sources" }

// latest says how many records of a kind a list of the latest shows of
// how many the reader may see, and links to them all.
type latest struct {
	// Summary is "15 of 3,042 contacts, the latest first.", or "" when the
	// list shows them all.
	Summary string
	// All is the address of the full list, named AllLabel ("All
	// contacts"); "" when there is nothing to list.
	All, AllLabel string
}

// newLatest is what a list of shown records of a kind (what, as
// "contacts") in an order says of the total the reader may see, whose
// full list is at all.
func newLatest(shown, total int, what, order, all string) latest {
	l := latest{}
	if total > shown {
		l.Summary = thousands(shown) + " of " + thousands(total) + " " + what + ", " + order + "."
	}
	if total > 0 {
		l.All, l.AllLabel = all, "All "+what
	}
	return l
}

// thousands writes a whole number with commas between its thousands, as
// "3,042".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// loadFrame reads a process and the records that frame it, its parties,
// people and channels: few, and named by every list of its records.
func (s *Server) loadFrame(ctx context.Context, processID string) (*choices, error) {
	ch := &choices{}
	var err error
	if ch.process, err = s.svc.Processes.FindProcessByID(ctx, processID); err != nil {
		return nil, err
	}
	if ch.parties, err = s.svc.Parties.FindParties(ctx, processID); err != nil {
		return nil, err
	}
	if ch.people, err = s.svc.People.FindPeople(ctx, processID); err != nil {
		return nil, err
	}
	if ch.channels, err = s.svc.Channels.FindChannels(ctx, processID); err != nil {
		return nil, err
	}
	return ch, nil
}

// listPage is the data of a page of a full list of a process's records.
type listPage struct {
	view
	Names *names
	// Contacts is the page of a list of contacts; Table that of a list
	// of sources.
	Contacts []*parley.Contact
	Table    *recordTable
	// Page is the page shown, from 1; Pages how many there are.
	Page, Pages int
	// Summary says which records the page shows of how many the reader
	// may see, in which order; Empty is said when there are none.
	Summary, Empty string
	// Newer and Older are the addresses of the pages around this one.
	Newer, Older string
	// What names the records, as "contacts"; New is the address of the
	// form of a new one, named NewLabel.
	What, New, NewLabel string
}

// listPageNumber reads the page a full list is asked for (?page=N, 1 when
// absent), or reports EINVALID saying what a page number is.
func listPageNumber(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxListPage {
		return 0, parley.FieldErrorf("page", "The page must be a whole number from 1 to %s, not %q.", thousands(maxListPage), v)
	}
	return n, nil
}

// newListPage fills in the pages of a full list at base of total records
// of a kind (one, many), of which count are on page page, in order;
// ENOTFOUND for a page past the last (the first always exists, empty or
// not).
func newListPage(proc *parley.Process, base, one, what, order string, page, count, total int) (*listPage, error) {
	pages := (total + listPageSize - 1) / listPageSize
	if last := max(pages, 1); page > last {
		have := "are " + thousands(last) + " pages"
		if last == 1 {
			have = "is 1 page"
		}
		return nil, parley.Errorf(parley.ENOTFOUND, "There is no page %d of the %s of this process: there %s.", page, what, have)
	}
	pg := &listPage{view: view{Title: capitalize(what) + " of " + proc.Name, Process: proc}, Page: page, Pages: pages,
		What: what, Empty: "No " + one + " yet."}
	switch from := (page-1)*listPageSize + 1; {
	case count == 0:
	case pages == 1 && total == 1:
		pg.Summary = "The only " + one + "."
	case pages == 1:
		pg.Summary = "All " + thousands(total) + " " + what + ", " + order + "."
	default:
		pg.Summary = capitalize(what) + " " + thousands(from) + " to " + thousands(from+count-1) + " of " + thousands(total) + ", " + order + "."
	}
	if page > 1 {
		pg.Newer = base + "?page=" + strconv.Itoa(page-1)
	}
	if page < pages {
		pg.Older = base + "?page=" + strconv.Itoa(page+1)
	}
	return pg, nil
}

// handleContactList shows every contact of a process the reader may see,
// the latest first, a page at a time (?page=N).
func (s *Server) handleContactList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page, err := listPageNumber(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ch, err := s.loadFrame(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pid := ch.process.ID
	contacts, total, err := s.svc.Contacts.FindRecentContacts(ctx, pid, listPageSize, (page-1)*listPageSize)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg, err := newListPage(ch.process, contactListURL(pid), "contact", "contacts", "the latest first", page, len(contacts), total)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Contacts, pg.Names = contacts, newNames(ch.parties, ch.people, ch.channels, nil, contacts, nil)
	pg.New, pg.NewLabel = processURL(pid)+"/contacts/new", "New contact"
	s.render(w, r, http.StatusOK, "list.html", pg)
}

// handleSourceList shows every source of a process the reader may see,
// the latest published first, a page at a time (?page=N).
func (s *Server) handleSourceList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page, err := listPageNumber(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// The channels and people name nothing in a list of sources.
	pid := r.PathValue("id")
	proc, err := s.svc.Processes.FindProcessByID(ctx, pid)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	parties, err := s.svc.Parties.FindParties(ctx, pid)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	sources, total, err := s.svc.Sources.FindRecentSources(ctx, pid, listPageSize, (page-1)*listPageSize)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg, err := newListPage(proc, sourceListURL(pid), "source", "sources", "the latest published first, undated ones last", page, len(sources), total)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	pg.Names = newNames(parties, nil, nil, sources, nil, nil)
	t := sourceTable(pid, sources, pg.Names, parley.ActorFrom(ctx).In(pid))
	pg.Table, pg.New, pg.NewLabel = &t, t.New, t.NewLabel
	s.render(w, r, http.StatusOK, "list.html", pg)
}
