package open311

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
)

// The refusals the protocol answers itself.
var (
	errNoService = guichet.Errorf(guichet.ENotFound, "Service inconnu.")
	errNoRequest = guichet.Errorf(guichet.ENotFound, "Demande inconnue.")
	errNoToken   = guichet.Errorf(guichet.ENotFound, "Jeton inconnu.")
	errNoKey     = guichet.Errorf(guichet.EForbidden, "La clé d'API (api_key) est obligatoire pour déposer une demande.")
	errNotForm   = guichet.Errorf(guichet.EInvalid, "Le corps doit être en application/x-www-form-urlencoded.")
	errTooLarge  = guichet.Errorf(guichet.ETooLarge, "Le corps dépasse 1 Mio.")
	errBadForm   = guichet.Errorf(guichet.EInvalid, "Le formulaire ne se lit pas.")
)

// readForm reads the url-encoded body, at most MaxBody bytes (the web
// layer may have read it already).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, errNotForm
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, errTooLarge
		}
		return nil, errBadForm
	}
	return r.PostForm, nil
}

// openGet is open for reading, whose answers any page may read, with
// the jurisdiction checked.
func (h *Handler) openGet(w http.ResponseWriter, r *http.Request) (string, Format, bool) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	name, f, ok := h.open(w, r)
	if !ok {
		return "", f, false
	}
	if err := h.checkJurisdiction(r.Context(), r.URL.Query().Get("jurisdiction_id")); err != nil {
		h.fail(w, r, f, err)
		return "", f, false
	}
	return name, f, true
}

// open reads the name and format of the path's last segment, answering
// 404 itself when the format is unknown.
func (h *Handler) open(w http.ResponseWriter, r *http.Request) (string, Format, bool) {
	name, f, ok := Split(r.PathValue(File))
	if !ok || name == "" {
		h.notFound(w, r)
		return "", f, false
	}
	return name, f, true
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	_, f, ok := Split(r.PathValue(File))
	msg := "Ressource inconnue."
	if !ok {
		msg = "Format inconnu\u00a0: terminez le chemin par .xml ou .json."
	}
	h.refuse(w, r, f, http.StatusNotFound, msg)
}

func (h *Handler) checkJurisdiction(ctx context.Context, given string) error {
	if given = strings.TrimSpace(given); given == "" {
		return nil
	}
	var want string
	if h.cfg.Jurisdiction != nil {
		want = h.cfg.Jurisdiction(ctx)
	}
	switch {
	case want != "" && strings.EqualFold(want, given):
		return nil
	case want != "":
		return guichet.Errorf(guichet.ENotFound, "jurisdiction_id «\u00a0%s\u00a0» inconnu ici, où il vaut «\u00a0%s\u00a0» (ou s'omet).", clip(given, 60), want)
	}
	return guichet.Errorf(guichet.ENotFound, "jurisdiction_id «\u00a0%s\u00a0» inconnu ici, où il s'omet.", clip(given, 60))
}

// fail answers err as an error list.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, f Format, err error) {
	status, list := Errors(err)
	if status == http.StatusInternalServerError {
		h.cfg.Log.ErrorContext(r.Context(), "open311 request failed", "err", err, "path", r.URL.Path)
	}
	if wait, ok := errors.AsType[interface {
		error
		RetryAfterSeconds() int
	}](err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(wait.RetryAfterSeconds()))
	} else if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	h.answer(w, r, status, f, errorsDoc(list))
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, f Format, status int, msg string) {
	h.answer(w, r, status, f, errorsDoc([]Error{{Code: status, Description: msg}}))
}

// answer encodes d and sends it; a document that cannot be encoded is
// an internal error.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, status int, f Format, d document) {
	body, err := encode(f, d)
	if err != nil {
		h.cfg.Log.ErrorContext(r.Context(), "open311 answer not encoded", "err", err, "path", r.URL.Path)
		status = http.StatusInternalServerError
		body, _ = encode(f, errorsDoc([]Error{{Code: status, Description: guichet.ErrorMessage(err)}}))
	}
	send(w, status, f, body)
}
