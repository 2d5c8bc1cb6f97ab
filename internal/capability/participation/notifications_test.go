package participation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
)

// mailed is a mail the store queued, rendered as its reader gets it, and
// when.
type mailed struct {
	mail.Message
	Subject, Text string
	At            time.Time
}

// notifyOutbox keeps the mails the store queues, after rendering each in
// both languages from its data as the outbox stores it (JSON): a
// template that names a missing key fails the transaction.
type notifyOutbox struct {
	mu    sync.Mutex
	tpl   *mail.Templates
	clock func() time.Time
	mail  []mailed
}

func (o *notifyOutbox) EnqueueTx(_ context.Context, tx *db.Tx, m mail.Message) error {
	if tx == nil {
		return fmt.Errorf("a mail outside a transaction")
	}
	mine, err := renderMail(o.tpl, m)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mail = append(o.mail, mailed{Message: m, Subject: mine.Subject, Text: mine.Text, At: o.clock()})
	return nil
}

// take returns the mails queued since the last call to to (every one
// when to is empty) and of template ("" for any).
func (o *notifyOutbox) take(to, template string) []mailed {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out, rest []mailed
	for _, m := range o.mail {
		if (to == "" || m.To == to) && (template == "" || m.Template == template) {
			out = append(out, m)
		} else {
			rest = append(rest, m)
		}
	}
	o.mail = rest
	return out
}

// notifying sets e's store to queue mails in an outbox, on the town's
// site in Paris' zone.
func notifying(t *testing.T, e *env) *notifyOutbox {
	t.Helper()
	tpl := mail.NewTemplates()
	if err := tpl.Add("participation", participation.MailFiles()); err != nil {
		t.Fatal(err)
	}
	o := &notifyOutbox{tpl: tpl, clock: e.clock}
	e.s.Mail, e.s.Links = o, townLinks
	return o
}

func townLinks(context.Context, string) (string, *time.Location, error) {
	loc, err := time.LoadLocation("Europe/Paris")
	return "https://montclair.example", loc, err
}

