package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"parley"
)

// apiRoutes is the route table of the JSON API. Every route but the
// build version needs an API token or a session (see authenticate).
func (s *Server) apiRoutes(mux *router) {
	s.public(mux, "GET /api/v1/version", s.handleAPIBuildVersion)

	mux.HandleFunc("GET /api/v1/processes", s.handleAPIProcessList)
	mux.HandleFunc("POST /api/v1/processes", s.handleAPIProcessCreate)
	mux.HandleFunc("GET /api/v1/processes/{id}", s.handleAPIProcessGet)
	mux.HandleFunc("PATCH /api/v1/processes/{id}", s.handleAPIProcessUpdate)
	mux.HandleFunc("GET /api/v1/processes/{id}/search", s.handleAPIProcessSearch)

	mux.HandleFunc("GET /api/v1/processes/{id}/issues", s.handleAPIIssueList)
	mux.HandleFunc("POST /api/v1/processes/{id}/issues", s.handleAPIIssueCreate)
	mux.HandleFunc("GET /api/v1/issues/{id}", s.handleAPIIssueGet)
	mux.HandleFunc("PATCH /api/v1/issues/{id}", s.handleAPIIssueUpdate)
	mux.HandleFunc("GET /api/v1/processes/{id}/preferences", s.handleAPIPreferencesList)
	mux.HandleFunc("PUT /api/v1/processes/{id}/preferences/{party}", s.handleAPIPreferencesSet)
	mux.HandleFunc("GET /api/v1/processes/{id}/analysis", s.handleAPIAnalysis)

	mux.HandleFunc("GET /api/v1/processes/{id}/parties", s.handleAPIPartyList)
	mux.HandleFunc("POST /api/v1/processes/{id}/parties", s.handleAPIPartyCreate)
	mux.HandleFunc("GET /api/v1/parties/{id}", s.handleAPIPartyGet)
	mux.HandleFunc("PATCH /api/v1/parties/{id}", s.handleAPIPartyUpdate)

	mux.HandleFunc("GET /api/v1/processes/{id}/people", s.handleAPIPersonList)
	mux.HandleFunc("POST /api/v1/processes/{id}/people", s.handleAPIPersonCreate)
	mux.HandleFunc("GET /api/v1/people/{id}", s.handleAPIPersonGet)
	mux.HandleFunc("PATCH /api/v1/people/{id}", s.handleAPIPersonUpdate)

	mux.HandleFunc("GET /api/v1/processes/{id}/channels", s.handleAPIChannelList)
	mux.HandleFunc("POST /api/v1/processes/{id}/channels", s.handleAPIChannelCreate)
	mux.HandleFunc("GET /api/v1/channels/{id}", s.handleAPIChannelGet)
	mux.HandleFunc("PATCH /api/v1/channels/{id}", s.handleAPIChannelUpdate)

	mux.HandleFunc("GET /api/v1/processes/{id}/contacts", s.handleAPIContactList)
	mux.HandleFunc("POST /api/v1/processes/{id}/contacts", s.handleAPIContactCreate)
	mux.HandleFunc("GET /api/v1/contacts/{id}", s.handleAPIContactGet)
	mux.HandleFunc("PATCH /api/v1/contacts/{id}", s.handleAPIContactUpdate)

	mux.HandleFunc("GET /api/v1/processes/{id}/sources", s.handleAPISourceList)
	mux.HandleFunc("POST /api/v1/processes/{id}/sources", s.handleAPISourceCreate)
	mux.HandleFunc("GET /api/v1/sources/{id}", s.handleAPISourceGet)
	mux.HandleFunc("PATCH /api/v1/sources/{id}", s.handleAPISourceUpdate)

	mux.HandleFunc("GET /api/v1/processes/{id}/plans", s.handleAPIPlanList)
	mux.HandleFunc("POST /api/v1/processes/{id}/plans", s.handleAPIPlanCreate)
	mux.HandleFunc("GET /api/v1/plans/{id}", s.handleAPIPlanGet)
	mux.HandleFunc("PATCH /api/v1/plans/{id}", s.handleAPIPlanUpdate)

	mux.HandleFunc("POST /api/v1/plans/{id}/versions", s.handleAPIVersionCreate)
	mux.HandleFunc("GET /api/v1/versions/{id}", s.handleAPIVersionGet)
	mux.HandleFunc("PATCH /api/v1/versions/{id}/points/{point}", s.handleAPIPointUpdate)
	mux.HandleFunc("GET /api/v1/versions/{id}/points/{point}/history", s.handleAPIPointHistory)
	mux.HandleFunc("GET /api/v1/versions/{id}/positions", s.handleAPIPositionList)
	mux.HandleFunc("PUT /api/v1/versions/{id}/points/{point}/positions/{party}", s.handleAPIPositionSet)
	mux.HandleFunc("GET /api/v1/positions/{id}", s.handleAPIPositionGet)
	s.territoryAPIRoutes(mux)

	mux.HandleFunc("GET /api/v1/compare", s.handleAPICompare)

	// Anything else under /api/ gets a JSON error rather than the mux's
	// plain-text one. One pattern per method, because a method-less
	// "/api/" would conflict with a page route such as "GET /".
	for _, m := range apiMethods {
		mux.HandleFunc(m+" /api/", s.handleAPINoRoute)
	}
}

