package open311test

import "encoding/xml"

// Service is a service as a client reads it.
type Service struct {
	Code        Text `json:"service_code" xml:"service_code"`
	Name        Text `json:"service_name" xml:"service_name"`
	Description Text `json:"description" xml:"description"`
	Metadata    Flag `json:"metadata" xml:"metadata"`
	Type        Text `json:"type" xml:"type"`
	Keywords    Text `json:"keywords" xml:"keywords"`
	Group       Text `json:"group" xml:"group"`
}

// Definition is a service definition as a client reads it.
type Definition struct {
	ServiceCode Text        `json:"service_code" xml:"service_code"`
	Attributes  []Attribute `json:"attributes" xml:"attributes>attribute"`
}

// Attribute is one question of a definition.
type Attribute struct {
	Variable            Flag    `json:"variable" xml:"variable"`
	Code                Text    `json:"code" xml:"code"`
	Datatype            Text    `json:"datatype" xml:"datatype"`
	Required            Flag    `json:"required" xml:"required"`
	DatatypeDescription Text    `json:"datatype_description" xml:"datatype_description"`
	Order               int     `json:"order" xml:"order"`
	Description         Text    `json:"description" xml:"description"`
	Values              []Value `json:"values" xml:"values>value"`
}

// Value is one choice of a list attribute.
type Value struct {
	Key  Text `json:"key" xml:"key"`
	Name Text `json:"name" xml:"name"`
}

// Request is one request element: of a list, of a POST's answer (ID or
// Token, ServiceNotice, AccountID) or of a token's answer (ID, Token).
type Request struct {
	ID                Text  `json:"service_request_id" xml:"service_request_id"`
	Token             Text  `json:"token" xml:"token"`
	AccountID         Text  `json:"account_id" xml:"account_id"`
	Status            Text  `json:"status" xml:"status"`
	StatusNotes       Text  `json:"status_notes" xml:"status_notes"`
	ServiceName       Text  `json:"service_name" xml:"service_name"`
	ServiceCode       Text  `json:"service_code" xml:"service_code"`
	Description       Text  `json:"description" xml:"description"`
	AgencyResponsible Text  `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     Text  `json:"service_notice" xml:"service_notice"`
	Requested         Text  `json:"requested_datetime" xml:"requested_datetime"`
	Updated           Text  `json:"updated_datetime" xml:"updated_datetime"`
	Expected          Text  `json:"expected_datetime" xml:"expected_datetime"`
	Address           Text  `json:"address" xml:"address"`
	AddressID         Text  `json:"address_id" xml:"address_id"`
	Zipcode           Text  `json:"zipcode" xml:"zipcode"`
	Lat               Coord `json:"lat" xml:"lat"`
	Long              Coord `json:"long" xml:"long"`
	MediaURL          Text  `json:"media_url" xml:"media_url"`
}

// Error is one entry of an error list.
type Error struct {
	Code        Text `json:"code" xml:"code"`
	Description Text `json:"description" xml:"description"`
}

// Discovery is the discovery document.
type Discovery struct {
	Changeset  Text       `json:"changeset" xml:"changeset"`
	Contact    Text       `json:"contact" xml:"contact"`
	KeyService Text       `json:"key_service" xml:"key_service"`
	Endpoints  []Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

// Endpoint is one endpoint of a discovery document.
type Endpoint struct {
	Specification Text     `json:"specification" xml:"specification"`
	URL           Text     `json:"url" xml:"url"`
	Changeset     Text     `json:"changeset" xml:"changeset"`
	Type          Text     `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

// The XML roots of the list documents.
type (
	xmlServices struct {
		XMLName xml.Name  `xml:"services"`
		Items   []Service `xml:"service"`
	}
	xmlRequests struct {
		XMLName xml.Name  `xml:"service_requests"`
		Items   []Request `xml:"request"`
	}
	xmlErrors struct {
		XMLName xml.Name `xml:"errors"`
		Items   []Error  `xml:"error"`
	}
)
