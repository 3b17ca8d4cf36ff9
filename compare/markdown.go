package compare

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteMarkdown writes the report as a Markdown note: a heading, the
// summary as a short list, a table of the pairs that are not unchanged with
// their changes (removed words struck through, added words in bold), and
// the number of unchanged points. Point text is escaped so that it cannot
// break the table or the formatting.
func WriteMarkdown(w io.Writer, r *Report, opt Names) error {
	bw := bufio.NewWriter(w)
	rn := opt.resolve(r)
	oldTitle, newTitle := rn.oldDocTitle, rn.newDocTitle
	oldName, newName, title := rn.OldName, rn.NewName, rn.Title
	s := r.Summary

	fmt.Fprintf(bw, "# %s\n\n", mdEscape(title))
	fmt.Fprintf(bw, "- Old: %s\n", mdEscape(oldName))
	fmt.Fprintf(bw, "- New: %s\n", mdEscape(newName))
	points, counts, _ := strings.Cut(summaryLine(r), ": ")
	fmt.Fprintf(bw, "- %s\n", points)
	if counts != "" {
		fmt.Fprintf(bw, "- %s\n", counts)
	}
	if s.Identical {
		bw.WriteString("- The two versions are identical.\n")
	}
	if s.TitleChanged {
		fmt.Fprintf(bw, "- Title changed: “%s” → “%s”\n", mdEscape(oldTitle), mdEscape(newTitle))
	}
	if s.PreambleChanged {
		bw.WriteString("- The preamble changed.\n")
	}
	for _, h := range headingChanges(r.Pairs) {
		fmt.Fprintf(bw, "- Heading %s → %s: %s\n", mdHeading(h.old), mdHeading(h.new), mdEscape(h.ids()))
	}

	old, new := pointIndex(r.Old), pointIndex(r.New)
	rows := 0
	for _, p := range r.Pairs {
		if p.Op == Unchanged {
			continue
		}
		if rows == 0 {
			bw.WriteString("\n| Op | Old | New | Changes |\n| --- | --- | --- | --- |\n")
		}
		rows++
		op := string(p.Op)
		if p.Edited && len(p.Old) > 0 && len(p.New) > 0 {
			op += fmt.Sprintf(" (%.2f)", p.Similarity)
		}
		_, oldText := groupText(old, p.Old)
		_, newText := groupText(new, p.New)
		var ch strings.Builder
		switch {
		case len(p.Old) == 0:
			ch.WriteString(mdStrong(newText))
		case len(p.New) == 0:
			ch.WriteString(mdStrike(oldText))
		default:
			mdInline(&ch, oldText, newText, p.Changes)
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", op,
			mdEscape(strings.Join(p.Old, " + ")), mdEscape(strings.Join(p.New, " + ")), ch.String())
	}
	bw.WriteString("\n")
	switch n := s.Counts[Unchanged]; n {
	case 0:
		bw.WriteString("No point is unchanged.\n")
	case 1:
		bw.WriteString("1 point is unchanged.\n")
	default:
		fmt.Fprintf(bw, "%d points are unchanged.\n", n)
	}
	mdList(bw, "Warnings about the numbering of the old version", s.OldWarnings)
	mdList(bw, "Warnings about the numbering of the new version", s.NewWarnings)
	mdList(bw, "Comparison incomplete", s.Degraded)
	return bw.Flush()
}

// headingChange is one renamed heading and the points that stand under it.
type headingChange struct {
	old, new string
	points   []string // new IDs
}

// ids lists the points briefly: "8, 9" or "8–11".
func (h headingChange) ids() string {
	if len(h.points) > 3 {
		return h.points[0] + "–" + h.points[len(h.points)-1]
	}
	return strings.Join(h.points, ", ")
}

// headingChanges collects the heading changes of linked pairs, in order.
func headingChanges(pairs []Pair) []headingChange {
	var out []headingChange
	at := map[[2]string]int{}
	for _, p := range pairs {
		if p.OldHeading == p.NewHeading || len(p.Old) == 0 || len(p.New) == 0 {
			continue
		}
		key := [2]string{p.OldHeading, p.NewHeading}
		k, ok := at[key]
		if !ok {
			k = len(out)
			at[key] = k
			out = append(out, headingChange{old: p.OldHeading, new: p.NewHeading})
		}
		out[k].points = append(out[k].points, p.New...)
	}
	return out
}

// mdInline writes the new text with the changes in place: "~~old~~ →
// **new**", a changed number marked "#".
func mdInline(b *strings.Builder, oldText, newText string, cs []Change) {
	spans := inlineSpans(oldText, newText, cs)
	last := ' ' // the last character written
	for k, s := range spans {
		if s.kind == spanSame {
			text := mdEscape(s.text)
			b.WriteString(text)
			if text != "" {
				last, _ = utf8.DecodeLastRuneInString(text)
			}
			continue
		}
		text := mdEscape(strings.TrimSpace(s.text))
		if text == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(text)
		final, _ := utf8.DecodeLastRuneInString(text)
		mark := "**"
		if s.kind == spanDel {
			mark = "~~"
		}
		if isWord(last) && isMDPunct(first) {
			b.WriteByte(' ')
		}
		b.WriteString(mark + text + mark)
		last = final
		switch {
		case s.kind == spanDel && k+1 < len(spans) && spans[k+1].kind == spanIns:
			b.WriteString(" → ")
			last = ' '
		case s.number && s.last:
			b.WriteString(" \\#")
			last = '#'
		}
		if k+1 < len(spans) && spans[k+1].kind == spanSame {
			next, _ := utf8.DecodeRuneInString(spans[k+1].text)
			if isMDPunct(last) && isWord(next) {
				b.WriteByte(' ')
			}
		}
	}
}

// isWord and isMDPunct classify the characters around emphasis marks:
// Markdown reads "a**,b**" and "**b,**c" as plain asterisks, so a space
// goes between a word and a mark that punctuation follows or precedes.
func isWord(r rune) bool    { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func isMDPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// mdStrike and mdStrong mark a run of text, keeping the marks next to the
// words (Markdown ignores "~~ text~~").
func mdStrike(s string) string { return mdWrap(s, "~~") }
func mdStrong(s string) string { return mdWrap(s, "**") }

func mdWrap(s, mark string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return mdEscape(s)
	}
	return mark + mdEscape(t) + mark
}

// mdEscaper escapes text for a Markdown table cell: the characters that
// start or end formatting, pipes, backslashes, and line breaks.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`",
	"[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "&", `\&`,
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)

func mdEscape(s string) string { return strings.Map(visible, mdEscaper.Replace(s)) }

// mdList writes a titled list, if it has items.
func mdList(w *bufio.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "- %s\n", mdEscape(it))
	}
}

// mdHeading quotes a group heading for the summary, or says there is none.
func mdHeading(h string) string {
	if h == "" {
		return "(none)"
	}
	return "“" + mdEscape(h) + "”"
}
