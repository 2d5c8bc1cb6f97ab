package appointmentweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// identityDocuments lists what to bring for a passport or an identity card
// (service-public.fr, pages on passports and identity cards).
const identityDocuments = "Récapitulatif de la pré-demande ANTS (numéro ou QR code)\n" +
	"Photo d'identité de moins de 6 mois, conforme aux normes\n" +
	"Justificatif de domicile de moins d'un an\n" +
	"Ancien titre, ou déclaration de perte ou de vol\n" +
	"Timbre fiscal pour un passeport (86 € pour un adulte)"

// SeedDemo implements kernel.DemoContent: it creates the town's état civil agenda (passports and
// identity cards at a fingerprint station, and counters) and urban
// planning counselling, the village's town hall agenda, and a few bookings.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	weekdays := func(spans ...[2]int) []appointment.Hours {
		var h []appointment.Hours
		for wd := time.Monday; wd <= time.Friday; wd++ {
			for _, s := range spans {
				h = append(h, appointment.Hours{Weekday: wd, Start: s[0], End: s[1]})
			}
		}
		return h
	}
	town, village := tenants[demo.Town], tenants[demo.Village]
	agendas := []*appointment.Agenda{
		{TenantID: town.ID, Slug: "passeports-cni", ServiceKey: "etat-civil", Service: "État civil", Name: "Passeports et cartes d'identité",
			Place: "Hôtel de ville, rez-de-chaussée, guichet 3", Description: "Dépôt et retrait des demandes de passeport et de carte nationale d'identité.",
			Step: 20 * time.Minute, MinNotice: 2 * time.Hour, WindowDays: 60, ReleaseMinute: 8 * 60, Hold: 2 * time.Hour,
			Reminders: []time.Duration{48 * time.Hour, 2 * time.Hour}, Active: true,
			Hours: append(weekdays([2]int{8*60 + 30, 12 * 60}, [2]int{13*60 + 30, 17 * 60}),
				appointment.Hours{Weekday: time.Saturday, Start: 9 * 60, End: 12 * 60}),
			Resources: []appointment.Resource{{Name: "Station biométrique 1", Kind: "fingerprint"},
				// The second station is staffed on Tuesday and Thursday mornings only.
				{Name: "Station biométrique 2", Kind: "fingerprint", Position: 1, Hours: []appointment.Hours{
					{Weekday: time.Tuesday, Start: 8*60 + 30, End: 12 * 60}, {Weekday: time.Thursday, Start: 8*60 + 30, End: 12 * 60}}}},
			Types: []appointment.Type{
				{Slug: "passeport-cni", Name: "Passeport ou carte d'identité, une personne", Duration: 20 * time.Minute,
					Documents: identityDocuments, ANTS: true, OnePerPerson: true},
				{Slug: "famille", Name: "Passeport ou carte d'identité, famille de quatre", Duration: 40 * time.Minute, People: 4,
					Documents: identityDocuments + "\nLivret de famille pour les mineurs", ANTS: true, OnePerPerson: true, Position: 1},
				{Slug: "retrait", Name: "Retrait d'un titre", Duration: 10 * time.Minute,
					Documents: "Ancien titre\nRécépissé de dépôt", OnePerPerson: true, Position: 2},
			}},
		{TenantID: town.ID, Slug: "urbanisme", ServiceKey: "urbanisme", Service: "Urbanisme", Name: "Conseil en urbanisme",
			Place: "Centre technique municipal, 4 rue des Artisans", Description: "Un instructeur répond à vos questions avant un permis de construire ou une déclaration préalable.",
			Step: 30 * time.Minute, Buffer: 10 * time.Minute, MinNotice: 24 * time.Hour, WindowDays: 45, ReleaseMinute: 8 * 60,
			Hold: 4 * time.Hour, Reminders: []time.Duration{24 * time.Hour}, Active: true,
			Hours:     append(weekdays([2]int{14 * 60, 17 * 60})[:2], weekdays([2]int{9 * 60, 12 * 60})[2:3]...),
			Resources: []appointment.Resource{{Name: "Instructeur urbanisme", Kind: "agent"}},
			Types: []appointment.Type{{Slug: "conseil", Name: "Conseil avant un projet de construction", Duration: 30 * time.Minute,
				Documents: "Plan de situation du terrain\nCroquis ou photos du projet\nRéférences cadastrales si vous les connaissez", OnePerPerson: true}}},
		{TenantID: village.ID, Slug: "mairie", ServiceKey: "accueil", Service: "Secrétariat de mairie", Name: "Rendez-vous en mairie",
			Place: "Mairie, 1 place de l'Église", Description: "Le secrétariat vous reçoit sur rendez-vous pour toutes vos démarches.",
			Step: 15 * time.Minute, MinNotice: 24 * time.Hour, WindowDays: 30, ReleaseMinute: 8 * 60, Hold: 24 * time.Hour,
			Reminders: []time.Duration{24 * time.Hour}, Active: true,
			Hours: []appointment.Hours{{Weekday: time.Tuesday, Start: 9 * 60, End: 12 * 60}, {Weekday: time.Thursday, Start: 14 * 60, End: 18 * 60},
				{Weekday: time.Saturday, Start: 9 * 60, End: 11 * 60}},
			Resources: []appointment.Resource{{Name: "Secrétariat", Kind: "agent"}},
			Types: []appointment.Type{{Slug: "demarche", Name: "Démarche administrative", Duration: 15 * time.Minute,
				Documents: "Pièce d'identité", OnePerPerson: false},
				{Slug: "elu", Name: "Rencontre avec le maire", Duration: 30 * time.Minute, OnePerPerson: true, Position: 1}}},
	}
	for _, ag := range agendas {
		if err := c.Store.CreateAgenda(ctx, ag); err != nil {
			return fmt.Errorf("demo agenda %s: %w", ag.Slug, err)
		}
	}
	return c.seedBookings(ctx, town, agendas[0])
}

