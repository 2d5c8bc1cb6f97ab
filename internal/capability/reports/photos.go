package reports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/capability/reports/photo"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
)

// MaxPhotos is how many photos one report carries.
const MaxPhotos = 3

// PhotoTypes are the types a photo is stored in, once re-encoded without
// its metadata.
var PhotoTypes = []string{"image/jpeg", "image/png"}

// PhotoUpload is a photo already decoded, stripped of its metadata and
// re-encoded by its sender's layer (Open311), ready to store; its
// thumbnail is derived when the photo package reads it. The web form
// stages its photos instead (StagePhoto, Draft.Staged).
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
	// ThumbWidth and ThumbHeight are the size of what OpenPhotoThumb
	// serves: the thumbnail, or the photo itself when it has none.
	ThumbWidth, ThumbHeight int
	Lat, Lon                float64
	HasPosition             bool
	key, thumbKey           string
	thumbSize               int64
}

// Path is where the photo is served.
func (p *Photo) Path() string { return PhotoPath(p.ReportID, p.ID) }

// ThumbType is the content type of what OpenPhotoThumb serves: a JPEG
// thumbnail, or the photo's own type when it has none.
func (p *Photo) ThumbType() string {
	if p.thumbKey == "" {
		return p.ContentType
	}
	return "image/jpeg"
}

