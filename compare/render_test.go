package compare_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"parley/compare"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/render")

// renderTestdata reads a file of testdata/render.
func renderTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "render", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// renderSample compares the two drafts of testdata/render: a number change
// in point 6, a word change in 2, point 3 dropped, 7 moved to 3, 7 and 10
// added, 10 renumbered 11, the heading "Economy" renamed "Trade", and point
// 9 full of characters that need escaping.
func renderSample(tb testing.TB) *compare.Report {
	tb.Helper()
	return mustCompare(tb, renderTestdata(tb, "old.txt"), renderTestdata(tb, "new.txt"))
}

// checkRenderGolden compares got with testdata/render/name, or rewrites the file
// with -update.
func checkRenderGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "render", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update after checking):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestWriteGolden(t *testing.T) {
	r := renderSample(t)
	for _, tc := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"text.golden", func(w io.Writer) error { return compare.WriteText(w, r, compare.TextOptions{}) }},
		{"text-40.golden", func(w io.Writer) error { return compare.WriteText(w, r, compare.TextOptions{Width: 40}) }},
		{"text-color.golden", func(w io.Writer) error { return compare.WriteText(w, r, compare.TextOptions{Color: true}) }},
		{"report.html", func(w io.Writer) error {
			return compare.WriteHTML(w, r, compare.Names{OldName: "old.txt", NewName: "new.txt"})
		}},
		{"report.md", func(w io.Writer) error {
			return compare.WriteMarkdown(w, r, compare.Names{OldName: "old.txt", NewName: "new.txt"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			checkRenderGolden(t, tc.name, b.Bytes())
		})
	}
}

