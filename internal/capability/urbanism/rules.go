package urbanism

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
)

// Rule is the regulation of a zone label in a commune: the staff's
// summary in Markdown, and the regulation's PDF.
type Rule struct {
	Commune, Label string
	Summary        string
	FileKey        string
	FileName       string
	FileSize       int64
	FileSHA256     string
	UpdatedAt      time.Time
	UpdatedBy      string
}

// RuleKey is a rule's key in Territory.Rules.
func RuleKey(commune, label string) string { return commune + "/" + label }

// MaxSummary bounds a zone's summary (a few pages of Markdown).
const MaxSummary = 20000

// MaxRuleFile is the largest regulation PDF accepted: a PLU's written
// regulation with its figures runs to a few hundred pages.
const MaxRuleFile = 30 << 20

// SaveSummary writes the summary of a zone label's regulation.
func (s *Store) SaveSummary(ctx context.Context, tenantID, commune, label, summary, author string) error {
	if len(summary) > MaxSummary {
		return guichet.Invalid(map[string]string{"summary": "Le résumé dépasse 20 000 caractères."})
	}
	if err := s.zoneLabelExists(ctx, tenantID, commune, label); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO urbanism_rules (tenant_id, commune, label, summary, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, commune, label)
		DO UPDATE SET summary = excluded.summary, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		tenantID, commune, label, strings.TrimSpace(summary), s.Now(), author)
	if err != nil {
		return wrap("save summary", err)
	}
	s.changed(ctx, tenantID)
	return nil
}

// SaveRuleFile stores the regulation's PDF of a zone label, replacing
// the one before.
func (s *Store) SaveRuleFile(ctx context.Context, tenantID, commune, label, name string, body []byte, author string) error {
	switch {
	case len(body) == 0:
		return guichet.Invalid(map[string]string{"file": "Le fichier est vide."})
	case len(body) > MaxRuleFile:
		return guichet.Invalid(map[string]string{"file": "Le fichier dépasse 30 Mo."})
	case http.DetectContentType(body) != "application/pdf":
		return guichet.Invalid(map[string]string{"file": "Choisissez un fichier PDF."})
	}
	if err := s.zoneLabelExists(ctx, tenantID, commune, label); err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	key := "plu-" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := s.files.Put(ctx, key, bytes.NewReader(body)); err != nil {
		return wrap("store regulation", err)
	}
	var old string
	_ = s.db.QueryRow(ctx, `SELECT file_key FROM urbanism_rules WHERE tenant_id = ? AND commune = ? AND label = ?`,
		tenantID, commune, label).Scan(&old)
	clean := files.CleanName(name)
	if clean == "" {
		clean = "reglement-" + label + ".pdf"
	}
	_, err := s.db.Exec(ctx, `INSERT INTO urbanism_rules (tenant_id, commune, label, file_key, file_name, file_size,
		file_sha256, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, commune, label)
		DO UPDATE SET file_key = excluded.file_key, file_name = excluded.file_name, file_size = excluded.file_size,
		file_sha256 = excluded.file_sha256, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		tenantID, commune, label, key, clean, len(body), hex.EncodeToString(sum[:]), s.Now(), author)
	if err != nil {
		_ = s.files.Delete(ctx, key)
		return wrap("save regulation", err)
	}
	if old != "" {
		_ = s.files.Delete(ctx, old)
	}
	s.changed(ctx, tenantID)
	return nil
}

// OpenRuleFile opens the regulation's PDF of a zone label.
func (s *Store) OpenRuleFile(ctx context.Context, tenantID, commune, label string) (*Rule, io.ReadCloser, error) {
	t, err := s.Territory(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	r := t.Rules[RuleKey(commune, label)]
	if r == nil || r.FileKey == "" {
		return nil, nil, ErrNoRegulation
	}
	body, err := s.files.Open(ctx, r.FileKey)
	if err != nil {
		return nil, nil, wrap("open regulation", err)
	}
	return r, body, nil
}

// ErrNoRegulation answers a zone whose regulation was not given.
var ErrNoRegulation = guichet.Errorf(guichet.ENotFound, "Le règlement de cette zone n'est pas en ligne.")

// ErrNoZone answers a zone label the plan does not have.
var ErrNoZone = guichet.Errorf(guichet.ENotFound, "Le plan local d'urbanisme n'a pas cette zone.")

func (s *Store) zoneLabelExists(ctx context.Context, tenantID, commune, label string) error {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM urbanism_zones WHERE tenant_id = ? AND commune = ? AND label = ?`,
		tenantID, commune, label).Scan(&n)
	if err != nil {
		return wrap("find zone", err)
	}
	if n == 0 {
		return ErrNoZone
	}
	return nil
}

// StorageUsed is the bytes of a collectivité's regulation files.
func (s *Store) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var n int64
	err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(file_size), 0) FROM urbanism_rules WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n, wrap("storage used", err)
}

// FileKeys lists the stored regulation files of a collectivité, for its
// backup.
func (s *Store) FileKeys(ctx context.Context, q db.Querier, tenantID string) ([]string, error) {
	var keys []string
	err := db.Each(ctx, q, `SELECT file_key FROM urbanism_rules WHERE tenant_id = ? AND file_key <> '' ORDER BY file_key`,
		func(r db.Row) error {
			var k string
			err := r.Scan(&k)
			keys = append(keys, k)
			return err
		}, tenantID)
	return keys, wrap("file keys", err)
}
