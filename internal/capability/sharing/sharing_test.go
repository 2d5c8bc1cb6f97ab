package sharing_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/sharing"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, sharing.Migrations}

const secretKey = "une-clé-secrète-de-test-assez-longue-pour-dériver"

// env is a town with a store on a clock the test moves, and a news
// source whose items the test sets.
type env struct {
	s     *sharing.Store
	town  *tenant.Tenant
	now   time.Time
	mu    sync.Mutex
	items []kernel.Publication
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	town, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair",
		Kind: tenant.KindCommune, Email: "mairie@montclair.example"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{town: town, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	e.s = sharing.NewStore(d, secretKey)
	e.s.Now = func() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }
	e.s.Loopback, e.s.Client = true, sharing.NewClient(true)
	return e
}

func (e *env) advance(d time.Duration) { e.mu.Lock(); e.now = e.now.Add(d); e.mu.Unlock() }

func (e *env) publish(id, title string, at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.items = append(e.items, kernel.Publication{Kind: "news", ID: id, Title: title,
		Summary: "Les travaux de la rue des Écoles commencent lundi ; la circulation sera alternée pendant trois semaines.",
		Path:    "/actualites/" + id, Published: at})
}

func (e *env) sources() []kernel.PublicationSource {
	return []kernel.PublicationSource{{Kind: "news", Published: func(_ context.Context, tenantID string, from, to time.Time, limit int) ([]kernel.Publication, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		var out []kernel.Publication
		for _, it := range e.items {
			if tenantID == e.town.ID && !it.Published.Before(from) && !it.Published.After(to) {
				out = append(out, it)
			}
		}
		return out, nil
	}}}
}

