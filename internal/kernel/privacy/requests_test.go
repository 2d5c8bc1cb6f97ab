package privacy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
)

// outbox keeps what the store mails.
type outbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (o *outbox) Enqueue(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

func (o *outbox) last(t *testing.T) mail.Message {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.msgs) == 0 {
		t.Fatal("nothing mailed")
	}
	return o.msgs[len(o.msgs)-1]
}

type fixture struct {
	d          *db.DB
	s          *privacy.Requests
	mail       *outbox
	town, vill *tenant.Tenant
	now        time.Time
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, privacy.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := tenant.NewStore(d)
		mk := func(slug string) *tenant.Tenant {
			tn, err := ts.Create(ctx, tenant.Tenant{Slug: slug, Name: "Commune de " + slug, Kind: tenant.KindCommune})
			if err != nil {
				t.Fatal(err)
			}
			return tn
		}
		f := &fixture{d: d, mail: &outbox{}, town: mk("ville"), vill: mk("village"),
			now: time.Date(2026, 1, 30, 10, 0, 0, 0, time.UTC)}
		f.s = privacy.NewRequests(d, f.mail)
		f.s.Now = func() time.Time { return f.now }
		fn(t, f)
	})
}

// confirmToken reads the token of the last confirmation link mailed.
func (f *fixture) confirmToken(t *testing.T) string {
	t.Helper()
	m := f.mail.last(t)
	u, _ := m.Data["ConfirmURL"].(string)
	i := strings.LastIndexByte(u, '/')
	if m.Template != "privacy/request_confirm" || i < 0 {
		t.Fatalf("last mail: %+v", m)
	}
	return u[i+1:]
}

// TestRequestFromAProvenAccountCountsAtOnce: a request filed from an
// account whose address is proven is received at once, due one month
// later, and its person is told so.
func TestRequestFromAProvenAccountCountsAtOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		r, err := f.s.File(context.Background(), f.town.ID, privacy.Filing{Kind: privacy.Access, Name: "Camille",
			Email: "camille@exemple.fr", UserID: "compte", Verified: true, Lang: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		// 30 January + one month: the request is due on 2 March.
		if r.State != privacy.Received || r.DueAt == nil || !r.DueAt.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("request: %+v, due %v", r, r.DueAt)
		}
		m := f.mail.last(t)
		if m.Template != "privacy/request_received" || m.To != "camille@exemple.fr" || m.Data["Due"] != "2 mars 2026" ||
			!strings.HasPrefix(r.Reference, "RGPD-2026-") {
			t.Errorf("mail: %+v, reference %s", m, r.Reference)
		}
	})
}

// TestRequestWithoutAccountCountsOnceConfirmed: without an account the
// request waits for its address to be confirmed, unseen by the
// administrators; the link works ConfirmDays, once, on its collectivité.
func TestRequestWithoutAccountCountsOnceConfirmed(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		file := func(email string) *privacy.Request {
			r, err := f.s.File(ctx, f.town.ID, privacy.Filing{Kind: privacy.Erasure, Email: email, Lang: "en",
				SiteURL: "http://ville.localhost"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		r := file("dominique@exemple.fr")
		token := f.confirmToken(t)
		if r.State != privacy.Unconfirmed || r.DueAt != nil {
			t.Fatalf("unconfirmed request: %+v", r)
		}
		if open, _, err := f.s.List(ctx, f.town.ID); err != nil || len(open) != 0 {
			t.Fatalf("administrators see %d unconfirmed requests (%v)", len(open), err)
		}
		if _, err := f.s.Confirm(ctx, f.vill.ID, token); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("confirmed on another collectivité: %v", err)
		}
		if _, err := f.s.ByConfirmLink(ctx, f.vill.ID, token); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("read on another collectivité: %v", err)
		}
		// Reading the link, as its page does, confirms nothing.
		if got, err := f.s.ByConfirmLink(ctx, f.town.ID, token); err != nil || got.ID != r.ID || got.State != privacy.Unconfirmed {
			t.Fatalf("read by its link: %+v, %v", got, err)
		}
		f.now = f.now.Add(24 * time.Hour)
		got, err := f.s.Confirm(ctx, f.town.ID, token)
		if err != nil || got.State != privacy.Received || !got.DueAt.Equal(f.now.AddDate(0, 1, 0)) {
			t.Fatalf("confirmed: %+v, %v", got, err)
		}
		if m := f.mail.last(t); m.Template != "privacy/request_received" || m.Lang != "en" {
			t.Errorf("mail after confirmation: %+v", m)
		}
		// A second use says the request is already received.
		if again, err := f.s.Confirm(ctx, f.town.ID, token); !errors.Is(err, privacy.ErrAlreadyConfirmed) || again.ID != r.ID {
			t.Errorf("a link confirmed twice: %+v, %v", again, err)
		}
		if got, err := f.s.ByConfirmLink(ctx, f.town.ID, token); err != nil || got.State != privacy.Received {
			t.Errorf("read after confirmation: %+v, %v", got, err)
		}
		file("tardif@exemple.fr")
		late := f.confirmToken(t)
		f.now = f.now.AddDate(0, 0, privacy.ConfirmDays+1)
		if _, err := f.s.Confirm(ctx, f.town.ID, late); !errors.Is(err, privacy.ErrLinkInvalid) {
			t.Errorf("an expired link confirmed its request: %v", err)
		}
		if _, err := f.s.ByConfirmLink(ctx, f.town.ID, late); !errors.Is(err, privacy.ErrLinkInvalid) {
			t.Errorf("an expired link still shows its request: %v", err)
		}
	})
}

