// Package examples holds three versions of the 2025 peace plan for Ukraine,
// paraphrased from press reports, for the README, the demo and the tests.
package examples

import "embed"

// Files are the example plan texts: us-28-points.txt (the US plan of 20
// November 2025), e3-counter-proposal.txt (the European counter-proposal of
// 23 November) and framework-20-points.txt (the framework of 24 December).
//
//go:embed *.txt
var Files embed.FS