// apiMethods are the methods the API answers, in the order an Allow
// header lists them.
var apiMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}

// Request body limits: a version carries a whole plan text, anything else
// a few fields.
const (
	maxBody        = 1 << 20
	maxVersionBody = 8 << 20
)

// handleAPIBuildVersion reports the version of the running build.
func (s *Server) handleAPIBuildVersion(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, map[string]string{"version": s.ver})
}

// handleAPINoRoute answers a request that matches no API route: 405 with
// an Allow header when the path exists for other methods, 404 otherwise.
func (s *Server) handleAPINoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range apiMethods {
		_, pattern := s.mux.Handler(&http.Request{Method: m, URL: r.URL, Host: r.Host})
		if pattern != "" && pattern != m+" /api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.apiError(w, r, parley.Errorf(parley.ENOTFOUND, "no API endpoint %s", r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.apiError(w, r, parley.Errorf(codeMethodNotAllowed, "%s %s is not supported (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", ")))
}

// apiErrorBody is the JSON form of every API error.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

// apiErrorDetail says what went wrong: a code for programs, a message for
// people and, when the error is about one input, its name.
type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Fields has a message for every invalid field, when several are.
	Fields map[string]string `json:"fields,omitempty"`
}

// apiError writes err as a JSON error with the status of its code.
// Internal errors are logged and shown only as "internal error".
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status := s.errorStatus(r, err)
	setRetryAfter(w, err)
	d := apiErrorDetail{Code: parley.EINTERNAL, Message: "internal error"}
	var e *parley.Error
	if status != http.StatusInternalServerError && errors.As(err, &e) {
		d = apiErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field, Fields: e.Fields}
	}
	s.writeJSON(w, r, status, apiErrorBody{d})
}

// writeJSON writes v as the JSON response. It encodes before writing, so
// that a failure can still be reported with its status.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		if _, isError := v.(apiErrorBody); !isError { // no loop if an error cannot be encoded
			s.apiError(w, r, parley.Internal(err))
		}
		return
	}
	setJSONHeaders(w)
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.log.Debug("writing a response", "path", r.URL.Path, "err", err)
	}
}

// setJSONHeaders marks a response as JSON that must not be sniffed as
// anything else.
func setJSONHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// writeCreated answers a create with 201, the record and its address.
func (s *Server) writeCreated(w http.ResponseWriter, r *http.Request, collection, id string, v any) {
	w.Header().Set("Location", "/api/v1/"+collection+"/"+url.PathEscape(id))
	s.writeJSON(w, r, http.StatusCreated, v)
}

