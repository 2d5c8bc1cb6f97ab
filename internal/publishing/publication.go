package publishing

import (
	"time"

	"guichet"
)

// Statuses of a publishable item. A published item whose PublishAt is in
// the future is scheduled: nothing public shows it before then.
const (
	StatusDraft       = "draft"
	StatusPublished   = "published"
	StatusUnpublished = "unpublished"
)

// ValidStatus reports whether an item may be saved with status.
func ValidStatus(status string) bool {
	return status == StatusDraft || status == StatusPublished || status == StatusUnpublished
}

// Changes of publication an editor asks for; ChangeKeep is a plain save.
const (
	ChangeKeep      = ""
	ChangeDraft     = "draft"
	ChangePublish   = "publish"
	ChangeUnpublish = "unpublish"
)

// StateScheduled names a published item whose date is still to come.
const StateScheduled = "scheduled"

// Publication is what every publishable item shares about when visitors
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

// StatusChange is the change that leads to status, as the status forms
// of editors and the API name it.
func StatusChange(status string) (string, error) {
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

// Settle gives a published item without a date the moment now, and keeps
// dates to the second as the lists' cursors do; a store calls it before
// every write.
func (p Publication) Settle(now time.Time) Publication {
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
