package fediverseweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"guichet/internal/capability/fediverse"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// townReplyMarker is in the town's reply only.
const townReplyMarker = "Réponse-de-Montclair-a-moderer"

// IsolationRows implements kernel.Isolated: the town's replies cannot be
// seen or moderated from the village, nor its objects read there, and
// the village's inbox adds no follower to the town.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("approve a town reply", admin, "POST", nil, c.townReplyPath("approuver"), http.StatusNotFound, c.townReplyPending),
		row("reject a town reply", admin, "POST", nil, c.townReplyPath("rejeter"), http.StatusNotFound, c.townReplyPending),
		row("the village's moderation page", admin, "GET", nil, c.townReplyLeak, http.StatusOK, nil),
		row("a town object from the village", anon, "GET", nil, c.townObject, http.StatusNotFound, nil),
		row("the village's inbox", anon, "POST", url.Values{"type": {"Follow"}}, kernel.Path(fediverse.InboxPath), http.StatusBadRequest, c.townFollowersUnchanged),
	}
}

// townReply makes the town's item and a reply to it waiting for moderation.
func (c *Capability) townReply(ctx context.Context, town *tenant.Tenant) (string, error) {
	item, err := c.fixtureItem(ctx, town, "isolation")
	if err != nil {
		return "", err
	}
	return c.fixtureReply(ctx, town, item, "isolation", townReplyMarker)
}

func (c *Capability) townReplyPath(action string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		id, err := c.townReply(ctx, town)
		return "/gestion/fediverse/reponses/" + id + "/" + action, []string{townReplyMarker}, err
	}
}

func (c *Capability) townReplyLeak(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	_, err := c.townReply(ctx, town)
	return "/gestion/fediverse", []string{townReplyMarker}, err
}

func (c *Capability) townReplyPending(ctx context.Context, town *tenant.Tenant) error {
	var state string
	err := c.Store.DB().QueryRow(ctx, `SELECT state FROM fediverse_replies WHERE tenant_id = ? AND object_uri = ?`,
		town.ID, "https://social.example.org/objets/isolation").Scan(&state)
	if err != nil || state != fediverse.Pending {
		return fmt.Errorf("the town's reply was moderated from the village: %q, %v", state, err)
	}
	return nil
}

func (c *Capability) townObject(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	id, err := c.fixtureItem(ctx, town, "isolation")
	return fediverse.ObjectsPath + fediverse.KindNews + "/" + id, []string{"Publication isolation"}, err
}

func (c *Capability) townFollowersUnchanged(ctx context.Context, town *tenant.Tenant) error {
	n, err := c.Store.FollowerCount(ctx, town.ID)
	if err != nil {
		return err
	}
	var village int
	if err := c.Store.DB().QueryRow(ctx, `SELECT COUNT(*) FROM fediverse_followers WHERE tenant_id <> ?`, town.ID).Scan(&village); err != nil {
		return err
	}
	if village != 0 {
		return fmt.Errorf("a follower was added elsewhere than the town: %d (town %d)", village, n)
	}
	return nil
}

// fixtureItem records an announced news item of the town named by key.
func (c *Capability) fixtureItem(ctx context.Context, town *tenant.Tenant, key string) (string, error) {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte(town.ID+"/"+key)).String()
	p := kernel.Publication{Kind: fediverse.KindNews, ID: id, Title: "Publication " + key, Summary: "Pour les essais.",
		Path: "/actualites", Published: c.k.Now().UTC().Add(-fediverse.Window), Lang: "fr"}
	return id, c.Store.Keep(ctx, town.ID, p)
}

// fixtureReply adds a reply waiting for moderation to the town's item.
func (c *Capability) fixtureReply(ctx context.Context, town *tenant.Tenant, item, key, text string) (string, error) {
	obj := "https://social.example.org/objets/" + key
	err := c.Store.AddDemoReply(ctx, town.ID, fediverse.Reply{Kind: fediverse.KindNews, ItemID: item, ObjectURI: obj,
		ActorURI: "https://social.example.org/users/essai", AuthorName: "Compte d'essai", AuthorURL: "https://social.example.org/@essai",
		HTML: "<p>" + text + "</p>", Published: c.k.Now(), State: fediverse.Pending})
	if err != nil {
		return "", err
	}
	var id string
	err = c.Store.DB().QueryRow(ctx, `SELECT id FROM fediverse_replies WHERE tenant_id = ? AND object_uri = ?`, town.ID, obj).Scan(&id)
	return id, err
}
