package fediverse

import (
	"context"
	"database/sql"
	"html/template"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/privacy"
)

// States of a reply.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// RejectedDays is how long a rejected reply is kept (to recognise it if
// it comes again) before being deleted.
const RejectedDays = 30

// RemoteDays is how long a remote actor's fetched key and name are kept
// once no longer used.
const RemoteDays = 7

// maxReplyHTML bounds a reply's content.
const maxReplyHTML = 20000

// replyPolicy keeps the little HTML that replies carry (paragraphs, line
// breaks, links to https addresses, marked as user content) and drops
// the rest, keeping its text.
var replyPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("https")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

// SanitizeReply returns the HTML of a reply that a page may show.
func SanitizeReply(html string) string { return strings.TrimSpace(replyPolicy.Sanitize(html)) }

// Reply is a reply from the fediverse to an announced item.
type Reply struct {
	ID, Kind, ItemID, ObjectURI, ActorURI string
	AuthorName, AuthorURL                 string
	HTML                                  string
	Published                             time.Time
	State                                 string
	CreatedAt                             time.Time
}

// reply keeps a Note replying to one of the collectivité's announced
// items for moderation; a reply to anything else is ignored.
func (s *Store) reply(ctx context.Context, tenantID, base string, obj map[string]any, remote *Remote) error {
	if str(obj["type"]) != "Note" || idOf(obj["attributedTo"]) != remote.ActorURI {
		return nil
	}
	id := str(obj["id"])
	target := idOf(obj["inReplyTo"])
	rest, ok := strings.CutPrefix(target, base+ObjectsPath)
	if !ok || id == "" || !sameHost(id, remote.ActorURI) {
		return nil
	}
	kind, itemID, ok := strings.Cut(rest, "/")
	if !ok {
		return nil
	}
	if _, err := s.Item(ctx, tenantID, kind, itemID); err != nil {
		return nil // not one of ours
	}
	content := str(obj["content"])
	if m, ok := obj["contentMap"].(map[string]any); ok && content == "" {
		for _, v := range m {
			content = str(v)
			break
		}
	}
	clean := SanitizeReply(content)
	if clean == "" || len(clean) > maxReplyHTML {
		return nil
	}
	published := s.now()
	if t, err := time.Parse(time.RFC3339, str(obj["published"])); err == nil && t.Before(published) {
		published = t.UTC()
	}
	authorURL := remote.URL
	if !strings.HasPrefix(authorURL, "https://") && !strings.HasPrefix(authorURL, "http://") {
		authorURL = remote.ActorURI
	}
	name := strings.TrimSpace(remote.Name)
	if name == "" {
		name = remote.ActorURI
	}
	_, err := s.db.Exec(ctx, `INSERT INTO fediverse_replies (id, tenant_id, kind, item_id, object_uri, actor_uri, author_name, author_url,
		content_html, published_at, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, object_uri) DO NOTHING`,
		newID(), tenantID, kind, itemID, id, remote.ActorURI, truncate(name, 200), truncate(authorURL, 2000), clean, published, Pending, s.now())
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utfStart(s[n]) {
		n--
	}
	return s[:n]
}

func utfStart(b byte) bool { return b&0xC0 != 0x80 }

const replyColumns = `id, kind, item_id, object_uri, actor_uri, author_name, author_url, content_html, published_at, state, created_at`

