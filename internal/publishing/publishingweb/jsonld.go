package publishingweb

import (
	"encoding/json"
	"html/template"
)

// JSONLD encodes schema.org data for a <script type="application/ld+json">
// element: json.Marshal escapes <, > and &, so no content can close it.
func JSONLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return template.JS(b) //nolint:gosec // escaped by json.Marshal
}
