package staffweb

import (
	"net/http"
	"slices"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/web"
)

// Staff lets through staff who passed the second factor and hold one of
// roles (any staff role when none is given). A member who still owes the
// second factor is sent to it (refused on anything but a page); other
// domains may use this for their back-office routes.
func (m *Module) Staff(roles ...account.Role) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := account.FromContext(r.Context())
			switch {
			case id == nil:
				if !m.s.OweSecondFactor(w, r) {
					m.s.Error(w, r, guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour continuer."))
				}
			case !id.IsStaff() || (len(roles) > 0 && !slices.ContainsFunc(roles, id.Has)):
				m.s.Error(w, r, guichet.Errorf(guichet.EForbidden, "Vous n'avez pas accès à cette page."))
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// origin adds the client's address and user agent to the context of a
// signed-in person's requests, so that any domain's audit entries say
// where an action came from.
func origin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if account.FromContext(r.Context()) != nil {
			r = r.WithContext(staff.WithOrigin(r.Context(), web.ClientIP(r), r.UserAgent()))
		}
		next.ServeHTTP(w, r)
	})
}
