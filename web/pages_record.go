package web

import (
	"context"
	"net/http"
	"net/url"

	"parley"
)

// choices are the records of a process that forms offer to choose from.
type choices struct {
	process  *parley.Process
	parties  []*parley.Party
	people   []*parley.Person
	channels []*parley.Channel
	sources  []*parley.Source
	contacts []*parley.Contact
	plans    []*parley.Plan
	// version, regions and lines are read only for the forms that need
	// them (see recordForm.load).
	version *parley.Version
	regions []*parley.Region
	lines   []*parley.Line
}

// loadChoices reads every record of a process a form may offer; forms
// are rare enough that one read of each list costs less than knowing
// which ones a form needs.
func (s *Server) loadChoices(ctx context.Context, processID string) (*choices, error) {
	ch, err := s.loadFrame(ctx, processID)
	if err != nil {
		return nil, err
	}
	if ch.sources, err = s.svc.Sources.FindSources(ctx, processID); err != nil {
		return nil, err
	}
	if ch.contacts, err = s.svc.Contacts.FindContacts(ctx, processID); err != nil {
		return nil, err
	}
	if ch.plans, err = s.svc.Plans.FindPlans(ctx, processID); err != nil {
		return nil, err
	}
	return ch, nil
}

// recordForm describes one kind of record to the generic form handlers
// below: how to start a new one, find, create and update one, draw its
// form and read it back.
type recordForm[T any] struct {
	noun string // "party", in headings: "New party"
	// start returns a new record in the parent named by the path (a
	// process, or a plan for a version) and the parent's process.
	start func(s *Server, r *http.Request) (*T, string, error)
	// store returns how the record is read and written.
	store func(parley.Services) recordStore[T]
	// process returns the process a stored record belongs to.
	process func(*T) string
	// name names a stored record, in the heading of its edit form.
	name   func(*T) string
	fields func(rec *T, ch *choices) []*field
	// read sets the record from the submitted form. It reads every input
	// it can, then fails with an EINVALID error naming the first input it
	// could not read, so that the record's own checks can mark the rest.
	read func(vals url.Values, rec *T, ch *choices) error
	// done is where to go once the record is saved; back is where
	// "Cancel" leads.
	done, back func(*T) string
	// intro says what the form is for.
	intro string
	// target returns a stored record as its sharing form sees it, for
	// its badge and a link to the form; nil for a new record. Nil for
	// kinds without one.
	target func(svc parley.Services, rec *T, ch *choices) *shareTarget
	// limit bounds the form's body; 0 means maxFormBody.
	limit int64
	// load reads what the form offers besides the process's records
	// (the points of a version); nil for kinds that need nothing more.
	load func(ctx context.Context, svc parley.Services, rec *T, ch *choices) error
}

// choices loads what the form of rec, in process processID, offers.
func (k *recordForm[T]) choices(ctx context.Context, s *Server, rec *T, processID string) (*choices, error) {
	ch, err := s.formChoices(ctx, processID)
	if err != nil || k.load == nil {
		return ch, err
	}
	return ch, k.load(ctx, s.svc, rec, ch)
}

// recordStore is how one kind of record is read and written: methods of
// its service.
type recordStore[T any] struct {
	find           func(context.Context, string) (*T, error)
	create, update func(context.Context, *T) error
}

// inProcess returns the start of a record in the process named by the
// path: blank returns a new record in that process, which usually takes
// the process's classification.
func inProcess[T any](blank func(*parley.Process) *T) func(*Server, *http.Request) (*T, string, error) {
	return func(s *Server, r *http.Request) (*T, string, error) {
		proc, err := s.svc.Processes.FindProcessByID(r.Context(), r.PathValue("id"))
		if err != nil {
			return nil, "", err
		}
		return blank(proc), proc.ID, nil
	}
}

