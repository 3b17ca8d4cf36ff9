package parley

import "context"

// ProcessService manages processes. Every method takes a context carrying
// the actor; stores check and filter by it.
type ProcessService interface {
	// FindProcessByID returns a process, or ENOTFOUND.
	FindProcessByID(ctx context.Context, id string) (*Process, error)
	// FindProcesses returns the processes matching the filter, ordered by
	// name, and how many match in all (ignoring Offset and Limit).
	FindProcesses(ctx context.Context, filter ProcessFilter) ([]*Process, int, error)
	// CreateProcess validates and stores a new process, setting its ID
	// and timestamps.
	CreateProcess(ctx context.Context, p *Process) error
	// UpdateProcess changes the fields set in upd and returns the process.
	UpdateProcess(ctx context.Context, id string, upd ProcessUpdate) (*Process, error)
}

// ProcessFilter selects processes.
type ProcessFilter struct {
	ID     *string
	Name   *string
	Offset int
	Limit  int // 0 means no limit
}

// ProcessUpdate lists the fields of a process to change; nil fields stay.
type ProcessUpdate struct {
	Name           *string
	Summary        *string
	Classification *Classification
}
