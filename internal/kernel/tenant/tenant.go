// Package tenant holds the collectivités hosted by a deployment and chooses
// one for each request from its Host.
package tenant

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Kinds of collectivité; Platform is the operator's own pseudo-tenant, which
// owns the operator accounts and answers on the bare base domain.
const (
	KindCommune      = "commune"
	KindInterco      = "intercommunalite"
	KindDepartement  = "departement"
	KindPlatform     = "plateforme"
	PlatformID       = "platform"
	StatusActive     = "active"
	StatusSuspended  = "suspended"
	defaultTimeZone  = "Europe/Paris"
	defaultLanguages = "fr,en"
)

// Kinds lists the kinds an operator may choose, with their French labels.
var Kinds = []struct{ Value, Label string }{
	{KindCommune, "Commune"},
	{KindInterco, "Intercommunalité"},
	{KindDepartement, "Département"},
}

// Tenant is one collectivité.
type Tenant struct {
	ID           string
	Slug         string
	Name         string
	Kind         string
	INSEE        string
	SIRET        string
	Address      string
	Email        string
	Phone        string
	OpeningHours string
	TimeZone     string
	LogoPath     string
	ColorPrimary string
	ColorAccent  string
	Languages    []string
	Population   int
	Status       string
	Hosts        []string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IsPlatform reports whether t is the operator's pseudo-tenant.
func (t *Tenant) IsPlatform() bool { return t != nil && t.ID == PlatformID }

// Active reports whether t may be served.
func (t *Tenant) Active() bool { return t.Status == StatusActive }

// PlaceName is the commune's name without its "Ville de" or "Commune
// de" ("Montclair-sur-Vienne"), to write "à Montclair-sur-Vienne"; an
// intercommunalité keeps its whole name.
func (t *Tenant) PlaceName() string {
	for _, prefix := range []string{"Ville de ", "Commune de ", "Ville d'", "Commune d'", "Ville d’", "Commune d’"} {
		if s, ok := strings.CutPrefix(t.Name, prefix); ok {
			return s
		}
	}
	return t.Name
}

// Location returns the tenant's time zone, Europe/Paris if it cannot load.
func (t *Tenant) Location() *time.Location { return LoadLocation(t.TimeZone) }

type ctxKey struct{}

// NewContext returns ctx carrying the request's tenant.
func NewContext(ctx context.Context, t *Tenant) context.Context {
	return context.WithValue(ctx, ctxKey{}, t)
}

// FromContext returns the request's tenant, nil outside a tenant request.
func FromContext(ctx context.Context) *Tenant {
	t, _ := ctx.Value(ctxKey{}).(*Tenant)
	return t
}

// SplitHostPort splits a Host header into its name and port; ok is false
// when a port is present but is not a number from 1 to 65535, or when the
// name holds a colon outside brackets. The port comes back in canonical form.
func SplitHostPort(host string) (name, port string, ok bool) {
	name = host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		name, port = host[:i], host[i+1:]
	}
	if strings.Contains(name, ":") && !(strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]")) {
		return name, "", false
	}
	if port == "" {
		return name, "", true
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || strings.Trim(port, "0123456789") != "" {
		return name, "", false
	}
	return name, strconv.Itoa(n), true
}

// NormalizeHost lower-cases a Host header and strips its port and final
// dots (and spaces). A value that is not a name or a bracketed address, with an
// optional numeric port, is only lower-cased: it names no collectivité,
// and normalising it again gives it back unchanged.
func NormalizeHost(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	name, port, hasPort := host, "", false
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		name, port, hasPort = host[:i], host[i+1:], true
	}
	bracketed := strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]")
	if hasPort && strings.Trim(port, "0123456789") != "" || !bracketed && strings.Contains(name, ":") {
		return host
	}
	return strings.TrimRightFunc(name, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
}