// emailOf returns a resident's address.
func (e *env) emailOf(a participation.Author) string {
	e.t.Helper()
	u, err := e.users.Get(e.ctx, e.town.ID, a.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Email
}

// followThread makes a follow th.
func (e *env) followThread(th *participation.Thread, a participation.Author) {
	e.t.Helper()
	if _, err := e.d.Exec(e.ctx, `INSERT INTO participation_follows (thread_id, user_id, tenant_id, since) VALUES (?, ?, ?, ?)`,
		th.ID, a.ID, e.town.ID, e.clock()); err != nil {
		e.t.Fatal(err)
	}
}

// at sets the clock.
func (e *env) at(t time.Time) { e.mu.Lock(); e.now = t; e.mu.Unlock() }

// digests runs the digests, as the periodic job does.
func (e *env) digests() int {
	e.t.Helper()
	n, err := e.s.SendDigests(e.ctx, townLinks)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// setModes saves a's choices.
func (e *env) setModes(a participation.Author, list ...participation.NotifySetting) {
	e.t.Helper()
	if err := e.s.SaveNotificationSettings(e.ctx, e.town.ID, a.ID, list); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) centre(a participation.Author) []*participation.Notification {
	e.t.Helper()
	list, err := e.s.Notifications(e.ctx, e.town.ID, a.ID, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// TestTwoHundredRepliesMakeOneDigest: a resident following 20 threads
// where 200 replies come in over the day gets one digest the next morning
// summarising them all, and nothing before; another, who asked for every
// reply at once, gets no more than 4 mails in any hour, the rest in the
// same digest.
func TestTwoHundredRepliesMakeOneDigest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		out := notifying(t, e)
		year := 365 * 24 * time.Hour
		claire, julien, paul := e.author("Claire Martin", year), e.author("Julien Petit", year), e.author("Paul Renaud", year)
		var writers []participation.Author
		for _, name := range []string{"Nadia Benali", "Thomas Girard", "Sophie Marchand", "Karim Haddad", "Lucie Fontaine"} {
			writers = append(writers, e.author(name, year))
		}
		e.setModes(julien, participation.NotifySetting{Kind: participation.KindReply, Mode: participation.ModeImmediate})
		sp := e.space("quartier-des-tilleuls", participation.Rules{LinksAllowed: true})
		var threads []*participation.Thread
		for i := range 20 {
			th, _ := e.start(sp, paul, fmt.Sprintf("Sujet de quartier numéro %d", i+1),
				fmt.Sprintf("Parlons ensemble du sujet numéro %d du quartier.", i+1))
			e.followThread(th, claire)
			e.followThread(th, julien)
			threads = append(threads, th)
			e.advance(time.Minute)
		}
		// Tuesday 10:20 in Paris: 200 replies till about 1:00 at night,
		// at uneven intervals.
		for i := range 200 {
			e.advance(time.Duration(2+i%6) * time.Minute)
			e.reply(sp, threads[i%20], writers[i%5], fmt.Sprintf("Réponse %d au sujet %d : je suis d'accord.", i+1, i%20+1))
			if i%50 == 49 && e.digests() != 0 {
				t.Fatalf("a digest left before its hour, after %d replies", i+1)
			}
		}
		if got := out.take(e.emailOf(claire), ""); len(got) != 0 {
			t.Errorf("Claire got %d mails before her digest: %s", len(got), got[0].Subject)
		}
		now := out.take(e.emailOf(julien), "participation/notification")
		if len(now) < participation.ImmediateLimit {
			t.Errorf("Julien got %d immediate mails", len(now))
		}
		for i, m := range now {
			within := 0
			for _, o := range now[:i+1] {
				if m.At.Sub(o.At) < time.Hour {
					within++
				}
			}
			if within > participation.ImmediateLimit {
				t.Fatalf("%d immediate mails within the hour before %s", within, m.At)
			}
		}
		if unread, _ := e.s.Unread(e.ctx, e.town.ID, claire.ID); unread != 200 || len(e.centre(claire)) != 200 {
			t.Errorf("Claire's centre: %d unread, %d listed", unread, len(e.centre(claire)))
		}

		// Wednesday 7:00 in Paris: one digest each.
		e.at(time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC))
		e.digests()
		got := out.take(e.emailOf(claire), "")
		if len(got) != 1 || got[0].Template != "participation/digest" {
			t.Fatalf("Claire got %d mails, want one digest", len(got))
		}
		dg := got[0]
		if dg.Data["Count"] != 200 || len(dg.Data["Lines"].([]*participation.DigestLine)) != 20 {
			t.Errorf("digest of %v notifications in %d lines", dg.Data["Count"], len(dg.Data["Lines"].([]*participation.DigestLine)))
		}
		for _, want := range []string{"200 nouvelles notifications", "«\u00a0Sujet de quartier numéro 7\u00a0»",
			"10 nouvelles réponses", "Nadia Benali", "https://montclair.example/participer/discussions/"} {
			if !strings.Contains(dg.Subject+dg.Text, want) {
				t.Errorf("the digest lacks %q:\n%s\n%s", want, dg.Subject, dg.Text)
			}
		}
		jd := out.take(e.emailOf(julien), "")
		if len(jd) != 1 || jd[0].Template != "participation/digest" || jd[0].Data["Count"] != 200-len(now) {
			t.Errorf("Julien's digest: %+v, want one of %d notifications", jd, 200-len(now))
		}
		// Run again: nothing twice.
		if n := e.digests(); n != 0 || len(out.take(e.emailOf(claire), "")) != 0 {
			t.Errorf("a second run sent %d digests", n)
		}
		for _, n := range e.centre(claire) {
			if n.MailedAt == nil || n.Delivery != participation.DeliverDigest {
				t.Fatalf("a notification not marked mailed: %+v", n)
			}
		}
	})
}

