package e2e

import (
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// badPages are served only by this test, on their own port: each carries
// one defect the gate must catch.
var badPages = map[string]string{
	"/sans-etiquette": `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Champ sans étiquette</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Recherche</h1><form action="/sans-etiquette"><input type="text" name="q"><button>Chercher</button></form></main></body></html>`,
	"/trop-large": `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Trop large</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/large.css"></head>
<body><main><h1>Tableau</h1><div class="large">Contenu de 900 pixels de large</div></main></body></html>`,
	"/html-invalide": `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>HTML invalide</title></head>
<body><main><h1>Titre</h1><p>Paragraphe <div>bloc dans un paragraphe</p></main></body></html>`,
}

func serveBadPages(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	for path, body := range badPages {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(body))
		})
	}
	mux.HandleFunc("GET /large.css", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		_, _ = w.Write([]byte(".large { width: 900px; }"))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// TestGateCatchesDeliberateViolations proves the gate can fail: an input
// without a label is an axe violation with its rule, element and help link,
// a 900 px block breaks reflow, and a misnested paragraph is a Nu error.
func TestGateCatchesDeliberateViolations(t *testing.T) {
	needBrowser(t)
	base := serveBadPages(t)
	tb := newTab(t, true)

	if _, err := tb.open(base + "/sans-etiquette"); err != nil {
		t.Fatal(err)
	}
	p, err := tb.inspect()
	if err != nil {
		t.Fatal(err)
	}
	var label *violation
	for i := range p.axe {
		if p.axe[i].ID == "label" {
			label = &p.axe[i]
		}
	}
	if label == nil {
		t.Fatalf("axe missed the input without a label; found %v", p.axe)
	}
	msg := label.String()
	for _, want := range []string{"axe label", `element input: <input type="text" name="q">`, "https://dequeuniversity.com/rules/axe/"} {
		if !strings.Contains(msg, want) {
			t.Errorf("violation report lacks %q:\n%s", want, msg)
		}
	}
	if shot := tb.screenshot("deliberate-violation"); !strings.HasSuffix(shot, ".png") {
		t.Errorf("no screenshot: %s", shot)
	} else {
		os.Remove(shot) // this failure is expected: keep the folder for real ones
	}

	if _, err := tb.open(base + "/trop-large"); err != nil {
		t.Fatal(err)
	}
	if p, err := tb.inspect(); err != nil || p.reflow < 900 {
		t.Errorf("reflow check missed a 900 px block: width %d, %v", p.reflow, err)
	}

	html := newHTMLStore(t)
	for _, path := range []string{"/html-invalide", "/sans-etiquette"} {
		if _, err := tb.open(base + path); err != nil {
			t.Fatal(err)
		}
		src, err := tb.source()
		if err != nil {
			t.Fatal(err)
		}
		if err := html.add(path, src); err != nil {
			t.Fatal(err)
		}
	}
	errs, err := nuErrors(html)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs["/html-invalide"]) == 0 {
		t.Errorf("Nu checker missed the misnested paragraph: %v", errs)
	}
	if len(errs["/sans-etiquette"]) != 0 {
		t.Errorf("Nu checker flags a valid page: %v", errs["/sans-etiquette"])
	}
}
