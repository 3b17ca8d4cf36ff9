package parley_test

import (
	"strings"
	"testing"
	"time"

	"parley"
)

var public = parley.Classification{Level: parley.Public}

// checkInvalid fails unless err is an EINVALID error about field.
func checkInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	e, ok := err.(*parley.Error)
	if !ok || e.Code != parley.EINVALID || e.Field != field || e.Message == "" {
		t.Fatalf("got %#v, want an invalid error about %q", err, field)
	}
}

func TestProcessAndPartyValidate(t *testing.T) {
	tests := []struct {
		name  string
		v     interface{ Validate() error }
		field string
	}{
		{"process", &parley.Process{Name: "Russia–Ukraine 2025", Classification: public}, ""},
		{"process without name", &parley.Process{Name: "  ", Classification: public}, "name"},
		{"process with a huge name", &parley.Process{Name: strings.Repeat("я", 201), Classification: public}, "name"},
		{"process without classification", &parley.Process{Name: "x"}, "classification"},
		{"party", &parley.Party{Name: "Ukraine", Kind: parley.State, Classification: public}, ""},
		{"party of unknown kind", &parley.Party{Name: "Ukraine", Kind: "nation", Classification: public}, "kind"},
		{"person", &parley.Person{Name: "Steve Witkoff", Role: "special envoy", Classification: public}, ""},
		{"channel", &parley.Channel{Name: "US–Russia backchannel", Kind: parley.Backchannel, PartyIDs: []string{"us", "ru"},
			Classification: parley.Classification{Level: parley.Shared, PartyIDs: []string{"us", "ru"}}}, ""},
		{"channel of unknown kind", &parley.Channel{Name: "x", Kind: "secret", Classification: public}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkInvalid(t, tt.v.Validate(), tt.field) })
	}
}

func TestContactValidate(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*3600)
	call := func() *parley.Contact {
		return &parley.Contact{Kind: parley.Call, Status: parley.Held, Start: time.Date(2025, 10, 14, 12, 0, 0, 0, moscow),
			Minutes: 5, ChannelID: "backchannel"}
	}
	tests := []struct {
		name  string
		edit  func(c *parley.Contact)
		field string
	}{
		{"inherits the channel's classification", func(c *parley.Contact) {}, ""},
		{"unknown kind", func(c *parley.Contact) { c.Kind = "chat" }, "kind"},
		{"unknown status", func(c *parley.Contact) { c.Status = "maybe" }, "status"},
		{"no start", func(c *parley.Contact) { c.Start = time.Time{} }, "start"},
		{"negative duration", func(c *parley.Contact) { c.Minutes = -1 }, "duration_minutes"},
		{"no channel, no classification", func(c *parley.Contact) { c.ChannelID = "" }, "classification"},
		{"own classification", func(c *parley.Contact) { c.ChannelID = ""; c.Classification = &public }, ""},
		{"invalid UTF-8 summary", func(c *parley.Contact) { c.Summary = "caf\xe9" }, "summary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := call()
			tt.edit(c)
			checkInvalid(t, c.Validate(), tt.field)
		})
	}
}

