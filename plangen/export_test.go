package plangen

// GenerateWithIDs is Generate that also returns the ids read back from the
// labels as each version was written, in document order.
func GenerateWithIDs(opt Options) (p *Pair, oldIDs, newIDs []string) {
	p, em := generate(opt)
	return p, em.old, em.new
}
