package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley"
)

// emptyPlan adds a plan without versions to the fixture's process.
func emptyPlan(tb testing.TB, f *fixture, templateID string) *parley.Plan {
	tb.Helper()
	p := &parley.Plan{ProcessID: f.process.ID, Title: "Draft plan", TemplateID: templateID, Classification: parley.Classification{Level: parley.Public}}
	must(tb, f.env.Svc.Plans.CreatePlan(f.env.Ctx, p))
	return p
}

// versionsOf counts the versions of a plan.
func versionsOf(tb testing.TB, f *fixture, planID string) int {
	tb.Helper()
	p, err := f.env.Svc.Plans.FindPlanByID(System, planID)
	must(tb, err)
	return len(p.Versions)
}

// numberingText has a gap in its numbering, which the parser warns about.
const numberingText = "Draft\n\n1. A ceasefire along the line of contact.\n3. Elections within a year.\n   a) observed by the OSCE;\n"

func TestVersionFormPreview(t *testing.T) {
	f := newFixture(t)
	plan := emptyPlan(t, f, "")
	path := "/plans/" + plan.ID + "/versions/new"
	p := pageGet(t, f.env, path).want(t, http.StatusOK)
	p.has(t, `enctype="multipart/form-data"`, `hx-post="/plans/`+plan.ID+`/versions/preview"`, `hx-target="#preview"`,
		`<button type="submit" name="action" value="preview" class="secondary">Preview</button>`,
		`<label for="f-text">Text`, `<input type="file" id="f-file" name="file"`, `<div id="preview" aria-live="polite">`)

	// Without JavaScript: the Preview button posts the form, which comes
	// back with the preview and with what was typed, and nothing is saved.
	form := url.Values{"label": {"First draft"}, "date": {"2025-11-01"}, "status": {"draft"}, "classification": {"public"},
		"text": {strings.ReplaceAll(numberingText, "\n", "\r\n")}, "action": {"preview"}}
	p = pagePost(t, f.env, path, form).want(t, http.StatusOK)
	p.has(t, "<strong>2 points</strong> (3 with their sub-points), under the title “Draft”",
		"Warnings about the numbering", `<span class="where">Line 4, column 1:</span>`,
		`<span class="label">3.</span>`, `<span class="pid" title="Point ID">3.a</span>`,
		`value="First draft"`, "1. A ceasefire along the line of contact.")
	// With htmx: the preview alone.
	req, err := http.NewRequest(http.MethodPost, f.env.URL+"/plans/"+plan.ID+"/versions/preview", strings.NewReader(form.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	frag := pageDo(t, f.env, req).want(t, http.StatusOK)
	frag.has(t, "<strong>2 points</strong>", "Line 4, column 1:")
	frag.hasNot(t, "<html", "<form")
	// A text without points cannot be saved, and the preview says so.
	form.Set("text", "Just prose, no numbered points.")
	pagePost(t, f.env, path, form).want(t, http.StatusOK).has(t, "This text cannot be saved: The text has no numbered points")
	if n := versionsOf(t, f, plan.ID); n != 0 {
		t.Errorf("previews stored %d versions, want none", n)
	}
}

func TestVersionFormSave(t *testing.T) {
	f := newFixture(t)
	plan := emptyPlan(t, f, "")
	path := "/plans/" + plan.ID + "/versions/new"
	form := url.Values{"label": {"First draft"}, "date": {"2025-11-01"}, "status": {"tabled"}, "author_party_id": {f.russia.ID},
		"source_ids": {f.source.ID}, "classification": {"public"}, "text": {numberingText}, "action": {"save"}}

	// Refusals keep the text and say what is wrong where.
	p := pagePost(t, f.env, path, merge(form, url.Values{"label": {""}})).want(t, http.StatusBadRequest)
	if msg := p.fieldError("label"); msg != "label is required" {
		t.Errorf("got %q next to the label", msg)
	}
	p.has(t, "1. A ceasefire along the line of contact.")
	p = pagePost(t, f.env, path, merge(form, url.Values{"date": {"1st of May"}})).want(t, http.StatusBadRequest)
	if msg := p.fieldError("date"); !strings.Contains(msg, "must be a date such as 2025-11-20") {
		t.Errorf("got %q next to the date", msg)
	}
	p = pagePost(t, f.env, path, merge(form, url.Values{"text": {"No points here."}})).want(t, http.StatusBadRequest)
	if msg := p.fieldError("text"); !strings.Contains(msg, "no numbered points") {
		t.Errorf("got %q next to the text", msg)
	}
	if n := versionsOf(t, f, plan.ID); n != 0 {
		t.Fatalf("refused forms stored %d versions", n)
	}

	to := pagePost(t, f.env, path, form).wantRedirect(t, "/versions/")
	v := pageGet(t, f.env, to).want(t, http.StatusOK)
	v.has(t, "<h1>First draft</h1>", "Russia", "A report", "Warnings about the numbering", "A ceasefire along the line of contact.")

	// An uploaded file replaces the text area.
	file := []byte("Second draft\n\n1. A ceasefire.\n2. Elections.\n")
	form.Set("label", "Second draft")
	form.Set("date", "2025-11-05")
	to = pagePostMultipart(t, f.env, path, form, "file", "draft.txt", file).wantRedirect(t, "/versions/")
	pageGet(t, f.env, to).want(t, http.StatusOK).has(t, "<h1>Second draft</h1>", "Elections.", "from <a href=")
	// A file that is not UTF-8 is refused next to the upload, saying why.
	utf16 := []byte{0xFF, 0xFE, '1', 0, '.', 0, ' ', 0, 'A', 0}
	p = pagePostMultipart(t, f.env, path, form, "file", "draft-utf16.txt", utf16).want(t, http.StatusBadRequest)
	if msg := p.fieldError("file"); !strings.Contains(msg, "draft-utf16.txt") || !strings.Contains(msg, "UTF-16") {
		t.Errorf("got %q next to the file", msg)
	}
	if n := versionsOf(t, f, plan.ID); n != 2 {
		t.Errorf("got %d versions, want 2", n)
	}
}

// TestPlanFromTemplate: a plan modelled on another starts its first
// version from the structure of the other's latest version.
func TestPlanFromTemplate(t *testing.T) {
	f := newFixture(t)
	in := "/processes/" + f.process.ID
	pageGet(t, f.env, in+"/plans/new?template="+f.plan.ID).want(t, http.StatusOK).
		has(t, `<option value="`+f.plan.ID+`" selected>Peace plan</option>`)
	to := pagePost(t, f.env, in+"/plans/new", url.Values{"title": {"Plan for Sudan"}, "template_id": {f.plan.ID},
		"classification": {"public"}}).wantRedirect(t, "/plans/")
	p := pageGet(t, f.env, to).want(t, http.StatusOK)
	p.has(t, "Plan for Sudan\n\n", "## Sovereignty and security", "1. [", "modelled on point 1]", // the framework's structure
		"<strong>20 points</strong>") // and its preview
}

func TestUnknownVersionForm(t *testing.T) {
	f := newFixture(t)
	path := "/plans/" + f.plan.ID + "/versions/new-unknown"
	pageGet(t, f.env, path).want(t, http.StatusOK).has(t, `<label for="f-point_count">Number of points reported`, `name="reported_changes"`)
	form := url.Values{"label": {"Abu Dhabi draft"}, "date": {"2025-12-01"}, "status": {"leaked"}, "classification": {"public"},
		"point_count": {""}, "reported_changes": {"Point 7 now <em>allows</em> observers."}}
	p := pagePost(t, f.env, path, form).want(t, http.StatusBadRequest)
	if msg := p.fieldError("point_count"); !strings.Contains(msg, "reported number of points") {
		t.Errorf("got %q next to the number of points", msg)
	}
	form.Set("point_count", "twelve")
	p = pagePost(t, f.env, path, form).want(t, http.StatusBadRequest)
	if msg := p.fieldError("point_count"); !strings.Contains(msg, "whole number") {
		t.Errorf("got %q next to the number of points", msg)
	}
	form.Set("point_count", "12")
	to := pagePost(t, f.env, path, form).wantRedirect(t, "/versions/")
	pageGet(t, f.env, to).want(t, http.StatusOK).has(t, "Text unknown", "<strong>12 points</strong>",
		"Point 7 now &lt;em&gt;allows&lt;/em&gt; observers.", "leaked")
}

// FuzzVersionPreview posts any text to the preview: it answers 200 with
// the text escaped, whatever the text, and stores nothing.
func FuzzVersionPreview(f *testing.F) {
	for _, seed := range []string{
		"", numberingText, "1. One\n2. Two\n", "1. A\n1. A again\n", "## Heading\n\n1. x\n   a) y\n      i) z\n",
		"<script>alert(1)</script>\n1. <b>x</b> & y", "\xff\xfe1\x00.\x00", "1.\n\n\n2.", "Point 1: a\nArticle 2 b\n• c",
	} {
		f.Add(seed)
	}
	fx := newFixture(f)
	plan := emptyPlan(f, fx, "")
	target := fx.env.URL + "/plans/" + plan.ID + "/versions/preview"
	f.Fuzz(func(t *testing.T, text string) {
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader("text="+url.QueryEscape(text)))
		must(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		p := pageDo(t, fx.env, req).want(t, http.StatusOK)
		if strings.Contains(p.Body, "<script") || strings.Contains(p.Body, "<b>") {
			t.Errorf("the preview of %q is not escaped", text)
		}
		if n := versionsOf(t, fx, plan.ID); n != 0 {
			t.Fatalf("a preview stored %d versions", n)
		}
	})
}

// TestVersionFormShowsEveryError: a date that does not exist, an empty
// label and an empty text are all marked after one submission.
func TestVersionFormShowsEveryError(t *testing.T) {
	fx := newFixture(t)
	plan := emptyPlan(t, fx, "")
	p := pagePost(t, fx.env, "/plans/"+plan.ID+"/versions/new", url.Values{"label": {""}, "date": {"2026-02-30"},
		"status": {"draft"}, "text": {""}, "classification": {"public"}, "action": {"save"}}).want(t, http.StatusBadRequest)
	for _, field := range []string{"date", "label", "text"} {
		if p.fieldError(field) == "" {
			t.Errorf("no error next to %s", field)
		}
	}
	if n := versionsOf(t, fx, plan.ID); n != 0 {
		t.Errorf("a refused form stored %d versions", n)
	}
}
