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
type Logos struct {
	store files.Storage
	// legacyDir is where earlier versions wrote logos, as plain files
	// named by id: still read, so that an upgrade loses none.
	legacyDir string
}

// NewLogos returns the logos kept in store; legacyDir ("" for none) is
// the folder earlier versions used.
func NewLogos(store files.Storage, legacyDir string) *Logos {
	return &Logos{store: store, legacyDir: legacyDir}
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
	if errors.Is(err, files.ErrNotFound) && l.legacyDir != "" {
		data, err = os.ReadFile(filepath.Join(l.legacyDir, filepath.Base(tenantID)))
		if errors.Is(err, os.ErrNotExist) {
			err = files.ErrNotFound
		}
	}
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
