package open311

import "time"

// Specification is the URL that names GeoReport v2 in discovery documents.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// ServiceType says what a POST of the service answers.
type ServiceType string

// The service types of the specification.
const (
	Realtime ServiceType = "realtime" // a service_request_id at once
	Batch    ServiceType = "batch"    // a token, exchanged later for the id
	Blackbox ServiceType = "blackbox" // nothing to follow
)

// Status is a request's state as GeoReport v2 sees it.
type Status string

// The two statuses of the specification.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// Datatype is the kind of answer an attribute takes.
type Datatype string

// The datatypes of the specification.
const (
	String          Datatype = "string" // one line
	Number          Datatype = "number"
	Datetime        Datatype = "datetime"
	Text            Datatype = "text" // line breaks allowed
	SingleValueList Datatype = "singlevaluelist"
	MultiValueList  Datatype = "multivaluelist"
)

// Service is one type of request residents may make (a category).
type Service struct {
	Code        string
	Name        string
	Description string
	Metadata    bool // true when the service has a definition to read
	Type        ServiceType
	Keywords    []string // written comma separated
	Group       string
}

// Definition is the extra questions of a service.
type Definition struct {
	ServiceCode string
	Attributes  []Attribute
}

// Attribute is one question of a service definition.
type Attribute struct {
	Variable            bool // false: information shown, no answer taken
	Code                string
	Datatype            Datatype
	Required            bool
	DatatypeDescription string
	Order               int
	Description         string
	Values              []Value // for the list datatypes
}

// Value is one choice of a list attribute.
type Value struct {
	Key  string
	Name string
}

// Request is a service request as the public sees it.
type Request struct {
	ID                string
	Status            Status
	StatusNotes       string
	ServiceName       string
	ServiceCode       string
	Description       string
	AgencyResponsible string
	ServiceNotice     string
	Requested         time.Time
	Updated           time.Time // the requested time when zero
	Expected          time.Time // left out when zero
	Address           string
	AddressID         string
	Zipcode           string
	Lat, Long         *float64 // nil when the request has no point
	MediaURL          string
}

// Posted is the answer to a POST: an ID (realtime), a Token (batch) or
// neither (blackbox).
type Posted struct {
	ID            string
	Token         string
	ServiceNotice string
	AccountID     string
}

// TokenAnswer is what a token stands for; ID is empty while the request
// waits to be created.
type TokenAnswer struct {
	Token string
	ID    string
}

// Error is one entry of an error list.
type Error struct {
	Code        int
	Description string
}

// About is what the discovery document says of the endpoint.
type About struct {
	Changeset  time.Time // last change of the services or their definitions
	Contact    string
	KeyService string // how to get an API key
	URL        string // absolute base URL; taken from the request when empty
	Test       bool   // a test endpoint, whose requests nobody acts on
}
