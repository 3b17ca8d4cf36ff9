package demo

import (
	"embed"
	"io/fs"
	"strconv"

	"parley"
	"parley/examples"
)

// texts holds the one plan text that is the demo's own; the Ukraine texts
// are the repository's examples, read from package examples so that they
// exist once.
//
//go:embed gaza-20-points.txt
var texts embed.FS

type planDef struct {
	key, title string
	// template is the key of the plan this one was modelled on.
	template string
}

// plans. The European counter-proposal is a plan of its own, modelled on
// the Ukraine plan, rather than a version of it: it was the E3's answer to
// the US draft, not a step of the US–Ukraine line. As a version of the
// Ukraine plan it would stand, by date, between the 28 points and the
// framework, and the framework's lineage would be computed against the
// European text, although the reported correspondence runs from the 28
// points to the 20. As its own plan, its first version is compared with
// the 28 points it answered, and the Ukraine plan's line stays as reported.
var plans = []planDef{
	{key: "plan-gaza", title: "Gaza: the 20-point plan"},
	{key: "plan-ukraine", title: "Peace plan for Ukraine", template: "plan-gaza"},
	{key: "plan-e3", title: "European counter-proposal", template: "plan-ukraine"},
}

type versionDef struct {
	key, plan, label string
	date             string // a day, as 2006-01-02
	author           string // party key
	status           parley.VersionStatus
	// fsys and file hold the text; a version whose text is unknown has
	// none and gives pointCount and reportedChanges instead.
	fsys            fs.FS
	file            string
	textUnknown     bool
	pointCount      int
	reportedChanges string
	sources         []string
	// reported is the correspondence the reporting gives between the
	// top-level points of this version and those of the version its
	// lineage is computed against (the previous one, or the template's):
	// for each point, the points it came from, none for a new point.
	// Where the store's automatic lineage disagrees, it is corrected.
	// Points not listed keep the lineage the store computed.
	reported map[string][]string
	// notes are the tags and provenance of points.
	notes []pointNote
}

// text reads the version's text.
func (d versionDef) text() (string, error) {
	b, err := fs.ReadFile(d.fsys, d.file)
	return string(b), err
}

// pointNote annotates one point. Tags are given on the earliest version
// of a point only: later versions inherit them through lineage.
type pointNote struct {
	point      string
	tags       []string
	proposedBy string // party key
	contact    string // contact key
	sources    []string
}

// Topic tags, as in parley.Topics.
const (
	ceasefire      = "ceasefire"
	territory      = "territory"
	guarantees     = "security guarantees"
	military       = "military limits"
	alliances      = "alliances"
	economy        = "sanctions and economy"
	reconstruction = "reconstruction"
	assets         = "assets"
	humanitarian   = "humanitarian and prisoners"
	rights         = "rights and minorities"
	governance     = "elections and governance"
	amnesty        = "justice and amnesty"
	nuclear        = "nuclear"
	implementation = "implementation and monitoring"
)

// tagged returns notes giving each point its tags and nothing else.
func tagged(tags map[string][]string) []pointNote {
	notes := make([]pointNote, 0, len(tags))
	for id, t := range tags {
		notes = append(notes, pointNote{point: id, tags: t})
	}
	return notes
}

// withProvenance returns notes giving each listed point its tags (when
// tags lists it) and the same provenance.
func withProvenance(tags map[string][]string, points []string, proposedBy, contact string, sources ...string) []pointNote {
	notes := make([]pointNote, 0, len(points))
	for _, id := range points {
		notes = append(notes, pointNote{point: id, tags: tags[id], proposedBy: proposedBy, contact: contact, sources: sources})
	}
	return notes
}

