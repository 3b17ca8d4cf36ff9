package demo

import "parley"

// The records of the case, as tables. They are read-only: Load copies
// them into new records every time.

// summary tells the story on the process dashboard, for a reader who has
// two minutes.
const summary = `In October 2025 the US special envoy Steve Witkoff suggested to the Kremlin adviser Yuri Ushakov, on the telephone, a numbered "Trump plan" for Ukraine on the model of the 20-point Gaza plan of 29 September. Two days later Trump and Putin spoke, and a summit in Budapest was announced; within a week it was shelved. After meetings in Miami with the Russian envoy Kirill Dmitriev, where the text reportedly took shape with Russian input, a 28-point US plan reached Kyiv on 20 November.

France, Germany and the United Kingdom (the E3) answered on 23 November with a counter-proposal that kept the US numbering; the same day, US and Ukrainian delegations in Geneva cut the plan to 19 points whose text was not published. On 25 November the transcript of the October call between Witkoff and Ushakov came out. On 24 December Ukraine's president presented a 20-point framework, with an army of 800,000 and guarantees modelled on NATO's Article 5, as the Europeans had asked.

Compare the 28 points with the framework to see what was dropped, merged and split, and follow a point back to the Gaza plan through its history. Reconstructed from public reporting: every point is a paraphrase, not an official text, and every fact cites its source. Where only the day of a contact is known, it is shown at noon local time.`

// public is the classification of everything reconstructed from public
// reporting.
var public = parley.Classification{Level: parley.Public}

// class is a classification whose parties are given by key.
type class struct {
	level   parley.Level
	parties []string
}

type partyDef struct {
	key, name string
	kind      parley.PartyKind
}

// parties: the United States drafted and mediated; the E3 are three states
// acting together, recorded as one party because they wrote one text.
var parties = []partyDef{
	{"us", "United States", parley.Mediator},
	{"ru", "Russia", parley.State},
	{"ua", "Ukraine", parley.State},
	{"e3", "E3 (France, Germany, United Kingdom)", parley.State},
}

type personDef struct {
	key, name, party, role string
}

// people: the E3 national security advisers are not named in the
// reporting the case rests on, so the E3 have no people.
var people = []personDef{
	{"trump", "Donald Trump", "us", "President of the United States"},
	{"witkoff", "Steve Witkoff", "us", "Special envoy; credited with the Gaza deal"},
	{"rubio", "Marco Rubio", "us", "Secretary of State"},
	{"driscoll", "Dan Driscoll", "us", "Secretary of the Army; carried the plan to Kyiv"},
	{"putin", "Vladimir Putin", "ru", "President of Russia"},
	{"ushakov", "Yuri Ushakov", "ru", "Foreign-policy adviser to the president"},
	{"dmitriev", "Kirill Dmitriev", "ru", "Envoy; head of the Russian Direct Investment Fund"},
	{"zelenskiy", "Volodymyr Zelenskiy", "ua", "President of Ukraine"},
	{"umerov", "Rustem Umerov", "ua", "Secretary of the National Security and Defence Council; negotiator"},
}

type sourceDef struct {
	key, title, outlet string
	// published is a day, as 2006-01-02, or "" when the reporting does
	// not date it.
	published string
	// reliability (A–F) rates the source, credibility (1–6) the
	// information, as in the Admiralty code.
	reliability string
	credibility int
}

// sources. The reporting the case was reconstructed from gives no outlet
// names or URLs, so each source says what kind of report it is and when it
// appeared, and none has a URL rather than an invented one. Press reports
// rate B (usually reliable); credibility is 1 for events confirmed by the
// parties, 2 for accounts carried widely, 3 for single or unconfirmed
// accounts.
var sources = []sourceDef{
	{"src-gaza", "The 20-point plan for Gaza, as published and summarised", "Press reports", "2025-09-29", "B", 1},
	{"src-call-16-oct", "Trump and Putin speak by telephone; a Budapest summit is announced", "Press reports", "2025-10-16", "B", 1},
	{"src-meeting-17-oct", "Zelenskiy meets Trump at the White House", "Press reports", "2025-10-17", "B", 1},
	{"src-budapest-shelved", "The Budapest summit is shelved", "Press reports", "2025-10-22", "B", 2},
	{"src-miami", "Witkoff and Dmitriev met in Miami; the plan reportedly took shape there with Russian input", "Press reports", "", "B", 3},
	{"src-plan-reported", "A 28-point US plan for Ukraine is reported", "Press reports", "2025-11-19", "B", 2},
	{"src-plan-delivered", "The 28-point plan is delivered to Kyiv; the full list circulates", "Press reports", "2025-11-20", "B", 2},
	{"src-e3", "The European counter-proposal to the 28 points", "Press reports", "2025-11-23", "B", 2},
	{"src-geneva", "US–Ukraine talks in Geneva produce an \"updated and refined framework\"", "Press reports", "2025-11-23", "B", 1},
	{"src-geneva-19", "The Geneva framework: 19 points, text not published", "Press reports", "2025-11-24", "B", 3},
	{"src-transcript-14-oct", "Transcript of the Witkoff–Ushakov call of 14 October", "Press reports (published transcript)", "2025-11-25", "B", 2},
	{"src-transcript-29-oct", "Transcript of the Dmitriev–Ushakov call of 29 October", "Press reports (published transcript)", "2025-11-25", "B", 2},
	{"src-white-house", "The White House defends the envoy's contacts", "White House statement, as reported", "2025-11-25", "B", 1},
	{"src-framework", "Zelenskiy presents a 20-point framework", "Press reports", "2025-12-24", "B", 2},
}

