package plantext_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"parley/plantext"
)

// mustParse parses src and checks the document invariants.
func mustParse(tb testing.TB, src string) *plantext.Document {
	tb.Helper()
	doc, err := plantext.Parse([]byte(src))
	if err != nil {
		tb.Fatalf("Parse(%q): %v", src, err)
	}
	checkDocument(tb, doc, []byte(src))
	return doc
}

// outline lists the points of doc in pre-order as "ID [Label] Text".
func outline(doc *plantext.Document) []string {
	var out []string
	for _, p := range doc.All() {
		out = append(out, fmt.Sprintf("%s [%s] %s", p.ID, p.Label, p.Text))
	}
	return out
}

// checkOutline fails t unless src parses to the outline want.
func checkOutline(t *testing.T, src string, want []string) *plantext.Document {
	t.Helper()
	doc := mustParse(t, src)
	if got := outline(doc); !slices.Equal(got, want) {
		t.Errorf("Parse(%q):\ngot\n\t%s\nwant\n\t%s", src, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	return doc
}

func TestLabelForms(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		label string
		key   string
		style string
		kind  plantext.Kind
		ord   int
		text  string
	}{
		{"number dot", "1. Sovereignty", "1.", "1", "1.", plantext.KindNumber, 1, "Sovereignty"},
		{"number paren", "12) Elections", "12)", "12", "1)", plantext.KindNumber, 12, "Elections"},
		{"number in parens", "(3) Guarantees", "(3)", "3", "(1)", plantext.KindNumber, 3, "Guarantees"},
		{"number colon", "4: Dialogue", "4:", "4", "1:", plantext.KindNumber, 4, "Dialogue"},
		{"number hyphen", "5 - Guarantees", "5 -", "5", "1 -", plantext.KindNumber, 5, "Guarantees"},
		{"number en dash", "6 – Army", "6 –", "6", "1 -", plantext.KindNumber, 6, "Army"},
		{"number em dash", "7 — NATO", "7 —", "7", "1 -", plantext.KindNumber, 7, "NATO"},
		{"leading zero", "08. Troops", "08.", "8", "1.", plantext.KindNumber, 8, "Troops"},
		{"two levels", "2.1 Scope", "2.1", "2-1", "1.1", plantext.KindNumber, 1, "Scope"},
		{"two levels dot", "2.1. Scope", "2.1.", "2-1", "1.1.", plantext.KindNumber, 1, "Scope"},
		{"three levels", "2.1.3 Detail", "2.1.3", "2-1-3", "1.1.1", plantext.KindNumber, 3, "Detail"},
		{"Point colon", "Point 3: Russia", "Point 3:", "3", "Point 1", plantext.KindNumber, 3, "Russia"},
		{"POINT capitals", "POINT 3. Russia", "POINT 3.", "3", "Point 1", plantext.KindNumber, 3, "Russia"},
		{"Article", "Article 12 Final", "Article 12", "12", "Article 1", plantext.KindNumber, 12, "Final"},
		{"Article roman", "Article IV Final", "Article IV", "iv", "Article I", plantext.KindRomanUpper, 4, "Final"},
		{"Art.", "Art. 5 Defence", "Art. 5", "5", "Art. 1", plantext.KindNumber, 5, "Defence"},
		{"Section", "Section 2. Scope", "Section 2.", "2", "Section 1", plantext.KindNumber, 2, "Scope"},
		{"Clause dash", "Clause 9 - Amnesty", "Clause 9 -", "9", "Clause 1", plantext.KindNumber, 9, "Amnesty"},
		{"section sign", "§ 4 Sanctions", "§ 4", "4", "§ 1", plantext.KindNumber, 4, "Sanctions"},
		{"section sign unspaced", "§4 Sanctions", "§4", "4", "§ 1", plantext.KindNumber, 4, "Sanctions"},
		{"Russian keyword", "Пункт 7. НАТО", "Пункт 7.", "7", "Пункт 1", plantext.KindNumber, 7, "НАТО"},
		{"Ukrainian keyword", "Стаття 2 Мир", "Стаття 2", "2", "Стаття 1", plantext.KindNumber, 2, "Мир"},
		{"Greek keyword", "Άρθρο 3 Ειρήνη", "Άρθρο 3", "3", "Άρθρο 1", plantext.KindNumber, 3, "Ειρήνη"},
		{"letter dot", "a. Crimea", "a.", "a", "a.", plantext.KindLower, 1, "Crimea"},
		{"letter paren", "b) Kherson", "b)", "b", "a)", plantext.KindLower, 2, "Kherson"},
		{"letter in parens", "(c) Donetsk", "(c)", "c", "(a)", plantext.KindLower, 3, "Donetsk"},
		{"capital letter", "B. Economy", "B.", "b", "A.", plantext.KindUpper, 2, "Economy"},
		{"capital in parens", "(D) Zones", "(D)", "d", "(A)", plantext.KindUpper, 4, "Zones"},
		{"roman lower", "iv. Detail", "iv.", "iv", "i.", plantext.KindRomanLower, 4, "Detail"},
		{"roman lower paren", "ii) Detail", "ii)", "ii", "i)", plantext.KindRomanLower, 2, "Detail"},
		{"roman in parens", "(iii) Detail", "(iii)", "iii", "(i)", plantext.KindRomanLower, 3, "Detail"},
		{"roman upper", "XIV. Part", "XIV.", "xiv", "I.", plantext.KindRomanUpper, 14, "Part"},
		{"lone i is roman", "i. First", "i.", "i", "i.", plantext.KindRomanLower, 1, "First"},
		{"lone I is roman", "I. First", "I.", "i", "I.", plantext.KindRomanUpper, 1, "First"},
		{"lone v is a letter", "v. Fifth", "v.", "v", "a.", plantext.KindLower, 22, "Fifth"},
		{"lone C is a letter", "C. Third", "C.", "c", "A.", plantext.KindUpper, 3, "Third"},
		{"Cyrillic letter", "б) Херсон", "б)", "б", "a)", plantext.KindLower, 2, "Херсон"},
		{"Greek letter", "γ) Τρίτο", "γ)", "γ", "a)", plantext.KindLower, 3, "Τρίτο"},
		{"bullet", "• Ceasefire", "•", "#1", "•", plantext.KindBullet, 0, "Ceasefire"},
		{"hyphen bullet", "- Ceasefire", "-", "#1", "-", plantext.KindBullet, 0, "Ceasefire"},
		{"asterisk bullet", "* Ceasefire", "*", "#1", "*", plantext.KindBullet, 0, "Ceasefire"},
		{"arrow bullet", "→ Ceasefire", "→", "#1", "→", plantext.KindBullet, 0, "Ceasefire"},
		{"en dash bullet", "– Ceasefire", "–", "#1", "–", plantext.KindBullet, 0, "Ceasefire"},
		{"em dash bullet", "— Ceasefire", "—", "#1", "—", plantext.KindBullet, 0, "Ceasefire"},
		{"white bullet", "◦ Ceasefire", "◦", "#1", "◦", plantext.KindBullet, 0, "Ceasefire"},
		{"label alone", "3.", "3.", "3", "1.", plantext.KindNumber, 3, ""},
		{"no-break space after label", "3.\u00a0Text", "3.", "3", "1.", plantext.KindNumber, 3, "Text"},
		{"tab after label", "3)\tText", "3)", "3", "1)", plantext.KindNumber, 3, "Text"},
		{"zero-width space after label", "3.\u200bText", "3.", "3", "1.", plantext.KindNumber, 3, "Text"},
		{"indented", "   (a) Text", "(a)", "a", "(a)", plantext.KindLower, 1, "Text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustParse(t, "Plan\n\n"+tt.line+"\n")
			if len(doc.Points) != 1 {
				t.Fatalf("got %d points %q, want 1", len(doc.Points), outline(doc))
			}
			p := doc.Points[0]
			if p.Label != tt.label {
				t.Errorf("Label: got %q, want %q", p.Label, tt.label)
			}
			if p.Key != tt.key || p.ID != tt.key {
				t.Errorf("Key, ID: got %q, %q, want %q", p.Key, p.ID, tt.key)
			}
			if got := p.Style.String(); got != tt.style {
				t.Errorf("Style: got %q, want %q", got, tt.style)
			}
			if p.Style.Kind != tt.kind {
				t.Errorf("Kind: got %d, want %d", p.Style.Kind, tt.kind)
			}
			if p.Ordinal != tt.ord {
				t.Errorf("Ordinal: got %d, want %d", p.Ordinal, tt.ord)
			}
			if p.Text != tt.text {
				t.Errorf("Text: got %q, want %q", p.Text, tt.text)
			}
		})
	}
}

