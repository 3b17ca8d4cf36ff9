package plangen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Languages of a point's text.
const (
	langEnglish = iota
	langCyrillic
	langGreek
)

// textGen writes point texts from the vocabulary with its own random source.
type textGen struct {
	r        *rand.Rand
	openings []string // boilerplate openings used by this document
}

func (g *textGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *textGen) chance(p float64) bool { return g.r.Float64() < p }

// expand fills the slots of a template.
func (g *textGen) expand(tmpl string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}') + i
		b.WriteString(tmpl[:i])
		b.WriteString(g.slot(tmpl[i+1 : j]))
		tmpl = tmpl[j+1:]
	}
}

func (g *textGen) slot(name string) string {
	switch name {
	case "S":
		return g.pick(subjects)
	case "M":
		return g.pick(modals)
	case "V":
		return g.pick(verbs)
	case "O":
		return g.object()
	case "P":
		return g.expand(g.pick(prepPhrases))
	case "T":
		return g.time()
	case "A":
		return g.amount()
	case "C":
		return g.headCount()
	case "L":
		return g.pick(places)
	case "MP":
		return g.pick(passiveModals)
	case "PP":
		return g.pick(participles)
	case "E":
		return g.pick(events)
	case "G":
		return g.pick(languages)
	case "B":
		return g.pick(legalBases)
	case "PN":
		return g.pick(pluralNouns)
	case "AN":
		return strconv.Itoa(1 + g.r.IntN(9))
	case "N":
		return strconv.Itoa(smallNumbers[g.r.IntN(len(smallNumbers))])
	case "K":
		return g.pick(kinds)
	case "X":
		return g.pick(assemblies)
	}
	panic("plangen: unknown template slot " + name)
}

func (g *textGen) object() string {
	switch n := g.r.IntN(20); {
	case n < 7:
		return g.pick(adjectives) + " " + g.pick(pluralNouns)
	case n < 11:
		return g.pick(pluralNouns)
	case n < 14:
		return g.pick(pluralNouns) + " in " + g.pick(places)
	case n < 16:
		return g.pick(adjectives) + " " + g.pick(pluralNouns) + " near " + g.pick(places)
	case n < 18:
		return g.pick(theNouns)
	default:
		return g.pick(theNouns) + " of " + g.pick(places)
	}
}

func (g *textGen) date() string {
	return fmt.Sprintf("%d %s %d", 1+g.r.IntN(28), g.pick(months), 2025+g.r.IntN(6))
}

func (g *textGen) time() string {
	n := strconv.Itoa(smallNumbers[g.r.IntN(len(smallNumbers))])
	switch g.r.IntN(13) {
	case 0:
		return "within " + n + " days"
	case 1:
		return "within " + n + " hours of signature"
	case 2:
		return "by " + g.date()
	case 3:
		return "no later than " + g.date()
	case 4:
		return "before " + g.date()
	case 5:
		return "from " + g.date()
	case 6:
		return "over a period of " + n + " months"
	case 7:
		return "during the first " + n + " days"
	case 8:
		return "immediately upon signature"
	case 9:
		return fmt.Sprintf("before the end of %d", 2025+g.r.IntN(6))
	case 10:
		return "not later than " + n + " weeks after entry into force"
	case 11:
		return "every " + n + " days thereafter"
	default:
		return "within " + n + " days of the ceasefire"
	}
}

