package directory_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/directory"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

var sets = []db.Migrations{tenant.Migrations, search.Migrations, directory.Migrations}

// env is a store on a fresh database with two collectivités, on a clock
// the test moves.
type env struct {
	s          *directory.Store
	town, vill string
	now        time.Time
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewStore(d)
	town, err := ts.Create(ctx, tenant.Tenant{Slug: "ville", Name: "Ville de Test", Kind: tenant.KindCommune, INSEE: "86990", SIRET: "21869900700017"})
	if err != nil {
		t.Fatal(err)
	}
	vill, err := ts.Create(ctx, tenant.Tenant{Slug: "village", Name: "Commune de Test", Kind: tenant.KindCommune, INSEE: "21990"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{s: directory.NewStore(d), town: town.ID, vill: vill.ID, now: dbtest.Start(t)}
	e.s.Now = clock.Clock(func() time.Time { return e.now })
	e.s.Search = search.New(d)
	e.s.Search.Now = e.s.Now
	return e
}

// entry saves a published entry of tenantID.
func (e *env) entry(t *testing.T, tenantID, name, category string, mod func(*directory.Entry)) *directory.Entry {
	t.Helper()
	en := &directory.Entry{TenantID: tenantID, Name: name, Category: category, Organisation: true, Published: true,
		Address: "12 rue des Écoles", Postcode: "86990", City: "Montclair-sur-Vienne", Lat: 46.42, Lon: 0.60, HasPosition: true,
		OpeningHours: "Mo-Fr 08:30-12:00,13:30-17:30; PH off", Wheelchair: directory.WheelchairYes}
	if mod != nil {
		mod(en)
	}
	if err := e.s.Save(context.Background(), en, directory.CheckHours); err != nil {
		t.Fatal(err, guichet.FieldErrors(err))
	}
	return en
}

func TestEntriesAreCheckedAndKeptPerCollectivite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		bad := &directory.Entry{TenantID: e.town, Name: " ", Category: "cirque", OpeningHours: "Lu-Ve 9h", Phone: "12",
			Email: "pas une adresse", Website: "ftp://x", SIRET: "12345678901234", Postcode: "8699", Wheelchair: "peut-être",
			Lat: 95, Lon: 0.6, HasPosition: true}
		fields := guichet.FieldErrors(e.s.Save(ctx, bad, directory.CheckHours))
		for _, f := range []string{"name", "category", "opening_hours", "phone", "email", "website", "siret", "postcode", "wheelchair", "lat"} {
			if fields[f] == "" {
				t.Errorf("no error on %s: %v", f, fields)
			}
		}
		if !strings.HasPrefix(fields["opening_hours"], "Horaires") {
			t.Errorf("the hours' error is %q", fields["opening_hours"])
		}
		a := e.entry(t, e.town, "École élémentaire Jules-Ferry", kernel.CategorySchool, nil)
		if a.Slug != "ecole-elementaire-jules-ferry" || a.Kind != "ecole-elementaire" {
			t.Errorf("slug %q, kind %q", a.Slug, a.Kind)
		}
		// The same address is refused in the town, allowed in the village.
		dup := &directory.Entry{TenantID: e.town, Name: "École élémentaire Jules-Ferry", Category: kernel.CategorySchool}
		if f := guichet.FieldErrors(e.s.Save(ctx, dup, directory.CheckHours)); f["slug"] == "" {
			t.Errorf("a second entry took the same address: %v", f)
		}
		e.entry(t, e.vill, "École élémentaire Jules-Ferry", kernel.CategorySchool, nil)
		// One collectivité never reads or changes the other's.
		if _, err := e.s.Entry(ctx, e.vill, a.ID); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("the village reads the town's entry: %v", err)
		}
		if _, err := e.s.SetPublished(ctx, e.vill, a.ID, false); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("the village unpublishes the town's entry: %v", err)
		}
		if _, err := e.s.Delete(ctx, e.vill, a.ID); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("the village deletes the town's entry: %v", err)
		}
		// Unpublished, it leaves the public pages and the seam.
		if _, err := e.s.SetPublished(ctx, e.town, a.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.PublicEntry(ctx, e.town, a.Slug); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("an unpublished entry is public: %v", err)
		}
		if _, err := e.s.Seam().Get(ctx, e.town, a.ID); !errors.Is(err, kernel.ErrNoDirectoryEntry) {
			t.Errorf("the seam gives an unpublished entry: %v", err)
		}
	})
}

