package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"guichet/internal/kernel/web"
)

// healthz answers while the process is alive.
func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
}

// readyz answers 200 when the database responds, a write can take its
// lock, and every migration is applied.
func (a *App) readyz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := a.DB.Ping(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		if err := a.DB.CheckWritable(ctx); err != nil {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "database locked: writes cannot go through", http.StatusServiceUnavailable)
			return
		}
		pending, err := a.DB.Pending(ctx, a.migrations())
		if err != nil || pending > 0 {
			http.Error(w, fmt.Sprintf("migrations pending: %d", pending), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
}

// metrics serves Prometheus metrics to loopback clients only: an operator
// scrapes them from the machine or through a tunnel, never from the Internet.
func (a *App) metrics() http.Handler {
	h := promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The client's address, not the connection's, and never through a
		// proxy: a reverse proxy on this machine, even one not listed as
		// trusted, must not open the metrics to the Internet.
		forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != ""
		if ip := net.ParseIP(web.ClientIP(r)); forwarded || ip == nil || !ip.IsLoopback() {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