func renderText(t *testing.T, r *compare.Report, opt compare.TextOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := compare.WriteText(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteTextMarksChanges(t *testing.T) {
	got := renderText(t, renderSample(t), compare.TextOptions{Width: 200})
	for _, want := range []string{
		"10 → 11 points: 5 unchanged, 1 renumbered, 1 moved, 2 edited, 2 added, 1 dropped; 1 number changed",
		"edited 6 → 6 (",
		"limited to [-600,000-]{+800,000+}# personnel {+in peacetime+}.",
		"Russia, Ukraine and [-Europe-]{+NATO+} conclude",
		"moved 7 → 3\n",
		"renumbered 10 → 11\n",
		"dropped 3\n  - Russia is expected",
		"added 7\n  + Ukraine holds elections",
		`heading: "Economy" → "Trade"`,
		"  … 2 unchanged (4, 5)\n",
		`title: "Test plan (first draft)" → "Test plan (second draft)"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text view lacks %q; got:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("text view without Color has an escape code:\n%q", got)
	}
	// Unchanged points are collapsed, never shown in full.
	if strings.Contains(got, "The sovereignty of Ukraine") {
		t.Errorf("text view shows an unchanged point:\n%s", got)
	}
}

func TestWriteTextColor(t *testing.T) {
	got := renderText(t, renderSample(t), compare.TextOptions{Color: true, Width: 200})
	for _, want := range []string{
		// A number change: bold red, then bold yellow.
		"limited to \x1b[1;9;31m600,000\x1b[0m\x1b[1;33m800,000\x1b[0m personnel",
		" \x1b[32min peacetime\x1b[0m.",
		"\x1b[9;31mEurope\x1b[0m",
		"\x1b[32mNATO\x1b[0m",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("coloured view lacks %q; got:\n%q", want, got)
		}
	}
	for _, bad := range []string{"[-", "{+", "\x1b[9m"} {
		if strings.Contains(got, bad) {
			t.Errorf("coloured view has %q", bad)
		}
	}
	for i, l := range strings.Split(got, "\n") {
		if codes := ansiCode.FindAllString(l, -1); len(codes) > 0 && codes[len(codes)-1] != "\x1b[0m" {
			t.Errorf("line %d does not reset its colour at the end: %q", i+1, l)
		}
	}
}

var ansiCode = regexp.MustCompile("\x1b\\[[0-9;]*m")

// longCyrillic has long points in Russian, one with a word longer than any
// line, and a number change.
const longCyrillicOld = `План урегулирования

1. Вооружённые силы Украины ограничиваются численностью в 600 000 человек, а все иностранные войска выводятся с территории страны в течение девяноста дней после подписания соглашения.
2. Стороны создают совместную комиссию по наблюдению за выполнением соглашения, в которую входят представители посредников.
3. Сверхдлинноесловобезпробеловкотороедлиннеелюбойстрокиивсёравнодолжнобытьперенесено по символам.
`

const longCyrillicNew = `План урегулирования

1. Вооружённые силы Украины ограничиваются численностью в 800 000 человек в мирное время, а все иностранные войска выводятся с территории страны в течение ста двадцати дней после подписания соглашения.
2. Стороны создают совместную комиссию по наблюдению за выполнением соглашения.
3. Сверхдлинноесловобезпробеловкотороедлиннеелюбойстрокиивсёравнодолжнобытьперенесено по буквам.
4. Гуманитарный комитет обеспечивает обмен всех пленных по принципу «всех на всех» и возвращение гражданских лиц, включая детей, к их семьям.
`

func TestWriteTextWidth(t *testing.T) {
	r := mustCompare(t, longCyrillicOld, longCyrillicNew)
	for _, width := range []int{40, 80} {
		for _, color := range []bool{false, true} {
			got := renderText(t, r, compare.TextOptions{Width: width, Color: color})
			if !utf8.ValidString(got) {
				t.Errorf("width %d, color %v: output is not valid UTF-8", width, color)
			}
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			if len(lines) < 10 {
				t.Errorf("width %d, color %v: got %d lines, want the long points wrapped:\n%s", width, color, len(lines), got)
			}
			for i, l := range lines {
				if n := utf8.RuneCountInString(ansiCode.ReplaceAllString(l, "")); n > width {
					t.Errorf("width %d, color %v: line %d has %d characters: %q", width, color, i+1, n, l)
				}
			}
			if !color && strings.Contains(got, "\x1b") {
				t.Errorf("width %d: escape code without Color", width)
			}
			// Wrapping loses no character: the points' words are all there.
			flat := strings.Join(strings.Fields(ansiCode.ReplaceAllString(got, "")), "")
			for _, want := range []string{
				"Гуманитарныйкомитетобеспечиваетобменвсехпленных",
				"Сверхдлинноесловобезпробеловкотороедлиннеелюбойстрокиивсёравнодолжнобытьперенесено",
				"детей,кихсемьям.",
			} {
				if !strings.Contains(flat, want) {
					t.Errorf("width %d, color %v: wrapped text lost %q:\n%s", width, color, want, got)
				}
			}
		}
	}
	// Continuation lines are indented.
	got := renderText(t, r, compare.TextOptions{Width: 40})
	if !strings.Contains(got, "\n  + Гуманитарный комитет") || !strings.Contains(got, "\n    ") {
		t.Errorf("added point not prefixed and indented:\n%s", got)
	}
	if !strings.Contains(got, "{+в\n") {
		t.Errorf("insertion not marked:\n%s", got)
	}
}

func TestWriteTextDefaultWidth(t *testing.T) {
	r := mustCompare(t, longCyrillicOld, longCyrillicNew)
	got := renderText(t, r, compare.TextOptions{})
	longest := 0
	for l := range strings.SplitSeq(got, "\n") {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	if longest > 80 || longest < 70 {
		t.Errorf("longest line has %d characters, want close to the default width 80:\n%s", longest, got)
	}
}

func TestWriteTextWarningsAndDegraded(t *testing.T) {
	r := mustCompare(t, "1. One.\n3. Three.\n", "1. One.\n2. Two.\n")
	r.Summary.Degraded = []string{"candidate search stopped early"}
	got := renderText(t, r, compare.TextOptions{})
	if len(r.Summary.OldWarnings) == 0 {
		t.Fatalf("want a parser warning about the gap from 1 to 3; got none")
	}
	for _, want := range []string{
		"warnings in the old version:\n  " + r.Summary.OldWarnings[0],
		"comparison incomplete:\n  candidate search stopped early",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text view lacks %q; got:\n%s", want, got)
		}
	}
}

func TestWriteTextIdentical(t *testing.T) {
	src := "Plan\n\n1. One.\n2. Two.\n3. Three.\n"
	got := renderText(t, mustCompare(t, src, src), compare.TextOptions{})
	want := "3 → 3 points: 3 unchanged\nThe two versions are identical.\n\n  … 3 unchanged (1–3)\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteTextTinyWidth(t *testing.T) {
	got := renderText(t, mustCompare(t, longCyrillicOld, longCyrillicNew), compare.TextOptions{Width: 3})
	for i, l := range strings.Split(got, "\n") {
		if n := utf8.RuneCountInString(l); n > 20 {
			t.Errorf("width 3 (raised to 20): line %d has %d characters: %q", i+1, n, l)
		}
	}
}

const (
	mergeSplitOld = `1. The sovereignty of Ukraine is confirmed by all parties.
2. Russia and Ukraine exchange all prisoners of war on an all-for-all basis.
3. All civilian detainees and hostages, children included, are returned home.
4. The agreement is legally binding and overseen by a Peace Council.
5. Elections are held within one hundred days after signing.
`
	mergeSplitNew = `1. The sovereignty of Ukraine is confirmed by all parties.
2. Russia and Ukraine exchange all prisoners of war on an all-for-all basis, and all civilian detainees and hostages, children included, are returned home.
3. The agreement is legally binding.
4. It is overseen by a Peace Council.
5. Elections are held within one hundred days after signing.
`
)

func TestWriteMergedSplit(t *testing.T) {
	r := mustCompare(t, mergeSplitOld, mergeSplitNew)
	text := renderText(t, r, compare.TextOptions{Width: 200})
	for _, want := range []string{
		"merged 2 + 3 → 2 (",
		"all-for-all basis[-. All-]{+, and all+} civilian detainees",
		"split 4 → 3 + 4 (",
		// The new points of a split stand on lines of their own.
		"legally binding [-and-]{+.\n    It is+} overseen",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text view lacks %q; got:\n%s", want, text)
		}
	}
	html := renderHTML(t, r)
	checkWellFormedHTML(t, html)
	for _, want := range []string{
		// Each point of a group in its own paragraph, its own words marked.
		`<p class="point d0"><span class="id">2</span><span class="text">Russia and Ukraine exchange all prisoners of war on an all-for-all basis<del>.</del></span></p>` +
			`<p class="point d0"><span class="id">3</span><span class="text"><del>All</del> civilian detainees`,
		`<p class="point d0"><span class="id">3</span><span class="text">The agreement is legally binding<ins>.</ins></span></p>` +
			`<p class="point d0"><span class="id">4</span><span class="text"><ins>It is</ins> overseen by a Peace Council.</span></p>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	md := renderMarkdown(t, r)
	for _, want := range []string{
		"| merged (",
		") | 2 + 3 | 2 | Russia and Ukraine",
		"| split (",
		") | 4 | 3 + 4 | The agreement is legally binding ~~and~~ → **.<br>It is** overseen",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, md)
		}
	}
}

func renderHTML(t *testing.T, r *compare.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := compare.WriteHTML(&b, r, compare.Names{Title: "Drafts <1> & <2>", OldName: "old.txt", NewName: "new.txt"}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWriteHTML(t *testing.T) {
	got := renderHTML(t, renderSample(t))
	checkWellFormedHTML(t, got)
	for _, bad := range []string{"http://", "https://", "src=", "<script", "<link", "url(", "@import"} {
		if strings.Contains(got, bad) {
			t.Errorf("HTML contains %q; it must be self-contained and script-free", bad)
		}
	}
	for _, want := range []string{
		"<!DOCTYPE html>",
		`<html lang="en">`,
		`<meta charset="utf-8">`,
		"<title>Drafts &lt;1&gt; &amp; &lt;2&gt;</title>",
		"<caption>",
		`<th scope="col">`,
		`<th scope="row" class="op">edited`,
		"<del>600,000</del>",
		"<ins>800,000</ins>",
		`<span class="num"><ins>800,000</ins>`,
		"<ins>in peacetime</ins>",
		"<del>Europe</del>",
		"<ins>NATO</ins>",
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; an ampersand",
		`<tr class="op-moved moved">`,
		"moved from 7",
		"renumbered from 10",
		`<tr class="op-unchanged">`,
		`<tr class="heading"><th colspan="3" scope="rowgroup">Trade <span class="was">(was “Economy”)</span>`,
		`<tr class="heading"><th colspan="3" scope="rowgroup">Security</th>`,
		"@media print",
		"thead { display: table-header-group; }",
		"break-inside: avoid",
		`<li class="badge op-dropped"><b>1</b> dropped</li>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// One row per pair and one per heading.
	if n, want := strings.Count(got, `<th scope="row"`), len(renderSample(t).Pairs); n != want {
		t.Errorf("got %d pair rows, want %d", n, want)
	}
	if n := strings.Count(got, `<tr class="heading">`); n != 2 {
		t.Errorf("got %d heading rows, want 2 (Security, Trade)", n)
	}
}

func TestWriteHTMLSubPointsIndented(t *testing.T) {
	r := mustCompare(t, "1. Terms:\n   a) first term;\n   b) second term.\n", "1. Terms:\n   a) first term;\n   b) second, longer term.\n")
	got := renderHTML(t, r)
	checkWellFormedHTML(t, got)
	if !strings.Contains(got, `<p class="point d1"><span class="id">1.b</span>`) {
		t.Errorf("sub-point 1.b not indented by one level:\n%s", got)
	}
}

// checkWellFormedHTML fails the test when the HTML's elements do not nest.
func checkWellFormedHTML(t *testing.T, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("HTML is not well formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Name.Local {
				t.Fatalf("HTML closes </%s> inside %v", tok.Name.Local, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("HTML leaves open %v", stack)
	}
}

func renderMarkdown(t *testing.T, r *compare.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := compare.WriteMarkdown(&b, r, compare.Names{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// unescapedPipe finds a pipe that is not escaped by a backslash.
var unescapedPipe = regexp.MustCompile(`(^|[^\\])(\\\\)*\|`)

func TestWriteMarkdown(t *testing.T) {
	old := renderTestdata(t, "old.txt")
	new := strings.Replace(renderTestdata(t, "new.txt"), `back\slash.`, "back\\slash, changed.", 1)
	got := renderMarkdown(t, mustCompare(t, old, new))
	for _, want := range []string{
		"# Comparison: Test plan (first draft) → Test plan (second draft)\n",
		"| Op | Old | New | Changes |\n| --- | --- | --- | --- |\n",
		"~~600,000~~ → **800,000** \\# personnel **in peacetime**.",
		"back\\\\slash **, changed**.",
		"**in peacetime**",
		"| dropped | 3 |  | ~~Russia is expected",
		"| added |  | 7 | **Ukraine holds elections",
		`Trade \| tariffs: a note with \<script\>alert("x")\</script\> \& an ampersand, \*stars\* and a back\\slash`,
		"\n4 points are unchanged.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Markdown lacks %q; got:\n%s", want, got)
		}
	}
	// Every table row has exactly the five pipes of its four cells.
	for i, l := range strings.Split(got, "\n") {
		if !strings.HasPrefix(l, "|") {
			continue
		}
		if n := len(unescapedPipe.FindAllString(l, -1)); n != 5 {
			t.Errorf("line %d has %d unescaped pipes, want 5: %s", i+1, n, l)
		}
	}
}

func TestWriteMarkdownNewlines(t *testing.T) {
	r := mustCompare(t, "1. First paragraph.\n\n   Second paragraph.\n", "1. First paragraph, changed.\n\n   Second paragraph.\n")
	got := renderMarkdown(t, r)
	for l := range strings.SplitSeq(got, "\n") {
		if strings.HasPrefix(l, "| edited") && !strings.Contains(l, "<br><br>Second paragraph.") {
			t.Errorf("paragraph break not kept inside the cell: %s", l)
		}
	}
	if !strings.Contains(got, "| edited") {
		t.Errorf("no edited row:\n%s", got)
	}
}

// TestWriteMalformedReport checks that a report whose offsets do not fit its
// texts, or whose IDs are unknown, still renders rather than panicking.
func TestWriteMalformedReport(t *testing.T) {
	r := renderSample(t)
	for k := range r.Pairs {
		for c := range r.Pairs[k].Changes {
			r.Pairs[k].Changes[c].OldEnd += 1000
			r.Pairs[k].Changes[c].NewAt = -3
		}
	}
	r.Pairs = append(r.Pairs, compare.Pair{Op: compare.Edited, Old: []string{"99"}, New: []string{"98"}, Edited: true,
		Changes: []compare.Change{{Kind: "insert", New: "x", NewAt: 5, NewEnd: 9}}})
	if err := compare.WriteText(io.Discard, r, compare.TextOptions{Width: 1}); err != nil {
		t.Error(err)
	}
	got := renderText(t, r, compare.TextOptions{Width: 400})
	if !strings.Contains(got, "[-The armed forces of Ukraine are limited to 600,000 personnel.-]{+The armed forces") {
		t.Errorf("malformed changes not shown as a whole replacement:\n%s", got)
	}
	checkWellFormedHTML(t, renderHTML(t, r))
	renderMarkdown(t, r)
	empty := &compare.Report{Summary: compare.Summary{Counts: map[compare.Op]int{}}}
	for _, err := range []error{
		compare.WriteText(io.Discard, empty, compare.TextOptions{}),
		compare.WriteHTML(io.Discard, empty, compare.Names{}),
		compare.WriteMarkdown(io.Discard, empty, compare.Names{}),
	} {
		if err != nil {
			t.Error(err)
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	r := renderSample(t)
	for name, err := range map[string]error{
		"text":     compare.WriteText(failingWriter{}, r, compare.TextOptions{}),
		"html":     compare.WriteHTML(failingWriter{}, r, compare.Names{}),
		"markdown": compare.WriteMarkdown(failingWriter{}, r, compare.Names{}),
	} {
		if err == nil {
			t.Errorf("%s: got no error from a failing writer", name)
		}
	}
}

func BenchmarkWriteText(b *testing.B) {
	r := renderSample(b)
	for b.Loop() {
		if err := compare.WriteText(io.Discard, r, compare.TextOptions{Width: 60}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	r := renderSample(b)
	for b.Loop() {
		if err := compare.WriteHTML(io.Discard, r, compare.Names{}); err != nil {
			b.Fatal(err)
		}
	}
}
