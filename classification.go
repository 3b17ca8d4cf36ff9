package parley

import "fmt"

// Level is how widely a record may be seen.
type Level string

// The classification levels, from the widest audience to the narrowest.
const (
	// Public records may be seen by anyone with access to the process.
	Public Level = "public"
	// ProcessWide records may be seen by every participant of the process.
	ProcessWide Level = "process"
	// Shared records may be seen by the listed parties and the mediators.
	Shared Level = "shared"
	// Confidential records belong to one party (and the mediators).
	Confidential Level = "confidential"
	// MediatorsOnly records may be seen by the mediators alone.
	MediatorsOnly Level = "mediators"
)

// Levels lists the classification levels, widest first.
func Levels() []Level {
	return []Level{Public, ProcessWide, Shared, Confidential, MediatorsOnly}
}

// Classification says who may see a record. Every record carries one.
type Classification struct {
	Level Level `json:"level"`
	// PartyIDs are the parties a Shared record is shared with, the one
	// that shared it first, or the one party a Confidential record
	// belongs to.
	PartyIDs []string `json:"party_ids,omitempty"`
}

// Validate checks that the level is known and that the parties fit it.
func (c Classification) Validate() error {
	switch c.Level {
	case Public, ProcessWide, MediatorsOnly:
		if len(c.PartyIDs) > 0 {
			return FieldErrorf("classification", "a %s record lists no parties", c.Level)
		}
	case Shared:
		if len(c.PartyIDs) == 0 {
			return FieldErrorf("classification", "a shared record names the parties it is shared with")
		}
	case Confidential:
		if len(c.PartyIDs) != 1 {
			if len(c.PartyIDs) == 0 {
				return FieldErrorf("classification", "a confidential record names the one party it belongs to")
			}
			return FieldErrorf("classification", "a confidential record belongs to one party, not %d; share it with several instead", len(c.PartyIDs))
		}
	case "":
		return FieldErrorf("classification", "classification is required")
	default:
		return checkOneOf("classification", "classification", c.Level, Levels()...)
	}
	return nil
}

// String describes the classification, as "shared with p1, p2".
func (c Classification) String() string {
	switch c.Level {
	case Shared:
		return fmt.Sprintf("shared with %v", c.PartyIDs)
	case Confidential:
		return fmt.Sprintf("confidential to %v", c.PartyIDs)
	}
	return string(c.Level)
}