func TestSourceValidate(t *testing.T) {
	tests := []struct {
		name  string
		s     parley.Source
		field string
	}{
		{"url", parley.Source{URL: "https://example.org/report", Reliability: "B", Credibility: 2, Classification: public}, ""},
		{"document", parley.Source{Title: "Transcript of the 14 October call", Reliability: "C", Credibility: 3, Classification: public}, ""},
		{"nothing to cite", parley.Source{Reliability: "B", Credibility: 2, Classification: public}, "url"},
		{"not a web URL", parley.Source{URL: "javascript:alert(1)", Reliability: "B", Credibility: 2, Classification: public}, "url"},
		{"reliability G", parley.Source{Title: "x", Reliability: "G", Credibility: 2, Classification: public}, "reliability"},
		{"credibility 7", parley.Source{Title: "x", Reliability: "A", Credibility: 7, Classification: public}, "credibility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkInvalid(t, tt.s.Validate(), tt.field) })
	}
}

func TestVersionValidate(t *testing.T) {
	day := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		v     parley.Version
		field string
	}{
		{"text", parley.Version{Label: "28 points", Date: day, Status: parley.Tabled, Text: "1. Sovereignty.", Classification: public}, ""},
		{"text unknown", parley.Version{Label: "Geneva", Date: day, Status: parley.Draft, TextUnknown: true, PointCount: 19,
			ReportedChanges: "army cap, amnesty and assets removed", Classification: public}, ""},
		{"unknown but with text", parley.Version{Label: "x", Date: day, Status: parley.Draft, TextUnknown: true, PointCount: 19, Text: "1. a", Classification: public}, "text"},
		{"unknown without count", parley.Version{Label: "x", Date: day, Status: parley.Draft, TextUnknown: true, Classification: public}, "point_count"},
		{"no text", parley.Version{Label: "x", Date: day, Status: parley.Draft, Classification: public}, "text"},
		{"no date", parley.Version{Label: "x", Status: parley.Draft, Text: "1. a", Classification: public}, "date"},
		{"unknown status", parley.Version{Label: "x", Date: day, Status: "final", Text: "1. a", Classification: public}, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkInvalid(t, tt.v.Validate(), tt.field) })
	}
	if !parley.IsTopic("territory") || parley.IsTopic("weather") {
		t.Error("IsTopic does not know the built-in topics")
	}
}

func TestUnknownValueNamesTheChoices(t *testing.T) {
	err := (&parley.Party{Name: "Ukraine", Kind: "nation", Classification: public}).Validate()
	want := `unknown kind of party "nation" (want state, organisation, armed_group or mediator)`
	if got := parley.ErrorMessage(err); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBounds(t *testing.T) {
	many := make([]string, parley.MaxRefs+1)
	start := time.Date(2025, 10, 14, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		v     interface{ Validate() error }
		field string
	}{
		{"source URL too long", &parley.Source{URL: "https://example.org/" + strings.Repeat("a", parley.MaxURLLen), Reliability: "B", Credibility: 2, Classification: public}, "url"},
		{"too many channel members", &parley.Channel{Name: "x", Kind: parley.Official, PartyIDs: many, Classification: public}, "party_ids"},
		{"too many participants", &parley.Contact{Kind: parley.Call, Status: parley.Held, Start: start, PersonIDs: many, Classification: &public}, "person_ids"},
		{"start in year 10000", &parley.Contact{Kind: parley.Call, Status: parley.Held, Start: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Classification: &public}, "start"},
		{"version citing too many sources", &parley.Version{Label: "x", Date: start, Status: parley.Draft, Text: "1. a", SourceIDs: many, Classification: public}, "source_ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkInvalid(t, tt.v.Validate(), tt.field) })
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	s := &parley.Source{URL: "ftp://x", Reliability: "Z", Credibility: 9, Classification: public}
	err := s.Validate()
	e, ok := err.(*parley.Error)
	if !ok || e.Field != "url" {
		t.Fatalf("got %#v, want the first invalid field, url", err)
	}
	for _, field := range []string{"url", "reliability", "credibility"} {
		if e.Fields[field] == "" {
			t.Errorf("no message for %s in %v", field, e.Fields)
		}
	}
	if _, extra := e.Fields["classification"]; extra || len(e.Fields) != 3 {
		t.Errorf("got messages for %v, want url, reliability and credibility alone", e.Fields)
	}
	one := (&parley.Party{Name: "", Kind: parley.State, Classification: public}).Validate().(*parley.Error)
	if one.Field != "name" || one.Fields != nil {
		t.Errorf("one invalid field: got %#v, want it alone, without a list", one)
	}
}

func TestVersionPoint(t *testing.T) {
	v := &parley.Version{Points: []*parley.Point{{ID: "1"}, {ID: "10.b", Text: "sub-point"}}}
	if p := v.Point("10.b"); p == nil || p.Text != "sub-point" {
		t.Errorf("got %+v, want the sub-point", p)
	}
	if p := v.Point("2"); p != nil {
		t.Errorf("got %+v for a point the version lacks, want nil", p)
	}
}
