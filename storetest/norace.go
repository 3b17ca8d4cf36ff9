//go:build !race

package storetest

// raceEnabled reports whether the race detector is on, which slows the
// store down about tenfold: the access model suite checks fewer worlds.
const raceEnabled = false
