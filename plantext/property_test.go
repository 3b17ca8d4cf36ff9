package plantext_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// genPoint is a point of a generated plan: the model the parse must recover.
type genPoint struct {
	key      string
	words    []string
	paras    int // extra paragraphs
	children []*genPoint
}

var genWords = strings.Fields("ceasefire line contact withdrawal guarantees sanctions relief elections amnesty prisoners exchange children return monitoring mission council reconstruction fund energy grain shipping river zone buffer treaty statute membership dialogue security working group nuclear plant supervision referendum")

// levelStyle says how the labels of one nesting level are written.
type levelStyle struct {
	kind   string // "number", "letter", "roman" or "bullet"
	format string // label format; %s is the number, letter or numeral
}

var (
	topStyles    = []levelStyle{{"number", "%s."}, {"number", "%s)"}, {"number", "(%s)"}, {"number", "Point %s:"}, {"number", "Article %s"}, {"number", "%s -"}}
	letterStyles = []levelStyle{{"letter", "%s)"}, {"letter", "(%s)"}}
	romanStyles  = []levelStyle{{"roman", "%s."}, {"roman", "(%s)"}}
	bulletStyles = []levelStyle{{"bullet", "•"}, {"bullet", "-"}, {"bullet", "*"}, {"bullet", "→"}}
	romans       = []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"}
)

// genTree makes a random tree of points with depth up to 4 (number, letter,
// roman, bullet).
func genTree(r *rand.Rand, depth, n int) []*genPoint {
	var ps []*genPoint
	for k := range n {
		p := &genPoint{words: make([]string, 1+r.IntN(25))}
		for i := range p.words {
			p.words[i] = genWords[r.IntN(len(genWords))]
		}
		switch depth {
		case 0:
			p.key = fmt.Sprint(k + 1)
		case 1:
			p.key = string(rune('a' + k))
		case 2:
			p.key = romans[k]
		default:
			p.key = fmt.Sprintf("#%d", k+1)
		}
		if r.IntN(6) == 0 {
			p.paras = 1 + r.IntN(2)
		}
		if depth < 3 && r.IntN(3) == 0 {
			max := []int{26, 12, 5}[depth]
			p.children = genTree(r, depth+1, 1+r.IntN(max))
		}
		ps = append(ps, p)
	}
	return ps
}

// render writes the tree as plan text. With indent, each level is indented
// three columns deeper; without, levels are told apart by their kinds only.
func render(b *strings.Builder, ps []*genPoint, styles []levelStyle, depth int, indent bool, r *rand.Rand) {
	if len(ps) == 0 {
		return
	}
	pad := ""
	if indent {
		pad = strings.Repeat("   ", depth)
	}
	st := styles[depth]
	for _, p := range ps {
		label := st.format
		if st.kind != "bullet" {
			label = fmt.Sprintf(st.format, p.key)
		}
		words := slices.Clone(p.words)
		if len(p.children) > 0 {
			words[len(words)-1] += ":"
		}
		// Wrap the words over lines of at most 8 words.
		b.WriteString(pad + label)
		for i, w := range words {
			if i > 0 && i%8 == 0 {
				b.WriteString("\n" + pad + "   ")
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteByte('\n')
		for range p.paras {
			b.WriteString("\n" + pad + "   further paragraph text\n")
		}
		if r.IntN(4) == 0 {
			b.WriteByte('\n')
		}
		render(b, p.children, styles, depth+1, indent, r)
	}
}

// want lists the points of the model as outline does, without labels.
func want(ps []*genPoint, prefix string, out []string) []string {
	for _, p := range ps {
		text := strings.Join(p.words, " ")
		if len(p.children) > 0 {
			text += ":"
		}
		text += strings.Repeat("\n\nfurther paragraph text", p.paras)
		out = append(out, prefix+p.key+" "+text)
		out = want(p.children, prefix+p.key+".", out)
	}
	return out
}

// TestRoundTrip renders random point trees as text in many label styles,
// with and without indentation, and checks that parsing recovers the tree.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 150 {
		indent := i%2 == 0
		styles := []levelStyle{
			topStyles[r.IntN(len(topStyles))],
			letterStyles[r.IntN(len(letterStyles))],
			romanStyles[r.IntN(len(romanStyles))],
			bulletStyles[r.IntN(len(bulletStyles))],
		}
		if !indent && styles[1].format == styles[2].format {
			// "(h)" then "(i)" is a letter: without indentation, a roman
			// sub-list of "(h)" needs its own decoration.
			styles[2].format = "%s."
		}
		if indent && r.IntN(2) == 0 {
			// Same decoration at every level: only indentation nests.
			styles[1].format, styles[2].format = "%s.", "%s."
		}
		tree := genTree(r, 0, 1+r.IntN(20))
		var b strings.Builder
		b.WriteString("Plan number " + fmt.Sprint(i) + "\n\n")
		render(&b, tree, styles, 0, indent, r)
		src := b.String()
		doc := mustParse(t, src)
		var got []string
		for _, p := range doc.All() {
			got = append(got, p.ID+" "+p.Text)
		}
		if w := want(tree, "", nil); !slices.Equal(got, w) {
			k := firstDiff(got, w)
			t.Fatalf("plan %d:\n%s\nfirst difference at point %d:\ngot\n\t%q\nwant\n\t%q", i, src, k, got[k:min(k+3, len(got))], w[k:min(k+3, len(w))])
		}
		if len(doc.Warnings) > 0 {
			t.Fatalf("plan %d:\n%s\ngot warnings %v, want none", i, src, doc.Warnings)
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