// TestRequestWorkflow: an administrator takes a request on, then answers
// or refuses it with a text the person receives; a closed request moves
// no more, a refusal needs its reason, and an open request passed its
// month is overdue.
func TestRequestWorkflow(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		file := func(kind string) *privacy.Request {
			r, err := f.s.File(ctx, f.town.ID, privacy.Filing{Kind: kind, Email: "camille@exemple.fr", Verified: true,
				Details: "Mon numéro de téléphone a changé.", Lang: "fr"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if _, err := f.s.File(ctx, f.town.ID, privacy.Filing{Kind: privacy.Rectification, Email: "camille@exemple.fr"}); err == nil ||
			!strings.Contains(err.(*guichet.Error).Fields["details"], "rectifier") {
			t.Errorf("a rectification without details: %v", err)
		}
		r := file(privacy.Rectification)
		if r.Overdue(r.DueAt.Add(-time.Minute)) || !r.Overdue(r.DueAt.Add(time.Minute)) {
			t.Error("overdue is not after the due date")
		}
		started, err := f.s.Act(ctx, f.town.ID, r.ID, privacy.Step{To: privacy.InProgress, By: "admin@ville.fr"})
		if err != nil || started.State != privacy.InProgress || f.mail.last(t).Template != "privacy/request_in_progress" {
			t.Fatalf("taken on: %+v, %v", started, err)
		}
		if _, err := f.s.Act(ctx, f.town.ID, r.ID, privacy.Step{To: privacy.Refused, By: "admin@ville.fr"}); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Errorf("a refusal without reason: %v", err)
		}
		if _, err := f.s.Act(ctx, f.vill.ID, r.ID, privacy.Step{To: privacy.Answered, Text: "Fait."}); !errors.Is(err, privacy.ErrRequestNotFound) {
			t.Errorf("answered from another collectivité: %v", err)
		}
		done, err := f.s.Act(ctx, f.town.ID, r.ID, privacy.Step{To: privacy.Answered, Text: "Numéro corrigé.", By: "admin@ville.fr"})
		if err != nil || done.State != privacy.Answered || done.ClosedAt == nil || done.Open() || done.Overdue(f.now.AddDate(1, 0, 0)) {
			t.Fatalf("answered: %+v, %v", done, err)
		}
		if m := f.mail.last(t); m.Template != "privacy/request_answered" || m.Data["Answer"] != "Numéro corrigé." {
			t.Errorf("answer mail: %+v", m)
		}
		if _, err := f.s.Act(ctx, f.town.ID, r.ID, privacy.Step{To: privacy.Refused, Text: "Trop tard."}); guichet.ErrorCode(err) != guichet.EConflict {
			t.Errorf("a closed request moved again: %v", err)
		}
		other := file(privacy.Objection)
		if _, err := f.s.Act(ctx, f.town.ID, other.ID, privacy.Step{To: privacy.Refused, Text: "Obligation légale."}); err != nil {
			t.Fatal(err)
		}
		open, closed, err := f.s.List(ctx, f.town.ID)
		if err != nil || len(open) != 0 || len(closed) != 2 {
			t.Errorf("list: %d open, %d closed, %v", len(open), len(closed), err)
		}
	})
}

// TestRequestsRetention: an unconfirmed request goes a day past
// ConfirmDays; a closed one RequestDays after its answer, not a day
// before; open ones stay.
func TestRequestsRetention(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		day0 := f.now
		at := func(daysAgo int) { f.now = day0.AddDate(0, 0, -daysAgo) }
		file := func(verified bool) *privacy.Request {
			r, err := f.s.File(ctx, f.town.ID, privacy.Filing{Kind: privacy.Access, Email: "camille@exemple.fr", Verified: verified})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		closeIt := func(r *privacy.Request) {
			if _, err := f.s.Act(ctx, f.town.ID, r.ID, privacy.Step{To: privacy.Answered, Text: "Voici vos données."}); err != nil {
				t.Fatal(err)
			}
		}
		at(privacy.ConfirmDays - 1)
		file(false)
		at(privacy.ConfirmDays + 1)
		file(false)
		at(privacy.RequestDays + 40)
		open := file(true)
		closedIn, closedOut := file(true), file(true)
		at(privacy.RequestDays - 1)
		closeIt(closedIn)
		at(privacy.RequestDays + 1)
		closeIt(closedOut)
		f.now = day0
		if n, err := f.s.PurgeRequests(ctx); err != nil || n != 2 {
			t.Fatalf("purged %d, %v; want the expired unconfirmed one and the old closed one", n, err)
		}
		for _, r := range []*privacy.Request{open, closedIn} {
			if _, err := f.s.Get(ctx, f.town.ID, r.ID); err != nil {
				t.Errorf("request %s went: %v", r.Reference, err)
			}
		}
		if _, err := f.s.Get(ctx, f.town.ID, closedOut.ID); !errors.Is(err, privacy.ErrRequestNotFound) {
			t.Errorf("the request closed long ago stayed: %v", err)
		}
	})
}
