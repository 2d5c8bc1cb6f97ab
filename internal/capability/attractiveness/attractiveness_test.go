package attractiveness_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/attractiveness"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, attractiveness.Migrations}

// env is a town and a village with a store on a clock the test moves.
type env struct {
	s             *attractiveness.Store
	town, village *tenant.Tenant
	mu            sync.Mutex
	now           time.Time
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	ts := tenant.NewStore(d)
	town, err := ts.Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
	if err != nil {
		t.Fatal(err)
	}
	village, err := ts.Create(ctx, tenant.Tenant{Slug: "sauvigny", Name: "Commune de Sauvigny", Kind: tenant.KindCommune})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{town: town, village: village, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	e.s = attractiveness.NewStore(d)
	e.s.Now = func() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }
	return e
}

func (e *env) advance(d time.Duration) { e.mu.Lock(); e.now = e.now.Add(d); e.mu.Unlock() }

func shop(tenantID string) *attractiveness.Premise {
	return &attractiveness.Premise{TenantID: tenantID, Title: "Local commercial, 85 m², 12 rue des Halles",
		Kind: attractiveness.Shop, Address: "12 rue des Halles", Surface: 85, Deal: attractiveness.Rent,
		PriceCents: 95000, Unit: attractiveness.PerMonth, Tax: attractiveness.BeforeTax,
		ContactName: "Jeanne Morel", ContactEmail: "Jeanne.Morel@exemple.fr", ContactPhone: "+33 5 49 00 12 40", Published: true}
}

func TestPremises(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		p := shop(e.town.ID)
		if err := e.s.AddPremise(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.Slug != "local-commercial-85-m-12-rue-des-halles" || p.ContactPhone != "05 49 00 12 40" || p.ContactEmail != "jeanne.morel@exemple.fr" {
			t.Errorf("saved as %q, %q, %q", p.Slug, p.ContactPhone, p.ContactEmail)
		}
		// A second one of the same title gets an address of its own.
		twin := shop(e.town.ID)
		if err := e.s.AddPremise(ctx, twin); err != nil || twin.Slug == p.Slug {
			t.Fatalf("twin: %v, %q", err, twin.Slug)
		}
		twin.Published = false
		if err := e.s.UpdatePremise(ctx, twin); err != nil {
			t.Fatal(err)
		}
		list, err := e.s.PublishedPremises(ctx, e.town.ID)
		if err != nil || len(list) != 1 || list[0].ID != p.ID {
			t.Fatalf("published: %v, %+v", err, list)
		}
		got, err := e.s.PublishedPremise(ctx, e.town.ID, p.Slug)
		if err != nil || got.PriceCents != 95000 || got.Euros() != "950" {
			t.Fatalf("by slug: %v, %+v", err, got)
		}
		// The village sees none of it.
		if _, err := e.s.PublishedPremise(ctx, e.village.ID, p.Slug); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the village reads the town's premise: %v", err)
		}
		if _, err := e.s.Premise(ctx, e.village.ID, p.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the village opens the town's premise: %v", err)
		}
		if err := e.s.DeletePremise(ctx, e.village.ID, p.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the village deletes the town's premise: %v", err)
		}
		other := *p
		other.TenantID = e.village.ID
		if err := e.s.UpdatePremise(ctx, &other); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the village changes the town's premise: %v", err)
		}
		if err := e.s.DeletePremise(ctx, e.town.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Premise(ctx, e.town.ID, p.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("deleted premise still there: %v", err)
		}
	})
}

func TestPremiseCheck(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		change func(p *attractiveness.Premise)
		field  string
	}{
		"no title":          {func(p *attractiveness.Premise) { p.Title = " " }, "title"},
		"unknown kind":      {func(p *attractiveness.Premise) { p.Kind = "chateau" }, "kind"},
		"no surface":        {func(p *attractiveness.Premise) { p.Surface = 0 }, "surface"},
		"a rent per m²":     {func(p *attractiveness.Premise) { p.Unit = attractiveness.PerM2 }, "unit"},
		"a sale per month":  {func(p *attractiveness.Premise) { p.Deal = attractiveness.Sale }, "unit"},
		"no price":          {func(p *attractiveness.Premise) { p.PriceCents = 0 }, "price"},
		"no tax":            {func(p *attractiveness.Premise) { p.Tax = "" }, "tax"},
		"a date in words":   {func(p *attractiveness.Premise) { p.AvailableFrom = "en juin" }, "available_from"},
		"a bad address":     {func(p *attractiveness.Premise) { p.ContactEmail = "jeanne@" }, "contact_email"},
		"a foreign number":  {func(p *attractiveness.Premise) { p.ContactPhone = "+44 20 7946 0000" }, "contact_phone"},
		"nobody to contact": {func(p *attractiveness.Premise) { p.ContactName, p.ContactEmail, p.ContactPhone = "", "", "" }, "contact_email"},
	} {
		p := shop("t")
		c.change(p)
		if f := guichet.FieldErrors(p.Check()); f[c.field] == "" {
			t.Errorf("%s: errors %v, want one on %s", name, f, c.field)
		}
	}
	if err := shop("t").Check(); err != nil {
		t.Errorf("a good premise refused: %v", err)
	}
}