// versions, in the order they were tabled.
var versions = []versionDef{
	{
		key: "v-gaza", plan: "plan-gaza", label: "Gaza 20-point plan", date: "2025-09-29", author: "us",
		status: parley.Tabled, fsys: texts, file: "gaza-20-points.txt", sources: []string{"src-gaza"},
		notes: tagged(map[string][]string{
			"1": {military}, "2": {reconstruction}, "3": {ceasefire, territory}, "4": {humanitarian},
			"5": {humanitarian}, "6": {amnesty}, "7": {humanitarian}, "8": {humanitarian},
			"9": {governance, implementation}, "10": {reconstruction, economy}, "11": {economy}, "12": {rights},
			"13": {military, governance}, "14": {guarantees}, "15": {guarantees, implementation}, "16": {territory},
			"17": {implementation}, "18": {rights}, "19": {governance}, "20": {implementation},
		}),
	},
	{
		key: "v-us-28", plan: "plan-ukraine", label: "US 28-point plan", date: "2025-11-20", author: "us",
		status: parley.Tabled, fsys: examples.Files, file: "us-28-points.txt",
		sources: []string{"src-plan-reported", "src-plan-delivered", "src-miami", "src-transcript-29-oct"},
		// The plan was proposed as a copy of the Gaza plan, and four of
		// its devices are the Gaza plan's in other words: the body chaired
		// by the US president that oversees the deal (the Board of Peace
		// became the Peace Council), the ceasefire on acceptance with a
		// pull-back to agreed lines, the amnesty, and the exchange of
		// hostages and prisoners. The wording differs too much for
		// automatic matching to find them.
		reported: map[string][]string{"24": {"4", "5"}, "26": {"6"}, "27": {"9"}, "28": {"3"}},
		notes:    us28Notes(),
	},
	{
		key: "v-e3", plan: "plan-e3", label: "E3 counter-proposal", date: "2025-11-23", author: "e3",
		status: parley.Tabled, fsys: examples.Files, file: "e3-counter-proposal.txt", sources: []string{"src-e3"},
		// Same numbering as the 28 points, point 3 deleted in place and
		// the amnesty (26) dropped, so the last two points move up one.
		// Rewritten points share too few words with the ones they replace
		// for automatic matching; the numbering says where they belong.
		reported: e3Reported(),
		// The points the Europeans changed, as reported.
		notes: withProvenance(nil, []string{"2", "3", "6", "7", "8", "9", "10", "14", "21", "25"},
			"e3", "doc-e3", "src-e3"),
	},
	{
		key: "v-geneva", plan: "plan-ukraine", label: "Geneva revision (19 points)", date: "2025-11-24",
		status: parley.Draft, textUnknown: true, pointCount: 19,
		reportedChanges: `Worked out by the US and Ukrainian delegations in Geneva on 23 November; the text was not published. Reported changes from the 28 points: down to 19 points; the 600,000 cap on Ukraine's armed forces, the full amnesty and the point on frozen Russian assets removed; the territorial and NATO questions left in brackets for the presidents to settle.`,
		sources:         []string{"src-geneva", "src-geneva-19"},
	},
	{
		key: "v-framework", plan: "plan-ukraine", label: "20-point framework", date: "2025-12-24", author: "ua",
		status: parley.Tabled, fsys: examples.Files, file: "framework-20-points.txt", sources: []string{"src-framework"},
		// The correspondence reported with the 28 points. Dropped: 3, 4,
		// 7, 8, 9, 13, 14, 15, 17 and 26; new: 10.
		reported: map[string][]string{
			"1": {"1"}, "2": {"2"}, "3": {"5"}, "4": {"6"}, "5": {"10"}, "6": {"16"}, "7": {"11"}, "8": {"12"},
			"9": {"12"}, "10": {}, "11": {"18"}, "12": {"19"}, "13": {"20"}, "14": {"21"}, "15": {"22"},
			"16": {"23"}, "17": {"24"}, "18": {"25"}, "19": {"27"}, "20": {"28"},
		},
		// The new free-trade point and the new territorial terms.
		notes: withProvenance(map[string][]string{
			"10": {economy}, "14.b": {territory, governance}, "14.c": {territory}, "14.d": {territory, military},
		}, []string{"10", "14.b", "14.c", "14.d"}, "", "briefing-framework", "src-framework"),
	},
}

// us28Notes tags every point of the 28-point plan, where it first
// appears. Its text reportedly took shape at the Miami meetings with
// Russian input; the reporting does not say which side proposed which
// point, so the version as a whole cites the meetings, and only the points
// the reporting singles out have a provenance of their own. The Peace
// Council, modelled on the Gaza plan as the envoy proposed on 14
// October, is the envoy's; Donetsk, raised in that call as the price of a
// deal, cites the call.
func us28Notes() []pointNote {
	tags := map[string][]string{
		"1": {territory}, "2": {guarantees}, "3": {alliances, guarantees}, "4": {alliances}, "5": {guarantees},
		"6": {military}, "7": {alliances}, "8": {alliances, military}, "9": {alliances, guarantees},
		"10": {guarantees}, "10.a": {guarantees}, "10.b": {guarantees}, "10.c": {guarantees, economy},
		"10.d": {guarantees}, "11": {alliances, economy}, "12": {reconstruction}, "13": {economy},
		"14": {assets, reconstruction}, "15": {implementation}, "16": {guarantees}, "17": {nuclear},
		"18": {nuclear}, "19": {nuclear}, "20": {rights}, "20.a": {rights}, "20.b": {rights}, "20.c": {rights},
		"21": {territory}, "21.a": {territory}, "21.b": {territory}, "21.c": {territory},
		"21.d": {territory, military}, "22": {territory, guarantees}, "23": {economy}, "24": {humanitarian},
		"24.a": {humanitarian}, "24.b": {humanitarian}, "24.c": {humanitarian}, "24.d": {humanitarian},
		"25": {governance}, "26": {amnesty}, "27": {implementation}, "28": {ceasefire},
	}
	var notes []pointNote
	for id, t := range tags {
		n := pointNote{point: id, tags: t}
		switch id {
		case "27":
			n.proposedBy, n.contact, n.sources = "us", "call-14-oct", []string{"src-transcript-14-oct"}
		case "21.d":
			n.contact, n.sources = "call-14-oct", []string{"src-transcript-14-oct"}
		}
		notes = append(notes, n)
	}
	return notes
}

// e3Reported is the point-for-point correspondence of the E3 text with
// the 28 points: the same number up to 25, then one less.
func e3Reported() map[string][]string {
	m := map[string][]string{}
	for n := 1; n <= 25; n++ {
		id := strconv.Itoa(n)
		m[id] = []string{id}
	}
	m["26"], m["27"] = []string{"27"}, []string{"28"}
	return m
}
