package main

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// bodySize is what each oversized request sends: far above every route's
// limit, and what the outside review left on disk through /connexion.
const bodySize = 300 << 20

// oversizedRoutes take forms without files; the last takes files, with a
// limit of its own.
var oversizedRoutes = []string{"/connexion", "/mot-de-passe-oublie", "/inscription", "/compte/verification",
	"/questions/poser", "/alertes/abonnement", "/donnees-personnelles/demande",
	"/rendez-vous/passeports-cni/passeport-cni/coordonnees", "/demarches/acte-de-naissance/commencer"}

// multipartBody streams a multipart form of about size bytes, with a
// file part, without holding it in memory.
func multipartBody(size int64) (io.Reader, string, int64) {
	const boundary = "sonde-guichet-0123456789"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nsonde@courriel.localhost\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"gros.pdf\"\r\n" +
		"Content-Type: application/pdf\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	filler := io.LimitReader(zeros{}, size)
	total := int64(len(head)) + size + int64(len(tail))
	return io.MultiReader(strings.NewReader(head), filler, strings.NewReader(tail)), "multipart/form-data; boundary=" + boundary, total
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'x'
	}
	return len(b), nil
}

// oversizedBodies posts a 300 MB multipart body to each route, once with
// its length declared and once chunked: each must be refused with 413
// quickly, and nothing may be left in the demo's temporary folder.
func (p *probe) oversizedBodies() {
	fmt.Println("== oversized bodies:", len(oversizedRoutes), "routes, 300 MB each, declared and chunked")
	before := folderSize(p.dataDir)
	for _, path := range oversizedRoutes {
		for _, chunked := range []bool{false, true} {
			body, ctype, total := multipartBody(bodySize)
			req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:"+p.port+path, body)
			req.Host = p.town()
			req.Header.Set("Content-Type", ctype)
			if chunked {
				req.ContentLength = -1
				req.TransferEncoding = []string{"chunked"}
			} else {
				req.ContentLength = total
			}
			start := time.Now()
			res, err := client("127.0.0.3").Do(req)
			took := time.Since(start)
			if err != nil {
				// The server may close the connection once it has answered.
				p.check(strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe"),
					"%s (chunked %v): %v", path, chunked, err)
				continue
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			p.check(res.StatusCode == http.StatusRequestEntityTooLarge, "%s (chunked %v): status %d, want 413", path, chunked, res.StatusCode)
			p.check(took < 20*time.Second, "%s (chunked %v): answered after %s", path, chunked, took.Round(time.Millisecond))
		}
	}
	time.Sleep(time.Second) // let requests end
	left := filesIn(p.tmpDir)
	p.check(len(left) == 0, "temporary files left behind: %v", left)
	grown := folderSize(p.dataDir) - before
	p.check(grown < 20<<20, "the data folder grew by %d MB", grown>>20)
}

func filesIn(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func folderSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := os.Stat(path); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
