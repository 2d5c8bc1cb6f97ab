package guichet

import (
	"errors"
	"fmt"
	"testing"
)

// The agents' booking form once looked for field messages with a type
// assertion, so an invalid error joined to a rollback's (as every
// transaction returns it) or wrapped with %w answered a bare error page.
func TestFieldErrorsFoundThroughWrapping(t *testing.T) {
	invalid := Invalid(map[string]string{"ants": "Ce numéro a déjà un rendez-vous."})
	conflict := &Error{Code: EConflict, Message: "Déjà pris.", Fields: map[string]string{"slug": "Déjà pris."}}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"bare", invalid, "ants"},
		{"joined to a nil rollback error", errors.Join(invalid, nil), "ants"},
		{"wrapped", fmt.Errorf("appointment: book: %w", invalid), "ants"},
		{"conflict naming its field", fmt.Errorf("tenant: %w", conflict), "slug"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FieldErrors(c.err); got[c.want] == "" {
				t.Errorf("FieldErrors(%v) = %v, want a message for %q", c.err, got, c.want)
			}
		})
	}
	for _, err := range []error{nil, errors.New("disk full"), Errorf(EInvalid, "Formulaire illisible."), Invalid(map[string]string{})} {
		if got := FieldErrors(err); got != nil {
			t.Errorf("FieldErrors(%v) = %v, want nil", err, got)
		}
	}
}
