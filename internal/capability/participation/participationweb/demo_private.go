package participationweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
)

// privateModerator writes the mairie's private message of the demo.
const privateModerator = "moderation@montclair.localhost"

// demoPrivate is a message of a demo conversation: who writes it (an
// index in the conversation's two people), how long ago, and whether its
// recipient has opened it.
type demoPrivate struct {
	from int
	ago  time.Duration
	body string
	read bool
}

// seedPrivate gives the demo resident private messages: she and Françoise
// Lemoine accept them and talk about the neighbourhood committee, and the
// mairie's moderators asked her about one of her messages.
func (c *Capability) seedPrivate(ctx context.Context, d demoTown) error {
	if len(d.residents) < 3 {
		return nil
	}
	t := d.tenant
	claire, francoise := d.residents[0], d.residents[2]
	for _, a := range []participation.Author{claire, francoise} {
		if err := c.Store.SetAcceptsPrivate(ctx, t.ID, a.ID, true); err != nil {
			return err
		}
	}
	day := 24 * time.Hour
	if err := c.seedConversation(ctx, t.ID, [2]participation.Author{francoise, claire},
		"Comité de quartier des Tilleuls : réunion de jeudi", []demoPrivate{
			{0, 5 * day, "Bonjour Claire,\n\nLe comité de quartier se réunit jeudi à 18 h 30 à la maison des Tilleuls. " +
				"Nous préparons la fête des voisins et la demande de bancs supplémentaires au square. Seriez-vous " +
				"disponible pour tenir le stand des inscriptions ?\n\nBien à vous,\nFrançoise", true},
			{1, 4*day + 3*time.Hour, "Bonjour Françoise,\n\nAvec plaisir, je serai là jeudi. J'apporterai aussi la liste " +
				"des voisins de la rue des Lilas qui veulent participer à la fête.\n\nÀ jeudi !\nClaire", true},
			{0, 20 * time.Hour, "Merci Claire ! Pensez au plan du square : nous marquerons ensemble l'emplacement des " +
				"bancs souhaités avant de l'envoyer au service des espaces verts.", false},
		}); err != nil {
		return fmt.Errorf("private messages: %w", err)
	}
	mod, err := c.k.Accounts.ByEmail(ctx, t.ID, privateModerator)
	if err != nil {
		return nil // a demo without the moderators' account
	}
	staff := participation.Author{ID: mod.ID, Name: mod.Name, Staff: true}
	if err := c.seedConversation(ctx, t.ID, [2]participation.Author{staff, claire},
		"Votre proposition dans « Se déplacer à Montclair »", []demoPrivate{
			{0, 9 * day, "Bonjour Madame Martin,\n\nMerci pour votre proposition d'arceaux à vélos devant l'école " +
				"Jules-Ferry. Le service de la voirie l'étudie : pouvez-vous nous préciser s'il s'agit de l'entrée " +
				"de la rue Pasteur ou de celle du boulevard ?\n\nL'équipe de modération de la mairie", true},
			{1, 8 * day, "Bonjour,\n\nIl s'agit de l'entrée de la rue Pasteur, où les parents attachent leurs vélos " +
				"aux grilles faute de place. Merci de votre suivi.\n\nClaire Martin", true},
			{0, 2 * day, "Merci pour cette précision. Quatre arceaux seront posés rue Pasteur pendant les vacances " +
				"de printemps ; nous l'annoncerons aussi dans l'espace « Se déplacer à Montclair ».", true},
		}); err != nil {
		return fmt.Errorf("private messages: %w", err)
	}
	return nil
}

// seedConversation writes msgs between people, people[0] starting, and
// dates them (their notifications too) as the demo says.
func (c *Capability) seedConversation(ctx context.Context, tenantID string, people [2]participation.Author, subject string,
	msgs []demoPrivate) error {
	now := c.k.Now().UTC()
	conv, err := c.Store.StartConversation(ctx, tenantID, people[0], people[1].ID, subject, msgs[0].body)
	if err != nil {
		return err
	}
	var ids []string
	err = db.Each(ctx, c.k.DB, `SELECT id FROM participation_private_messages WHERE tenant_id = ? AND conversation_id = ?`,
		func(row db.Row) error {
			var id string
			err := row.Scan(&id)
			ids = append(ids, id)
			return err
		}, tenantID, conv.ID)
	if err != nil {
		return err
	}
	for _, m := range msgs[1:] {
		pm, err := c.Store.AnswerPrivate(ctx, tenantID, conv.ID, people[m.from], m.body)
		if err != nil {
			return err
		}
		ids = append(ids, pm.ID)
	}
	for i, id := range ids {
		at := now.Add(-msgs[i].ago)
		var read any
		if msgs[i].read {
			read = at.Add(time.Hour)
		}
		if _, err := c.k.DB.Exec(ctx, `UPDATE participation_private_messages SET created_at = ?, read_at = ? WHERE tenant_id = ? AND id = ?`,
			at, read, tenantID, id); err != nil {
			return err
		}
	}
	first, last := now.Add(-msgs[0].ago), now.Add(-msgs[len(msgs)-1].ago)
	if _, err := c.k.DB.Exec(ctx, `UPDATE participation_conversations SET created_at = ?, last_at = ? WHERE tenant_id = ? AND id = ?`,
		first, last, tenantID, conv.ID); err != nil {
		return err
	}
	// Their notifications came with them; those of messages read were read.
	for _, p := range people {
		var readAt any
		unread := false
		for _, m := range msgs {
			unread = unread || (!m.read && people[m.from].ID != p.ID)
		}
		if !unread {
			readAt = last.Add(time.Hour)
		}
		if _, err := c.k.DB.Exec(ctx, `UPDATE participation_notifications SET created_at = ?, read_at = ?
			WHERE tenant_id = ? AND user_id = ? AND path = ?`, last, readAt, tenantID, p.ID,
			participation.ConversationsPath+"/"+conv.ID); err != nil {
			return err
		}
	}
	return nil
}
