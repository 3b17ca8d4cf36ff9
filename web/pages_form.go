package web

import (
	"errors"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"parley"
)

// form is an HTML form, described in Go and drawn by one template, so
// that every form labels its inputs, shows an error next to the input it
// is about and keeps what was typed when it is refused.
type form struct {
	Action string // where it posts: the address that shows it
	Submit string // the label of the button that saves
	Cancel string // where "Cancel" leads
	Fields []*field
	// Error is an error about no field of the form.
	Error string
	// Unsaved heads the summary of errors; "" means "Nothing was saved."
	Unsaved string
	// Multipart forms upload files.
	Multipart bool
	// Preview, when set, is the address of a live preview: the form then
	// has a second button that shows the preview without saving, and with
	// htmx the preview follows the typing.
	Preview string
	// Shown is the preview to show, when one was asked for.
	Shown *preview
}

// field is one input of a form. Its name is also the name parley.Error
// gives in Field when the input is wrong.
type field struct {
	Name  string
	Label string
	// Type is an <input> type (text, url, date, datetime-local, number,
	// file) or textarea, select, checkboxes or classification.
	Type     string
	Value    string
	Values   []string // ticked checkboxes; a classification's parties
	Options  []option // of a select, checkboxes, or a classification's levels
	Parties  []option // a classification's parties
	Help     string
	Error    string
	Required bool
	Rows     int    // of a textarea
	Min, Max string // of a number
	List     string // the id of a <datalist> of suggestions
	Accept   string // of a file input
	Focus    bool   // the first input with an error takes the focus
	// Suggest are the entries of the datalist named by List.
	Suggest []string
	// Live, when set, is the address the field posts its form to with
	// htmx, on the events of Trigger, to show a live preview in the
	// form's preview. The field rather than the form makes the request,
	// so that htmx does not hold it back while a required input of the
	// form is still empty.
	Live, Trigger string
}

// option is one choice of a select or a list of checkboxes.
type option struct {
	Value, Label string
	// Group is the <optgroup> an option of a select falls under.
	Group string
}

// Has reports whether v is one of the field's ticked values.
func (f *field) Has(v string) bool { return slices.Contains(f.Values, v) }

// Groups returns the options of a select cut into runs of one group.
func (f *field) Groups() []optionGroup {
	var gs []optionGroup
	for _, o := range f.Options {
		if len(gs) == 0 || gs[len(gs)-1].Label != o.Group {
			gs = append(gs, optionGroup{Label: o.Group})
		}
		gs[len(gs)-1].Options = append(gs[len(gs)-1].Options, o)
	}
	return gs
}

// optionGroup is an <optgroup>, or the options outside any when Label is
// empty.
type optionGroup struct {
	Label   string
	Options []option
}

// ID is the id of the field's input, for its label and for links to it.
func (f *field) ID() string { return "f-" + f.Name }

// Errors returns the fields with an error, for the summary above the
// form.
func (f *form) Errors() []*field {
	var out []*field
	for _, fl := range f.Fields {
		if fl.Error != "" {
			out = append(out, fl)
		}
	}
	return out
}

// field returns the form's field of that name, or nil.
func (f *form) field(name string) *field {
	for _, fl := range f.Fields {
		if fl.Name == name {
			return fl
		}
	}
	return nil
}

// fail shows err on the form: next to the input it names, which takes the
// focus, or above the form when it names none of them.
func (f *form) fail(err error) {
	msg := parley.ErrorMessage(err)
	var e *parley.Error
	if !errors.As(err, &e) {
		f.Error = msg
		return
	}
	if fl := f.field(e.Field); fl != nil && e.Field != "" {
		fl.Error, fl.Focus = msg, true
	} else {
		f.Error = msg
	}
	// Every other invalid input is marked too, so that one submission
	// shows everything to correct.
	for name, m := range e.Fields {
		if other := f.field(name); other != nil && name != "" && other.Error == "" {
			other.Error = m
		}
	}
}

