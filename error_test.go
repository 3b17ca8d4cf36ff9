package parley_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"parley"
)

func TestErrors(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name        string
		err         error
		code, shown string
	}{
		{"nil", nil, "", ""},
		{"application", parley.Errorf(parley.ENOTFOUND, "plan %q not found", "p1"), parley.ENOTFOUND, `plan "p1" not found`},
		{"wrapped", fmt.Errorf("store: %w", parley.FieldErrorf("label", "label is required")), parley.EINVALID, "label is required"},
		{"internal hides its cause", parley.Internal(cause), parley.EINTERNAL, "internal error"},
		{"plain error is internal", cause, parley.EINTERNAL, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parley.ErrorCode(tt.err); got != tt.code {
				t.Errorf("code: got %q, want %q", got, tt.code)
			}
			if got := parley.ErrorMessage(tt.err); got != tt.shown {
				t.Errorf("message: got %q, want %q", got, tt.shown)
			}
		})
	}
	if !errors.Is(parley.Internal(cause), cause) {
		t.Error("an internal error does not unwrap to its cause")
	}
}

func TestActorInContext(t *testing.T) {
	ctx := context.Background()
	if a := parley.ActorFrom(ctx); a != nil {
		t.Fatalf("got actor %+v from an empty context, want nil", a)
	}
	want := &parley.Actor{UserID: "u1", Name: "ukraine"}
	if got := parley.ActorFrom(parley.WithActor(ctx, want)); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
