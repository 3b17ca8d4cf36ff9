package bargain_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"parley/bargain"
)

// The speed targets of the engine, measured on one core
// (scripts/bench-bargain runs them and prints the ratios):
//
//   - two parties, 28 issues × 10 options: frontier and every fair point
//     in 50 ms;
//   - two parties, 100 issues × 10 options: the exact frontier in 1 s and
//     50 MB;
//   - three parties, 28 issues × 5 options: the ε-Pareto set (ε 0.005) and
//     every fair point within 0.5% of the optimum, in 1 s.
//
// Brute force runs in the same benchmarks where it is feasible (two
// parties × 6 issues × 10 options, three parties × 8 issues × 5 options),
// so that the script can report the engine's speed as a ratio of it.

// benchProblem is a random problem of the given size, from a fixed seed:
// weights spread over every issue, ratings 0–100 for every option,
// reservations of 20.
func benchProblem(parties, issues, options int) *bargain.Problem {
	r := rand.New(rand.NewPCG(uint64(parties), uint64(issues*1000+options)))
	p := &bargain.Problem{Preferences: map[string]bargain.Preferences{}}
	for k := range parties {
		p.Parties = append(p.Parties, fmt.Sprintf("P%d", k))
	}
	for j := range issues {
		is := bargain.Issue{ID: fmt.Sprintf("issue%d", j)}
		for o := range options {
			is.Options = append(is.Options, fmt.Sprintf("option%d", o))
		}
		p.Issues = append(p.Issues, is)
	}
	for _, party := range p.Parties {
		pref := bargain.Preferences{Weights: map[string]int{}, Ratings: map[string]map[string]int{}, Reservation: 20}
		for j := range p.Issues {
			pref.Weights[p.Issues[j].ID] = 1 + r.IntN(9)
		}
		normalise(pref.Weights, p.Issues)
		for _, is := range p.Issues {
			pref.Ratings[is.ID] = map[string]int{}
			for _, o := range is.Options {
				pref.Ratings[is.ID][o] = r.IntN(101)
			}
		}
		p.Preferences[party] = pref
	}
	return p
}

// normalise scales positive weights to sum to 100, the first issues
// taking what rounding leaves.
func normalise(w map[string]int, issues []bargain.Issue) {
	sum := 0
	for _, x := range w {
		sum += x
	}
	given := 0
	for _, is := range issues {
		w[is.ID] = w[is.ID] * 100 / sum
		given += w[is.ID]
	}
	for j := 0; given < 100; j = (j + 1) % len(issues) {
		w[issues[j].ID]++
		given++
	}
}

var methods = []string{bargain.MethodNash, bargain.MethodKS, bargain.MethodMaximin, bargain.MethodMaxSum}

// analyse computes the frontier and every fair point, as the analysis of
// a process does.
func analyse(tb testing.TB, p *bargain.Problem) (*bargain.Frontier, []*bargain.Solution) {
	fr, err := bargain.Pareto(p, 0)
	if err != nil {
		tb.Fatal(err)
	}
	var sols []*bargain.Solution
	for _, m := range methods {
		sol, err := bargain.Fair(p, m, fr)
		if err != nil {
			tb.Fatal(err)
		}
		sols = append(sols, sol)
	}
	return fr, sols
}

// BenchmarkAnalyse measures the frontier and every fair point; the
// sizes of two parties are exact, those of three ε-Pareto sets, whose ε is
// reported as eps and whose fair points' largest shortfall from the
// optimum as gap-%, the optimum found by brute force or, where that is out
// of reach, over the exact frontier.
func BenchmarkAnalyse(b *testing.B) {
	for _, tc := range []struct {
		parties, issues, options int
		brute                    bool
	}{
		{2, 6, 10, true},
		{2, 28, 10, false},
		{3, 8, 5, true},
		{3, 28, 5, false},
	} {
		b.Run(fmt.Sprintf("parties=%d/%dx%d", tc.parties, tc.issues, tc.options), func(b *testing.B) {
			p := benchProblem(tc.parties, tc.issues, tc.options)
			fr, sols := analyse(b, p)
			b.ReportAllocs()
			for b.Loop() {
				analyse(b, p)
			}
			b.ReportMetric(float64(len(fr.Outcomes)), "points")
			if tc.parties > 2 {
				b.ReportMetric(fr.Epsilon, "eps")
				bf := newBrute(p)
				all, ok := optimumSet(b, bf, p, tc.brute)
				if !ok {
					return
				}
				gap := 0.0
				for x, m := range methods {
					opt := bf.optimum(m, all)
					got := bf.value(m, sols[x].Outcome)
					if opt > 0 {
						gap = max(gap, 100*(opt-got)/opt)
					}
				}
				b.ReportMetric(gap, "gap-%")
			}
		})
	}
}

// optimumSet returns points among which the fair optima lie: every
// package's utilities by brute force, or else the exact frontier (an
// ε-Pareto set whose grid is too fine to merge anything); false when the
// exact frontier is out of reach.
func optimumSet(b *testing.B, bf *brute, p *bargain.Problem, brute bool) ([]point, bool) {
	if brute {
		return bf.distinct(), true
	}
	const tiny = 1e-9
	fr, err := bargain.Pareto(p, tiny)
	if err != nil {
		b.Fatal(err)
	}
	if fr.Epsilon != tiny {
		return nil, false
	}
	var all []point
	for _, o := range fr.Outcomes {
		u, err := bf.units(o)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, point{u: u})
	}
	return all, true
}

// BenchmarkBrute measures brute force on the sizes of BenchmarkAnalyse
// where it is feasible: every package, the frontier and every fair point.
func BenchmarkBrute(b *testing.B) {
	for _, tc := range []struct{ parties, issues, options int }{{2, 6, 10}, {3, 8, 5}} {
		b.Run(fmt.Sprintf("parties=%d/%dx%d", tc.parties, tc.issues, tc.options), func(b *testing.B) {
			p := benchProblem(tc.parties, tc.issues, tc.options)
			for b.Loop() {
				bf := newBrute(p)
				if tc.parties <= 2 {
					bf.solve2()
					continue
				}
				all := bf.distinct()
				paretoOf(all)
				for _, m := range methods {
					bf.optimum(m, all)
				}
			}
		})
	}
}

// BenchmarkFrontierLarge measures the exact frontier of two parties over
// 100 issues of 10 options, with the peak of live heap during one run
// (peak-B, sampled every 100 µs with the collector at GOGC=10) and the
// bytes allocated in all (B/op).
func BenchmarkFrontierLarge(b *testing.B) {
	p := benchProblem(2, 100, 10)
	var fr *bargain.Frontier
	peak := peakHeap(func() {
		var err error
		if fr, err = bargain.Pareto(p, 0); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bargain.Pareto(p, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak), "peak-B")
	b.ReportMetric(float64(len(fr.Outcomes)), "points")
}

// peakHeap runs f and returns the most heap its objects took above what
// they took before, sampled while f ran.
func peakHeap(f func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var top atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			if v := read(); v > top.Load() {
				top.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	if v := read(); v > top.Load() {
		top.Store(v)
	}
	close(done)
	<-stopped
	if top.Load() < base {
		return 0
	}
	return top.Load() - base
}
