package app_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/procedure"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// A case page's live stream, through every middleware of the server,
// outlives the server's write timeout (meant for pages): a notice sent
// after it has passed still arrives.
func TestACaseStreamOutlivesTheWriteTimeout(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, dbtest.URLs(t)[db.SQLite], apptest.WithDemoData())
	ctx := context.Background()
	var caseID, owner string
	if err := e.App.DB.QueryRow(ctx, `SELECT c.id, u.email FROM cases c JOIN users u ON u.id = c.user_id
		WHERE c.tenant_id = ? AND c.state <> 'brouillon' ORDER BY c.id LIMIT 1`, e.Town.ID).Scan(&caseID, &owner); err != nil {
		t.Fatalf("a filed case of a demo account: %v", err)
	}
	store := procedureweb.Of(e.App.Kernel).Store
	c, err := store.Case(ctx, e.Town.ID, caseID)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(e.App.Web.Handler())
	srv.Config.WriteTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	b := e.Browser(e.Town).SignInDemo(t, owner)
	b.Client.Transport = &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	b.Client.Timeout = 0
	streamCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	req, _ := http.NewRequestWithContext(streamCtx, http.MethodGet, b.URL("/dossiers/"+c.ID+"/direct"), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", res.StatusCode)
	}
	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if first := <-lines; first != "retry: 3000" {
		t.Fatalf("first line %q", first)
	}
	time.Sleep(700 * time.Millisecond) // past the write timeout
	if _, err := store.AddMessage(ctx, c, procedure.Actor{ID: "agent", Name: "Service état civil", Staff: true},
		"Votre acte est prêt.", nil); err != nil {
		t.Fatal(err)
	}
	for line := range lines {
		if line == "event: message" {
			return
		}
	}
	t.Fatal("the stream ended before the notice: cut by the write timeout")
}
