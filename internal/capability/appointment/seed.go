package appointment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
)

// GenerateOptions sizes a generated dataset (see "guichet seed appointments").
type GenerateOptions struct {
	Agendas   int // agendas to create
	Resources int // resources per agenda, 64 at most
	Days      int // days covered, half in the past and half to come
	Bookings  int // bookings to write, if the agendas have room for them
	Seed      uint64
}

// Generated counts what Generate wrote.
type Generated struct {
	Agendas, Resources, Exceptions int
	Bookings, Cancelled, Units     int
	// Room is how many bookings the agendas' hours could hold, fully packed.
	Room int
}

// Validate checks the sizes.
func (o *GenerateOptions) Validate() error {
	f := map[string]string{}
	if o.Agendas < 1 || o.Agendas > 1000 {
		f["agendas"] = "between 1 and 1000 agendas"
	}
	if o.Resources < 1 || o.Resources > 64 {
		f["resources"] = "between 1 and 64 resources per agenda"
	}
	if o.Days < 1 || o.Days > 730 {
		f["days"] = "between 1 and 730 days"
	}
	if o.Bookings < 0 {
		f["bookings"] = "a number of bookings, 0 or more"
	}
	if len(f) > 0 {
		return guichet.Invalid(f)
	}
	return nil
}

// seedService is a kind of generated agenda.
type seedService struct {
	key, service, name, kind, resource string
	step, buffer                       time.Duration
	saturday                           bool
	types                              []Type
	weights                            []int // how often each type is booked
}

var seedServices = []seedService{
	{key: "etat-civil", service: "État civil", name: "Passeports et cartes d'identité", kind: "fingerprint", resource: "Station biométrique %d",
		step: 10 * time.Minute, saturday: true, weights: []int{6, 2, 2}, types: []Type{
			{Slug: "passeport-cni", Name: "Passeport ou carte d'identité, une personne", Duration: 20 * time.Minute, ANTS: true, OnePerPerson: true},
			{Slug: "famille", Name: "Passeport ou carte d'identité, famille de quatre", Duration: 40 * time.Minute, People: 4, ANTS: true, OnePerPerson: true},
			{Slug: "retrait", Name: "Retrait d'un titre", Duration: 10 * time.Minute, OnePerPerson: true}}},
	{key: "urbanisme", service: "Urbanisme", name: "Conseil en urbanisme", kind: "agent", resource: "Instructeur %d",
		step: 30 * time.Minute, buffer: 10 * time.Minute, weights: []int{3, 1}, types: []Type{
			{Slug: "conseil", Name: "Conseil avant un projet de construction", Duration: 30 * time.Minute, OnePerPerson: true},
			{Slug: "depot", Name: "Dépôt accompagné d'un permis de construire", Duration: 60 * time.Minute, OnePerPerson: true}}},
	{key: "social", service: "Action sociale", name: "Accueil du CCAS", kind: "agent", resource: "Travailleur social %d",
		step: 15 * time.Minute, weights: []int{2, 3}, types: []Type{
			{Slug: "premier-accueil", Name: "Premier accueil", Duration: 45 * time.Minute, OnePerPerson: true},
			{Slug: "suivi", Name: "Rendez-vous de suivi", Duration: 30 * time.Minute}}},
	{key: "accueil", service: "Population", name: "Inscriptions et attestations", kind: "counter", resource: "Guichet %d",
		step: 15 * time.Minute, saturday: true, weights: []int{2, 3, 1}, types: []Type{
			{Slug: "listes-electorales", Name: "Inscription sur les listes électorales", Duration: 15 * time.Minute},
			{Slug: "attestation", Name: "Attestation d'accueil ou légalisation de signature", Duration: 15 * time.Minute},
			{Slug: "recensement", Name: "Recensement citoyen", Duration: 30 * time.Minute, OnePerPerson: true}}},
}

// Generate creates agendas with resources (the last of them, from the
// third on, with weekly hours of its own), hours, closures and types, and
// fills them with bookings as residents and agents would have made them:
// past ones done, missed or cancelled, coming ones booked or cancelled,
// each active one holding its units. Rows are written many per statement
// in large transactions; no email or reminder is queued. progress is
// called with the bookings written so far.
func (s *Store) Generate(ctx context.Context, tenantID string, loc *time.Location, o GenerateOptions,
	progress func(done int)) (*Generated, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	g := &generator{s: s, tenantID: tenantID, loc: loc, o: o, now: s.Now().UTC().Truncate(time.Second),
		r: rand.New(rand.NewPCG(o.Seed, uint64(o.Agendas)<<32|uint64(o.Days)))}
	g.first = DayOf(g.now, loc).AddDays(-o.Days / 2)
	g.run = strings.ToLower(newReference(g.now)[9:13])
	defer s.changed(ctx, invalidate.Agenda, tenantID, "")
	if err := g.agendas(ctx); err != nil {
		return nil, err
	}
	restore, err := s.largeWriterCache(ctx)
	if err != nil {
		return nil, err
	}
	defer restore()
	if err := g.bookings(ctx, progress); err != nil {
		return nil, err
	}
	if s.db.Dialect() == db.Postgres {
		// Planner statistics after a bulk load, as autovacuum would later.
		if _, err := s.db.Exec(ctx, `ANALYZE appointment_bookings, appointment_units`); err != nil {
			return nil, fmt.Errorf("appointment: generate: %w", err)
		}
	}
	return &g.out, nil
}

