package news

import (
	"context"
	"database/sql"
	"guichet/internal/publishing"
	"net/http"

	"github.com/google/uuid"

	"guichet"
)

// MaxImage is the largest cover image accepted (3 MB).
const MaxImage = 3 << 20

// imageTypes are the cover formats accepted, by sniffed content type.
var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// SaveImage stores an uploaded cover image after sniffing its type and
// returns its identifier.
func (s *Store) SaveImage(ctx context.Context, tenantID string, data []byte) (string, error) {
	if s.CheckStorage != nil {
		if err := s.CheckStorage(ctx, tenantID); err != nil {
			return "", err
		}
	}
	ct := http.DetectContentType(data)
	switch {
	case len(data) == 0:
		return "", guichet.Invalid(map[string]string{"image": "Le fichier est vide."})
	case len(data) > MaxImage:
		return "", guichet.Invalid(map[string]string{"image": "L'image dépasse 3 Mo."})
	case !imageTypes[ct]:
		return "", guichet.Invalid(map[string]string{"image": "Choisissez une image JPEG, PNG, WebP ou GIF."})
	}
	id := uuid.NewString()
	_, err := s.DB().Exec(ctx, `INSERT INTO content_media (id, tenant_id, content_type, data, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, tenantID, ct, data, s.Stamp())
	return id, err
}

// Image returns a stored image and its content type.
func (s *Store) Image(ctx context.Context, tenantID, id string) ([]byte, string, error) {
	var data []byte
	var ct string
	err := s.DB().QueryRow(ctx, `SELECT data, content_type FROM content_media WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&data, &ct)
	if err != nil {
		return nil, "", publishing.ErrNotFound
	}
	return data, ct, nil
}

// StorageUsed returns the bytes of a collectivité's images, counted
// against its storage quota.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n sql.NullInt64
	err := s.DB().QueryRow(ctx, `SELECT SUM(LENGTH(data)) FROM content_media WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n.Int64, err
}
