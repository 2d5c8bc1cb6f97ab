package content

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
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Words of generated content: plausible French, so that search and
// stemming work on it as on real text.
var (
	bulkSubjects = []string{"Travaux", "Réunion publique", "Conseil municipal", "Fête de quartier", "Collecte solidaire",
		"Atelier numérique", "Marché de producteurs", "Exposition", "Concert", "Inscriptions scolaires", "Balade nature",
		"Permanence des élus", "Don du sang", "Cinéma en plein air", "Vide-greniers", "Tournoi sportif"}
	bulkPlaces = []string{"rue Victor-Hugo", "place de la Mairie", "avenue de la Gare", "quartier des Tilleuls",
		"salle des fêtes", "école Jules-Ferry", "parc municipal", "bibliothèque", "stade", "chemin du Moulin"}
	bulkWords = strings.Fields(`habitants commune mairie service horaires accueil inscription famille enfants école
		voirie chaussée trottoir circulation stationnement association bénévoles culture musique sport jeunesse aînés
		environnement déchets tri eau assainissement éclairage sécurité budget projet quartier réunion information
		animation programme gratuit ouvert samedi dimanche matin après-midi soirée printemps été automne hiver`)
)

// bulkChunk generated items are prepared while the chunk before them is
// written, and committed in one transaction: larger transactions write
// each index page fewer times (2,000 items take half the time of 500),
// and one lasts a few seconds at most, under other writers' busy timeout.
const bulkChunk = 2000

func bulkText(r *rand.Rand, n int) string {
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

// Generate writes news published over the past years and events spread
// over the past and coming year, with their revision, dates and search
// index as the editors' saves write them, for load and scale tests. Rows
// are written many per statement; done is called for each item written.
func (s *Store) Generate(ctx context.Context, tenantID string, loc *time.Location, news, events int, done func()) error {
	g := &generator{tenantID: tenantID, loc: loc, now: s.Stamp(), chunk: &chunk{}}
	var err error
	if g.slugs, err = s.takenSlugs(ctx, tenantID); err != nil {
		return err
	}
	restore, err := s.largeCache(ctx)
	if err != nil {
		return err
	}
	defer restore()
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *chunk)
	go g.run(genCtx, news, events, chunks)
	err = s.writeChunks(ctx, chunks, done)
	cancel()
	for range chunks { // until the generator has stopped
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil && s.DB().Dialect() == db.Postgres {
		// PostgreSQL plans from statistics, which autovacuum refreshes
		// only a while after a bulk load: until then it sorts the agenda.
		_, err = s.DB().Exec(ctx, `ANALYZE content_news, content_events, content_event_dates, search_docs, search_postings`)
	}
	if err != nil {
		return fmt.Errorf("content: generate: %w", err)
	}
	s.Changed(ctx, tenantID)
	return nil
}

// writeChunks commits each chunk in a transaction.
func (s *Store) writeChunks(ctx context.Context, chunks <-chan *chunk, done func()) error {
	for c := range chunks {
		if err := s.DB().InTx(ctx, func(tx *db.Tx) error { return c.write(ctx, tx) }); err != nil {
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
func (s *Store) largeCache(ctx context.Context) (func(), error) {
	if s.DB().Dialect() != db.SQLite {
		return func() {}, nil
	}
	var size int
	set := func(tx *db.Tx, to int) error {
		_, err := tx.Exec(ctx, "PRAGMA cache_size = "+strconv.Itoa(to))
		return err
	}
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, "PRAGMA cache_size").Scan(&size); err != nil {
			return err
		}
		return set(tx, -32<<10) // KiB
	})
	if err != nil {
		return nil, fmt.Errorf("content: generate: %w", err)
	}
	return func() { _ = s.DB().InTx(context.WithoutCancel(ctx), func(tx *db.Tx) error { return set(tx, size) }) }, nil
}

// takenSlugs reads the slugs already taken, so that a second run gives its
// items free slugs as a save would.
func (s *Store) takenSlugs(ctx context.Context, tenantID string) (map[string]bool, error) {
	rows, err := s.DB().Query(ctx, `SELECT 'news/' || slug FROM content_news WHERE tenant_id = ?
		UNION ALL SELECT 'event/' || slug FROM content_events WHERE tenant_id = ?`, tenantID, tenantID)
	if err != nil {
		return nil, fmt.Errorf("content: generate: %w", err)
	}
	defer rows.Close()
	taken := map[string]bool{}
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return nil, err
		}
		taken[slug] = true
	}
	return taken, rows.Err()
}

// generator makes the items, the same for the same counts, and gathers
// their rows in chunks.
type generator struct {
	tenantID string
	loc      *time.Location
	now      time.Time
	slugs    map[string]bool // taken, news and events apart
	chunk    *chunk
}

// chunk is the rows of bulkChunk generated items.
type chunk struct {
	items                          int
	news, events, dates, revisions []any
	docs                           []search.Doc
	index                          *search.Batch
}

