package participationweb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/tenant"
)

// The moderation's demo texts; the isolation rows find the records by
// them.
const (
	modDemoHeldArgument = "Je suis pour : le samedi matin, la rue serait enfin aux familles et aux commerçants du marché. " +
		"Les enfants pourraient y jouer sans danger."
	modDemoSpam = "Trottinettes électriques à prix cassés ! Trottinettes électriques à prix cassés ! " +
		"Réservez vite sur www.trottiloc-promo.com, trottiloc-promo.com/offre ou http://promo-trotti.xyz/montclair"
	modDemoReported = "Encore une fête pour rien. De toute façon ceux qui l'organisent n'ont que ça à faire, " +
		"et ils décident pour tout le monde."
	modDemoHidden = "Pour les tables, il faudra passer devant le 12 : le voisin qui laisse sa haie déborder sur le trottoir " +
		"est un sans-gêne et un égoïste de première, tout le monde le sait dans la rue."
	modDemoHiddenReason = "Propos injurieux envers un voisin, contraires à la charte."
	modDemoAppeal       = "Je reconnais que le ton était vif, mais je voulais surtout signaler la haie qui oblige les " +
		"poussettes à passer sur la route. Je peux reformuler sans viser personne."
	modDemoBlockedEmail = "compte.bloque@courriel.localhost"
	modDemoModerator    = "moderation@montclair.localhost"
)

// seedModeration adds the moderation of the demo: a new account's
// argument held in the debates' space, a spammy message held by its
// score, a message reported by two residents, the demo resident's
// message hidden with her appeal waiting, and a blocked resident.
func (c *Capability) seedModeration(ctx context.Context, d demoTown) error {
	if len(d.residents) < 10 {
		return nil
	}
	t := d.tenant
	now := c.k.Now().UTC().Truncate(time.Minute)
	claire, francoise, thomas, sophie, emma := d.residents[0], d.residents[2], d.residents[4], d.residents[5], d.residents[9]
	moderatorID := ""
	if u, err := c.k.Accounts.ByEmail(ctx, t.ID, modDemoModerator); err == nil {
		moderatorID = u.ID
	}

	// A new account's argument, held by the debates' rules.
	sp, th, err := c.modDemoThread(ctx, t, "debats-de-la-commune", participation.Debate, d.residents[2],
		"Faut-il rendre la rue du Marché piétonne le samedi ?",
		"La municipalité propose de fermer la rue du Marché aux voitures le samedi de 7 h à 13 h. Qu'en pensez-vous ?")
	if err != nil {
		return err
	}
	held, err := c.Store.Reply(ctx, sp, th, emma, participation.For, modDemoHeldArgument)
	if err != nil {
		return fmt.Errorf("held argument: %w", err)
	}
	if err := c.modDateDemo(ctx, t, held, now.Add(-5*time.Hour)); err != nil {
		return err
	}

	// A spammy message, held by its score.
	sp, th, err = c.modDemoThread(ctx, t, "se-deplacer", participation.Discussion, d.residents[1],
		"Horaires de la ligne 2 le dimanche",
		"Le samedi, impossible de trouver un arceau libre devant la médiathèque. Pourrait-on en ajouter quelques-uns ?")
	if err != nil {
		return err
	}
	spam, err := c.Store.Reply(ctx, sp, th, emma, "", modDemoSpam)
	if err != nil {
		return fmt.Errorf("spam: %w", err)
	}
	if err := c.modDateDemo(ctx, t, spam, now.Add(-3*time.Hour)); err != nil {
		return err
	}

	// A message two residents reported.
	sp, th, err = c.modDemoThread(ctx, t, "quartier-des-tilleuls", participation.Discussion, d.residents[2],
		"Fête des voisins du 29 mai : qui s'occupe de quoi ?",
		"La fête des voisins aura lieu le 29 mai dans la rue des Tilleuls. Qui apporte des tables, qui s'occupe de la musique ?")
	if err != nil {
		return err
	}
	reported, err := c.Store.Reply(ctx, sp, th, thomas, "", modDemoReported)
	if err != nil {
		return fmt.Errorf("reported: %w", err)
	}
	if err := c.modDateDemo(ctx, t, reported, now.Add(-26*time.Hour)); err != nil {
		return err
	}
	if err := c.Store.Report(ctx, t.ID, reported.ID, francoise.ID, participation.ReasonInsult,
		"Ce n'est pas la première fois qu'il dénigre les bénévoles du comité."); err != nil {
		return err
	}
	if err := c.Store.Report(ctx, t.ID, reported.ID, sophie.ID, participation.ReasonOffTopic, ""); err != nil {
		return err
	}

	// The demo resident's message, hidden, with her appeal waiting.
	hidden, err := c.Store.Reply(ctx, sp, th, claire, "", modDemoHidden)
	if err != nil {
		return fmt.Errorf("hidden: %w", err)
	}
	if err := c.modDateDemo(ctx, t, hidden, now.Add(-50*time.Hour)); err != nil {
		return err
	}
	if _, err := c.Store.Hide(ctx, t.ID, hidden.ID, modDemoHiddenReason, moderatorID); err != nil {
		return err
	}
	if _, err := c.Store.Appeal(ctx, t.ID, hidden.ID, claire.ID, modDemoAppeal); err != nil {
		return err
	}

	// A resident blocked after repeated breaches.
	blocked, err := c.seedResidents(ctx, t, []demoResident{{modDemoBlockedEmail, "Marc Dupuis", 210}})
	if err != nil {
		return err
	}
	insult, err := c.Store.Reply(ctx, sp, th, blocked[0], "", "Vous êtes tous des incapables dans ce quartier, il faudrait tous vous remplacer.")
	if err != nil {
		return fmt.Errorf("blocked resident's message: %w", err)
	}
	if err := c.modDateDemo(ctx, t, insult, now.Add(-4*24*time.Hour)); err != nil {
		return err
	}
	if _, err := c.Store.Hide(ctx, t.ID, insult.ID, "Insultes envers les habitants du quartier.", moderatorID); err != nil {
		return err
	}
	return c.Store.Block(ctx, t.ID, blocked[0].ID, "Insultes répétées envers d'autres participants, malgré un premier message masqué.",
		now.Add(14*24*time.Hour), moderatorID)
}