// seedBookings books the first free slots of the coming days for demo
// people, confirmed.
func (c *Capability) seedBookings(ctx context.Context, t *tenant.Tenant, ag *appointment.Agenda) error {
	full, err := c.Store.Agenda(ctx, t.ID, ag.ID)
	if err != nil {
		return err
	}
	site, loc, err := c.k.Links(ctx, t.ID)
	if err != nil {
		return err
	}
	today := appointment.DayOf(c.Store.Now(), loc)
	slots, _, err := c.Store.Free(ctx, full, loc, full.Type("passeport-cni"), today.AddDays(1), today.AddDays(14))
	if err != nil {
		return err
	}
	people := []struct{ name, email, ants string }{
		{"Habitante de démonstration", "habitante@courriel.localhost", "DEMO000001"},
		{"Habitant de démonstration", "habitant@courriel.localhost", "DEMO000002"},
		{"Usager invité", "usager.invite@courriel.localhost", "DEMO000003"},
	}
	for i, p := range people {
		if 3*i >= len(slots) {
			break
		}
		req := &appointment.Request{Agenda: full, Type: full.Type("passeport-cni"), Loc: loc,
			Start: slots[3*i].Start, Name: p.name, Email: p.email, Phone: "06 00 00 00 0" + fmt.Sprint(i+1), ANTS: p.ants,
			Lang: "fr", BookedBy: "guest", SiteURL: site,
			Verified: true} // demo people: their bookings are confirmed already
		if u, err := c.k.Accounts.ByEmail(ctx, t.ID, p.email); err == nil {
			req.UserID, req.BookedBy = u.ID, "resident"
		}
		_, err := c.Store.Book(ctx, req)
		if err != nil {
			return fmt.Errorf("demo booking: %w", err)
		}
	}
	return nil
}
