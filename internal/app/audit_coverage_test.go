package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/capability/questions/questionsweb"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
)

// auditRow is one staff action on personal data and the audit entry it
// must leave: who, which record, when and from where.
type auditRow struct {
	name string
	// as is "town-admin" (the town's administrator, who holds every role
	// of the town) or "operator" (on the platform's host).
	as     string
	method string
	// target returns the path to request and a text the entry's target
	// must contain (the record acted on).
	target func(t *testing.T, e *apptest.Env) (path, record string)
	form   url.Values
	status int
	action string
}

func fixedPath(p string) func(*testing.T, *apptest.Env) (string, string) {
	return func(*testing.T, *apptest.Env) (string, string) { return p, "" }
}

// onTownCase returns the path prefix+case id+suffix for the demo
// resident's first case, its id being the record.
func onTownCase(prefix, suffix string) func(*testing.T, *apptest.Env) (string, string) {
	return func(t *testing.T, e *apptest.Env) (string, string) {
		c := townCases(t, e, e.Town)[0]
		return prefix + c.ID + suffix, c.ID
	}
}

var auditRows = []auditRow{
	{"case list", "town-admin", "GET", fixedPath("/gestion/dossiers?etat=depose"), nil, 200, "procedure.inbox_viewed"},
	{"case list through the API", "town-admin", "GET", fixedPath("/api/v1/gestion/dossiers"), nil, 200, "procedure.inbox_viewed"},
	{"a case read", "town-admin", "GET", onTownCase("/gestion/dossiers/", ""), nil, 200, "procedure.case_viewed"},
	{"a case file downloaded", "town-admin", "GET", townCaseFileForAgent, nil, 200, "procedure.file_downloaded"},
	{"a decision letter downloaded", "town-admin", "GET", townDecision, nil, 200, "procedure.decision_downloaded"},
	{"cases exported as CSV", "town-admin", "GET", townCaseExport, nil, 200, "procedure.export"},
	{"a message to the applicant", "town-admin", "POST", onTownCase("/gestion/dossiers/", "/messages"),
		url.Values{"body": {"Merci de joindre un justificatif."}}, 303, "procedure.message_sent"},
	{"a case assigned", "town-admin", "POST", onTownCase("/gestion/dossiers/", "/attribuer"),
		url.Values{"assignee": {""}}, 303, "procedure.assigned"},
	{"a case labelled", "town-admin", "POST", onTownCase("/gestion/dossiers/", "/etiquettes"),
		url.Values{"label": {"à rappeler"}}, 303, "procedure.labelled"},
	{"cases changed together", "town-admin", "POST", onTownCase("/gestion/dossiers/lot?ids=", ""),
		url.Values{"bulk": {"label"}, "label": {"lot"}}, 303, "procedure.bulk"},
	{"a day's bookings", "town-admin", "GET", fixedPath("/gestion/rendez-vous/passeports-cni/jour"), nil, 200, "appointment.day_viewed"},
	{"a week's bookings", "town-admin", "GET", fixedPath("/gestion/rendez-vous/passeports-cni/semaine"), nil, 200, "appointment.week_viewed"},
	{"the printable list", "town-admin", "GET", fixedPath("/gestion/rendez-vous/passeports-cni/impression"), nil, 200, "appointment.print_viewed"},
	{"a booking's status", "town-admin", "POST", townBookingStatus, url.Values{"status": {appointment.StatusArrived}}, 303, "appointment.arrived"},
	{"a booking for a caller", "town-admin", "POST", fixedPath("/gestion/rendez-vous/passeports-cni/reserver"), nil, 303, "appointment.booked_for"},
	{"an event's registrations", "town-admin", "GET", townEventWithRegistration, nil, 200, "events.registrations_viewed"},
	{"the pending questions", "town-admin", "GET", fixedPath("/gestion/questions"), nil, 200, "content.questions_viewed"},
	{"a question read", "town-admin", "GET", askedQuestion(""), nil, 200, "content.question_viewed"},
	{"a question answered", "town-admin", "POST", askedQuestion(""),
		url.Values{"answer": {"Le marché a lieu le samedi."}, "action": {"publish"}}, 303, "content.question_published"},
	{"a member's roles changed", "town-admin", "POST", editorMember, url.Values{"roles": {"editor"}}, 303, "staff.roles_changed"},
	{"the audit log exported", "town-admin", "GET", fixedPath("/gestion/journal/export.csv"), nil, 200, "staff.audit_exported"},
	{"a staff member's data export", "town-admin", "GET", fixedPath("/compte/donnees"), nil, 200, "account.data_exported"},
	{"the outbox", "operator", "GET", fixedPath("/console/courriels"), nil, 200, "mail.outbox_viewed"},
	{"an email read", "operator", "GET", outboxMessage, nil, 200, "mail.message_viewed"},
	{"a collectivité's status", "operator", "POST", villageStatus, url.Values{"status": {tenant.StatusActive}}, 303, "platform.tenant_status"},
}