// showRecordForm draws the form of rec with status, and err on it.
func showRecordForm[T any](s *Server, w http.ResponseWriter, r *http.Request, k *recordForm[T], rec *T, ch *choices, title, submit string, err error) {
	f := &form{Action: r.URL.Path, Submit: submit, Cancel: k.back(rec), Fields: k.fields(rec, ch)}
	if r.Method == http.MethodPost {
		f.keep(r.PostForm)
	}
	if err != nil {
		f.fail(err)
		if v, ok := any(rec).(interface{ Validate() error }); ok && isFormError(err) {
			f.also(v) // read reads every input it can
		}
	}
	pg := &formPage{view: view{Title: title, Process: ch.process}, Intro: k.intro, Form: f}
	// A refused form holds what was sent, not what is stored: the badge
	// is shown with the stored record only.
	if k.target != nil && r.Method == http.MethodGet {
		if t := k.target(s.svc, rec, ch); t != nil {
			pg.Badge = t.badge(newNames(ch.parties, nil, ch.channels, nil, nil, nil))
			if t.mayShare(parley.ActorFrom(r.Context()).In(t.processID)) {
				pg.Share = t.shareURL
			}
		}
	}
	s.render(w, r, s.statusOfForm(r, err), "form.html", pg)
}

// newRecordPage shows the empty form of a new record.
func newRecordPage[T any](s *Server, k *recordForm[T]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, processID, err := k.start(s, r)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		ch, err := k.choices(r.Context(), s, rec, processID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		showRecordForm(s, w, r, k, rec, ch, "New "+k.noun, "Create "+k.noun, nil)
	}
}

// createRecordPage creates a record from its form, or shows the form
// again with what is wrong.
func createRecordPage[T any](s *Server, k *recordForm[T]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, processID, err := k.start(s, r)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		saveRecordForm(s, w, r, k, rec, processID, "New "+k.noun, "Create "+k.noun, k.store(s.svc).create)
	}
}

// editRecordPage shows the form of a stored record.
func editRecordPage[T any](s *Server, k *recordForm[T]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, err := k.store(s.svc).find(r.Context(), r.PathValue("id"))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		ch, err := k.choices(r.Context(), s, rec, k.process(rec))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		showRecordForm(s, w, r, k, rec, ch, "Edit "+k.noun+" “"+k.name(rec)+"”", "Save changes", nil)
	}
}

// updateRecordPage saves the form of a stored record, or shows it again
// with what is wrong.
func updateRecordPage[T any](s *Server, k *recordForm[T]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, err := k.store(s.svc).find(r.Context(), r.PathValue("id"))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		saveRecordForm(s, w, r, k, rec, k.process(rec), "Edit "+k.noun+" “"+k.name(rec)+"”", "Save changes", k.store(s.svc).update)
	}
}

// saveRecordForm reads a posted form into rec and saves it with save, then
// redirects to the record; or shows the form again, with the error next
// to the input it is about.
func saveRecordForm[T any](s *Server, w http.ResponseWriter, r *http.Request, k *recordForm[T], rec *T, processID, title, submit string,
	save func(context.Context, *T) error) {
	ch, err := k.choices(r.Context(), s, rec, processID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	limit := k.limit
	if limit == 0 {
		limit = maxFormBody
	}
	if err = parseForm(w, r, limit); err == nil {
		if err = k.read(r.PostForm, rec, ch); err == nil {
			err = save(r.Context(), rec)
		}
	}
	switch {
	case err == nil:
		seeOther(w, r, k.done(rec))
	case isFormError(err):
		showRecordForm(s, w, r, k, rec, ch, title, submit, err)
	default:
		s.pageError(w, r, err)
	}
}

// formChoices loads the choices of a process, or none for a record
// outside any process (a new process).
func (s *Server) formChoices(ctx context.Context, processID string) (*choices, error) {
	if processID == "" {
		return &choices{}, nil
	}
	return s.loadChoices(ctx, processID)
}
