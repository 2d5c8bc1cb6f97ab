package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"guichet"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Server is the HTTP front of Guichet. Modules add their routes to the
// collectivité sites (Site) or to the operator's host (Platform).
type Server struct {
	Render   *Renderer
	Metrics  *Metrics
	log      *slog.Logger
	tenants  *tenant.Resolver
	secure   bool
	site     *http.ServeMux
	platform *http.ServeMux
	ops      *http.ServeMux
	inner    []Middleware
	sitemap  []SitemapSource
	platMap  []SitemapSource
	api      *openAPI
	proxies  Proxies
	// Limits are the abuse limits of the actions that send mail or hold a
	// resource (see Limit); in memory and unrecorded until the app sets
	// its own.
	Limits          *abuse.Limits
	deviceKey       []byte // see SetDeviceKey
	replicaReads    bool   // see UseReplica
	clientKeyHeader string
	routes          []Route
	limits          map[string]map[string]Route // by host ("site", "platform"), then pattern
	audit           staff.Recorder              // see SetAudit
}

// Where a route answers: Route.Host.
const (
	ScopeSite     = "site"     // every collectivité's site
	ScopePlatform = "platform" // the operator's host
	ScopeOps      = "ops"      // every host, before tenant resolution
)

// NewServer returns a server for the tenants of resolver. secure marks
// deployments served over TLS (Secure cookies, HSTS).
func NewServer(log *slog.Logger, render *Renderer, resolver *tenant.Resolver, metrics *Metrics, secure bool) *Server {
	s := &Server{Render: render, Metrics: metrics, log: log, tenants: resolver, secure: secure,
		site: http.NewServeMux(), platform: http.NewServeMux(), ops: http.NewServeMux(), api: newOpenAPI(),
		Limits: abuse.New(nil, log), limits: map[string]map[string]Route{"site": {}, "platform": {}}}
	s.Ops("GET /static/", render.Static)
	render.siteURL = s.SiteURL
	return s
}

// TrustProxies sets the reverse proxies whose X-Forwarded-For is believed;
// call it before Handler.
func (s *Server) TrustProxies(p Proxies) { s.proxies = p }

// Secure reports whether the deployment is served over TLS.
func (s *Server) Secure() bool { return s.secure }

// Log returns the server's logger.
func (s *Server) Log() *slog.Logger { return s.log }

// Tenants returns the host → tenant resolver.
func (s *Server) Tenants() *tenant.Resolver { return s.tenants }

// Site adds a route to every collectivité's site; its body may weigh
// FormBody (routes taking files are added through Uploads).
func (s *Server) Site(pattern string, h HandlerFunc, mw ...Middleware) {
	s.add(Route{Host: "site", Pattern: pattern, MaxBody: FormBody}, h, mw)
}

// Platform adds a route to the operator's host (the bare base domain);
// its body may weigh FormBody.
func (s *Server) Platform(pattern string, h HandlerFunc, mw ...Middleware) {
	s.add(Route{Host: "platform", Pattern: pattern, MaxBody: FormBody}, h, mw)
}

// Ops adds a route answered on every host, before tenant resolution
// (health checks, metrics, static files).
func (s *Server) Ops(pattern string, h http.Handler) {
	s.routes = append(s.routes, Route{Host: ScopeOps, Pattern: pattern, MaxBody: FormBody})
	s.ops.Handle(pattern, h)
}

// Use adds a middleware run after the tenant is known (sessions, for example).
func (s *Server) Use(mw Middleware) { s.inner = append(s.inner, mw) }

func chain(h http.Handler, mw []Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Handler returns the whole HTTP stack.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, guichet.Errorf(guichet.EForbidden, "Requête d'origine externe refusée."))
	}))
	tenantRoutes := s.readsFromReplica(chain(http.HandlerFunc(s.dispatch), s.inner))
	withTenant := s.resolveTenant(s.limitBodies(cop.Handler(tenantRoutes)))
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := s.ops.Handler(r); pattern != "" {
			if s.admitBody(w, r, Route{Host: "ops", Pattern: pattern, MaxBody: FormBody}) {
				s.ops.ServeHTTP(w, r)
			}
			return
		}
		withTenant.ServeHTTP(w, r)
	})
	return s.proxies.withClientIP(s.withClientKeyHeader(s.recoverPanics(s.observe(compressAnswers(securityHeaders(s.secure, root))))))
}

// limitBodies holds each request's body to the limit of the route it goes
// to, before anything reads it.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, mux := "site", s.site
		if tenant.FromContext(r.Context()).IsPlatform() {
			host, mux = "platform", s.platform
		}
		if s.admitBody(w, r, s.routeFor(host, mux, r)) {
			next.ServeHTTP(w, r)
		}
	})
}

// dispatch sends the request to the platform's routes or the site's.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	host, mux := "site", s.site
	if tenant.FromContext(r.Context()).IsPlatform() {
		host, mux = "platform", s.platform
	}
	_, pattern := mux.Handler(r)
	if pattern == "" {
		s.Error(w, r, guichet.Errorf(guichet.ENotFound, "Page introuvable."))
		return
	}
	r = holdPendingSecondFactor(r)
	if keepsNothing(r, s.limits[host][pattern]) {
		withoutCompression(w)
		w = &noStoreWriter{ResponseWriter: w}
	}
	mux.ServeHTTP(w, r)
	setPattern(r.Context(), r.Pattern)
}

// resolveTenant chooses the collectivité from the Host. An unknown host gets
// a bare 404 that says nothing about which hosts exist.
func (s *Server) resolveTenant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := s.tenants.Resolve(r.Context(), r.Host)
		switch {
		case errors.Is(err, tenant.ErrNotFound):
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		case err != nil:
			s.log.ErrorContext(r.Context(), "resolve tenant", "err", err)
			http.Error(w, "Service momentanément indisponible", http.StatusServiceUnavailable)
			return
		case !t.Active():
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "Ce site est momentanément indisponible. / This site is temporarily unavailable.",
				http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r.WithContext(tenant.NewContext(r.Context(), t)))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "value", v, "path", LoggedPath(r))
				http.Error(w, "Erreur interne", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries: a CSP with no
// inline script or style, no framing, no sniffing, a strict referrer policy.
func securityHeaders(secure bool, next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// Scheme returns "https" for a secure deployment, else "http".
func (s *Server) Scheme() string {
	if s.secure {
		return "https"
	}
	return "http"
}

// SiteURL returns the absolute base URL of t as the request reached it
// (same scheme and port), for links in emails and feeds. Only a valid
// port is kept: the Host header is the visitor's to write.
func (s *Server) SiteURL(r *http.Request, t *tenant.Tenant) string {
	_, port, _ := tenant.SplitHostPort(r.Host)
	return s.tenants.URL(t, s.Scheme(), port)
}

// SitemapSource lists the public paths of one module for a tenant.
type SitemapSource func(ctx context.Context, t *tenant.Tenant) ([]string, error)

// AddSitemap registers a module's public paths on the collectivités' sites.
func (s *Server) AddSitemap(src SitemapSource) { s.sitemap = append(s.sitemap, src) }

// AddPlatformSitemap registers a module's public paths on the operator's host.
func (s *Server) AddPlatformSitemap(src SitemapSource) { s.platMap = append(s.platMap, src) }

// SitemapPaths returns every public path of t.
func (s *Server) SitemapPaths(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	sources := s.sitemap
	if t.IsPlatform() {
		sources = s.platMap
	}
	var all []string
	for _, src := range sources {
		paths, err := src(ctx, t)
		if err != nil {
			return nil, err
		}
		all = append(all, paths...)
	}
	return all, nil
}
