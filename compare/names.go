package compare

// Names name a report and the two versions it compares, for the HTML and
// Markdown reports.
type Names struct {
	// Title heads the report; empty means "Comparison: OldName → NewName".
	Title string
	// OldName and NewName name the two versions, such as file names;
	// empty means the documents' titles, or "old version" and "new
	// version".
	OldName, NewName string
}

// resolvedNames are the names a report shows: the title, each version's
// name, and each document's own title when it differs from the name.
type resolvedNames struct {
	Title                    string
	OldName, OldTitle        string
	NewName, NewTitle        string
	oldDocTitle, newDocTitle string // the documents' titles, for "title changed"
}

// resolve fills in the names a report shows from n and the documents.
func (n Names) resolve(r *Report) resolvedNames {
	var rn resolvedNames
	if r.Old != nil {
		rn.oldDocTitle = r.Old.Title
	}
	if r.New != nil {
		rn.newDocTitle = r.New.Title
	}
	rn.OldName, rn.OldTitle = docName(n.OldName, rn.oldDocTitle, "old version")
	rn.NewName, rn.NewTitle = docName(n.NewName, rn.newDocTitle, "new version")
	rn.Title = n.Title
	if rn.Title == "" {
		rn.Title = "Comparison: " + rn.OldName + " → " + rn.NewName
	}
	return rn
}

// docName chooses how to name one version: the given name with the
// document's title beside it, or the title alone, or the fallback.
func docName(name, title, fallback string) (string, string) {
	switch {
	case name == "" && title == "":
		return fallback, ""
	case name == "":
		return title, ""
	case name == title:
		return name, ""
	}
	return name, title
}
