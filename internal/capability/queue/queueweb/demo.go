package queueweb

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"guichet/internal/capability/queue"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// Demo site of the town.
const (
	demoSite  = "mairie"
	demoKiosk = "Borne du hall d'accueil"
)

// SeedDemo implements kernel.DemoContent: the town hall's reception, with
// three services, two counters, a kiosk, four weeks of past tickets for
// the figures, and this morning's queue.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	town := tenants[demo.Town]
	s := c.Store
	site, err := s.CreateSite(ctx, town.ID, queue.SiteInput{Name: "Accueil de l'hôtel de ville", Slug: demoSite,
		Address: "Hôtel de ville, 1 place de la Mairie, 45200 Montclair",
		Hours:   "Lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h\nSamedi : 9 h – 12 h (état civil seulement)",
		Information: "Les demandes de passeport et de carte d'identité se font sur rendez-vous : présentez-vous à la borne à votre arrivée.\n\n" +
			"Un agent d'accueil vous oriente si vous ne savez pas quel service choisir. Toilettes et point d'eau au rez-de-chaussée, " +
			"ascenseur à gauche de l'entrée.",
		PriorityAllowed: true, NearTurn: 3})
	if err != nil {
		return err
	}
	services := []queue.ServiceInput{
		{Letter: "A", Name: "État civil", NameEn: "Civil registry", Description: "Actes, livret de famille, recensement citoyen",
			Pictogram: "etat-civil", Minutes: 6},
		{Letter: "B", Name: "Passeports et cartes d'identité", NameEn: "Passports and identity cards",
			Description: "Rendez-vous et retrait des titres", Pictogram: "identite", AppointmentService: "etat-civil", Minutes: 12},
		{Letter: "C", Name: "Action sociale (CCAS)", NameEn: "Social services", Description: "Aides, logement, domiciliation",
			Pictogram: "social", Minutes: 15},
	}
	for _, in := range services {
		if _, err := s.AddService(ctx, site, in); err != nil {
			return err
		}
	}
	for _, name := range []string{"Guichet 1", "Guichet 2"} {
		if _, err := s.AddCounter(ctx, site, name); err != nil {
			return err
		}
	}
	if _, err := s.AddKiosk(ctx, site, demoKiosk, 90*time.Second); err != nil {
		return err
	}
	if err := c.seedHistory(ctx, town, site); err != nil {
		return err
	}
	return c.seedToday(ctx, town, site)
}

// seedToday puts people in this morning's queue, and the état civil
// agent at Guichet 1 with the first of them.
func (c *Capability) seedToday(ctx context.Context, town *tenant.Tenant, site *queue.Site) error {
	s, loc := c.Store, town.Location()
	for i, letter := range []int{0, 0, 2, 1, 0, 2} {
		if _, err := s.Take(ctx, queue.TakeInput{Site: site, ServiceID: site.Services[letter].ID, Source: []string{queue.FromKiosk, queue.FromPhone}[i%2],
			Loc: loc}); err != nil {
			return err
		}
	}
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, "etat-civil@montclair.localhost") // seeded before the capabilities
	if err != nil {
		return fmt.Errorf("queue demo: the état civil agent: %w", err)
	}
	agent := queue.Agent{ID: u.ID, Name: u.Name}
	counter := site.Counters[0]
	if _, err := s.OpenCounter(ctx, site, counter.ID, agent, []string{site.Services[0].ID, site.Services[1].ID}); err != nil {
		return err
	}
	site, err = s.Site(ctx, town.ID, site.ID)
	if err != nil {
		return err
	}
	_, err = s.CallNext(ctx, site, counter.ID, agent)
	return err
}

// seedHistory writes four weeks of past tickets, as the figures would
// have counted them: more people late morning and early afternoon, on
// Mondays and after lunch, and a few who left before their call.
func (c *Capability) seedHistory(ctx context.Context, town *tenant.Tenant, site *queue.Site) error {
	loc := town.Location()
	now := c.k.Now().In(loc)
	rnd := rand.New(rand.NewPCG(2026, 12))
	var rows []any
	for d := 28; d >= 1; d-- {
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -d)
		if day.Weekday() == time.Sunday || day.Weekday() == time.Saturday {
			continue
		}
		numbers := map[string]int{}
		for _, span := range [][2]float64{{8.5, 12}, {13.5, 17}} {
			for h := span[0]; h < span[1]; h += 0.25 {
				rate := 2.0 // arrivals per quarter of an hour
				if h >= 10 && h < 11.5 || h >= 14 && h < 15.5 {
					rate = 4
				}
				if day.Weekday() == time.Monday {
					rate *= 1.4
				}
				for n := poisson(rnd, rate); n > 0; n-- {
					svc := site.Services[rnd.IntN(len(site.Services))]
					numbers[svc.ID]++
					created := day.Add(time.Duration((h + rnd.Float64()/4) * float64(time.Hour))).UTC()
					wait := time.Duration(rnd.ExpFloat64() * float64(8*time.Minute))
					if rate > 3 {
						wait += 6 * time.Minute
					}
					called := created.Add(wait)
					ended := called.Add(time.Duration((0.5 + rnd.Float64()) * float64(svc.Average)))
					state, outcome := queue.Done, queue.Outcomes[rnd.IntN(len(queue.Outcomes))]
					if rnd.IntN(25) == 0 {
						state, outcome = queue.Absent, ""
					}
					var calledAt, endedAt any = called, ended
					if rnd.IntN(30) == 0 {
						state, outcome, calledAt, endedAt = queue.Cancelled, "", nil, created.Add(wait/2)
					}
					counter := site.Counters[rnd.IntN(len(site.Counters))]
					rows = append(rows, uuid.NewString(), town.ID, site.ID, svc.ID, queue.Day(created, loc), numbers[svc.ID],
						fmt.Sprintf("%s%03d", svc.Letter, numbers[svc.ID]), queue.FromKiosk, state, outcome,
						counter.ID, counter.Name, created, created, created, calledAt, endedAt)
				}
			}
		}
	}
	return db.InsertMany(ctx, c.k.DB, "queue_tickets", []string{"id", "tenant_id", "site_id", "service_id", "day", "number", "label",
		"source", "state", "outcome", "counter_id", "counter_name", "created_at", "queued_at", "eligible_at", "called_at", "ended_at"},
		rows)
}

// poisson draws a Poisson count of mean lambda (Knuth's method: lambda is small).
func poisson(rnd *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rnd.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

var _ kernel.DemoContent = (*Capability)(nil)

// DemoLinks implements kernel.Showcase: the town hall's kiosk, whose
// address only its administrator sees, and its display board.
func (c *Capability) DemoLinks(ctx context.Context) ([]kernel.DemoLink, error) {
	town, err := c.k.Tenants.BySlug(ctx, demo.Town)
	if err != nil {
		return nil, err
	}
	kiosks, err := c.Store.Kiosks(ctx, town.ID)
	if err != nil || len(kiosks) == 0 {
		return nil, err
	}
	return []kernel.DemoLink{
		{Label: "Reception kiosk (touch screen)", Slug: town.Slug, Path: "/borne/" + c.Store.KioskHandle(kiosks[0])},
		{Label: "Display board of the hall", Slug: town.Slug, Path: SitesPath + "/" + demoSite + "/ecran"},
	}, nil
}
