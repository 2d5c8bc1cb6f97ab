package web

import (
	"context"
	"net/http"

	"guichet/internal/identity/staff"
)

// SetAudit connects the audit log every module writes staff actions to.
func (s *Server) SetAudit(rec staff.Recorder) { s.audit = rec }

// Audit returns the audit log's recorder; until one is set, it keeps
// nothing.
func (s *Server) Audit() staff.Recorder {
	if s.audit == nil {
		return discard{}
	}
	return s.audit
}

// Record writes action on target for the request's signed-in person. A
// failure is logged, not shown: the action itself succeeded.
func (s *Server) Record(r *http.Request, action, target string) {
	if err := s.Audit().Record(r.Context(), action, target); err != nil {
		s.log.ErrorContext(r.Context(), "audit", "action", action, "err", err)
	}
}

type discard struct{}

func (discard) Record(context.Context, string, string) error { return nil }
