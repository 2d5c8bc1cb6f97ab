package procedureweb

import (
	"net/http"
	"slices"
	"time"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
)

// accessCookie holds the token that opens a case filed without an
// account; one cookie per case.
func accessCookie(caseID string) string { return "guichet-dossier-" + caseID }

// accessIdle is how long the access cookie outlives the last visit of
// its case, as a resident's session does: on a shared computer, the next
// person cannot open the case the day after. The emailed link opens it
// again at any time.
const accessIdle = 12 * time.Hour

func (m *Module) setAccess(w http.ResponseWriter, caseID, token string) {
	http.SetCookie(w, &http.Cookie{Name: accessCookie(caseID), Value: token, Path: "/", MaxAge: int(accessIdle.Seconds()),
		HttpOnly: true, Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode})
}

// forgetAccess removes the access cookie of a case from the browser.
func (m *Module) forgetAccess(w http.ResponseWriter, caseID string) {
	http.SetCookie(w, &http.Cookie{Name: accessCookie(caseID), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: m.s.Secure(), SameSite: http.SameSiteLaxMode})
}

// renewAccess gives the access cookie of the case in the path another
// accessIdle at each visit of the case's pages.
func (m *Module) renewAccess(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if c, err := r.Cookie(accessCookie(id)); err == nil && c.Value != "" {
			m.setAccess(w, id, c.Value)
		}
		next.ServeHTTP(w, r)
	})
}

// openedByLink reports whether the request reaches case c through its
// access cookie rather than an account.
func openedByLink(r *http.Request, c *procedure.Case) bool {
	return c.UserID == "" && viewer(r, c.ID).Token != ""
}

// viewer describes the request's resident: account and access token.
func viewer(r *http.Request, caseID string) procedure.Viewer {
	v := procedure.Viewer{}
	if id := account.FromContext(r.Context()); id != nil {
		v.UserID = id.UserID
	}
	if c, err := r.Cookie(accessCookie(caseID)); err == nil {
		v.Token = c.Value
	}
	return v
}

// staffViewer describes an agent: scoped to their services, unless they
// are an administrator or have no service (the whole town hall).
func staffViewer(id *account.Identity) procedure.Viewer {
	return procedure.Viewer{UserID: id.UserID, Staff: true,
		AllServices: id.Has(account.RoleAdmin) || len(id.Services) == 0, Services: id.Services}
}

// residentCase loads the case of the URL for its own resident, or 404.
func (m *Module) residentCase(r *http.Request) (*procedure.Case, *procedure.Procedure, error) {
	t := tenant.FromContext(r.Context())
	id := r.PathValue("id")
	c, err := m.store.Case(r.Context(), t.ID, id)
	if err != nil {
		return nil, nil, err
	}
	if !c.OwnedBy(viewer(r, id)) {
		return nil, nil, procedure.ErrNotFound
	}
	p, err := m.store.Procedure(r.Context(), t.ID, c.ProcedureID)
	return c, p, err
}

// staffCase loads the case of the URL for an agent allowed to see it.
func (m *Module) staffCase(r *http.Request) (*procedure.Case, *procedure.Procedure, error) {
	t := tenant.FromContext(r.Context())
	id := account.FromContext(r.Context())
	c, err := m.store.CaseFor(r.Context(), t.ID, r.PathValue("id"), staffViewer(id), func(pid string) (*procedure.Procedure, error) {
		return m.store.Procedure(r.Context(), t.ID, pid)
	})
	if err != nil {
		return nil, nil, err
	}
	p, err := m.store.Procedure(r.Context(), t.ID, c.ProcedureID)
	return c, p, err
}

// scope returns the procedure ids an agent works on (nil: all).
func scope(id *account.Identity, procs []*procedure.Procedure) []string {
	v := staffViewer(id)
	if v.AllServices {
		return nil
	}
	out := []string{}
	for _, p := range procs {
		if p.Service == "" || slices.Contains(v.Services, p.Service) {
			out = append(out, p.ID)
		}
	}
	return out
}

func actor(r *http.Request) procedure.Actor {
	id := account.FromContext(r.Context())
	if id == nil {
		return procedure.Actor{}
	}
	return procedure.Actor{ID: id.UserID, Name: id.Name, Staff: id.IsStaff()}
}
