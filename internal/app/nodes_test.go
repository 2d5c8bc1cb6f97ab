package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"guichet/internal/capability/procedure"
	"guichet/internal/capability/procedure/procedureweb"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// twoNodes starts the demo on PostgreSQL and a second node on the same
// schema, as two machines behind a load balancer.
func twoNodes(t *testing.T) (a, b *apptest.Env) {
	t.Helper()
	if dbtest.PostgresURL(t) == "" {
		t.Skip("several nodes share a PostgreSQL database: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	a = apptest.New(t, dbtest.URLs(t)[db.Postgres], apptest.WithDemoData())
	return a, a.Node(t)
}

// within polls ok every few milliseconds until it holds or d has passed,
// and returns how long it took.
func within(t *testing.T, d time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// A file a resident attaches through one node is read back through the
// other, byte for byte: uploads live in the store every node reaches.
func TestAFileUploadedOnOneNodeIsDownloadedOnTheOther(t *testing.T) {
	t.Parallel()
	nodeA, nodeB := twoNodes(t)
	resident := nodeA.Browser(nodeA.Town).SignInDemo(t, "habitant@courriel.localhost")
	start := resident.Post("/demarches/acte-de-naissance/commencer", url.Values{}).WantRedirect(t, "/dossiers/")
	step := strings.TrimSuffix(start.Location, "1")
	resident.Post(step+"1", url.Values{"c.nom": {"Habitant"}, "c.prenom": {"Démo"}, "c.date_naissance": {"1990-05-12"}}).WantRedirect(t, step+"2")
	resident.Post(step+"2", url.Values{"c.type_acte": {"Extrait avec filiation"}, "c.lien": {"La personne concernée"}, "c.exemplaires": {"1"}}).
		WantRedirect(t, step+"3")
	body := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xA5, 0x00, 0x5A, 0xFF}, 40_000)...)
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	_ = w.WriteField("c.adresse", "3 place de la Mairie, 86990 Montclair-sur-Vienne")
	_ = w.WriteField("action", "suivant")
	part, _ := w.CreateFormFile("c.piece_identite", "carte-identite.pdf")
	_, _ = part.Write(body)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, resident.URL(step+"3"), &form)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := resident.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Fatalf("upload through node A: status %d", res.StatusCode)
	}
	caseID := strings.Split(strings.TrimPrefix(step, "/dossiers/"), "/")[0]
	resident.Post("/dossiers/"+caseID+"/deposer", nil).WantRedirect(t, "/dossiers/"+caseID+"/recepisse")
	onB := resident.Via(nodeB)
	page := onB.Get("/dossiers/"+caseID).Want(t, http.StatusOK).Body
	link := regexp.MustCompile(`href="(/dossiers/[^"]+/fichiers/[^"]+)" download>carte-identite.pdf`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("node B's case page lists no carte-identite.pdf:\n%s", page)
	}
	got := onB.Get(link[1]).Want(t, http.StatusOK)
	if got.Body != string(body) {
		t.Errorf("node B served %d bytes, not the %d uploaded through node A", len(got.Body), len(body))
	}
}

// A time booked through node A leaves node B's free times at once, though
// node B had just listed it; a collectivité suspended on node A answers
// 503 on node B at once, though node B had just resolved it.
func TestAChangeOnOneNodeReachesTheOtherWithin100ms(t *testing.T) {
	t.Parallel()
	nodeA, nodeB := twoNodes(t)
	ctx := context.Background()
	store := appointmentweb.Of(nodeA.App.Kernel).Store
	day := appointment.DayOf(store.Now(), nodeA.Town.Location()).AddDays(7)
	ag := &appointment.Agenda{TenantID: nodeA.Town.ID, Slug: "deux-noeuds", ServiceKey: "etat-civil", Service: "État civil",
		Name: "Cartes d'identité", Step: 20 * time.Minute, WindowDays: 30, Hold: time.Hour, Active: true,
		Types:     []appointment.Type{{Slug: "cni", Name: "Carte d'identité", Duration: 20 * time.Minute}},
		Resources: []appointment.Resource{{Name: "Guichet 1"}}}
	if err := store.CreateAgenda(ctx, ag); err != nil {
		t.Fatal(err)
	}
	if err := store.AddException(ctx, nodeA.Town.ID, &appointment.Exception{AgendaID: ag.ID, Day: day.String(),
		Start: 9 * 60, End: 10 * 60, Kind: appointment.Open, Reason: "permanence"}); err != nil {
		t.Fatal(err)
	}
	resident := nodeA.Browser(nodeA.Town).SignInDemo(t, "habitant@courriel.localhost")
	onB := resident.Via(nodeB)
	slotsPath := "/api/v1/rendez-vous/agendas/deux-noeuds/types/cni/creneaux?du=" + day.String() + "&au=" + day.String()
	starts := func(b *apptest.Browser) []string {
		var out struct {
			Slots []struct {
				Start string `json:"start"`
			} `json:"slots"`
		}
		res := b.Get(slotsPath).Want(t, http.StatusOK)
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, slot := range out.Slots {
			s = append(s, slot.Start)
		}
		return s
	}
	free := starts(onB) // node B now holds the day in its caches
	if len(free) != 3 {
		t.Fatalf("node B lists %v; want the 3 times of the hour", free)
	}
	booking, _ := json.Marshal(map[string]string{"agenda": "deux-noeuds", "type": "cni", "start": free[1],
		"name": "Habitant Démo", "phone": "0611223344"})
	req, _ := http.NewRequest(http.MethodPost, resident.URL("/api/v1/rendez-vous/reservations"), bytes.NewReader(booking))
	req.Header.Set("Content-Type", "application/json")
	res, err := resident.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("booking through node A: %d %s", res.StatusCode, answer)
	}
	took := within(t, 100*time.Millisecond, "the booked time leaves node B's list", func() bool {
		return !slices.Contains(starts(onB), free[1])
	})
	t.Logf("the booking reached node B's free times in %v", took)

	visitor := nodeB.Browser(nodeB.Village)
	visitor.Get("/").Want(t, http.StatusOK) // node B resolved the village
	if err := nodeA.App.Tenants.SetStatus(ctx, nodeA.Village.ID, tenant.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	took = within(t, 100*time.Millisecond, "node B answers 503 for the suspended village", func() bool {
		return visitor.Get("/").Status == http.StatusServiceUnavailable
	})
	t.Logf("the suspension reached node B in %v", took)
}