// also marks the inputs that rec's own validation finds invalid, beside
// an error found while reading the form (a date that does not parse), so
// that one submission shows everything to correct. Only inputs without an
// error yet are marked. rec must have been read whole from the form.
func (f *form) also(rec interface{ Validate() error }) {
	var e *parley.Error
	if !errors.As(rec.Validate(), &e) {
		return
	}
	mark := func(name, msg string) {
		if fl := f.field(name); fl != nil && name != "" && fl.Error == "" {
			fl.Error = msg
		}
	}
	mark(e.Field, e.Message)
	for name, msg := range e.Fields {
		mark(name, msg)
	}
}

// keep puts what was submitted back into the form, so that a refused
// form shows what was typed rather than what was stored.
func (f *form) keep(vals url.Values) {
	for _, fl := range f.Fields {
		switch fl.Type {
		case "file":
		case "checkboxes":
			fl.Values = vals[fl.Name]
		case "classification":
			fl.Value, fl.Values = vals.Get(fl.Name), vals[fl.Name+"_parties"]
		default:
			fl.Value = vals.Get(fl.Name)
		}
	}
}

// Limits on the bodies of forms: a version's form carries a whole plan
// text, which may be uploaded as a file; any other form a few fields.
const (
	maxFormBody    = 1 << 20
	maxVersionForm = 8 << 20
)

// parseForm reads a form body of at most limit bytes, URL-encoded or
// multipart. A body of any other type is refused rather than read as an
// empty form, which would save a form's defaults (or fail on inputs the
// sender did fill in) in place of what was sent; a request without a
// type and without a body is an empty form, as a button alone sends.
func parseForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	ctype := r.Header.Get("Content-Type")
	mt, _, typeErr := mime.ParseMediaType(ctype)
	switch {
	case ctype == "" && r.ContentLength == 0:
	case typeErr == nil && (mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"):
	case ctype == "":
		return parley.Errorf(codeUnsupportedMedia, "The form was sent without a Content-Type; send it as a browser does, application/x-www-form-urlencoded or multipart/form-data.")
	default:
		return parley.Errorf(codeUnsupportedMedia, "The form was sent as %q; send it as a browser does, application/x-www-form-urlencoded or multipart/form-data.", cut(ctype, 100))
	}
	tooLarge := parley.Errorf(codeTooLarge, "The form is larger than the limit of %s.", formatBytes(limit))
	if r.ContentLength > limit { // refused before it is read
		return tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if mt == "multipart/form-data" {
		err = r.ParseMultipartForm(limit) // kept in memory, never on disk
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge
	case err != nil:
		// The parser's own words name its internals, not the sender's fault.
		return parley.Errorf(parley.EINVALID, "The form could not be read: it was cut short or is not a form.")
	}
	return nil
}

// formatBytes writes a size in whole megabytes, or kilobytes when it is
// less: "8 MB", "16 KB".
func formatBytes(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n>>10, 10) + " KB"
}

// formText returns a submitted text with the line ends browsers send
// ("\r\n") turned into "\n".
func formText(vals url.Values, name string) string {
	return strings.ReplaceAll(vals.Get(name), "\r\n", "\n")
}

// formLine returns a one-line input without surrounding space.
func formLine(vals url.Values, name string) string { return strings.TrimSpace(vals.Get(name)) }

// formInt reads a whole number, or 0 when the input is empty.
func formInt(vals url.Values, name, what string) (int, error) {
	v := formLine(vals, name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, parley.FieldErrorf(name, "%s must be a whole number, not %q", what, v)
	}
	return n, nil
}

// formDay reads a date ("2025-11-20", as a date input sends it) as
// midnight UTC; zero when the input is empty.
func formDay(vals url.Values, name, what string) (time.Time, error) {
	v := formLine(vals, name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, parley.FieldErrorf(name, "%s must be a date such as 2025-11-20, not %q", what, v)
	}
	return t, nil
}