// thousands formats n with a thousands separator, usually a comma and
// sometimes a no-break space.
func (g *textGen) thousands(n int) string {
	sep := ","
	if g.chance(0.04) {
		sep = "\u00a0"
	}
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (g *textGen) amount() string {
	n := 1 + g.r.IntN(500)
	switch g.r.IntN(6) {
	case 0:
		return fmt.Sprintf("%d billion dollars", n)
	case 1:
		return fmt.Sprintf("%d million dollars", n)
	case 2:
		return fmt.Sprintf("USD %d billion", 1+g.r.IntN(150))
	case 3:
		return fmt.Sprintf("EUR %d million", n)
	case 4:
		return fmt.Sprintf("%d million euros", n)
	default:
		return g.thousands((1+g.r.IntN(900))*1000) + " dollars"
	}
}

func (g *textGen) headCount() string {
	return g.thousands((1 + g.r.IntN(900)) * []int{100, 1000}[g.r.IntN(2)])
}

// sentence returns one sentence of English plan language.
func (g *textGen) sentence() string {
	return capitalise(g.expand(g.pick(sentenceTemplates)))
}

// clause returns a sentence that starts in lower case, to follow an opening.
func (g *textGen) clause() string {
	return g.expand("{S} {M} {V} {O} {P} {T}.")
}

// english writes sentences until the text has at least target words.
func (g *textGen) english(target int) string {
	var parts []string
	words := 0
	for words < target {
		s := g.sentence()
		parts = append(parts, s)
		words += wordCount(s)
	}
	return strings.Join(parts, " ")
}

// boilerplate writes a point that starts with one of the document's shared
// openings and continues with a distinct tail.
func (g *textGen) boilerplate(target int) string {
	open := g.pick(g.openings)
	text := open + " " + g.clause()
	for wordCount(text) < target {
		text += " " + g.sentence()
	}
	return text
}

// boilerplateBytes is boilerplate with a text of at least size bytes.
func (g *textGen) boilerplateBytes(size int) string {
	text := g.pick(g.openings) + " " + g.clause()
	for len(text) < size {
		text += " " + g.sentence()
	}
	return text
}

// foreign writes a point in Cyrillic or Greek.
func (g *textGen) foreign(lang, target int) string {
	v := cyrillic
	if lang == langGreek {
		v = greek
	}
	var parts []string
	words := 0
	for words < target {
		s := g.pick(v.subjects) + " " + g.pick(v.verbs) + " " + g.pick(v.objects) + " " +
			g.expand(g.pick(v.preps)) + ", " + g.pick(v.objects) + " " + g.expand(g.pick(v.preps)) + "."
		parts = append(parts, s)
		words += wordCount(s)
	}
	return strings.Join(parts, " ")
}

// pointText writes the text of a point of about target words, in the given
// language; English points are boilerplate with probability boiler.
func (g *textGen) pointText(lang, target int, boiler float64) string {
	switch {
	case lang != langEnglish:
		return g.foreign(lang, max(40, target*3/4))
	case g.chance(boiler):
		return g.boilerplate(target)
	default:
		return g.english(target)
	}
}

// edit changes 1..maxOps words of text, or a number, and returns a text that
// differs from the original.
func (g *textGen) edit(text string, lang, maxOps int, numbers bool) string {
	for {
		w := strings.Split(text, " ")
		if numbers && g.chance(0.3) && g.changeNumber(w) {
			// a changed number, date or amount
		} else {
			ops := 1 + g.r.IntN(maxOps)
			for range ops {
				w = g.editWord(w, lang)
			}
		}
		if out := strings.Join(w, " "); out != text {
			return out
		}
	}
}

// changeNumber alters one number in w in place and reports whether w held one.
func (g *textGen) changeNumber(w []string) bool {
	var idx []int
	for i, t := range w {
		if strings.IndexFunc(t, unicode.IsDigit) >= 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return false
	}
	i := idx[g.r.IntN(len(idx))]
	tok := w[i]
	if i+1 < len(w) && isMonth(w[i+1]) {
		if d, err := strconv.Atoi(tok); err == nil {
			nd := 1 + g.r.IntN(28)
			if nd == d {
				nd = d%28 + 1
			}
			w[i] = strconv.Itoa(nd)
			return true
		}
	}
	// Replace the last digit with another one.
	b := []byte(tok)
	for j := len(b) - 1; j >= 0; j-- {
		if b[j] >= '0' && b[j] <= '9' {
			old := b[j]
			for b[j] == old || (b[j] == '0' && len(tok) == 1) {
				b[j] = byte('0' + g.r.IntN(10))
			}
			break
		}
	}
	w[i] = string(b)
	return true
}

func isMonth(s string) bool {
	s = strings.TrimRight(s, ".,;")
	for _, m := range months {
		if s == m {
			return true
		}
	}
	return false
}

// editWord replaces, inserts or deletes one word.
func (g *textGen) editWord(w []string, lang int) []string {
	i := g.r.IntN(len(w))
	core, punct := splitPunct(w[i])
	switch op := g.r.IntN(3); {
	case op == 0 || lang != langEnglish: // replace
		var repl string
		if lang != langEnglish {
			repl, _ = splitPunct(w[g.r.IntN(len(w))]) // a word from elsewhere in the point
		} else if s, ok := synonyms[strings.ToLower(core)]; ok {
			repl = s
		} else {
			repl = g.pick(replacementWords)
		}
		if startsUpper(core) {
			repl = capitalise(repl)
		}
		w[i] = repl + punct
		return w
	case op == 1: // insert before word i, unless it opens a sentence
		if startsUpper(core) {
			i++
		}
		w = append(w, "")
		copy(w[i+1:], w[i:])
		w[i] = g.pick(insertWords)
		return w
	default: // delete a plain word
		if punct != "" || startsUpper(core) || strings.IndexFunc(core, unicode.IsDigit) >= 0 || len(w) < 40 {
			return g.editWord(w, lang)
		}
		return append(w[:i], w[i+1:]...)
	}
}

func splitPunct(t string) (core, punct string) {
	k := len(t)
	for k > 0 && strings.IndexByte(".,;:", t[k-1]) >= 0 {
		k--
	}
	return t[:k], t[k:]
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func wordCount(s string) int { return strings.Count(s, " ") + 1 }

// sentenceCuts returns the word indexes at which a new sentence starts.
func sentenceCuts(text string) []int {
	w := strings.Split(text, " ")
	var cuts []int
	for i := 1; i < len(w); i++ {
		if strings.HasSuffix(w[i-1], ".") && startsUpper(w[i]) {
			cuts = append(cuts, i)
		}
	}
	return cuts
}

// splitText cuts text at the sentence boundary nearest its middle.
func splitText(text string) (string, string, bool) {
	cuts := sentenceCuts(text)
	if len(cuts) == 0 {
		return "", "", false
	}
	w := strings.Split(text, " ")
	best := cuts[0]
	for _, c := range cuts {
		if abs(c-len(w)/2) < abs(best-len(w)/2) {
			best = c
		}
	}
	return strings.Join(w[:best], " "), strings.Join(w[best:], " "), true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// width is the column at which text is wrapped.
const width = 90

// wrap writes text after first (the indentation and label of the first line)
// and indents continuation lines with cont. A line never starts with a word
// that could be read as a label: such a word takes the word before it along
// to the next line, or else stays at the end of the line, past the width.
func wrap(b *strings.Builder, first, cont, text string) {
	prefix := first
	var line []string
	col := utf8.RuneCountInString(prefix) // the column after the line so far
	flush := func() {
		b.WriteString(prefix)
		b.WriteString(strings.Join(line, " "))
		b.WriteByte('\n')
		prefix, line, col = cont, line[:0], utf8.RuneCountInString(cont)
	}
	for _, w := range strings.Split(text, " ") {
		n := utf8.RuneCountInString(w)
		if len(line) > 0 && col+1+n > width {
			k := len(line) // the words from k on go to the next line with w
			if !canStartLine(w) {
				for k--; k > 0 && !canStartLine(line[k]); k-- {
				}
			}
			if k > 0 {
				moved := slices.Clone(line[k:])
				line = line[:k]
				flush()
				for i, m := range moved {
					if i > 0 {
						col++
					}
					line = append(line, m)
					col += utf8.RuneCountInString(m)
				}
			}
		}
		if len(line) > 0 {
			col++
		}
		line = append(line, w)
		col += n
	}
	flush()
}

// canStartLine reports whether word may begin a continuation line without
// looking like a label, a heading marker or a list bullet.
func canStartLine(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	if unicode.IsDigit(r) || strings.ContainsRune("(§#-*+>[", r) {
		return false
	}
	switch strings.TrimRight(word, ".,:;") {
	case "Point", "Article", "Section", "Annex", "Part", "Chapter":
		return false
	}
	if strings.HasSuffix(word, ")") {
		return false // "a)", "12)"
	}
	if core, ok := strings.CutSuffix(word, "."); ok && (utf8.RuneCountInString(core) == 1 || strings.Trim(core, "ivxlcdm") == "") {
		return false // "a.", "iv."
	}
	return true
}
