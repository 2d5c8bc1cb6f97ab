package app_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"guichet/internal/apptest"
)

var residentCase = regexp.MustCompile(`href="/dossiers/([0-9a-f-]{36})"`)

// FuzzUploads sends multipart bodies to the route where a resident adds a
// message with files to their case: well-formed forms with fuzzed file
// names, types and contents, and bodies that are fuzzed bytes whole.
// Whatever arrives, the answer is no server error, no temporary file is
// left behind, and a stored file name holds no control character.
//
//fuzz:time 10s
func FuzzUploads(f *testing.F) {
	tmp := f.TempDir()
	f.Setenv("TMPDIR", tmp) // where the server's multipart parsing may spill
	e := apptest.New(f, "sqlite:"+filepath.Join(f.TempDir(), "uploads.db"), apptest.WithDemoData())
	// Each input is its own hour, so that the uploads' hourly limit never
	// stops the fuzzer short of the parser.
	hour := 0
	now := e.App.Now
	e.App.Web.Limits.Now = func() time.Time { hour++; return now().Add(time.Duration(hour) * time.Hour) }
	b := e.Browser(e.Town)
	b.SignInDemo(f, "habitante@courriel.localhost")
	m := residentCase.FindStringSubmatch(b.Get("/mes-demarches").Body)
	if m == nil {
		f.Fatal("the demo resident has no case")
	}
	path := "/dossiers/" + m[1] + "/messages"

	for _, s := range []struct {
		raw         bool
		name, ctype string
		body        []byte
	}{
		{false, "justificatif.pdf", "application/pdf", []byte("%PDF-1.4\n% pièce\n")},
		{false, "photo.jpg", "image/jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF")},
		{false, "facture\u202Efdp.exe", "application/pdf", []byte("%PDF-1.4\n")},
		{false, "../../etc/passwd", "text/plain", []byte("root:x:0:0")},
		{false, "", "", nil},
		{true, "", "", []byte("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\n%PDF\r\n--b--\r\n")},
		{true, "", "", []byte("--b\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%E2%80%AE.pdf\r\n\r\nx\r\n")},
		{true, "", "", []byte("--b\r\n\r\n\r\n--b")},
	} {
		f.Add(s.raw, s.name, s.ctype, s.body)
	}
	f.Fuzz(func(t *testing.T, raw bool, name, ctype string, content []byte) {
		body, header := uploadBody(raw, name, ctype, content)
		req, err := http.NewRequest(http.MethodPost, "http://"+b.Host+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", header)
		res, err := b.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 && res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("raw %v, file %q of type %q: status %d", raw, name, ctype, res.StatusCode)
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Fatalf("raw %v, file %q: %d temporary files left, e.g. %s", raw, name, len(left), left[0].Name())
		}
		var bad int
		if err := e.App.DB.QueryRow(t.Context(), `SELECT COUNT(*) FROM case_files WHERE name <> '' AND (name LIKE ? OR name LIKE ?
			OR name LIKE ? OR name LIKE ?)`, "%\u202e%", "%\u200f%", "%\x00%", "%\n%").Scan(&bad); err != nil {
			t.Fatal(err)
		}
		if bad > 0 {
			t.Fatalf("raw %v, file %q: a stored file name keeps a control character", raw, name)
		}
	})
}

// uploadBody makes the request body: a well-formed message with one file,
// or the fuzzed bytes as they are under a fixed boundary.
func uploadBody(raw bool, name, ctype string, content []byte) ([]byte, string) {
	if raw {
		return content, "multipart/form-data; boundary=b"
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("body", "Voici la pièce demandée.")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename=%q`, name))
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	part, _ := w.CreatePart(h)
	_, _ = part.Write(content)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}
