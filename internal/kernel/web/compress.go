package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// compressedTypes are the answers worth compressing on the fly: text.
// Images, PDF, archives and uploaded files are left as they are: most
// are compressed already.
var compressedTypes = []string{
	"text/html", "text/plain", "text/css", "text/csv", "text/calendar", "text/javascript", "text/xml",
	"application/json", "application/problem+json", "application/atom+xml", "application/rss+xml",
	"application/xml", "application/javascript", "application/manifest+json", "image/svg+xml",
}

// minCompressed is the smallest body compressed: below about one packet
// the bytes saved do not pay for the work.
const minCompressed = 1024

// compressAnswers compresses text answers with gzip or zstd, as the
// client accepts, with pooled encoders. Left alone: HEAD, bodies under
// minCompressed, answers already encoded (static files carry the gzip made
// at start), other types, and private answers (withoutCompression). Gzip
// runs at its fastest level and is chosen when both are accepted: every
// client reads it, and on the demo's answers zstd is quicker only on the
// agenda feed (docs/PERFORMANCE.md, "Compression"). No answer
// carries an ETag today; one that did would get "-gzip" or "-zstd" inside
// it when compressed, as two encodings are two representations, and its
// handler would have to cut that off to compare If-None-Match.
func compressAnswers(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypes(compressedTypes), gzhttp.MinSize(minCompressed),
		gzhttp.CompressionLevel(gzip.BestSpeed), gzhttp.PreferZstd(false), gzhttp.SuffixETag("-gzip"))
	if err != nil {
		panic(err) // the options are constants
	}
	return wrap(next)
}

// withoutCompression keeps the answer written to w uncompressed. It is
// for the answers that carry one person's data or a secret (those
// keepsNothing marks): compressed next to text an attacker chooses, their
// size could reveal the secret byte by byte (BREACH, docs/SECURITY.md).
func withoutCompression(w http.ResponseWriter) {
	w.Header().Set(gzhttp.HeaderNoCompression, "1")
}

// mayCompress reports whether a handler that holds a gzipped body may
// send it for r: a GET from a client that accepts gzip, for an answer
// that withoutCompression did not mark.
func mayCompress(w http.ResponseWriter, r *http.Request) bool {
	return r.Method == http.MethodGet && w.Header().Get(gzhttp.HeaderNoCompression) == "" &&
		acceptsGzip(r.Header.Values("Accept-Encoding"))
}

// acceptsGzip reports whether Accept-Encoding lists gzip with a weight
// above zero ("gzip;q=0" refuses it).
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			q, weighted := strings.CutPrefix(strings.TrimSpace(params), "q=")
			if !weighted {
				return true
			}
			weight, err := strconv.ParseFloat(q, 64)
			return err == nil && weight > 0
		}
	}
	return false
}

// addVary adds Accept-Encoding to the Vary header unless it is there.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for field := range strings.SplitSeq(v, ",") {
			if f := strings.TrimSpace(field); f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}
