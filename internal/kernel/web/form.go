package web

import (
	"net/http"

	"guichet"
)

// ErrUnreadableForm answers a request whose form or address cannot be
// parsed: the sender's mistake (422), never a server error.
var ErrUnreadableForm = guichet.Errorf(guichet.EInvalid, "Formulaire illisible.")

// ParseForm reads r's form and address, refusing one it cannot read with
// ErrUnreadableForm.
func ParseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return ErrUnreadableForm
	}
	return nil
}
