package fediverse_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/fediverse"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

func signed(t *testing.T, key *rsa.PrivateKey, body []byte, at time.Time) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "https://montclair.example/federation/acteur/boite", bytes.NewReader(body))
	if err := fediverse.Sign(req, body, "https://pair.example/acteur#cle", key, at); err != nil {
		t.Fatal(err)
	}
	req.Host = req.URL.Host
	return req
}

// TestSignatureRoundTrip signs as the delivery does and verifies as the
// inbox does: a good request passes, a changed body, a stale date, a
// wrong key fail.
func TestSignatureRoundTrip(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := dbtest.Start(t)
	body := []byte(`{"type":"Follow"}`)
	lookup := func(k *rsa.PrivateKey) fediverse.KeyLookup {
		return func(keyID string, _ bool) (*rsa.PublicKey, error) {
			if keyID != "https://pair.example/acteur#cle" {
				return nil, errors.New("unknown key")
			}
			return &k.PublicKey, nil
		}
	}
	req := signed(t, key, body, now)
	if !strings.Contains(req.Header.Get("Signature"), `headers="(request-target) host date digest"`) {
		t.Fatalf("signed headers: %s", req.Header.Get("Signature"))
	}
	if s, err := fediverse.Verify(req, body, now.Add(time.Minute), lookup(key)); err != nil || s.KeyID != "https://pair.example/acteur#cle" {
		t.Fatalf("good request refused: %v", err)
	}
	cases := map[string]struct {
		req  *http.Request
		body []byte
		at   time.Time
		key  *rsa.PrivateKey
	}{
		"changed body":        {signed(t, key, body, now), []byte(`{"type":"Undo"}`), now, key},
		"older than 12 h":     {signed(t, key, body, now), body, now.Add(13 * time.Hour), key},
		"more than 1 h ahead": {signed(t, key, body, now.Add(2*time.Hour)), body, now, key},
		"another key":         {signed(t, key, body, now), body, now, other},
	}
	for name, c := range cases {
		if _, err := fediverse.Verify(c.req, c.body, c.at, lookup(c.key)); !errors.Is(err, fediverse.ErrUnsigned) {
			t.Errorf("%s: %v, want refused", name, err)
		}
	}
	unsigned, _ := http.NewRequest(http.MethodPost, "https://montclair.example/boite", bytes.NewReader(body))
	if _, err := fediverse.Verify(unsigned, body, now, lookup(key)); !errors.Is(err, fediverse.ErrUnsigned) {
		t.Errorf("unsigned: %v", err)
	}
}

// TestWebFinger answers @slug and @mairie on the collectivité's own
// hosts only.
func TestWebFinger(t *testing.T) {
	base := "https://montclair.fr"
	ours := func(h string) bool { return h == "montclair.fr" }
	for _, res := range []string{"acct:montclair@montclair.fr", "acct:mairie@montclair.fr", "acct:@Mairie@montclair.fr", base + fediverse.ActorPath} {
		doc, err := fediverse.WebFinger(base, "montclair", res, ours)
		if err != nil || doc["subject"] != "acct:montclair@montclair.fr" {
			t.Errorf("%s: %v %v", res, doc, err)
		}
	}
	for _, res := range []string{"acct:sauvigny@montclair.fr", "acct:montclair@sauvigny.fr", "https://ailleurs.fr/", ""} {
		if _, err := fediverse.WebFinger(base, "montclair", res, ours); err == nil {
			t.Errorf("%s answered", res)
		}
	}
}

// TestAddressesRefused keeps the fetches off private and reserved
// networks.
func TestAddressesRefused(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1", "fd00::1", "100.64.0.1", "0.0.0.0"} {
		if fediverse.PublicAddress(netip.MustParseAddr(a)) {
			t.Errorf("%s taken for public", a)
		}
	}
	if !fediverse.PublicAddress(netip.MustParseAddr("91.198.174.192")) {
		t.Error("a public address refused")
	}
	c := fediverse.NewClient()
	if _, err := c.Fetch(context.Background(), "http://pair.example/acteur"); !errors.Is(err, fediverse.ErrRefusedAddress) {
		t.Errorf("http fetched: %v", err)
	}
	if _, err := c.Fetch(context.Background(), "https://127.0.0.1/acteur"); err == nil {
		t.Error("loopback fetched")
	}
}

// TestRejectedRepliesPurged deletes a rejected reply after 30 days, on
// the store's clock, and keeps approved ones.
func TestRejectedRepliesPurged(t *testing.T) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, fediverse.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		now := dbtest.Start(t)
		s := fediverse.NewStore(d, "un-secret-de-test-assez-long-pour-sceller")
		s.Now = func() time.Time { return now }
		for i, state := range []string{fediverse.Rejected, fediverse.Approved} {
			if err := s.AddDemoReply(ctx, tn.ID, fediverse.Reply{Kind: "news", ItemID: "x", ObjectURI: "https://pair.example/n/" + state,
				ActorURI: "https://pair.example/a", AuthorName: "A", HTML: "<p>Réponse " + string(rune('a'+i)) + "</p><script>x</script>",
				Published: now, State: state}); err != nil {
				t.Fatal(err)
			}
		}
		list, _ := s.Replies(ctx, tn.ID, fediverse.Approved, 10)
		if len(list) != 1 || strings.Contains(list[0].HTML, "script") {
			t.Fatalf("approved: %+v", list)
		}
		now = now.AddDate(0, 0, fediverse.RejectedDays).Add(-time.Minute)
		if n, _ := s.PurgeRejected(ctx); n != 0 {
			t.Fatalf("purged %d before 30 days", n)
		}
		now = now.Add(2 * time.Minute)
		if n, _ := s.PurgeRejected(ctx); n != 1 {
			t.Fatalf("purged %d after 30 days", n)
		}
		if list, _ := s.Replies(ctx, tn.ID, fediverse.Approved, 10); len(list) != 1 {
			t.Fatal("the approved reply went too")
		}
		// The actor's key is sealed: the stored text holds no PEM.
		if _, err := s.Actor(ctx, tn.ID); err != nil {
			t.Fatal(err)
		}
		var sealed string
		_ = d.QueryRow(ctx, `SELECT private_key_sealed FROM fediverse_actors WHERE tenant_id = ?`, tn.ID).Scan(&sealed)
		if !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, "PRIVATE") {
			t.Fatalf("private key stored as %.20q", sealed)
		}
	})
}