func TestNotLabels(t *testing.T) {
	for _, line := range []string{
		"U.S. officials said so.",
		"i.e. nothing changes.",
		"e.g. the Dnipro.",
		"12345678. Eight digits are not a point number.",
		"1.x is not a label.",
		"-dash without a space",
		"*emphasis* is not a bullet",
		"(a)b glued",
		"(12 unclosed",
		"Pointless remarks.",
		"Points 3 and 4 are linked.",
		"Article5 glued",
		"100 days after signing.",
		"10% of the territory.",
		"NATO. A sentence.",
		"1 -2 is a range.",
		"ab) two letters",
	} {
		t.Run(line, func(t *testing.T) {
			doc := mustParse(t, "Plan\n\nThe preamble starts here.\n"+line+"\n")
			if len(doc.Points) != 0 {
				t.Errorf("got points %q, want none", outline(doc))
			}
			if want := "The preamble starts here. " + line; doc.Preamble != want {
				t.Errorf("Preamble: got %q, want %q", doc.Preamble, want)
			}
		})
	}
}

func TestNesting(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "by kind without indentation",
			in:   "1. One:\na) first\nb) second\ni. roman\nii. roman\nc) third\n2. Two\n",
			want: []string{"1 [1.] One:", "1.a [a)] first", "1.b [b)] second", "1.b.i [i.] roman", "1.b.ii [ii.] roman", "1.c [c)] third", "2 [2.] Two"},
		},
		{
			name: "by indentation",
			in:   "- Security\n  - guarantees\n    - from the US\n  - army\n- Economy\n",
			want: []string{"#1 [-] Security", "#1.#1 [-] guarantees", "#1.#1.#1 [-] from the US", "#1.#2 [-] army", "#2 [-] Economy"},
		},
		{
			name: "tabs indent",
			in:   "1. One\n\t- a\n\t\t- b\n\t- c\n2. Two\n",
			want: []string{"1 [1.] One", "1.#1 [-] a", "1.#1.#1 [-] b", "1.#2 [-] c", "2 [2.] Two"},
		},
		{
			name: "bullets under numbers",
			in:   "10. Terms:\n- compensation\n- void on invasion\n11. EU\n",
			want: []string{"10 [10.] Terms:", "10.#1 [-] compensation", "10.#2 [-] void on invasion", "11 [11.] EU"},
		},
		{
			name: "h then i is a letter",
			in:   "g) seventh\nh) eighth\ni) ninth\nj) tenth\n",
			want: []string{"g [g)] seventh", "h [h)] eighth", "i [i)] ninth", "j [j)] tenth"},
		},
		{
			name: "i then ii is roman",
			in:   "i) first\nii) second\niii) third\niv) fourth\nv) fifth\n",
			want: []string{"i [i)] first", "ii [ii)] second", "iii [iii)] third", "iv [iv)] fourth", "v [v)] fifth"},
		},
		{
			name: "ix then x is roman",
			in:   "viii. a\nix. b\nx. c\nxi. d\n",
			want: []string{"viii [viii.] a", "ix [ix.] b", "x [x.] c", "xi [xi.] d"},
		},
		{
			name: "indented i under h is roman",
			in:   "h. eighth\n   i. sub one\n   ii. sub two\ni. ninth\n",
			want: []string{"h [h.] eighth", "h.i [i.] sub one", "h.ii [ii.] sub two", "i [i.] ninth"},
		},
		{
			name: "roman sections with letters and numbers",
			in:   "I. Security\nA. Guarantees\n1. From the US\n2. From Europe\nB. Army\nII. Economy\nA. Fund\n",
			want: []string{"i [I.] Security", "i.a [A.] Guarantees", "i.a.1 [1.] From the US", "i.a.2 [2.] From Europe", "i.b [B.] Army", "ii [II.] Economy", "ii.a [A.] Fund"},
		},
		{
			name: "multi-level numbers",
			in:   "2. Security\n2.1 Guarantees\n2.1.1 From the US\n2.2 Army\n3. Economy\n3.1 Fund\n",
			want: []string{"2 [2.] Security", "2.1 [2.1] Guarantees", "2.1.1 [2.1.1] From the US", "2.2 [2.2] Army", "3 [3.] Economy", "3.1 [3.1] Fund"},
		},
		{
			name: "multi-level numbers at the top",
			in:   "1.1 First\n1.2 Second\n",
			want: []string{"1-1 [1.1] First", "1-2 [1.2] Second"},
		},
		{
			name: "dedent closes sub-points",
			in:   "1. One\n   a) sub\n      - deep\n2. Two\n   a) sub\n",
			want: []string{"1 [1.] One", "1.a [a)] sub", "1.a.#1 [-] deep", "2 [2.] Two", "2.a [a)] sub"},
		},
		{
			name: "numbering continues across sections",
			in:   "I. Security\n1) a\n2) b\nII. Economy\n3) c\n4) d\n",
			want: []string{"i [I.] Security", "i.1 [1)] a", "i.2 [2)] b", "ii [II.] Economy", "ii.3 [3)] c", "ii.4 [4)] d"},
		},
		{
			name: "numbering continues past 3 across sections",
			in:   "I. Security\n1) a\n2) b\n3) c\n4) d\n\nII. Economy\n\n5) e\n6) f\n",
			want: []string{"i [I.] Security", "i.1 [1)] a", "i.2 [2)] b", "i.3 [3)] c", "i.4 [4)] d", "ii [II.] Economy", "ii.5 [5)] e", "ii.6 [6)] f"},
		},
		{
			name: "a sub-list does not start at 7",
			in:   "1. One\n7) seven\n",
			want: []string{"1 [1.] One 7) seven"},
		},
		{
			name: "different bullets are different levels",
			in:   "• Security\n– guarantees\n– army\n• Economy\n",
			want: []string{"#1 [•] Security", "#1.#1 [–] guarantees", "#1.#2 [–] army", "#2 [•] Economy"},
		},
		{
			name: "style change keeps the level",
			in:   "1. One\n2) Two\n3. Three\n",
			want: []string{"1 [1.] One", "2 [2)] Two", "3 [3.] Three"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOutline(t, tt.in, tt.want)
		})
	}
}

