package council

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/pdf"
)

// MaxFile is the largest PDF accepted (20 MB: a scanned act of a few
// dozen pages).
const MaxFile = 20 << 20

// File is a stored PDF: a signed act, minutes or a session's document.
type File struct {
	ID, Name, ContentType string
	Size                  int64
	SHA256                string
	// TextState says whether search reads the PDF's text: "indexed", or
	// "unavailable" when it could not be read (no pdftotext, a scan
	// without text).
	TextState string
	CreatedAt time.Time
	text      string
	key       string
}

// Text states of a file.
const (
	TextIndexed     = "indexed"
	TextUnavailable = "unavailable"
)

// SaveFile stores a PDF, with its SHA-256 and its text for search.
func (s *Store) SaveFile(ctx context.Context, tenantID, name string, body []byte) (*File, error) {
	if s.CheckStorage != nil {
		if err := s.CheckStorage(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	switch {
	case len(body) == 0:
		return nil, guichet.Invalid(map[string]string{"file": "Le fichier est vide."})
	case len(body) > MaxFile:
		return nil, guichet.Invalid(map[string]string{"file": "Le fichier dépasse 20 Mo."})
	case http.DetectContentType(body) != "application/pdf":
		return nil, guichet.Invalid(map[string]string{"file": "Choisissez un fichier PDF."})
	}
	sum := sha256.Sum256(body)
	f := &File{ID: uuid.NewString(), Name: files.CleanName(name), ContentType: "application/pdf", Size: int64(len(body)),
		SHA256: hex.EncodeToString(sum[:]), TextState: TextIndexed, CreatedAt: s.Stamp()}
	if f.Name == "" {
		f.Name = "document.pdf"
	}
	text, err := s.ExtractText(ctx, body)
	if err != nil || strings.TrimSpace(text) == "" {
		f.TextState, text = TextUnavailable, ""
	}
	f.text, f.key = text, "council-"+strings.ReplaceAll(f.ID, "-", "")
	if _, err := s.files.Put(ctx, f.key, bytes.NewReader(body)); err != nil {
		return nil, wrap("store file", err)
	}
	_, err = s.DB().Exec(ctx, `INSERT INTO council_files (id, tenant_id, storage_key, name, content_type, size, sha256, text,
		text_state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, tenantID, f.key, f.Name, f.ContentType, f.Size,
		f.SHA256, f.text, f.TextState, f.CreatedAt)
	if err != nil {
		_ = s.files.Delete(ctx, f.key)
		return nil, wrap("save file", err)
	}
	return f, nil
}

const fileColumns = `id, storage_key, name, content_type, size, sha256, text_state, created_at`

func scanFile(row interface{ Scan(...any) error }) (*File, error) {
	var f File
	err := row.Scan(&f.ID, &f.key, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.TextState, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &f, wrap("file", err)
}

// FileInfo returns a file's description.
func (s *Store) FileInfo(ctx context.Context, tenantID, id string) (*File, error) {
	return scanFile(s.DB().QueryRow(ctx, `SELECT `+fileColumns+` FROM council_files WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// fileText returns the text read from a file, for search.
func (s *Store) fileText(ctx context.Context, q db.Querier, tenantID, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	var text string
	err := q.QueryRow(ctx, `SELECT text FROM council_files WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return text, err
}

// OpenFile returns a file's body; the caller closes it.
func (s *Store) OpenFile(ctx context.Context, f *File) (io.ReadCloser, error) {
	return s.files.Open(ctx, f.key)
}

// PublicFile returns a file the public may read: a published act's, a
// session's document, or published minutes'.
func (s *Store) PublicFile(ctx context.Context, tenantID, id string) (*File, error) {
	return scanFile(s.DB().QueryRow(ctx, `SELECT `+fileColumns+` FROM council_files f WHERE tenant_id = ? AND id = ? AND (
		EXISTS (SELECT 1 FROM council_acts a WHERE a.tenant_id = f.tenant_id AND a.file_id = f.id AND a.status = ?)
		OR EXISTS (SELECT 1 FROM council_documents d WHERE d.tenant_id = f.tenant_id AND d.file_id = f.id)
		OR EXISTS (SELECT 1 FROM council_sessions x WHERE x.tenant_id = f.tenant_id AND x.minutes_file_id = f.id
			AND x.minutes_published_at IS NOT NULL))`, tenantID, id, Published))
}

// FileKeys lists the storage keys of a collectivité's files, for its
// backup.
func (s *Store) FileKeys(ctx context.Context, q db.Querier, tenantID string) ([]string, error) {
	var keys []string
	err := db.Each(ctx, q, `SELECT storage_key FROM council_files WHERE tenant_id = ? ORDER BY storage_key`, func(r db.Row) error {
		var k string
		err := r.Scan(&k)
		keys = append(keys, k)
		return err
	}, tenantID)
	return keys, wrap("file keys", err)
}

// StorageUsed returns the bytes of a collectivité's council files.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n sql.NullInt64
	err := s.DB().QueryRow(ctx, `SELECT SUM(size) FROM council_files WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n.Int64, err
}

// AddDocument attaches a stored file to a session, or to one of its
// items, as a public document.
func (s *Store) AddDocument(ctx context.Context, tenantID, sessionID, itemID, title string, f *File) error {
	title = strings.TrimSpace(title)
	if title == "" || len([]rune(title)) > 200 {
		return guichet.Invalid(map[string]string{"doc_title": "Indiquez le titre du document (200 caractères au plus)."})
	}
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	if itemID != "" && !containsItem(x.Items, itemID) {
		return guichet.Invalid(map[string]string{"item": "Choisissez un point de l'ordre du jour."})
	}
	_, err = s.DB().Exec(ctx, `INSERT INTO council_documents (id, tenant_id, session_id, item_id, title, file_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), tenantID, sessionID, itemID, title, f.ID, s.Stamp())
	s.Changed(ctx, tenantID)
	return wrap("add document", err)
}

func containsItem(items []*Item, id string) bool {
	for _, it := range items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func (s *Store) documents(ctx context.Context, tenantID, sessionID string) ([]*Document, error) {
	var out []*Document
	err := db.Each(ctx, s.DB(), `SELECT d.id, d.session_id, d.item_id, d.title, f.`+strings.ReplaceAll(fileColumns, ", ", ", f.")+`
		FROM council_documents d JOIN council_files f ON f.tenant_id = d.tenant_id AND f.id = d.file_id
		WHERE d.tenant_id = ? AND d.session_id = ? ORDER BY d.created_at, d.id`, func(r db.Row) error {
		var d Document
		var f File
		err := r.Scan(&d.ID, &d.SessionID, &d.ItemID, &d.Title, &f.ID, &f.key, &f.Name, &f.ContentType, &f.Size, &f.SHA256,
			&f.TextState, &f.CreatedAt)
		d.File = &f
		out = append(out, &d)
		return err
	}, tenantID, sessionID)
	return out, wrap("documents", err)
}

// renderedFile writes a PDF the collectivité did not upload (minutes,
// an act published without its signed scan) and stores it.
func (s *Store) renderedFile(ctx context.Context, tenantID, name string, write func(d *pdf.Doc)) (*File, error) {
	d := s.pdfs.New(name)
	write(d)
	body, err := d.Bytes()
	if err != nil {
		return nil, wrap("write pdf", err)
	}
	return s.SaveFile(ctx, tenantID, name, body)
}

// KB is the file's size in kilobytes, rounded up, for links.
func (f *File) KB() int64 { return (f.Size + 1023) / 1024 }
