package tenantweb_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

func TestConsoleCreatesEditsAndSuspends(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		op.Get("/console").Want(t, http.StatusOK).WantBody(t, "Ville de Montclair-sur-Vienne")
		// Field by field errors, then a valid tenant.
		bad := op.Post("/console/collectivites", url.Values{"slug": {"Mauvais Identifiant"}, "name": {""},
			"kind": {"commune"}, "time_zone": {"Europe/Paris"}, "color_primary": {"#ffff00"}, "color_accent": {"#8a2b0e"}})
		bad.Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-slug"`, `href="#champ-name"`, `href="#champ-color_primary"`)
		op.Post("/console/collectivites", url.Values{"slug": {"lerouet"}, "name": {"Commune du Rouet"},
			"kind": {"commune"}, "time_zone": {"Europe/Paris"}, "color_primary": {"#1d4f91"}, "color_accent": {"#8a2b0e"},
			"languages": {"fr"}}).WantRedirect(t, "/console?ok=cree")
		e.BrowserFor("lerouet.localhost").Get("/").Want(t, http.StatusOK).WantBody(t, "Commune du Rouet")
		// Suspension takes the site offline at once.
		op.Post("/console/collectivites/"+e.Village.ID+"/statut", url.Values{"status": {"suspended"}}).
			WantRedirect(t, "/console?ok=statut")
		e.Browser(e.Village).Get("/").Want(t, http.StatusServiceUnavailable)
		// Signed out, the console sends to the sign-in page.
		e.BrowserFor("localhost").Get("/console").Want(t, http.StatusSeeOther)
	}, apptest.WithDemoData())
}

func multipartForm(t *testing.T, fields map[string]string, file string, data []byte) (io.Reader, string) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, err := w.CreateFormFile("logo", file)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	return &body, w.FormDataContentType()
}

func TestConsoleLogoUpload(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		op := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		fields := map[string]string{"slug": e.Town.Slug, "name": e.Town.Name, "kind": "commune", "insee": e.Town.INSEE,
			"siret": e.Town.SIRET, "time_zone": "Europe/Paris", "color_primary": "#1d4f91", "color_accent": "#8a2b0e",
			"languages": "fr,en"}
		post := func(file string, data []byte) *http.Response {
			body, ct := multipartForm(t, fields, file, data)
			req, _ := http.NewRequest("POST", op.URL("/console/collectivites/"+e.Town.ID), body)
			req.Header.Set("Content-Type", ct)
			res, err := op.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { res.Body.Close() })
			return res
		}
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
		if res := post("logo.svg", svg); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("an SVG logo: status %d, want 422", res.StatusCode)
		}
		var img bytes.Buffer
		_ = png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 8, 8)))
		if res := post("logo.png", img.Bytes()); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a PNG logo: status %d", res.StatusCode)
		}
		home := e.Browser(e.Town).Get("/").Want(t, http.StatusOK)
		if !strings.Contains(home.Body, `<img src="/logo?v=`) {
			t.Fatal("the home page does not show the logo")
		}
		logo := e.Browser(e.Town).Get("/logo").Want(t, http.StatusOK)
		if logo.Header.Get("Content-Type") != "image/png" || logo.Body != img.String() {
			t.Fatalf("logo served as %q", logo.Header.Get("Content-Type"))
		}
		e.Browser(e.Village).Get("/logo").Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}
