package sqlite

import (
	"context"

	"parley"
)

// Analyse runs the analysis of a process's negotiation model.
func (s *NegotiationService) Analyse(ctx context.Context, q parley.AnalysisQuery) (*parley.Analysis, error) {
	return nil, parley.Errorf(parley.EINVALID, "the analysis is not available yet")
}