func TestContinuation(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "wrapped lines",
			in:   "1. Russia, Ukraine and Europe conclude a\n   comprehensive non-aggression\nagreement.\n2. Next\n",
			want: []string{"1 [1.] Russia, Ukraine and Europe conclude a comprehensive non-aggression agreement.", "2 [2.] Next"},
		},
		{
			name: "paragraphs",
			in:   "13. Russia is reintegrated.\n\n    Sanctions are lifted in phases.\n\n\n    Russia returns to the G8.\n\n14. Assets\n",
			want: []string{"13 [13.] Russia is reintegrated.\n\nSanctions are lifted in phases.\n\nRussia returns to the G8.", "14 [14.] Assets"},
		},
		{
			name: "label alone on its line",
			in:   "1.\n   The text follows\n   on the next lines.\n",
			want: []string{"1 [1.] The text follows on the next lines."},
		},
		{
			name: "year on a wrapped line of a point",
			in:   "3. The ceasefire takes effect in December\n2025. Monitors are deployed.\n4. Next\n",
			want: []string{"3 [3.] The ceasefire takes effect in December 2025. Monitors are deployed.", "4 [4.] Next"},
		},
		{
			name: "year on a wrapped line of a sub-point",
			in:   "3. Terms:\n   a) The ceasefire holds until the end of\n   2026. Then it is reviewed.\n   b) Next\n",
			want: []string{"3 [3.] Terms:", "3.a [a)] The ceasefire holds until the end of 2026. Then it is reviewed.", "3.b [b)] Next"},
		},
		{
			name: "number on a wrapped line of running text",
			in:   "1. The parties meet. They agree on point\n2. It is not a new point\nbecause the text runs on.\n",
			want: []string{"1 [1.] The parties meet. They agree on point", "2 [2.] It is not a new point because the text runs on."},
		},
		{
			name: "small number wrapped after a text line",
			in:   "1. Sanctions are lifted in\nphases over\n1. year\n",
			want: []string{"1 [1.] Sanctions are lifted in phases over", "1~2 [1.] year"},
		},
		{
			name: "sub-list after a colon line",
			in:   "21. Territories, as\nfollows:\na) Crimea\nb) Kherson\n",
			want: []string{"21 [21.] Territories, as follows:", "21.a [a)] Crimea", "21.b [b)] Kherson"},
		},
		{
			name: "letter on a wrapped line is text",
			in:   "21. The guarantee covers\nthe whole territory of\na) nothing\n",
			want: []string{"21 [21.] The guarantee covers the whole territory of a) nothing"},
		},
		{
			name: "bullet continuation",
			in:   "- Ukraine receives reliable\n  security guarantees.\n- Next\n",
			want: []string{"#1 [-] Ukraine receives reliable security guarantees.", "#2 [-] Next"},
		},
		{
			name: "text after sub-points belongs to the last one",
			in:   "1. Terms:\n   a) first\n   b) second\n   closing words\n2. Next\n",
			want: []string{"1 [1.] Terms:", "1.a [a)] first", "1.b [b)] second closing words", "2 [2.] Next"},
		},
		{
			name: "whitespace normalised",
			in:   "1.  Ukraine\u00a0\u00a0receives \t reliable\u200b guarantees.  \n",
			want: []string{"1 [1.] Ukraine receives reliable guarantees."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOutline(t, tt.in, tt.want)
		})
	}
}

