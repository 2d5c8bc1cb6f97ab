package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
)

// MaxPhotos is how many photos one report carries.
const MaxPhotos = 3

// PhotoTypes are the types a photo is stored in, once re-encoded without
// its metadata.
var PhotoTypes = []string{"image/jpeg", "image/png"}

// PhotoUpload is a photo already decoded, stripped of its metadata and
// re-encoded by the web layer, ready to store.
type PhotoUpload struct {
	ContentType   string
	Width, Height int
	// Lat and Lon are where the camera said it was (HasPosition), read
	// before the metadata went.
	Lat, Lon    float64
	HasPosition bool
	Body        io.Reader
}

// Photo is a photo of a report; its bytes are in the files bucket.
type Photo struct {
	ID, ReportID, ContentType string
	Size                      int64
	Width, Height             int
	Lat, Lon                  float64
	HasPosition               bool
	key                       string
}

// Path is where the photo is served.
func (p *Photo) Path() string { return PhotoPath(p.ReportID, p.ID) }

func checkPhotos(errs map[string]string, ups []PhotoUpload) {
	if len(ups) > MaxPhotos {
		errs["photos"] = fmt.Sprintf("Joignez %d photos au plus.", MaxPhotos)
		return
	}
	for _, u := range ups {
		if !slices.Contains(PhotoTypes, u.ContentType) || u.Width <= 0 || u.Height <= 0 || u.Body == nil {
			errs["photos"] = "Une des photos n'a pas pu être lue : joignez une image JPEG ou PNG."
		}
	}
}

func fileKey() string { return strings.ReplaceAll(uuid.NewString(), "-", "") }

// putPhotos stores the bodies before the rows that name them are
// written; on failure it removes what it stored.
func (s *Store) putPhotos(ctx context.Context, tenantID string, ups []PhotoUpload) ([]Photo, error) {
	if len(ups) == 0 {
		return nil, nil
	}
	if s.CheckStorage != nil {
		if err := s.CheckStorage(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	var out []Photo
	for _, u := range ups {
		p := Photo{ID: uuid.NewString(), ContentType: u.ContentType, Width: u.Width, Height: u.Height, key: fileKey()}
		if u.HasPosition && InFrance(u.Lat, u.Lon) { // a position elsewhere is the camera's mistake
			p.Lat, p.Lon, p.HasPosition = u.Lat, u.Lon, true
		}
		n, err := s.Files.Put(ctx, p.key, u.Body)
		if err != nil {
			s.removeFiles(ctx, keysOf(out))
			return nil, fmt.Errorf("reports: store a photo: %w", err)
		}
		p.Size = n
		out = append(out, p)
	}
	return out, nil
}

func keysOf(ps []Photo) []string {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.key
	}
	return keys
}

// removeFiles deletes stored bodies, best effort: an orphan body harms
// no one.
func (s *Store) removeFiles(ctx context.Context, keys []string) {
	for _, k := range keys {
		_ = s.Files.Delete(context.WithoutCancel(ctx), k)
	}
}

func insertPhotos(ctx context.Context, tx *db.Tx, tenantID, reportID string, ps []Photo, now time.Time) error {
	for i := range ps {
		p := &ps[i]
		p.ReportID = reportID
		lat, lon := nullPosition(p.HasPosition, p.Lat, p.Lon)
		if _, err := tx.Exec(ctx, `INSERT INTO report_photos (id, tenant_id, report_id, position, file_key, content_type, size,
			width, height, lat, lon, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, tenantID, reportID, i,
			p.key, p.ContentType, p.Size, p.Width, p.Height, lat, lon, now); err != nil {
			return err
		}
	}
	return nil
}

func nullPosition(has bool, lat, lon float64) (any, any) {
	if !has {
		return nil, nil
	}
	return lat, lon
}

const photoCols = `id, report_id, file_key, content_type, size, width, height, lat, lon`

func scanPhoto(r db.Row) (*Photo, error) {
	var p Photo
	var lat, lon sql.NullFloat64
	err := r.Scan(&p.ID, &p.ReportID, &p.key, &p.ContentType, &p.Size, &p.Width, &p.Height, &lat, &lon)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	p.Lat, p.Lon, p.HasPosition = lat.Float64, lon.Float64, lat.Valid && lon.Valid
	return &p, err
}

// photos lists a report's photos in their order.
func photos(ctx context.Context, q db.Querier, tenantID, reportID string) ([]Photo, error) {
	var out []Photo
	err := db.Each(ctx, q, `SELECT `+photoCols+` FROM report_photos WHERE tenant_id = ? AND report_id = ? ORDER BY position`,
		func(r db.Row) error {
			p, err := scanPhoto(r)
			if err == nil {
				out = append(out, *p)
			}
			return err
		}, tenantID, reportID)
	return out, err
}

// OpenPhoto returns a photo of a confirmed report and its bytes, to
// serve; the caller closes them.
func (s *Store) OpenPhoto(ctx context.Context, tenantID, reportID, photoID string) (*Photo, io.ReadCloser, error) {
	p, err := scanPhoto(s.db.QueryRow(ctx, `SELECT p.id, p.report_id, p.file_key, p.content_type, p.size, p.width, p.height,
		p.lat, p.lon FROM report_photos p JOIN reports r ON r.id = p.report_id AND r.tenant_id = p.tenant_id
		WHERE p.tenant_id = ? AND p.report_id = ? AND p.id = ? AND r.confirmed_at IS NOT NULL`, tenantID, reportID, photoID))
	if err != nil {
		return nil, nil, wrap("photo", err)
	}
	body, err := s.Files.Open(ctx, p.key)
	if errors.Is(err, files.ErrNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, wrap("open photo", err)
	}
	return p, body, nil
}

// StorageUsed returns the bytes of a collectivité's photos, counted
// against its storage quota.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT SUM(size) FROM report_photos WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n.Int64, wrap("storage used", err)
}

// FileKeys lists the keys of a collectivité's photos, for its backup.
func (s *Store) FileKeys(ctx context.Context, q db.Querier, tenantID string) ([]string, error) {
	var keys []string
	err := db.Each(ctx, q, `SELECT file_key FROM report_photos WHERE tenant_id = ? ORDER BY file_key`, func(r db.Row) error {
		var k string
		err := r.Scan(&k)
		keys = append(keys, k)
		return err
	}, tenantID)
	return keys, wrap("file keys", err)
}

// DeletePhoto removes a photo staff judge should not be public (a face,
// a number plate), its bytes with it.
func (s *Store) DeletePhoto(ctx context.Context, tenantID, reportID, photoID string) error {
	var key string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := scanPhoto(tx.QueryRow(ctx, `SELECT `+photoCols+` FROM report_photos WHERE tenant_id = ? AND report_id = ? AND id = ?`,
			tenantID, reportID, photoID))
		if err != nil {
			return err
		}
		key = p.key
		_, err = tx.Exec(ctx, `DELETE FROM report_photos WHERE tenant_id = ? AND id = ?`, tenantID, photoID)
		return err
	})
	if err != nil {
		return wrap("delete photo", err)
	}
	s.removeFiles(ctx, []string{key})
	return nil
}
