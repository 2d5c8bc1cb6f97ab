package publishing_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// testTables are a publisher's tables as the pieces of publishing expect
// them: items with a slug unique per collectivité, their revisions, and
// addresses to confirm.
var testTables = db.Migrations{Domain: "publishing_test", Files: fstest.MapFS{"0001_tables.sql": {Data: []byte(`
CREATE TABLE pubtest_items (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    UNIQUE (tenant_id, slug)
);
CREATE TABLE pubtest_revisions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    action TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE pubtest_readers (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    confirm_hash TEXT NOT NULL,
    unsubscribe_token TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
`)}}}

// eachDB runs fn on both engines with two collectivités.
func eachDB(t *testing.T, fn func(t *testing.T, d *db.DB, town, other string)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, testTables}, func(t *testing.T, d *db.DB) {
		ts := tenant.NewStore(d)
		var ids []string
		for _, slug := range []string{"ville", "autre"} {
			tn, err := ts.Create(context.Background(), tenant.Tenant{Slug: slug, Name: "Commune " + slug, Kind: tenant.KindCommune})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tn.ID)
		}
		fn(t, d, ids[0], ids[1])
	})
}

type item struct{ Title string }

func TestHistory(t *testing.T) {
	notFound := errors.New("not found")
	h := publishing.History{Table: "pubtest_revisions", NotFound: notFound}
	eachDB(t, func(t *testing.T, d *db.DB, town, other string) {
		ctx := context.Background()
		at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
		for _, title := range []string{"Premier", "Second"} { // the same second: still in order
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				return h.Record(ctx, tx, at, town, "i1", "news", "Rédaction", "edited", title, item{title})
			}); err != nil {
				t.Fatal(err)
			}
		}
		revs, err := h.List(ctx, d, town, "i1")
		if err != nil || len(revs) != 2 || revs[0].Title != "Second" || revs[1].Title != "Premier" {
			t.Fatalf("history %+v, %v", revs, err)
		}
		rev, err := h.Get(ctx, d, town, "news", "i1", revs[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		var it item
		if err := h.Decode(rev, "news", &it); err != nil || it.Title != "Premier" {
			t.Fatalf("decoded %+v, %v", it, err)
		}
		if err := h.Decode(rev, "page", &it); !errors.Is(err, notFound) {
			t.Fatalf("decoded as another kind: %v", err)
		}
		for name, get := range map[string][4]string{"other kind": {town, "page", "i1"}, "other item": {town, "news", "i2"},
			"other collectivité": {other, "news", "i1"}} {
			if _, err := h.Get(ctx, d, get[0], get[1], get[2], rev.ID); !errors.Is(err, notFound) {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}
		if revs, err := h.List(ctx, d, other, "i1"); err != nil || len(revs) != 0 {
			t.Fatalf("another collectivité sees %d revisions (%v)", len(revs), err)
		}
	})
}

func TestInsertWithSlugSuffixesATakenSlug(t *testing.T) {
	eachDB(t, func(t *testing.T, d *db.DB, town, other string) {
		ctx := context.Background()
		insert := func(tenantID string, slug *string) error {
			return publishing.InsertWithSlug(ctx, d, slug, func(tx *db.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO pubtest_items (id, tenant_id, slug) VALUES (?, ?, ?)`, uuid.NewString(), tenantID, *slug)
				return err
			})
		}
		first, second, elsewhere := "fete-de-l-ete", "fete-de-l-ete", "fete-de-l-ete"
		for _, c := range []struct {
			tenantID string
			slug     *string
		}{{town, &first}, {town, &second}, {other, &elsewhere}} {
			if err := insert(c.tenantID, c.slug); err != nil {
				t.Fatal(err)
			}
		}
		if first != "fete-de-l-ete" || elsewhere != "fete-de-l-ete" {
			t.Fatalf("free slugs changed: %q, %q", first, elsewhere)
		}
		if len(second) != len(first)+7 || second[:len(first)+1] != first+"-" {
			t.Fatalf("taken slug became %q", second)
		}
	})
}

func TestIndexFollowsTheTransaction(t *testing.T) {
	eachDB(t, func(t *testing.T, d *db.DB, town, _ string) {
		ctx := context.Background()
		ix := search.New(d)
		doc := search.Doc{TenantID: town, Kind: "news", ID: "n1", Title: "Marché de Noël", URL: "/actualites/marche",
			Body: "Chalets et vin chaud.", PublishedAt: time.Date(2020, 12, 1, 9, 0, 0, 0, time.UTC)}
		found := func() int {
			t.Helper()
			p, err := ix.Search(ctx, search.Query{TenantID: town, Text: "marché"})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Hits)
		}
		rollback := errors.New("rollback")
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := publishing.Index(ctx, tx, true, doc); err != nil {
				return err
			}
			return rollback
		}); !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if n := found(); n != 0 {
			t.Fatalf("a rolled back publication is found %d times", n)
		}
		for _, c := range []struct {
			public bool
			want   int
		}{{true, 1}, {true, 1}, {false, 0}, {false, 0}} {
			if err := d.InTx(ctx, func(tx *db.Tx) error { return publishing.Index(ctx, tx, c.public, doc) }); err != nil {
				t.Fatal(err)
			}
			if n := found(); n != c.want {
				t.Fatalf("public %v: found %d times, want %d", c.public, n, c.want)
			}
		}
	})
}
