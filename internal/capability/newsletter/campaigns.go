package newsletter

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Statuses of a campaign.
const (
	CampaignDraft     = "draft"
	CampaignScheduled = "scheduled"
	CampaignSending   = "sending"
	CampaignPaused    = "paused"
	CampaignSent      = "sent"
	CampaignCancelled = "cancelled"
)

// Kinds of block.
const (
	BlockText  = "text"  // Markdown
	BlockImage = "image" // a picture with its alternative text and caption
	BlockNews  = "news"  // a news item, its title, summary and link
	BlockEvent = "event" // an event, its date, place and link
)

// BlockKinds are the blocks an editor adds.
var BlockKinds = []string{BlockText, BlockImage, BlockNews, BlockEvent}

// Block is one part of a campaign. A news item or an event is copied into
// its block when chosen, so that the campaign stays as it was sent.
type Block struct {
	Type string `json:"type"`
	// Text is a text block's Markdown, or an image's caption.
	Text string `json:"text,omitempty"`
	// Image is an image's address, on the site ("/lettre/images/…") or
	// https; Alt its alternative text, required.
	Image string `json:"image,omitempty"`
	Alt   string `json:"alt,omitempty"`
	// Ref is the news item's or event's id; Title, Summary, Path and When
	// are copied from it (When: an event's date, written out).
	Ref     string `json:"ref,omitempty"`
	Title   string `json:"title,omitempty"`
	Summary string `json:"summary,omitempty"`
	Path    string `json:"path,omitempty"`
	When    string `json:"when,omitempty"`
	Place   string `json:"place,omitempty"`
}

// Version is a campaign in one language.
type Version struct {
	Subject, Preheader string
	Blocks             []Block
}

// Empty reports whether the version has nothing written.
func (v Version) Empty() bool { return strings.TrimSpace(v.Subject) == "" && len(v.Blocks) == 0 }

// Campaign is one newsletter: its French version, an optional English
// one, the lists it goes to (none: every active subscriber), its state,
// pace and figures.
type Campaign struct {
	ID, TenantID, Slug string
	French, English    Version
	Lists              []string
	Status             string
	ScheduledAt        *time.Time
	StartedAt          *time.Time
	FinishedAt         *time.Time
	// Rate is the pace in messages per second; 0 sends as fast as the
	// server takes them.
	Rate int
	// Measure counts opens and clicks, only of the subscribers who agreed.
	Measure bool
	// Archived shows the campaign, once sent, in the site's archive.
	Archived bool
	// Total is how many subscribers it goes to; Sent, Failed and
	// Skipped (unsubscribed meanwhile, or interrupted by a restart) how
	// many of them are done.
	Total, Sent, Failed, Skipped, Opens, Clicks int
	Author                                      string
	CreatedAt, UpdatedAt                        time.Time
}

// Done is how many of its recipients are dealt with.
func (c *Campaign) Done() int { return c.Sent + c.Failed + c.Skipped }

// Percent is the share of recipients dealt with, 0 to 100.
func (c *Campaign) Percent() int {
	if c.Total == 0 {
		return 0
	}
	return c.Done() * 100 / c.Total
}

// Editable reports whether the campaign's content may still change.
func (c *Campaign) Editable() bool {
	return c.Status == CampaignDraft || c.Status == CampaignScheduled
}

// Version returns the campaign in lang: English when asked and written.
func (c *Campaign) Version(lang string) Version {
	if lang == "en" && !c.English.Empty() {
		return c.English
	}
	return c.French
}

// MaxRate bounds the pace an editor may set, in messages per second.
const MaxRate = 1000

