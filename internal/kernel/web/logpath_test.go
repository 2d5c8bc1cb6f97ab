package web

import "testing"

// Logged paths keep no secret of an emailed link: the wildcards of the
// route that hold one, or, on a path no route matched, any segment long
// enough to be one.
func TestMaskPath(t *testing.T) {
	t.Parallel()
	const tok = "Zk3vQpL9xW2mN8rT4yH6jB1cD5fG7aS0eU-iO_pKlMn"
	for _, c := range []struct{ pattern, path, want string }{
		{"GET /rendez-vous/gerer/{token}", "/rendez-vous/gerer/" + tok, "/rendez-vous/gerer/•••"},
		{"GET /rendez-vous/gerer/{token}/confirmer/{code}", "/rendez-vous/gerer/" + tok + "/confirmer/abcd", "/rendez-vous/gerer/•••/confirmer/•••"},
		{"POST /dossiers/{id}/acces/{token}", "/dossiers/0194a3c2-7d1e-7c4b-9a55-3f1e2d3c4b5a/acces/" + tok,
			"/dossiers/0194a3c2-7d1e-7c4b-9a55-3f1e2d3c4b5a/acces/•••"},
		{"GET /actualites/{slug}", "/actualites/une-tres-longue-actualite-du-jour", "/actualites/une-tres-longue-actualite-du-jour"},
		{"/static/", "/static/app.0123456789abcdef.css", "/static/app.0123456789abcdef.css"},
		{"", "/rendez-vous/gerer/" + tok + "/inconnu", "/rendez-vous/gerer/•••/inconnu"},
		{"", "/dossiers/0194a3c2-7d1e-7c4b-9a55-3f1e2d3c4b5a/x", "/dossiers/0194a3c2-7d1e-7c4b-9a55-3f1e2d3c4b5a/x"},
		{"", "/", "/"},
	} {
		if got := maskPath(c.pattern, c.path); got != c.want {
			t.Errorf("maskPath(%q, %q) = %q, want %q", c.pattern, c.path, got, c.want)
		}
	}
}
