package reportsweb_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/open311"
	"guichet/internal/capability/reports/open311/open311test"
	"guichet/internal/capability/reports/reportsweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, reports.Migrations}

// baseDomain is the one the collectivités answer under, as
// "<slug>.guichet.test".
const (
	baseDomain = "guichet.test"
	prefix     = "/open311/v2"
	day        = 24 * time.Hour
)

var paris, _ = time.LoadLocation("Europe/Paris")

// world is a store with two collectivités behind one Open311 server,
// reached by their host names, and a clock the test sets.
type world struct {
	t           *testing.T
	ctx         context.Context
	s           *reports.Store
	town, vill  *tenant.Tenant
	mu          sync.Mutex
	now, start  time.Time
	hc          *http.Client
	town311     *open311test.Client
	village311  *open311test.Client
	nid, lampe  *reports.Category
	villNid     *reports.Category
	withPhoto   *reports.Report
	fixed       *reports.Report
	old, guest  *reports.Report
	villReport  *reports.Report
	key, second string // the town's keys
	keyID       string
	secondID    string
	villKey     string
	// queries is what the last request cost.
	queries atomic.Int64
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), start: dbtest.Start(t).UTC()}
	w.now = w.start
	ts := tenant.NewStore(d)
	w.town = w.tenant(ts, tenant.Tenant{Slug: "ville", Name: "Ville de Test", Email: "mairie@ville.example"})
	w.vill = w.tenant(ts, tenant.Tenant{Slug: "village", Name: "Commune de Test"})
	storage, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.s = reports.NewStore(d, storage)
	w.s.Now = w.clock
	w.serve(tenant.NewResolver(ts, baseDomain))
	return w
}

func (w *world) tenant(ts *tenant.Store, tn tenant.Tenant) *tenant.Tenant {
	w.t.Helper()
	tn.Kind = tenant.KindCommune
	out, err := ts.Create(w.ctx, tn)
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) set(at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = at
}

// site is each collectivité's address.
func site(ctx context.Context) string {
	return "https://" + tenant.FromContext(ctx).Slug + "." + baseDomain
}

// serve starts the handler behind the resolver, as the server chooses
// the collectivité from the Host; every host name reaches it. It counts
// each request's queries.
func (w *world) serve(resolver *tenant.Resolver) {
	h := reportsweb.NewOpen311(w.s, site, open311.Config{Zone: paris})
	mux := http.NewServeMux()
	for _, rt := range h.Routes(prefix) {
		mux.HandleFunc(rt.Pattern, rt.Handler)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		tn, err := resolver.Resolve(r.Context(), r.Host)
		if err != nil {
			http.Error(rw, "404 page not found", http.StatusNotFound)
			return
		}
		n := new(atomic.Int64)
		mux.ServeHTTP(&counted{rw, n, &w.queries}, r.WithContext(db.WithQueryCounter(tenant.NewContext(r.Context(), tn), n)))
	}))
	w.t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	w.hc = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	w.t.Cleanup(w.hc.CloseIdleConnections)
	w.town311 = open311test.NewClient(w.base(w.town), w.hc)
	w.village311 = open311test.NewClient(w.base(w.vill), w.hc)
}

// counted notes a request's queries when its answer starts, before the
// client can read it.
type counted struct {
	http.ResponseWriter
	n, into *atomic.Int64
}

func (c *counted) WriteHeader(status int) {
	c.into.Store(c.n.Load())
	c.ResponseWriter.WriteHeader(status)
}

func (c *counted) Write(b []byte) (int, error) {
	c.into.Store(c.n.Load())
	return c.ResponseWriter.Write(b)
}

// base is a collectivité's Open311 endpoint.
func (w *world) base(tn *tenant.Tenant) string {
	return "http://" + tn.Slug + "." + baseDomain + prefix
}

// category creates an active category.
func (w *world) category(c reports.Category) *reports.Category {
	w.t.Helper()
	c.Active = true
	if err := w.s.CreateCategory(w.ctx, &c); err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
	return &c
}

// nidQuestions are the pothole's questions, their orders neither from
// 1 nor in the order they are listed; a new slice each time, since
// CreateCategory cleans it in place.
func nidQuestions() []reports.Question {
	return []reports.Question{
		{Code: "largeur", Label: "Largeur approximative", Datatype: reports.TypeNumber, Order: 20, Description: "En centimètres"},
		{Code: "profondeur", Label: "Profondeur du trou", Datatype: reports.TypeSingle, Required: true, Order: 10,
			Values: []reports.Choice{{Key: "faible", Name: "Moins de 5 cm"}, {Key: "forte", Name: "5 cm ou plus"}}},
		{Code: "constate", Label: "Constaté le", Datatype: reports.TypeDatetime, Order: 30},
		{Code: "voies", Label: "Où se trouve-t-il\u00a0?", Datatype: reports.TypeMulti, Order: 40,
			Values: []reports.Choice{{Key: "chaussee", Name: "Chaussée"}, {Key: "trottoir", Name: "Trottoir"}, {Key: "piste", Name: "Piste cyclable"}}},
	}
}

// report files a signed-in resident's report (confirmed at once) at
// the time given, in c, at metres north of the town's centre.
func (w *world) report(tn *tenant.Tenant, c *reports.Category, at time.Time, metres float64, photos ...string) *reports.Report {
	w.t.Helper()
	w.set(at)
	d := w.draft(c, metres)
	d.AccountID, d.EmailVerified = "compte-1", true
	for _, p := range photos {
		d.Photos = append(d.Photos, reports.PhotoUpload{ContentType: "image/jpeg", Width: 640, Height: 480,
			Body: bytes.NewReader([]byte(p))})
	}
	r, _, err := w.s.Submit(w.ctx, tn.ID, d)
	if err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
	return r
}

