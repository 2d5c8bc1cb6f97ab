package participationweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/participation"
)

// demoNotifySpace is the demo resident's neighbourhood's space.
const demoNotifySpace = "quartier-des-tilleuls"

// demoNotifyReplies are the neighbours' replies the demo resident hears
// of, in the flea market's thread: who writes (townResidents' index),
// what. The last one names her.
var demoNotifyReplies = []struct {
	who  int
	body string
}{
	{3, "Je peux prêter deux tables pliantes et une dizaine de chaises."},
	{4, "Je prends un stand avec mes voisins du 12\u00a0: jouets et livres d'enfants."},
	{5, "Pour l'ambiance, mon voisin a une petite sono\u00a0: je lui demande\u00a0?"},
	{6, "Je tiendrai la buvette avec ma sœur, on fera des crêpes."},
	{7, "Il faudrait demander à la mairie le prêt des barrières pour fermer la rue."},
	{3, "La demande de barrières est partie ce matin, réponse sous quinze jours."},
	{8, "Je m'occupe des affiches chez les commerçants de la place."},
	{5, "@Claire Martin, vous pourriez faire le point des inscrits jeudi\u00a0?"},
}

// seedNotifications gives the demo resident a few followed threads and
// about eight notifications of her neighbours' replies (the oldest read),
// with her settings: replies in the daily digest, mentions at once.
func (c *Capability) seedNotifications(ctx context.Context, d demoTown) error {
	if len(d.residents) < 9 {
		return nil
	}
	t, claire := d.tenant, d.residents[0]
	threads, err := c.demoFollowed(ctx, d)
	if err != nil {
		return err
	}
	if err := c.Store.SaveNotificationSettings(ctx, t.ID, claire.ID, []participation.NotifySetting{
		{Kind: participation.KindReply, Mode: participation.ModeDaily},
		{Kind: participation.KindMention, Mode: participation.ModeImmediate},
		{Kind: participation.KindMessage, Mode: participation.ModeImmediate},
		{Kind: participation.KindModeration, Mode: participation.ModeImmediate},
	}); err != nil {
		return err
	}
	// She wrote in the flea market's thread: a reply may name her.
	first := threads[0]
	sp, err := c.Store.Space(ctx, t.ID, first.SpaceID)
	if err != nil {
		return err
	}
	m, err := c.Store.Reply(ctx, sp, first, claire, "", "Je veux bien tenir la liste des inscrits\u00a0: écrivez-moi ici.")
	if err != nil {
		return fmt.Errorf("demo notifications: %w", err)
	}
	written := []string{m.ID}
	for _, r := range demoNotifyReplies {
		m, err := c.Store.Reply(ctx, sp, first, d.residents[r.who], "", r.body)
		if err != nil {
			return fmt.Errorf("demo notifications: %w", err)
		}
		written = append(written, m.ID)
	}
	// Spread these messages and their notifications over yesterday's
	// daytime, the first three read, the thread opened that morning.
	local := c.k.Now().In(t.Location())
	morning := time.Date(local.Year(), local.Month(), local.Day()-1, 8, 30, 0, 0, t.Location()).UTC()
	at := func(i int) time.Time { return morning.Add(time.Duration(30+i*80) * time.Minute) }
	opened := morning
	if _, err := c.k.DB.Exec(ctx, `UPDATE participation_threads SET created_at = ?, last_activity_at = ?
		WHERE tenant_id = ? AND id = ?`, opened, at(len(written)-1), t.ID, first.ID); err != nil {
		return err
	}
	if _, err := c.k.DB.Exec(ctx, `UPDATE participation_messages SET created_at = ? WHERE tenant_id = ? AND thread_id = ? AND opener`,
		opened, t.ID, first.ID); err != nil {
		return err
	}
	for i, id := range written {
		at := at(i)
		var read any
		if i <= 3 {
			read = at.Add(time.Hour)
		}
		if _, err := c.k.DB.Exec(ctx, `UPDATE participation_messages SET created_at = ? WHERE tenant_id = ? AND id = ?`,
			at, t.ID, id); err != nil {
			return err
		}
		if _, err := c.k.DB.Exec(ctx, `UPDATE participation_notifications SET created_at = ?,
			read_at = CASE WHEN user_id = ? THEN ? ELSE read_at END WHERE tenant_id = ? AND message_id = ?`,
			at, claire.ID, read, t.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// demoFollowed starts the flea market's thread in the demo
// resident's neighbourhood, makes her follow it and two of the
// discussions' demo's threads she did not start, and returns them, the
// flea market's first.
func (c *Capability) demoFollowed(ctx context.Context, d demoTown) ([]*participation.Thread, error) {
	t, claire := d.tenant, d.residents[0]
	sp, err := c.Store.SpaceBySlug(ctx, t.ID, demoNotifySpace)
	if err != nil {
		return nil, err
	}
	market := &participation.Thread{Kind: participation.Discussion, Title: "Vide-grenier des Tilleuls le 14 juin\u00a0: qui tient un stand\u00a0?"}
	if _, err := c.Store.StartThread(ctx, sp, market, d.residents[2],
		"L'amicale organise le vide-grenier du quartier le dimanche 14 juin, rue des Acacias. Dites ici si vous tenez "+
			"un stand ou si vous pouvez aider à l'installation, qu'on s'organise."); err != nil {
		return nil, fmt.Errorf("demo notifications: %w", err)
	}
	threads := []*participation.Thread{market}
	all, err := c.Store.Threads(ctx, t.ID, "", participation.Discussion, 50)
	if err != nil {
		return nil, err
	}
	for _, th := range all {
		if th.ID != market.ID && th.AuthorID != claire.ID && !th.Closed() && len(threads) < 3 {
			threads = append(threads, th)
		}
	}
	for _, th := range threads {
		if err := c.Store.Follow(ctx, t.ID, th.ID, claire.ID); err != nil {
			return nil, err
		}
	}
	return threads, nil
}
