package compare

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"unicode"

	"parley/plantext"
)

// WriteHTML writes the report as one self-contained HTML5 page that opens
// offline: no script, no external resource, styles inline. It shows the
// summary counts, then a table with one row per pair in report order, the
// old point on the left and the new one on the right, changed words marked
// with <del> and <ins>, and the headings of the new version as full-width
// rows. It prints in black on white with the column headers repeated on
// every page.
func WriteHTML(w io.Writer, r *Report, opt Names) error {
	bw := bufio.NewWriter(w)
	if err := htmlTemplate().Execute(bw, newHTMLPage(r, FragmentOptions{Names: opt})); err != nil {
		return err
	}
	return bw.Flush()
}

// FragmentOptions name the versions of a fragment and say where their
// points link to.
type FragmentOptions struct {
	Names
	// OldLink and NewLink, when set, turn the ID of each point of the old
	// or new version into a link to the address they return for it, such
	// as the point on a page that shows the whole version.
	OldLink, NewLink func(pointID string) string
}

// WriteHTMLFragment writes the body of the HTML report without the page
// around it: the summary counts, the table of pairs and the parser's
// warnings, for a page of another application to embed. That page gives
// the fragment its look by linking HTMLStyle as a style sheet; the
// fragment itself has no style, script or external resource.
func WriteHTMLFragment(w io.Writer, r *Report, opt FragmentOptions) error {
	return htmlTemplate().ExecuteTemplate(w, "fragment", newHTMLPage(r, opt))
}

// HTMLStyle returns the style sheet of the HTML report, which WriteHTML
// inlines and pages embedding WriteHTMLFragment serve. Its rules for the
// page as a whole (body, h1) come first, so that a sheet linked after it
// can override them.
func HTMLStyle() string { return htmlStyle }

// htmlTemplate is parsed once, when the first HTML report is written, so
// that the command line does not pay for it on every other run; a broken
// template panics on that first use, and the tests make that use.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlSource))
})

// htmlPage is what the template shows.
type htmlPage struct {
	Title            string
	OldName, NewName string
	OldTitle         string // the document title, when it differs from the name
	NewTitle         string
	Badges           []htmlBadge
	Notes            []string
	Points           string // "28 → 27 points"
	Sections         []htmlSection
	Unchanged        int
	OldWarnings      []string
	NewWarnings      []string
	Degraded         []string
}

type htmlBadge struct {
	Op    Op
	Count int
}

// htmlSection is a run of rows under one heading of the new version
// (none for the rows before the first heading).
type htmlSection struct {
	Heading    string
	HeadingWas string // the old heading, when HasWas
	HasWas     bool
	Rows       []htmlRow
}

// htmlRow is one pair.
type htmlRow struct {
	Op     Op
	Detail []string // similarity, "moved from 14", …
	Class  string
	Old    []htmlPoint
	New    []htmlPoint
}

type htmlPoint struct {
	ID, Label string
	Href      string // where the ID links to, if anywhere
	Depth     int    // capped for the indentation classes
	Spans     []htmlSpan
	Note      string // "moved from 14", "renumbered from 27"
	Moved     bool
}

type htmlSpan struct {
	Kind   string // "", "del" or "ins"
	Text   string
	Number bool
}

// maxIndent is the deepest indentation class of the page.
const maxIndent = 6

