package publishingweb

import (
	"net/http"

	"guichet/internal/kernel/web"
)

// Message shows a one-paragraph page (a confirmation, an outcome): the
// message titleKey as its title, textKey as its text.
func Message(s *web.Server, w http.ResponseWriter, r *http.Request, titleKey, textKey string) error {
	p := s.Render.NewPage(r, "", map[string]any{"TextKey": textKey})
	p.Title = p.T(titleKey)
	s.Render.Page(w, r, http.StatusOK, "publishing/message", p)
	return nil
}