// Every staff action on personal data leaves an entry naming the staff
// member, the record, the time and the address it came from, and the
// chains still verify afterwards.
func TestStaffActionsOnPersonalDataAreAudited(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		browsers := map[string]*apptest.Browser{
			"town-admin": e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost"),
			"operator":   e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost"),
		}
		emails := map[string]string{"town-admin": "admin@montclair.localhost", "operator": "operateur@guichet.localhost"}
		tenants := map[string]*tenant.Tenant{"town-admin": e.Town, "operator": e.Platform}
		for _, row := range auditRows {
			t.Run(row.name, func(t *testing.T) {
				path, record := row.target(t, e)
				form := row.form
				if row.action == "appointment.booked_for" {
					form = callerBooking(t, e)
				}
				tn := tenants[row.as]
				last := lastSeq(t, e, tn.ID)
				res := browsers[row.as].Do(row.method, path, form, nil)
				if res.Status != row.status {
					t.Fatalf("%s %s: status %d, want %d\n%.600s", row.method, path, res.Status, row.status, res.Body)
				}
				entry := findEntry(t, e, tn.ID, last, row.action)
				if entry == nil {
					t.Fatalf("%s %s left no %q entry in the audit log", row.method, path, row.action)
				}
				if entry.Actor != emails[row.as] || entry.ActorID == "" || entry.IP != "127.0.0.1" || entry.UserAgent == "" ||
					entry.At.Before(e.App.Staff.Now().Add(-time.Minute)) || !strings.Contains(entry.Target, record) {
					t.Fatalf("entry %+v: want the actor %s, the address, the time and the record %q", entry, emails[row.as], record)
				}
			})
		}
		for _, tn := range []*tenant.Tenant{e.Town, e.Platform} {
			st, err := e.App.Staff.VerifyChain(context.Background(), tn.ID)
			if err != nil || !st.Intact() || st.Entries == 0 {
				t.Fatalf("chain of %s after the actions: %+v, %v", tn.Slug, st, err)
			}
		}
	}, apptest.WithDemoData())
}

func lastSeq(t *testing.T, e *apptest.Env, tenantID string) int64 {
	t.Helper()
	entries, _, err := e.App.Staff.Audit(context.Background(), tenantID, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return 0
	}
	return entries[0].Seq
}

