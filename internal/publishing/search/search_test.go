package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// corpus is a small collectivité's worth of documents, each one chosen to
// prove one rule of the French analysis.
var corpus = []Doc{
	{Kind: "news", ID: "ecole", Title: "Rentrée à l'École Jules-Ferry", Body: "Les inscriptions scolaires sont ouvertes en mairie jusqu'au 30 juin."},
	{Kind: "news", ID: "conseil", Title: "Compte rendu du conseil municipal du 12 mars", Body: "Le conseil municipal a voté le budget primitif."},
	{Kind: "news", ID: "travaux", Title: "Travaux rue Victor-Hugo", Body: "La rue Victor-Hugo est fermée à la circulation pendant les travaux de voirie."},
	{Kind: "event", ID: "marche", Title: "Marché de Noël", Body: "Chalets, artisans et vin chaud sur la place de l'Église."},
	{Kind: "page", ID: "piscine", Title: "Piscine municipale", Body: "Horaires d'été : ouverte tous les jours de 10 h à 19 h."},
	{Kind: "question", ID: "eau", Title: "L'eau du robinet est-elle potable ?", Body: "Oui : les analyses de l'Agence régionale de santé sont conformes."},
	{Kind: "news", ID: "coupure", Title: "Coupure d'eau quartier des Tilleuls", Body: "Une coupure d'eau est prévue mardi pour des travaux sur le réseau."},
	{Kind: "event", ID: "menus", Title: "Repas des aînés", Body: "Au menus : potage, rôti et tarte."},
	{Kind: "page", ID: "bibli", Title: "Bibliothèque", Body: "La bibliothèque prête des livres, des jeux et des liseuses."},
}

// searchTable is the table of queries and expected results: every row
// runs on SQLite and PostgreSQL.
var searchTable = []struct {
	q     string
	kinds []string
	want  []string // keys, in rank order
}{
	{q: "ecole", want: []string{"news:ecole"}},
	{q: "ÉCOLE", want: []string{"news:ecole"}},
	{q: "écoles", want: []string{"news:ecole"}},
	// Documents holding every word come first, then those holding some.
	{q: "conseils municipaux", want: []string{"news:conseil", "page:piscine"}},
	{q: "travaux rue", want: []string{"news:travaux", "news:coupure"}},
	{q: "travaux", want: []string{"news:travaux", "news:coupure"}},
	{q: "l'eau", want: []string{"news:coupure", "question:eau"}},
	{q: "menu", want: []string{"event:menus"}},
	{q: "eau", kinds: []string{"question"}, want: []string{"question:eau"}},
	{q: "coupures d'eau", want: []string{"news:coupure", "question:eau"}},
	{q: "dragon piscine", want: []string{"page:piscine"}},
	// Quotes ask for the words side by side.
	{q: `"conseil municipal"`, want: []string{"news:conseil"}},
	{q: `« municipal conseil »`, want: nil},
	{q: `"coupure d'eau" tilleuls`, want: []string{"news:coupure"}},
	// The last word may be unfinished; a word found nowhere is corrected.
	{q: "biblioth", want: []string{"page:bibli"}},
	{q: "piscin", want: []string{"page:piscine"}},
	{q: "bibliotehque", want: []string{"page:bibli"}},
	{q: "inscritpion", want: []string{"news:ecole"}},
	{q: "marche noel", want: []string{"event:marche"}},
	{q: "bibliotheques", want: []string{"page:bibli"}},
	{q: "horaire piscine", want: []string{"page:piscine"}},
	{q: "inscription scolaire", want: []string{"news:ecole"}},
	{q: "le la les", want: nil},
	{q: "dragon", want: nil},
	{q: "", want: nil},
}

func withCorpus(t *testing.T, fn func(t *testing.T, ix *Index, tenantID string)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := tenant.NewStore(d)
		tn, err := ts.Create(ctx, tenant.Tenant{Slug: "essai", Name: "Commune d'essai", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		for i, doc := range corpus {
			doc.TenantID, doc.URL = tn.ID, "/"+doc.ID
			doc.PublishedAt = base.Add(time.Duration(i) * time.Hour)
			if err := Put(ctx, d, doc); err != nil {
				t.Fatal(err)
			}
		}
		ix := New(d)
		ix.Now = dbtest.Clock(t)
		fn(t, ix, tn.ID)
	})
}

