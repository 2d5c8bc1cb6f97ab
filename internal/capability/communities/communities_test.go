package communities_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, account.Migrations, communities.Migrations}

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// outbox keeps the messages the digests queue.
type outbox struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (o *outbox) EnqueueTx(_ context.Context, _ *db.Tx, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

func (o *outbox) take() []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.sent
	o.sent = nil
	return out
}

// env is a town with residents, a store on a clock the test moves, an
// outbox, and alerts the test publishes.
type env struct {
	t      testing.TB
	s      *communities.Store
	ctx    context.Context
	town   *tenant.Tenant
	users  *account.Store
	mail   *outbox
	mu     sync.Mutex
	now    time.Time
	alerts []kernel.Publication
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	town, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair-sur-Vienne",
		Kind: tenant.KindCommune, Email: "mairie@montclair.example", TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	// A Tuesday morning, 10:00 in Paris.
	e := &env{t: t, ctx: ctx, town: town, users: account.NewStore(d), mail: &outbox{},
		now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	e.s = communities.NewStore(d)
	e.s.Now = e.clock
	e.users.Now = e.clock
	e.s.Mail, e.s.TokenKey = e.mail, []byte("clé-de-test-des-liens-de-désabonnement")
	e.s.Alerts = &kernel.PublicationSource{Kind: "alert",
		Recent: func(_ context.Context, tenantID string, now time.Time, limit int) ([]kernel.Publication, error) {
			return e.alertsBetween(tenantID, time.Time{}, now), nil
		},
		Published: func(_ context.Context, tenantID string, from, to time.Time, limit int) ([]kernel.Publication, error) {
			return e.alertsBetween(tenantID, from, to), nil
		}}
	return e
}

func (e *env) clock() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }

func (e *env) advance(d time.Duration) { e.mu.Lock(); e.now = e.now.Add(d); e.mu.Unlock() }

func (e *env) alertsBetween(tenantID string, from, to time.Time) []kernel.Publication {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []kernel.Publication
	for i := len(e.alerts) - 1; i >= 0; i-- {
		a := e.alerts[i]
		if tenantID == e.town.ID && !a.Published.Before(from) && !a.Published.After(to) {
			out = append(out, a)
		}
	}
	return out
}

func (e *env) alert(id, title, area string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.alerts = append(e.alerts, kernel.Publication{Kind: "alert", ID: id, Title: title, Area: area, Path: "/alertes#alerte-" + id,
		Published: e.now, Starts: e.now, Ends: e.now.Add(48 * time.Hour), Severity: "warning"})
}

