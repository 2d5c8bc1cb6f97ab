package fediverse

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

// ErrUnreadable answers a body that is not an activity.
var ErrUnreadable = guichet.Errorf(guichet.EInvalid, "Activité illisible.")

// remoteTTL is how long a remote actor's key and inbox are kept before
// being fetched again.
const remoteTTL = 24 * time.Hour

// Remote is another server's actor, as fetched.
type Remote struct {
	ActorURI, KeyID, PublicKeyPEM, Inbox, SharedInbox, Name, URL string
}

// Receive handles an activity posted to the collectivité's inbox: its
// HTTP signature is verified (the key fetched from its actor, who must
// be the activity's), then Follow records a follower and answers Accept,
// Undo of a Follow removes it, Create of a Note replying to one of the
// announced items keeps the reply for moderation, Delete removes a reply
// or a follower; anything else is accepted and ignored.
func (s *Store) Receive(ctx context.Context, tenantID string, r *http.Request, body []byte) error {
	var act map[string]any
	if err := json.Unmarshal(body, &act); err != nil {
		return ErrUnreadable
	}
	typ, actorURI := str(act["type"]), idOf(act["actor"])
	if typ == "" || actorURI == "" {
		return ErrUnreadable
	}
	var remote *Remote
	_, err := Verify(r, body, s.now(), func(keyID string, fresh bool) (*rsa.PublicKey, error) {
		rm, err := s.remoteKey(ctx, tenantID, keyID, fresh)
		if err != nil {
			return nil, err
		}
		remote = rm
		return ParsePublicKey(rm.PublicKeyPEM)
	})
	var st *StatusError
	if errors.As(err, &st) && st.Status == http.StatusGone && typ == "Delete" && idOf(act["object"]) == actorURI &&
		sameHost(actorURI, keyIDOf(r)) {
		// A deleted account's server signs its Delete with a key no one
		// can fetch any more; its actor answering "gone" is the proof.
		return s.forgetActor(ctx, tenantID, actorURI)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnsigned, err)
	}
	if remote.ActorURI != actorURI {
		return fmt.Errorf("%w: signed by %s for %s", ErrUnsigned, remote.ActorURI, actorURI)
	}
	base, _, err := s.Site(ctx, tenantID)
	if err != nil {
		return err
	}
	switch typ {
	case "Follow":
		return s.follow(ctx, tenantID, base, act, remote)
	case "Undo":
		inner, _ := act["object"].(map[string]any)
		if inner != nil && str(inner["type"]) == "Follow" && idOf(inner["actor"]) == actorURI {
			_, err := s.RemoveFollower(ctx, tenantID, actorURI)
			return err
		}
		if id := idOf(act["object"]); id != "" {
			_, err := s.db.Exec(ctx, `DELETE FROM fediverse_followers WHERE tenant_id = ? AND actor_uri = ? AND follow_id = ?`,
				tenantID, actorURI, id)
			return err
		}
	case "Create":
		obj, _ := act["object"].(map[string]any)
		if obj != nil {
			return s.reply(ctx, tenantID, base, obj, remote)
		}
	case "Delete":
		target := idOf(act["object"])
		if target == actorURI {
			return s.forgetActor(ctx, tenantID, actorURI)
		}
		_, err := s.db.Exec(ctx, `DELETE FROM fediverse_replies WHERE tenant_id = ? AND object_uri = ? AND actor_uri = ?`,
			tenantID, target, actorURI)
		return err
	}
	return nil
}

// follow records the follower and queues the Accept to its inbox.
func (s *Store) follow(ctx context.Context, tenantID, base string, act map[string]any, remote *Remote) error {
	if idOf(act["object"]) != ActorID(base) {
		return nil // not for us: ignored
	}
	if remote.Inbox == "" {
		return ErrUnreadable
	}
	follow := map[string]any{}
	for k, v := range act {
		if k != "@context" && k != "signature" {
			follow[k] = v
		}
	}
	follow["object"] = ActorID(base)
	accept := map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       ActorID(base) + "#acceptation-" + newID(),
		"type":     "Accept",
		"actor":    ActorID(base),
		"object":   follow,
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := s.AddFollower(ctx, tx, tenantID, Follower{ActorURI: remote.ActorURI, Inbox: remote.Inbox,
			SharedInbox: remote.SharedInbox, FollowID: str(act["id"])}); err != nil {
			return err
		}
		_, err := s.queueDelivery(ctx, tx, tenantID, accept, []string{remote.Inbox})
		return err
	})
}

