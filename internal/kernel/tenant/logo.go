package tenant

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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

// Logos keeps each collectivité's logo as a file in a folder of the data
// directory, outside any web root.
type Logos struct{ dir string }

// NewLogos returns the logo folder under dataDir.
func NewLogos(dataDir string) *Logos { return &Logos{dir: filepath.Join(dataDir, "logos")} }

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
func (l *Logos) Save(tenantID string, data []byte) (string, error) {
	if err := CheckLogo(data); err != nil {
		return "", err
	}
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		return "", fmt.Errorf("tenant: logo folder: %w", err)
	}
	tmp := filepath.Join(l.dir, tenantID+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return "", fmt.Errorf("tenant: write logo: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(l.dir, tenantID)); err != nil {
		return "", fmt.Errorf("tenant: write logo: %w", err)
	}
	sum := sha256.Sum256(data)
	return "/logo?v=" + hex.EncodeToString(sum[:4]), nil
}

// Open returns tenantID's logo and its content type.
func (l *Logos) Open(tenantID string) ([]byte, string, error) {
	data, err := os.ReadFile(filepath.Join(l.dir, filepath.Base(tenantID)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("tenant: read logo: %w", err)
	}
	return data, http.DetectContentType(data), nil
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
