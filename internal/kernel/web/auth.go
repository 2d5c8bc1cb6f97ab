package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"guichet"
	"guichet/internal/identity/account"
)

// pendingKey holds the identity of a staff member who still owes the
// second factor: until it is passed, pages see a signed-out visitor,
// except those behind SigningIn.
type pendingKey struct{}

// PendingSecondFactor returns the identity of a staff member signed in
// with a password who has not passed the second factor yet, or nil.
func PendingSecondFactor(ctx context.Context) *account.Identity {
	id, _ := ctx.Value(pendingKey{}).(*account.Identity)
	return id
}

// holdPendingSecondFactor sets aside the identity of a session that still
// owes the second factor, so that no page acts as its owner before it is
// passed: not the profile, the data export or the account's deletion.
func holdPendingSecondFactor(r *http.Request) *http.Request {
	id := account.FromContext(r.Context())
	if id == nil || !id.NeedsSecondFactor {
		return r
	}
	ctx := context.WithValue(account.NewContext(r.Context(), nil), pendingKey{}, id)
	return r.WithContext(ctx)
}

// ErrSecondFactorDue answers a staff member who asks for a signed-in page
// before passing the second factor.
var ErrSecondFactorDue = guichet.Errorf(guichet.EForbidden,
	"Saisissez d'abord le code de votre application d'authentification.")

// OweSecondFactor answers a request from a staff member who has not passed
// the second factor: a page is sent to it, anything else refused. It
// reports whether it answered.
func (s *Server) OweSecondFactor(w http.ResponseWriter, r *http.Request) bool {
	if PendingSecondFactor(r.Context()) == nil {
		return false
	}
	if r.Method == http.MethodGet && !IsAPI(r) {
		http.Redirect(w, r, account.SecondFactorPath+"?suite="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return true
	}
	s.Error(w, r, ErrSecondFactorDue)
	return true
}

// SignedIn lets only signed-in people through; others are sent to sign in,
// and staff who owe the second factor to it.
func (s *Server) SignedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if account.FromContext(r.Context()) == nil {
			if !s.OweSecondFactor(w, r) {
				s.Error(w, r, guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour continuer."))
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// SigningIn lets through signed-in people, staff who still owe the second
// factor included: it guards the second factor's own pages.
func (s *Server) SigningIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := PendingSecondFactor(r.Context()); id != nil {
			r = r.WithContext(account.NewContext(r.Context(), id))
		}
		s.SignedIn(next).ServeHTTP(w, r)
	})
}

// Staff is the one guard of staff routes: it lets through staff holding
// one of roles, or any staff role when none is given (administrators hold
// every role of their collectivité). Others are sent to sign in, and
// staff who owe the second factor to it, since the session middleware
// grants staff roles only once it is passed.
func (s *Server) Staff(roles ...account.Role) Middleware {
	return func(next http.Handler) http.Handler {
		return s.SignedIn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := account.FromContext(r.Context())
			if !id.IsStaff() || (len(roles) > 0 && !slices.ContainsFunc(roles, id.Has)) {
				s.Error(w, r, guichet.Errorf(guichet.EForbidden, "Vous n'avez pas accès à cette page."))
				return
			}
			next.ServeHTTP(w, r)
		}))
	}
}
