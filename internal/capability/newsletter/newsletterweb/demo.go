package newsletterweb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// demoPeople are the made-up subscribers of the demo, as "First Last".
var demoPeople = []string{
	"Marie Durand", "Jean Martin", "Sophie Bernard", "Luc Petit", "Camille Robert", "Hugo Richard", "Léa Moreau", "Nathan Simon",
	"Chloé Laurent", "Louis Lefebvre", "Emma Michel", "Gabriel Garcia", "Jade David", "Arthur Bertrand", "Louise Roux",
	"Raphaël Vincent", "Alice Fournier", "Jules Morel", "Lina Girard", "Adam André", "Rose Mercier", "Paul Dupont",
	"Anna Lambert", "Tom Bonnet", "Inès François", "Noah Martinez", "Zoé Legrand", "Sacha Garnier", "Manon Faure",
	"Victor Rousseau", "Julia Blanc", "Ethan Guérin", "Clara Muller", "Théo Henry", "Sarah Roussel", "Maël Nicolas",
	"Agathe Perrin", "Samuel Morin", "Margaux Mathieu", "Oscar Clément",
}

// demoAddress turns a name into a made-up address.
func demoAddress(name string) string {
	r := strings.NewReplacer(" ", ".", "é", "e", "è", "e", "ë", "e", "ï", "i", "ç", "c")
	return strings.ToLower(r.Replace(name)) + "@courriel.localhost"
}

// SeedDemo implements kernel.DemoContent: lists, subscribers (some
// waiting for their confirmation, one suspended), two newsletters sent
// in the archive and a draft of the next one built from the latest news
// item and event.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		if err := c.seedDemo(ctx, t, slug == demo.Town); err != nil {
			return fmt.Errorf("newsletter demo of %s: %w", slug, err)
		}
	}
	return nil
}

func (c *Capability) seedDemo(ctx context.Context, t *tenant.Tenant, town bool) error {
	s := c.Store
	site, _, err := c.k.Links(ctx, t.ID)
	if err != nil {
		return err
	}
	type list struct {
		name, desc, kind string
		public           bool
	}
	lists := []list{
		{"Vie municipale", "Décisions du conseil, services de la mairie, démarches.", newsletter.KindTopic, true},
		{"Travaux et circulation", "Chantiers, fermetures de rues, déviations.", newsletter.KindTopic, true},
		{"Culture et agenda", "Spectacles, expositions, fêtes et marchés.", newsletter.KindTopic, true},
		{"Quartier des Tilleuls", "Ce qui se passe dans le quartier des Tilleuls.", newsletter.KindNeighbourhood, true},
		{"Quartier de la Gare", "Ce qui se passe dans le quartier de la Gare.", newsletter.KindNeighbourhood, true},
		{"Associations sportives", "Informations pour les clubs et leurs bénévoles.", newsletter.KindCommunity, true},
		{"Conseil des aînés", "Réservée aux membres du conseil des aînés.", newsletter.KindCommunity, false},
	}
	people := demoPeople
	if !town {
		lists = []list{
			{"Vie du village", "Conseil municipal, travaux et fêtes du village.", newsletter.KindTopic, true},
			{"Hameau des Granges", "Ce qui concerne le hameau des Granges.", newsletter.KindNeighbourhood, true},
		}
		people = demoPeople[:8]
	}
	var ids []string
	for i, l := range lists {
		nl := &newsletter.List{TenantID: t.ID, Name: l.name, Description: l.desc, Kind: l.kind, Public: l.public, Position: i}
		if err := s.SaveList(ctx, nl); err != nil {
			return err
		}
		ids = append(ids, nl.ID)
	}
	// Most people subscribed from the form; the rest came from the paper
	// forms of the reception desk, imported with their consent's source.
	var csv strings.Builder
	csv.WriteString("email;nom;langue;listes\n")
	for i, name := range people {
		lang := "fr"
		if i%9 == 4 {
			lang = "en"
		}
		chosen := []string{lists[0].name, lists[1+i%(len(lists)-1)].name}
		fmt.Fprintf(&csv, "%s;%s;%s;%s\n", demoAddress(name), name, lang, strings.Join(chosen, "|"))
	}
	if town { // the demo resident reads it too: her data export shows it
		fmt.Fprintf(&csv, "%s;;fr;%s\n", demo.Resident, lists[0].name)
	}
	imp, err := s.StartImport(ctx, newsletter.ImportRequest{TenantID: t.ID, Name: "bulletins-accueil.csv", Author: "Service communication",
		Body: strings.NewReader(csv.String()), ConsentSource: "bulletins d'inscription papier, accueil de la mairie, 2025",
		BaseURL: site})
	if err != nil {
		return err
	}
	if err := s.RunImport(ctx, t.ID, imp.ID); err != nil {
		return err
	}
	// Some agreed to the measure; one address bounces; two wait for
	// their confirmation link.
	if _, err := s.DB().Exec(ctx, `UPDATE newsletter_subscribers SET measure = ? WHERE tenant_id = ? AND (email LIKE 'm%' OR email LIKE 'l%' OR email LIKE 'a%')`,
		true, t.ID); err != nil {
		return err
	}
	if err := s.Bounce(ctx, t.ID, demoAddress(people[3]), newsletter.BounceHard); err != nil {
		return err
	}
	for _, name := range []string{"Yasmine Haddad", "Pierre Lemoine"} {
		if err := s.Subscribe(ctx, t.ID, newsletter.Subscription{Email: demoAddress(name), Name: name, Lang: "fr", Lists: ids[:1]},
			site); err != nil {
			return err
		}
	}
	if !town {
		return c.demoCampaigns(ctx, t, []demoCampaign{{
			subject: "Sauvigny-le-Haut : la lettre de l'automne", at: -40,
			text: "Bonjour,\n\nLa salle des fêtes rouvre après ses travaux d'isolation. La mairie est fermée le 11 novembre.\n\nBonne lecture !"}})
	}
	return c.demoCampaigns(ctx, t, []demoCampaign{
		{subject: "Lettre d'octobre : rentrée, rue Haute et fête des vendanges", at: -62, measure: true,
			text: "Bonjour,\n\nLes travaux de la **rue Haute** s'achèvent : la circulation y est rétablie dans les deux sens.\n\n" +
				"La fête des vendanges a réuni plus de 800 personnes place de la Mairie. Merci aux associations et aux bénévoles !\n\n" +
				"- inscriptions à l'école de musique jusqu'au 15 octobre ;\n- permanence de l'élu aux quartiers chaque samedi matin.",
			textEN: "Hello,\n\nThe roadworks on rue Haute are over: traffic flows both ways again.\n\nThe grape harvest festival brought more than 800 people together."},
		{subject: "Lettre de novembre : encombrants, 11-Novembre et marchés des fêtes", at: -30, lists: []string{ids[0], ids[2]},
			text: "Bonjour,\n\nLe **marché de Noël** revient sur la place de la Mairie les 12 et 13 décembre, avec 40 exposants.\n\n" +
				"La collecte des encombrants passe le 25 novembre : inscrivez-vous auprès de l'accueil de la mairie.\n\n" +
				"Cérémonie du 11 novembre à 11 h au monument aux morts."},
		{subject: "Lettre de décembre : fêtes de fin d'année", at: 0, draft: true, withLatest: true,
			text: "Bonjour,\n\nToute l'équipe municipale vous souhaite de belles fêtes de fin d'année.\n\nVoici les rendez-vous des prochaines semaines."},
	})
}

