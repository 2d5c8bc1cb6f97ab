package web

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"guichet"
)

// Request body limits: every route has one, declared where the route is
// registered, and enforced before anything reads the body.
const (
	// FormBody bounds the body of a route that takes no file; the longest
	// forms (a page of 50 000 characters with its English version) fit.
	FormBody int64 = 1 << 20
	// MaxBody is the most any route may take. net/http keeps a form of up
	// to 32 MiB in memory when a handler reads one of its fields, so under
	// this bound no implicit parse writes a temporary file.
	MaxBody int64 = 32 << 20
)

// ErrTooLarge answers a body over its route's limit.
var ErrTooLarge = guichet.Errorf(guichet.ETooLarge, "Les données envoyées sont trop volumineuses.")

// Route is one registered URL pattern and what its body may weigh.
type Route struct {
	Host    string // ScopeSite, ScopePlatform or ScopeOps
	Pattern string
	MaxBody int64
	// Files marks routes that take uploads: their handlers read the body
	// themselves (ParseMultipart), once they know who sends it.
	Files bool
	// Private marks routes whose answers are never cached: see privateRoute.
	Private bool
}

// Uploads registers routes that take files (see Server.Uploads).
type Uploads struct {
	s     *Server
	limit int64
}

// Uploads returns a registrar for routes that take files, whose whole
// body may weigh up to limit bytes (at most MaxBody).
func (s *Server) Uploads(limit int64) Uploads { return Uploads{s: s, limit: limit} }

// Site adds a route taking files to every collectivité's site.
func (u Uploads) Site(pattern string, h HandlerFunc, mw ...Middleware) {
	u.s.add(Route{Host: "site", Pattern: pattern, MaxBody: u.limit, Files: true}, h, mw)
}

// Platform adds a route taking files to the operator's host.
func (u Uploads) Platform(pattern string, h HandlerFunc, mw ...Middleware) {
	u.s.add(Route{Host: "platform", Pattern: pattern, MaxBody: u.limit, Files: true}, h, mw)
}

// Routes returns every route of the sites, of the operator's host and of
// every host (operations), in the order they were registered.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

func (s *Server) add(rt Route, h HandlerFunc, mw []Middleware) {
	if rt.MaxBody <= 0 || rt.MaxBody > MaxBody {
		panic("web: body limit of " + rt.Pattern + " out of range")
	}
	mux := s.site
	if rt.Host == "platform" {
		mux = s.platform
	}
	s.api.note(rt.Pattern)
	rt.Private = privateRoute(rt.Pattern)
	s.routes = append(s.routes, rt)
	s.limits[rt.Host][rt.Pattern] = rt
	mux.Handle(rt.Pattern, chain(s.handle(h), mw))
}

// routeFor returns the route r goes to on the host's mux; a request that
// matches none gets the default limit on its way to the 404 page.
func (s *Server) routeFor(host string, mux *http.ServeMux, r *http.Request) Route {
	if _, pattern := mux.Handler(r); pattern != "" {
		if rt, ok := s.limits[host][pattern]; ok {
			return rt
		}
	}
	return Route{Host: host, MaxBody: FormBody}
}

// admitBody enforces rt's limit: a declared length over it is refused
// before reading anything, any other body stops at the limit. A form to
// a route without files is read at once, so that one over the limit gets
// its 413 whatever the handler does with a read error. It reports
// whether the request may go on.
func (s *Server) admitBody(w http.ResponseWriter, r *http.Request, rt Route) bool {
	if r.ContentLength > rt.MaxBody {
		s.Error(w, r, ErrTooLarge)
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	body := &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, rt.MaxBody), ex: exchangeOf(r.Context())}
	r.Body = body
	if rt.Files || !isForm(r) {
		return true
	}
	// ParseMultipartForm reports ErrNotMultipart for an urlencoded form,
	// whatever reading it did: the body itself says whether it was cut.
	_ = r.ParseMultipartForm(FormBody)
	if body.cut {
		s.Error(w, r, ErrTooLarge)
		return false
	}
	return true
}

func isForm(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// limitedBody notes that the body passed its limit, and tells the
// request's exchange when a handler reads it, for Server.Error to answer
// 413 whatever error the handler made of it.
type limitedBody struct {
	io.ReadCloser
	cut bool
	ex  *exchange
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && tooLarge(err) {
		b.cut = true
		if b.ex != nil {
			b.ex.tooLarge = true
		}
	}
	return n, err
}

// ParseMultipart reads r's form, multipart or not, of at most limit bytes
// (the route's own limit still applies), keeping up to maxMemory of its
// files in memory and the rest in temporary files. Those are removed when
// the request ends, whichever copy of the request parsed the form. A body
// over limit gives an error wrapping *http.MaxBytesError; a declared
// length over it is refused without reading.
func ParseMultipart(w http.ResponseWriter, r *http.Request, limit, maxMemory int64) error {
	if r.ContentLength > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	err := r.ParseMultipartForm(maxMemory)
	if r.MultipartForm != nil {
		if ex := exchangeOf(r.Context()); ex != nil {
			ex.forms = append(ex.forms, r.MultipartForm)
		}
	}
	if errors.Is(err, http.ErrNotMultipart) {
		return r.ParseForm()
	}
	return err
}