func TestEuros(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"950": 95000, "1 250,50": 125050, "12.5": 1250, "1\u202f600 €": 160000} {
		if got, ok := attractiveness.ParseEuros(in); !ok || got != want {
			t.Errorf("ParseEuros(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "douze", "1,234", "-5"} {
		if _, ok := attractiveness.ParseEuros(bad); ok {
			t.Errorf("ParseEuros(%q) accepted", bad)
		}
	}
	if got := attractiveness.Euros(12000050); got != "120\u202f000,50" {
		t.Errorf("Euros = %q", got)
	}
}

func TestAidsAndContacts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		for _, a := range []*attractiveness.Aid{
			{TenantID: e.town.ID, Name: "ACRE", Funder: attractiveness.State, Eligible: "Créateurs", Amount: "Exonération de cotisations"},
			{TenantID: e.town.ID, Name: "Aide au loyer", Funder: attractiveness.Commune, Eligible: "Commerces", Amount: "3 000 €"},
		} {
			if err := e.s.AddAid(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		bad := &attractiveness.Aid{TenantID: e.town.ID, Name: "Aide", Funder: "europe", Eligible: "Tous", Amount: "1 €", Link: "http://exemple.fr"}
		if f := guichet.FieldErrors(e.s.AddAid(ctx, bad)); f["funder"] == "" || f["link"] == "" {
			t.Errorf("bad aid: %v", f)
		}
		aids, err := e.s.Aids(ctx, e.town.ID)
		if err != nil || len(aids) != 2 || aids[0].Funder != attractiveness.Commune {
			t.Fatalf("aids, the commune's first: %v %+v", err, aids)
		}
		if list, _ := e.s.Aids(ctx, e.village.ID); len(list) != 0 {
			t.Errorf("the village lists the town's aids")
		}
		if err := e.s.DeleteAid(ctx, e.village.ID, aids[0].ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the village deletes the town's aid: %v", err)
		}

		c := &attractiveness.Contacts{TenantID: e.town.ID, Service: "Service économique", Person: "Claire Dubreuil",
			Email: "Economie@montclair.fr", Phone: "0549001240"}
		if err := e.s.SaveContacts(ctx, c); err != nil {
			t.Fatal(err)
		}
		c.Hours = "Sur rendez-vous"
		if err := e.s.SaveContacts(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Contacts(ctx, e.town.ID)
		if err != nil || got.Email != "economie@montclair.fr" || got.Phone != "05 49 00 12 40" || got.Hours != "Sur rendez-vous" {
			t.Fatalf("contacts: %v %+v", err, got)
		}
		if v, _ := e.s.Contacts(ctx, e.village.ID); !v.Empty() {
			t.Errorf("the village has the town's contacts: %+v", v)
		}
	})
}

// TestRetentionAndErasure: a withdrawn premise goes a year after its last
// change, not a day before; a person's erasure removes them from the
// premises they were the contact of and from the service's contacts, and
// their export lists them.
func TestRetentionAndErasure(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		online, withdrawn := shop(e.town.ID), shop(e.town.ID)
		withdrawn.Published = false
		withdrawn.ContactEmail = "autre@exemple.fr"
		for _, p := range []*attractiveness.Premise{online, withdrawn} {
			if err := e.s.AddPremise(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		e.advance(attractiveness.WithdrawnDays*24*time.Hour - time.Hour)
		if n, err := e.s.PurgeWithdrawn(ctx); err != nil || n != 0 {
			t.Fatalf("before a year: %d, %v", n, err)
		}
		e.advance(2 * time.Hour)
		if n, err := e.s.PurgeWithdrawn(ctx); err != nil || n != 1 {
			t.Fatalf("after a year: %d, %v", n, err)
		}
		if _, err := e.s.Premise(ctx, e.town.ID, online.ID); err != nil {
			t.Fatalf("the premise online went: %v", err)
		}

		if err := e.s.SaveContacts(ctx, &attractiveness.Contacts{TenantID: e.town.ID, Service: "Service économique",
			Person: "Jeanne Morel", Email: "jeanne.morel@exemple.fr"}); err != nil {
			t.Fatal(err)
		}
		jeanne := account.Person{TenantID: e.town.ID, Email: "jeanne.morel@exemple.fr"}
		out, err := e.s.Export(ctx, jeanne)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(out)
		var records []map[string]any
		if err := json.Unmarshal(raw, &records); err != nil || len(records) != 2 || records[0]["name"] != "Jeanne Morel" {
			t.Errorf("export: %s, want the premise and the service's contact", raw)
		}
		if err := e.s.Erase(ctx, jeanne); err != nil {
			t.Fatal(err)
		}
		p, err := e.s.Premise(ctx, e.town.ID, online.ID)
		if err != nil || p.ContactName != "" || p.ContactEmail != "" || p.ContactPhone != "" || p.Published {
			t.Errorf("after erasure: %v %+v", err, p)
		}
		c, _ := e.s.Contacts(ctx, e.town.ID)
		if c.Person != "" || c.Email != "" || c.Service != "Service économique" {
			t.Errorf("contacts after erasure: %+v", c)
		}
	})
}