func scanReplies(rows *sql.Rows) ([]Reply, error) {
	defer rows.Close()
	var out []Reply
	for rows.Next() {
		var r Reply
		if err := rows.Scan(&r.ID, &r.Kind, &r.ItemID, &r.ObjectURI, &r.ActorURI, &r.AuthorName, &r.AuthorURL, &r.HTML,
			&r.Published, &r.State, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Replies lists the collectivité's replies in state, oldest first (at
// most limit).
func (s *Store) Replies(ctx context.Context, tenantID, state string, limit int) ([]Reply, error) {
	rows, err := s.db.Query(ctx, `SELECT `+replyColumns+` FROM fediverse_replies WHERE tenant_id = ? AND state = ?
		ORDER BY created_at, id LIMIT ?`, tenantID, state, limit)
	if err != nil {
		return nil, err
	}
	return scanReplies(rows)
}

// ApprovedTo lists the approved replies to an item, oldest first.
func (s *Store) ApprovedTo(ctx context.Context, tenantID, kind, itemID string) ([]Reply, error) {
	rows, err := s.db.Query(ctx, `SELECT `+replyColumns+` FROM fediverse_replies WHERE tenant_id = ? AND kind = ? AND item_id = ? AND state = ?
		ORDER BY published_at, id LIMIT 200`, tenantID, kind, itemID, Approved)
	if err != nil {
		return nil, err
	}
	return scanReplies(rows)
}

// ErrReplyNotFound answers a moderation of a reply the collectivité does
// not have.
var ErrReplyNotFound = guichet.Errorf(guichet.ENotFound, "Cette réponse n'existe pas ou a été supprimée.")

// Moderate approves or rejects a reply.
func (s *Store) Moderate(ctx context.Context, tenantID, id string, approve bool) error {
	state := Rejected
	if approve {
		state = Approved
	}
	res, err := s.db.Exec(ctx, `UPDATE fediverse_replies SET state = ?, decided_at = ? WHERE tenant_id = ? AND id = ?`,
		state, s.now(), tenantID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrReplyNotFound
	}
	return nil
}

// AddDemoReply writes a reply as if it had come (the demo's).
func (s *Store) AddDemoReply(ctx context.Context, tenantID string, r Reply) error {
	_, err := s.db.Exec(ctx, `INSERT INTO fediverse_replies (id, tenant_id, kind, item_id, object_uri, actor_uri, author_name, author_url,
		content_html, published_at, state, decided_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, object_uri) DO NOTHING`,
		newID(), tenantID, r.Kind, r.ItemID, r.ObjectURI, r.ActorURI, r.AuthorName, r.AuthorURL, SanitizeReply(r.HTML),
		r.Published.UTC(), r.State, s.now(), s.now())
	return err
}

// KernelReplies returns an item's approved replies as the item's page
// shows them; report is the address where a reader reports one ("" for
// no link).
func (s *Store) KernelReplies(ctx context.Context, tenantID, kind, itemID, report string) ([]kernel.Reply, error) {
	list, err := s.ApprovedTo(ctx, tenantID, kind, itemID)
	if err != nil {
		return nil, err
	}
	out := make([]kernel.Reply, len(list))
	for i, r := range list {
		// Sanitised when received, and again here: the stored HTML is
		// never trusted alone.
		out[i] = kernel.Reply{AuthorName: r.AuthorName, AuthorURL: safeLink(r.AuthorURL), Published: r.Published,
			Content: template.HTML(SanitizeReply(r.HTML)), ReportURL: report}
	}
	return out, nil
}

func safeLink(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}

// Processing returns the fediverse's lines of the register.
func (s *Store) Processing() []privacy.Activity {
	const k = "fediverse.privacy."
	return []privacy.Activity{
		{Key: "fediverse.followers", Order: 230, Bases: []privacy.Basis{privacy.PublicTask},
			Name: privacy.T(k + "followers.name"), Purpose: privacy.T(k + "followers.purpose"), People: privacy.T(k + "followers.people"),
			Data: privacy.T(k + "followers.data"), Retention: privacy.T(k+"followers.retention", RemoteDays),
			Recipients: privacy.T(k + "followers.recipients")},
		{Key: "fediverse.replies", Order: 231, Bases: []privacy.Basis{privacy.PublicTask},
			Name: privacy.T(k + "replies.name"), Purpose: privacy.T(k + "replies.purpose"), People: privacy.T(k + "replies.people"),
			Data: privacy.T(k + "replies.data"), Retention: privacy.T(k+"replies.retention", RejectedDays),
			Recipients: privacy.T(k + "replies.recipients")},
	}
}

// RetentionRules returns the rules the periodic retention job applies:
// rejected replies after RejectedDays, remote actors' copies unused for
// RemoteDays (those of current followers and repliers are fetched again
// when they next sign).
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{
		{Key: "fediverse.replies", Apply: s.PurgeRejected},
		{Key: "fediverse.remote", Apply: s.PurgeRemote},
	}
}

// PurgeRejected deletes the replies rejected more than RejectedDays ago.
func (s *Store) PurgeRejected(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM fediverse_replies WHERE state = ? AND decided_at < ?`,
		Rejected, privacy.Cutoff(s.now(), RejectedDays))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeRemote deletes the remote actors' copies fetched more than
// RemoteDays ago.
func (s *Store) PurgeRemote(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM fediverse_remote_actors WHERE fetched_at < ?`, privacy.Cutoff(s.now(), RemoteDays))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
