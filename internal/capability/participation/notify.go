package participation

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"guichet/internal/kernel/db"
)

// announce tells the thread's followers (and the residents m mentions)
// that m is there to read, inside tx; called once m is visible. A person
// gets one notification per message: a mention, rather than a reply when
// they also follow the thread. Notify decides, for each, whether a mail
// leaves now or waits for a digest.
func (s *Store) announce(ctx context.Context, tx *db.Tx, t *Thread, m *Message) error {
	var community string
	if err := tx.QueryRow(ctx, `SELECT community_id FROM participation_spaces WHERE tenant_id = ? AND id = ?`,
		t.TenantID, t.SpaceID).Scan(&community); err != nil {
		return notFound("announce", err)
	}
	// Who wrote in the thread may be mentioned by name.
	var writers [][2]string
	err := db.Each(ctx, tx, `SELECT DISTINCT author_id, author_name FROM participation_messages
		WHERE tenant_id = ? AND thread_id = ? AND author_id IS NOT NULL AND author_id <> ?`, func(row db.Row) error {
		var w [2]string
		if err := row.Scan(&w[0], &w[1]); err != nil {
			return err
		}
		writers = append(writers, w)
		return nil
	}, t.TenantID, t.ID, m.AuthorID)
	if err != nil {
		return fmt.Errorf("participation: announce: %w", err)
	}
	kinds := map[string]string{}
	var order []string
	for _, w := range writers {
		if _, done := kinds[w[0]]; !done && Mentions(m.Body, w[1]) {
			kinds[w[0]] = KindMention
			order = append(order, w[0])
		}
	}
	err = db.Each(ctx, tx, `SELECT user_id FROM participation_follows WHERE tenant_id = ? AND thread_id = ? AND user_id <> ?
		ORDER BY since, user_id`, func(row db.Row) error {
		var id string
		if err := row.Scan(&id); err != nil {
			return err
		}
		if _, done := kinds[id]; !done {
			kinds[id] = KindReply
			order = append(order, id)
		}
		return nil
	}, t.TenantID, t.ID, m.AuthorID)
	if err != nil {
		return fmt.Errorf("participation: announce: %w", err)
	}
	list := make([]*Notification, len(order))
	for i, id := range order {
		list[i] = &Notification{TenantID: t.TenantID, UserID: id, Kind: kinds[id], ThreadID: t.ID, MessageID: m.ID,
			SpaceID: t.SpaceID, CommunityID: community, Actor: m.AuthorName, Title: t.Title,
			Path: t.Path() + "#message-" + m.ID, Excerpt: m.Body}
	}
	return s.notifyAll(ctx, tx, t.TenantID, list)
}

// Mentions reports whether body names someone "@name", the name whole
// (not the start of a longer one), whatever its case.
func Mentions(body, name string) bool {
	name = strings.TrimSpace(name)
	if name == "" {
		return false
	}
	text, at := strings.ToLower(body), "@"+strings.ToLower(name)
	for i := 0; ; {
		j := strings.Index(text[i:], at)
		if j < 0 {
			return false
		}
		end := i + j + len(at)
		next, _ := utf8.DecodeRuneInString(text[end:])
		if end == len(text) || !unicode.IsLetter(next) && !unicode.IsDigit(next) && next != '-' {
			return true
		}
		i = end
	}
}
