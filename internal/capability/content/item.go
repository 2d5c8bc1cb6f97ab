package content

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Category is one value of a fixed list; its label is the message
// "content.cat.<Value>" of the web layer.
type Category struct{ Value string }

// NewsCategories and EventCategories are the categories editors choose from.
var (
	NewsCategories  = []string{"vie-municipale", "travaux", "culture", "education", "solidarite", "environnement", "sport"}
	EventCategories = []string{"culture", "sport", "vie-municipale", "famille", "marche", "solidarite"}
)

// Changes of publication an editor asks for; ChangeKeep is a plain save.
const (
	ChangeKeep      = ""
	ChangeDraft     = "draft"
	ChangePublish   = "publish"
	ChangeUnpublish = "unpublish"
)

// StateScheduled names a published item whose date is still to come.
const StateScheduled = "scheduled"

// Publication is what news, events and pages share about when visitors
// see them: a status, and for a published item the moment it appears.
type Publication struct {
	Status    string
	PublishAt *time.Time
}

// Public reports whether visitors see the item at now.
func (p Publication) Public(now time.Time) bool {
	return p.Status == StatusPublished && p.PublishAt != nil && !p.PublishAt.After(now)
}

// State names the publication for editors: draft, scheduled, published or
// unpublished.
func (p Publication) State(now time.Time) string {
	if p.Status == StatusPublished && p.PublishAt != nil && p.PublishAt.After(now) {
		return StateScheduled
	}
	return p.Status
}

// Change applies an editor's change at now and names it for the history.
// Publishing takes the date given, or now; a date to come schedules the
// item. A plain save keeps the state, but moves a published item to the
// date given, if any. Unpublishing or going back to draft forgets the
// date, so that publishing again starts from now.
func (p Publication) Change(change string, at *time.Time, now time.Time) (Publication, string) {
	if at != nil {
		t := at.UTC().Truncate(time.Second)
		at = &t
	}
	switch change {
	case ChangePublish:
		if at == nil {
			at = &now
		}
		return Publication{StatusPublished, at}, publishAction(at, now)
	case ChangeUnpublish:
		return Publication{StatusUnpublished, nil}, "unpublished"
	case ChangeDraft:
		return Publication{StatusDraft, nil}, "edited"
	}
	if p.Status == "" {
		p.Status = StatusDraft
	}
	if p.Status == StatusPublished && at != nil && (p.PublishAt == nil || !p.PublishAt.Equal(*at)) {
		p.PublishAt = at
		if at.After(now) {
			return p, "scheduled"
		}
	}
	return p, "edited"
}

// statusChange is the change that leads to status.
func statusChange(status string) (string, error) {
	switch status {
	case StatusPublished:
		return ChangePublish, nil
	case StatusUnpublished:
		return ChangeUnpublish, nil
	case StatusDraft:
		return ChangeDraft, nil
	}
	return "", guichet.Invalid(map[string]string{"status": "Choisissez un état de publication."})
}

func publishAction(at *time.Time, now time.Time) string {
	if at.After(now) {
		return "scheduled"
	}
	return "published"
}

// settle gives a published item without a date the moment now, and keeps
// dates to the second as the lists' cursors do.
func (p Publication) settle(now time.Time) Publication {
	if p.Status == "" {
		p.Status = StatusDraft
	}
	if p.Status == StatusPublished && p.PublishAt == nil {
		p.PublishAt = &now
	}
	if p.PublishAt != nil {
		t := p.PublishAt.UTC().Truncate(time.Second)
		p.PublishAt = &t
	}
	return p
}

// index puts a published item in the search index, or takes it out.
func index(ctx context.Context, tx *db.Tx, public bool, d search.Doc) error {
	if !public {
		return search.Remove(ctx, tx, d.TenantID, d.Kind, d.ID)
	}
	return search.Put(ctx, tx, d)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func fromNull(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// insertWithSlug is publishing.InsertWithSlug, its error named as content's.
func insertWithSlug(ctx context.Context, d *db.DB, slug *string, insert func(tx *db.Tx) error) error {
	if err := publishing.InsertWithSlug(ctx, d, slug, insert); err != nil {
		return fmt.Errorf("content: save: %w", err)
	}
	return nil
}
