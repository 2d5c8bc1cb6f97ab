package files

import (
	"bytes"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzSniff checks the upload check against what a file claims to be:
// an accepted file has an accepted extension (among those the field
// asks), the MIME type of that extension, and first bytes that a browser
// would not take for a page or a script.
func FuzzSniff(f *testing.F) {
	odt := append(append([]byte("PK\x03\x04"), make([]byte, 26)...), "mimetypeapplication/vnd.oasis.opendocument.text"...)
	f.Add("acte-de-naissance.pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "")
	f.Add("photo.JPG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "jpg,pdf")
	f.Add("plan.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "png")
	f.Add("courrier.odt", odt, "odt")
	f.Add("notes.txt", []byte("Bonjour,\nje joins mon justificatif.\n"), "")
	f.Add("page.txt", []byte("<html><script>alert(1)</script>"), "")
	f.Add("faux.pdf", []byte("MZ\x90\x00"), "")
	f.Add("image.svg", []byte("<svg onload=alert(1)>"), "")
	f.Add("archive.pdf.exe", []byte("%PDF-1.4"), "")
	f.Add("..pdf", []byte("%PDF-"), "PDF")
	f.Fuzz(func(t *testing.T, name string, head []byte, accept string) {
		var acc []string
		if accept != "" {
			acc = strings.Split(accept, ",")
		}
		mime, msg := Sniff(name, head, acc)
		if (mime == "") == (msg == "") {
			t.Fatalf("Sniff(%q) = %q, %q: exactly one of a type and a message", name, mime, msg)
		}
		if mime == "" {
			return
		}
		ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
		k := kindOf(ext)
		if k == nil || k.mime != mime {
			t.Fatalf("%q accepted as %q", name, mime)
		}
		if len(acc) > 0 && !slices.ContainsFunc(acc, func(a string) bool { return slices.Contains(k.exts, strings.ToLower(a)) }) {
			t.Fatalf("%q accepted though the field asks %q", name, accept)
		}
		sniffed := http.DetectContentType(head)
		if strings.HasPrefix(sniffed, "text/html") || strings.HasPrefix(sniffed, "text/xml") ||
			bytes.HasPrefix(bytes.TrimSpace(bytes.ToLower(head)), []byte("<svg")) {
			t.Fatalf("%q accepted as %q but a browser reads %q", name, mime, sniffed)
		}
		if again, _ := Sniff(strings.ToUpper(name), head, acc); again != mime {
			t.Fatalf("%q accepted as %q, in upper case as %q", name, mime, again)
		}
	})
}
