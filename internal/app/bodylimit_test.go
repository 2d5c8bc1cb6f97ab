package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// zeros reads as n bytes of "x", without holding them.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), z.n)]
	for i := range p {
		p[i] = 'x'
	}
	z.n -= int64(len(p))
	return len(p), nil
}

// counted counts the bytes the server read of a body.
type counted struct {
	io.Reader
	n int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n += int64(n)
	return n, err
}

const boundary = "limite-de-test"

// bigMultipart is a multipart form with a few fields and a file part of
// size bytes, as a browser would send it.
func bigMultipart(fields url.Values, size int64) (io.Reader, int64) {
	var head strings.Builder
	for k, vs := range fields {
		for _, v := range vs {
			fmt.Fprintf(&head, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", boundary, k, v)
		}
	}
	fmt.Fprintf(&head, "--%s\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"gros.pdf\"\r\n"+
		"Content-Type: application/pdf\r\n\r\n", boundary)
	tail := "\r\n--" + boundary + "--\r\n"
	return io.MultiReader(strings.NewReader(head.String()), &zeros{size}, strings.NewReader(tail)),
		int64(head.Len()) + size + int64(len(tail))
}

// emptyDir fails the test when dir holds anything.
func emptyDir(t *testing.T, dir, after string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("after %s: %s left in the temporary folder", after, e.Name())
	}
}

// A large body to a form route, signed in or not, is refused with a 413
// after reading no more than the route's limit, and leaves no temporary
// file behind, whether it declares its length or not.
func TestLargeBodiesLeaveNoFileBehind(t *testing.T) {
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		resident := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		start := resident.Post("/demarches/acte-de-naissance/commencer", url.Values{})
		caseID := regexp.MustCompile(`/dossiers/([0-9a-f-]{36})`).FindStringSubmatch(start.Location)
		if caseID == nil {
			t.Fatalf("no case started: %d %q", start.Status, start.Location)
		}
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp) // where multipart parsing writes its temporary files
		handler := e.App.Web.Handler()
		const size = 40 << 20 // past the 32 MiB net/http keeps in memory
		rows := []struct {
			path, cookie string
			limit        int64
		}{
			{"/connexion", "", web.FormBody},
			{"/mot-de-passe-oublie", "", web.FormBody},
			{"/inscription", "", web.FormBody},
			{"/compte/verification", "", web.FormBody},
			{"/dossiers/" + caseID[1] + "/etape/3", resident.Cookie(account.CookieName), web.MaxBody},
			{"/signalements/nouveau", "", web.MaxBody},
		}
		for _, row := range rows {
			for _, declared := range []bool{true, false} {
				body, length := bigMultipart(url.Values{"email": {"habitant@courriel.localhost"}, "password": {"x"}}, size)
				read := &counted{Reader: body}
				req := httptest.NewRequest(http.MethodPost, "http://montclair.localhost"+row.path, read)
				req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
				req.ContentLength = -1
				if declared {
					req.ContentLength = length
				}
				if row.cookie != "" {
					req.AddCookie(&http.Cookie{Name: account.CookieName, Value: row.cookie})
				}
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				what := fmt.Sprintf("POST %s (length declared: %v)", row.path, declared)
				if rec.Code != http.StatusRequestEntityTooLarge {
					t.Errorf("%s: status %d, want 413", what, rec.Code)
				}
				if max := row.limit + 64<<10; read.n > max || (declared && read.n > 0) {
					t.Errorf("%s: the server read %d bytes", what, read.n)
				}
				emptyDir(t, tmp, what)
			}
		}
		// The refusal speaks the reader's language, as a page or as JSON.
		req := httptest.NewRequest(http.MethodPost, "http://montclair.localhost/connexion", &zeros{2 << 20})
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "<h1>Envoi trop volumineux</h1>") {
			t.Errorf("page: %d\n%s", rec.Code, rec.Body)
		}
		req = httptest.NewRequest(http.MethodPost, "http://montclair.localhost/api/v1/rendez-vous/reservations", &zeros{2 << 20})
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		req.ContentLength = 2 << 20
		rec = httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `"code":"too_large","fields":null,"message":"The data sent is too large."`) {
			t.Errorf("API: %d %s", rec.Code, rec.Body)
		}
	}, apptest.WithDemoData())
}

// Files a handler's parsing puts in temporary files are removed when the
// request ends, even when the handler parsed a copy of the request.
func TestUploadTemporaryFilesRemovedWhicheverCopyParsed(t *testing.T) {
	e := apptest.New(t, "sqlite:"+t.TempDir()+"/g.db")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	type key struct{}
	var spooled int
	e.App.Web.Uploads(web.MaxBody).Site("POST /essai-envoi", func(w http.ResponseWriter, r *http.Request) error {
		copied := r.WithContext(context.WithValue(r.Context(), key{}, true))
		if err := web.ParseMultipart(w, copied, web.MaxBody, 1<<10); err != nil {
			return err
		}
		entries, _ := os.ReadDir(tmp)
		spooled = len(entries)
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	body, length := bigMultipart(url.Values{"note": {"x"}}, 64<<10)
	req := httptest.NewRequest(http.MethodPost, "http://montclair.localhost/essai-envoi", body)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.ContentLength = length
	rec := httptest.NewRecorder()
	e.App.Web.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || spooled != 1 {
		t.Fatalf("status %d, %d temporary files during the request, want 204 and 1", rec.Code, spooled)
	}
	emptyDir(t, tmp, "the request")
}

// Every route has a body limit, small unless it takes files; the routes
// taking files are these, and a new one must be added here knowingly.
func TestEveryRouteHasABodyLimit(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, "sqlite:"+t.TempDir()+"/g.db")
	takingFiles := []string{
		"site POST /dossiers/{id}/etape/{n}", "site POST /dossiers/{id}/messages",
		"site POST /gestion/dossiers/{id}/messages", "site POST /gestion/actualites/nouvelle",
		"site POST /gestion/actualites/{id}", "platform POST /console/collectivites",
		"platform POST /console/collectivites/{id}",
		"site POST /gestion/conseil/seances/{id}/documents", "site POST /gestion/actes/nouveau", "site POST /gestion/actes/{id}",
		"site POST /gestion/urbanisme/import", "site POST /gestion/urbanisme/zones/{commune}/{label}/reglement",
		"site POST /gestion/lettre/import", "site POST /gestion/lettre/campagnes/{id}/images",
		"site POST /signalements/nouveau",
	}
	var files []string
	routes := e.App.Web.Routes()
	if len(routes) < 100 {
		t.Fatalf("only %d routes listed", len(routes))
	}
	for _, rt := range routes {
		name := rt.Host + " " + rt.Pattern
		switch {
		case rt.MaxBody <= 0 || rt.MaxBody > web.MaxBody:
			t.Errorf("%s: body limit %d", name, rt.MaxBody)
		case !rt.Files && rt.MaxBody != web.FormBody:
			t.Errorf("%s takes no file but %d bytes", name, rt.MaxBody)
		case rt.Files:
			files = append(files, name)
		}
	}
	slices.Sort(files)
	slices.Sort(takingFiles)
	if !slices.Equal(files, takingFiles) {
		t.Errorf("routes taking files:\n%v\nwant\n%v", files, takingFiles)
	}
}
