package web

import (
	"bytes"
	"container/list"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"parley"
)

// lru keeps the most recently used values, up to a number of entries and
// a total size. It is safe for concurrent use. The pages cache what is
// expensive to draw and cannot change: comparisons of immutable versions,
// and drawings keyed by everything they show.
type lru[K comparable, V any] struct {
	mu         sync.Mutex
	maxEntries int
	maxBytes   int
	bytes      int
	size       func(V) int
	order      *list.List // of *lruEntry[K, V], most recently used first
	items      map[K]*list.Element
}

// lruEntry is one cached value.
type lruEntry[K comparable, V any] struct {
	key   K
	value V
}

// newLRU returns an empty cache with the given bounds; size says how many
// bytes a value holds.
func newLRU[K comparable, V any](maxEntries, maxBytes int, size func(V) int) *lru[K, V] {
	return &lru[K, V]{maxEntries: maxEntries, maxBytes: maxBytes, size: size, order: list.New(), items: map[K]*list.Element{}}
}

// get returns the value of key, if cached, and marks it as used.
func (c *lru[K, V]) get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry[K, V]).value, true
}

// put caches the value of key, replacing any value it had, and drops the
// least recently used values beyond the bounds. A value larger than the
// whole cache is not kept.
func (c *lru[K, V]) put(key K, value V) {
	size := c.size(value)
	if size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		e := el.Value.(*lruEntry[K, V])
		c.bytes += size - c.size(e.value)
		e.value = value
		c.order.MoveToFront(el)
	} else {
		c.items[key] = c.order.PushFront(&lruEntry[K, V]{key, value})
		c.bytes += size
	}
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		last := c.order.Back()
		e := last.Value.(*lruEntry[K, V])
		c.order.Remove(last)
		delete(c.items, e.key)
		c.bytes -= c.size(e.value)
	}
}

// drawnPage is the content of a page drawn once: the process it shows,
// the process's revision when its data was read (-1 when unknown), the
// page's title, and its content without the layout around it, which
// names the reader and is drawn for each request.
type drawnPage struct {
	processID string
	revision  int64
	title     string
	content   []byte
}

// Bounds of the cache of drawn pages.
const (
	maxDrawnPages = 256
	maxDrawnBytes = 16 << 20
)

// newDrawnCache returns an empty cache of drawn pages.
func newDrawnCache() *lru[drawnKey, *drawnPage] {
	return newLRU[drawnKey](maxDrawnPages, maxDrawnBytes, func(d *drawnPage) int {
		return len(d.content) + len(d.processID) + len(d.title)
	})
}

// drawnKey names a drawn page: the page, its parameters, and what its
// readers may see of its process (parley.Access.Key), so that a page
// drawn for one reader is never served to a reader who may see something
// else.
type drawnKey struct {
	page   string // "version" or "compare"
	a, b   string // the page's parameters: IDs of versions
	access string // the Key of the readers' access to the page's process
}

// keepsDrawn reports whether pages drawn for readers with this access to
// their process are kept and served again: only an observer's, who sees
// public records only. The store logs every read of any other record in
// the audit log, which a page served from the cache would skip; so a page
// that may show such records is drawn anew, from the store, every time.
func keepsDrawn(acc parley.Access) bool { return acc.Role == parley.RoleObserver }

// keptAccess is the Key of the only access whose pages are kept.
var keptAccess = parley.Access{Role: parley.RoleObserver}.Key()

// drawAt is what serveDrawn learnt for drawing a page anew: the revision
// of its process read before its data, if known.
type drawAt struct {
	revision int64
	known    bool
}

// serveDrawn serves the page of template file name drawn for key, if the
// reader's access to its process is one whose pages are kept and nothing
// in the process has changed since (one read: the process's revision),
// and reports whether it did. Otherwise it returns the revision read, so
// that the page drawn from data read after it can be kept: a write in
// between makes the kept page older than the process, and the next
// request draws it again.
//
// The pages read most (versions, comparisons) are read far more often
// than anything in their process changes, and drawing them costs many
// reads.
func (s *Server) serveDrawn(w http.ResponseWriter, r *http.Request, name string, key drawnKey) (drawAt, bool) {
	// Only pages of one access are kept, so the key is known before the
	// page's process is; the process's access is checked below.
	key.access = keptAccess
	d, ok := s.page.drawn.get(key)
	if !ok {
		return drawAt{}, false
	}
	if acc := parley.ActorFrom(r.Context()).In(d.processID); !keepsDrawn(acc) || acc.Key() != key.access {
		return drawAt{}, false
	}
	proc, err := s.svc.Processes.FindProcessByID(r.Context(), d.processID)
	if err != nil {
		return drawAt{}, false // drawn anew, which reports the error
	}
	if proc.Revision == d.revision && d.content != nil {
		s.render(w, r, http.StatusOK, name, &view{Title: d.title, Process: proc, Drawn: template.HTML(d.content)})
		return drawAt{}, true
	}
	return drawAt{revision: proc.Revision, known: true}, false
}

// renderCached writes a page like render and, when the reader's access
// to the page's process is one whose pages are kept, keeps its content
// for serveDrawn. A page drawn without a known revision is not kept, only
// its process, so that the next request learns the revision before
// reading the data.
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, name string, key drawnKey, processID string, at drawAt, data viewer) {
	acc := parley.ActorFrom(r.Context()).In(processID)
	if !keepsDrawn(acc) {
		s.render(w, r, http.StatusOK, name, data)
		return
	}
	key.access = acc.Key()
	s.frame(r, data)
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuffer(buf)
	if err := s.page.tmpl[name].ExecuteTemplate(buf, "content", data); err != nil {
		s.pageError(w, r, parley.Internal(fmt.Errorf("rendering %s: %w", name, err)))
		return
	}
	content := bytes.Clone(buf.Bytes())
	d := &drawnPage{processID: processID, revision: -1, title: data.base().Title}
	if at.known {
		d.revision, d.content = at.revision, content
	}
	s.page.drawn.put(key, d)
	data.base().Drawn = template.HTML(content) // drawn by html/template, so escaped
	s.execute(w, r, http.StatusOK, name, "layout", data)
}
