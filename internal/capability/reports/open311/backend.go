package open311

import (
	"context"
	"slices"
	"time"
)

// Backend answers the protocol's questions for the collectivité of the
// context. Its errors are guichet's typed errors: ENotFound for an unknown
// service, request or token, EForbidden for a refused API key, EInvalid
// (with guichet.Invalid's fields) for answers the service refuses.
type Backend interface {
	// Services lists the services open to requests.
	Services(ctx context.Context) ([]Service, error)
	// Definition returns the questions of the service code.
	Definition(ctx context.Context, code string) (*Definition, error)
	// Requests lists the public requests q selects, newest first.
	Requests(ctx context.Context, q Query) ([]Request, error)
	// Request returns one public request.
	Request(ctx context.Context, id string) (*Request, error)
	// Post creates a request on behalf of the holder of apiKey.
	Post(ctx context.Context, apiKey string, nr NewRequest) (*Posted, error)
	// Token returns what a batch POST's token stands for.
	Token(ctx context.Context, token string) ([]TokenAnswer, error)
}

// Query selects requests. When IDs is set it is the whole query (the
// other fields are zero); otherwise Start and End are always set.
type Query struct {
	IDs          []string
	ServiceCodes []string // any of them; all services when empty
	Statuses     []Status // any of them; both when empty
	Start, End   time.Time
	Limit        int // at most this many, the newest first
}

// Matches reports whether a request with these fields is in the query's
// window and lists (IDs aside), for backends that filter in memory.
func (q Query) Matches(r Request) bool {
	if len(q.IDs) > 0 {
		return slices.Contains(q.IDs, r.ID)
	}
	if len(q.ServiceCodes) > 0 && !slices.Contains(q.ServiceCodes, r.ServiceCode) {
		return false
	}
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, r.Status) {
		return false
	}
	return !r.Requested.Before(q.Start) && !r.Requested.After(q.End)
}

// NewRequest is every field of a POST, checked for form but not against
// the service (Definition.Check does that).
type NewRequest struct {
	APIKey        string
	ServiceCode   string
	Lat, Long     *float64 // both or neither
	AddressString string
	AddressID     string
	Email         string
	DeviceID      string
	AccountID     string
	FirstName     string
	LastName      string
	Phone         string
	Description   string
	MediaURLs     []string // media_url, once or repeated
	// Attributes holds the answers by attribute code, one value for
	// attribute[code], each of attribute[code][] for a multivaluelist.
	Attributes map[string][]string
}
