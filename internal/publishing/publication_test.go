package publishing_test

import (
	"testing"
	"time"

	"guichet/internal/publishing"
)

func TestPublicationChange(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	past, later := now.Add(-48*time.Hour), now.Add(26*time.Hour)
	cases := []struct {
		name       string
		from       publishing.Publication
		change     string
		at         *time.Time
		wantStatus string
		wantAt     *time.Time
		wantAction string
		wantState  string
	}{
		{"publish a draft now", publishing.Publication{Status: publishing.StatusDraft}, publishing.ChangePublish, nil,
			publishing.StatusPublished, &now, "published", publishing.StatusPublished},
		{"schedule a draft", publishing.Publication{Status: publishing.StatusDraft}, publishing.ChangePublish, &later,
			publishing.StatusPublished, &later, "scheduled", publishing.StateScheduled},
		{"publish with an earlier date", publishing.Publication{Status: publishing.StatusDraft}, publishing.ChangePublish, &past,
			publishing.StatusPublished, &past, "published", publishing.StatusPublished},
		{"save a draft with a date: still a draft", publishing.Publication{Status: publishing.StatusDraft}, publishing.ChangeKeep, &later,
			publishing.StatusDraft, nil, "edited", publishing.StatusDraft},
		{"save a new item", publishing.Publication{}, publishing.ChangeKeep, nil, publishing.StatusDraft, nil, "edited", publishing.StatusDraft},
		{"save a published item without a date keeps its date", publishing.Publication{Status: publishing.StatusPublished, PublishAt: &past},
			publishing.ChangeKeep, nil, publishing.StatusPublished, &past, "edited", publishing.StatusPublished},
		{"save a published item with a later date schedules it", publishing.Publication{Status: publishing.StatusPublished, PublishAt: &past},
			publishing.ChangeKeep, &later, publishing.StatusPublished, &later, "scheduled", publishing.StateScheduled},
		{"unpublish a scheduled item", publishing.Publication{Status: publishing.StatusPublished, PublishAt: &later},
			publishing.ChangeUnpublish, nil, publishing.StatusUnpublished, nil, "unpublished", publishing.StatusUnpublished},
		{"back to draft", publishing.Publication{Status: publishing.StatusPublished, PublishAt: &past},
			publishing.ChangeDraft, nil, publishing.StatusDraft, nil, "edited", publishing.StatusDraft},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, action := c.from.Change(c.change, c.at, now)
			if got.Status != c.wantStatus || action != c.wantAction || !sameTime(got.PublishAt, c.wantAt) {
				t.Errorf("got %s at %v (%s), want %s at %v (%s)", got.Status, got.PublishAt, action, c.wantStatus, c.wantAt, c.wantAction)
			}
			if s := got.State(now); s != c.wantState {
				t.Errorf("state %s, want %s", s, c.wantState)
			}
			if got.Public(now) != (c.wantState == publishing.StatusPublished) {
				t.Errorf("public %v in state %s", got.Public(now), c.wantState)
			}
		})
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func TestValidStatus(t *testing.T) {
	t.Parallel()
	for status, want := range map[string]bool{publishing.StatusDraft: true, publishing.StatusPublished: true,
		publishing.StatusUnpublished: true, publishing.StateScheduled: false, "": false, "Published": false} {
		if got := publishing.ValidStatus(status); got != want {
			t.Errorf("ValidStatus(%q) = %v", status, got)
		}
	}
}
