package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/capability/events"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/procedure"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/capability/questions/questionsweb"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
)

// erasable is a resident with a value of every kind of personal data, each
// a marker no demo record holds.
var erasable = struct {
	email, name, phone, ants, guestANTS, pendingQuestion, draftAnswer, message string
}{
	email: "zephyrine.effacement@courriel.localhost", name: "Zéphyrine Effacement", phone: "06 98 76 54 32",
	ants: "ZE12RA34SE", guestANTS: "ZE12RA34SF", pendingQuestion: "Question en attente de Zéphyrine ?", draftAnswer: "Brouillon-de-Zéphyrine",
	message: "Message-de-Zéphyrine-au-service",
}

// TestAccountDeletionErasesEveryRecord: a resident with a record of every
// kind deletes their account; afterwards no table of the database holds
// their name, address, phone, pre-application number, unpublished
// question or draft, except the tables a capability keeps under a legal
// basis and says so (filed cases). Upcoming bookings were cancelled, their
// slot freed.
func TestAccountDeletionErasesEveryRecord(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		u := e.Resident(e.Town, erasable.email, erasable.name)
		b := e.Browser(e.Town)
		b.SignIn(t, erasable.email, apptest.Password)
		booking, draftID := createEveryRecord(t, e, u)

		page := b.Get("/compte/supprimer").Want(t, http.StatusOK)
		for _, effect := range []string{"Rendez-vous : ceux à venir sont annulés", "RGPD art. 6-1-e et 17-3-b",
			"Agenda : vos inscriptions", "Alertes : votre abonnement", "Courriels : les messages"} {
			if !strings.Contains(page.Body, effect) {
				t.Errorf("the deletion page does not say %q", effect)
			}
		}
		b.Post("/compte/supprimer", url.Values{"password": {apptest.Password}}).Want(t, http.StatusOK)

		got, err := appointmentweb.Of(e.App.Kernel).Store.Get(ctx, e.Town.ID, booking.ID)
		if err != nil || got.Status != appointment.StatusCancelled {
			t.Errorf("the upcoming booking: %+v, %v; want it cancelled", got, err)
		}
		var units int
		if err := e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_units WHERE tenant_id = ? AND booking_id = ?`,
			e.Town.ID, booking.ID).Scan(&units); err != nil || units != 0 {
			t.Errorf("the cancelled booking still holds %d units (%v)", units, err)
		}
		if _, err := procedureweb.Of(e.App.Kernel).Store.Case(ctx, e.Town.ID, draftID); !errors.Is(err, procedure.ErrNotFound) {
			t.Errorf("the draft is still there: %v", err)
		}
		kept := map[string]bool{}
		for _, er := range e.App.Accounts.Erasers() {
			for _, table := range er.Keeps {
				kept[table] = true
			}
		}
		markers := []string{erasable.email, erasable.name, erasable.phone, erasable.ants, erasable.guestANTS, erasable.pendingQuestion,
			erasable.draftAnswer, u.ID}
		found := scanDatabase(t, e.App.DB, markers)
		for _, f := range found {
			if !kept[f.table] {
				t.Errorf("table %s, column %s still holds %q", f.table, f.column, f.marker)
			}
		}
		// What is kept is kept on purpose: the filed case and its message.
		if !slices.ContainsFunc(found, func(f foundValue) bool { return f.table == "case_messages" && f.marker == erasable.name }) {
			t.Errorf("the filed case's message is gone: %+v", found)
		}
	}, apptest.WithDemoData())
}

// createEveryRecord gives u a booking to come and one as a guest, a place
// on a waiting list, an event registration, an alert subscription, a
// pending and a published question, a draft and a filed case with a
// message, and mail in the outbox. It returns the upcoming booking and the
// draft's id.
func createEveryRecord(t *testing.T, e *apptest.Env, u *account.User) (*appointment.Booking, string) {
	t.Helper()
	ctx := context.Background()
	town := e.Town
	site := "http://" + e.Host(town)
	booking := bookFirstFree(t, e, u.ID, 0)
	bookFirstFree(t, e, "", 1) // as a guest, with the same address
	ag, err := appointmentweb.Of(e.App.Kernel).Store.Agenda(ctx, town.ID, "urbanisme")
	if err != nil {
		t.Fatal(err)
	}
	if err := appointmentweb.Of(e.App.Kernel).Store.JoinWaitlist(ctx, &appointment.Wait{TenantID: town.ID, AgendaID: ag.ID, TypeID: ag.Types[0].ID,
		UserID: u.ID, Name: erasable.name, Email: erasable.email, Phone: erasable.phone, Lang: "fr", SiteURL: site}); err != nil {
		t.Fatal(err)
	}
	var slug string
	if err := e.App.DB.QueryRow(ctx, `SELECT slug FROM content_events WHERE tenant_id = ? AND registration = ? AND capacity > 100`,
		town.ID, true).Scan(&slug); err != nil {
		t.Fatal(err)
	}
	if _, _, err := eventsweb.Of(e.App.Kernel).Store.Register(ctx, town.ID, events.RegistrationRequest{Slug: slug, Name: erasable.name,
		Email: erasable.email, Lang: "fr", Loc: town.Location()}); err != nil {
		t.Fatal(err)
	}
	if err := alertsweb.Of(e.App.Kernel).Store.Subscribe(ctx, town.ID, erasable.email, []string{"travaux"}, nil, site, "fr"); err != nil {
		t.Fatal(err)
	}
	if _, err := questionsweb.Of(e.App.Kernel).Store.Ask(ctx, town.ID, u.ID, erasable.name, "", erasable.pendingQuestion, "", site, "fr"); err != nil {
		t.Fatal(err)
	}
	q, err := questionsweb.Of(e.App.Kernel).Store.Ask(ctx, town.ID, u.ID, erasable.name, "", "Quand ouvre la piscine cet été ?", "", site, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := questionsweb.Of(e.App.Kernel).Store.Answer(ctx, town.ID, q.ID, "Le 1er juillet.", "moderation", true, site); err != nil {
		t.Fatal(err)
	}
	return booking, fileCases(t, e, u)
}

// bookFirstFree books the first free passport slot, n slots after the
// first, for the erasable resident (userID empty: as a guest).
func bookFirstFree(t *testing.T, e *apptest.Env, userID string, n int) *appointment.Booking {
	t.Helper()
	ctx := context.Background()
	a, err := appointmentweb.Of(e.App.Kernel).Store.Agenda(ctx, e.Town.ID, "passeports-cni")
	if err != nil {
		t.Fatal(err)
	}
	loc := e.Town.Location()
	typ := a.Type("passeport-cni")
	today := appointment.DayOf(appointmentweb.Of(e.App.Kernel).Store.Now(), loc)
	slots, _, err := appointmentweb.Of(e.App.Kernel).Store.Free(ctx, a, loc, typ, today.AddDays(2), today.AddDays(20))
	if err != nil || len(slots) <= n {
		t.Fatalf("free slots: %d, %v", len(slots), err)
	}
	ants := erasable.ants
	if userID == "" {
		ants = erasable.guestANTS // a pre-application number holds one booking at a time
	}
	b, err := appointmentweb.Of(e.App.Kernel).Store.Book(ctx, &appointment.Request{Agenda: a, Type: typ, Loc: loc, Start: slots[n].Start,
		UserID: userID, Name: erasable.name, Email: erasable.email, Phone: erasable.phone, ANTS: ants,
		Lang: "fr", BookedBy: "resident", SiteURL: "http://" + e.Host(e.Town)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileCases starts a draft and files a case with a message for u, and
// returns the draft's id.
func fileCases(t *testing.T, e *apptest.Env, u *account.User) string {
	t.Helper()
	ctx := context.Background()
	p, err := procedureweb.Of(e.App.Kernel).Store.ProcedureBySlug(ctx, e.Town.ID, "inscription-scolaire")
	if err != nil {
		t.Fatal(err)
	}
	draft, _, err := procedureweb.Of(e.App.Kernel).Store.Start(ctx, p, u.ID, erasable.email, erasable.name, "fr")
	if err != nil {
		t.Fatal(err)
	}
	answers := procedure.Answers{"nom": {Value: erasable.draftAnswer}}
	if err := procedureweb.Of(e.App.Kernel).Store.SaveDraft(ctx, draft, answers, 0, erasable.name); err != nil {
		t.Fatal(err)
	}
	filed, _, err := procedureweb.Of(e.App.Kernel).Store.Start(ctx, p, u.ID, erasable.email, erasable.name, "fr")
	if err != nil {
		t.Fatal(err)
	}
	// Filing goes through every page of the form; what matters here is a
	// case past its draft.
	if _, err := e.App.DB.Exec(ctx, `UPDATE cases SET state = ?, reference = ?, submitted_at = ? WHERE tenant_id = ? AND id = ?`,
		string(procedure.Filed), "DEM-2026-999999", procedureweb.Of(e.App.Kernel).Store.Now(), e.Town.ID, filed.ID); err != nil {
		t.Fatal(err)
	}
	filed.State = procedure.Filed
	if _, err := procedureweb.Of(e.App.Kernel).Store.AddMessage(ctx, filed, procedure.Actor{ID: u.ID, Name: erasable.name}, erasable.message, nil); err != nil {
		t.Fatal(err)
	}
	return draft.ID
}

// foundValue is a marker found in a column of a table.
type foundValue struct{ table, column, marker string }

// scanDatabase reads every row of every table and returns where each
// marker appears in a value.
func scanDatabase(t *testing.T, d *db.DB, markers []string) []foundValue {
	t.Helper()
	ctx := context.Background()
	var out []foundValue
	for _, table := range tables(t, d) {
		rows, err := d.SQL().QueryContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("scan %s: %v", table, err)
			}
			for i, v := range vals {
				text := valueText(v)
				for _, m := range markers {
					if strings.Contains(strings.ToLower(text), strings.ToLower(m)) {
						out = append(out, foundValue{table, cols[i], m})
					}
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

// tables lists the database's tables: the application's and the job
// queue's.
func tables(t *testing.T, d *db.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if d.Dialect() == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := d.SQL().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	if len(out) < 20 {
		t.Fatalf("found %d tables: the listing is broken", len(out))
	}
	return out
}