func TestTitleAndPreamble(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		title    string
		preamble string
		points   int
	}{
		{"title and preamble", "Peace plan\n\nThe parties\nagree.\n\nSecond paragraph.\n\n1. x\n", "Peace plan", "The parties agree.\n\nSecond paragraph.", 1},
		{"Markdown title", "# The 28-point plan\nIntro.\n\n1. x\n", "The 28-point plan", "Intro.", 1},
		{"bold title", "**Peace plan**\n\n1. x\n", "Peace plan", "", 1},
		{"title then points", "Peace plan\n1. x\n2. y\n", "Peace plan", "", 2},
		{"no title", "The parties agree on the following text,\nwhich runs over two lines.\n\n1. x\n", "", "The parties agree on the following text, which runs over two lines.", 1},
		{"preamble with a colon sentence of seven words", "Peace plan\n\nThe United States and Russia agree on this:\n\n1. x\n", "Peace plan", "The United States and Russia agree on this:", 1},
		{"blank lines first", "\n\n  \nPeace plan\n\n1. x\n", "Peace plan", "", 1},
		{"only text", "Just a note.\n", "Just a note.", "", 0},
		{"only blank lines", "\n \n\t\n", "", "", 0},
		{"empty", "", "", "", 0},
		{"points only", "1. x\n2. y\n", "", "", 2},
		{"capitals title above capitals headings", "PEACE PLAN\n\nSECURITY\n\n1. x\n\nECONOMY\n\n2. y\n", "PEACE PLAN", "", 2},
		{"first heading is not a title", "## Territory\n21. x\n\n## Security\n22. y\n", "", "", 2},
		{"lone heading line is a title", "## Territory\n21. x\n22. y\n", "Territory", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustParse(t, tt.in)
			if doc.Title != tt.title {
				t.Errorf("Title: got %q, want %q", doc.Title, tt.title)
			}
			if doc.Preamble != tt.preamble {
				t.Errorf("Preamble: got %q, want %q", doc.Preamble, tt.preamble)
			}
			if len(doc.Points) != tt.points {
				t.Errorf("got %d points %q, want %d", len(doc.Points), outline(doc), tt.points)
			}
		})
	}
}

