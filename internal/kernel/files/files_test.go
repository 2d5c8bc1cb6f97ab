package files

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	odt := append([]byte("PK\x03\x04"), make([]byte, 26)...)
	odt = append(odt, []byte("mimetypeapplication/vnd.oasis.opendocument.text")...)
	rows := []struct {
		name   string
		head   []byte
		accept []string
		mime   string
	}{
		{"acte.pdf", []byte("%PDF-1.7\n"), nil, "application/pdf"},
		{"photo.JPG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), []string{"jpg", "pdf"}, "image/jpeg"},
		{"plan.png", []byte("\x89PNG\r\n\x1a\n\x00"), nil, "image/png"},
		{"lettre.odt", odt, nil, "application/vnd.oasis.opendocument.text"},
		{"faux.pdf", []byte("MZ\x90\x00 this is an executable"), nil, ""},
		{"photo.png", []byte("%PDF-1.4"), nil, ""},
		{"virus.exe", []byte("MZ"), nil, ""},
		{"acte.pdf", []byte("%PDF-1.7"), []string{"jpg"}, ""},
		{"sans-extension", []byte("%PDF-1.7"), nil, ""},
	}
	for _, r := range rows {
		mime, msg := Sniff(r.name, r.head, r.accept)
		if mime != r.mime || (mime == "") == (msg == "") {
			t.Errorf("%s: got %q %q, want %q", r.name, mime, msg, r.mime)
		}
	}
}

func TestLocal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Put(ctx, "../../etc/passwd", strings.NewReader("x")); err == nil {
		t.Fatal("a key with a path must be refused")
	}
	key := "abcdef0123456789"
	if n, err := l.Put(ctx, key, bytes.NewReader([]byte("contenu"))); err != nil || n != 7 {
		t.Fatalf("put: %d %v", n, err)
	}
	r, err := l.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "contenu" {
		t.Fatalf("read %q", b)
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Open(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Fatal("deleting twice must be fine")
	}
}
