package web

import (
	"net/http"

	"guichet"
	"guichet/internal/account"
)

// SignedIn lets only signed-in people through; others are sent to sign in.
func (s *Server) SignedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if account.FromContext(r.Context()) == nil {
			s.Error(w, r, guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour continuer."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequireRole lets through staff holding one of roles (administrators hold
// every role of their collectivité). The session middleware grants staff
// roles only once the second factor is passed.
func (s *Server) RequireRole(roles ...account.Role) Middleware {
	return func(next http.Handler) http.Handler {
		return s.SignedIn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := account.FromContext(r.Context())
			for _, role := range roles {
				if id.Has(role) {
					next.ServeHTTP(w, r)
					return
				}
			}
			s.Error(w, r, guichet.Errorf(guichet.EForbidden, "Vous n'avez pas accès à cette page."))
		}))
	}
}