func TestHeadings(t *testing.T) {
	type h struct {
		line  int
		level int
		text  string
	}
	tests := []struct {
		name     string
		in       string
		headings []h
		// pointHeadings lists "ID: heading" for every point.
		pointHeadings []string
	}{
		{
			name:          "Markdown levels",
			in:            "# Plan\n\n## Security\n\n1. a\n\n### Guarantees\n2. b\n   - c\n",
			headings:      []h{{3, 2, "Security"}, {7, 3, "Guarantees"}},
			pointHeadings: []string{"1: Security", "2: Guarantees", "2.#1: Guarantees"},
		},
		{
			name:          "capitals",
			in:            "Plan\n\nSECURITY\n\n1. a\n\nTERRITORY AND ECONOMY\n2. b\n",
			headings:      []h{{3, 1, "SECURITY"}, {7, 1, "TERRITORY AND ECONOMY"}},
			pointHeadings: []string{"1: SECURITY", "2: TERRITORY AND ECONOMY"},
		},
		{
			name:          "colon",
			in:            "Plan\n\nTerritory:\n1. a\n\nHumanitarian issues:\n\n2. b\n",
			headings:      []h{{3, 1, "Territory"}, {6, 1, "Humanitarian issues"}},
			pointHeadings: []string{"1: Territory", "2: Humanitarian issues"},
		},
		{
			name:          "bold",
			in:            "Plan\n\n**Security**\n1. a\n\n__Economy__:\n2. b\n",
			headings:      []h{{3, 1, "Security"}, {6, 1, "Economy"}},
			pointHeadings: []string{"1: Security", "2: Economy"},
		},
		{
			name:          "Cyrillic capitals",
			in:            "План\n\nБЕЗОПАСНОСТЬ\n\n1. а\n",
			headings:      []h{{3, 1, "БЕЗОПАСНОСТЬ"}},
			pointHeadings: []string{"1: БЕЗОПАСНОСТЬ"},
		},
		{
			name:          "Markdown heading directly after a point",
			in:            "1. a\n## Economy\n2. b\n",
			headings:      []h{{2, 2, "Economy"}},
			pointHeadings: []string{"1: ", "2: Economy"},
		},
		{
			name:          "heading and sub-heading lines",
			in:            "Plan\n\n## Part one\nSECURITY\n\n1. a\n",
			headings:      []h{{3, 2, "Part one"}, {4, 1, "SECURITY"}},
			pointHeadings: []string{"1: SECURITY"},
		},
		{
			name:          "first line heads the first group",
			in:            "## Territory\n21. a\n\n## Humanitarian issues\n24. b\n",
			headings:      []h{{1, 2, "Territory"}, {4, 2, "Humanitarian issues"}},
			pointHeadings: []string{"21: Territory", "24: Humanitarian issues"},
		},
		{
			name:          "first capitals line heads the first group",
			in:            "TERRITORY\n\n21. a\n\nHUMANITARIAN ISSUES\n\n24. b\n",
			headings:      []h{{1, 1, "TERRITORY"}, {5, 1, "HUMANITARIAN ISSUES"}},
			pointHeadings: []string{"21: TERRITORY", "24: HUMANITARIAN ISSUES"},
		},
		{
			name:          "first colon line heads the first group",
			in:            "Territory:\n21. a\n\nHumanitarian issues:\n24. b\n",
			headings:      []h{{1, 1, "Territory"}, {4, 1, "Humanitarian issues"}},
			pointHeadings: []string{"21: Territory", "24: Humanitarian issues"},
		},
		{
			name:          "title above capitals headings",
			in:            "PEACE PLAN\n\nSECURITY\n\n1. a\n\nECONOMY\n\n2. b\n",
			headings:      []h{{3, 1, "SECURITY"}, {7, 1, "ECONOMY"}},
			pointHeadings: []string{"1: SECURITY", "2: ECONOMY"},
		},
		{
			name:          "Markdown title above lower headings",
			in:            "# Plan\n1. a\n## Economy\n2. b\n",
			headings:      []h{{3, 2, "Economy"}},
			pointHeadings: []string{"1: ", "2: Economy"},
		},
		{
			name:          "seven-word colon sentence is not a heading",
			in:            "Plan\n\n1. a\n\nThe parties also agree on the following:\n2. b\n",
			pointHeadings: []string{"1: ", "2: "},
		},
		{
			name:          "capital word wrapped inside a point is not a heading",
			in:            "Plan\n\n1. Ukraine does not join\nNATO\n2. b\n",
			pointHeadings: []string{"1: ", "2: "},
		},
		{
			name:          "capitals indented in a point are not a heading",
			in:            "Plan\n\n1. Ukraine does not join\n\n   NATO\n2. b\n",
			pointHeadings: []string{"1: ", "2: "},
		},
		{
			name:          "capitals ending a sentence are not a heading",
			in:            "Plan\n\n1. a\n\nNO NATO TROOPS.\n2. b\n",
			pointHeadings: []string{"1: ", "2: "},
		},
		{
			name:          "lower-case colon line is not a heading",
			in:            "Plan\n\n1. a\n\nas follows:\n2. b\n",
			pointHeadings: []string{"1: ", "2: "},
		},
		{
			name:          "capitals at the end are not a heading",
			in:            "Plan\n\n1. a\n\nEND\n",
			pointHeadings: []string{"1: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustParse(t, tt.in)
			var got []h
			for _, x := range doc.Headings {
				got = append(got, h{x.Line, x.Level, x.Text})
			}
			if !slices.Equal(got, tt.headings) {
				t.Errorf("headings: got %v, want %v", got, tt.headings)
			}
			var gotPH []string
			for _, p := range doc.All() {
				gotPH = append(gotPH, p.ID+": "+p.Heading)
			}
			if !slices.Equal(gotPH, tt.pointHeadings) {
				t.Errorf("point headings: got %q, want %q", gotPH, tt.pointHeadings)
			}
		})
	}
}