// findEntry returns the first entry with action written after place last.
func findEntry(t *testing.T, e *apptest.Env, tenantID string, last int64, action string) *staff.Entry {
	t.Helper()
	var found *staff.Entry
	err := e.App.Staff.EachEntry(context.Background(), tenantID, func(en *staff.Entry) error {
		if found == nil && en.Seq > last && en.Action == action {
			found = en
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func townCaseFileForAgent(t *testing.T, e *apptest.Env) (string, string) {
	c := townCases(t, e, e.Town)[0]
	fs, err := procedureStore(t, e).CaseFiles(context.Background(), e.Town.ID, c.ID)
	if err != nil || len(fs) == 0 {
		t.Fatalf("no file on the demo case: %v", err)
	}
	return "/gestion/dossiers/" + c.ID + "/fichiers/" + fs[0].ID, fs[0].ID
}

func townDecision(t *testing.T, e *apptest.Env) (string, string) {
	for _, c := range townCases(t, e, e.Town) {
		if c.State.Closed() {
			return "/gestion/dossiers/" + c.ID + "/decision.pdf", c.ID
		}
	}
	t.Fatal("no closed case in the town's demo")
	return "", ""
}

func townCaseExport(t *testing.T, e *apptest.Env) (string, string) {
	path, _ := townExport(t, e, e.Town)
	id, _ := strings.CutPrefix(path, "/gestion/dossiers/export?demarche=")
	return path, id
}

func townBookingStatus(t *testing.T, e *apptest.Env) (string, string) {
	b := findTownBooking(t, e, e.Town)
	return "/gestion/rendez-vous/passeports-cni/reservations/" + b.ID + "/statut", b.Reference
}

// callerBooking is the form of a booking an agent takes by phone, on the
// first free time of the passport agenda.
func callerBooking(t *testing.T, e *apptest.Env) url.Values {
	t.Helper()
	ctx := context.Background()
	a, err := appointmentweb.Of(e.App.Kernel).Store.Agenda(ctx, e.Town.ID, "passeports-cni")
	if err != nil {
		t.Fatal(err)
	}
	loc := e.Town.Location()
	today := appointment.DayOf(appointmentweb.Of(e.App.Kernel).Store.Now(), loc)
	slots, _, err := appointmentweb.Of(e.App.Kernel).Store.Free(ctx, a, loc, a.Type("passeport-cni"), today.AddDays(1), today.AddDays(30))
	if err != nil || len(slots) == 0 {
		t.Fatalf("no free slot in the town: %v", err)
	}
	return url.Values{"type": {"passeport-cni"}, "debut": {slots[0].Start.Format(time.RFC3339)}, "name": {"Appelant Témoin"},
		"email": {"appelant@courriel.localhost"}, "phone": {"06 00 00 00 42"}, "ants": {"APPEL00042"}}
}

func townEventWithRegistration(t *testing.T, e *apptest.Env) (string, string) {
	ev := firstTownEvent(t, e, e.Town)
	if !ev.Registration {
		t.Fatalf("the town's test event takes no registration")
	}
	return "/gestion/agenda/" + ev.ID, ev.ID
}

// askedQuestion asks a new question and returns its back-office page.
func askedQuestion(suffix string) func(*testing.T, *apptest.Env) (string, string) {
	return func(t *testing.T, e *apptest.Env) (string, string) {
		q, err := questionsweb.Of(e.App.Kernel).Store.Ask(context.Background(), e.Town.ID, "", "Camille Habitante", "camille@courriel.localhost",
			"Quel jour a lieu le marché ?", "", "http://montclair.localhost", "fr")
		if err != nil {
			t.Fatal(err)
		}
		return "/gestion/questions/" + q.ID + suffix, q.ID
	}
}

func editorMember(t *testing.T, e *apptest.Env) (string, string) {
	u, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, "communication@montclair.localhost")
	if err != nil {
		t.Fatal(err)
	}
	return "/gestion/equipe/" + u.ID, "communication@montclair.localhost"
}

func outboxMessage(t *testing.T, e *apptest.Env) (string, string) {
	list, _, err := e.App.Mail.ListAll(context.Background(), 0, 1)
	if err != nil || len(list) == 0 {
		t.Fatalf("no message in the outbox: %v", err)
	}
	return "/console/courriels/" + list[0].TenantID + "/" + list[0].ID, list[0].ID
}

func villageStatus(t *testing.T, e *apptest.Env) (string, string) {
	return "/console/collectivites/" + e.Village.ID + "/statut", e.Village.ID
}
