package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// benchVocabulary is French local-news vocabulary; words are drawn with a
// Zipf law, so common words sit in tens of thousands of documents, as in
// real text.
var benchVocabulary = strings.Fields(`mairie commune habitants conseil municipal travaux rue école enfants famille
	service horaires accueil inscription réunion publique projet quartier place marché fête culture musique sport
	association bénévoles jeunesse aînés environnement déchets tri collecte eau assainissement éclairage voirie
	chaussée trottoir circulation stationnement sécurité budget subvention délibération élus maire adjoint
	bibliothèque piscine stade gymnase salle cinéma concert exposition théâtre lecture atelier numérique emploi
	commerce artisan entreprise zone activité logement urbanisme permis construire déclaration cadastre parcelle
	transport bus gare vélo piste chemin randonnée parc jardin arbre plantation printemps été automne hiver
	samedi dimanche matin soir gratuit ouvert fermé santé médecin pharmacie centre social solidarité repas
	cantine menu périscolaire crèche vacances séjour accueil loisirs carte identité passeport état civil
	mariage naissance décès recensement élection vote bureau listes électorales cimetière église patrimoine`)

func benchDoc(r *rand.Rand, z *rand.Zipf, i int, tenantID string) Doc {
	words := func(n int) string {
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteString(benchVocabulary[z.Uint64()])
			b.WriteByte(' ')
		}
		return b.String()
	}
	// One document in fifty is a procedure or a kind of appointment,
	// which the results page boosts (Kind.Boost).
	kinds := []string{"news", "event", "page", "question"}
	kind := kinds[i%4]
	switch i % 50 {
	case 7:
		kind = "procedure"
	case 9:
		kind = "appointment"
	}
	return Doc{TenantID: tenantID, Kind: kind, ID: fmt.Sprint(i), Title: words(6), URL: fmt.Sprintf("/d/%d", i),
		Body: words(80 + r.IntN(80)), PublishedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)}
}

// BenchmarkSearch50k indexes 50,000 documents in one collectivité, then
// times single searches of one to three words, as the results page asks
// them (the best of each kind, services and pages boosted), and reports
// the 95th percentile: go test -run '^$' -bench Search ./internal/publishing/search/
func BenchmarkSearch50k(b *testing.B) {
	const docs = 50000
	// Whole words, an unfinished last word, a misspelt one, a phrase.
	queries := []string{"travaux rue", "conseil municipal", "école", "inscription cantine", "marché de noël",
		"horaires bibliothèque", "piscine", "collecte des déchets verts", "permis de construire", "fête",
		"passepor", "bibliotehque", `"état civil"`, "carte d'identité passeport"}
	for dialect, url := range dbtest.URLs(b) {
		// The index is built once per engine, outside the timed runs.
		d := dbtest.Open(b, url, []db.Migrations{tenant.Migrations, Migrations})
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "bench", Name: "Commune de test", Kind: tenant.KindCommune})
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		z := rand.NewZipf(r, 1.1, 4, uint64(len(benchVocabulary)-1))
		// Written in batches, as the seed commands do: the searches, not
		// the writes, are measured.
		for start := 0; start < docs; start += 1000 {
			batch := make([]Doc, 0, 1000)
			for i := start; i < start+1000; i++ {
				batch = append(batch, benchDoc(r, z, i, tn.ID))
			}
			err := d.InTx(ctx, func(tx *db.Tx) error { return NewBatch(batch).Write(ctx, tx) })
			if err != nil {
				b.Fatal(err)
			}
		}
		if d.Dialect() == db.Postgres {
			if _, err := d.Exec(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(string(dialect), func(b *testing.B) {
			ix := New(d)
			var times []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := ix.Search(ctx, Query{TenantID: tn.ID, Text: queries[i%len(queries)], PerKind: 3,
					Boost: map[string]int{"procedure": 170, "appointment": 170, "page": 130}}); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
