package fediverseweb_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/capability/alerts"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/fediverse"
	"guichet/internal/capability/fediverse/fediverseweb"
	"guichet/internal/capability/news"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/publishing"
)

// peer is the independent ActivityPub server (Fedify, testdata/peer.mjs).
type peer struct {
	t      *testing.T
	stdin  io.WriteCloser
	events chan map[string]any
	// seen holds the events a wait passed over, for the next ones.
	seen   []map[string]any
	origin string
	actor  string
}

// startPeer runs the Fedify peer with its clock set to now. Without Node
// or the npm packages the test is skipped, unless the full suite
// requires the browser gate's tools.
func startPeer(t *testing.T, now time.Time) *peer {
	t.Helper()
	modules, _ := filepath.Abs("../../../../e2e/node_modules")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(modules, "@fedify", "fedify", "dist", "mod.js")); err != nil || statErr != nil {
		if os.Getenv("GUICHET_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("Fedify or node missing (run scripts/test-setup-browser): %v %v", err, statErr)
		}
		t.Skip("Fedify not installed: run scripts/test-setup-browser")
	}
	cmd := exec.Command(node, "../testdata/peer.mjs", modules, strconv.FormatInt(now.UnixMilli(), 10))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &peer{t: t, stdin: stdin, events: make(chan map[string]any, 100)}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var ev map[string]any
			if json.Unmarshal(sc.Bytes(), &ev) == nil {
				p.events <- ev
			}
		}
		close(p.events)
	}()
	ev := p.wait("listening", nil)
	p.origin, p.actor = ev["origin"].(string), ev["actor"].(string)
	return p
}

func (p *peer) send(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

// wait returns the next event named name (for which match, when given,
// holds), failing on the peer's errors and after 30 seconds.
func (p *peer) wait(name string, match func(map[string]any) bool) map[string]any {
	p.t.Helper()
	matches := func(ev map[string]any) bool { return ev["event"] == name && (match == nil || match(ev)) }
	for i, ev := range p.seen {
		if matches(ev) {
			p.seen = append(p.seen[:i:i], p.seen[i+1:]...)
			return ev
		}
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev, ok := <-p.events:
			if !ok {
				p.t.Fatalf("the peer stopped while waiting for %q", name)
			}
			if ev["event"] == "error" {
				p.t.Fatalf("peer: %v", ev["message"])
			}
			if matches(ev) {
				return ev
			}
			p.seen = append(p.seen, ev)
		case <-timeout:
			p.t.Fatalf("no %q from the peer", name)
		}
	}
}

// none fails when an event named name for which match holds comes
// within d.
func (p *peer) none(name string, match func(map[string]any) bool, d time.Duration) {
	p.t.Helper()
	for _, ev := range p.seen {
		if ev["event"] == name && match(ev) {
			p.t.Fatalf("unexpected %s: %v", name, ev)
		}
	}
	timeout := time.After(d)
	for {
		select {
		case ev, ok := <-p.events:
			if !ok {
				return
			}
			if ev["event"] == name && match(ev) {
				p.t.Fatalf("unexpected %s: %v", name, ev)
			}
		case <-timeout:
			return
		}
	}
}

func about(id string) func(map[string]any) bool {
	return func(ev map[string]any) bool { s, _ := ev["id"].(string); return strings.Contains(s, id) }
}

// TestFollowedFromFedify is the fediverse's acceptance test: an
// independent ActivityPub implementation (Fedify) finds the town by
// WebFinger, follows it with a signed Follow that the inbox verifies,
// receives the Accept, then a news item and an alert whose signatures it
// verifies; an item published while its inbox is down arrives once it is
// back, through the job queue's retry; after it unfollows, nothing more
// is delivered.
func TestFollowedFromFedify(t *testing.T) {
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			followedFromFedify(t, u)
		})
	}
}