// formIDs returns the ticked values of a list of checkboxes, or nil.
func formIDs(vals url.Values, name string) []string {
	var ids []string
	for _, v := range vals[name] {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(ids, v) {
			ids = append(ids, v)
		}
	}
	return ids
}

// formClassification reads a classification input. Parties ticked for a
// level that lists none are dropped: the boxes stay on screen whatever
// the level, and a reader who ticks one and then chooses "public" means
// public.
func formClassification(vals url.Values) parley.Classification {
	c := parley.Classification{Level: parley.Level(formLine(vals, "classification"))}
	if c.Level == parley.Shared || c.Level == parley.Confidential {
		c.PartyIDs = formIDs(vals, "classification_parties")
	}
	return c
}

// levelLabels say who may see a record of each level.
var levelLabels = map[parley.Level]string{
	parley.Public:        "Public: anyone with access to the process",
	parley.ProcessWide:   "Process: every participant of the process",
	parley.Shared:        "Shared: the parties ticked below, and the mediators",
	parley.Confidential:  "Confidential: the one party ticked below, and the mediators",
	parley.MediatorsOnly: "Mediators only",
}

// classificationField is the input of a record's classification: a level
// and the parties it is shared with or belongs to. inherit, when not
// empty, adds a first choice that leaves the classification unset (a
// contact then takes its channel's), labelled with it.
func classificationField(c parley.Classification, parties []*parley.Party, inherit string) *field {
	f := &field{Name: "classification", Label: "Who may see this", Type: "classification",
		Value: string(c.Level), Values: c.PartyIDs}
	if inherit != "" {
		f.Options = append(f.Options, option{Value: "", Label: inherit})
	}
	for _, l := range parley.Levels() {
		f.Options = append(f.Options, option{Value: string(l), Label: levelLabels[l]})
	}
	for _, p := range parties {
		f.Parties = append(f.Parties, option{Value: p.ID, Label: p.Name})
	}
	return f
}

// choiceOptions turns a string enumeration into options labelled as
// words ("armed_group" as "armed group").
func choiceOptions[T ~string](values ...T) []option {
	out := make([]option, len(values))
	for k, v := range values {
		out[k] = option{Value: string(v), Label: words(string(v))}
	}
	return out
}

// partyOptions lists parties to choose from, after a first choice meaning
// none when none is not empty.
func partyOptions(parties []*parley.Party, none string) []option {
	var out []option
	if none != "" {
		out = append(out, option{Value: "", Label: none})
	}
	for _, p := range parties {
		out = append(out, option{Value: p.ID, Label: p.Name})
	}
	return out
}

// sourceOptions lists sources to tick, each named by title and outlet.
func sourceOptions(sources []*parley.Source) []option {
	out := make([]option, len(sources))
	for k, src := range sources {
		out[k] = option{Value: src.ID, Label: sourceName(src)}
	}
	return out
}

// sourceName names a source by its title, or its URL, and its outlet.
func sourceName(src *parley.Source) string {
	name := src.Title
	if name == "" {
		name = src.URL
	}
	if src.Outlet != "" {
		name += " (" + src.Outlet + ")"
	}
	return name
}

// formPage is the data of a page that shows one form.
type formPage struct {
	view
	// Intro says what the form is for, above it.
	Intro string
	Form  *form
	// Badge says who may see the record the form changes, when it is
	// stored; Share is the address of its sharing form, for a reader who
	// may change who sees it.
	Badge template.HTML
	Share string
}

// statusOfForm is the status of a page that shows a refused form: 400
// for invalid input, or the error's own status.
func (s *Server) statusOfForm(r *http.Request, err error) int {
	if err == nil {
		return http.StatusOK
	}
	return s.errorStatus(r, err)
}

// isFormError reports whether err should be shown on the form that
// caused it rather than on an error page: it is about the input.
func isFormError(err error) bool {
	switch parley.ErrorCode(err) {
	case parley.EINVALID, parley.ECONFLICT, codeTooLarge:
		return true
	}
	return false
}
