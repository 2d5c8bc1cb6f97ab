package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Static serves embedded files under content-hashed names
// ("/static/css/guichet.3fa2c1d0.css") with immutable caching, gzip
// pre-compressed once at start.
type Static struct {
	byHashed map[string]*asset // "css/guichet.3fa2c1d0.css" → file
	hashed   map[string]string // "css/guichet.css" → "/static/css/guichet.3fa2c1d0.css"
}

type asset struct {
	body, gz    []byte
	contentType string
}

// NewStatic returns an empty set of static files.
func NewStatic() *Static {
	return &Static{byHashed: map[string]*asset{}, hashed: map[string]string{}}
}

// Add loads every file under files' "static/" folder.
func (s *Static) Add(files fs.FS) error {
	if _, err := fs.Stat(files, "static"); err != nil {
		return nil // this module ships no static files
	}
	return fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		if _, dup := s.hashed[name]; dup {
			return fmt.Errorf("static: %s defined twice", name)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashedName := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a := &asset{body: body, contentType: mime.TypeByExtension(ext)}
		if compressible(ext) {
			a.gz = gzipped(body)
		}
		s.byHashed[hashedName] = a
		s.hashed[name] = "/static/" + hashedName
		return nil
	})
}

func compressible(ext string) bool {
	switch ext {
	case ".css", ".js", ".svg", ".json", ".txt", ".html":
		return true
	}
	return false
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// Path returns the hashed URL of a static file, for templates.
func (s *Static) Path(name string) string {
	if p, ok := s.hashed[name]; ok {
		return p
	}
	return "/static/missing/" + name
}

// ServeHTTP serves "/static/<hashed name>".
func (s *Static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := s.byHashed[strings.TrimPrefix(r.URL.Path, "/static/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	addVary(h)
	body := a.body
	if a.gz != nil && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	_, _ = w.Write(body)
}
