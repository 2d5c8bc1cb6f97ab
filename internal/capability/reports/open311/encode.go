package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// document is one answer in its two shapes: the JSON value and the XML
// root element.
type document struct{ json, xml any }

// encode writes d in format f, the XML after its declaration.
func encode(f Format, d document) ([]byte, error) {
	var buf bytes.Buffer
	if f == JSON {
		err := json.NewEncoder(&buf).Encode(d.json)
		return buf.Bytes(), err
	}
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(d.xml); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// send writes an encoded answer with its content type.
func send(w http.ResponseWriter, status int, f Format, body []byte) {
	w.Header().Set("Content-Type", f.ContentType())
	w.WriteHeader(status)
	w.Write(body)
}

// coord is a degree written in plain decimals, never with an exponent
// (a point on the Greenwich meridian has tiny longitudes).
type coord float64

func (c coord) MarshalText() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(c), 'f', -1, 64), nil
}

func (c coord) MarshalJSON() ([]byte, error) { return c.MarshalText() }

func coordOf(v *float64) *coord {
	if v == nil {
		return nil
	}
	c := coord(*v)
	return &c
}

type wireService struct {
	Code        string      `json:"service_code" xml:"service_code"`
	Name        string      `json:"service_name" xml:"service_name"`
	Description string      `json:"description" xml:"description"`
	Metadata    bool        `json:"metadata" xml:"metadata"`
	Type        ServiceType `json:"type" xml:"type"`
	Keywords    string      `json:"keywords" xml:"keywords"`
	Group       string      `json:"group" xml:"group"`
}

type xmlServices struct {
	XMLName xml.Name      `xml:"services"`
	Items   []wireService `xml:"service"`
}

func servicesDoc(list []Service) document {
	items := make([]wireService, len(list))
	for i, s := range list {
		items[i] = wireService{s.Code, s.Name, s.Description, s.Metadata, s.Type, strings.Join(s.Keywords, ", "), s.Group}
	}
	return document{items, xmlServices{Items: items}}
}

type wireValue struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

type wireAttribute struct {
	Variable            bool       `json:"variable" xml:"variable"`
	Code                string     `json:"code" xml:"code"`
	Datatype            Datatype   `json:"datatype" xml:"datatype"`
	Required            bool       `json:"required" xml:"required"`
	DatatypeDescription string     `json:"datatype_description" xml:"datatype_description"`
	Order               int        `json:"order" xml:"order"`
	Description         string     `json:"description" xml:"description"`
	Values              *valueList `json:"values,omitempty" xml:"values,omitempty"`
}

// valueList is left out when nil, and is a bare array in JSON.
type valueList struct {
	Items []wireValue `xml:"value"`
}

func (l valueList) MarshalJSON() ([]byte, error) { return json.Marshal(l.Items) }

// attributeList keeps an <attributes/> element when there is none, and
// is a bare array in JSON.
type attributeList struct {
	Items []wireAttribute `xml:"attribute"`
}

func (l attributeList) MarshalJSON() ([]byte, error) { return json.Marshal(l.Items) }

type wireDefinition struct {
	XMLName     xml.Name      `json:"-" xml:"service_definition"`
	ServiceCode string        `json:"service_code" xml:"service_code"`
	Attributes  attributeList `json:"attributes" xml:"attributes"`
}

func definitionDoc(d *Definition) document {
	attrs := make([]wireAttribute, len(d.Attributes))
	for i, a := range d.Attributes {
		var values *valueList
		if len(a.Values) > 0 {
			values = &valueList{make([]wireValue, len(a.Values))}
			for j, v := range a.Values {
				values.Items[j] = wireValue(v)
			}
		}
		attrs[i] = wireAttribute{a.Variable, a.Code, a.Datatype, a.Required, a.DatatypeDescription, a.Order, a.Description, values}
	}
	w := wireDefinition{ServiceCode: d.ServiceCode, Attributes: attributeList{attrs}}
	return document{w, w}
}