// TestMentionsReachWhoWroteInTheThread: "@Prénom Nom" of someone who
// wrote in the thread is a mention (one notification, though they
// follow), mailed at once; a name that did not write there, or a longer
// name, is nothing.
func TestMentionsReachWhoWroteInTheThread(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		out := notifying(t, e)
		year := 365 * 24 * time.Hour
		claire, julien, nadia, paul := e.author("Claire Martin", year), e.author("Julien Petit", year),
			e.author("Nadia Benali", year), e.author("Paul Renaud", year)
		sp := e.space("se-deplacer", participation.Rules{LinksAllowed: true})
		th, _ := e.start(sp, claire, "Un arceau à vélos devant la médiathèque", "Il en manque un devant l'entrée.")
		e.reply(sp, th, julien, "Oui, et devant la poste aussi.")
		e.advance(time.Minute)
		m := e.reply(sp, th, nadia, "Bonne idée @Julien Petit ! Et merci @claire martin. @Paul Renaud, qu'en pensez-vous ?")
		for _, a := range []participation.Author{claire, julien} {
			list := e.centre(a)
			var mine []*participation.Notification
			for _, n := range list {
				if n.MessageID == m.ID {
					mine = append(mine, n)
				}
			}
			if len(mine) != 1 || mine[0].Kind != participation.KindMention || mine[0].Actor != "Nadia Benali" ||
				mine[0].Delivery != participation.DeliverNow || !strings.HasSuffix(mine[0].Path, "#message-"+m.ID) {
				t.Fatalf("%s's notifications of the message: %+v", a.Name, mine)
			}
			got := out.take(e.emailOf(a), "participation/notification")
			if len(got) == 0 || !strings.Contains(got[len(got)-1].Subject, "Nadia Benali vous mentionne") {
				t.Errorf("%s's mails: %+v", a.Name, got)
			}
		}
		if list := e.centre(paul); len(list) != 0 {
			t.Errorf("Paul, who never wrote there, was notified: %+v", list[0])
		}
		if list := e.centre(nadia); len(list) != 0 {
			t.Errorf("Nadia was notified of her own message: %+v", list[0])
		}
		for body, want := range map[string]bool{"@Julien Petit": true, "(@julien petit)": true, "@Julien Petitjean": false,
			"@Julien Petit-Durand": false, "Julien Petit": false, "merci @Julien Petit, à bientôt": true} {
			if participation.Mentions(body, "Julien Petit") != want {
				t.Errorf("Mentions(%q) is not %v", body, want)
			}
		}
	})
}

// TestImmediateMailsAreLimited: the fifth immediate mail of the hour
// waits for the digest, and the hour past, mails leave again.
func TestImmediateMailsAreLimited(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		out := notifying(t, e)
		year := 365 * 24 * time.Hour
		claire, julien := e.author("Claire Martin", year), e.author("Julien Petit", year)
		e.setModes(claire, participation.NotifySetting{Kind: participation.KindReply, Mode: participation.ModeImmediate})
		sp := e.space("jardins-partages", participation.Rules{LinksAllowed: true})
		th, _ := e.start(sp, claire, "Chantier collectif de samedi", "Qui vient désherber les carrés ?")
		for i := range 5 {
			e.advance(3 * time.Minute)
			e.reply(sp, th, julien, fmt.Sprintf("Je viens, message %d.", i+1))
		}
		if got := out.take(e.emailOf(claire), "participation/notification"); len(got) != participation.ImmediateLimit {
			t.Fatalf("%d immediate mails, want %d", len(got), participation.ImmediateLimit)
		}
		list := e.centre(claire)
		if len(list) != 5 || list[0].Delivery != participation.DeliverDigest || list[1].Delivery != participation.DeliverNow {
			t.Fatalf("the newest should wait for the digest: %+v", list[0])
		}
		e.advance(time.Hour)
		e.reply(sp, th, julien, "Je viens aussi avec une brouette.")
		if got := out.take(e.emailOf(claire), "participation/notification"); len(got) != 1 {
			t.Errorf("an hour later, %d immediate mails", len(got))
		}
		// Tuesday 10:00 in Paris: the digest is Wednesday's, with the fifth.
		e.at(time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC))
		e.digests()
		got := out.take(e.emailOf(claire), "")
		if len(got) != 1 || got[0].Data["Count"] != 1 || !strings.Contains(got[0].Text, "1 nouvelle réponse") {
			t.Fatalf("the digest: %+v", got)
		}
	})
}