func (e *env) resident(email string) *account.User {
	e.t.Helper()
	u, err := e.users.CreateVerified(e.ctx, e.town.ID, email, "Habitant "+email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) community(name, kind, area string) *communities.Community {
	e.t.Helper()
	c := &communities.Community{TenantID: e.town.ID, Name: name, Kind: kind, Area: area,
		Description: "La communauté « " + name + " »."}
	if err := e.s.Create(e.ctx, c); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) join(c *communities.Community, u *account.User) {
	e.t.Helper()
	if _, err := e.s.Join(e.ctx, e.town.ID, c.ID, u.ID, paris); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) post(c *communities.Community, title string) *communities.Post {
	e.t.Helper()
	p := &communities.Post{TenantID: e.town.ID, CommunityID: c.ID, Title: title, Body: "Rendez-vous **samedi** à 10 h.", ByStaff: true}
	if err := e.s.AddPost(e.ctx, p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) attach(c *communities.Community, kind, id, title string) {
	e.t.Helper()
	if err := e.s.Attach(e.ctx, e.town.ID, c.ID, kernel.Publication{Kind: kind, ID: id, Title: title,
		Path: "/actualites/" + id, Published: e.clock().Add(-time.Hour)}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) digests() []mail.Message {
	e.t.Helper()
	if _, err := e.s.SendDigests(e.ctx, func(context.Context, string) (string, *time.Location, error) {
		return "https://montclair.example", paris, nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return e.mail.take()
}

func TestCommunitiesAreCheckedAndCounted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		bad := &communities.Community{TenantID: e.town.ID, Kind: communities.Neighbourhood, Slug: "Pas Une Adresse"}
		fields := guichet.FieldErrors(e.s.Create(e.ctx, bad))
		for _, f := range []string{"name", "area", "slug"} {
			if fields[f] == "" {
				t.Errorf("no error on %s: %v", f, fields)
			}
		}
		c := e.community("Quartier des Tilleuls", communities.Neighbourhood, "Les Tilleuls")
		if c.Slug != "quartier-des-tilleuls" {
			t.Errorf("slug %q", c.Slug)
		}
		// An interest group keeps no area, a neighbourhood no directory entry.
		walk := &communities.Community{TenantID: e.town.ID, Name: "Marche et patrimoine", Kind: communities.Interest,
			Area: "Les Tilleuls", EntryID: "fiche"}
		if err := e.s.Create(e.ctx, walk); err != nil || walk.Area != "" || walk.EntryID != "" {
			t.Errorf("interest group: %v, area %q, entry %q", err, walk.Area, walk.EntryID)
		}
		twin := &communities.Community{TenantID: e.town.ID, Name: "Quartier des Tilleuls", Kind: communities.Interest}
		if f := guichet.FieldErrors(e.s.Create(e.ctx, twin)); f["slug"] == "" {
			t.Errorf("a second community took the same address: %v", f)
		}

		a, b := e.resident("a@courriel.localhost"), e.resident("b@courriel.localhost")
		for _, u := range []*account.User{a, a, b} { // joining twice counts once
			e.join(c, u)
		}
		if joined, err := e.s.Join(e.ctx, e.town.ID, c.ID, a.ID, paris); joined || err != nil {
			t.Errorf("joined again: %v, %v", joined, err)
		}
		got, err := e.s.BySlug(e.ctx, e.town.ID, "quartier-des-tilleuls")
		if err != nil || got.Members != 2 {
			t.Fatalf("members: %v, %v", got, err)
		}
		if err := e.s.Leave(e.ctx, e.town.ID, c.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		list, err := e.s.List(e.ctx, e.town.ID)
		if err != nil || len(list) != 2 || list[1].Name != "Quartier des Tilleuls" || list[1].Members != 1 || list[0].Members != 0 {
			t.Fatalf("list: %v", err)
		}
		ms, err := e.s.Memberships(e.ctx, e.town.ID, a.ID)
		if err != nil || len(ms) != 1 || ms[0].Notify != communities.NotifyDigest || ms[0].Community.Members != 1 {
			t.Fatalf("memberships: %+v, %v", ms, err)
		}
		if _, err := e.s.Join(e.ctx, e.town.ID, "nulle-part", a.ID, paris); !errors.Is(err, communities.ErrNotFound) {
			t.Errorf("joined a community that does not exist: %v", err)
		}
		// Another collectivité sees nothing of the town's.
		if _, err := e.s.Get(e.ctx, "autre", c.ID); !errors.Is(err, communities.ErrNotFound) {
			t.Errorf("another collectivité got the town's community: %v", err)
		}
		if err := e.s.Delete(e.ctx, "autre", c.ID); !errors.Is(err, communities.ErrNotFound) {
			t.Errorf("another collectivité deleted the town's community: %v", err)
		}
	})
}

func TestAnimatorsAreNamedOrManageTheEntry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		school := &communities.Community{TenantID: e.town.ID, Name: "École Jules-Ferry", Kind: communities.School, EntryID: "fiche-ecole"}
		if err := e.s.Create(e.ctx, school); err != nil {
			t.Fatal(err)
		}
		garden := e.community("Jardins partagés", communities.Association, "")
		u := e.resident("animatrice@courriel.localhost")
		if _, err := e.s.NameAnimator(e.ctx, e.town.ID, garden.ID, "personne@courriel.localhost"); !errors.Is(err, communities.ErrNoResident) {
			t.Errorf("named an address without an account: %v", err)
		}
		// An address nobody proved is no one's yet: whoever registered it
		// first must not become the animator staff meant to name.
		if _, err := e.users.Register(e.ctx, e.town.ID, "usurpe@courriel.localhost", "Usurpatrice",
			"cheval agrafe batterie correcte"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.NameAnimator(e.ctx, e.town.ID, garden.ID, "usurpe@courriel.localhost"); !errors.Is(err, communities.ErrNoResident) {
			t.Errorf("named an account whose address is not verified: %v", err)
		}
		if _, err := e.s.NameAnimator(e.ctx, e.town.ID, garden.ID, " Animatrice@Courriel.localhost "); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.IsAnimator(e.ctx, e.town.ID, garden.ID, u.ID); !ok {
			t.Error("the named resident does not animate the garden")
		}
		got, err := e.s.Animated(e.ctx, e.town.ID, u.ID, []string{"fiche-ecole"})
		if err != nil || len(got) != 2 || got[0].ID != school.ID || got[1].ID != garden.ID {
			t.Fatalf("animated: %v, %v", got, err)
		}
		if got, _ := e.s.Animated(e.ctx, e.town.ID, u.ID, nil); len(got) != 1 {
			t.Errorf("without the entry, %d communities", len(got))
		}
		list, err := e.s.Animators(e.ctx, e.town.ID, garden.ID)
		if err != nil || len(list) != 1 || list[0].Email != "animatrice@courriel.localhost" {
			t.Fatalf("animators: %v, %v", list, err)
		}
		if err := e.s.RemoveAnimator(e.ctx, e.town.ID, garden.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.IsAnimator(e.ctx, e.town.ID, garden.ID, u.ID); ok {
			t.Error("a removed animator still animates")
		}
	})
}

func TestFeedMergesWhatCommunitiesShare(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tilleuls := e.community("Quartier des Tilleuls", communities.Neighbourhood, "Les Tilleuls")
		amicale := e.community("Comité des Tilleuls", communities.Neighbourhood, "Les Tilleuls")
		school := e.community("École Jules-Ferry", communities.School, "")
		e.alert("eau", "Coupure d'eau aux Tilleuls", "Les Tilleuls")
		e.alert("gare", "Travaux à la gare", "La Gare")
		e.advance(time.Minute)
		e.attach(tilleuls, "event", "fete", "Fête de l'été")
		e.attach(school, "event", "fete", "Fête de l'été")
		if err := e.s.Attach(e.ctx, e.town.ID, school.ID, kernel.Publication{Kind: "event", ID: "fete", Title: "Fête"}); !errors.Is(err, communities.ErrAlreadyLinked) {
			t.Errorf("attached twice: %v", err)
		}
		if err := e.s.Attach(e.ctx, e.town.ID, school.ID, kernel.Publication{Kind: "alert", ID: "x", Title: "x"}); guichet.FieldErrors(err) == nil {
			t.Errorf("attached an alert by hand: %v", err)
		}
		e.advance(time.Minute)
		p := e.post(school, "Kermesse de l'école")

		feed, err := e.s.Feed(e.ctx, e.town.ID, []*communities.Community{tilleuls, amicale, school}, communities.Window{To: e.clock()}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range feed {
			names := make([]string, len(it.Communities))
			for i, c := range it.Communities {
				names[i] = c.Name
			}
			got = append(got, it.Kind+" "+it.Title+" ("+strings.Join(names, ", ")+")")
		}
		want := []string{
			"announcement Kermesse de l'école (École Jules-Ferry)",
			"event Fête de l'été (École Jules-Ferry, Quartier des Tilleuls)",
			"alert Coupure d'eau aux Tilleuls (Comité des Tilleuls, Quartier des Tilleuls)",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("feed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if feed[0].Path != "/communautes/ecole-jules-ferry#annonce-"+p.ID {
			t.Errorf("announcement's path %q", feed[0].Path)
		}
		// A window after them holds nothing; the limit keeps the latest.
		if later, _ := e.s.Feed(e.ctx, e.town.ID, []*communities.Community{school}, communities.Window{From: e.clock(), To: e.clock().Add(time.Hour)}, 10); len(later) != 0 {
			t.Errorf("%d items after the window", len(later))
		}
		if one, _ := e.s.Feed(e.ctx, e.town.ID, []*communities.Community{tilleuls, school}, communities.Window{To: e.clock()}, 1); len(one) != 1 || one[0].Kind != communities.ItemAnnouncement {
			t.Errorf("limited feed: %v", one)
		}
		if err := e.s.DeletePost(e.ctx, e.town.ID, tilleuls.ID, p.ID); !errors.Is(err, communities.ErrPostNotFound) {
			t.Errorf("deleted another community's announcement: %v", err)
		}
		links, err := e.s.Links(e.ctx, e.town.ID, school.ID, 10)
		if err != nil || len(links) != 1 {
			t.Fatalf("links: %v, %v", links, err)
		}
		if err := e.s.Detach(e.ctx, e.town.ID, school.ID, links[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.DeletePost(e.ctx, e.town.ID, school.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if left, _ := e.s.Feed(e.ctx, e.town.ID, []*communities.Community{school}, communities.Window{To: e.clock()}, 10); len(left) != 0 {
			t.Errorf("%d items left in the school's feed", len(left))
		}
	})
}

// TestOneDigestForThreeCommunities: a resident in three communities with
// news in each gets one digest naming all three, once per period; nothing
// when nothing is new; a community left out of the digest stays out.
func TestOneDigestForThreeCommunities(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		tilleuls := e.community("Quartier des Tilleuls", communities.Neighbourhood, "Les Tilleuls")
		school := e.community("École Jules-Ferry", communities.School, "")
		garden := e.community("Jardins partagés", communities.Association, "")
		walk := e.community("Marche et patrimoine", communities.Interest, "")
		her, him := e.resident("habitante@courriel.localhost"), e.resident("habitant@courriel.localhost")
		for _, c := range []*communities.Community{tilleuls, school, garden} {
			e.join(c, her)
		}
		e.join(walk, him)
		if err := e.s.SetNotifications(e.ctx, e.town.ID, her.ID, map[string]bool{tilleuls.ID: true, school.ID: true, garden.ID: true},
			communities.Daily, paris); err != nil {
			t.Fatal(err)
		}
		if err := e.s.SetNotifications(e.ctx, e.town.ID, him.ID, map[string]bool{walk.ID: false}, communities.Weekly, paris); err != nil {
			t.Fatal(err)
		}
		if f := guichet.FieldErrors(e.s.SetNotifications(e.ctx, e.town.ID, her.ID, nil, "hourly", paris)); f["frequency"] == "" {
			t.Error("an hourly digest was accepted")
		}
		if got := e.digests(); len(got) != 0 {
			t.Fatalf("%d digests before any was due", len(got))
		}
		e.advance(time.Hour)
		e.alert("eau", "Coupure d'eau aux Tilleuls", "Les Tilleuls")
		e.post(school, "Kermesse de l'école")
		e.attach(garden, "event", "bourse", "Bourse aux graines")
		e.post(walk, "Balade du pont roman")

		// Wednesday 07:00 in Paris: her daily digest is due.
		e.advance(20 * time.Hour)
		got := e.digests()
		if len(got) != 1 {
			t.Fatalf("%d digests, want one", len(got))
		}
		m := got[0]
		if m.To != "habitante@courriel.localhost" || m.Template != "communities/digest" || m.Lang != "fr" {
			t.Errorf("digest: %+v", m)
		}
		lines := m.Data["Items"].([]communities.DigestLine)
		if len(lines) != 3 {
			t.Fatalf("%d lines: %+v", len(lines), lines)
		}
		for _, name := range []string{"Quartier des Tilleuls", "École Jules-Ferry", "Jardins partagés"} {
			if !strings.Contains(m.Data["Communities"].(string), name) {
				t.Errorf("the digest does not name %s", name)
			}
		}
		if strings.Contains(m.Data["Communities"].(string), "Marche") {
			t.Error("her digest names a community she is not in")
		}
		unsubscribe := m.Data["UnsubscribeURL"].(string)
		token := strings.TrimPrefix(unsubscribe, "https://montclair.example"+communities.UnsubscribePrefix)
		if user, ok := e.s.TokenUser(e.town.ID, token); !ok || user != her.ID {
			t.Errorf("unsubscribe link %q names %q, %v", unsubscribe, user, ok)
		}
		if _, ok := e.s.TokenUser("autre", token); ok {
			t.Error("the link works for another collectivité")
		}
		if _, ok := e.s.TokenUser(e.town.ID, her.ID+".0123"); ok {
			t.Error("a made-up link works")
		}

		// Run again in the same period: nothing twice.
		e.advance(time.Hour)
		if got := e.digests(); len(got) != 0 {
			t.Fatalf("%d more digests in the same day", len(got))
		}
		// The next day, nothing new: no digest.
		e.advance(24 * time.Hour)
		if got := e.digests(); len(got) != 0 {
			t.Fatalf("%d digests with nothing new", len(got))
		}
		// Something new the day after: one digest, with that item only.
		e.advance(time.Minute)
		e.post(tilleuls, "Réunion du comité de quartier")
		e.advance(24 * time.Hour)
		got = e.digests()
		if len(got) != 1 || len(got[0].Data["Items"].([]communities.DigestLine)) != 1 {
			t.Fatalf("next digest: %+v", got)
		}
		// His weekly digest never comes: he took his only community out of it.
		e.advance(7 * 24 * time.Hour)
		for _, m := range e.digests() {
			if m.To == "habitant@courriel.localhost" {
				t.Errorf("a digest went to a resident who wants none: %v", m.Data["Communities"])
			}
		}
		// Stopping the digest from its link takes every community out.
		e.post(school, "Sortie au musée")
		if err := e.s.StopDigest(e.ctx, e.town.ID, her.ID); err != nil {
			t.Fatal(err)
		}
		e.advance(24 * time.Hour)
		if got := e.digests(); len(got) != 0 {
			t.Errorf("%d digests after unsubscribing", len(got))
		}
	})
}

// TestSavingChoicesKeepsTheDigestDue: saving the same frequency again
// does not put off the next digest; another frequency moves it.
func TestSavingChoicesKeepsTheDigestDue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		school := e.community("École Jules-Ferry", communities.School, "")
		her := e.resident("habitante@courriel.localhost")
		e.join(school, her)
		choose := func(frequency string) time.Time {
			t.Helper()
			if err := e.s.SetNotifications(e.ctx, e.town.ID, her.ID, map[string]bool{school.ID: true}, frequency, paris); err != nil {
				t.Fatal(err)
			}
			st, ok, err := e.s.Settings(e.ctx, e.town.ID, her.ID)
			if err != nil || !ok {
				t.Fatalf("settings: %v, %v", ok, err)
			}
			return st.NextAt
		}
		first := choose(communities.Daily)
		e.advance(25 * time.Hour) // past its time, before any run served her
		if again := choose(communities.Daily); !again.Equal(first) {
			t.Errorf("saving again moved the digest from %s to %s", first, again)
		}
		if weekly := choose(communities.Weekly); weekly.Equal(first) {
			t.Errorf("a weekly digest stays due at %s", weekly)
		}
	})
}

