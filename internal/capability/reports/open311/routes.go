package open311

import "net/http"

// File is the path wildcard every handler reads: the path's last
// segment, such as "services.json", "voirie-nid-de-poule.xml" or
// "{service_request_id}.json". A wildcard of Go's ServeMux is a whole
// segment, so the name and the extension are cut apart by the handlers.
const File = "file"

// Route is one URL of the protocol.
type Route struct {
	Pattern string // method and path, in http.ServeMux's syntax
	Handler http.HandlerFunc
}

// Routes lists the protocol's URLs under prefix (such as "/open311/v2"):
//
//	GET  prefix/{file}           discovery, services and requests (Index)
//	POST prefix/{file}           requests.{fmt} (Post)
//	GET  prefix/services/{file}  a service's definition
//	GET  prefix/requests/{file}  one request
//	GET  prefix/tokens/{file}    the request of a batch POST's token
func (h *Handler) Routes(prefix string) []Route {
	seg := "/{" + File + "}"
	return []Route{
		{"GET " + prefix + seg, h.Index},
		{"POST " + prefix + seg, h.Post},
		{"GET " + prefix + "/services" + seg, h.Definition},
		{"GET " + prefix + "/requests" + seg, h.Request},
		{"GET " + prefix + "/tokens" + seg, h.Token},
	}
}

// Mux is what Register needs of a router; *http.ServeMux has it.
type Mux interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Register adds Routes(prefix) to mux. A router of another shape loops
// over Routes itself.
func (h *Handler) Register(mux Mux, prefix string) {
	for _, rt := range h.Routes(prefix) {
		mux.HandleFunc(rt.Pattern, rt.Handler)
	}
}
