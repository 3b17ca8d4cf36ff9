package web

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
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

// drawnPage is a page drawn once: the process it shows, the process's
// revision when its data was read (-1 when unknown), and the page.
type drawnPage struct {
	processID string
	revision  int64
	body      []byte
}

// Bounds of the cache of drawn pages.
const (
	maxDrawnPages = 256
	maxDrawnBytes = 16 << 20
)

// newDrawnCache returns an empty cache of drawn pages.
func newDrawnCache() *lru[drawnKey, *drawnPage] {
	return newLRU[drawnKey](maxDrawnPages, maxDrawnBytes, func(d *drawnPage) int { return len(d.body) + len(d.processID) })
}

// drawnKey names a drawn page: the page, its parameters, and what its
// reader may see, so that a page drawn for one reader is never served to
// a reader who may see less.
type drawnKey struct {
	page   string // "version" or "compare"
	a, b   string // the page's parameters: IDs of versions
	reader string // see readerKey
}

// readerKey says what the actor in ctx may see: what a mediator may see
// depends on the processes the mediator belongs to, so it is keyed by the
// user; a delegate sees the records of the listed parties; an anonymous
// reader only public records ("").
func readerKey(ctx context.Context) string {
	a := parley.ActorFrom(ctx)
	switch {
	case a == nil:
		return ""
	case a.Mediator:
		return "mediator:" + a.UserID
	}
	ids := slices.Clone(a.PartyIDs)
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

// drawAt is what serveDrawn learnt for drawing a page anew: the revision
// of its process read before its data, if known.
type drawAt struct {
	revision int64
	known    bool
}

// serveDrawn serves the page drawn for key if nothing in its process has
// changed since (one read: the process's revision), and reports whether it
// did. Otherwise it returns the revision read, so that the page drawn from
// data read after it can be kept: a write in between makes the kept page
// older than the process, and the next request draws it again.
//
// The pages read most (versions, comparisons) are read far more often
// than anything in their process changes, and drawing them costs many
// reads.
func (s *Server) serveDrawn(w http.ResponseWriter, r *http.Request, key drawnKey) (drawAt, bool) {
	d, ok := s.page.drawn.get(key)
	if !ok {
		return drawAt{}, false
	}
	proc, err := s.svc.Processes.FindProcessByID(r.Context(), d.processID)
	if err != nil {
		return drawAt{}, false // drawn anew, which reports the error
	}
	if proc.Revision == d.revision && d.body != nil {
		s.writePage(w, r, http.StatusOK, d.body)
		return drawAt{}, true
	}
	return drawAt{revision: proc.Revision, known: true}, false
}

// renderCached writes a page like render and keeps it for serveDrawn. A
// page drawn without a known revision is not kept, only its process, so
// that the next request learns the revision before reading the data.
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, name string, key drawnKey, processID string, at drawAt, data viewer) {
	data.base().Build = s.ver
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuffer(buf)
	if err := s.page.tmpl[name].ExecuteTemplate(buf, "layout", data); err != nil {
		s.pageError(w, r, parley.Internal(fmt.Errorf("rendering %s: %w", name, err)))
		return
	}
	d := &drawnPage{processID: processID, revision: -1}
	if at.known {
		d.revision, d.body = at.revision, bytes.Clone(buf.Bytes())
	}
	s.page.drawn.put(key, d)
	s.writePage(w, r, http.StatusOK, buf.Bytes())
}
