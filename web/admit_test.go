package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"parley"
)

// TestAdmit checks that admit serves at most its limit of requests at
// once and lets the waiting ones in in the order they came; that a turn
// ends when the answer starts, so that a client slow to read holds none;
// that requests with a body and the health endpoints are never held
// back; and that a request whose client gives up while waiting goes
// unserved.
func TestAdmit(t *testing.T) {
	release := map[string]chan struct{}{}
	var mu sync.Mutex
	var order []string
	running, most := 0, 0
	s := &Server{}
	h := s.admit(2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.URL.Path)
		running++
		most = max(most, running)
		wait := release[r.URL.Path]
		mu.Unlock()
		if wait != nil {
			<-wait
		}
		mu.Lock()
		running--
		mu.Unlock()
		if r.URL.Path == "/answers-then-waits" {
			w.Write([]byte("drawn")) // the turn ends here
			<-release["/slow-reader"]
		}
	}))
	for _, p := range []string{"/a", "/b", "/c", "/d", "/e", "/slow-reader"} {
		release[p] = make(chan struct{})
	}
	serve := func(ctx context.Context, method, path, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		var r *http.Request
		if body != "" {
			r = httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
		} else {
			r = httptest.NewRequestWithContext(ctx, method, path, nil)
		}
		h.ServeHTTP(w, r)
		return w
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
			time.Sleep(time.Millisecond)
		}
	}
	served := func(n int) func() bool {
		return func() bool { mu.Lock(); defer mu.Unlock(); return len(order) >= n }
	}
	var wg sync.WaitGroup
	go1 := func(ctx context.Context, path string) { wg.Go(func() { serve(ctx, http.MethodGet, path, "") }) }
	go1(context.Background(), "/a")
	go1(context.Background(), "/b")
	until("two are served", served(2))
	// The next ones wait, each queued before the next arrives.
	gone, leave := context.WithCancel(context.Background())
	var left *httptest.ResponseRecorder
	wg.Go(func() { left = serve(gone, http.MethodGet, "/gives-up", "") })
	until("one waits", func() bool { return s.admission.queued() == 1 })
	for i, p := range []string{"/c", "/d", "/e"} {
		go1(context.Background(), p)
		until(p+" waits", func() bool { return s.admission.queued() == i+2 })
	}
	if w := serve(context.Background(), http.MethodGet, "/healthz", ""); w.Code != http.StatusOK {
		t.Errorf("the health check waited behind the load: %d", w.Code)
	}
	if w := serve(context.Background(), http.MethodPost, "/with-a-body", "x=1"); w.Code != http.StatusOK {
		t.Errorf("a request with a body waited behind the load: %d", w.Code)
	}
	leave()
	until("the one that gave up leaves the queue", func() bool { return s.admission.queued() == 3 })
	// One turn ends at a time: each goes to the oldest waiting.
	for i, p := range []string{"/a", "/b", "/c"} {
		close(release[p])
		until("the next is served", served(5+i))
	}
	close(release["/d"])
	close(release["/e"])
	wg.Wait()
	want := []string{"/healthz", "/with-a-body", "/c", "/d", "/e"}
	if got := order[2:]; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("served %v after /a and /b, want %v: the waiting ones in the order they came", got, want)
	}
	if most > 4 { // two admitted, the health check and the body
		t.Errorf("%d requests ran at once, want at most 2 and those never held back", most)
	}
	if left.Code != http.StatusServiceUnavailable {
		t.Errorf("a request given up while waiting got %d, want 503 and no service", left.Code)
	}

	// A turn ends when the answer starts: a client slow to read it
	// holds none.
	mu.Lock()
	order = nil
	mu.Unlock()
	wg.Go(func() { serve(context.Background(), http.MethodGet, "/answers-then-waits", "") })
	wg.Go(func() { serve(context.Background(), http.MethodGet, "/answers-then-waits", "") })
	until("both answered", served(2))
	done := make(chan struct{})
	go func() { serve(context.Background(), http.MethodGet, "/next", ""); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Errorf("a request waited for two whose answers had started")
	}
	close(release["/slow-reader"])
	wg.Wait()
}