func newHTMLPage(r *Report, opt FragmentOptions) *htmlPage {
	rn := opt.resolve(r)
	oldTitle, newTitle := rn.oldDocTitle, rn.newDocTitle
	pg := &htmlPage{Title: rn.Title, OldName: rn.OldName, OldTitle: rn.OldTitle, NewName: rn.NewName, NewTitle: rn.NewTitle}
	s := r.Summary
	pg.Points, _, _ = strings.Cut(summaryLine(r), ":")
	for _, op := range Ops {
		if n := s.Counts[op]; n > 0 {
			pg.Badges = append(pg.Badges, htmlBadge{op, n})
		}
	}
	if s.Identical {
		pg.Notes = append(pg.Notes, "The two versions are identical.")
	}
	if n := s.NumberChanges; n > 0 {
		pg.Notes = append(pg.Notes, plural(n, "number, amount or date changed (marked #)", "numbers, amounts or dates changed (marked #)"))
	}
	if n := s.HeadingChanges; n > 0 {
		pg.Notes = append(pg.Notes, plural(n, "point now stands under a changed heading", "points now stand under a changed heading"))
	}
	if s.TitleChanged {
		pg.Notes = append(pg.Notes, fmt.Sprintf("Title changed: “%s” → “%s”.", oldTitle, newTitle))
	}
	if s.PreambleChanged {
		pg.Notes = append(pg.Notes, "The preamble changed.")
	}
	pg.Unchanged = s.Counts[Unchanged]
	pg.OldWarnings, pg.NewWarnings, pg.Degraded = s.OldWarnings, s.NewWarnings, s.Degraded

	old, new := pointIndex(r.Old), pointIndex(r.New)
	heading, started := "", false
	pg.Sections = []htmlSection{{}}
	for _, p := range r.Pairs {
		newPts, newText := groupText(new, p.New)
		oldPts, oldText := groupText(old, p.Old)
		if len(p.New) > 0 {
			h := newPts[0].Heading
			if h != heading || (!started && h != "") {
				sec := htmlSection{Heading: h}
				if p.OldHeading != p.NewHeading && len(p.Old) > 0 {
					sec.HeadingWas, sec.HasWas = p.OldHeading, true
				}
				if h == "" {
					sec.Heading = "(no heading)"
				}
				if len(pg.Sections[len(pg.Sections)-1].Rows) == 0 {
					pg.Sections = pg.Sections[:len(pg.Sections)-1]
				}
				pg.Sections = append(pg.Sections, sec)
			}
			heading, started = h, true
		}
		cs := checkedChanges(oldText, newText, p.Changes)
		row := htmlRow{Op: p.Op, Class: "op-" + string(p.Op)}
		row.Old = htmlPoints(oldPts, oldText, cs, true, opt.OldLink)
		row.New = htmlPoints(newPts, newText, cs, false, opt.NewLink)
		if p.Edited && len(p.Old) > 0 && len(p.New) > 0 {
			row.Detail = append(row.Detail, fmt.Sprintf("similarity %.2f", p.Similarity))
		}
		if p.LevelChanged {
			row.Detail = append(row.Detail, "level changed")
		}
		if p.Moved && len(row.New) > 0 {
			row.New[0].Note = "moved from " + strings.Join(p.Old, " + ")
			row.New[0].Moved = true
			row.Class += " moved"
		} else if p.Renumbered && len(row.New) > 0 {
			row.New[0].Note = "renumbered from " + strings.Join(p.Old, " + ")
		}
		last := &pg.Sections[len(pg.Sections)-1]
		// The section's own header already says what heading its points
		// stood under before; a row says so only when it differs.
		if p.OldHeading != p.NewHeading && len(p.Old) > 0 && len(p.New) > 0 && !(last.HasWas && last.HeadingWas == p.OldHeading) {
			row.Detail = append(row.Detail, "heading changed")
		}
		last.Rows = append(last.Rows, row)
	}
	return pg
}

// htmlPoints cuts the joined text of one side of a pair into its points,
// each with its runs of common and changed words and, when link is set,
// the address its ID links to.
func htmlPoints(pts []*plantext.Point, text string, cs []Change, old bool, link func(string) string) []htmlPoint {
	out := make([]htmlPoint, len(pts))
	lo := 0
	for k, p := range pts {
		hi := min(lo+len(p.Text), len(text))
		hp := htmlPoint{ID: p.ID, Label: p.Label, Depth: min(p.Depth, maxIndent)}
		if plainLabel(p) {
			hp.Label = ""
		}
		if link != nil {
			hp.Href = link(p.ID)
		}
		for _, s := range sideSpans(text, lo, hi, cs, old) {
			kind := ""
			switch s.kind {
			case spanDel:
				kind = "del"
			case spanIns:
				kind = "ins"
			}
			hp.Spans = append(hp.Spans, htmlSpan{Kind: kind, Text: s.text, Number: s.number})
		}
		out[k] = hp
		lo = hi + 1 // the "\n" joining the texts of a group
	}
	return out
}