// forgetActor removes a follower and its replies.
func (s *Store) forgetActor(ctx context.Context, tenantID, actorURI string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM fediverse_followers WHERE tenant_id = ? AND actor_uri = ?`, tenantID, actorURI); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM fediverse_replies WHERE tenant_id = ? AND actor_uri = ?`, tenantID, actorURI); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM fediverse_remote_actors WHERE tenant_id = ? AND actor_uri = ?`, tenantID, actorURI)
		return err
	})
}

// remoteKey returns the actor owning keyID, from the kept copy unless it
// is older than remoteTTL or fresh is asked.
func (s *Store) remoteKey(ctx context.Context, tenantID, keyID string, fresh bool) (*Remote, error) {
	if !fresh {
		rm := &Remote{KeyID: keyID}
		var fetched time.Time
		err := s.db.QueryRow(ctx, `SELECT actor_uri, public_key_pem, inbox, shared_inbox, name, url, fetched_at
			FROM fediverse_remote_actors WHERE tenant_id = ? AND key_id = ?`, tenantID, keyID).
			Scan(&rm.ActorURI, &rm.PublicKeyPEM, &rm.Inbox, &rm.SharedInbox, &rm.Name, &rm.URL, &fetched)
		if err == nil && s.now().Sub(fetched) < remoteTTL {
			return rm, nil
		}
	}
	rm, err := s.fetchRemote(ctx, keyID)
	if err != nil {
		return nil, err
	}
	_, err = s.db.Exec(ctx, `INSERT INTO fediverse_remote_actors (tenant_id, actor_uri, key_id, public_key_pem, inbox, shared_inbox, name, url, fetched_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, key_id) DO UPDATE SET actor_uri = excluded.actor_uri, public_key_pem = excluded.public_key_pem,
			inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, name = excluded.name, url = excluded.url, fetched_at = excluded.fetched_at`,
		tenantID, rm.ActorURI, keyID, rm.PublicKeyPEM, rm.Inbox, rm.SharedInbox, rm.Name, rm.URL, s.now())
	return rm, err
}

// fetchRemote fetches the document of keyID (an actor, or a key naming
// its owner) and reads the actor's key and inboxes.
func (s *Store) fetchRemote(ctx context.Context, keyID string) (*Remote, error) {
	doc, err := s.Client.Fetch(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if _, ok := doc["publicKey"]; !ok {
		owner := str(doc["owner"])
		if owner == "" || !sameHost(owner, keyID) {
			return nil, errors.New("fediverse: the key names no actor")
		}
		if doc, err = s.Client.Fetch(ctx, owner); err != nil {
			return nil, err
		}
	}
	actor := str(doc["id"])
	if actor == "" || !sameHost(actor, keyID) {
		return nil, errors.New("fediverse: the key's actor is on another server")
	}
	rm := &Remote{ActorURI: actor, KeyID: keyID, Inbox: str(doc["inbox"]), Name: str(doc["name"]), URL: idOf(doc["url"])}
	if rm.Name == "" {
		rm.Name = str(doc["preferredUsername"])
	}
	if ep, ok := doc["endpoints"].(map[string]any); ok {
		rm.SharedInbox = str(ep["sharedInbox"])
	}
	for _, k := range list(doc["publicKey"]) {
		key, _ := k.(map[string]any)
		if key != nil && str(key["id"]) == keyID && (str(key["owner"]) == "" || str(key["owner"]) == actor) {
			rm.PublicKeyPEM = str(key["publicKeyPem"])
		}
	}
	if rm.PublicKeyPEM == "" {
		return nil, errors.New("fediverse: the actor does not hold this key")
	}
	for _, in := range []string{rm.Inbox, rm.SharedInbox} {
		if in != "" && !sameHost(in, actor) {
			return nil, errors.New("fediverse: the actor's inbox is on another server")
		}
	}
	return rm, nil
}

// keyIDOf reads the keyId a request's signature names.
func keyIDOf(r *http.Request) string {
	for part := range strings.SplitSeq(r.Header.Get("Signature"), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == "keyId" {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host) && ua.Scheme == ub.Scheme
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// idOf reads an identifier given as a string or as an object with an id
// (or, for a link, an href).
func idOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if id := str(x["id"]); id != "" {
			return id
		}
		return str(x["href"])
	case []any:
		if len(x) > 0 {
			return idOf(x[0])
		}
	}
	return ""
}

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}
