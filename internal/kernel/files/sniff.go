package files

import (
	"bytes"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
)

// kind is one accepted type of file: its extensions, its MIME type and a
// test of its first bytes.
type kind struct {
	exts  []string
	mime  string
	match func(head []byte) bool
}

func prefix(p string) func([]byte) bool {
	return func(h []byte) bool { return bytes.HasPrefix(h, []byte(p)) }
}

// zipWith recognises an OpenDocument file: a zip whose first entry is
// "mimetype" holding the given type, as the format requires.
func zipWith(mime string) func([]byte) bool {
	return func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("PK\x03\x04")) && len(h) > 38 &&
			string(h[30:38]) == "mimetype" && bytes.Contains(h[38:min(len(h), 38+len(mime)+16)], []byte(mime))
	}
}

// ooxml recognises an Office Open XML file: a zip whose first entries name
// the format's parts.
func ooxml(part string) func([]byte) bool {
	return func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("PK\x03\x04")) &&
			(bytes.Contains(h, []byte("[Content_Types].xml")) || bytes.Contains(h, []byte(part)))
	}
}

var kinds = []kind{
	{[]string{"pdf"}, "application/pdf", prefix("%PDF-")},
	{[]string{"png"}, "image/png", prefix("\x89PNG\r\n\x1a\n")},
	{[]string{"jpg", "jpeg"}, "image/jpeg", prefix("\xff\xd8\xff")},
	{[]string{"gif"}, "image/gif", func(h []byte) bool {
		return bytes.HasPrefix(h, []byte("GIF87a")) || bytes.HasPrefix(h, []byte("GIF89a"))
	}},
	{[]string{"webp"}, "image/webp", func(h []byte) bool { return len(h) > 12 && string(h[:4]) == "RIFF" && string(h[8:12]) == "WEBP" }},
	{[]string{"odt"}, "application/vnd.oasis.opendocument.text", zipWith("application/vnd.oasis.opendocument.text")},
	{[]string{"ods"}, "application/vnd.oasis.opendocument.spreadsheet", zipWith("application/vnd.oasis.opendocument.spreadsheet")},
	{[]string{"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ooxml("word/")},
	{[]string{"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ooxml("xl/")},
	{[]string{"txt"}, "text/plain; charset=utf-8", func(h []byte) bool {
		return strings.HasPrefix(http.DetectContentType(h), "text/plain")
	}},
}

// Extensions lists every accepted extension.
func Extensions() []string {
	var out []string
	for _, k := range kinds {
		out = append(out, k.exts...)
	}
	return out
}

// Allowed reports whether ext (without the dot) is an accepted type.
func Allowed(ext string) bool { return kindOf(ext) != nil }

func kindOf(ext string) *kind {
	ext = strings.ToLower(strings.TrimPrefix(ext, "."))
	for i := range kinds {
		if slices.Contains(kinds[i].exts, ext) {
			return &kinds[i]
		}
	}
	return nil
}

// SniffLen is how many first bytes Sniff needs.
const SniffLen = 512

// Sniff checks that head (the file's first bytes) is what the name's
// extension says and that the extension is in accept (any accepted type
// when accept is empty). It returns the MIME type to store, or an error
// message in French.
func Sniff(name string, head []byte, accept []string) (string, string) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	k := kindOf(ext)
	if k == nil || (len(accept) > 0 && !slices.ContainsFunc(accept, func(a string) bool { return slices.Contains(k.exts, strings.ToLower(a)) })) {
		return "", "Ce type de fichier n'est pas accepté ici (formats acceptés : " + strings.Join(acceptList(accept), ", ") + ")."
	}
	if !k.match(head) {
		return "", "Le contenu du fichier ne correspond pas à son extension ." + ext + "."
	}
	return k.mime, ""
}

func acceptList(accept []string) []string {
	if len(accept) == 0 {
		return Extensions()
	}
	return accept
}