// apiList is the JSON form of every list.
type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// writeList writes a page of items out of total; an empty list is [],
// never null.
func writeList[T any](s *Server, w http.ResponseWriter, r *http.Request, items []T, total int) {
	if items == nil {
		items = []T{}
	}
	s.writeJSON(w, r, http.StatusOK, apiList[T]{items, total})
}

// maxPage bounds the limit parameter of lists.
const maxPage = 1000

// page reads the optional offset and limit parameters of a list; a limit
// of 0 means all.
func page(r *http.Request) (offset, limit int, err error) {
	if offset, err = intParam(r, "offset", 0, 0, 1<<31-1); err != nil {
		return 0, 0, err
	}
	limit, err = intParam(r, "limit", 0, 1, maxPage)
	return offset, limit, err
}

// pageOf cuts a page out of a list held in memory.
func pageOf[T any](items []T, offset, limit int) []T {
	items = items[min(offset, len(items)):]
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}

// intParam reads an integer query parameter between lo and hi, or def
// when it is absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, parley.FieldErrorf(name, "%s must be a whole number from %d to %d, not %q", name, lo, hi, v)
	}
	return n, nil
}

// readBody reads a JSON request body of at most limit bytes. It refuses
// a body that is not declared as JSON (415), one that is too large (413)
// and one that is not UTF-8, which encoding/json would otherwise quietly
// turn into U+FFFD.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	return readBodyOf(w, r, limit, "JSON", "application/json")
}

// readBodyOf is readBody for a body of one of the media types, the first
// of which an error names (what names the format).
func readBodyOf(w http.ResponseWriter, r *http.Request, limit int64, what string, types ...string) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slices.Contains(types, mt) || (params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		return nil, parley.Errorf(codeUnsupportedMedia, "the request body must be %s, sent with Content-Type: %s", what, types[0])
	}
	tooLarge := parley.Errorf(codeTooLarge, "the request body is larger than the limit of %d bytes", limit)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge
	case err != nil:
		return nil, parley.Errorf(parley.EINVALID, "the request body could not be read: it was cut short")
	}
	if !utf8.Valid(body) {
		i := 0
		for i < len(body) {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return nil, parley.Errorf(parley.EINVALID, "the request body is not valid UTF-8 (byte offset %d)", i)
	}
	return body, nil
}

// decodeBody reads a JSON object of at most limit bytes onto v.
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	return decodeJSON(body, v)
}

// decodePatch reads a JSON object onto the record v for a PATCH: every
// field present in the body replaces the record's field whole (a partial
// classification object does not merge with the stored one, and null
// clears), every absent field stays.
func decodePatch(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r, maxBody)
	if err != nil {
		return err
	}
	var present map[string]json.RawMessage
	if json.Unmarshal(body, &present) == nil {
		rv := reflect.ValueOf(v).Elem()
		for key := range present {
			if f, ok := jsonField(rv.Type(), key); ok {
				rv.FieldByIndex(f.Index).SetZero()
			}
		}
	}
	return decodeJSON(body, v)
}

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// decodeJSON decodes one JSON object onto v, rejecting unknown fields and
// anything after the object, and turns the decoder's errors into EINVALID
// errors that say where (byte offset) or which field.
func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		// null decodes into anything without a word; it is not an object.
		if bytes.HasPrefix(bytes.TrimLeft(body, jsonSpace), []byte("null")) {
			return parley.Errorf(parley.EINVALID, "the request body must be a JSON object, not null")
		}
		if rest := bytes.TrimLeft(body[dec.InputOffset():], jsonSpace); len(rest) > 0 {
			return parley.Errorf(parley.EINVALID, "unexpected data after the JSON object (byte offset %d)", len(body)-len(rest))
		}
		return duplicateKey(body, reflect.TypeOf(v))
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		app    *parley.Error
	)
	switch {
	case errors.Is(err, io.EOF):
		return parley.Errorf(parley.EINVALID, "the request body is empty; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return parley.Errorf(parley.EINVALID, "the JSON ends early (byte offset %d)", len(body))
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the bad one included.
		return parley.Errorf(parley.EINVALID, "invalid JSON at byte offset %d: %s", max(syntax.Offset-1, 0), strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ) && typ.Field == "":
		return parley.Errorf(parley.EINVALID, "the request body must be a JSON object, not %s", typ.Value)
	case errors.As(err, &typ):
		return parley.FieldErrorf(typ.Field, "%s must be %s, not %s", typ.Field, jsonKind(typ.Type), typ.Value)
	case errors.As(err, &app):
		return app
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return parley.FieldErrorf(name, "unknown field %q", name)
	}
	// A field's own decoder failed (a malformed time); find which.
	name, ft := blame(body, reflect.TypeOf(v).Elem())
	if ft == reflect.TypeFor[time.Time]() {
		return parley.FieldErrorf(name, "%s must be a date and time in RFC 3339 form, such as \"2025-11-20T10:00:00Z\"", name)
	}
	return parley.FieldErrorf(name, "%s is not valid: %v", name, err)
}