func TestLineEndsAndSpaces(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []string
		lines []int // Line of each point
		cols  []int // Col of each point
	}{
		{"LF", "Plan\n\n1. a\n   b\n2. c\n", []string{"1 [1.] a b", "2 [2.] c"}, []int{3, 5}, []int{1, 1}},
		{"CRLF", "Plan\r\n\r\n1. a\r\n   b\r\n2. c\r\n", []string{"1 [1.] a b", "2 [2.] c"}, []int{3, 5}, []int{1, 1}},
		{"lone CR", "Plan\r\r1. a\r   b\r2. c\r", []string{"1 [1.] a b", "2 [2.] c"}, []int{3, 5}, []int{1, 1}},
		{"mixed", "Plan\r\n\n1. a\r   b\n2. c", []string{"1 [1.] a b", "2 [2.] c"}, []int{3, 5}, []int{1, 1}},
		{"BOM", "\ufeff1. a\n2. b\n", []string{"1 [1.] a", "2 [2.] b"}, []int{1, 2}, []int{1, 1}},
		{"BOM and indent", "\ufeff  - a\n  - b\n", []string{"#1 [-] a", "#2 [-] b"}, []int{1, 2}, []int{3, 3}},
		{"no-break space indent", "1. a\n\u00a0\u00a0\u00a0- b\n", []string{"1 [1.] a", "1.#1 [-] b"}, []int{1, 2}, []int{1, 4}},
		{"zero-width space before label", "\u200b1. a\n\u200b2. b\n", []string{"1 [1.] a", "2 [2.] b"}, []int{1, 2}, []int{2, 2}},
		{"zero-width space inside text", "1. cease\u200bfire\u2060 now\n", []string{"1 [1.] ceasefire now"}, []int{1}, []int{1}},
		{"accents", "Plan\n\n1. Élections à Kyïv\n2. Ça\n", []string{"1 [1.] Élections à Kyïv", "2 [2.] Ça"}, []int{3, 4}, []int{1, 1}},
		{"column counts characters", "Plan\n\n1. Мир\n   а) да\n", []string{"1 [1.] Мир", "1.а [а)] да"}, []int{3, 4}, []int{1, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := checkOutline(t, tt.in, tt.want)
			var lines, cols []int
			for _, p := range doc.All() {
				lines = append(lines, p.Line)
				cols = append(cols, p.Col)
				if strings.ContainsAny(p.Text, "\r\ufeff\u200b") {
					t.Errorf("point %s: text %q keeps a CR, BOM or zero-width space", p.ID, p.Text)
				}
			}
			if !slices.Equal(lines, tt.lines) || !slices.Equal(cols, tt.cols) {
				t.Errorf("positions: got lines %v columns %v, want lines %v columns %v", lines, cols, tt.lines, tt.cols)
			}
		})
	}
}