func (w *world) draft(c *reports.Category, metres float64) reports.Draft {
	d := reports.Draft{CategoryID: c.ID, Lat: 46.5802 + metres/111_000, Lon: 0.3404, Address: "12 rue des Écoles",
		Description: "Un problème signalé devant l'école.", Contact: reports.Contact{Name: "Dominique Durand",
			Email: "dominique.durand@example.org"}, Lang: "fr"}
	if len(c.Questions) > 0 {
		d.Answers = reports.Answers{"profondeur": {"faible"}}
	}
	return d
}

// change moves a report at the time given.
func (w *world) change(tn *tenant.Tenant, r *reports.Report, at time.Time, st reports.Status, note string) {
	w.t.Helper()
	w.set(at)
	if _, err := w.s.Change(w.ctx, tn.ID, r.ID, reports.Change{Status: st, PublicNote: note, By: "Services techniques"}); err != nil {
		w.t.Fatal(err, guichet.FieldErrors(err))
	}
}

// newKey creates an API key and returns its secret.
func (w *world) newKey(tn *tenant.Tenant, name string) (string, string) {
	w.t.Helper()
	k, secret, err := w.s.CreateKey(w.ctx, tn.ID, name)
	if err != nil {
		w.t.Fatal(err)
	}
	return k.ID, secret
}

// fill gives the town reports of both services in every status over
// four months, one unconfirmed, and the village one of its own.
func (w *world) fill() {
	now := w.start
	w.set(now.Add(-120 * day))
	w.nid = w.category(reports.Category{TenantID: w.town.ID, Code: "voirie-nid-de-poule", Name: "Nid-de-poule",
		Description: "Trou dans la chaussée ou le trottoir.", Group: "Voirie", Keywords: []string{"trou", "chaussée"},
		Service: "technique", Questions: nidQuestions(), Position: 1})
	w.lampe = w.category(reports.Category{TenantID: w.town.ID, Code: "eclairage-panne", Name: "Lampadaire éteint",
		Group: "Éclairage public", Service: "technique", Position: 2})
	gone := w.category(reports.Category{TenantID: w.town.ID, Code: "ancien-service", Name: "Ancien service", Position: 3})
	w.set(now.Add(-110 * day)) // the categories' last change
	if err := w.s.DeactivateCategory(w.ctx, w.town.ID, gone.ID); err != nil {
		w.t.Fatal(err)
	}
	w.old = w.report(w.town, w.nid, now.Add(-100*day), 10)
	w.fixed = w.report(w.town, w.lampe, now.Add(-60*day), 20)
	w.change(w.town, w.fixed, now.Add(-50*day), reports.Fixed, "Ampoule changée.")
	w.withPhoto = w.report(w.town, w.nid, now.Add(-20*day), 30, "premier", "second")
	w.change(w.town, w.withPhoto, now.Add(-19*day), reports.Acknowledged, "")
	w.report(w.town, w.lampe, now.Add(-5*day), 40)
	closed := w.report(w.town, w.nid, now.Add(-2*day-3*time.Hour), 50)
	w.change(w.town, closed, now.Add(-day), reports.Closed, "Hors du domaine public.")
	w.set(now.Add(-6 * time.Hour))
	w.guest = w.mustSubmit(w.town, w.draft(w.lampe, 60))
	w.villNid = w.category(reports.Category{TenantID: w.vill.ID, Code: "voirie-nid-de-poule", Name: "Nid-de-poule",
		Questions: nidQuestions()})
	w.villReport = w.report(w.vill, w.villNid, now.Add(-3*day), 70)
	w.set(now)
	w.keyID, w.key = w.newKey(w.town, "Application FixMyStreet")
	w.secondID, w.second = w.newKey(w.town, "Application de la métropole")
	w.villKey = w.keyOf(w.vill, "Application du village")
}

func (w *world) keyOf(tn *tenant.Tenant, name string) string {
	_, secret := w.newKey(tn, name)
	return secret
}

func (w *world) mustSubmit(tn *tenant.Tenant, d reports.Draft) *reports.Report {
	w.t.Helper()
	r, token, err := w.s.Submit(w.ctx, tn.ID, d)
	if err != nil || token == "" {
		w.t.Fatalf("guest's report: %v, token %q", err, token)
	}
	return r
}

// fixtures describe the town for the conformance suite; the village's
// key is its refused key.
func (w *world) fixtures() open311test.Fixtures {
	return open311test.Fixtures{
		HTTP:         w.hc,
		Now:          w.start,
		APIKey:       w.key,
		BadAPIKey:    w.villKey,
		Jurisdiction: w.town.Slug + "." + baseDomain,
		Post:         post(),
		Attribute:    "profondeur",
		// No BatchPost: every service is realtime, so no token is issued.
	}
}

// post is a client's complete POST to the pothole service.
func post() url.Values {
	return url.Values{
		"service_code":          {"voirie-nid-de-poule"},
		"lat":                   {"46.5811"},
		"long":                  {"0.3412"},
		"address_string":        {"3 place du Marché"},
		"description":           {"Un trou de 30 cm devant la boulangerie.\nDangereux pour les vélos."},
		"email":                 {"camille.martin@example.org"},
		"first_name":            {"Camille"},
		"last_name":             {"Martin"},
		"phone":                 {"05 49 00 00 00"},
		"media_url":             {"https://photos.example/trou.jpg"},
		"attribute[profondeur]": {"forte"},
		"attribute[largeur]":    {"30.5"},
		"attribute[constate]":   {"2027-03-08T18:30+01:00"},
		"attribute[voies][]":    {"chaussee", "piste"},
		"attribute[report_url]": {"https://ailleurs.example/report/1"},
	}
}