func TestTheSeamListsByCategoryAndOrganisation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		e.entry(t, e.town, "Boulangerie Martin", kernel.CategoryBusiness, nil)
		e.entry(t, e.town, "Arrêt République", kernel.CategoryTransport, func(en *directory.Entry) { en.Organisation = false })
		e.entry(t, e.town, "Amicale des Tilleuls", kernel.CategoryAssociation, nil)
		e.entry(t, e.vill, "Comité des fêtes", kernel.CategoryAssociation, nil)
		src := e.s.Seam()
		all, err := src.List(ctx, e.town, kernel.DirectoryQuery{})
		if err != nil || len(all) != 3 || all[0].Name != "Amicale des Tilleuls" {
			t.Fatalf("list: %v, %v", all, err)
		}
		orgs, _ := src.List(ctx, e.town, kernel.DirectoryQuery{Organisations: true})
		assoc, _ := src.List(ctx, e.town, kernel.DirectoryQuery{Categories: []string{kernel.CategoryAssociation}})
		one, _ := src.List(ctx, e.town, kernel.DirectoryQuery{Limit: 1})
		if len(orgs) != 2 || len(assoc) != 1 || assoc[0].Wheelchair != true || len(one) != 1 {
			t.Errorf("organisations %v, associations %v, limited %v", orgs, assoc, one)
		}
		if all[0].Path != "/annuaire/amicale-des-tilleuls" || all[0].Address != "12 rue des Écoles, 86990 Montclair-sur-Vienne" {
			t.Errorf("shared entry: %+v", all[0])
		}
	})
}

func TestFindReadsWordsLikeTheSiteSearchAndTheHoursAtATime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		e := newEnv(t, d)
		mairie := e.entry(t, e.town, "Hôtel de ville", kernel.CategoryPublic, func(en *directory.Entry) { en.Summary, en.Kind = "État civil et élections.", "mairie" })
		bakery := e.entry(t, e.town, "Boulangerie Martin", kernel.CategoryBusiness, func(en *directory.Entry) {
			en.OpeningHours, en.Wheelchair, en.Address = "Tu-Sa 06:30-13:00,15:30-19:30", directory.WheelchairLimited, "5 place du Marché"
		})
		list := []*directory.Entry{bakery, mairie}
		paris, _ := time.LoadLocation("Europe/Paris")
		monday := time.Date(2027, 3, 8, 10, 0, 0, 0, paris)
		easterMonday := time.Date(2027, 3, 29, 10, 0, 0, 0, paris)
		for _, c := range []struct {
			name string
			q    directory.Query
			want []*directory.Entry
		}{
			{"every word, without accents", directory.Query{Words: "etat CIVIL"}, []*directory.Entry{mairie}},
			{"the beginning of a word", directory.Query{Words: "boulang"}, []*directory.Entry{bakery}},
			{"the address", directory.Query{Words: "place du marche"}, []*directory.Entry{bakery}},
			{"the type", directory.Query{Words: "mairie"}, []*directory.Entry{mairie}},
			{"a word nowhere", directory.Query{Words: "piscine"}, nil},
			{"category", directory.Query{Category: kernel.CategoryBusiness}, []*directory.Entry{bakery}},
			{"wheelchair", directory.Query{Wheelchair: true}, []*directory.Entry{mairie}},
			{"open on a Monday morning", directory.Query{OpenAt: monday}, []*directory.Entry{mairie}},
			{"open on Easter Monday", directory.Query{OpenAt: easterMonday}, nil},
		} {
			got := directory.Find(list, c.q)
			if len(got) != len(c.want) {
				t.Errorf("%s: %d found, want %d", c.name, len(got), len(c.want))
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s: %s found, want %s", c.name, got[i].Name, c.want[i].Name)
				}
			}
		}
		st := mairie.StatusAt(monday, false)
		if !st.Open || st.Next.Hour() != 12 {
			t.Errorf("the town hall on Monday at 10: %+v", st)
		}
	})
}

