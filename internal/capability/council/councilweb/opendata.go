package councilweb

import (
	"bytes"
	"encoding/csv"
	"net/http"

	"guichet/internal/capability/council"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
)

// CatalogueColumns are the columns of the SCDL catalogue schema 0.1.3.
var CatalogueColumns = []string{"COLL_NOM", "COLL_SIRET", "ID", "TITRE", "DESCRIPTION", "THEME", "PRODUCTEUR_NOM",
	"PRODUCTEUR_SIRET", "COUV_SPAT_MAILLE", "COUV_SPAT_NOM", "COUV_TEMP_DEBUT", "COUV_TEMP_FIN", "DATE_PUBL", "FREQ_MAJ",
	"DATE_MAJ", "MOTS_CLES", "LICENCE", "NOMBRE_RESSOURCES", "FORMAT_RESSOURCES", "URL"}

func (m *Module) publisher(r *http.Request) council.Publisher {
	t := tenantOf(r)
	return council.Publisher{Name: t.Name, SIRET: t.SIRET, BaseURL: m.baseURL(r)}
}

// dataPage describes the collectivité's open data and links each file.
func (m *Module) dataPage(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	type span struct {
		first, last string
		total       int
	}
	d, err := invalidate.Memoized(m.cache, t.ID, "data", func() (span, error) {
		first, last, err := m.store.LastPublished(r.Context(), t.ID)
		if err != nil {
			return span{}, err
		}
		_, total, err := m.store.PublicActs(r.Context(), t.ID, m.today(r), council.ActFilter{Kind: council.Deliberation, Limit: 1})
		return span{first, last, total}, err
	})
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("council.data.title")
	p.Data = map[string]any{"Count": d.total, "First": d.first, "Last": d.last, "Base": m.baseURL(r), "HasSIRET": t.SIRET != ""}
	m.s.Render.PageData(w, r, "council/data", p)
	return nil
}

// deliberationsCSV is the SCDL délibérations export, at a stable
// address open-data portals harvest.
func (m *Module) deliberationsCSV(w http.ResponseWriter, r *http.Request) error {
	p := m.publisher(r)
	// Harvested by portals: written once per pageTTL and address.
	doc, err := invalidate.Memoized(m.cache, tenantOf(r).ID, "scdl|"+p.BaseURL, func() ([]byte, error) {
		var b bytes.Buffer
		_, err := m.store.WriteSCDL(r.Context(), &b, tenantOf(r).ID, m.today(r), p)
		return b.Bytes(), err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="deliberations.csv"`)
	_, err = w.Write(doc)
	return err
}

// catalogueCSV is the collectivité's catalogue of datasets (SCDL
// catalogue 0.1.3): today, its deliberations.
func (m *Module) catalogueCSV(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	first, last, err := m.store.LastPublished(r.Context(), t.ID)
	if err != nil {
		return err
	}
	today := m.today(r)
	if first == "" {
		first, last = today, today
	}
	scale := "Communale"
	if t.Kind == tenant.KindInterco {
		scale = "Intercommunale"
	}
	p := m.publisher(r)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="catalogue.csv"`)
	out := csv.NewWriter(w)
	if err := out.Write(CatalogueColumns); err != nil {
		return err
	}
	if err := out.Write([]string{t.Name, t.SIRET, "deliberations", "Délibérations du conseil",
		"Liste des délibérations adoptées par le conseil, avec leur objet, leur matière ACTES, le vote et le lien vers l'acte publié.",
		"Administration locale", t.Name, t.SIRET, scale, t.Name, first, last, first, "Mensuelle ou plusieurs fois par mois", last,
		"scdl;deliberations;conseil;actes", "Licence Ouverte-LO", "1", "csv", p.BaseURL + DataPath + "/deliberations.csv"}); err != nil {
		return err
	}
	out.Flush()
	return out.Error()
}