// run sends the chunks of news then events to out, and closes it.
func (g *generator) run(ctx context.Context, news, events int, out chan<- *chunk) {
	defer close(out)
	r := rand.New(rand.NewPCG(uint64(news), uint64(events)))
	now := g.now
	for i := 0; i < news; i++ {
		at := now.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour)
		g.addNews(&News{TenantID: g.tenantID, Category: NewsCategories[r.IntN(len(NewsCategories))],
			Title:   fmt.Sprintf("%s %s (%d)", bulkSubjects[r.IntN(len(bulkSubjects))], bulkPlaces[r.IntN(len(bulkPlaces))], i+1),
			Summary: bulkText(r, 15), Body: bulkText(r, 120), Status: StatusPublished, PublishAt: &at})
		if g.chunk.items == bulkChunk && !g.send(ctx, out) {
			return
		}
	}
	for i := 0; i < events; i++ {
		start := now.Add(time.Duration(r.IntN(2*365*24)-365*24) * time.Hour).Truncate(time.Hour)
		g.addEvent(&Event{TenantID: g.tenantID, Category: EventCategories[r.IntN(len(EventCategories))],
			Title:   fmt.Sprintf("%s – %s (%d)", bulkSubjects[r.IntN(len(bulkSubjects))], bulkPlaces[r.IntN(len(bulkPlaces))], i+1),
			Summary: bulkText(r, 12), Body: bulkText(r, 60), Place: bulkPlaces[r.IntN(len(bulkPlaces))],
			Start: start, End: start.Add(2 * time.Hour), Status: StatusPublished})
		if g.chunk.items == bulkChunk && !g.send(ctx, out) {
			return
		}
	}
	if g.chunk.items > 0 {
		g.send(ctx, out)
	}
}

// send prepares the chunk's index rows and hands the chunk over; false
// when the writer has given up.
func (g *generator) send(ctx context.Context, out chan<- *chunk) bool {
	c := g.chunk
	c.index, c.docs = search.NewBatch(c.docs), nil
	g.chunk = &chunk{}
	select {
	case out <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

// freeSlug returns title's slug among kind, suffixed when it is taken.
func (g *generator) freeSlug(kind, title string) string {
	slug := publishing.Slugify(title)
	for g.slugs[kind+"/"+slug] {
		slug = publishing.Resuffix(publishing.Slugify(title))
	}
	g.slugs[kind+"/"+slug] = true
	return slug
}

func (g *generator) addNews(n *News) {
	at := n.PublishAt.UTC().Truncate(time.Second)
	n.ID, n.Slug, n.PublishAt, n.Author = uuid.NewString(), g.freeSlug("news", n.Title), &at, "seed"
	n.CreatedAt, n.UpdatedAt = g.now, g.now
	c := g.chunk
	c.news = append(c.news, n.ID, n.TenantID, n.Slug, n.Category, n.Title, n.Summary, n.Body, n.EasyRead, n.TitleEN,
		n.BodyEN, n.ImageID, n.ImageAlt, n.Status, at, n.Author, n.CreatedAt, n.UpdatedAt)
	g.revision(n.ID, KindNews, n.Title, n)
	c.docs = append(c.docs, n.doc())
}

func (g *generator) addEvent(e *Event) {
	at := g.now
	e.ID, e.Slug, e.PublishAt, e.Author = uuid.NewString(), g.freeSlug("event", e.Title), &at, "seed"
	e.CreatedAt, e.UpdatedAt = g.now, g.now
	c := g.chunk
	c.events = append(c.events, e.ID, e.TenantID, e.Slug, e.Category, e.Title, e.Summary, e.Body, e.TitleEN, e.BodyEN,
		e.Place, e.Address, e.Start, e.End, e.AllDay, e.Recurrence, publishing.NullTime(e.RecurrenceUntil), e.Registration,
		e.Capacity, e.Cancelled, e.Status, at, e.Author, e.Sequence, e.CreatedAt, e.UpdatedAt)
	for _, o := range e.Occurrences(g.loc) {
		c.dates = append(c.dates, e.TenantID, e.ID, o.Start, o.End, e.Category, true)
	}
	g.revision(e.ID, KindEvent, e.Title, e)
	c.docs = append(c.docs, e.doc())
}

// revision is the history's first line of a generated item, as a save
// records it.
func (g *generator) revision(itemID, kind, title string, item any) {
	body, _ := json.Marshal(item) // plain structs of strings, times and numbers
	c := g.chunk
	c.revisions = append(c.revisions, uuid.NewString(), g.tenantID, itemID, kind, "seed", "published", title,
		string(body), g.now)
	c.items++
}

// write inserts the chunk's rows in the transaction.
func (c *chunk) write(ctx context.Context, tx *db.Tx) error {
	if err := db.InsertMany(ctx, tx, "content_news", columnList(newsColumns), c.news); err != nil {
		return err
	}
	if err := db.InsertMany(ctx, tx, "content_events", columnList(eventColumns), c.events); err != nil {
		return err
	}
	if err := db.InsertMany(ctx, tx, "content_event_dates",
		[]string{"tenant_id", "event_id", "starts_at", "ends_at", "category", "public"}, c.dates); err != nil {
		return err
	}
	if err := db.InsertMany(ctx, tx, "content_revisions",
		[]string{"id", "tenant_id", "item_id", "kind", "author", "action", "title", "body", "created_at"}, c.revisions); err != nil {
		return err
	}
	return c.index.Write(ctx, tx)
}

// columnList splits a column list written for SQL, over lines.
func columnList(cols string) []string { return strings.Fields(strings.ReplaceAll(cols, ",", " ")) }