func TestProposalsWaitThenChangeOnlyWhatTheyChanged(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		en := e.entry(t, e.town, "Amicale des Tilleuls", kernel.CategoryAssociation, func(en *directory.Entry) { en.Phone = "05 49 00 33 81" })
		other := e.entry(t, e.town, "Club des aînés", kernel.CategoryAssociation, nil)
		const manager, stranger = "compte-presidente", "compte-autre"
		if err := e.s.AddManager(ctx, e.town, en.ID, manager, "Service vie locale"); err != nil {
			t.Fatal(err)
		}
		if err := e.s.AddManager(ctx, e.town, en.ID, manager, "Service vie locale"); guichet.FieldErrors(err) == nil {
			t.Errorf("a second grant: %v", err)
		}
		ch := directory.ChangesOf(en)
		if _, err := e.s.Propose(ctx, e.town, en.ID, manager, "Présidente", ch, directory.CheckHours, directory.Site{}); !errors.Is(err, directory.ErrNothingChanged) {
			t.Errorf("an empty proposal: %v", err)
		}
		ch.Phone, ch.Summary = "05 49 00 33 99", "Comité de quartier."
		if _, err := e.s.Propose(ctx, e.town, other.ID, manager, "Présidente", ch, directory.CheckHours, directory.Site{}); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("a proposal on an entry she does not manage: %v", err)
		}
		if _, err := e.s.Propose(ctx, e.town, en.ID, stranger, "Autre", ch, directory.CheckHours, directory.Site{}); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("a stranger's proposal: %v", err)
		}
		first, err := e.s.Propose(ctx, e.town, en.ID, manager, "Présidente", ch, directory.CheckHours, directory.Site{})
		if err != nil {
			t.Fatal(err)
		}
		// A second proposal replaces the first still waiting.
		ch.OpeningHours = "We 18:00-20:00"
		p, err := e.s.Propose(ctx, e.town, en.ID, manager, "Présidente", ch, directory.CheckHours, directory.Site{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Proposal(ctx, e.town, first.ID); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("the first proposal still exists: %v", err)
		}
		if len(p.Fields()) != 3 {
			t.Errorf("fields changed: %+v", p.Fields())
		}
		// Staff change the summary meanwhile: approval keeps theirs where the proposal did not touch.
		now, _ := e.s.Entry(ctx, e.town, en.ID)
		now.Accessibility = "Rampe à l'entrée."
		if err := e.s.Save(ctx, now, directory.CheckHours); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Approve(ctx, e.vill, p.ID, "Agent", directory.CheckHours, directory.Site{}, nil); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("the village approves the town's proposal: %v", err)
		}
		if _, err := e.s.Approve(ctx, e.town, p.ID, "Agent", directory.CheckHours, directory.Site{}, nil); err != nil {
			t.Fatal(err)
		}
		after, _ := e.s.Entry(ctx, e.town, en.ID)
		if after.Phone != "05 49 00 33 99" || after.Summary != "Comité de quartier." || after.OpeningHours != "We 18:00-20:00" ||
			after.Accessibility != "Rampe à l'entrée." {
			t.Errorf("after approval: %+v", after)
		}
		if _, err := e.s.Reject(ctx, e.town, p.ID, "Trop tard.", "Agent", directory.Site{}, nil); !errors.Is(err, directory.ErrDecided) {
			t.Errorf("rejecting an approved proposal: %v", err)
		}
		// Withdrawing the management withdraws what waits; the decided one stays, until its retention ends.
		ch.Phone = "05 49 00 00 01"
		waiting, err := e.s.Propose(ctx, e.town, en.ID, manager, "Présidente", ch, directory.CheckHours, directory.Site{})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.RemoveManager(ctx, e.town, en.ID, manager); err != nil {
			t.Fatal(err)
		}
		if w, _ := e.s.Proposal(ctx, e.town, waiting.ID); w == nil || w.Status != directory.Withdrawn {
			t.Errorf("the waiting proposal: %+v", w)
		}
		if pending, _ := e.s.PendingProposals(ctx, e.town); len(pending) != 0 {
			t.Errorf("%d proposals wait", len(pending))
		}
		e.now = e.now.AddDate(0, 0, directory.DecidedDays+1)
		if n, err := e.s.PurgeProposals(ctx); err != nil || n != 2 {
			t.Errorf("retention deleted %d, %v", n, err)
		}
	})
}

