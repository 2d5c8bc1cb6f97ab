package urbanismweb_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel/pdf"
)

func realFile(t *testing.T, name string) apptest.File {
	t.Helper()
	body, err := os.ReadFile("../testdata/real/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return apptest.File{Field: "file", Name: name[strings.LastIndex(name, "/")+1:], Body: body}
}

var tileLink = regexp.MustCompile(`href="(/urbanisme/carte\?secteur=[A-Z][0-9]+)"`)

// TestAdministratorImportsAndResidentFindsAParcel: the village's
// administrator imports the real cadastre, address list and PLU through
// the back office (a broken file changes nothing, the same plan again
// changes nothing either); a resident finds a parcel by
// reference, by a point and on the atlas, reads its sheet, and the
// zones with the regulation the administrator wrote and uploaded.
func TestAdministratorImportsAndResidentFindsAParcel(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		// The demo village has its PLU online, and no cadastre yet.
		admin := e.Browser(e.Village).SignInDemo(t, "mairie@sauvigny.localhost")
		visitor := e.Browser(e.Village)
		visitor.Get("/urbanisme?section=AA&numero=30").Want(t, http.StatusOK).WantBody(t, "Aucun résultat.")

		broken := realFile(t, "cadastre/cadastre-69114-parcelles.json.gz")
		broken.Body = broken.Body[:len(broken.Body)/2]
		admin.PostFiles("/gestion/urbanisme/import", url.Values{"source": {"cadastre"}}, broken).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-file"`)
		admin.PostFiles("/gestion/urbanisme/import", url.Values{"source": {"cadastre"},
			"attribution": {"DGFiP / Etalab, cadastre 2024"}}, realFile(t, "cadastre/cadastre-69114-parcelles.json.gz")).
			Want(t, http.StatusOK).WantBody(t, "Le fichier est importé.", "6032 ajoutés, 0 modifiés, 0 inchangés, 0 retirés")
		admin.PostFiles("/gestion/urbanisme/import", url.Values{"source": {"adresses"}}, realFile(t, "bal/adresses-54084.csv.gz")).
			Want(t, http.StatusOK).WantBody(t, "486 ajoutés")

		visitor.Get("/urbanisme?section=&numero=trente").Want(t, http.StatusOK).
			WantBody(t, `href="#champ-section"`, `href="#champ-numero"`, "Erreur dans la recherche de parcelle")
		visitor.Get("/urbanisme?section=aa&numero=30").WantRedirect(t, "/urbanisme/parcelles/69114000AA0030")
		visitor.Get("/urbanisme/point?lon=4.6545&lat=45.9758").WantRedirect(t, "/urbanisme/parcelles/69114000AA0030")
		visitor.Get("/urbanisme/point?lon=2&lat=47").Want(t, http.StatusNotFound)
		sheet := visitor.Get("/urbanisme/parcelles/69114000AA0030").Want(t, http.StatusOK)
		sheet.WantBody(t, "<h1>Parcelle AA 30</h1>", "43\u202f570\u00a0m²", `aria-label="Parcelle AA 22"`,
			`href="/urbanisme/parcelles/69114000AA0022"`, "Aucune zone du plan local d&#39;urbanisme en ligne",
			"DGFiP / Etalab, cadastre 2024")
		visitor.Get("/urbanisme/parcelles/69114000ZZ9999").Want(t, http.StatusNotFound)

		// An address of the list, where no imported parcel lies.
		visitor.Get("/urbanisme?adresse=1+rue+joffre").Want(t, http.StatusOK).
			WantBody(t, "1 adresse trouvée", `href="/urbanisme/adresses/54084_0200_00001"`, "1 Rue Joffre, Mont-Bonvillers")
		visitor.Get("/urbanisme/adresses/54084_0200_00001").Want(t, http.StatusNotFound).WantBody(t, "Aucune parcelle du cadastre importé")

		atlas := visitor.Get("/urbanisme/carte").Want(t, http.StatusOK)
		tile := tileLink.FindStringSubmatch(atlas.Body)
		if tile == nil {
			t.Fatalf("no sector on the atlas:\n%s", atlas.Body[:2000])
		}
		visitor.Get(strings.ReplaceAll(tile[1], "&amp;", "&")).Want(t, http.StatusOK).WantBody(t, `href="/urbanisme/parcelles/69114`)
		visitor.Get("/urbanisme/carte?secteur=Z99").Want(t, http.StatusNotFound)

		admin.PostFiles("/gestion/urbanisme/import", url.Values{"source": {"plu"}}, realFile(t, "plu/25392_ZONE_URBA.geojson.gz")).
			Want(t, http.StatusOK).WantBody(t, "0 ajoutés, 0 modifiés, 17 inchangés, 0 retirés")
		visitor.Get("/urbanisme/zones").Want(t, http.StatusOK).WantBody(t, `href="/urbanisme/zones/25392/U"`, "zone naturelle")
		visitor.Get("/urbanisme/zones/25392/U/reglement.pdf").Want(t, http.StatusNotFound)
		admin.Post("/gestion/urbanisme/zones/25392/U", url.Values{"summary": {"Hauteur **9 mètres** au plus."}}).
			WantRedirect(t, "/gestion/urbanisme/zones/25392/U?enregistre=1")
		admin.PostFiles("/gestion/urbanisme/zones/25392/U/reglement", nil,
			apptest.File{Field: "file", Name: "reglement.txt", Body: []byte("pas un PDF")}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "Choisissez un fichier PDF.")
		var w pdf.Writer
		doc := w.New("Règlement de la zone U")
		doc.Paragraphs("Les constructions nouvelles respectent une hauteur de 9 mètres.")
		body, err := doc.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		admin.PostFiles("/gestion/urbanisme/zones/25392/U/reglement", nil,
			apptest.File{Field: "file", Name: "reglement-U.pdf", Body: body}).WantRedirect(t, "/gestion/urbanisme/zones/25392/U")
		visitor.Get("/urbanisme/zones/25392/U").Want(t, http.StatusOK).
			WantBody(t, "Hauteur <strong>9 mètres</strong> au plus.", `href="/urbanisme/zones/25392/U/reglement.pdf"`)
		res := visitor.Get("/urbanisme/zones/25392/U/reglement.pdf").Want(t, http.StatusOK)
		if res.Body != string(body) || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("regulation served as %q, %d bytes", res.Header.Get("Content-Disposition"), len(res.Body))
		}
		// The town, whose demo has its own plan, has none of it.
		e.Browser(e.Town).Get("/urbanisme/zones/25392/U").Want(t, http.StatusNotFound)
		e.Browser(e.Town).Get("/urbanisme/zones/25392/U/reglement.pdf").Want(t, http.StatusNotFound)
	}, apptest.WithDemoData())
}
