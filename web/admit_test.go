package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestAdmit checks that admit serves at most its limit of requests at
// once, lets the waiting ones in in the order they came, never holds back
// the health endpoints, and lets a waiting request whose client gives up
// go without serving it.
func TestAdmit(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var order []string
	running, most := 0, 0
	h := (&Server{}).admit(2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.URL.Path)
		running++
		most = max(most, running)
		mu.Unlock()
		if r.URL.Path != "/healthz" {
			<-release
		}
		mu.Lock()
		running--
		mu.Unlock()
	}))
	serve := func(ctx context.Context, path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil))
		return w
	}
	started := func(n int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			got := len(order)
			mu.Unlock()
			if got >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d requests started, want %d", got, n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	var wg sync.WaitGroup
	for _, p := range []string{"/a", "/b"} {
		wg.Go(func() { serve(context.Background(), p) })
	}
	started(2)
	// The next ones wait, each arriving after the one before.
	gone, leave := context.WithCancel(context.Background())
	var left *httptest.ResponseRecorder
	wg.Go(func() { left = serve(gone, "/gives-up") })
	time.Sleep(20 * time.Millisecond)
	for _, p := range []string{"/c", "/d", "/e"} {
		wg.Go(func() { serve(context.Background(), p) })
		time.Sleep(20 * time.Millisecond)
	}
	if w := serve(context.Background(), "/healthz"); w.Code != http.StatusOK {
		t.Errorf("the health check waited behind the load: %d", w.Code)
	}
	leave()
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	want := []string{"/a", "/b", "/healthz", "/c", "/d", "/e"}
	if len(order) != len(want) {
		t.Fatalf("served %v, want %v", order, want)
	}
	for i := range want[:3] { // the first two in either order
		if i < 2 && order[i] != "/a" && order[i] != "/b" || i == 2 && order[i] != want[i] {
			t.Fatalf("served %v, want %v", order, want)
		}
	}
	for i := 3; i < len(want); i++ {
		if order[i] != want[i] {
			t.Errorf("served %v, want the waiting requests in the order they came: %v", order, want)
			break
		}
	}
	if most > 3 { // two admitted, and the health check
		t.Errorf("%d requests ran at once, want at most 2 and the health check", most)
	}
	if left.Code != http.StatusServiceUnavailable {
		t.Errorf("a request given up while waiting got %d, want 503 and no service", left.Code)
	}
}