// TestSettingsPerKindAndCommunity: a community set to none makes no mail
// of its spaces' replies, which still show in the centre; the general
// choice holds elsewhere; a weekly digest waits for Monday.
func TestSettingsPerKindAndCommunity(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		out := notifying(t, e)
		year := 365 * 24 * time.Hour
		claire, julien := e.author("Claire Martin", year), e.author("Julien Petit", year)
		ecole := &participation.Space{TenantID: e.town.ID, Slug: "ecole-jules-ferry", Name: "Parents de l'école Jules-Ferry",
			CommunityID: "communaute-ecole", CommunityName: "École Jules-Ferry"}
		if err := e.s.CreateSpace(e.ctx, ecole); err != nil {
			t.Fatal(err)
		}
		topic := e.space("se-deplacer", participation.Rules{})
		e.setModes(claire,
			participation.NotifySetting{Kind: participation.KindReply, Mode: participation.ModeImmediate},
			participation.NotifySetting{Kind: participation.KindReply, Scope: "communaute-ecole", Mode: participation.ModeNever},
			participation.NotifySetting{Kind: participation.KindMention, Mode: participation.ModeWeekly})
		ns, err := e.s.NotificationSettings(e.ctx, e.town.ID, claire.ID)
		if err != nil || ns.Mode(participation.KindReply, "communaute-ecole") != participation.ModeNever ||
			ns.Mode(participation.KindReply, "autre") != participation.ModeImmediate ||
			ns.Mode(participation.KindMessage, "") != participation.ModeImmediate ||
			ns.Chosen(participation.KindReply, "autre") != "" {
			t.Fatalf("settings read back: %v %+v", err, ns)
		}
		if err := e.s.SaveNotificationSettings(e.ctx, e.town.ID, claire.ID, []participation.NotifySetting{
			{Kind: participation.KindReply, Mode: "toutes les minutes"}}); err == nil {
			t.Error("an unknown mode was saved")
		}
		school, _ := e.start(ecole, claire, "Sortie au musée", "Qui peut accompagner ?")
		road, _ := e.start(topic, claire, "Les bus du dimanche", "Ils passent trop peu.")
		e.reply(ecole, school, julien, "Moi, le matin.")
		e.advance(time.Minute)
		e.reply(topic, road, julien, "Tout à fait d'accord.")
		got := out.take(e.emailOf(claire), "")
		if len(got) != 1 || !strings.Contains(got[0].Subject, "Les bus du dimanche") {
			t.Fatalf("mails: %+v", got)
		}
		list := e.centre(claire)
		if len(list) != 2 || list[1].Delivery != participation.DeliverNone || list[1].SpaceName != ecole.Name {
			t.Fatalf("the school's reply in the centre: %+v", list)
		}
		// A weekly mention: nothing on Wednesday, the digest on Monday.
		e.advance(time.Minute)
		e.reply(topic, road, julien, "Au fait @Claire Martin, avez-vous écrit à la mairie ?")
		e.at(time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC))
		if e.digests(); len(out.take(e.emailOf(claire), "")) != 0 {
			t.Error("a weekly mention left on a Wednesday")
		}
		e.at(time.Date(2026, 3, 16, 6, 0, 0, 0, time.UTC))
		e.digests()
		if got := out.take(e.emailOf(claire), ""); len(got) != 1 || !strings.Contains(got[0].Text, "une mention de votre nom") {
			t.Errorf("Monday's digest: %+v", got)
		}
	})
}

// TestMarkRead: one notification, then all; another person's is not
// found.
func TestMarkRead(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		notifying(t, e)
		year := 365 * 24 * time.Hour
		claire, julien := e.author("Claire Martin", year), e.author("Julien Petit", year)
		space := e.space("quartier-des-tilleuls", participation.Rules{})
		th, _ := e.start(space, claire, "Fête des voisins", "On l'organise le 30 mai ?")
		for i := range 3 {
			e.advance(time.Minute)
			e.reply(space, th, julien, fmt.Sprintf("Volontiers, idée numéro %d.", i+1))
		}
		list := e.centre(claire)
		if len(list) != 3 {
			t.Fatalf("%d notifications", len(list))
		}
		if err := e.s.MarkRead(e.ctx, e.town.ID, julien.ID, list[0].ID); !errors.Is(err, participation.ErrNotFound) {
			t.Errorf("another person's notification: %v", err)
		}
		if err := e.s.MarkRead(e.ctx, e.town.ID, claire.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		list = e.centre(claire)
		if n, _ := e.s.Unread(e.ctx, e.town.ID, claire.ID); n != 2 || list[2].Unread() || !list[0].Unread() {
			t.Errorf("one read: %d unread, the read one last: %v", n, list[2].Unread())
		}
		if err := e.s.MarkRead(e.ctx, e.town.ID, claire.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n, _ := e.s.Unread(e.ctx, e.town.ID, claire.ID); n != 0 {
			t.Errorf("all read: %d unread", n)
		}
	})
}

