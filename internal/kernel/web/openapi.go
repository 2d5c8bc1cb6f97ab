package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
)

// OpenAPIPath is where every host serves the API's description.
const OpenAPIPath = "/api/openapi.json"

// openAPI is the JSON API's OpenAPI 3.0 document, merged at start from each
// module's api/openapi.json fragment ({"paths": …, "components": …}).
type openAPI struct {
	doc    map[string]any
	body   []byte
	routes []string // every "/api/" route pattern registered, for the completeness test
}

func newOpenAPI() *openAPI {
	return &openAPI{doc: map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Guichet API", "version": "1",
			"description": "API JSON de Guichet. Chaque collectivité répond sur son propre nom d'hôte ; " +
				"les requêtes authentifiées portent le cookie de session."},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": map[string]any{}},
	}}
}

// add merges a module's fragment; a path or schema defined twice is an error.
func (o *openAPI) add(module string, files fs.FS) error {
	body, err := fs.ReadFile(files, "api/openapi.json")
	if err != nil {
		return nil // this module has no API
	}
	var frag struct {
		Paths      map[string]any `json:"paths"`
		Components map[string]any `json:"components"`
	}
	if err := json.Unmarshal(body, &frag); err != nil {
		return fmt.Errorf("openapi: %s: %w", module, err)
	}
	if err := mergeInto(o.doc["paths"].(map[string]any), frag.Paths, module); err != nil {
		return err
	}
	comps := o.doc["components"].(map[string]any)
	for kind, v := range frag.Components {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("openapi: %s: components.%s is not an object", module, kind)
		}
		if comps[kind] == nil {
			comps[kind] = map[string]any{}
		}
		if err := mergeInto(comps[kind].(map[string]any), m, module); err != nil {
			return err
		}
	}
	return nil
}

func mergeInto(dst, src map[string]any, module string) error {
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("openapi: %s: %q defined twice", module, k)
		}
		dst[k] = v
	}
	return nil
}

func (o *openAPI) build() error {
	b, err := json.MarshalIndent(o.doc, "", "  ")
	o.body = b
	return err
}

// note remembers an API route pattern ("GET /api/v1/me").
func (o *openAPI) note(pattern string) {
	if strings.Contains(pattern, "/api/") && !strings.HasSuffix(pattern, OpenAPIPath) {
		o.routes = append(o.routes, pattern)
	}
}

func (o *openAPI) serve(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(o.body)
	return err
}

// OpenAPIDocument returns the merged document.
func (s *Server) OpenAPIDocument() []byte { return s.api.body }

// APIRoutes returns every registered API route pattern, sorted and unique.
func (s *Server) APIRoutes() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range s.api.routes {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}
