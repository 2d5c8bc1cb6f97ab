package tenant

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"guichet/internal/kernel/files"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"guichet"
)

// MaxLogoBytes bounds a logo upload; a town hall's logo needs far less.
const MaxLogoBytes = 512 << 10

// logoTypes are the raster formats accepted, by sniffed content type. SVG is
// left out on purpose: it can carry scripts.
var logoTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/webp": true}

// Logos keeps each collectivité's logo in the file store (the "logos"
// bucket), outside any web root, under the collectivité's id.
type Logos struct{ store files.Storage }

// NewLogos returns the logos kept in store.
func NewLogos(store files.Storage) *Logos { return &Logos{store: store} }

// MoveLegacy moves into the store the logos that earlier versions wrote
// as plain files named by id in dir, so that every node and every backup
// sees them; it returns how many it moved.
func (l *Logos) MoveLegacy(ctx context.Context, dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("tenant: earlier logos: %w", err)
	}
	moved := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !files.ValidKey(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return moved, fmt.Errorf("tenant: earlier logo: %w", err)
		}
		if _, err := l.store.Put(ctx, e.Name(), bytes.NewReader(data)); err != nil {
			return moved, fmt.Errorf("tenant: move a logo: %w", err)
		}
		if err := os.Remove(path); err != nil {
			return moved, fmt.Errorf("tenant: move a logo: %w", err)
		}
		moved++
	}
	return moved, nil
}

// ErrLogo is returned for a file that is not an accepted image.
var ErrLogo = &guichet.Error{Code: guichet.EInvalid, Message: "Logo refusé.",
	Fields: map[string]string{"logo": "Le logo doit être une image PNG, JPEG ou WebP de 512 Ko au plus."}}

// CheckLogo returns ErrLogo unless data is an accepted image of an accepted size.
func CheckLogo(data []byte) error {
	if len(data) == 0 || len(data) > MaxLogoBytes || !logoTypes[http.DetectContentType(data)] {
		return ErrLogo
	}
	return nil
}

// Save checks data is an accepted image and stores it as tenantID's logo,
// returning the versioned path pages link to.
func (l *Logos) Save(ctx context.Context, tenantID string, data []byte) (string, error) {
	if err := CheckLogo(data); err != nil {
		return "", err
	}
	if _, err := l.store.Put(ctx, tenantID, bytes.NewReader(data)); err != nil {
		return "", fmt.Errorf("tenant: write logo: %w", err)
	}
	sum := sha256.Sum256(data)
	return "/logo?v=" + hex.EncodeToString(sum[:4]), nil
}

// Open returns tenantID's logo and its content type.
func (l *Logos) Open(ctx context.Context, tenantID string) ([]byte, string, error) {
	if !files.ValidKey(tenantID) {
		return nil, "", ErrNotFound
	}
	data, err := l.read(ctx, tenantID)
	if errors.Is(err, files.ErrNotFound) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("tenant: read logo: %w", err)
	}
	return data, http.DetectContentType(data), nil
}

func (l *Logos) read(ctx context.Context, tenantID string) ([]byte, error) {
	r, err := l.store.Open(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, MaxLogoBytes+1))
}

// SetLogo records the path of a tenant's logo ("" removes it).
func (s *Store) SetLogo(ctx context.Context, id, path string) error {
	res, err := s.db.Exec(ctx, `UPDATE tenants SET logo_path = ?, updated_at = ? WHERE id = ?`, path, s.Now(), id)
	if err != nil {
		return fmt.Errorf("tenant: set logo: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	s.changed(ctx, id)
	return nil
}
