package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"parley"
	"parley/compare"
)

// staticEmbed holds the files served under /static/: the style sheet,
// the vendored htmx and its licence (see static/README).
//
//go:embed static
var staticEmbed embed.FS

// staticFiles are the files served under /static/, read and compressed
// once at start-up.
type staticFiles struct {
	files map[string]*staticFile
}

// staticFile is one file served under /static/.
type staticFile struct {
	body, gzipped []byte // gzipped is nil when compression does not pay
	contentType   string
	hash          string // of the content: its version in URLs, and its ETag
}

// The cache lifetimes of static files. An address with the file's hash
// (as pages link to it) never changes content, so browsers may keep it
// for a year without asking again; a bare address may change with the
// next release.
const (
	staticImmutable = "public, max-age=31536000, immutable"
	staticBare      = "public, max-age=3600"
)

// loadStatic reads the embedded static files, and adds compare.css, the
// style sheet of the comparison report, from package compare, so that the
// compare page looks like the report that `parley compare` writes.
func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{files: map[string]*staticFile{}}
	err := fs.WalkDir(staticEmbed, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) == "" { // README is documentation, not served
			return err
		}
		b, err := staticEmbed.ReadFile(p)
		if err != nil {
			return err
		}
		return sf.add(path.Base(p), b)
	})
	if err != nil {
		return nil, fmt.Errorf("web: reading the static files: %w", err)
	}
	if err := sf.add("compare.css", []byte(compare.HTMLStyle())); err != nil {
		return nil, err
	}
	return sf, nil
}

// add adds a file, compressing it when that saves at least a tenth.
func (sf *staticFiles) add(name string, body []byte) error {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		return fmt.Errorf("web: static file %s has no known content type", name)
	}
	sum := sha256.Sum256(body)
	f := &staticFile{body: body, contentType: ct, hash: hex.EncodeToString(sum[:8])}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // the level is valid
	zw.Write(body)
	zw.Close()
	if gz.Len() < len(body)*9/10 {
		f.gzipped = gz.Bytes()
	}
	sf.files[name] = f
	return nil
}

// url returns the address of a static file with its hash as version, so
// that a new release's file is fetched anew. The templates call it; an
// unknown name is a bug in a template, caught by the tests of every page.
func (sf *staticFiles) url(name string) (string, error) {
	f := sf.files[name]
	if f == nil {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + name + "?v=" + f.hash, nil
}

// handleStatic serves a static file, compressed when the client accepts
// gzip, with a long cache lifetime when asked for by its versioned
// address.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f := s.page.static.files[r.PathValue("file")]
	if f == nil {
		s.pageError(w, r, parley.Errorf(parley.ENOTFOUND, "There is no file %s.", r.URL.Path))
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", staticImmutable)
	} else {
		h.Set("Cache-Control", staticBare)
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gzipped != nil && acceptsGzip(r) {
		body = f.gzipped
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip
// (without refusing it with q=0).
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