// checkPhotos checks the uploads, and that they and the staged photos
// are MaxPhotos at most.
func checkPhotos(errs map[string]string, ups []PhotoUpload, staged int) {
	if len(ups)+staged > MaxPhotos {
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
		if err := s.putPhoto(ctx, &p, u.Body); err != nil {
			s.removeFiles(ctx, keysOf(out))
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// putPhoto stores an upload's body and the thumbnail derived from it; a
// body the photo package cannot read, or one over its size, gets none
// and is served whole in its place.
func (s *Store) putPhoto(ctx context.Context, p *Photo, body io.Reader) error {
	head, err := io.ReadAll(io.LimitReader(body, photo.MaxBytes+1))
	if err != nil {
		return fmt.Errorf("reports: read a photo: %w", err)
	}
	p.ThumbWidth, p.ThumbHeight = p.Width, p.Height
	var thumb *photo.Photo
	if len(head) <= photo.MaxBytes {
		if thumb, err = photo.Prepare(ctx, head); guichet.ErrorCode(err) == guichet.EInvalid {
			thumb = nil
		} else if err != nil {
			return fmt.Errorf("reports: a photo's thumbnail: %w", err)
		}
	}
	if p.Size, err = s.Files.Put(ctx, p.key, io.MultiReader(bytes.NewReader(head), body)); err != nil {
		return fmt.Errorf("reports: store a photo: %w", err)
	}
	if thumb == nil {
		return nil
	}
	key := fileKey()
	if p.thumbSize, err = s.Files.Put(ctx, key, bytes.NewReader(thumb.Thumb)); err != nil {
		s.removeFiles(ctx, []string{p.key, key})
		return fmt.Errorf("reports: store a thumbnail: %w", err)
	}
	p.thumbKey, p.ThumbWidth, p.ThumbHeight = key, thumb.ThumbWidth, thumb.ThumbHeight
	return nil
}

// keysOf lists the files of photos: each one's body and thumbnail.
func keysOf(ps []Photo) []string {
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.keys()...)
	}
	return keys
}

func (p *Photo) keys() []string {
	if p.thumbKey == "" {
		return []string{p.key}
	}
	return []string{p.key, p.thumbKey}
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
			width, height, thumb_key, thumb_size, thumb_width, thumb_height, lat, lon, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, tenantID, reportID, i, p.key, p.ContentType, p.Size,
			p.Width, p.Height, p.thumbKey, p.thumbSize, p.ThumbWidth, p.ThumbHeight, lat, lon, now); err != nil {
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

// photoCols are a photo's columns, on alias p.
const photoCols = `p.id, p.report_id, p.file_key, p.content_type, p.size, p.width, p.height, p.thumb_key, p.thumb_size,
	p.thumb_width, p.thumb_height, p.lat, p.lon`

func scanPhoto(r db.Row) (*Photo, error) {
	var p Photo
	var lat, lon sql.NullFloat64
	err := r.Scan(&p.ID, &p.ReportID, &p.key, &p.ContentType, &p.Size, &p.Width, &p.Height, &p.thumbKey, &p.thumbSize,
		&p.ThumbWidth, &p.ThumbHeight, &lat, &lon)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	p.Lat, p.Lon, p.HasPosition = lat.Float64, lon.Float64, lat.Valid && lon.Valid
	return &p, err
}

// photos lists a report's photos in their order.
func photos(ctx context.Context, q db.Querier, tenantID, reportID string) ([]Photo, error) {
	var out []Photo
	err := db.Each(ctx, q, `SELECT `+photoCols+` FROM report_photos p WHERE p.tenant_id = ? AND p.report_id = ?
		ORDER BY p.position`,
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
	p, err := s.publicPhoto(ctx, tenantID, reportID, photoID)
	if err != nil {
		return nil, nil, err
	}
	body, err := s.open(ctx, p.key)
	return p, body, err
}

// OpenPhotoThumb returns a photo of a confirmed report and its
// thumbnail's bytes, or the photo's own when it has none (ThumbType
// says which); the caller closes them.
func (s *Store) OpenPhotoThumb(ctx context.Context, tenantID, reportID, photoID string) (*Photo, io.ReadCloser, error) {
	p, err := s.publicPhoto(ctx, tenantID, reportID, photoID)
	if err != nil {
		return nil, nil, err
	}
	key := p.thumbKey
	if key == "" {
		key = p.key
	}
	body, err := s.open(ctx, key)
	return p, body, err
}

// publicPhoto returns a photo of a confirmed report.
func (s *Store) publicPhoto(ctx context.Context, tenantID, reportID, photoID string) (*Photo, error) {
	p, err := scanPhoto(s.db.QueryRow(ctx, `SELECT `+photoCols+` FROM report_photos p
		JOIN reports r ON r.id = p.report_id AND r.tenant_id = p.tenant_id
		WHERE p.tenant_id = ? AND p.report_id = ? AND p.id = ? AND r.confirmed_at IS NOT NULL`, tenantID, reportID, photoID))
	return p, wrap("photo", err)
}

// open returns a stored body; a missing one is not found.
func (s *Store) open(ctx context.Context, key string) (io.ReadCloser, error) {
	body, err := s.Files.Open(ctx, key)
	if errors.Is(err, files.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, wrap("open photo", err)
	}
	return body, nil
}

// StorageUsed returns the bytes of a collectivité's photos and their
// thumbnails, staged ones included, counted against its storage quota.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT SUM(n) FROM (SELECT size + thumb_size AS n FROM report_photos WHERE tenant_id = ?
		UNION ALL SELECT size + thumb_size FROM report_staged_photos WHERE tenant_id = ?) AS used`, tenantID, tenantID).Scan(&n)
	return n.Int64, wrap("storage used", err)
}

// FileKeys lists the keys of a collectivité's photos and thumbnails,
// staged ones included, for its backup.
func (s *Store) FileKeys(ctx context.Context, q db.Querier, tenantID string) ([]string, error) {
	var keys []string
	err := db.Each(ctx, q, `SELECT k FROM (SELECT file_key AS k FROM report_photos WHERE tenant_id = ?
		UNION ALL SELECT thumb_key FROM report_photos WHERE tenant_id = ? AND thumb_key <> ''
		UNION ALL SELECT file_key FROM report_staged_photos WHERE tenant_id = ?
		UNION ALL SELECT thumb_key FROM report_staged_photos WHERE tenant_id = ?) AS f ORDER BY k`, func(r db.Row) error {
		var k string
		err := r.Scan(&k)
		keys = append(keys, k)
		return err
	}, tenantID, tenantID, tenantID, tenantID)
	return keys, wrap("file keys", err)
}

// DeletePhoto removes a photo staff judge should not be public (a face,
// a number plate), its bytes with it.
func (s *Store) DeletePhoto(ctx context.Context, tenantID, reportID, photoID string) error {
	var keys []string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := scanPhoto(tx.QueryRow(ctx, `SELECT `+photoCols+` FROM report_photos p
			WHERE p.tenant_id = ? AND p.report_id = ? AND p.id = ?`, tenantID, reportID, photoID))
		if err != nil {
			return err
		}
		keys = p.keys()
		_, err = tx.Exec(ctx, `DELETE FROM report_photos WHERE tenant_id = ? AND id = ?`, tenantID, photoID)
		return err
	})
	if err != nil {
		return wrap("delete photo", err)
	}
	s.removeFiles(ctx, keys)
	return nil
}
