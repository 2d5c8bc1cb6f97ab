package web

import (
	"net/http"

	"guichet/internal/kernel/db"
)

// WroteCookie marks, for a few seconds, a browser that has just sent a
// form: its reads then go to the primary database, so that it reads what
// it wrote even when a read replica lags (read-your-writes, whichever
// node answers).
const WroteCookie = "guichet_ecriture"

// wroteFor is how long reads stay on the primary after a write: far more
// than a streaming replica's lag on a healthy network.
const wroteFor = 10 // seconds

// UseReplica lets the reads of pages and lists go to the database's read
// replica (db.OpenReplica), except a visitor's just after they wrote.
func (s *Server) UseReplica() { s.replicaReads = true }

// readsFromReplica marks a safe request's reads as allowed on the
// replica, and an unsafe one's browser as having written.
func (s *Server) readsFromReplica(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.replicaReads {
			next.ServeHTTP(w, r)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if _, err := r.Cookie(WroteCookie); err != nil {
				r = r.WithContext(db.ReplicaAllowed(r.Context()))
			}
		default:
			http.SetCookie(w, &http.Cookie{Name: WroteCookie, Value: "1", Path: "/", MaxAge: wroteFor,
				HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r)
	})
}
