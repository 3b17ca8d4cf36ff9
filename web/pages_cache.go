package web

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"sync/atomic"

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

// drawnPage is the content of a page drawn once, and what it was drawn
// from: its process as read then, the tables the drawing read (each read
// by key or whole, see parley.Trace) with their counts of changes before
// the drawing read anything, and the audit records of its reads, which
// serving it again appends again. The layout around the content names
// the reader and is drawn for each request.
type drawnPage struct {
	process *parley.Process
	title   string
	content template.HTML // drawn by html/template, so escaped
	// data is what a page drawn in parts keeps besides (see the
	// dashboard's frame).
	data    any
	tables  map[string]bool
	changes parley.Changes
	reads   []parley.Read
}

// Bounds of the cache of drawn pages.
const (
	maxDrawnPages = 1024
	maxDrawnBytes = 32 << 20
)

// newDrawnCache returns an empty cache of drawn pages.
func newDrawnCache() *lru[drawnKey, *drawnPage] {
	return newLRU[drawnKey](maxDrawnPages, maxDrawnBytes, func(d *drawnPage) int {
		n := len(d.content) + len(d.title) + 64*len(d.tables)
		if f, ok := d.data.(*dashFrame); ok {
			n += len(f.head) + len(f.middle)
		}
		for _, r := range d.reads {
			n += 16 * (len(r.IDs) + 2)
		}
		return n
	})
}

// drawnKey names a drawn page: the page, its parameters, and what its
// readers may see of its process (parley.Access.Key), so that a page
// drawn for one reader is never served to a reader who may see something
// else. Two readers with the same access see the same page; the audit log
// tells them apart, as each is logged reading what the page shows.
type drawnKey struct {
	page   string // one of keptPages: "dashboard" is a dashboard's frame, "latest contacts" and "latest sources" its other parts
	a, b   string // the page's parameters: IDs of versions, or of the process
	access string // the Key of the readers' access to the page's process
}

// keptPages are the pages kept once drawn.
var keptPages = []string{"compare", "dashboard", "latest contacts", "latest sources", "version"}

// keptStat counts the visits of a kept page: served again, or drawn.
type keptStat struct{ served, drawn atomic.Uint64 }

// newKeptStats returns zero counts for every kept page.
func newKeptStats() map[string]*keptStat {
	m := map[string]*keptStat{}
	for _, p := range keptPages {
		m[p] = &keptStat{}
	}
	return m
}

// pageKey is a drawnKey without the access: a page of one process,
// whichever reader asks for it.
type pageKey struct{ page, a, b string }

// drawAt is what keptDrawing learnt for drawing a page anew: the counts
// of changes read before the drawing reads anything, the trace that
// records what it reads, and the context that traces. A zero drawAt
// draws without keeping the page.
type drawAt struct {
	changes parley.Changes
	trace   *parley.Trace
	ctx     context.Context
}

// changesNow returns the store's counts of changes, or nil when they
// cannot be read: pages are then drawn anew, which reports the error.
func (s *Server) changesNow(ctx context.Context) parley.Changes {
	changes, err := s.svc.Changes.Changes(ctx)
	if err != nil {
		return nil
	}
	return changes
}

// keptDrawing returns the drawing kept for key, if it was drawn for a
// reader with the same access to its process and nothing it read has
// changed since changes were read (one read per request: see changesNow).
// The caller appends its audit records (d.reads) before it serves it.
// Otherwise it returns nil and what drawing the page anew and keeping it
// needs; nothing is kept when changes is nil.
//
// The pages read most (versions, comparisons, dashboards) are read far
// more often than what they show changes, and drawing them costs many
// reads.
func (s *Server) keptDrawing(ctx context.Context, key drawnKey, changes parley.Changes) (*drawnPage, drawAt) {
	if changes == nil {
		return nil, drawAt{}
	}
	if processID, ok := s.page.homes.get(pageKey{key.page, key.a, key.b}); ok {
		acc := parley.ActorFrom(ctx).In(processID)
		key.access = acc.Key()
		if d, ok := s.page.drawn.get(key); ok && acc.Member() && d.changes.Same(changes, d.tables) {
			s.page.keptStats[key.page].served.Add(1)
			return d, drawAt{}
		}
	}
	s.page.keptStats[key.page].drawn.Add(1)
	at := drawAt{changes: changes, trace: parley.NewTrace()}
	at.ctx = parley.WithTrace(ctx, at.trace)
	return nil, at
}

// keep keeps d, drawn for key with at, for keptDrawing, with what the
// drawing read, when keptDrawing traced it and the reader is a member of
// the page's process; it reports whether it did.
func (s *Server) keep(ctx context.Context, key drawnKey, processID string, at drawAt, d *drawnPage) bool {
	acc := parley.ActorFrom(ctx).In(processID)
	if at.trace == nil || !acc.Member() {
		return false
	}
	tables, known := at.trace.Tables()
	if !known {
		return false
	}
	key.access = acc.Key()
	d.tables, d.changes, d.reads = tables, at.changes, at.trace.Reads()
	s.page.homes.put(pageKey{key.page, key.a, key.b}, processID)
	s.page.drawn.put(key, d)
	return true
}

// serveDrawn serves the page of template file name kept for key (see
// keptDrawing) and reports whether it did, or answered with an error.
// Otherwise it returns the request to draw the page with, whose store
// reads are traced, and what renderCached needs to keep the page.
func (s *Server) serveDrawn(w http.ResponseWriter, r *http.Request, name string, key drawnKey) (*http.Request, drawAt, bool) {
	d, at := s.keptDrawing(r.Context(), key, s.changesNow(r.Context()))
	switch {
	case d != nil:
		if err := s.svc.Changes.LogReads(r.Context(), d.reads); err != nil {
			s.pageError(w, r, err)
			return r, drawAt{}, true
		}
		s.render(w, r, http.StatusOK, name, &view{Title: d.title, Process: d.process, Drawn: d.content})
		return r, drawAt{}, true
	case at.ctx != nil:
		r = r.WithContext(at.ctx)
	}
	return r, at, false
}

// renderCached writes a page like render and keeps its content for
// serveDrawn (see keep).
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, name string, key drawnKey, processID string, at drawAt, data viewer) {
	if at.trace == nil {
		s.render(w, r, http.StatusOK, name, data)
		return
	}
	s.frame(r, data)
	content, err := s.drawContent(name, "content", data)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.keep(r.Context(), key, processID, at, &drawnPage{process: data.base().Process, title: data.base().Title, content: content})
	data.base().Drawn = content
	s.execute(w, r, http.StatusOK, name, "layout", data)
}

// drawContent draws template tmpl of page file name.
func (s *Server) drawContent(name, tmpl string, data any) (template.HTML, error) {
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuffer(buf)
	if err := s.page.tmpl[name].ExecuteTemplate(buf, tmpl, data); err != nil {
		return "", parley.Internal(fmt.Errorf("rendering %s of %s: %w", tmpl, name, err))
	}
	return template.HTML(buf.String()), nil // drawn by html/template, so escaped
}

// publicOnly reports whether a reader with this access to a process sees
// its public records only (an observer), whose reads the store does not
// log.
func publicOnly(acc parley.Access) bool { return acc.Role == parley.RoleObserver }
