package procedureweb

import (
	"mime"
	"net/http"
)

// isMultipart reports whether r may carry files: only such requests count
// against the upload limits.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}