func TestSearchTable(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		for _, row := range searchTable {
			p, err := ix.Search(context.Background(), Query{TenantID: tenantID, Text: row.q, Kinds: row.kinds})
			if err != nil {
				t.Fatalf("%q: %v", row.q, err)
			}
			var got []string
			for _, h := range p.Hits {
				got = append(got, h.Kind+":"+h.ID)
			}
			if !slices.Equal(got, row.want) {
				t.Errorf("%q: got %v, want %v", row.q, got, row.want)
			}
		}
	})
}

func TestSearchHighlightsAndPages(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		p, err := ix.Search(ctx, Query{TenantID: tenantID, Text: "Écoles", Limit: 1})
		if err != nil || len(p.Hits) != 1 {
			t.Fatalf("%v %v", p, err)
		}
		if !hasMark(p.Hits[0].TitleParts, "École") {
			t.Errorf("title not highlighted: %+v", p.Hits[0].TitleParts)
		}
		p, err = ix.Search(ctx, Query{TenantID: tenantID, Text: "travaux", Limit: 1})
		if err != nil || len(p.Hits) != 1 || p.Next == "" {
			t.Fatalf("first page: %+v %v", p, err)
		}
		if !hasMark(p.Hits[0].Excerpt, "travaux") {
			t.Errorf("excerpt not highlighted: %+v", p.Hits[0].Excerpt)
		}
		p2, err := ix.Search(ctx, Query{TenantID: tenantID, Text: "travaux", Limit: 1, After: p.Next})
		if err != nil || len(p2.Hits) != 1 || p2.Hits[0].ID != "coupure" || p2.Next != "" {
			t.Fatalf("second page: %+v %v", p2, err)
		}
		later := Doc{TenantID: tenantID, Kind: "news", ID: "later", Title: "Travaux programmés", URL: "/later",
			PublishedAt: ix.Now().Add(time.Hour)}
		if err := Put(ctx, ix.db, later); err != nil {
			t.Fatal(err)
		}
		if p, _ := ix.Search(ctx, Query{TenantID: tenantID, Text: "programmés"}); len(p.Hits) != 0 {
			t.Errorf("a scheduled document is found before its date")
		}
		if p, _ := ix.Search(ctx, Query{TenantID: "other", Text: "travaux"}); len(p.Hits) != 0 {
			t.Errorf("another tenant sees %d hits", len(p.Hits))
		}
	})
}

func TestRemoveAndReplace(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		doc := Doc{TenantID: tenantID, Kind: "news", ID: "ecole", Title: "Cantine", Body: "Menus de la semaine", URL: "/x", PublishedAt: ix.Now()}
		if err := Put(ctx, ix.db, doc); err != nil {
			t.Fatal(err)
		}
		if p, _ := ix.Search(ctx, Query{TenantID: tenantID, Text: "école"}); len(p.Hits) != 0 {
			t.Errorf("old version still found")
		}
		if p, _ := ix.Search(ctx, Query{TenantID: tenantID, Text: "menu cantine"}); len(p.Hits) == 0 || p.Hits[0].ID != "ecole" || !p.Hits[0].AllWords {
			t.Errorf("new version not found first: %+v", p)
		}
		if err := Remove(ctx, ix.db, tenantID, "news", "ecole"); err != nil {
			t.Fatal(err)
		}
		if p, _ := ix.Search(ctx, Query{TenantID: tenantID, Text: "cantine"}); len(p.Hits) != 0 {
			t.Errorf("removed document still found")
		}
	})
}

func TestTerms(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"L'École":             "ecol",
		"qu'importe":          "import",
		"Conseils municipaux": "conseil municipal",
		"d'Œuvres":            "oeuvr",
		"2026 a":              "2026",
		"jusqu'au 30 juin":    "30 juin",
	} {
		if got := strings.Join(Terms(in), " "); got != want {
			t.Errorf("Terms(%q) = %q, want %q", in, got, want)
		}
	}
}

func hasMark(segs []Segment, text string) bool {
	for _, s := range segs {
		if s.Mark && s.Text == text {
			return true
		}
	}
	return false
}
