package open311test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Fixtures is what Run needs to know of the server under test. The
// server must hold, in the default 90-day window, at least two public
// requests, open and closed ones, of at least two services: otherwise the
// filters could not be told apart and Run fails.
type Fixtures struct {
	HTTP *http.Client // nil: the default client
	// Now is the server's clock, for the default window; zero skips
	// that check.
	Now time.Time
	// APIKey is a key the server accepts; BadAPIKey one it refuses
	// ("cle-refusee-open311" when empty).
	APIKey, BadAPIKey string
	// Jurisdiction is the jurisdiction_id the server accepts, "" when it
	// accepts none.
	Jurisdiction string
	// Post is a complete POST (without api_key) for a realtime service.
	Post url.Values
	// Attribute is the code of a required attribute of Post's service,
	// answered in Post; "" skips the attribute checks.
	Attribute string
	// BatchPost is a complete POST for a batch service; nil skips the
	// token flow.
	BatchPost url.Values
}

// Formats are the two formats every check runs in.
var Formats = []string{"json", "xml"}

// Run drives the endpoint at baseURL through every method, in both
// formats, as a third-party client would. Reads come first: the POSTs
// add requests.
func Run(t *testing.T, baseURL string, fx Fixtures) {
	t.Helper()
	if fx.BadAPIKey == "" {
		fx.BadAPIKey = "cle-refusee-open311"
	}
	s := &suite{c: NewClient(baseURL, fx.HTTP), fx: fx, base: baseURL}
	t.Run("discovery", s.discovery)
	t.Run("services", s.services)
	t.Run("definitions", s.definitions)
	t.Run("requests", s.requests)
	t.Run("filters", s.filters)
	t.Run("request", s.request)
	t.Run("not-found", s.notFound)
	t.Run("jurisdiction", s.jurisdiction)
	t.Run("post", s.post)
	t.Run("post-refused", s.postRefused)
	t.Run("attributes", s.attributes)
	t.Run("tokens", s.tokens)
}

type suite struct {
	c    *Client
	fx   Fixtures
	base string
}
