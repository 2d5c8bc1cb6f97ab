package web

import (
	"net/http"
	"strings"

	"guichet/internal/identity/account"
)

// privatePrefixes are the paths whose answers belong to one person or
// carry a secret in their address: the back office and the operator's
// console, a person's account, cases (reached by a secret link), the
// password reset and the second factor, FranceConnect's return.
var privatePrefixes = []string{"/gestion", "/console", "/api/v1/gestion", "/compte", "/api/v1/me",
	"/dossiers/", "/api/v1/dossiers", "/mes-demarches", "/rendez-vous/mes-rendez-vous",
	"/mot-de-passe/nouveau", "/connexion/deuxieme-facteur", "/connexion/franceconnect"}

// privateRoute reports whether a route's answers must never be kept by a
// browser or a proxy: one of privatePrefixes, or a route reached by a
// secret token in its address (booking manage links, confirmations,
// invitations, unsubscriptions).
func privateRoute(pattern string) bool {
	path := pattern[strings.IndexByte(pattern, ' ')+1:]
	if strings.Contains(path, "{token}") {
		return true
	}
	for _, p := range privatePrefixes {
		if path == p || (strings.HasPrefix(path, p) && (strings.HasSuffix(p, "/") || strings.HasPrefix(path[len(p):], "/"))) {
			return true
		}
	}
	return false
}

// keepsNothing reports whether the answer to r must carry
// "Cache-Control: no-store": a private route, a signed-in visitor (or one
// half-way through the second factor) on any page, or a form sent.
func keepsNothing(r *http.Request, rt Route) bool {
	return rt.Private || account.FromContext(r.Context()) != nil || PendingSecondFactor(r.Context()) != nil ||
		(r.Method != http.MethodGet && r.Method != http.MethodHead)
}

// noStoreWriter sets "Cache-Control: no-store" when the answer starts,
// over whatever the handler set: a public kiosk's next user must not find
// the page in the browser's cache or history.
type noStoreWriter struct {
	http.ResponseWriter
	set bool
}

func (w *noStoreWriter) noStore() {
	if !w.set {
		w.Header().Set("Cache-Control", "no-store")
		w.set = true
	}
}

func (w *noStoreWriter) WriteHeader(code int) {
	w.noStore()
	w.ResponseWriter.WriteHeader(code)
}

func (w *noStoreWriter) Write(b []byte) (int, error) {
	w.noStore()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