// duplicateKey refuses a JSON document in which one object holds a key
// twice: encoding/json keeps the last quietly, where another reader of
// the same body (a proxy that checks it, a log) would take the first, so
// that what was checked and what is stored could differ. Keys that name
// the same field of a struct count as one, since encoding/json matches
// them without regard to case. t is the type the document decodes into,
// nil when it is not known (its keys are then compared as they are).
// body is valid JSON.
func duplicateKey(body []byte, t reflect.Type) error {
	var stack []*jsonFrame
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or an error decodeJSON has reported
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.keys != nil && top.key {
			k, isKey := tok.(string)
			if !isKey { // the object's closing brace
				stack = stack[:len(stack)-1]
				valueRead(stack)
				continue
			}
			name := top.member(k)
			if top.keys[name] {
				msg := fmt.Sprintf("the key %q appears twice in one JSON object (again just before byte offset %d): send it once", k, dec.InputOffset())
				if len(stack) == 1 {
					return parley.FieldErrorf(k, "%s", msg)
				}
				return parley.Errorf(parley.EINVALID, "%s", msg)
			}
			top.keys[name], top.key = true, false
			continue
		}
		// A value: the document, an element of an array or the value
		// of an object's member.
		vt := t
		if top != nil {
			vt = top.value()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{t: jsonType(vt), keys: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, &jsonFrame{t: jsonType(vt)})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueRead(stack)
		default:
			valueRead(stack)
		}
	}
}

// jsonFrame is an object or an array that duplicateKey is reading.
type jsonFrame struct {
	t    reflect.Type    // what it decodes into; nil when not known
	keys map[string]bool // the keys read so far; nil for an array
	key  bool            // the next token of an object is a key
	next reflect.Type    // the type of the last key's value
}

// member notes that key k was read, and returns the name it counts as:
// the field it decodes into, for a struct.
func (f *jsonFrame) member(k string) string {
	f.next = nil
	switch {
	case f.t == nil:
	case f.t.Kind() == reflect.Struct:
		if sf, ok := jsonField(f.t, k); ok {
			f.next = sf.Type
			return sf.Name
		}
		return strings.ToLower(k)
	case f.t.Kind() == reflect.Map:
		f.next = f.t.Elem()
	}
	return k
}

// value returns the type of the value about to be read in f: an
// element's, or the last key's value's.
func (f *jsonFrame) value() reflect.Type {
	if f.keys != nil {
		return f.next
	}
	if f.t != nil && (f.t.Kind() == reflect.Slice || f.t.Kind() == reflect.Array) {
		return f.t.Elem()
	}
	return nil
}

// valueRead notes that a value has been read in the frame at the top of
// the stack: in an object, a key comes next.
func valueRead(stack []*jsonFrame) {
	if len(stack) > 0 && stack[len(stack)-1].keys != nil {
		stack[len(stack)-1].key = true
	}
}

