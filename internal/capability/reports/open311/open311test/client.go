// Package open311test is an Open311 GeoReport v2 client that reads both
// formats strictly, and the conformance suite (Run) that drives a server
// through it as any third-party client would: the protocol package's
// tests run it against an in-memory backend, the web layer's against the
// real server.
package open311test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Client calls an Open311 endpoint.
type Client struct {
	Base string // the endpoint's base URL, such as "http://ville.test/open311/v2"
	HTTP *http.Client
}

// NewClient returns a client of the endpoint at base (hc nil: the
// default client).
func NewClient(base string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{Base: strings.TrimSuffix(base, "/"), HTTP: hc}
}

// Answer is an HTTP answer as received, with its error list decoded when
// its status is 400 or more.
type Answer struct {
	Method string
	Path   string
	Status int
	Header http.Header
	Body   []byte
	Format string // "json" or "xml": the format asked for
	Errors []Error
}

// Do sends method to path (relative to Base, such as "services.json")
// with args in the query (GET) or the url-encoded body (POST). The
// answer's error is nil when the exchange happened, whatever its status;
// an error list that does not decode is an error.
func (c *Client) Do(ctx context.Context, method, path string, args url.Values) (*Answer, error) {
	u := c.Base + "/" + path
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(args.Encode())
	} else if len(args) > 0 {
		u += "?" + args.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	return c.send(req, path)
}

// send makes the exchange of req, for the document at path.
func (c *Client) send(req *http.Request, path string) (*Answer, error) {
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	a := &Answer{Method: req.Method, Path: path, Status: res.StatusCode, Header: res.Header, Body: b, Format: formatOf(path)}
	if a.Status >= 400 {
		if err := a.decodeList("errors", &a.Errors); err != nil {
			return a, fmt.Errorf("%s %s: %d answered without an error list: %w", a.Method, path, a.Status, err)
		}
	}
	return a, nil
}

func formatOf(path string) string {
	if strings.HasSuffix(path, ".json") {
		return "json"
	}
	return "xml"
}

// Discovery reads discovery.{format}.
func (c *Client) Discovery(ctx context.Context, format string) (*Discovery, *Answer, error) {
	var d Discovery
	a, err := c.getObject(ctx, "discovery."+format, "discovery", &d)
	return ok(&d, a, err)
}

// Services reads services.{format}.
func (c *Client) Services(ctx context.Context, format string) ([]Service, *Answer, error) {
	var list []Service
	a, err := c.getList(ctx, http.MethodGet, "services."+format, nil, "services", &list)
	return list, a, err
}

// Definition reads services/{code}.{format}.
func (c *Client) Definition(ctx context.Context, format, code string) (*Definition, *Answer, error) {
	var d Definition
	a, err := c.getObject(ctx, "services/"+url.PathEscape(code)+"."+format, "service_definition", &d)
	return ok(&d, a, err)
}

// Requests reads requests.{format} with the query args.
func (c *Client) Requests(ctx context.Context, format string, args url.Values) ([]Request, *Answer, error) {
	var list []Request
	a, err := c.getList(ctx, http.MethodGet, "requests."+format, args, "service_requests", &list)
	return list, a, err
}

// Request reads requests/{id}.{format}, a list of one.
func (c *Client) Request(ctx context.Context, format, id string) ([]Request, *Answer, error) {
	var list []Request
	a, err := c.getList(ctx, http.MethodGet, "requests/"+url.PathEscape(id)+"."+format, nil, "service_requests", &list)
	return list, a, err
}

// Post sends form to requests.{format}.
func (c *Client) Post(ctx context.Context, format string, form url.Values) ([]Request, *Answer, error) {
	var list []Request
	a, err := c.getList(ctx, http.MethodPost, "requests."+format, form, "service_requests", &list)
	return list, a, err
}

// Token reads tokens/{token}.{format}.
func (c *Client) Token(ctx context.Context, format, token string) ([]Request, *Answer, error) {
	var list []Request
	a, err := c.getList(ctx, http.MethodGet, "tokens/"+url.PathEscape(token)+"."+format, nil, "service_requests", &list)
	return list, a, err
}

func ok[T any](v *T, a *Answer, err error) (*T, *Answer, error) {
	if err != nil || a.Status >= 400 {
		return nil, a, err
	}
	return v, a, nil
}

// getObject reads an object document: a JSON object, or the XML root
// element named root.
func (c *Client) getObject(ctx context.Context, path, root string, v any) (*Answer, error) {
	a, err := c.Do(ctx, http.MethodGet, path, nil)
	if err != nil || a.Status >= 400 {
		return a, err
	}
	if err := a.checkEnvelope('{'); err != nil {
		return a, err
	}
	if a.Format == "json" {
		return a, strictJSON(a.Body, v)
	}
	var doc node
	if err := xml.Unmarshal(a.Body, &doc); err != nil || doc.XMLName.Local != root {
		return a, fmt.Errorf("%s: the XML root is <%s>, want <%s> (%v)", path, doc.XMLName.Local, root, err)
	}
	return a, xml.Unmarshal(a.Body, v)
}

func (c *Client) getList(ctx context.Context, method, path string, args url.Values, root string, list any) (*Answer, error) {
	a, err := c.Do(ctx, method, path, args)
	if err != nil || a.Status >= 400 {
		return a, err
	}
	return a, a.decodeList(root, list)
}

// decodeList reads a list document: a bare JSON array, or the XML root
// element named root; list points to a slice.
func (a *Answer) decodeList(root string, list any) error {
	if err := a.checkEnvelope('['); err != nil {
		return err
	}
	if a.Format == "json" {
		return strictJSON(a.Body, list)
	}
	var err error
	switch root {
	case "services":
		var doc xmlServices
		err = xml.Unmarshal(a.Body, &doc)
		*list.(*[]Service) = doc.Items
	case "service_requests":
		var doc xmlRequests
		err = xml.Unmarshal(a.Body, &doc)
		*list.(*[]Request) = doc.Items
	case "errors":
		var doc xmlErrors
		err = xml.Unmarshal(a.Body, &doc)
		*list.(*[]Error) = doc.Items
	}
	return err
}

// checkEnvelope checks what every answer owes its format: the content
// type with its UTF-8 charset, valid UTF-8, the XML declaration naming
// UTF-8, and the JSON's first character (open: '[' or '{').
func (a *Answer) checkEnvelope(open byte) error {
	mt, params, err := mime.ParseMediaType(a.Header.Get("Content-Type"))
	want := map[string]string{"json": "application/json", "xml": "text/xml"}[a.Format]
	if err != nil || mt != want || !strings.EqualFold(params["charset"], "utf-8") {
		return fmt.Errorf("content type %q, want %s; charset=utf-8", a.Header.Get("Content-Type"), want)
	}
	if !utf8.Valid(a.Body) {
		return fmt.Errorf("the answer is not UTF-8")
	}
	body := bytes.TrimSpace(a.Body)
	if a.Format == "xml" {
		decl, _, _ := bytes.Cut(body, []byte("?>"))
		if !bytes.HasPrefix(decl, []byte("<?xml ")) || !bytes.Contains(bytes.ToLower(decl), []byte(`encoding="utf-8"`)) {
			return fmt.Errorf("the XML does not open with a declaration naming UTF-8: %.60q", body)
		}
		return nil
	}
	if len(body) == 0 || body[0] != open {
		return fmt.Errorf("the JSON does not open with %q: %.60q", open, body)
	}
	return nil
}

// strictJSON decodes one JSON value, refusing trailing data.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}