func TestScripts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "Cyrillic letters",
			in:   "21. Территории:\n   а) Крым;\n   б) Херсон;\n   в) Запорожье;\n   г) Донецк.\n",
			want: []string{"21 [21.] Территории:", "21.а [а)] Крым;", "21.б [б)] Херсон;", "21.в [в)] Запорожье;", "21.г [г)] Донецк."},
		},
		{
			name: "Cyrillic capitals and keyword",
			in:   "Пункт 1. Общее\nА. Мир\nБ. Война\nПункт 2. Конец\n",
			want: []string{"1 [Пункт 1.] Общее", "1.а [А.] Мир", "1.б [Б.] Война", "2 [Пункт 2.] Конец"},
		},
		{
			name: "Greek",
			in:   "Άρθρο 1 Ειρήνη\nα) Πρώτο\nβ) Δεύτερο\nΆρθρο 2 Εκλογές\n",
			want: []string{"1 [Άρθρο 1] Ειρήνη", "1.α [α)] Πρώτο", "1.β [β)] Δεύτερο", "2 [Άρθρο 2] Εκλογές"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := checkOutline(t, tt.in, tt.want)
			if len(doc.Warnings) != 0 {
				t.Errorf("got warnings %v, want none", doc.Warnings)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"clean", "1. a\n2. b\n   a) x\n   b) y\n3. c\n", nil},
		{"gap", "Plan\n\n1. a\n2. b\n4. d\n", []string{"line 5, column 1: numbering skips from 2. to 4."}},
		{"duplicate", "1. a\n2. b\n2. b again\n3. c\n", []string{"line 3, column 1: duplicate number 2. (also on line 2)"}},
		{"goes back", "1. a\n2. b\n3. c\n2. d\n", []string{"line 4, column 1: numbering goes back from 3. to 2."}},
		{"sub-point gap", "1. a\n   a) x\n   c) z\n", []string{"line 3, column 4: numbering skips from a) to c)"}},
		{"style change", "1. a\n2) b\n3) c\n", []string{"line 2, column 1: label style changes from \"1.\" to \"2)\""}},
		{"keyword style change", "Point 1: a\n2. b\n", []string{"line 2, column 1: label style changes from \"Point 1:\" to \"2.\""}},
		{"restart under a heading", "## A\n1. a\n2. b\n## B\n1. c\n", nil},
		{"continue under a heading", "## A\n1. a\n2. b\n## B\n3. c\n", nil},
		{"gap across a heading", "## A\n1. a\n## B\n5. c\n", []string{"line 4, column 1: numbering skips from 1. to 5."}},
		{"bullets never warn", "- a\n- b\n", nil},
		{"gap after a wrapped line", "1. a\n   wrapped\n\n   more\n3. c\n", []string{"line 5, column 1: numbering skips from 1. to 3."}},
		{"CRLF line numbers", "Plan\r\n\r\n1. a\r\n3. c\r\n", []string{"line 4, column 1: numbering skips from 1. to 3."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustParse(t, tt.in)
			var got []string
			for _, w := range doc.Warnings {
				got = append(got, w.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("warnings: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIDs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // IDs in pre-order
	}{
		{"bullets", "- a\n- b\n- c\n", []string{"#1", "#2", "#3"}},
		{"bullets under a number", "10. a\n- x\n- y\n", []string{"10", "10.#1", "10.#2"}},
		{"mixed bullets and labels", "1. a\n   a) x\n   - y\n   b) z\n", []string{"1", "1.a", "1.a.#1", "1.b"}},
		{"duplicates", "3. a\n3. b\n3. c\n4. d\n", []string{"3", "3~2", "3~3", "4"}},
		{"duplicates in sub-points", "1. a\n   a) x\n   a) y\n", []string{"1", "1.a", "1.a~2"}},
		{"case folded", "(A) a\n(B) b\n", []string{"a", "b"}},
		{"keywords", "Point 3: a\nArticle 4 b\n§ 5 c\n", []string{"3", "4", "5"}},
		{"leading zeros", "01. a\n02. b\n", []string{"1", "2"}},
		{"path", "10. a\n    b) x\n       ii. y\n", []string{"10", "10.b", "10.b.ii"}},
		{"multi-level", "2. a\n2.1 b\n2.1.1 c\n2.2 d\n", []string{"2", "2.1", "2.1.1", "2.2"}},
		{"multi-level not under its parent", "2. a\n3.1 b\n", []string{"2", "2.3-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustParse(t, tt.in)
			var got []string
			for _, p := range doc.All() {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("IDs: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSegments(t *testing.T) {
	src := "Plan\n\nIntro.\n\n## Security\n1. a\n   b\n\n   a) c\n\n2. d\n"
	doc := mustParse(t, src)
	type seg struct {
		kind plantext.SegmentKind
		text string
		id   string
	}
	want := []seg{
		{plantext.SegTitle, "Plan\n\n", ""},
		{plantext.SegPreamble, "Intro.\n\n", ""},
		{plantext.SegHeading, "## Security\n", ""},
		{plantext.SegPoint, "1. a\n   b\n\n", "1"},
		{plantext.SegPoint, "   a) c\n\n", "1.a"},
		{plantext.SegPoint, "2. d\n", "2"},
	}
	var got []seg
	for _, s := range doc.Segments {
		g := seg{s.Kind, src[s.Start:s.End], ""}
		if s.Point != nil {
			g.id = s.Point.ID
			if raw := string(s.Point.Raw(doc.Source)); raw != g.text {
				t.Errorf("point %s: Raw %q, want %q", s.Point.ID, raw, g.text)
			}
		}
		got = append(got, g)
	}
	if !slices.Equal(got, want) {
		t.Errorf("segments:\ngot  %+v\nwant %+v", got, want)
	}
	p := doc.Points[0]
	if got, want := src[p.TextStart:], "a\n   b"; !strings.HasPrefix(got, want) {
		t.Errorf("TextStart: text begins %q, want %q", got, want)
	}
}

func TestStyleString(t *testing.T) {
	tests := []struct {
		style plantext.Style
		want  string
	}{
		{plantext.Style{Kind: plantext.KindNumber, Deco: ".", Levels: 1}, "1."},
		{plantext.Style{Kind: plantext.KindNumber, Deco: "", Levels: 3}, "1.1.1"},
		{plantext.Style{Kind: plantext.KindLower, Deco: "()", Levels: 1}, "(a)"},
		{plantext.Style{Kind: plantext.KindUpper, Deco: ")", Levels: 1}, "A)"},
		{plantext.Style{Kind: plantext.KindRomanLower, Deco: ":", Levels: 1}, "i:"},
		{plantext.Style{Kind: plantext.KindRomanUpper, Deco: "-", Levels: 1}, "I -"},
		{plantext.Style{Kind: plantext.KindNumber, Deco: "point", Levels: 1}, "Point 1"},
		{plantext.Style{Kind: plantext.KindRomanUpper, Deco: "article", Levels: 1}, "Article I"},
		{plantext.Style{Kind: plantext.KindNumber, Deco: "§", Levels: 1}, "§ 1"},
		{plantext.Style{Kind: plantext.KindNumber, Deco: "статья", Levels: 1}, "Статья 1"},
		{plantext.Style{Kind: plantext.KindBullet, Bullet: '•'}, "•"},
	}
	for _, tt := range tests {
		if got := tt.style.String(); got != tt.want {
			t.Errorf("%+v.String(): got %q, want %q", tt.style, got, tt.want)
		}
	}
}

func TestWalk(t *testing.T) {
	doc := mustParse(t, "1. a\n   a) x\n   b) y\n2. b\n")
	var seen []string
	doc.Walk(func(p *plantext.Point) bool {
		seen = append(seen, p.ID)
		return p.ID != "1.a"
	})
	if want := []string{"1", "1.a"}; !slices.Equal(seen, want) {
		t.Errorf("Walk stopping at 1.a: got %q, want %q", seen, want)
	}
	var all []string
	for _, p := range doc.All() {
		all = append(all, p.ID)
	}
	if want := []string{"1", "1.a", "1.b", "2"}; !slices.Equal(all, want) {
		t.Errorf("All: got %q, want %q", all, want)
	}
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		lim     plantext.Limits
		wantErr string
		want    []string
	}{
		{"bytes", "1. a\n", plantext.Limits{MaxBytes: 4}, "input is 5 bytes, more than the limit of 4", nil},
		{"lines", "1. a\n\n\r\n\r2. b\n", plantext.Limits{MaxLines: 4}, "line 5, column 1: more than 4 lines", nil},
		{"lines at the limit", "1. a\n\n\r\n\r", plantext.Limits{MaxLines: 4}, "", []string{"1 [1.] a"}},
		{"points", "1. a\n2. b\n3. c\n", plantext.Limits{MaxPoints: 2}, "line 3, column 1: more than 2 points", nil},
		{"depth", "1. a\n   a) b\n      i. c\n", plantext.Limits{MaxDepth: 2}, "", []string{"1 [1.] a", "1.a [a)] b i. c"}},
		{"none", "1. a\n   a) b\n      i. c\n", plantext.Limits{}, "", []string{"1 [1.] a", "1.a [a)] b", "1.a.i [i.] c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := plantext.ParseLimits([]byte(tt.in), tt.lim)
			if tt.wantErr != "" {
				var perr *plantext.Error
				if !errors.As(err, &perr) || err.Error() != tt.wantErr {
					t.Fatalf("got error %v, want *plantext.Error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := outline(doc); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a  b  ", "a b"},
		{"a\u00a0\u2003b", "a b"},
		{"a\u200bb\u2060c\ufeff", "abc"},
		{"a\r\n\tb", "a b"},
		{"\u200b \u200b", ""},
		{"a\u200db", "a\u200db"}, // zero-width joiner kept
	}
	for _, tt := range tests {
		if got := plantext.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{plantext.SegTitle.String(), "title"},
		{plantext.SegPreamble.String(), "preamble"},
		{plantext.SegHeading.String(), "heading"},
		{plantext.SegPoint.String(), "point"},
		{plantext.SegmentKind(9).String(), "SegmentKind(9)"},
		{plantext.Warning{Line: 3, Col: 2, Msg: "m"}.String(), "line 3, column 2: m"},
		{(&plantext.Error{Line: 3, Col: 2, Msg: "m"}).Error(), "line 3, column 2: m"},
		{(&plantext.Error{Msg: "m"}).Error(), "m"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
