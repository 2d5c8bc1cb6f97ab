package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/queue/queueweb"
)

// waitFor evaluates js in tb until it returns true, and returns how long
// that took; it fails the test past limit.
func waitFor(t *testing.T, tb *tab, what, js string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < limit {
		if ok, err := eval[bool](tb, js); err == nil && ok {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: not after %v\n    screenshot %s", what, limit, tb.screenshot("queue-"+strings.ReplaceAll(what, " ", "-")))
	return 0
}

// click clicks the element selector and waits for the page it leads to.
func click(t *testing.T, tb *tab, selector string) {
	t.Helper()
	if _, err := tb.navigateBy(`document.querySelector(` + quote(selector) + `).click()`); err != nil {
		t.Fatalf("click %s at %s: %v\n    screenshot %s", selector, tb.location(), err, tb.screenshot("queue-click"))
	}
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// smallTargets lists the visible controls of the page under 44×44 CSS
// pixels (RGAA 13.x and WCAG 2.5.5's size for touch).
func smallTargets(t *testing.T, tb *tab) []string {
	t.Helper()
	small, err := eval[[]string](tb, `[...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')]
		.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })
		.filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
		.map(e => { const r = e.getBoundingClientRect(); return (e.id || e.name || e.textContent.trim().slice(0, 30)) + ' ' + Math.round(r.width) + '×' + Math.round(r.height); })`)
	if err != nil {
		t.Fatal(err)
	}
	return small
}

// TestQueueStoryInBrowser is the queue's acceptance story in Chromium: a
// kiosk takes a ticket, an agent calls it and the board shows the call
// within a second; a remote ticket sees its place change live; a
// resident with today's appointment checks in at the kiosk and is called
// first. Every kiosk page's touch targets are at least 44×44 px.
func TestQueueStoryInBrowser(t *testing.T) {
	needBrowser(t)
	srv := startMailServer(t)
	ctx := t.Context()
	store := queueweb.Of(srv.app.Kernel).Store
	town, err := srv.app.Tenants.BySlug(ctx, "montclair")
	if err != nil {
		t.Fatal(err)
	}
	site, err := store.Site(ctx, town.ID, "mairie")
	if err != nil {
		t.Fatal(err)
	}
	kiosks, err := store.Kiosks(ctx, town.ID)
	if err != nil || len(kiosks) == 0 {
		t.Fatalf("no demo kiosk: %v", err)
	}
	kioskURL := srv.url("/borne/" + store.KioskHandle(kiosks[0]))
	social := site.Services[2]
	// The demo's people waiting for the social service have left: the
	// kiosk's ticket will be the first of its queue.
	if _, err := srv.app.DB.Exec(ctx, `UPDATE queue_tickets SET state = 'cancelled' WHERE service_id = ? AND state = 'waiting'`, social.ID); err != nil {
		t.Fatal(err)
	}

	// The board, open before anything happens, as on the hall's screen.
	board := newTab(t, true)
	if _, err := board.open(srv.url("/file-attente/mairie/ecran")); err != nil {
		t.Fatal(err)
	}
	checkPage(t, board, "queue board")
	waitFor(t, board, "board stream", `document.querySelector('.board-main').dataset.live === 'open'`, 5*time.Second)

	// The kiosk: its pages, checked and measured, then a ticket.
	kiosk := newTab(t, true)
	for _, p := range []string{"/informations", "/rendez-vous", ""} {
		if _, err := kiosk.open(kioskURL + p); err != nil {
			t.Fatal(err)
		}
		checkPage(t, kiosk, "queue kiosk"+p)
		if small := smallTargets(t, kiosk); len(small) > 0 {
			t.Errorf("kiosk %s: targets under 44×44 px: %v", p, small)
		}
	}
	click(t, kiosk, `button[name=service][value="`+social.ID+`"]`)
	checkPage(t, kiosk, "queue kiosk ticket")
	if small := smallTargets(t, kiosk); len(small) > 0 {
		t.Errorf("kiosk ticket: targets under 44×44 px: %v", small)
	}
	kioskLabel, err := eval[string](kiosk, `document.querySelector('.kiosk-number').textContent`)
	if err != nil || !strings.HasPrefix(kioskLabel, social.Letter) {
		t.Fatalf("kiosk ticket %q (%v)", kioskLabel, err)
	}

	// A phone joins the same queue: one person before it.
	phone := newTab(t, true)
	if _, err := phone.open(srv.url("/file-attente/mairie")); err != nil {
		t.Fatal(err)
	}
	fill(t, phone, map[string]string{"service": social.ID}, `form[action$="/tickets"] button[type=submit]`)
	wantText(t, phone, "1 personne avant vous")
	checkPage(t, phone, "queue remote ticket")
	// Its stream is open before the call.
	waitFor(t, phone, "phone stream", `document.getElementById('ticket').dataset.live === 'open'`, 5*time.Second)

	// An agent opens Guichet 2 for the social service and calls.
	agent := newTab(t, true)
	signInOn(t, agent, srv, "urbanisme@montclair.localhost", true)
	if _, err := agent.open(srv.url(queueweb.ConsolePath)); err != nil {
		t.Fatal(err)
	}
	counter := site.Counters[1]
	fill(t, agent, map[string]string{"services": social.ID}, `form[action$="/`+counter.ID+`/ouvrir"] button[type=submit]`)
	checkPage(t, agent, "queue console")
	click(t, agent, `button[data-shortcut="n"]`)
	seen := waitFor(t, board, "the board shows the call",
		`[...document.querySelectorAll('#ecran-appels .board-ticket')].some(e => e.textContent === `+quote(kioskLabel)+`)`, time.Second)
	t.Logf("the board showed %s %v after the agent's page came back", kioskLabel, seen)
	announced, _ := eval[string](board, `document.getElementById('ecran-annonce').textContent`)
	if !strings.Contains(announced, kioskLabel) || !strings.Contains(announced, counter.Name) {
		t.Errorf("the live region says %q", announced)
	}
	waitFor(t, phone, "the phone is next", `document.getElementById('ticket-statut').textContent.includes('prochaine personne')`, 5*time.Second)

	// Today's appointment, due now, at the état civil's agenda.
	now := srv.app.Now()
	start := now.Add(-time.Minute)
	if start.In(town.Location()).Day() != now.In(town.Location()).Day() {
		start = now
	}
	var ref string
	if err := srv.app.DB.QueryRow(ctx, `SELECT b.reference FROM appointment_bookings b JOIN appointment_agendas a ON a.id = b.agenda_id
		WHERE b.tenant_id = ? AND a.service_key = 'etat-civil' ORDER BY b.starts_at LIMIT 1`, town.ID).Scan(&ref); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.app.DB.Exec(ctx, `UPDATE appointment_bookings SET starts_at = ?, ends_at = ?, status = 'booked' WHERE tenant_id = ? AND reference = ?`,
		start.UTC(), start.Add(20*time.Minute).UTC(), town.ID, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := kiosk.open(kioskURL + "/rendez-vous"); err != nil {
		t.Fatal(err)
	}
	// The scanner types the code read from the email's QR code, then Enter.
	fill(t, kiosk, map[string]string{"reference": ref}, `form[action$="/rendez-vous"] button[type=submit]`)
	wantText(t, kiosk, "Votre arrivée est enregistrée")
	apptLabel, _ := eval[string](kiosk, `document.querySelector('.kiosk-number').textContent`)

	// The état civil agent at Guichet 1 (A and B): people of A waited
	// longer, the appointment is called first.
	clerk := newTab(t, true)
	signInOn(t, clerk, srv, "etat-civil@montclair.localhost", true)
	if _, err := clerk.open(srv.url("/gestion/accueil/guichets/" + site.Counters[0].ID)); err != nil {
		t.Fatal(err)
	}
	click(t, clerk, `button[data-shortcut="n"]`)
	wantText(t, clerk, apptLabel, "rendez-vous "+ref)
	waitFor(t, board, "the board shows the appointment",
		`[...document.querySelectorAll('#ecran-appels .board-ticket')].some(e => e.textContent === `+quote(apptLabel)+`)`, time.Second)

	// The kiosk warns after its idle delay, then returns home by itself
	// in French (the delay shortened here to a second).
	if _, err := srv.app.DB.Exec(ctx, `UPDATE queue_kiosks SET idle_seconds = 1 WHERE id = ?`, kiosks[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := kiosk.open(srv.url("/langue/en?suite=" + strings.TrimPrefix(kioskURL, srv.url("")) + "/informations")); err != nil {
		t.Fatal(err)
	}
	wantText(t, kiosk, "Practical information")
	waitFor(t, kiosk, "the idle warning", `document.getElementById('borne-inactivite').open`, 3*time.Second)
	if _, err := eval[bool](kiosk, `document.querySelector('#borne-inactivite button').click(); true`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, kiosk, "the warning closed", `!document.getElementById('borne-inactivite').open`, time.Second)
	waitFor(t, kiosk, "the kiosk back home in French", `location.href === `+quote(kioskURL)+` && document.documentElement.lang === 'fr'`, 8*time.Second)
}