func TestErasingAnAccountLeavesTheEntries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		en := e.entry(t, e.town, "Amicale des Tilleuls", kernel.CategoryAssociation, nil)
		if err := e.s.AddManager(ctx, e.town, en.ID, "compte-1", "Admin"); err != nil {
			t.Fatal(err)
		}
		ch := directory.ChangesOf(en)
		ch.Summary = "Nouveau."
		if _, err := e.s.Propose(ctx, e.town, en.ID, "compte-1", "Présidente", ch, directory.CheckHours, directory.Site{}); err != nil {
			t.Fatal(err)
		}
		p := account.Person{TenantID: e.town, UserID: "compte-1"}
		out, err := e.s.Export(ctx, p)
		if err != nil || !strings.Contains(strings.ReplaceAll(strings.TrimSpace(stringOf(out)), " ", ""), "Nouveau.") {
			t.Errorf("export: %v, %v", out, err)
		}
		if in, _ := e.s.InUse(ctx, e.town); !in {
			t.Error("the register says no entry is managed")
		}
		if err := e.s.Erase(ctx, p); err != nil {
			t.Fatal(err)
		}
		if list, _ := e.s.ManagedBy(ctx, e.town, "compte-1"); len(list) != 0 {
			t.Error("still a manager")
		}
		if list, _ := e.s.ProposalsBy(ctx, e.town, "compte-1"); len(list) != 0 {
			t.Error("proposals remain")
		}
		if _, err := e.s.Entry(ctx, e.town, en.ID); err != nil {
			t.Errorf("the entry went: %v", err)
		}
	})
}

// stringOf is v as JSON, as the data export writes it.
func stringOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Who manages an entry is kept in memory for the personal links of every
// page, and each change of managers or entries is seen at once.
func TestManagersAreKnownWithoutAQueryAndFollowTheirChanges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		shop := e.entry(t, e.town, "Boulangerie Martin", kernel.CategoryBusiness, func(en *directory.Entry) { en.Organisation = false })
		club := e.entry(t, e.town, "Judo club", kernel.CategorySport, nil)
		manages := func(account string) (bool, bool) {
			t.Helper()
			entries, orgs, err := e.s.Manages(ctx, e.town, account)
			if err != nil {
				t.Fatal(err)
			}
			return entries, orgs
		}
		if a, o := manages("boulanger"); a || o {
			t.Fatalf("nobody manages yet: %v %v", a, o)
		}
		if err := e.s.AddManager(ctx, e.town, shop.ID, "boulanger", "Admin"); err != nil {
			t.Fatal(err)
		}
		if a, o := manages("boulanger"); !a || o {
			t.Errorf("the baker manages a shop, not an organisation: %v %v", a, o)
		}
		if err := e.s.AddManager(ctx, e.town, club.ID, "boulanger", "Admin"); err != nil {
			t.Fatal(err)
		}
		if a, o := manages("boulanger"); !a || !o {
			t.Errorf("the baker also runs the club: %v %v", a, o)
		}
		var queries atomic.Int64
		counted := db.WithQueryCounter(ctx, &queries)
		for _, who := range []string{"boulanger", "quelqu-un"} {
			if _, _, err := e.s.Manages(counted, e.town, who); err != nil {
				t.Fatal(err)
			}
		}
		if n := queries.Load(); n != 0 {
			t.Errorf("asking again cost %d queries", n)
		}
		if a, _, err := e.s.Manages(counted, e.vill, "boulanger"); a || err != nil || queries.Load() != 1 {
			t.Errorf("the village's managers: %v after %d queries, %v; want none after one", a, queries.Load(), err)
		}
		club.Organisation = false
		if err := e.s.Save(ctx, club, directory.CheckHours); err != nil {
			t.Fatal(err)
		}
		if a, o := manages("boulanger"); !a || o {
			t.Errorf("the club is no longer an organisation: %v %v", a, o)
		}
		if err := e.s.RemoveManager(ctx, e.town, shop.ID, "boulanger"); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Erase(ctx, account.Person{TenantID: e.town, UserID: "boulanger"}); err != nil {
			t.Fatal(err)
		}
		if a, o := manages("boulanger"); a || o {
			t.Errorf("erased, still a manager: %v %v", a, o)
		}
	})
}