// generator holds one run of Generate.
type generator struct {
	s        *Store
	tenantID string
	loc      *time.Location
	o        GenerateOptions
	now      time.Time
	r        *rand.Rand
	first    Day    // first day covered
	run      string // tells this run's agendas and people from another's
	list     []*Agenda
	services []*seedService
	exc      [][]Exception // per agenda
	out      Generated
}

// agendas creates the agendas through the store, then their closures.
func (g *generator) agendas(ctx context.Context) error {
	window := min(max(g.o.Days-g.o.Days/2, 30), 366)
	for i := range g.o.Agendas {
		svc := &seedServices[i%len(seedServices)]
		a := &Agenda{TenantID: g.tenantID, Slug: fmt.Sprintf("charge-%s-%03d", g.run, i+1), ServiceKey: svc.key, Service: svc.service,
			Name: fmt.Sprintf("%s – site %d", svc.name, i+1), Place: fmt.Sprintf("Mairie annexe n° %d", i+1),
			Step: svc.step, Buffer: svc.buffer, MinNotice: 2 * time.Hour, WindowDays: window, ReleaseMinute: 8 * 60,
			Hold: 2 * time.Hour, Reminders: []time.Duration{48 * time.Hour}, Active: true}
		for wd := time.Monday; wd <= time.Friday; wd++ {
			a.Hours = append(a.Hours, Hours{wd, 8*60 + 30, 12 * 60}, Hours{wd, 13*60 + 30, 17 * 60})
		}
		if svc.saturday {
			a.Hours = append(a.Hours, Hours{time.Saturday, 9 * 60, 12 * 60})
		}
		for k := range g.o.Resources {
			res := Resource{Name: fmt.Sprintf(svc.resource, k+1), Kind: svc.kind, Position: k}
			if k >= 2 && k == g.o.Resources-1 {
				// Part-time: Tuesday mornings and Thursday afternoons.
				res.Hours = []Hours{{time.Tuesday, 8*60 + 30, 12 * 60}, {time.Thursday, 13*60 + 30, 17 * 60}}
			}
			a.Resources = append(a.Resources, res)
		}
		a.Types = append([]Type(nil), svc.types...)
		for k := range a.Types {
			a.Types[k].Position = k
		}
		if err := g.s.CreateAgenda(ctx, a); err != nil {
			return fmt.Errorf("appointment: generate agenda %s: %w", a.Slug, err)
		}
		g.list, g.services = append(g.list, a), append(g.services, svc)
		g.out.Agendas++
		g.out.Resources += len(a.Resources)
	}
	return g.closures(ctx)
}

// closures gives each agenda a training day about every 30 days and each
// resource a meeting afternoon about every 20.
func (g *generator) closures(ctx context.Context) error {
	var rows []any
	g.exc = make([][]Exception, len(g.list))
	for i, a := range g.list {
		add := func(res string, day Day, start, end int, reason string) {
			e := Exception{ID: uuid.NewString(), AgendaID: a.ID, ResourceID: res, Day: day.String(), Start: start, End: end,
				Kind: Closed, Reason: reason}
			g.exc[i] = append(g.exc[i], e)
			rows = append(rows, e.ID, g.tenantID, a.ID, e.ResourceID, e.Day, e.Start, e.End, e.Kind, e.Reason, g.now)
		}
		for d := g.r.IntN(30); d < g.o.Days; d += 25 + g.r.IntN(10) {
			add("", g.first.AddDays(d), 0, 1440, "Formation des agents")
		}
		for _, res := range a.Resources {
			for d := g.r.IntN(20); d < g.o.Days; d += 15 + g.r.IntN(10) {
				add(res.ID, g.first.AddDays(d), 13*60+30, 17*60, "Réunion de service")
			}
		}
	}
	g.out.Exceptions = len(rows) / 10
	return g.s.db.InTx(ctx, func(tx *db.Tx) error {
		return db.InsertMany(ctx, tx, "appointment_exceptions", []string{"id", "tenant_id", "agenda_id", "resource_id",
			"day", "start_minute", "end_minute", "kind", "reason", "created_at"}, rows)
	})
}

// largeWriterCache gives SQLite's writer a page cache that holds the index
// pages a transaction of generated rows touches, and keeps the statement
// journals of its many-row inserts in memory instead of temporary files
// (the connection string sets neither); it returns what restores both.
func (s *Store) largeWriterCache(ctx context.Context) (func(), error) {
	if s.db.Dialect() != db.SQLite {
		return func() {}, nil
	}
	var size int
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, "PRAGMA cache_size").Scan(&size); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "PRAGMA cache_size = -65536") // KiB
		return err
	})
	if err == nil {
		// Not inside a transaction, which SQLite refuses; Exec runs on the writer.
		_, err = s.db.Exec(ctx, "PRAGMA temp_store = MEMORY")
	}
	if err != nil {
		return nil, fmt.Errorf("appointment: generate: %w", err)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		_, _ = s.db.Exec(ctx, "PRAGMA temp_store = DEFAULT")
		_ = s.db.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, "PRAGMA cache_size = "+strconv.Itoa(size))
			return err
		})
	}, nil
}
