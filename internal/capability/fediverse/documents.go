package fediverse

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

// The actor's addresses, under its collectivité's site.
const (
	ActorPath     = "/federation/acteur"
	InboxPath     = "/federation/acteur/boite"
	OutboxPath    = "/federation/acteur/publications"
	FollowersPath = "/federation/acteur/abonnes"
	ObjectsPath   = "/federation/objets/"
	// Username answers WebFinger beside the collectivité's slug.
	Username = "mairie"
)

// Public is ActivityStreams' address of everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"

var contexts = []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"}

// ActorID returns the actor's identifier for the site at base.
func ActorID(base string) string { return base + ActorPath }

// KeyID returns the identifier of the actor's key.
func KeyID(base string) string { return ActorID(base) + "#main-key" }

// ObjectID returns the identifier of an announced item.
func ObjectID(base, kind, id string) string { return base + ObjectsPath + kind + "/" + id }

// Profile is what the actor's document says of its collectivité.
type Profile struct {
	Slug, Name, Summary string
	// Icon is the absolute address of its logo, empty when it has none.
	Icon string
}

// ActorDocument returns the collectivité's actor as ActivityStreams.
func ActorDocument(base string, p Profile, a *Actor) map[string]any {
	id := ActorID(base)
	doc := map[string]any{
		"@context":          contexts,
		"id":                id,
		"type":              "Organization",
		"preferredUsername": p.Slug,
		"name":              p.Name,
		"summary":           "<p>" + html.EscapeString(p.Summary) + "</p>",
		"url":               base + "/",
		"inbox":             base + InboxPath,
		"outbox":            base + OutboxPath,
		"followers":         base + FollowersPath,
		"endpoints":         map[string]any{"sharedInbox": base + InboxPath},
		"publicKey":         map[string]any{"id": KeyID(base), "owner": id, "publicKeyPem": a.PublicKeyPEM},
		"published":         a.CreatedAt.UTC().Format(time.RFC3339),
	}
	if p.Icon != "" {
		doc["icon"] = map[string]any{"type": "Image", "url": p.Icon}
	}
	return doc
}

// Handle returns the actor's address to share: "@montclair@montclair.fr".
func Handle(base, slug string) string { return "@" + slug + "@" + hostOf(base) }

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Host
}

// WebFinger answers a WebFinger query for resource on the site at base of
// the collectivité slug; resolves tells whether a host names the same
// collectivité. ENotFound for any other resource.
func WebFinger(base, slug, resource string, resolves func(host string) bool) (map[string]any, error) {
	actor := ActorID(base)
	switch {
	case resource == actor || resource == base+"/" || resource == base:
	default:
		acct, ok := strings.CutPrefix(resource, "acct:")
		if !ok {
			return nil, ErrNotFound
		}
		acct = strings.TrimPrefix(acct, "@")
		user, host, ok := strings.Cut(acct, "@")
		if !ok || (!strings.EqualFold(user, slug) && !strings.EqualFold(user, Username)) || !resolves(host) {
			return nil, ErrNotFound
		}
	}
	return map[string]any{
		"subject": "acct:" + slug + "@" + hostOf(base),
		"aliases": []string{actor},
		"links": []any{
			map[string]any{"rel": "self", "type": ActivityJSON, "href": actor},
			map[string]any{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor},
		},
	}, nil
}

// NodeInfo is the server's description (NodeInfo 2.1).
func NodeInfo(name string, followers int) map[string]any {
	return map[string]any{
		"version":           "2.1",
		"software":          map[string]any{"name": "guichet", "version": "1.0.0", "homepage": "https://guichet.localhost"},
		"protocols":         []string{"activitypub"},
		"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
		"openRegistrations": false,
		"usage":             map[string]any{"users": map[string]any{"total": 1, "activeMonth": 1, "activeHalfyear": 1}},
		"metadata":          map[string]any{"nodeName": name, "followers": followers},
	}
}