// plainLabel reports whether a point's label says no more than its ID
// ("6." for point 6, "(b)" for point 10.b).
func plainLabel(p *plantext.Point) bool {
	var b strings.Builder
	for _, r := range p.Label {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.Len() > 0 && b.String() == strings.ToLower(p.Key)
}

// htmlStyle is the style sheet of the report: inline in the page that
// WriteHTML writes, and returned by HTMLStyle for pages that embed the
// fragment.
const htmlStyle = `:root { --fg: #1a1a1a; --muted: #6b6b6b; --line: #d4d4d4; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; margin: 1.5rem auto; max-width: 78rem; padding: 0 1rem; }
h1 { font-size: 1.45rem; margin: 0 0 .4rem; }
.versions { display: grid; grid-template-columns: auto 1fr; gap: .15rem .8rem; margin: 0 0 1rem; }
.versions dt { font-weight: 600; }
.versions dd { margin: 0; }
.versions .doc-title { color: var(--muted); }
.summary { margin: 0 0 1.2rem; }
.summary p { margin: .3rem 0; }
.badges { list-style: none; padding: 0; margin: .4rem 0; display: flex; flex-wrap: wrap; gap: .4rem; }
.badge { border: 2px solid; border-radius: .3rem; padding: .1rem .55rem; font-weight: 600; }
.badge b { font-size: 1.05rem; }
.notes { margin: .3rem 0; padding-left: 1.2rem; }
.op-unchanged  { --op: #6b6b6b; --op-bg: #f3f3f3; --op-border: dotted; }
.op-renumbered { --op: #1d4ed8; --op-bg: #eef3ff; --op-border: dashed; }
.op-moved      { --op: #7e22ce; --op-bg: #f6efff; --op-border: double; }
.op-edited     { --op: #a45a00; --op-bg: #fff6e5; --op-border: solid; }
.op-merged     { --op: #0f766e; --op-bg: #e8f7f5; --op-border: groove; }
.op-split      { --op: #0e6a8a; --op-bg: #e8f4fa; --op-border: ridge; }
.op-added      { --op: #157a35; --op-bg: #eaf7ee; --op-border: solid; }
.op-dropped    { --op: #b3261e; --op-bg: #fdecea; --op-border: solid; }
.badge { color: var(--op); background: var(--op-bg); border-color: var(--op); border-style: var(--op-border); }
table.pairs { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.pairs caption { text-align: left; font-weight: 600; padding: .3rem 0 .5rem; }
table.pairs thead th { text-align: left; border-bottom: 2px solid var(--fg); padding: .35rem .5rem; background: #fff; }
table.pairs col.op { width: 8.5rem; }
table.pairs td, table.pairs tbody th { vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid var(--line); }
table.pairs tbody th.op { text-align: left; font-weight: 600; color: var(--op); border-left: 5px var(--op-border) var(--op); }
th.op .detail { display: block; font-weight: 400; font-size: .85em; color: var(--muted); }
table.pairs tr.heading th { text-align: left; font-size: 1.05rem; padding: .9rem .5rem .35rem; border-bottom: 2px solid var(--fg); }
tr.heading .was { font-weight: 400; color: var(--muted); font-size: .9em; }
.point { margin: 0; }
.point + .point { margin-top: .5rem; padding-top: .5rem; border-top: 1px dashed var(--line); }
.d1 { padding-left: 1.5rem; } .d2 { padding-left: 3rem; } .d3 { padding-left: 4.5rem; }
.d4 { padding-left: 6rem; } .d5 { padding-left: 7.5rem; } .d6 { padding-left: 9rem; }
.id { font-weight: 600; font-variant-numeric: tabular-nums; margin-right: .35rem; }
.label { color: var(--muted); font-size: .85em; margin-right: .35rem; }
.text { white-space: pre-line; }
.note { display: block; font-size: .85em; font-weight: 600; color: var(--op); margin-top: .2rem; }
.none { color: var(--muted); font-style: italic; font-size: .9em; }
del { color: #9b1c15; background: #fde2df; text-decoration: line-through; text-decoration-thickness: 1px; }
ins { color: #0f5e28; background: #dcf3e2; text-decoration: underline; text-underline-offset: 2px; }
.num del, .num ins { font-weight: 700; outline: 1px solid currentColor; }
.nm { font-weight: 700; text-decoration: none; border: 1px solid currentColor; border-radius: 2px; padding: 0 2px; margin-left: 2px; font-size: .8em; }
tr.op-unchanged td { color: var(--muted); }
table.pairs tbody tr.op-unchanged th.op { font-weight: 400; border-left: 5px solid var(--line); }
table.pairs tr.op-unchanged td, table.pairs tr.op-unchanged th { padding-top: .2rem; padding-bottom: .2rem; font-size: .9em; }
tr.moved td:last-child { box-shadow: inset 3px 0 0 #7e22ce; }
.legend { font-size: .9em; color: var(--muted); }
.messages h2 { font-size: 1.1rem; margin: 1.4rem 0 .3rem; }
.messages ul { margin: .2rem 0; }
@media print {
  body { font-size: 10pt; margin: 0; max-width: none; color: #000; background: #fff; }
  *, *::before, *::after { color: #000 !important; background: transparent !important; box-shadow: none !important; }
  thead { display: table-header-group; }
  tr, .point { break-inside: avoid; page-break-inside: avoid; }
  tr.heading { break-after: avoid; page-break-after: avoid; }
  table.pairs tbody th.op { border-left-color: #000; }
  .badge { border-color: #000; }
  del { text-decoration: line-through; }
  ins { text-decoration: underline; font-weight: 600; }
  tr.op-unchanged td { color: #444 !important; }
}
`

// htmlSource is the page template. It has no script and names no
// external resource, so the page opens offline and in closed networks.
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + htmlStyle + `</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<dl class="versions">
<dt>Old</dt><dd>{{.OldName}}{{with .OldTitle}} <span class="doc-title">— {{.}}</span>{{end}}</dd>
<dt>New</dt><dd>{{.NewName}}{{with .NewTitle}} <span class="doc-title">— {{.}}</span>{{end}}</dd>
</dl>
</header>
<main>
{{template "fragment" .}}
</main>
</body>
</html>
{{define "points" -}}
{{- range . -}}
<p class="point d{{.Depth}}">{{if .Href}}<a class="id" href="{{.Href}}">{{.ID}}</a>{{else}}<span class="id">{{.ID}}</span>{{end}}{{with .Label}}<span class="label">{{.}}</span>{{end}}<span class="text">
{{- range .Spans -}}
{{- if eq .Kind "del"}}{{if .Number}}<span class="num"><del>{{.Text}}</del><abbr class="nm" title="number, amount or date changed">#</abbr></span>{{else}}<del>{{.Text}}</del>{{end}}
{{- else if eq .Kind "ins"}}{{if .Number}}<span class="num"><ins>{{.Text}}</ins><abbr class="nm" title="number, amount or date changed">#</abbr></span>{{else}}<ins>{{.Text}}</ins>{{end}}
{{- else}}{{.Text}}{{end -}}
{{- end -}}
</span>{{if .Note}}<span class="note">{{if .Moved}}<span aria-hidden="true">↕ </span>{{end}}{{.Note}}</span>{{end}}</p>
{{- else -}}
<span class="none">not in this version</span>
{{- end -}}
{{- end}}
{{- define "fragment" -}}
<section class="summary" aria-label="Summary">
<p>{{.Points}}</p>
<ul class="badges">
{{- range .Badges}}
<li class="badge op-{{.Op}}"><b>{{.Count}}</b> {{.Op}}</li>
{{- end}}
</ul>
{{- with .Notes}}
<ul class="notes">
{{- range .}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
<p class="legend">Removed words are <del>struck through</del>, added words <ins>underlined</ins>; a changed number, amount or date is in bold and marked <abbr class="nm" title="number, amount or date changed">#</abbr>.</p>
</section>
<table class="pairs">
<caption>Point by point, in the order of the new version: the old version on the left, the new one on the right</caption>
<colgroup><col class="op"><col><col></colgroup>
<thead>
<tr><th scope="col">Change</th><th scope="col">Old: {{.OldName}}</th><th scope="col">New: {{.NewName}}</th></tr>
</thead>
{{- range .Sections}}
<tbody>
{{- if .Heading}}
<tr class="heading"><th colspan="3" scope="rowgroup">{{.Heading}}{{if .HasWas}} <span class="was">(was {{with .HeadingWas}}“{{.}}”{{else}}no heading{{end}})</span>{{end}}</th></tr>
{{- end}}
{{- range .Rows}}
<tr class="{{.Class}}">
<th scope="row" class="op">{{.Op}}{{range .Detail}}<span class="detail">{{.}}</span>{{end}}</th>
<td>{{template "points" .Old}}</td>
<td>{{template "points" .New}}</td>
</tr>
{{- end}}
</tbody>
{{- end}}
</table>
{{- if or .OldWarnings .NewWarnings .Degraded}}
<section class="messages">
{{- with .OldWarnings}}
<h2>Warnings about the numbering of the old version</h2>
<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>
{{- end}}
{{- with .NewWarnings}}
<h2>Warnings about the numbering of the new version</h2>
<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>
{{- end}}
{{- with .Degraded}}
<h2>Comparison incomplete</h2>
<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>
{{- end}}
</section>
{{- end}}
{{- end}}
`
