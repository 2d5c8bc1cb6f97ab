// Package web turns HTTP into calls on the domain packages: routing,
// middleware, rendering, translations and static files. Each domain's
// handlers live in a sub-package with its own routes.go.
package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/kernel/tenant"
)

// HandlerFunc is an HTTP handler that returns its error instead of writing
// it, so that errors are mapped to pages and statuses in one place.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusOf maps a domain error code to an HTTP status.
var statusOf = map[string]int{
	guichet.EInvalid:      http.StatusUnprocessableEntity,
	guichet.ENotFound:     http.StatusNotFound,
	guichet.EConflict:     http.StatusConflict,
	guichet.EUnauthorized: http.StatusUnauthorized,
	guichet.EForbidden:    http.StatusForbidden,
	guichet.ERateLimited:  http.StatusTooManyRequests,
	guichet.ETooLarge:     http.StatusRequestEntityTooLarge,
	guichet.EUnavailable:  http.StatusServiceUnavailable,
	guichet.EInternal:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for err.
func StatusOf(err error) int { return statusOf[guichet.ErrorCode(err)] }

// handle adapts a HandlerFunc, rendering its error as a page or JSON.
func (s *Server) handle(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}

// Error writes err as a JSON error under /api/, a sign-in redirect for a
// signed-out page visitor, or an error page in the layout.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	if ex := exchangeOf(r.Context()); tooLarge(err) || (ex != nil && ex.tooLarge) {
		err = ErrTooLarge // whatever the handler made of a body cut at its limit
	}
	status := StatusOf(err)
	var wait interface{ RetryAfterSeconds() int }
	if errors.As(err, &wait) {
		w.Header().Set("Retry-After", strconv.Itoa(wait.RetryAfterSeconds()))
	} else if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "path", LoggedPath(r))
	}
	lang := LangOf(r)
	if IsAPI(r) {
		fields := fieldsOf(err)
		for k, v := range fields {
			fields[k] = s.Render.Cat.Sentence(lang, v)
		}
		WriteJSON(w, status, map[string]any{"error": map[string]any{
			"code": guichet.ErrorCode(err), "message": s.Render.Cat.Sentence(lang, guichet.ErrorMessage(err)), "fields": fields}})
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/connexion?suite="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if tenant.FromContext(r.Context()) == nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	page := &Page{Title: s.Render.T(lang, errorTitleKey(status)), Data: map[string]any{
		"Status": status, "Message": s.Render.Cat.Sentence(lang, guichet.ErrorMessage(err))}}
	s.Render.Page(w, r, status, "web/error", page)
}

func errorTitleKey(status int) string {
	switch status {
	case http.StatusNotFound:
		return "error.not_found"
	case http.StatusForbidden, http.StatusUnauthorized:
		return "error.forbidden"
	case http.StatusTooManyRequests:
		return "error.rate_limited"
	case http.StatusRequestEntityTooLarge:
		return "error.too_large"
	case http.StatusServiceUnavailable:
		return "error.unavailable"
	case http.StatusInternalServerError:
		return "error.internal"
	}
	return "error.generic"
}

// fieldsOf returns a copy of err's field messages.
func fieldsOf(err error) map[string]string {
	var e *guichet.Error
	if errors.As(err, &e) && e.Fields != nil {
		return maps.Clone(e.Fields)
	}
	return nil
}

// IsAPI reports whether r is a JSON API request.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write json", "err", err)
	}
}

// Redirect sends a 303 to path (after a POST, the browser GETs it).
func Redirect(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// SafeNext returns next if a browser would resolve it to a path of this
// site, else fallback: it keeps "?suite=" redirects from sending people to
// another site. Browsers drop tabs and newlines and read a backslash as a
// slash, and a later hop may decode escapes, so the path is checked as
// written and decoded once.
func SafeNext(next, fallback string) string {
	path, _, _ := strings.Cut(next, "?")
	path, _, _ = strings.Cut(path, "#")
	decoded, err := url.PathUnescape(path)
	if err != nil || !sameSitePath(next) || !sameSitePath(decoded) {
		return fallback
	}
	if _, err := url.Parse(next); err != nil { // a broken escape after "?" or "#"
		return fallback
	}
	return next
}

// sameSitePath reports whether p starts with one slash and holds no
// control character or backslash, which browsers strip or turn into "/".
func sameSitePath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}
