package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, reports.Migrations}

// centre is a point of the town, near which the tests report.
const centreLat, centreLon = 46.5802, 0.3404

// north returns the point metres north of the centre.
func north(metres float64) (float64, float64) {
	return centreLat + metres/metresPerDegree, centreLon
}

// metresPerDegree is a degree of latitude on the sphere the store
// measures on.
var metresPerDegree = reports.Distance(0, 0, 1, 0)

// sent is a mail queued, rendered as its reader gets it.
type sent struct {
	mail.Message
	Subject, Text, Unsubscribe string
}

// outbox keeps the mails the store queues, after rendering each in both
// languages from its data as the outbox stores it (JSON): a template
// that names a missing key fails the transaction, as it would for real.
type outbox struct {
	mu   sync.Mutex
	tpl  *mail.Templates
	mail []sent
}

func newOutbox(t testing.TB) *outbox {
	tpl := mail.NewTemplates()
	if err := tpl.Add("reports", reports.MailFiles()); err != nil {
		t.Fatal(err)
	}
	return &outbox{tpl: tpl}
}

func (o *outbox) EnqueueTx(_ context.Context, tx *db.Tx, m mail.Message) error {
	if tx == nil {
		return fmt.Errorf("a mail outside a transaction")
	}
	raw, err := json.Marshal(m.Data)
	if err != nil {
		return err
	}
	var view map[string]any
	if err := json.Unmarshal(raw, &view); err != nil {
		return err
	}
	view["TenantName"], view["To"], view["Lang"] = "Ville de Test", m.To, m.Lang
	var mine *mail.Rendered
	for _, lang := range mail.Langs {
		r, err := o.tpl.Render(m.Template, lang, view)
		if err != nil {
			return err
		}
		if r.Lang != lang {
			return fmt.Errorf("%s has no %s template", m.Template, lang)
		}
		if lang == mail.NormalizeLang(m.Lang) {
			mine = r
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mail = append(o.mail, sent{Message: m, Subject: mine.Subject, Text: mine.Text, Unsubscribe: mine.Unsubscribe})
	return nil
}

// take returns the mails queued since the last call.
func (o *outbox) take() []sent {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.mail
	o.mail = nil
	return out
}

// env is a store on a fresh database with two collectivités, files in a
// folder, an outbox and a clock the test moves.
type env struct {
	t          *testing.T
	ctx        context.Context
	d          *db.DB
	s          *reports.Store
	out        *outbox
	town, vill string
	mu         sync.Mutex
	now        time.Time
}

var paris, _ = time.LoadLocation("Europe/Paris")

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewStore(d)
	town, err := ts.Create(ctx, tenant.Tenant{Slug: "ville", Name: "Ville de Test", Kind: tenant.KindCommune, INSEE: "86194"})
	if err != nil {
		t.Fatal(err)
	}
	vill, err := ts.Create(ctx, tenant.Tenant{Slug: "village", Name: "Commune de Test", Kind: tenant.KindCommune, INSEE: "86100"})
	if err != nil {
		t.Fatal(err)
	}
	storage, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, d: d, s: reports.NewStore(d, storage), out: newOutbox(t), town: town.ID, vill: vill.ID,
		now: dbtest.Start(t).UTC()}
	e.s.Now = e.clock
	e.s.Mail = e.out
	sites := map[string]string{town.ID: "https://ville.example", vill.ID: "https://village.example"}
	e.s.Links = func(_ context.Context, tenantID string) (string, *time.Location, error) {
		return sites[tenantID], paris, nil
	}
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) set(at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = at.UTC()
}

// each runs fn on a fresh env per engine.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		fn(t, newEnv(t, d))
	})
}

// category creates an active category of tenantID.
func (e *env) category(tenantID, code, service, contractor string, qs ...reports.Question) *reports.Category {
	e.t.Helper()
	c := &reports.Category{TenantID: tenantID, Code: code, Name: "Catégorie " + code, Group: "Voirie", Service: service,
		ContractorEmail: contractor, Questions: qs, Active: true}
	if err := e.s.CreateCategory(e.ctx, c); err != nil {
		e.t.Fatal(err, guichet.FieldErrors(err))
	}
	return c
}

// draft is a valid guest's draft in c at metres north of the centre.
func draft(c *reports.Category, metres float64, email string) reports.Draft {
	lat, lon := north(metres)
	return reports.Draft{CategoryID: c.ID, Lat: lat, Lon: lon, Address: "12 rue des Écoles",
		Description: "Un nid-de-poule profond devant l'école.", Contact: reports.Contact{Name: "Camille Martin", Email: email,
			Phone: "05 49 00 00 00"}, Lang: "fr"}
}

// submit sends d and fails the test on error.
func (e *env) submit(tenantID string, d reports.Draft) (*reports.Report, string) {
	e.t.Helper()
	r, token, err := e.s.Submit(e.ctx, tenantID, d)
	if err != nil {
		e.t.Fatal(err, guichet.FieldErrors(err))
	}
	return r, token
}

// confirmed is a report of a guest who confirmed it, the mails taken.
func (e *env) confirmed(tenantID string, d reports.Draft) *reports.Report {
	e.t.Helper()
	_, token := e.submit(tenantID, d)
	r, err := e.s.Confirm(e.ctx, tenantID, token)
	if err != nil {
		e.t.Fatal(err)
	}
	e.out.take()
	return r
}

// change applies a staff change and fails the test on error.
func (e *env) change(tenantID, id string, st reports.Status, note string) *reports.Report {
	e.t.Helper()
	r, err := e.s.Change(e.ctx, tenantID, id, reports.Change{Status: st, PublicNote: note, By: "Agent des services techniques"})
	if err != nil {
		e.t.Fatal(err, guichet.FieldErrors(err))
	}
	return r
}

// mailsTo returns the mails of template sent to addr.
func mailsTo(list []sent, addr, template string) []sent {
	var out []sent
	for _, m := range list {
		if m.To == addr && m.Template == "reports/"+template {
			out = append(out, m)
		}
	}
	return out
}

// linkToken returns the token that ends the first link with prefix in
// text.
func linkToken(t *testing.T, text, prefix string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, prefix)
	if !ok {
		t.Fatalf("no link %s in:\n%s", prefix, text)
	}
	return strings.Fields(rest)[0]
}

// photo is a small upload.
func photo(body string) reports.PhotoUpload {
	return reports.PhotoUpload{ContentType: "image/jpeg", Width: 640, Height: 480, Body: bytes.NewReader([]byte(body))}
}

// code returns the code of err's typed error.
func code(err error) string { return guichet.ErrorCode(err) }
