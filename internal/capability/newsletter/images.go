package newsletter

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
)

// MaxImage is the largest picture a campaign takes (2 MB: it travels in
// every message's images).
const MaxImage = 2 << 20

var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// CheckStorage, when set, refuses pictures once the collectivité's files
// fill their quota.
type CheckStorage func(ctx context.Context, tenantID string) error

// SaveImage stores a campaign's picture after sniffing its type and
// returns its address on the site.
func (s *Store) SaveImage(ctx context.Context, tenantID string, data []byte, check CheckStorage) (string, error) {
	if check != nil {
		if err := check(ctx, tenantID); err != nil {
			return "", err
		}
	}
	ct := http.DetectContentType(data)
	switch {
	case len(data) == 0:
		return "", guichet.Invalid(map[string]string{"image": "Le fichier est vide."})
	case len(data) > MaxImage:
		return "", guichet.Invalid(map[string]string{"image": "L'image dépasse 2 Mo."})
	case !imageTypes[ct]:
		return "", guichet.Invalid(map[string]string{"image": "Choisissez une image JPEG, PNG, WebP ou GIF."})
	}
	id := uuid.NewString()
	key := "image-" + id
	if _, err := s.bucket.Put(ctx, key, bytes.NewReader(data)); err != nil {
		return "", err
	}
	if _, err := s.DB().Exec(ctx, `INSERT INTO newsletter_images (id, tenant_id, storage_key, content_type, size, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, tenantID, key, ct, len(data), s.Stamp()); err != nil {
		_ = s.bucket.Delete(context.WithoutCancel(ctx), key)
		return "", err
	}
	return "/lettre/images/" + id, nil
}

// Image returns a picture and its content type.
func (s *Store) Image(ctx context.Context, tenantID, id string) ([]byte, string, error) {
	var key, ct string
	err := s.DB().QueryRow(ctx, `SELECT storage_key, content_type FROM newsletter_images WHERE tenant_id = ? AND id = ?`,
		tenantID, id).Scan(&key, &ct)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", err
	}
	f, err := s.bucket.Open(ctx, key)
	if err != nil {
		return nil, "", ErrNotFound
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxImage+1))
	return data, ct, err
}

// FileKeys lists a collectivité's files in the bucket, for its backups:
// the pictures and the files of imports under way.
func (s *Store) FileKeys(ctx context.Context, q db.Querier, tenantID string) ([]string, error) {
	var keys []string
	err := db.Each(ctx, q, `SELECT storage_key FROM newsletter_images WHERE tenant_id = ? ORDER BY storage_key`, func(r db.Row) error {
		var k string
		err := r.Scan(&k)
		keys = append(keys, k)
		return err
	}, tenantID)
	if err != nil {
		return nil, err
	}
	err = db.Each(ctx, q, `SELECT id FROM newsletter_imports WHERE tenant_id = ? AND status = ? ORDER BY id`, func(r db.Row) error {
		var id string
		err := r.Scan(&id)
		keys = append(keys, importKey(id))
		return err
	}, tenantID, ImportRunning)
	return keys, err
}

// StorageUsed returns the bytes of a collectivité's pictures.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n sql.NullInt64
	err := s.DB().QueryRow(ctx, `SELECT SUM(size) FROM newsletter_images WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n.Int64, err
}