// demoCampaign is a newsletter of the demo; at is its sending, in days
// from now.
type demoCampaign struct {
	subject, text, textEN string
	at                    int
	lists                 []string
	measure, draft        bool
	withLatest            bool
}

func (c *Capability) demoCampaigns(ctx context.Context, t *tenant.Tenant, list []demoCampaign) error {
	s := c.Store
	for _, d := range list {
		camp := &newsletter.Campaign{TenantID: t.ID, Lists: d.lists, Measure: d.measure, Archived: true, Author: "Service communication",
			French: newsletter.Version{Subject: d.subject, Blocks: []newsletter.Block{{Type: newsletter.BlockText, Text: d.text}}}}
		if d.textEN != "" {
			camp.English = newsletter.Version{Subject: "October newsletter", Blocks: []newsletter.Block{{Type: newsletter.BlockText, Text: d.textEN}}}
		}
		if d.withLatest {
			for _, kind := range []string{"news", "event"} {
				src, ok := c.k.PublicationsOf(kind)
				if !ok {
					continue
				}
				recent, err := src.Recent(ctx, t.ID, c.k.Now(), 1)
				if err != nil {
					return err
				}
				for _, p := range recent {
					b := newsletter.Block{Type: map[string]string{"news": newsletter.BlockNews, "event": newsletter.BlockEvent}[kind],
						Ref: p.ID, Title: p.Title, Summary: p.Summary, Path: p.Path, Place: p.Place}
					if kind == "event" && !p.Starts.IsZero() {
						b.When = dateTime(p.Starts.In(t.Location()), "fr")
					}
					camp.French.Blocks = append(camp.French.Blocks, b)
				}
			}
		}
		if err := s.SaveCampaign(ctx, camp); err != nil {
			return err
		}
		if d.draft {
			continue
		}
		if err := s.RecordSent(ctx, camp, c.k.Now().AddDate(0, 0, d.at).Truncate(time.Minute), 2); err != nil {
			return err
		}
	}
	return nil
}
