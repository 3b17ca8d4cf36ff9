// Package parley is the domain of Parley, a workbench for negotiating and
// tracking peace agreements: the records of a peace process (parties,
// people, channels, contacts, sources, plans and their versions), the
// classification every record carries, the application error type, the
// actor travelling in the context, and the service interfaces that stores
// implement.
//
// The package has no dependencies of its own: engines (plantext, compare)
// and stores (sqlite, later postgres) depend on it, never the reverse.
package parley
