package publishing

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/publishing/search"
)

// Words of generated items: plausible French, so that search and stemming
// work on them as on real text.
var (
	BulkSubjects = []string{"Travaux", "Réunion publique", "Conseil municipal", "Fête de quartier", "Collecte solidaire",
		"Atelier numérique", "Marché de producteurs", "Exposition", "Concert", "Inscriptions scolaires", "Balade nature",
		"Permanence des élus", "Don du sang", "Cinéma en plein air", "Vide-greniers", "Tournoi sportif"}
	BulkPlaces = []string{"rue Victor-Hugo", "place de la Mairie", "avenue de la Gare", "quartier des Tilleuls",
		"salle des fêtes", "école Jules-Ferry", "parc municipal", "bibliothèque", "stade", "chemin du Moulin"}
	bulkWords = strings.Fields(`habitants commune mairie service horaires accueil inscription famille enfants école
		voirie chaussée trottoir circulation stationnement association bénévoles culture musique sport jeunesse aînés
		environnement déchets tri eau assainissement éclairage sécurité budget projet quartier réunion information
		animation programme gratuit ouvert samedi dimanche matin après-midi soirée printemps été automne hiver`)
)

// BulkText returns n generated words, in sentences.
func BulkText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(bulkWords[r.IntN(len(bulkWords))])
		if i%12 == 11 {
			b.WriteString(".")
		}
	}
	return b.String()
}

// bulkChunk generated items are prepared while the chunk before them is
// written, and committed in one transaction: larger transactions write
// each index page fewer times (2,000 items take half the time of 500),
// and one lasts a few seconds at most, under other writers' busy timeout.
const bulkChunk = 2000

// Bulk describes a generation of items for load and scale tests: their
// rows, revision and index entry written as the editors' saves write
// them, many rows per statement.
type Bulk struct {
	TenantID string
	// Slugs selects the slugs already taken in the collectivité (its one
	// argument), so that a second run gives its items free ones.
	Slugs string
	// Analyze lists the tables PostgreSQL should learn the statistics of
	// afterwards: it plans from them, and autovacuum refreshes them only a
	// while after a bulk load.
	Analyze []string
	// Make adds the items to g, each with Add, and stops when Add says so.
	Make func(g *BulkItems)
}

// Generate runs b, calling done for each item written.
func (k *Desk) Generate(ctx context.Context, b Bulk, done func()) error {
	slugs, err := k.takenSlugs(ctx, b)
	if err != nil {
		return err
	}
	restore, err := k.largeCache(ctx)
	if err != nil {
		return err
	}
	defer restore()
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *bulkRows)
	g := &BulkItems{TenantID: b.TenantID, Now: k.Stamp(), slugs: slugs, rows: newBulkRows(), ctx: genCtx, out: chunks}
	go func() {
		defer close(chunks)
		b.Make(g)
		if g.rows.items > 0 {
			g.send()
		}
	}()
	err = k.writeChunks(ctx, chunks, done)
	cancel()
	for range chunks { // until the generator has stopped
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil && k.db.Dialect() == db.Postgres && len(b.Analyze) > 0 {
		_, err = k.db.Exec(ctx, `ANALYZE `+strings.Join(b.Analyze, ", "))
	}
	if err != nil {
		return fmt.Errorf("publishing: generate: %w", err)
	}
	k.Changed(ctx, b.TenantID)
	return nil
}

// writeChunks commits each chunk in a transaction.
func (k *Desk) writeChunks(ctx context.Context, chunks <-chan *bulkRows, done func()) error {
	for c := range chunks {
		if err := k.db.InTx(ctx, func(tx *db.Tx) error { return c.write(ctx, tx) }); err != nil {
			return err
		}
		for range c.items {
			done()
		}
	}
	return nil
}