type wireRequest struct {
	ID                string `json:"service_request_id" xml:"service_request_id"`
	Status            Status `json:"status" xml:"status"`
	StatusNotes       string `json:"status_notes,omitempty" xml:"status_notes,omitempty"`
	ServiceName       string `json:"service_name" xml:"service_name"`
	ServiceCode       string `json:"service_code" xml:"service_code"`
	Description       string `json:"description" xml:"description"`
	AgencyResponsible string `json:"agency_responsible,omitempty" xml:"agency_responsible,omitempty"`
	ServiceNotice     string `json:"service_notice,omitempty" xml:"service_notice,omitempty"`
	Requested         string `json:"requested_datetime" xml:"requested_datetime"`
	Updated           string `json:"updated_datetime" xml:"updated_datetime"`
	Expected          string `json:"expected_datetime,omitempty" xml:"expected_datetime,omitempty"`
	Address           string `json:"address" xml:"address"`
	AddressID         string `json:"address_id" xml:"address_id"`
	Zipcode           string `json:"zipcode" xml:"zipcode"`
	Lat               *coord `json:"lat" xml:"lat,omitempty"`
	Long              *coord `json:"long" xml:"long,omitempty"`
	MediaURL          string `json:"media_url" xml:"media_url"`
}

// serviceRequests is the root of every list of requests, posted ones and
// tokens' too.
type serviceRequests[T any] struct {
	XMLName xml.Name `xml:"service_requests"`
	Items   []T      `xml:"request"`
}

func requestsDoc(list []Request, zone *time.Location) document {
	items := make([]wireRequest, len(list))
	for i, r := range list {
		updated := r.Updated
		if updated.IsZero() {
			updated = r.Requested
		}
		var expected string
		if !r.Expected.IsZero() {
			expected = FormatTime(r.Expected, zone)
		}
		items[i] = wireRequest{
			ID: r.ID, Status: r.Status, StatusNotes: r.StatusNotes,
			ServiceName: r.ServiceName, ServiceCode: r.ServiceCode, Description: r.Description,
			AgencyResponsible: r.AgencyResponsible, ServiceNotice: r.ServiceNotice,
			Requested: FormatTime(r.Requested, zone), Updated: FormatTime(updated, zone), Expected: expected,
			Address: r.Address, AddressID: r.AddressID, Zipcode: r.Zipcode,
			Lat: coordOf(r.Lat), Long: coordOf(r.Long), MediaURL: r.MediaURL,
		}
	}
	return document{items, serviceRequests[wireRequest]{Items: items}}
}

type wirePosted struct {
	ID            string `json:"service_request_id,omitempty" xml:"service_request_id,omitempty"`
	Token         string `json:"token,omitempty" xml:"token,omitempty"`
	ServiceNotice string `json:"service_notice,omitempty" xml:"service_notice,omitempty"`
	AccountID     string `json:"account_id,omitempty" xml:"account_id,omitempty"`
}

func postedDoc(p *Posted) document {
	items := []wirePosted{{p.ID, p.Token, p.ServiceNotice, p.AccountID}}
	return document{items, serviceRequests[wirePosted]{Items: items}}
}

type wireToken struct {
	ID    string `json:"service_request_id,omitempty" xml:"service_request_id,omitempty"`
	Token string `json:"token" xml:"token"`
}

func tokensDoc(list []TokenAnswer) document {
	items := make([]wireToken, len(list))
	for i, a := range list {
		items[i] = wireToken{a.ID, a.Token}
	}
	return document{items, serviceRequests[wireToken]{Items: items}}
}

type wireError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type xmlErrors struct {
	XMLName xml.Name    `xml:"errors"`
	Items   []wireError `xml:"error"`
}

func errorsDoc(list []Error) document {
	items := make([]wireError, len(list))
	for i, e := range list {
		items[i] = wireError(e)
	}
	return document{items, xmlErrors{Items: items}}
}

type wireEndpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

type wireDiscovery struct {
	XMLName    xml.Name       `json:"-" xml:"discovery"`
	Changeset  string         `json:"changeset" xml:"changeset"`
	Contact    string         `json:"contact" xml:"contact"`
	KeyService string         `json:"key_service" xml:"key_service"`
	Endpoints  []wireEndpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

func discoveryDoc(a About, zone *time.Location) document {
	kind := "production"
	if a.Test {
		kind = "test"
	}
	changeset := FormatTime(a.Changeset, zone)
	w := wireDiscovery{
		Changeset: changeset, Contact: a.Contact, KeyService: a.KeyService,
		Endpoints: []wireEndpoint{{
			Specification: Specification, URL: a.URL, Changeset: changeset, Type: kind,
			Formats: []string{"text/xml", "application/json"},
		}},
	}
	return document{w, w}
}
