package open311

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"guichet/internal/kernel/clock"
)

// Config is what the handler needs besides its backend.
type Config struct {
	// Now ends the default window of GET requests.
	Now clock.Clock
	// Zone is where datetimes are written and date-only arguments read
	// (UTC when nil).
	Zone *time.Location
	// Jurisdiction returns the jurisdiction_id accepted for the
	// collectivité of ctx; any other, or any at all when it is nil or
	// answers "", is refused with 404. An absent one is always accepted.
	Jurisdiction func(ctx context.Context) string
	// About fills the discovery document (a plain one when nil).
	About func(r *http.Request) About
	// Log receives the causes of internal errors (discarded when nil).
	Log *slog.Logger
}

// defaultChangeset dates this implementation, for a discovery document
// whose About has no changeset.
var defaultChangeset = time.Date(2026, time.December, 7, 0, 0, 0, 0, time.UTC)

// Handler answers the protocol's endpoints; each method is an
// http.HandlerFunc that reads its path's last segment from
// r.PathValue(File).
type Handler struct {
	b   Backend
	cfg Config
}

// New returns the handler of b.
func New(b Backend, cfg Config) *Handler {
	cfg.Now = clock.Or(cfg.Now)
	if cfg.Zone == nil {
		cfg.Zone = time.UTC
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{b: b, cfg: cfg}
}

// Index answers GET discovery.{fmt}, services.{fmt} and requests.{fmt},
// which share one wildcard segment.
func (h *Handler) Index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	switch name, _, _ := Split(r.PathValue(File)); name {
	case "discovery":
		h.Discovery(w, r)
	case "services":
		h.Services(w, r)
	case "requests":
		h.Requests(w, r)
	default:
		h.notFound(w, r)
	}
}

// Discovery answers GET discovery.{fmt}.
func (h *Handler) Discovery(w http.ResponseWriter, r *http.Request) {
	_, f, ok := h.openGet(w, r)
	if !ok {
		return
	}
	h.answer(w, r, http.StatusOK, f, discoveryDoc(h.about(r), h.cfg.Zone))
}

func (h *Handler) about(r *http.Request) About {
	var a About
	if h.cfg.About != nil {
		a = h.cfg.About(r)
	}
	if a.Changeset.IsZero() {
		a.Changeset = defaultChangeset
	}
	if a.URL == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		a.URL = scheme + "://" + r.Host + strings.TrimSuffix(r.URL.Path, "/"+r.PathValue(File))
	}
	if a.Contact == "" {
		a.Contact = "Écrivez à la collectivité depuis son site."
	}
	if a.KeyService == "" {
		a.KeyService = "La collectivité délivre les clés d'API sur demande."
	}
	return a
}

// Services answers GET services.{fmt}.
func (h *Handler) Services(w http.ResponseWriter, r *http.Request) {
	_, f, ok := h.openGet(w, r)
	if !ok {
		return
	}
	list, err := h.b.Services(r.Context())
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	h.answer(w, r, http.StatusOK, f, servicesDoc(list))
}

// Definition answers GET services/{service_code}.{fmt}.
func (h *Handler) Definition(w http.ResponseWriter, r *http.Request) {
	code, f, ok := h.openGet(w, r)
	if !ok {
		return
	}
	d, err := h.b.Definition(r.Context(), code)
	if err == nil && d == nil {
		err = errNoService
	}
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	h.answer(w, r, http.StatusOK, f, definitionDoc(d))
}

// Requests answers GET requests.{fmt}.
func (h *Handler) Requests(w http.ResponseWriter, r *http.Request) {
	_, f, ok := h.openGet(w, r)
	if !ok {
		return
	}
	q, err := ParseQuery(r.URL.Query(), h.cfg.Now(), h.cfg.Zone)
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	list, err := h.b.Requests(r.Context(), q)
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	if len(list) > q.Limit {
		list = list[:q.Limit]
	}
	h.answer(w, r, http.StatusOK, f, requestsDoc(list, h.cfg.Zone))
}

// Request answers GET requests/{service_request_id}.{fmt}.
func (h *Handler) Request(w http.ResponseWriter, r *http.Request) {
	id, f, ok := h.openGet(w, r)
	if !ok {
		return
	}
	req, err := h.b.Request(r.Context(), id)
	if err == nil && req == nil {
		err = errNoRequest
	}
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	h.answer(w, r, http.StatusOK, f, requestsDoc([]Request{*req}, h.cfg.Zone))
}

// Token answers GET tokens/{token}.{fmt}.
func (h *Handler) Token(w http.ResponseWriter, r *http.Request) {
	token, f, ok := h.openGet(w, r)
	if !ok {
		return
	}
	list, err := h.b.Token(r.Context(), token)
	if err == nil && len(list) == 0 {
		err = errNoToken
	}
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	h.answer(w, r, http.StatusOK, f, tokensDoc(list))
}

// Post answers POST requests.{fmt}.
func (h *Handler) Post(w http.ResponseWriter, r *http.Request) {
	name, f, ok := h.open(w, r)
	if !ok {
		return
	}
	switch name {
	case "requests":
	case "discovery", "services":
		w.Header().Set("Allow", "GET, HEAD")
		h.refuse(w, r, f, http.StatusMethodNotAllowed, "Cette ressource se lit seulement (GET).")
		return
	default:
		h.notFound(w, r)
		return
	}
	posted, err := h.post(w, r)
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	h.answer(w, r, http.StatusOK, f, postedDoc(posted))
}

// post reads the form, checks the jurisdiction, the key's presence and
// the fields, and hands the request to the backend.
func (h *Handler) post(w http.ResponseWriter, r *http.Request) (*Posted, error) {
	form, err := readForm(w, r)
	if err != nil {
		return nil, err
	}
	if err := h.checkJurisdiction(r.Context(), r.Form.Get("jurisdiction_id")); err != nil {
		return nil, err
	}
	key := strings.TrimSpace(form.Get("api_key"))
	if key == "" {
		return nil, errNoKey
	}
	nr, err := ParseNewRequest(form)
	if err != nil {
		return nil, err
	}
	posted, err := h.b.Post(r.Context(), key, nr)
	if err == nil && posted == nil {
		err = errors.New("open311: the backend posted nothing")
	}
	return posted, err
}