func (e *env) collect(t *testing.T) int {
	t.Helper()
	n, err := e.s.Collect(context.Background(), e.sources(), func(context.Context, string) (string, error) {
		return "https://montclair.example", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fakeMastodon answers POST /api/v1/statuses and verify_credentials for
// one token, or with the status the test sets.
type fakeMastodon struct {
	mu       sync.Mutex
	token    string
	status   int
	requests []*http.Request
	bodies   []map[string]any
}

func (f *fakeMastodon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.requests, f.bodies = append(f.requests, r), append(f.bodies, body)
	if f.status != 0 {
		w.WriteHeader(f.status)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "POST /api/v1/statuses":
		_, _ = w.Write([]byte(`{"id":"1101","url":"https://social.montclair.example/@mairie/1101"}`))
	case "GET /api/v1/accounts/verify_credentials":
		_, _ = w.Write([]byte(`{"acct":"mairie"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (e *env) mastodon(t *testing.T, approval bool) (*fakeMastodon, *sharing.Account) {
	t.Helper()
	f := &fakeMastodon{token: "jeton-mastodon-secret-42"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	a := &sharing.Account{TenantID: e.town.ID, Network: sharing.Mastodon, Host: strings.TrimPrefix(srv.URL, "http://"),
		Secret: f.token, Kinds: []string{"news"}, Approval: approval}
	if err := e.s.AddAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return f, a
}

func (e *env) posts(t *testing.T, states ...string) []*sharing.Post {
	t.Helper()
	if len(states) == 0 {
		states = []string{sharing.Pending, sharing.Queued, sharing.Sent, sharing.Failed, sharing.Cancelled}
	}
	p, err := e.s.Posts(context.Background(), e.town.ID, 100, states...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCollectQueuesEachNewItemOnceAndMastodonReceivesIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		e.publish("avant", "Publiée avant le compte", e.now.Add(-time.Hour))
		f, a := e.mastodon(t, false)
		e.advance(time.Minute)
		e.publish("travaux-rue-des-ecoles", "Travaux rue des Écoles", e.now)
		if n := e.collect(t); n != 1 {
			t.Fatalf("first run queued %d posts, want 1 (the item before the account stays out)", n)
		}
		if n := e.collect(t); n != 0 {
			t.Fatalf("second run queued %d posts, want none", n)
		}
		posts := e.posts(t, sharing.Queued)
		if len(posts) != 1 || posts[0].ItemID != "travaux-rue-des-ecoles" {
			t.Fatalf("queued %+v", posts)
		}
		p := posts[0]
		if !strings.HasPrefix(p.Text, "Travaux rue des Écoles\n\n") || !strings.HasSuffix(p.Text, "https://montclair.example/actualites/travaux-rue-des-ecoles") {
			t.Errorf("text %q", p.Text)
		}
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Post(ctx, e.town.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != sharing.Sent || got.RemoteURL != "https://social.montclair.example/@mairie/1101" || got.SentAt.IsZero() {
			t.Fatalf("after delivery: %+v", got)
		}
		if len(f.requests) != 1 {
			t.Fatalf("%d requests", len(f.requests))
		}
		r := f.requests[0]
		if r.Method != "POST" || r.URL.Path != "/api/v1/statuses" || r.Header.Get("Idempotency-Key") != p.ID ||
			r.Header.Get("Authorization") != "Bearer jeton-mastodon-secret-42" {
			t.Errorf("request %s %s, headers %v", r.Method, r.URL.Path, r.Header)
		}
		if f.bodies[0]["status"] != p.Text || f.bodies[0]["visibility"] != "public" {
			t.Errorf("body %v", f.bodies[0])
		}
		// Sent, nothing is sent twice.
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil || len(f.requests) != 1 {
			t.Errorf("a second delivery: %v, %d requests", err, len(f.requests))
		}
		// The secret is sealed in the row and never returned.
		var sealed string
		if err := d.QueryRow(ctx, `SELECT secret FROM sharing_accounts WHERE tenant_id = ? AND id = ?`, e.town.ID, a.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sealed, f.token) || !strings.HasPrefix(sealed, "v1:") {
			t.Errorf("secret stored as %q", sealed)
		}
		list, err := e.s.Accounts(ctx, e.town.ID)
		if err != nil || len(list) != 1 || list[0].Secret != "" || list[0].SecretSavedAt.IsZero() {
			t.Errorf("accounts %+v, %v", list, err)
		}
		// Another collectivité's store query sees nothing of the town's.
		if _, err := e.s.Post(ctx, "autre-collectivite", p.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("another collectivité reads the post: %v", err)
		}
	})
}

func TestApprovalFlow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		f, _ := e.mastodon(t, true)
		e.publish("marche", "Le marché de printemps", e.now)
		e.publish("piscine", "Réouverture de la piscine", e.now)
		if n := e.collect(t); n != 2 {
			t.Fatalf("queued %d", n)
		}
		pending := e.posts(t, sharing.Pending)
		if len(pending) != 2 {
			t.Fatalf("pending %d", len(pending))
		}
		// Nothing leaves before approval.
		if err := e.s.Deliver(ctx, e.town.ID, pending[0].ID, false); err != nil || len(f.requests) != 0 {
			t.Fatalf("a pending post was sent: %v, %d", err, len(f.requests))
		}
		if err := e.s.Approve(ctx, e.town.ID, pending[0].ID, strings.Repeat("é", 501)); guichet.FieldErrors(err)["text"] == "" {
			t.Fatalf("a text over 500 characters: %v", err)
		}
		edited := "Le marché de printemps revient samedi sur la place de la Mairie.\n\n" + pending[0].Link
		if err := e.s.Approve(ctx, e.town.ID, pending[0].ID, edited); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Approve(ctx, e.town.ID, pending[0].ID, ""); guichet.ErrorCode(err) != guichet.EConflict {
			t.Errorf("approved twice: %v", err)
		}
		if err := e.s.Cancel(ctx, e.town.ID, pending[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Deliver(ctx, e.town.ID, pending[0].ID, false); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Deliver(ctx, e.town.ID, pending[1].ID, false); err != nil {
			t.Fatal(err)
		}
		if len(f.bodies) != 1 || f.bodies[0]["status"] != edited {
			t.Fatalf("sent %v", f.bodies)
		}
		if got := e.posts(t, sharing.Cancelled); len(got) != 1 || got[0].ID != pending[1].ID {
			t.Errorf("cancelled %+v", got)
		}
	})
}

func TestRefusedTokenHoldsTheQueueUntilANewOne(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		f, a := e.mastodon(t, false)
		f.token = "jeton-revoque-par-l-instance"
		e.publish("conseil", "Conseil municipal jeudi", e.now)
		e.collect(t)
		p := e.posts(t)[0]
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		acc, err := e.s.Account(ctx, e.town.ID, a.ID)
		if err != nil || acc.Status != sharing.NeedsToken {
			t.Fatalf("account after a 401: %+v, %v", acc, err)
		}
		got, _ := e.s.Post(ctx, e.town.ID, p.ID)
		if got.Status != sharing.Queued || got.Error == "" {
			t.Fatalf("post after a 401: %+v", got)
		}
		// Held: no call while the account waits for its token.
		calls := len(f.requests)
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil || len(f.requests) != calls {
			t.Fatalf("delivered while held: %v", err)
		}
		if err := e.s.UpdateAccount(ctx, &sharing.Account{ID: a.ID, TenantID: e.town.ID, Network: sharing.Mastodon,
			Host: a.Host, Kinds: []string{"news"}, Secret: "jeton-revoque-par-l-instance"}); err != nil {
			t.Fatal(err)
		}
		if msg, err := e.s.Check(ctx, e.town.ID, a.ID); err != nil || !strings.Contains(msg, "@mairie") {
			t.Fatalf("check: %q, %v", msg, err)
		}
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Post(ctx, e.town.ID, p.ID); got.Status != sharing.Sent {
			t.Fatalf("after a new token: %+v", got)
		}
	})
}

func TestFailuresRetryThenFail(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		f, _ := e.mastodon(t, false)
		e.publish("fete", "Fête de la musique", e.now)
		e.collect(t)
		p := e.posts(t)[0]
		f.status = http.StatusTooManyRequests
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err == nil || !strings.Contains(err.Error(), "rate limited") {
			t.Fatalf("a 429: %v", err)
		}
		f.status = http.StatusBadGateway
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err == nil {
			t.Fatal("a 502 is retried: want an error")
		}
		if got, _ := e.s.Post(ctx, e.town.ID, p.ID); got.Status != sharing.Queued || got.Error == "" {
			t.Fatalf("after a 502: %+v", got)
		}
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Post(ctx, e.town.ID, p.ID); got.Status != sharing.Failed {
			t.Fatalf("after the last attempt: %+v", got)
		}
		f.status = 0
		if err := e.s.Retry(ctx, e.town.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Post(ctx, e.town.ID, p.ID); got.Status != sharing.Sent {
			t.Fatalf("after retry: %+v", got)
		}
	})
}

// fakeBluesky answers com.atproto.server.createSession for one handle and
// app password, and createRecord for the session's token.
type fakeBluesky struct {
	mu      sync.Mutex
	records []map[string]any
}

func (f *fakeBluesky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	switch r.URL.Path {
	case "/xrpc/com.atproto.server.createSession":
		if body["identifier"] != "montclair.bsky.social" || body["password"] != "abcd-efgh-ijkl-mnop" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"AuthenticationRequired"}`))
			return
		}
		_, _ = w.Write([]byte(`{"accessJwt":"jwt-de-session","did":"did:plc:montclair","handle":"montclair.bsky.social"}`))
	case "/xrpc/com.atproto.repo.createRecord":
		if r.Header.Get("Authorization") != "Bearer jwt-de-session" || body["repo"] != "did:plc:montclair" ||
			body["collection"] != "app.bsky.feed.post" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.records = append(f.records, body["record"].(map[string]any))
		_, _ = w.Write([]byte(`{"uri":"at://did:plc:montclair/app.bsky.feed.post/3kabc","cid":"bafy"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func TestBlueskyPostWithALinkFacet(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		f := &fakeBluesky{}
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		a := &sharing.Account{TenantID: e.town.ID, Network: sharing.Bluesky, Host: strings.TrimPrefix(srv.URL, "http://"),
			Handle: "@montclair.bsky.social", Secret: "abcd-efgh-ijkl-mnop", Kinds: []string{"news"}}
		if err := e.s.AddAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		e.publish("brocante", strings.Repeat("Grande brocante d'été du quartier des Tilleuls ", 3), e.now)
		e.collect(t)
		p := e.posts(t)[0]
		if n := sharing.Graphemes(p.Text); n > 300 {
			t.Fatalf("%d graphemes", n)
		}
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		got, _ := e.s.Post(ctx, e.town.ID, p.ID)
		if got.Status != sharing.Sent || got.RemoteURL != "https://bsky.app/profile/montclair.bsky.social/post/3kabc" {
			t.Fatalf("post %+v", got)
		}
		rec := f.records[0]
		text := rec["text"].(string)
		facet := rec["facets"].([]any)[0].(map[string]any)
		idx := facet["index"].(map[string]any)
		start, end := int(idx["byteStart"].(float64)), int(idx["byteEnd"].(float64))
		if text[start:end] != p.Link {
			t.Errorf("the facet covers %q, want %q", text[start:end], p.Link)
		}
		// A wrong app password needs a new one.
		if _, err := d.Exec(ctx, `UPDATE sharing_accounts SET handle = 'autre.bsky.social' WHERE tenant_id = ? AND id = ?`, e.town.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Check(ctx, e.town.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if acc, _ := e.s.Account(ctx, e.town.ID, a.ID); acc.Status != sharing.NeedsToken {
			t.Errorf("after a refused session: %s", acc.Status)
		}
	})
}

func TestDemoAddressesAreNeverCalled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		a := &sharing.Account{TenantID: e.town.ID, Network: sharing.Mastodon, Host: "social.montclair.example",
			Secret: "jeton", Kinds: []string{"news"}}
		if err := e.s.AddAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		e.publish("demo", "Une actualité", e.now)
		e.collect(t)
		p := e.posts(t)[0]
		if err := e.s.Deliver(ctx, e.town.ID, p.ID, false); err != nil {
			t.Fatal(err)
		}
		got, _ := e.s.Post(ctx, e.town.ID, p.ID)
		if got.Status != sharing.Failed || got.Error != sharing.DemoRefusal {
			t.Fatalf("demo post %+v", got)
		}
	})
}

func TestRetention(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		_, _ = e.mastodon(t, true)
		e.publish("a", "Envoyée", e.now)
		e.publish("b", "Annulée", e.now)
		e.collect(t)
		ps := e.posts(t)
		byItem := map[string]*sharing.Post{}
		for _, p := range ps {
			byItem[p.ItemID] = p
		}
		if err := e.s.Approve(ctx, e.town.ID, byItem["a"].ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Deliver(ctx, e.town.ID, byItem["a"].ID, false); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Cancel(ctx, e.town.ID, byItem["b"].ID); err != nil {
			t.Fatal(err)
		}
		e.advance(sharing.DroppedDays * 24 * time.Hour)
		if n, err := e.s.PurgePosts(ctx); err != nil || n != 0 {
			t.Fatalf("on the cancelled post's last day: %d, %v", n, err)
		}
		e.advance(time.Minute)
		if n, err := e.s.PurgePosts(ctx); err != nil || n != 1 {
			t.Fatalf("the day after: %d, %v", n, err)
		}
		e.advance((sharing.SentDays - sharing.DroppedDays) * 24 * time.Hour)
		if n, err := e.s.PurgePosts(ctx); err != nil || n != 1 {
			t.Fatalf("a year after sending: %d, %v", n, err)
		}
	})
}

func TestCheckHost(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		loopback bool
	}{
		{"piaille.fr", "piaille.fr", false},
		{"https://Mastodon.Social/", "mastodon.social", false},
		{"social.montclair.example", "social.montclair.example", false},
		{"127.0.0.1:8080", "", false},
		{"127.0.0.1:8080", "127.0.0.1:8080", true},
		{"10.0.0.1", "", false},
		{"[::1]", "", false},
		{"localhost", "", false},
		{"mastodon.internal", "", false},
		{"piaille.fr:8443", "", false},
		{"user@piaille.fr", "", false},
		{"piaille.fr/share", "", false},
		{"exemple.123", "", false},
	} {
		got, err := sharing.CheckHost(c.in, c.loopback)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("CheckHost(%q, %v) = %q, %v; want %q", c.in, c.loopback, got, err, c.want)
		}
	}
}

func TestComposeFitsEachNetwork(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("La commune rénove l'éclairage public des hameaux et du centre-bourg. ", 20)
	link := "https://montclair.example/actualites/eclairage-public"
	for _, network := range sharing.Networks {
		text := sharing.Compose(network, "Éclairage public : les travaux commencent", long, link)
		limit := (&sharing.Account{Network: network}).Limit()
		if n := sharing.Length(network, text); n > limit {
			t.Errorf("%s: %d characters, limit %d", network, n, limit)
		}
		if !strings.HasSuffix(text, "\n\n"+link) || !strings.Contains(text, "…") {
			t.Errorf("%s: %q", network, text)
		}
		body := strings.Split(text, "\n\n")[1]
		if w := strings.TrimSuffix(body, "…"); !strings.HasSuffix(long[:len(w)], w) || strings.HasSuffix(w, " ") {
			t.Errorf("%s: the summary is not cut on a word: %q", network, body)
		}
	}
	if n := sharing.Graphemes("e\u0301te\u0301 🇫🇷 👩‍👩‍👧"); n != 7 {
		t.Errorf("graphemes %d, want 7", n)
	}
}
