package web

import (
	"cmp"
	"net/url"
	"strconv"

	"parley"
)

// The Admiralty code: how reliable a source is, and how credible the
// information is.
var (
	reliabilityOptions = []option{
		{"A", "A: completely reliable", ""}, {"B", "B: usually reliable", ""}, {"C", "C: fairly reliable", ""},
		{"D", "D: not usually reliable", ""}, {"E", "E: unreliable", ""}, {"F", "F: reliability cannot be judged", ""},
	}
	credibilityOptions = []option{
		{"1", "1: confirmed by other sources", ""}, {"2", "2: probably true", ""}, {"3", "3: possibly true", ""},
		{"4", "4: doubtful", ""}, {"5", "5: improbable", ""}, {"6", "6: truth cannot be judged", ""},
	}
)

// sourceForm is the form of a source.
var sourceForm = &recordForm[parley.Source]{
	noun: "source",
	intro: "A source is where a fact comes from: a web page or a document, rated with the Admiralty code " +
		"(how reliable the source is, A to F, and how credible the information, 1 to 6).",
	start: inProcess(func(proc *parley.Process) *parley.Source {
		return &parley.Source{ProcessID: proc.ID, Reliability: "F", Credibility: 6, Classification: inherit(proc.Classification)}
	}),
	store: func(svc parley.Services) recordStore[parley.Source] {
		return recordStore[parley.Source]{svc.Sources.FindSourceByID, svc.Sources.CreateSource, svc.Sources.UpdateSource}
	},
	target:  func(svc parley.Services, src *parley.Source, _ *choices) *shareTarget { return sourceTarget(svc, src) },
	process: func(src *parley.Source) string { return src.ProcessID },
	name:    sourceName,
	fields: func(src *parley.Source, ch *choices) []*field {
		published := ""
		if !src.Published.IsZero() {
			published = src.Published.Format("2006-01-02")
		}
		return []*field{
			{Name: "url", Label: "Address (URL)", Type: "url", Value: src.URL, Help: "An http or https address; leave empty for a document without one, and give its title."},
			{Name: "title", Label: "Title", Type: "text", Value: src.Title},
			{Name: "outlet", Label: "Outlet", Type: "text", Value: src.Outlet, Help: "The newspaper, agency, ministry or person that published it."},
			{Name: "published", Label: "Published on", Type: "date", Value: published},
			{Name: "reliability", Label: "Reliability of the source", Type: "select", Value: src.Reliability, Options: reliabilityOptions},
			{Name: "credibility", Label: "Credibility of the information", Type: "select", Value: strconv.Itoa(src.Credibility), Options: credibilityOptions},
			classificationField(src.Classification, ch.parties, ""),
		}
	},
	read: func(vals url.Values, src *parley.Source, _ *choices) error {
		src.URL, src.Title, src.Outlet = formLine(vals, "url"), formLine(vals, "title"), formLine(vals, "outlet")
		src.Reliability = formLine(vals, "reliability")
		var credErr, pubErr error
		src.Credibility, credErr = formInt(vals, "credibility", "credibility")
		src.Published, pubErr = formDay(vals, "published", "the publication date")
		src.Classification = formClassification(vals)
		return cmp.Or(credErr, pubErr)
	},
	done: func(src *parley.Source) string { return processURL(src.ProcessID) + "#sources" },
	back: func(src *parley.Source) string { return processURL(src.ProcessID) + "#sources" },
}