// Object returns the ActivityStreams object announcing a publication:
// news and alerts as a Note (title, summary, link, picture with its
// alternative text), events as an Event (dates and place), in French,
// addressed to everyone and the followers.
func Object(base string, p kernel.Publication, loc *time.Location) map[string]any {
	link := base + p.Path
	id := ObjectID(base, p.Kind, p.ID)
	var b strings.Builder
	switch p.Kind {
	case KindAlert:
		fmt.Fprintf(&b, "<p><strong>Alerte\u00a0: %s</strong></p>", html.EscapeString(p.Title))
	default:
		fmt.Fprintf(&b, "<p><strong>%s</strong></p>", html.EscapeString(p.Title))
	}
	if p.Kind == KindEvent && !p.Starts.IsZero() {
		fmt.Fprintf(&b, "<p>%s", html.EscapeString(frenchDateTime(p.Starts.In(loc))))
		if p.Place != "" {
			fmt.Fprintf(&b, ", %s", html.EscapeString(p.Place))
		}
		b.WriteString("</p>")
	}
	if text := strings.TrimSpace(p.Summary); text != "" {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(text))
	}
	fmt.Fprintf(&b, `<p><a href="%s">%s</a></p>`, html.EscapeString(link), html.EscapeString(link))
	content := b.String()
	lang := p.Lang
	if lang == "" {
		lang = "fr"
	}
	published := p.Published
	if published.IsZero() {
		published = p.Updated
	}
	o := map[string]any{
		"id":           id,
		"type":         "Note",
		"attributedTo": ActorID(base),
		"to":           []string{Public},
		"cc":           []string{base + FollowersPath},
		"published":    published.UTC().Format(time.RFC3339),
		"url":          link,
		"content":      content,
		"contentMap":   map[string]string{lang: content},
		"sensitive":    false,
	}
	if p.Kind == KindEvent {
		o["type"], o["name"] = "Event", p.Title
		if !p.Starts.IsZero() {
			o["startTime"] = p.Starts.UTC().Format(time.RFC3339)
		}
		if !p.Ends.IsZero() {
			o["endTime"] = p.Ends.UTC().Format(time.RFC3339)
		}
		if p.Place != "" {
			o["location"] = map[string]any{"type": "Place", "name": p.Place}
		}
	}
	if p.Image != "" {
		o["attachment"] = []any{map[string]any{"type": "Image", "url": base + p.Image, "name": p.ImageAlt}}
	}
	return o
}

// Create wraps an object in the activity that announces it.
func Create(base string, object map[string]any) map[string]any {
	return map[string]any{
		"@context":  "https://www.w3.org/ns/activitystreams",
		"id":        object["id"].(string) + "/activite",
		"type":      "Create",
		"actor":     ActorID(base),
		"published": object["published"],
		"to":        object["to"],
		"cc":        object["cc"],
		"object":    object,
	}
}

var frenchMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// frenchDateTime writes "12 mars 2027 à 18 h 30".
func frenchDateTime(t time.Time) string {
	s := fmt.Sprintf("%d %s %d à %d h", t.Day(), frenchMonths[t.Month()-1], t.Year(), t.Hour())
	if t.Minute() != 0 {
		s += fmt.Sprintf(" %02d", t.Minute())
	}
	return s
}

// Item is an announced publication as kept: its object.
type Item struct {
	Kind, ItemID, Title, URL string
	Object                   map[string]any
	Published                time.Time
}

// Item returns an announced object; ENotFound when it was not announced.
func (s *Store) Item(ctx context.Context, tenantID, kind, id string) (*Item, error) {
	var raw string
	it := &Item{Kind: kind, ItemID: id}
	err := s.db.QueryRow(ctx, `SELECT title, url, object_json, published_at FROM fediverse_items WHERE tenant_id = ? AND kind = ? AND item_id = ?`,
		tenantID, kind, id).Scan(&it.Title, &it.URL, &raw, &it.Published)
	if err != nil {
		return nil, ErrNotFound
	}
	if err := json.Unmarshal([]byte(raw), &it.Object); err != nil {
		return nil, err
	}
	return it, nil
}

// OutboxPage is one page of the announced items, newest first.
func (s *Store) OutboxPage(ctx context.Context, tenantID string, page, size int) (items []Item, total int, err error) {
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM fediverse_items WHERE tenant_id = ?`, tenantID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, `SELECT kind, item_id, title, url, object_json, published_at FROM fediverse_items WHERE tenant_id = ?
		ORDER BY published_at DESC, item_id LIMIT ? OFFSET ?`, tenantID, size, (page-1)*size)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var raw string
		if err := rows.Scan(&it.Kind, &it.ItemID, &it.Title, &it.URL, &raw, &it.Published); err != nil {
			return nil, 0, err
		}
		if err := json.Unmarshal([]byte(raw), &it.Object); err != nil {
			return nil, 0, err
		}
		items = append(items, it)
	}
	return items, total, rows.Err()
}

// ProfileOf is the actor's profile of a collectivité.
func ProfileOf(t *tenant.Tenant, base string) Profile {
	p := Profile{Slug: t.Slug, Name: t.Name,
		Summary: fmt.Sprintf("Les actualités, l'agenda et les alertes de %s, publiés par la collectivité.", t.Name)}
	if t.LogoPath != "" {
		p.Icon = base + "/logo"
	}
	return p
}