// modDemoThread is the thread of kind titled title in the space slug,
// else its latest open one, or one the moderation's demo opens when the
// other parts' demos made none.
func (c *Capability) modDemoThread(ctx context.Context, t *tenant.Tenant, slug, kind string, a participation.Author,
	title, body string) (*participation.Space, *participation.Thread, error) {
	sp, err := c.Store.SpaceBySlug(ctx, t.ID, slug)
	if err != nil {
		return nil, nil, fmt.Errorf("space %s: %w", slug, err)
	}
	list, err := c.Store.Threads(ctx, t.ID, sp.ID, kind, 10)
	if err != nil {
		return nil, nil, err
	}
	var open *participation.Thread
	for _, th := range list {
		if th.Closed() {
			continue
		}
		if modSpaces.Replace(th.Title) == modSpaces.Replace(title) {
			return sp, th, nil
		}
		if open == nil {
			open = th
		}
	}
	if open != nil {
		return sp, open, nil
	}
	th := &participation.Thread{Kind: kind, Title: title}
	if _, err := c.Store.StartThread(ctx, sp, th, a, body); err != nil {
		return nil, nil, fmt.Errorf("thread %q: %w", title, err)
	}
	return sp, th, nil
}

// modSpaces compares titles whatever their no-break spaces.
var modSpaces = strings.NewReplacer("\u202f", " ", "\u00a0", " ")

// modDateDemo dates a message back, and its thread's activity with it.
func (c *Capability) modDateDemo(ctx context.Context, t *tenant.Tenant, m *participation.Message, at time.Time) error {
	db := c.Store.DB()
	if _, err := db.Exec(ctx, `UPDATE participation_messages SET created_at = ? WHERE tenant_id = ? AND id = ?`, at, t.ID, m.ID); err != nil {
		return err
	}
	_, err := db.Exec(ctx, `UPDATE participation_threads SET last_activity_at = (SELECT MAX(created_at) FROM participation_messages
		WHERE tenant_id = ? AND thread_id = ? AND state = ?) WHERE tenant_id = ? AND id = ?`,
		t.ID, m.ThreadID, participation.Visible, t.ID, m.ThreadID)
	return err
}