type channelDef struct {
	key, name string
	kind      parley.ChannelKind
	parties   []string
	class     class
}

// channels. The Geneva talks ran on the US–Ukraine official track, so they
// are a contact of that channel with Geneva as its place rather than a
// channel of their own; the public briefing and the leak went through no
// channel and carry their own classification.
var channels = []channelDef{
	{"ch-backchannel", "US–Russia backchannel", parley.Backchannel, []string{"us", "ru"},
		class{parley.Shared, []string{"us", "ru"}}},
	{"ch-leaders", "Leader-to-leader line", parley.Official, []string{"us", "ru", "ua"}, class{level: parley.Public}},
	{"ch-us-ua", "US–Ukraine official track", parley.Official, []string{"us", "ua"}, class{level: parley.Public}},
	{"ch-us-europe", "US–Europe consultations", parley.Official, []string{"us", "e3"}, class{level: parley.Public}},
	{"ch-ru-internal", "Russian internal", parley.Official, []string{"ru"}, class{parley.Confidential, []string{"ru"}}},
}

type contactDef struct {
	key    string
	kind   parley.ContactKind
	status parley.ContactStatus
	// day is the day the contact started, as 2006-01-02, in zone; the
	// reporting gives no time of day, so it is stored at noon.
	day, zone string
	minutes   int
	place     string
	people    []string
	channel   string
	// class is nil for a contact that takes its channel's.
	class   *class
	summary string
	sources []string
	// undated: no day was ever set; day is only where the timeline
	// places the contact.
	undated bool
}

// timeNote ends the summary, because the timeline shows a time and a
// reader should not take noon for a fact.
func (d contactDef) timeNote() string {
	if d.undated {
		return " No date was ever set; the timeline places it at the end of October, when it was expected."
	}
	return " Only the day is known; the time shown is noon, local time."
}

