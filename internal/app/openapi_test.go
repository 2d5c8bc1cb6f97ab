package app_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"guichet/internal/apptest"
)

// TestOpenAPIDocument checks that the served document is valid OpenAPI 3
// and that it describes every API route, and only those.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, "sqlite:"+filepath.Join(t.TempDir(), "api.db"))
	res := e.Browser(e.Town).Get("/api/openapi.json").Want(t, http.StatusOK)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(res.Body))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, pattern := range e.App.Web.APIRoutes() {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			t.Errorf("API route %q has no method", pattern)
			continue
		}
		key := method + " " + strings.ReplaceAll(path, "...}", "}")
		registered[key] = true
		if !documented[key] {
			t.Errorf("API route %s is not in the OpenAPI document", key)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("the OpenAPI document describes %s, which no route serves", key)
		}
	}
}