// TestAdmitLendsTurns checks that a request waiting for the disk lends
// its turn to the next waiting request, and takes one back ahead of the
// requests that came after it: with one turn, /a waits for the disk while
// /b is served; /c comes; when /a's wait ends and /b is done, /a goes on
// before /c.
func TestAdmitLendsTurns(t *testing.T) {
	var mu sync.Mutex
	var events []string
	note := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	diskDone, bDone := make(chan struct{}), make(chan struct{})
	s := &Server{}
	h := s.admit(1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			note("a works")
			parley.Wait(r.Context(), func() struct{} { <-diskDone; return struct{}{} })
			note("a goes on")
		case "/b":
			note("b works")
			<-bDone
		default:
			note(r.URL.Path[1:] + " works")
		}
	}))
	serve := func(path string) {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s; events %v", what, events)
			}
		}
	}
	has := func(n int) func() bool { return func() bool { mu.Lock(); defer mu.Unlock(); return len(events) >= n } }
	var wg sync.WaitGroup
	wg.Go(func() { serve("/a") })
	until("a works", has(1))
	wg.Go(func() { serve("/b") })
	until("b is served while a waits for the disk", has(2))
	wg.Go(func() { serve("/c") })
	until("c waits", func() bool { return s.admission.queued() == 1 })
	close(diskDone)
	// /a wants its turn back; /b still holds the only one.
	until("a waits for a turn back", func() bool {
		s.admission.mu.Lock()
		defer s.admission.mu.Unlock()
		return len(s.admission.resuming) == 1
	})
	close(bDone)
	wg.Wait()
	want := "a works, b works, a goes on, c works"
	if got := strings.Join(events, ", "); got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

// TestAdmitLendsOnceForWaitsOnTwoGoroutines: a handler that waits on two
// goroutines at once lends its turn once and takes one back once, even
// when the second wait begins and ends while the first waits for its turn
// back; the request then ends, and hands its turn on.
func TestAdmitLendsOnceForWaitsOnTwoGoroutines(t *testing.T) {
	disk1, disk2, bDone, secondDone := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
	aWaits, bServed := make(chan struct{}), make(chan struct{})
	s := &Server{}
	h := s.admit(1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/b" {
			close(bServed)
			<-bDone
			return
		}
		if r.URL.Path != "/a" {
			return
		}
		var wg sync.WaitGroup
		wg.Go(func() { parley.Wait(r.Context(), func() struct{} { close(aWaits); <-disk1; return struct{}{} }) })
		wg.Go(func() {
			<-disk2 // begins once the first waits for its turn back
			parley.Wait(r.Context(), func() struct{} { return struct{}{} })
			close(secondDone)
		})
		wg.Wait()
	}))
	serve := func(path string) {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	resuming := func() int {
		s.admission.mu.Lock()
		defer s.admission.mu.Unlock()
		return len(s.admission.resuming)
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
	}
	aDone := make(chan struct{})
	go func() { serve("/a"); close(aDone) }()
	<-aWaits       // and has lent its turn
	go serve("/b") // gets /a's turn
	<-bServed
	close(disk1)
	wait("/a wants its turn back", func() bool { return resuming() == 1 })
	close(disk2)
	select {
	case <-secondDone:
	case <-time.After(5 * time.Second):
		t.Fatal("a wait that began and ended while another waited for a turn back waits for a turn of its own")
	}
	if n := resuming(); n != 1 {
		t.Errorf("%d requests wait for a turn back, want /a once", n)
	}
	close(bDone)
	select {
	case <-aDone:
	case <-time.After(5 * time.Second):
		t.Fatal("the request that waited on two goroutines never ended")
	}
	done := make(chan struct{})
	go func() { serve("/c"); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the turn was lost: the next request was not served")
	}
}