// TestNextDigest: 7:00 in the town's zone, the next day's once past, a
// Monday's for a weekly one.
func TestNextDigest(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tuesday := time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC) // 6:00 in Paris
	for mode, want := range map[string]time.Time{
		participation.ModeDaily:  time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC),
		participation.ModeWeekly: time.Date(2026, 3, 16, 6, 0, 0, 0, time.UTC),
	} {
		if got := participation.NextDigest(mode, tuesday, paris); !got.Equal(want) {
			t.Errorf("%s: %s, want %s", mode, got, want)
		}
	}
	if got := participation.NextDigest(participation.ModeDaily, tuesday.Add(time.Hour), paris); !got.Equal(time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("past 7:00: %s", got)
	}
}

// TestDigestKeepsToFiftyLines: a digest lists fifty threads at most, and
// counts the others.
func TestDigestKeepsToFiftyLines(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		out := notifying(t, e)
		year := 365 * 24 * time.Hour
		claire, paul, nadia := e.author("Claire Martin", year), e.author("Paul Renaud", year), e.author("Nadia Benali", year)
		space := e.space("se-deplacer", participation.Rules{})
		for i := range participation.DigestLines + 5 {
			th, _ := e.start(space, paul, fmt.Sprintf("Question de circulation numéro %d", i+1),
				fmt.Sprintf("Voici la question numéro %d sur la circulation.", i+1))
			e.followThread(th, claire)
			e.advance(3 * time.Minute)
			e.reply(space, th, nadia, fmt.Sprintf("Ma réponse à la question numéro %d.", i+1))
		}
		e.at(time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC))
		e.digests()
		got := out.take(e.emailOf(claire), "")
		if len(got) != 1 {
			t.Fatalf("%d mails", len(got))
		}
		lines := got[0].Data["Lines"].([]*participation.DigestLine)
		if len(lines) != participation.DigestLines || got[0].Data["More"] != 5 || got[0].Data["Count"] != 55 ||
			!strings.Contains(got[0].Text, "… et 5 autres") {
			t.Errorf("%d lines, %v more, %v in all:\n%s", len(lines), got[0].Data["More"], got[0].Data["Count"], got[0].Text)
		}
	})
}

// TestNotifyForOtherParts: a moderator's decision notifies its author at
// once by default; an account whose address is not verified gets no
// mail, the centre keeps it; an account of another collectivité gets
// nothing.
func TestNotifyForOtherParts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		out := notifying(t, e)
		claire := e.author("Claire Martin", 365*24*time.Hour)
		unverified, err := e.users.Register(e.ctx, e.town.ID, "nouveau@courriel.example", "Paul Renaud", "Tr4in!Bleu#9-Vert")
		if err != nil {
			t.Fatal(err)
		}
		notify := func(userID string) *participation.Notification {
			n := &participation.Notification{TenantID: e.town.ID, UserID: userID, Kind: participation.KindModeration,
				Title: "Votre message a été masqué", Path: "/participer/discussions/1"}
			if err := d.InTx(e.ctx, func(tx *db.Tx) error { return e.s.Notify(e.ctx, tx, n) }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := notify(claire.ID); n.Delivery != participation.DeliverNow {
			t.Errorf("a moderation decision: %s", n.Delivery)
		}
		if got := out.take(e.emailOf(claire), ""); len(got) != 1 || !strings.Contains(got[0].Subject, "Décision de modération") {
			t.Errorf("mails: %+v", got)
		}
		if n := notify(unverified.ID); n.Delivery != participation.DeliverNone || len(out.take("", "")) != 0 {
			t.Errorf("an unverified address: %s", n.Delivery)
		}
		if list := e.centre(participation.Author{ID: unverified.ID}); len(list) != 1 {
			t.Errorf("the unverified account's centre: %d", len(list))
		}
		if n := notify("un-compte-inconnu"); n.ID != "" {
			t.Errorf("an unknown account was notified")
		}
	})
}