// contacts: the timeline, in order.
var contacts = []contactDef{
	{key: "call-14-oct", kind: parley.Call, status: parley.Held, day: "2025-10-14", zone: "Europe/Moscow", minutes: 5,
		place: "Telephone", people: []string{"witkoff", "ushakov"}, channel: "ch-backchannel",
		summary: `Witkoff put to Ushakov the idea of a numbered "Trump plan" for Ukraine on the model of the 20-point Gaza plan. He advised that Putin ring Trump before Zelenskiy's visit to Washington, open with congratulations on the Gaza deal and call Trump a man of peace. Donetsk, and perhaps an exchange of land, came up as the price of a deal. Ushakov said Putin would make the call. The transcript was published on 25 November.`,
		sources: []string{"src-transcript-14-oct", "src-white-house"}},
	{key: "call-16-oct", kind: parley.Call, status: parley.Held, day: "2025-10-16", zone: "America/New_York",
		place: "Telephone", people: []string{"trump", "putin"}, channel: "ch-leaders",
		summary: `A call requested by Moscow. Putin praised the Gaza deal, as Witkoff had suggested two days earlier; Trump described the conversation as very productive. A summit in Budapest was announced.`,
		sources: []string{"src-call-16-oct"}},
	{key: "meeting-17-oct", kind: parley.Meeting, status: parley.Held, day: "2025-10-17", zone: "America/New_York",
		place: "White House, Washington", people: []string{"trump", "zelenskiy"}, channel: "ch-us-ua",
		summary: `Zelenskiy's visit to Washington, the day after the Trump–Putin call.`,
		sources: []string{"src-meeting-17-oct"}},
	{key: "meeting-miami", kind: parley.Meeting, status: parley.Held, day: "2025-10-24", zone: "America/New_York",
		place: "Miami", people: []string{"witkoff", "dmitriev"}, channel: "ch-backchannel",
		summary: `Three days of meetings, 24 to 26 October. According to later reports, the text of the US plan took shape here with Russian input.`,
		sources: []string{"src-miami", "src-transcript-29-oct"}},
	{key: "call-29-oct", kind: parley.Call, status: parley.Held, day: "2025-10-29", zone: "Europe/Moscow",
		place: "Telephone", people: []string{"dmitriev", "ushakov"}, channel: "ch-ru-internal",
		summary: `Dmitriev and Ushakov discussed handing "our paper" to the American side. Known from a transcript published on 25 November.`,
		sources: []string{"src-transcript-29-oct"}},
	{key: "summit-budapest", kind: parley.Summit, status: parley.Shelved, day: "2025-10-30", zone: "Europe/Budapest",
		place: "Budapest", people: []string{"trump", "putin"}, channel: "ch-leaders", undated: true,
		summary: `Announced after the call of 16 October for late October; reported shelved on 21–22 October, and never held.`,
		sources: []string{"src-call-16-oct", "src-budapest-shelved"}},
	{key: "doc-28-points", kind: parley.Document, status: parley.Held, day: "2025-11-20", zone: "Europe/Kyiv",
		place: "Kyiv", people: []string{"driscoll"}, channel: "ch-us-ua",
		summary: `The 28-point plan, first reported on 19 November, was carried to Kyiv by the US army secretary on 20 November; the full list circulated the same day. Translations differ on three points: whether Russia "will not" or "is not expected to" invade its neighbours (3), European jets or European troops in Poland (9), and "agreed" or "annexed" territories given up by Russia (21c).`,
		sources: []string{"src-plan-reported", "src-plan-delivered"}},
	{key: "meeting-geneva", kind: parley.Meeting, status: parley.Held, day: "2025-11-23", zone: "Europe/Zurich",
		place: "Geneva", channel: "ch-us-ua",
		summary: `Talks between the US and Ukrainian delegations, which revised the plan into what they called an "updated and refined framework": 19 points, with the territorial and NATO questions left in brackets for the presidents.`,
		sources: []string{"src-geneva", "src-geneva-19"}},
	{key: "doc-e3", kind: parley.Document, status: parley.Held, day: "2025-11-23", zone: "Europe/Paris",
		channel: "ch-us-europe",
		summary: `France, Germany and the United Kingdom published their counter-proposal: the US numbering kept, point by point edits, the amnesty dropped.`,
		sources: []string{"src-e3"}},
	{key: "leak-transcripts", kind: parley.Leak, status: parley.Held, day: "2025-11-25", zone: "America/New_York",
		class:   &class{level: parley.Public},
		summary: `Transcripts of the Witkoff–Ushakov call of 14 October and the Dmitriev–Ushakov call of 29 October were published. The White House defended the envoy's contacts as part of his job.`,
		sources: []string{"src-transcript-14-oct", "src-transcript-29-oct", "src-white-house"}},
	// Each party's internal notes, confidential to it. They are
	// illustrative: no party's internal papers were published, so these
	// restate, as an internal note would, what the party said in public.
	{key: "note-ua", kind: parley.Document, status: parley.Held, day: "2025-11-21", zone: "Europe/Kyiv",
		place: "Kyiv", people: []string{"umerov"}, class: &class{parley.Confidential, []string{"ua"}},
		summary: `Internal note for the Geneva delegation (illustrative). Lines to hold, as Kyiv stated them in public: no withdrawal from the part of Donetsk Ukraine holds, no cap on the army at 600,000, security guarantees that bind like an alliance, no amnesty that closes war-crimes cases.`},
	{key: "note-e3", kind: parley.Document, status: parley.Held, day: "2025-11-22", zone: "Europe/Paris",
		class:   &class{parley.Confidential, []string{"e3"}},
		summary: `Internal drafting note (illustrative). Answer the US plan point by point in its own numbering, so that every change can be read against it; start territorial talks from the line of contact; raise the army cap to 800,000; drop the amnesty.`},
	{key: "note-us", kind: parley.Document, status: parley.Held, day: "2025-11-18", zone: "America/New_York",
		people: []string{"witkoff"}, class: &class{parley.Confidential, []string{"us"}},
		summary: `Internal note (illustrative). The draft is to go to Kyiv before it is published, with a deadline of Thanksgiving for an answer, as later reported.`},
	{key: "briefing-framework", kind: parley.Document, status: parley.Held, day: "2025-12-24", zone: "Europe/Kyiv",
		place: "Kyiv", people: []string{"zelenskiy"}, class: &class{level: parley.Public},
		summary: `Zelenskiy presented a 20-point framework to the press.`,
		sources: []string{"src-framework"}},
}