func (c *Campaign) validate() error {
	errs := map[string]string{}
	c.French.Subject, c.English.Subject = strings.TrimSpace(c.French.Subject), strings.TrimSpace(c.English.Subject)
	publishing.CheckText(errs, "subject", c.French.Subject, 1, 150, "Indiquez l'objet de la lettre.", "L'objet dépasse 150 caractères.")
	publishing.CheckText(errs, "preheader", c.French.Preheader, 0, 200, "", "L'accroche dépasse 200 caractères.")
	publishing.CheckText(errs, "subject_en", c.English.Subject, 0, 150, "", "L'objet anglais dépasse 150 caractères.")
	publishing.CheckText(errs, "preheader_en", c.English.Preheader, 0, 200, "", "L'accroche anglaise dépasse 200 caractères.")
	if len(c.English.Blocks) > 0 && c.English.Subject == "" {
		errs["subject_en"] = "Indiquez l'objet de la version anglaise, ou retirez ses blocs."
	}
	if c.Rate < 0 || c.Rate > MaxRate {
		errs["rate"] = fmt.Sprintf("Choisissez une cadence entre 0 et %d messages par seconde.", MaxRate)
	}
	checkBlocks(errs, "blocks", c.French.Blocks)
	checkBlocks(errs, "blocks_en", c.English.Blocks)
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// MaxBlocks bounds a version's blocks.
const MaxBlocks = 40

func checkBlocks(errs map[string]string, field string, blocks []Block) {
	if len(blocks) > MaxBlocks {
		errs[field] = fmt.Sprintf("Une lettre compte au plus %d blocs.", MaxBlocks)
		return
	}
	for i := range blocks {
		b := &blocks[i]
		key := fmt.Sprintf("%s.%d", field, i)
		b.Text, b.Alt, b.Image = strings.TrimSpace(b.Text), strings.TrimSpace(b.Alt), strings.TrimSpace(b.Image)
		switch b.Type {
		case BlockText:
			publishing.CheckText(errs, key, b.Text, 1, 20000, "Écrivez le texte du bloc ou retirez-le.", "Le texte d'un bloc dépasse 20 000 caractères.")
		case BlockImage:
			switch {
			case !imageAddress(b.Image):
				errs[key] = "Choisissez une image envoyée sur le site ou une adresse en https."
			case b.Alt == "":
				errs[key] = "Décrivez l'image pour les personnes qui ne la voient pas."
			}
			publishing.CheckText(errs, key, b.Alt, 0, 250, "", "L'alternative dépasse 250 caractères.")
			publishing.CheckText(errs, key, b.Text, 0, 300, "", "La légende dépasse 300 caractères.")
		case BlockNews, BlockEvent:
			if b.Ref == "" || b.Title == "" || !strings.HasPrefix(b.Path, "/") {
				errs[key] = "Choisissez l'élément à présenter ou retirez le bloc."
			}
		default:
			errs[key] = "Genre de bloc inconnu."
		}
	}
}

// imageAddress accepts the site's own images and https addresses.
func imageAddress(s string) bool {
	if strings.HasPrefix(s, "/lettre/images/") || strings.HasPrefix(s, "/medias/") {
		return !strings.ContainsAny(s, "\"'<> ")
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(s, "\"'<> ")
}

const campaignColumns = `id, tenant_id, slug, subject, preheader, blocks, subject_en, preheader_en, blocks_en, lists, status,
	scheduled_at, started_at, finished_at, rate, measure, archived, total, sent, failed, skipped, opens, clicks, author, created_at, updated_at`

func scanCampaign(row interface{ Scan(...any) error }) (*Campaign, error) {
	var c Campaign
	var blocks, blocksEN, lists string
	var sched, started, finished sql.NullTime
	err := row.Scan(&c.ID, &c.TenantID, &c.Slug, &c.French.Subject, &c.French.Preheader, &blocks, &c.English.Subject,
		&c.English.Preheader, &blocksEN, &lists, &c.Status, &sched, &started, &finished, &c.Rate, &c.Measure, &c.Archived,
		&c.Total, &c.Sent, &c.Failed, &c.Skipped, &c.Opens, &c.Clicks, &c.Author, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("newsletter: campaign: %w", err)
	}
	if err := json.Unmarshal([]byte(blocks), &c.French.Blocks); err != nil {
		return nil, fmt.Errorf("newsletter: blocks of %s: %w", c.ID, err)
	}
	if blocksEN != "" {
		if err := json.Unmarshal([]byte(blocksEN), &c.English.Blocks); err != nil {
			return nil, fmt.Errorf("newsletter: English blocks of %s: %w", c.ID, err)
		}
	}
	if lists != "" {
		c.Lists = strings.Split(lists, ",")
	}
	c.ScheduledAt, c.StartedAt, c.FinishedAt = publishing.FromNull(sched), publishing.FromNull(started), publishing.FromNull(finished)
	return &c, nil
}

func blocksJSON(b []Block) string {
	if len(b) == 0 {
		return "[]"
	}
	out, _ := json.Marshal(b) // Block has only strings
	return string(out)
}

// Campaign returns one campaign.
func (s *Store) Campaign(ctx context.Context, tenantID, id string) (*Campaign, error) {
	return s.campaign(ctx, s.DB(), tenantID, id)
}

func (s *Store) campaign(ctx context.Context, q db.Querier, tenantID, id string) (*Campaign, error) {
	return scanCampaign(q.QueryRow(ctx, `SELECT `+campaignColumns+` FROM newsletter_campaigns WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// SaveCampaign creates (empty ID) or updates a campaign's content and
// settings while it is a draft or scheduled.
func (s *Store) SaveCampaign(ctx context.Context, c *Campaign) error {
	if err := c.validate(); err != nil {
		return err
	}
	all, err := s.listIDs(ctx, c.TenantID, false)
	if err != nil {
		return err
	}
	if lists := only(c.Lists, all); len(lists) != len(c.Lists) {
		return guichet.Invalid(map[string]string{"lists": "Choisissez des listes existantes."})
	}
	now := s.Stamp()
	c.UpdatedAt = now
	if c.ID == "" {
		c.ID, c.Status, c.CreatedAt = uuid.NewString(), CampaignDraft, now
		c.Slug = publishing.Slugify(c.French.Subject)
		return publishing.InsertWithSlug(ctx, s.DB(), &c.Slug, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO newsletter_campaigns (id, tenant_id, slug, subject, preheader, blocks, subject_en,
				preheader_en, blocks_en, lists, status, rate, measure, archived, author, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.TenantID, c.Slug, c.French.Subject, c.French.Preheader,
				blocksJSON(c.French.Blocks), c.English.Subject, c.English.Preheader, blocksJSON(c.English.Blocks), strings.Join(c.Lists, ","),
				c.Status, c.Rate, c.Measure, c.Archived, c.Author, now, now)
			return err
		})
	}
	res, err := s.DB().Exec(ctx, `UPDATE newsletter_campaigns SET subject = ?, preheader = ?, blocks = ?, subject_en = ?,
		preheader_en = ?, blocks_en = ?, lists = ?, rate = ?, measure = ?, archived = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND status IN (?, ?)`, c.French.Subject, c.French.Preheader, blocksJSON(c.French.Blocks),
		c.English.Subject, c.English.Preheader, blocksJSON(c.English.Blocks), strings.Join(c.Lists, ","), c.Rate, c.Measure,
		c.Archived, now, c.TenantID, c.ID, CampaignDraft, CampaignScheduled)
	if err != nil {
		return fmt.Errorf("newsletter: save campaign: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.notEditable(ctx, c.TenantID, c.ID)
	}
	return nil
}

// ErrNotEditable is a change to a campaign being sent or sent.
var ErrNotEditable = guichet.Errorf(guichet.EConflict, "Cette lettre est partie ou en cours d'envoi : elle ne peut plus changer.")

func (s *Store) notEditable(ctx context.Context, tenantID, id string) error {
	if _, err := s.Campaign(ctx, tenantID, id); err != nil {
		return err
	}
	return ErrNotEditable
}

// CampaignFilter selects campaigns in the editors' list.
type CampaignFilter struct {
	Status string
	Limit  int
}

// Campaigns returns the collectivité's campaigns, last changed first.
func (s *Store) Campaigns(ctx context.Context, tenantID string, f CampaignFilter) ([]*Campaign, error) {
	where, args := "tenant_id = ?", []any{tenantID}
	if f.Status != "" {
		where, args = where+" AND status = ?", append(args, f.Status)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return s.campaigns(ctx, `WHERE `+where+` ORDER BY updated_at DESC, id DESC LIMIT ?`, append(args, limit)...)
}

func (s *Store) campaigns(ctx context.Context, where string, args ...any) ([]*Campaign, error) {
	rows, err := s.DB().Query(ctx, `SELECT `+campaignColumns+` FROM newsletter_campaigns `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("newsletter: campaigns: %w", err)
	}
	defer rows.Close()
	var out []*Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Archive returns the campaigns sent and kept in the site's archive,
// the last sent first, one page at a time.
func (s *Store) Archive(ctx context.Context, tenantID string, after publishing.Cursor, limit int) ([]*Campaign, publishing.Cursor, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	where, args := `WHERE tenant_id = ? AND status = ? AND archived = ?`, []any{tenantID, CampaignSent, true}
	if after.ID != "" {
		where += " AND (finished_at < ? OR (finished_at = ? AND id < ?))"
		args = append(args, after.At, after.At, after.ID)
	}
	list, err := s.campaigns(ctx, where+` ORDER BY finished_at DESC, id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil || len(list) <= limit {
		return list, publishing.Cursor{}, err
	}
	last := list[limit-1]
	return list[:limit], publishing.Cursor{At: *last.FinishedAt, ID: last.ID}, nil
}

// Archived returns a campaign of the archive by its address.
func (s *Store) Archived(ctx context.Context, tenantID, slug string) (*Campaign, error) {
	return scanCampaign(s.DB().QueryRow(ctx, `SELECT `+campaignColumns+` FROM newsletter_campaigns
		WHERE tenant_id = ? AND slug = ? AND status = ? AND archived = ?`, tenantID, slug, CampaignSent, true))
}

// DeleteCampaign removes a draft.
func (s *Store) DeleteCampaign(ctx context.Context, tenantID, id string) error {
	res, err := s.DB().Exec(ctx, `DELETE FROM newsletter_campaigns WHERE tenant_id = ? AND id = ? AND status = ?`, tenantID, id, CampaignDraft)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.notEditable(ctx, tenantID, id)
	}
	return nil
}

// setStatus moves a campaign from one of the statuses from to status.
func (s *Store) setStatus(ctx context.Context, tx *db.Tx, tenantID, id, status string, from ...string) (bool, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(from)), ", ")
	args := []any{status, s.Stamp(), tenantID, id}
	for _, f := range from {
		args = append(args, f)
	}
	res, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status IN (`+marks+`)`, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ErrWrongState is an action the campaign's state does not allow.
var ErrWrongState = guichet.Errorf(guichet.EConflict, "Cette action n'est pas possible dans l'état actuel de la lettre.")

// checkSendable refuses a campaign with nothing to send.
func checkSendable(c *Campaign) error {
	if len(c.French.Blocks) == 0 {
		return guichet.Invalid(map[string]string{"blocks": "Ajoutez au moins un bloc avant l'envoi."})
	}
	return nil
}
