package reports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/capability/reports/photo"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// StagedFor is how long a staged photo waits for its report: the form
// is filled in minutes. Past it the photo is refused, and the next run
// of the retention (PurgeStaged) deletes it with its files.
const StagedFor = 2 * time.Hour

// stagedTokenBytes is a staged photo's token's randomness: 128 bits.
const stagedTokenBytes = 16

// Staged is a photo uploaded before its report is sent: the form shows
// its preview and, from its position, the open reports around, while
// the page keeps its token in a hidden field (a browser cannot send a
// file again).
type Staged struct {
	// Token names it in the form; the database keeps only its hash.
	Token string
	// Width and Height are the prepared photo's; ThumbWidth and
	// ThumbHeight its thumbnail's.
	Width, Height           int
	ThumbWidth, ThumbHeight int
	// Lat and Lon are where the camera said it was (HasPosition), read
	// before the metadata went; a position outside France is dropped.
	Lat, Lon    float64
	HasPosition bool
}

// stagedRow is a staged photo with its files.
type stagedRow struct {
	Staged
	key, thumbKey   string
	size, thumbSize int64
}

// StagePhoto prepares a resident's upload (photo.Prepare: every metadata
// stripped, a thumbnail made), stores it and its thumbnail in the files
// and keeps it for StagedFor under the token it returns. A file the
// photo package refuses is a guichet.Invalid error on the "photo" field;
// a full quota is CheckStorage's error. How many photos one visitor
// stages is bounded by the web layer's abuse limits, not here: what is
// left unused goes after StagedFor.
func (s *Store) StagePhoto(ctx context.Context, tenantID string, raw []byte) (*Staged, error) {
	if s.CheckStorage != nil { // before the costly part
		if err := s.CheckStorage(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	p, err := photo.Prepare(ctx, raw)
	if err != nil {
		return nil, wrap("prepare photo", err)
	}
	row := stagedRow{Staged: Staged{Token: tokens.New(stagedTokenBytes), Width: p.Width, Height: p.Height,
		ThumbWidth: p.ThumbWidth, ThumbHeight: p.ThumbHeight}, key: fileKey(), thumbKey: fileKey()}
	if pos := p.Position; pos.OK && InFrance(pos.Lat, pos.Lon) {
		row.Lat, row.Lon, row.HasPosition = pos.Lat, pos.Lon, true
	}
	if err := s.putStaged(ctx, &row, p); err != nil {
		return nil, err
	}
	lat, lon := nullPosition(row.HasPosition, row.Lat, row.Lon)
	_, err = s.db.Exec(ctx, `INSERT INTO report_staged_photos (hash, tenant_id, file_key, size, width, height, thumb_key,
		thumb_size, thumb_width, thumb_height, lat, lon, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tokens.Hash(row.Token), tenantID, row.key, row.size, row.Width, row.Height, row.thumbKey, row.thumbSize,
		row.ThumbWidth, row.ThumbHeight, lat, lon, s.now())
	if err != nil {
		s.removeFiles(ctx, []string{row.key, row.thumbKey})
		return nil, wrap("stage photo", err)
	}
	return &row.Staged, nil
}

// putStaged stores the prepared photo and its thumbnail, or neither.
func (s *Store) putStaged(ctx context.Context, row *stagedRow, p *photo.Photo) error {
	var err error
	if row.size, err = s.Files.Put(ctx, row.key, bytes.NewReader(p.JPEG)); err != nil {
		return wrap("store a photo", err)
	}
	if row.thumbSize, err = s.Files.Put(ctx, row.thumbKey, bytes.NewReader(p.Thumb)); err != nil {
		s.removeFiles(ctx, []string{row.key, row.thumbKey})
		return wrap("store a thumbnail", err)
	}
	return nil
}

// StagedPhoto returns a photo the collectivité staged under token, while
// it waits for its report.
func (s *Store) StagedPhoto(ctx context.Context, tenantID, token string) (*Staged, error) {
	row, err := s.staged(ctx, tenantID, token, s.now().Add(-StagedFor))
	if err != nil {
		return nil, err
	}
	return &row.Staged, nil
}

// OpenStagedThumb returns the JPEG thumbnail of a staged photo, for the
// form's preview; the caller closes it.
func (s *Store) OpenStagedThumb(ctx context.Context, tenantID, token string) (io.ReadCloser, error) {
	row, err := s.staged(ctx, tenantID, token, s.now().Add(-StagedFor))
	if err != nil {
		return nil, err
	}
	return s.open(ctx, row.thumbKey)
}

const stagedCols = `file_key, size, width, height, thumb_key, thumb_size, thumb_width, thumb_height, lat, lon`

// staged returns the collectivité's photo staged under token since
// cutoff; any other is not found.
func (s *Store) staged(ctx context.Context, tenantID, token string, cutoff time.Time) (*stagedRow, error) {
	if !stagedToken(token) {
		return nil, ErrNotFound
	}
	row, err := scanStaged(s.db.QueryRow(ctx, `SELECT `+stagedCols+` FROM report_staged_photos
		WHERE tenant_id = ? AND hash = ? AND created_at >= ?`, tenantID, tokens.Hash(token), cutoff), token)
	return row, wrap("staged photo", err)
}

// stagedToken reports whether token could be one StagePhoto gave, so
// that outside input of any other shape is not looked up.
func stagedToken(token string) bool {
	if len(token) != 22 { // 16 bytes in unpadded base64
		return false
	}
	for _, c := range []byte(token) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func scanStaged(r db.Row, token string) (*stagedRow, error) {
	row := stagedRow{Staged: Staged{Token: token}}
	var lat, lon sql.NullFloat64
	err := r.Scan(&row.key, &row.size, &row.Width, &row.Height, &row.thumbKey, &row.thumbSize, &row.ThumbWidth,
		&row.ThumbHeight, &lat, &lon)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	row.Lat, row.Lon, row.HasPosition = lat.Float64, lon.Float64, lat.Valid && lon.Valid
	return &row, err
}

// stagedOf returns the collectivité's photos staged under tokens since
// cutoff, in their order, leaving out those it does not have.
func (s *Store) stagedOf(ctx context.Context, tenantID string, list []string, cutoff time.Time) ([]stagedRow, error) {
	var out []stagedRow
	for _, t := range list {
		row, err := s.staged(ctx, tenantID, t, cutoff)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *row)
	}
	return out, nil
}

// errStagedGone is a staged photo the collectivité does not have, or
// no longer: unknown, of another collectivité, expired or already sent.
func errStagedGone() *guichet.Error {
	return guichet.Invalid(map[string]string{"photos": "Une des photos n'est plus disponible : joignez-la de nouveau."})
}

// claimStaged takes the staged photos off the waiting table in tx and
// returns them as the report's photos, their files kept: a token
// another request claimed, or the retention deleted, since it was read
// refuses the report.
func claimStaged(ctx context.Context, tx *db.Tx, tenantID string, list []string, cutoff time.Time) ([]Photo, error) {
	var out []Photo
	for _, t := range list {
		row, err := scanStaged(tx.QueryRow(ctx, `DELETE FROM report_staged_photos WHERE tenant_id = ? AND hash = ?
			AND created_at >= ? RETURNING `+stagedCols, tenantID, tokens.Hash(t), cutoff), t)
		if errors.Is(err, ErrNotFound) {
			return nil, errStagedGone()
		}
		if err != nil {
			return nil, err
		}
		out = append(out, row.photo())
	}
	return out, nil
}

// photo is the report's photo a staged one becomes.
func (r *stagedRow) photo() Photo {
	return Photo{ID: uuid.NewString(), ContentType: "image/jpeg", Size: r.size, Width: r.Width, Height: r.Height,
		ThumbWidth: r.ThumbWidth, ThumbHeight: r.ThumbHeight, Lat: r.Lat, Lon: r.Lon, HasPosition: r.HasPosition,
		key: r.key, thumbKey: r.thumbKey, thumbSize: r.thumbSize}
}

// distinct returns the tokens without blanks or repeats, in their order:
// a form sent twice may repeat a hidden field.
func distinct(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range list {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