// largeCache gives SQLite's writer a page cache that holds the index pages
// a transaction of generated items touches, and returns what restores it.
func (k *Desk) largeCache(ctx context.Context) (func(), error) {
	if k.db.Dialect() != db.SQLite {
		return func() {}, nil
	}
	var size int
	set := func(tx *db.Tx, to int) error {
		_, err := tx.Exec(ctx, "PRAGMA cache_size = "+strconv.Itoa(to))
		return err
	}
	err := k.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, "PRAGMA cache_size").Scan(&size); err != nil {
			return err
		}
		return set(tx, -32<<10) // KiB
	})
	if err != nil {
		return nil, fmt.Errorf("publishing: generate: %w", err)
	}
	return func() { _ = k.db.InTx(context.WithoutCancel(ctx), func(tx *db.Tx) error { return set(tx, size) }) }, nil
}

func (k *Desk) takenSlugs(ctx context.Context, b Bulk) (map[string]bool, error) {
	taken := map[string]bool{}
	err := db.Each(ctx, k.db, b.Slugs, func(r db.Row) error {
		var slug string
		err := r.Scan(&slug)
		taken[slug] = true
		return err
	}, b.TenantID)
	if err != nil {
		return nil, fmt.Errorf("publishing: generate: %w", err)
	}
	return taken, nil
}

// BulkItems gathers generated items in chunks, each written in one
// transaction while the next is prepared.
type BulkItems struct {
	TenantID string
	Now      time.Time
	slugs    map[string]bool
	rows     *bulkRows
	ctx      context.Context
	out      chan<- *bulkRows
}

// Slug returns title's slug, suffixed when it is taken.
func (g *BulkItems) Slug(title string) string {
	slug := Slugify(title)
	for g.slugs[slug] {
		slug = Resuffix(Slugify(title))
	}
	g.slugs[slug] = true
	return slug
}

// Row adds a row of table (its columns written for SQL, over lines).
func (g *BulkItems) Row(table, columns string, values ...any) {
	t := g.rows.tables[table]
	if t == nil {
		t = &bulkTable{columns: strings.Fields(strings.ReplaceAll(columns, ",", " "))}
		g.rows.tables[table] = t
		g.rows.order = append(g.rows.order, table)
	}
	t.values = append(t.values, values...)
}

// Add ends an item: its first revision, as a publication records it, and
// its index entry. It returns false when the writer has given up.
func (g *BulkItems) Add(itemID, kind, title string, item any, doc search.Doc) bool {
	body, _ := json.Marshal(item) // plain structs of strings, times and numbers
	c := g.rows
	c.revisions = append(c.revisions, uuid.NewString(), g.TenantID, itemID, kind, "seed", "published", title, string(body), g.Now)
	c.docs = append(c.docs, doc)
	c.items++
	return c.items < bulkChunk || g.send()
}

// send prepares the chunk's index rows and hands the chunk over; false
// when the writer has given up.
func (g *BulkItems) send() bool {
	c := g.rows
	c.index, c.docs = search.NewBatch(c.docs), nil
	g.rows = newBulkRows()
	select {
	case g.out <- c:
		return true
	case <-g.ctx.Done():
		return false
	}
}

// bulkRows is the rows of up to bulkChunk generated items.
type bulkRows struct {
	items     int
	order     []string // tables, in the order their first row came
	tables    map[string]*bulkTable
	revisions []any
	docs      []search.Doc
	index     *search.Batch
}

type bulkTable struct {
	columns []string
	values  []any
}

func newBulkRows() *bulkRows { return &bulkRows{tables: map[string]*bulkTable{}} }

// write inserts the chunk's rows in the transaction.
func (c *bulkRows) write(ctx context.Context, tx *db.Tx) error {
	for _, name := range c.order {
		t := c.tables[name]
		if err := db.InsertMany(ctx, tx, name, t.columns, t.values); err != nil {
			return err
		}
	}
	if err := db.InsertMany(ctx, tx, ContentHistory.Table,
		[]string{"id", "tenant_id", "item_id", "kind", "author", "action", "title", "body", "created_at"}, c.revisions); err != nil {
		return err
	}
	return c.index.Write(ctx, tx)
}