func TestNextDigest(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ freq, now, want, period string }{
		{communities.Daily, "2026-03-10 06:59", "2026-03-10 07:00", "2026-03-10"},
		{communities.Daily, "2026-03-10 07:00", "2026-03-11 07:00", "2026-03-10"},
		{communities.Daily, "2026-03-28 23:00", "2026-03-29 07:00", "2026-03-28"}, // the night clocks go forward
		{communities.Weekly, "2026-03-10 10:00", "2026-03-16 07:00", "2026-W11"},
		{communities.Weekly, "2026-03-16 06:00", "2026-03-16 07:00", "2026-W12"},
		{communities.Weekly, "2026-03-16 07:00", "2026-03-23 07:00", "2026-W12"},
		{communities.Weekly, "2026-10-24 12:00", "2026-10-26 07:00", "2026-W43"}, // the week clocks go back
		{communities.Weekly, "2026-12-31 12:00", "2027-01-04 07:00", "2026-W53"},
	} {
		now := at(c.now)
		if got := communities.NextDigest(c.freq, now, paris); !got.Equal(at(c.want)) {
			t.Errorf("%s after %s: %s, want %s", c.freq, c.now, got.In(paris), c.want)
		}
		if got := communities.Period(c.freq, now, paris); got != c.period {
			t.Errorf("%s period of %s: %s, want %s", c.freq, c.now, got, c.period)
		}
	}
}