// The resident's case page, open on node B, hears at once that an agent
// wrote on node A: the notice crosses the nodes with the cache changes.
func TestALiveNoticeFromOneNodeReachesAPageOpenOnTheOther(t *testing.T) {
	t.Parallel()
	nodeA, nodeB := twoNodes(t)
	resident := nodeA.Browser(nodeA.Town).SignInDemo(t, "habitant@courriel.localhost")
	start := resident.Post("/demarches/acte-de-naissance/commencer", url.Values{}).WantRedirect(t, "/dossiers/")
	caseID := strings.Split(strings.TrimPrefix(start.Location, "/dossiers/"), "/")[0]
	store := procedureweb.Of(nodeA.App.Kernel).Store
	ctx := context.Background()
	c, err := store.Case(ctx, nodeA.Town.ID, caseID)
	if err != nil {
		t.Fatal(err)
	}
	c.State = procedure.Filed // as if filed: the page of a draft has no notices
	if _, err := nodeA.App.DB.Exec(ctx, `UPDATE cases SET state = ? WHERE id = ?`, string(procedure.Filed), caseID); err != nil {
		t.Fatal(err)
	}
	onB := resident.Via(nodeB)
	onB.Get("/dossiers/"+caseID).Want(t, http.StatusOK).WantBody(t, `id="dossier-direct"`, `data-source="/dossiers/`+caseID+`/direct"`)

	req, _ := http.NewRequest(http.MethodGet, onB.URL("/dossiers/"+caseID+"/direct"), nil)
	req.Header.Set("Accept-Encoding", "gzip") // as a browser: a stream is never held back to be compressed
	streamCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	res, err := onB.Client.Do(req.WithContext(streamCtx))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" ||
		res.Header.Get("Content-Encoding") != "" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("stream on node B: %d %v", res.StatusCode, res.Header)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; first != "retry: 3000" { // the stream is open: node B subscribed
		t.Fatalf("first line %q", first)
	}
	sent := time.Now()
	if _, err := store.AddMessage(ctx, c, procedure.Actor{ID: "agent", Name: "Service état civil", Staff: true},
		"Votre acte est prêt.", nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended before the notice")
			}
			if line == "event: message" {
				t.Logf("the notice reached the page on node B in %v", time.Since(sent))
				return
			}
		case <-deadline:
			t.Fatal("no notice on node B within a second")
		}
	}
}

// A collectivité created through one node answers on the other at once,
// though the other had just been asked for its host.
func TestACollectivitéCreatedOnOneNodeAnswersOnTheOther(t *testing.T) {
	t.Parallel()
	nodeA, nodeB := twoNodes(t)
	visitor := nodeB.BrowserFor("nouvelle.localhost")
	visitor.Get("/").Want(t, http.StatusNotFound) // an unknown host, remembered as such
	if _, err := nodeA.App.Tenants.Create(context.Background(), tenant.Tenant{Slug: "nouvelle", Name: "Commune nouvelle"}); err != nil {
		t.Fatal(err)
	}
	took := within(t, 100*time.Millisecond, "the new collectivité answers on node B", func() bool {
		return visitor.Get("/").Status == http.StatusOK
	})
	t.Logf("answered on node B after %v", took)
}