// jsonType is t without pointers, or nil when values of t decode
// themselves (a time, a geometry), whose keys are then compared as they
// are.
func jsonType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil
	}
	return t
}

// blame returns the top-level field of body that does not decode into
// its field of t, and that field's type.
func blame(body []byte, t reflect.Type) (string, reflect.Type) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return "", nil
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f, ok := jsonField(t, k)
		if ok && json.Unmarshal(fields[k], reflect.New(f.Type).Interface()) != nil {
			return k, f.Type
		}
	}
	return "", nil
}

// jsonField returns the field of struct type t that encoding/json decodes
// key into (matching names without regard to case, as it does).
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonKind says in JSON terms what a Go type holds.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

// record describes, to the generic handlers below, a kind of record that
// lives in a process (parties, people, channels, contacts, sources, plans).
type record[T any] struct {
	collection string // its segment in URLs: "parties"
	find       func(context.Context, string) (*T, error)
	list       func(context.Context, string) ([]*T, error)
	create     func(context.Context, *T) error
	update     func(context.Context, *T) error
	fields     func(*T) recordFields
}

// recordFields points into a record at the fields the handlers set
// themselves rather than take from a request body.
type recordFields struct {
	id        *string
	processID *string    // nil for a process
	created   *time.Time // nil when the record keeps no creation time
	// classification is nil for a record whose classification, when
	// omitted, comes from something other than its process (a contact
	// takes its channel's) or from nothing (a process).
	classification *parley.Classification
}

// listRecords lists the records of a process.
func listRecords[T any](s *Server, w http.ResponseWriter, r *http.Request, rec record[T]) {
	offset, limit, err := page(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	// Asked first so that an unknown process is 404, whatever the store
	// does with a list of nothing.
	if _, err := s.svc.Processes.FindProcessByID(r.Context(), r.PathValue("id")); err != nil {
		s.apiError(w, r, err)
		return
	}
	items, err := rec.list(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeList(s, w, r, pageOf(items, offset, limit), len(items))
}

// createRecord creates a record in the process of the path from the
// request body. The path decides the process; the store sets the ID and
// timestamps; a record without a classification takes its process's.
func createRecord[T any](s *Server, w http.ResponseWriter, r *http.Request, rec record[T]) {
	proc, err := s.svc.Processes.FindProcessByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	v := new(T)
	if err := decodeBody(w, r, maxBody, v); err != nil {
		s.apiError(w, r, err)
		return
	}
	f := rec.fields(v)
	*f.id, *f.processID = "", proc.ID
	if c := f.classification; c != nil && c.Level == "" && len(c.PartyIDs) == 0 {
		*c = inherit(proc.Classification)
	}
	if err := rec.create(r.Context(), v); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeCreated(w, r, rec.collection, *f.id, v)
}

// inherit returns a copy of a parent's classification for a child record,
// so that the two never share a slice.
func inherit(c parley.Classification) parley.Classification {
	c.PartyIDs = slices.Clone(c.PartyIDs)
	return c
}

// getRecord writes the record named by the path.
func getRecord[T any](s *Server, w http.ResponseWriter, r *http.Request, rec record[T]) {
	v, err := rec.find(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

// patchRecord changes the fields of the record named by the path that the
// request body holds. The ID, the process and the creation time stay
// whatever the body says.
func patchRecord[T any](s *Server, w http.ResponseWriter, r *http.Request, rec record[T]) {
	stored, err := rec.find(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	v := new(T)
	*v = *stored
	if err := decodePatch(w, r, v); err != nil {
		s.apiError(w, r, err)
		return
	}
	f, old := rec.fields(v), rec.fields(stored)
	*f.id = *old.id
	if f.processID != nil {
		*f.processID = *old.processID
	}
	if f.created != nil {
		*f.created = *old.created
	}
	if err := rec.update(r.Context(), v); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}