func followedFromFedify(t *testing.T, dbURL string) {
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	e := apptest.New(t, dbURL, apptest.WithConfig(func(c *app.Config) { c.Addr = addr }))
	srv := &http.Server{Handler: e.App.Web.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	// The peer reaches the town on loopback: 127.0.0.1 becomes its host,
	// and its actor's identity.
	town := *e.Town
	town.Hosts = append([]string{"127.0.0.1"}, town.Hosts...)
	if _, err := e.App.Tenants.Update(ctx, town); err != nil {
		t.Fatal(err)
	}
	c := fediverseweb.Of(e.App.Kernel)
	c.Store.Client.AllowLoopback(true)
	if err := e.App.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	actorID := base + fediverse.ActorPath

	// WebFinger answers for @slug@host and @mairie@host.
	for _, user := range []string{e.Town.Slug, fediverse.Username} {
		res, err := http.Get(base + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+user+"@"+addr))
		if err != nil {
			t.Fatal(err)
		}
		var jrd struct {
			Subject string
			Links   []struct{ Rel, Type, Href string }
		}
		err = json.NewDecoder(res.Body).Decode(&jrd)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || jrd.Subject != "acct:"+e.Town.Slug+"@"+addr ||
			len(jrd.Links) == 0 || jrd.Links[0].Href != actorID || jrd.Links[0].Type != fediverse.ActivityJSON {
			t.Fatalf("webfinger %s: %d %+v %v", user, res.StatusCode, jrd, err)
		}
	}
	res, err := http.Get(base + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:sauvigny@"+addr))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("webfinger of another collectivité on the town's host: %d", res.StatusCode)
	}

	p := startPeer(t, e.App.Now())
	p.send("webfinger acct:" + e.Town.Slug + "@" + addr)
	wf := p.wait("webfinger", nil)
	if wf["status"].(float64) != 200 {
		t.Fatalf("the peer's webfinger: %v", wf)
	}

	// An unsigned activity is refused; the peer's signed Follow passes.
	body := `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + p.origin + `/faux","type":"Follow","actor":"` + p.actor + `","object":"` + actorID + `"}`
	res, err = http.Post(base+fediverse.InboxPath, fediverse.ActivityJSON, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned Follow: %d, want 401", res.StatusCode)
	}
	if n, _ := c.Store.FollowerCount(ctx, e.Town.ID); n != 0 {
		t.Fatalf("an unsigned Follow added a follower")
	}
	p.send("follow " + actorID)
	followed := p.wait("followed", nil)
	if followed["name"] != e.Town.Name {
		t.Errorf("the peer read the actor's name %v", followed["name"])
	}
	accept := p.wait("accept", nil)
	if accept["actor"] != actorID || accept["object"] != followed["id"] {
		t.Fatalf("accept: %v", accept)
	}
	if n, _ := c.Store.FollowerCount(ctx, e.Town.ID); n != 1 {
		t.Fatalf("followers after the Follow: %d", n)
	}

	// A news item and an alert reach the peer, which verified our
	// signatures before its listener saw them.
	item := publishNews(t, e, "Fermeture de la piscine pour vidange")
	alert := &alerts.Alert{TenantID: e.Town.ID, Title: "Vigilance orages cet après-midi", Severity: alerts.SeverityWarning,
		Topic: "meteo", Expires: e.App.Now().Add(24 * time.Hour), Author: "Essai"}
	if err := alertsweb.Of(e.App.Kernel).Store.Publish(ctx, alert, ""); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Store.AnnounceTenant(ctx, e.Town.ID); err != nil || n != 2 {
		t.Fatalf("announced %d: %v", n, err)
	}
	got := p.wait("create", about(item.ID))
	if !strings.Contains(got["content"].(string), "Fermeture de la piscine") || got["actor"] != actorID {
		t.Errorf("news item as received: %v", got)
	}
	got = p.wait("create", about(alert.ID))
	if !strings.Contains(got["content"].(string), "Vigilance orages") {
		t.Errorf("alert as received: %v", got)
	}
	// Announcing again delivers nothing twice.
	if n, err := c.Store.AnnounceTenant(ctx, e.Town.ID); err != nil || n != 0 {
		t.Fatalf("second run queued %d: %v", n, err)
	}

	// The peer's inbox is down at publication: the job fails, is retried
	// once it is back, and the item arrives.
	p.send("down")
	p.wait("down", nil)
	late := publishNews(t, e, "Report du conseil municipal")
	if err := c.Store.Announce(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the delivery to fail once", func() bool {
		var n int
		_ = e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = ? AND state = 'retryable'`, fediverse.DeliverArgs{}.Kind()).Scan(&n)
		return n > 0
	})
	p.send("up")
	p.wait("up", nil)
	// The retry is due a minute later: the test brings that minute now.
	if _, err := e.App.DB.Exec(ctx, `UPDATE river_job SET scheduled_at = ? WHERE kind = ? AND state = 'retryable'`,
		e.App.Now().UTC(), fediverse.DeliverArgs{}.Kind()); err != nil {
		t.Fatal(err)
	}
	p.wait("create", about(late.ID))

	// After Undo, the follower is gone and nothing more is delivered.
	p.send("undo")
	p.wait("undone", nil)
	waitFor(t, "the follower to be removed", func() bool {
		n, _ := c.Store.FollowerCount(ctx, e.Town.ID)
		return n == 0
	})
	after := publishNews(t, e, "Marché de printemps")
	n, err := c.Store.AnnounceTenant(ctx, e.Town.ID)
	if err != nil || n != 0 {
		t.Fatalf("after unfollowing, %d deliveries queued: %v", n, err)
	}
	p.none("create", about(after.ID), time.Second)
}

func publishNews(t *testing.T, e *apptest.Env, title string) *news.News {
	t.Helper()
	now := e.App.Now()
	n := &news.News{TenantID: e.Town.ID, Category: "travaux", Title: title, Summary: "Toutes les informations pratiques.",
		Body: "Texte.", Status: publishing.StatusPublished, PublishAt: &now}
	if err := newsweb.Of(e.App.Kernel).Store.Save(context.Background(), n, "Essai", "published"); err != nil {
		t.Fatal(err)
	}
	return n
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
