package participation_test

import (
	"errors"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestPrivateMessagesNeedTheRecipientsConsent: a resident may not write
// to another until the other accepts private messages; then they may,
// and the other answers in the same conversation; blocking stops it.
func TestPrivateMessagesNeedTheRecipientsConsent(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		claire := e.author("Claire Martin", 400*24*time.Hour)
		francoise := e.author("Françoise Lemoine", 500*24*time.Hour)
		town := e.town.ID

		if _, err := e.s.StartConversation(e.ctx, town, claire, francoise.ID, "Comité", "Bonjour Françoise."); !errors.Is(err, participation.ErrPrivateRefused) {
			t.Fatalf("writing to someone who did not opt in: %v, want refused", err)
		}
		if ok, err := e.s.AcceptsPrivate(e.ctx, town, francoise.ID); err != nil || ok {
			t.Fatalf("private messages on by default: %v %v", ok, err)
		}
		if err := e.s.SetAcceptsPrivate(e.ctx, town, francoise.ID, true); err != nil {
			t.Fatal(err)
		}
		c, err := e.s.StartConversation(e.ctx, town, claire, francoise.ID, "Comité de quartier", "Bonjour Françoise, êtes-vous libre jeudi ?")
		if err != nil {
			t.Fatalf("after opting in: %v", err)
		}
		if c.WithName != "Françoise Lemoine" || c.ByStaff {
			t.Errorf("conversation: %+v", c)
		}
		e.advance(time.Minute)
		if _, err := e.s.AnswerPrivate(e.ctx, town, c.ID, francoise, "Oui, à 18 h."); err != nil {
			t.Fatalf("the recipient answers: %v", err)
		}
		if ns, err := e.s.Notifications(e.ctx, town, claire.ID, 10); err != nil || len(ns) != 1 || ns[0].Actor != "Françoise Lemoine" {
			t.Errorf("Claire's notification of the answer: %+v, %v", ns, err)
		}
		if _, err := e.s.StartConversation(e.ctx, town, francoise, claire.ID, "Autre", "Bonjour."); !errors.Is(err, participation.ErrPrivateRefused) {
			t.Errorf("Claire never opted in, yet Françoise starts a conversation: %v", err)
		}
		if _, err := e.s.StartConversation(e.ctx, town, claire, claire.ID, "Moi", "Bonjour."); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Errorf("writing to oneself: %v", err)
		}
		if _, err := e.s.StartConversation(e.ctx, town, claire, francoise.ID, "", ""); guichet.FieldErrors(err)["subject"] == "" ||
			guichet.FieldErrors(err)["body"] == "" {
			t.Errorf("empty subject and body: %v", err)
		}

		// Françoise blocks Claire: neither a new conversation nor an answer.
		if err := e.s.BlockPrivate(e.ctx, town, francoise.ID, claire.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.AnswerPrivate(e.ctx, town, c.ID, claire, "Parfait."); !errors.Is(err, participation.ErrPrivateRefused) {
			t.Errorf("answer to someone who blocked you: %v", err)
		}
		if _, err := e.s.StartConversation(e.ctx, town, claire, francoise.ID, "Encore", "Bonjour."); !errors.Is(err, participation.ErrPrivateRefused) {
			t.Errorf("new conversation with someone who blocked you: %v", err)
		}
		if err := e.s.UnblockPrivate(e.ctx, town, francoise.ID, claire.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.AnswerPrivate(e.ctx, town, c.ID, claire, "Parfait, à jeudi."); err != nil {
			t.Errorf("after the block is lifted: %v", err)
		}
	})
}

// TestStaffWriteToAnyResident: staff write to a resident who never opted
// in, the conversation is the mairie's for the resident, who answers in
// it; only the two participants read it.
func TestStaffWriteToAnyResident(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		moderator := e.author("Agnès Moderatrice", 900*24*time.Hour)
		moderator.Staff = true
		claire := e.author("Claire Martin", 400*24*time.Hour)
		julien := e.author("Julien Petit", 380*24*time.Hour)
		town := e.town.ID

		c, err := e.s.StartConversation(e.ctx, town, moderator, claire.ID, "Votre message masqué",
			"Bonjour, votre message a été masqué car il citait un voisin par son nom.")
		if err != nil {
			t.Fatalf("staff to a resident who did not opt in: %v", err)
		}
		list, err := e.s.Conversations(e.ctx, town, claire.ID)
		if err != nil || len(list) != 1 || !list[0].FromMairie || list[0].Unread != 1 || list[0].WithID != moderator.ID {
			t.Fatalf("Claire's conversations: %+v, %v", list, err)
		}
		ns, err := e.s.Notifications(e.ctx, town, claire.ID, 10)
		if err != nil || len(ns) != 1 || ns[0].Kind != participation.KindMessage || ns[0].Actor != "Mairie de Montclair-sur-Vienne" ||
			ns[0].Path != participation.ConversationsPath+"/"+c.ID || ns[0].Title != "Votre message masqué" {
			t.Fatalf("Claire's notifications: %+v, %v", ns, err)
		}
		e.advance(time.Hour)
		m, err := e.s.AnswerPrivate(e.ctx, town, c.ID, claire, "Merci, je comprends.")
		if err != nil || m.ByStaff {
			t.Fatalf("the resident answers the mairie: %+v, %v", m, err)
		}
		e.advance(time.Hour)
		if m, err := e.s.AnswerPrivate(e.ctx, town, c.ID, moderator, "Merci à vous."); err != nil || !m.ByStaff {
			t.Fatalf("the staff side answers for the mairie: %+v, %v", m, err)
		}

		// A third person neither reads nor answers it, nor does the town's
		// conversation exist in another collectivité.
		if _, _, err := e.s.ReadConversation(e.ctx, town, c.ID, julien.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("a third person reads the conversation: %v", err)
		}
		if _, err := e.s.AnswerPrivate(e.ctx, town, c.ID, julien, "Intrus."); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("a third person answers in the conversation: %v", err)
		}
		if _, _, err := e.s.ReadConversation(e.ctx, "autre-collectivite", c.ID, claire.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("the conversation read in another collectivité: %v", err)
		}
		if list, err := e.s.Conversations(e.ctx, town, julien.ID); err != nil || len(list) != 0 {
			t.Errorf("a third person's conversations: %+v, %v", list, err)
		}
		got, msgs, err := e.s.ReadConversation(e.ctx, town, c.ID, moderator.ID)
		if err != nil || got.FromMairie || got.WithName != "Claire Martin" || len(msgs) != 3 {
			t.Fatalf("the staff side's view: %+v, %d messages, %v", got, len(msgs), err)
		}
	})
}

// TestPrivateReadMarksAndOrder: a conversation's messages come oldest
// first; opening it marks the reader's unread messages read (not their
// own); the list puts conversations with unread messages first, then the
// latest.
func TestPrivateReadMarksAndOrder(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		claire := e.author("Claire Martin", 400*24*time.Hour)
		francoise := e.author("Françoise Lemoine", 500*24*time.Hour)
		nadia := e.author("Nadia Benali", 250*24*time.Hour)
		town := e.town.ID
		if err := e.s.SetAcceptsPrivate(e.ctx, town, claire.ID, true); err != nil {
			t.Fatal(err)
		}
		first, err := e.s.StartConversation(e.ctx, town, francoise, claire.ID, "Comité", "Premier message.")
		if err != nil {
			t.Fatal(err)
		}
		e.advance(time.Minute)
		if _, err := e.s.AnswerPrivate(e.ctx, town, first.ID, francoise, "Deuxième message."); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Minute)
		second, err := e.s.StartConversation(e.ctx, town, nadia, claire.ID, "Covoiturage", "Bonjour Claire.")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := e.s.UnreadPrivate(e.ctx, town, claire.ID); err != nil || n != 3 {
			t.Fatalf("Claire's unread: %d, %v; want 3", n, err)
		}

		// Claire reads the older one and answers: it is now the latest, but
		// the other still has an unread message and comes first.
		e.advance(time.Minute)
		_, msgs, err := e.s.ReadConversation(e.ctx, town, first.ID, claire.ID)
		if err != nil || len(msgs) != 2 || msgs[0].Body != "Premier message." || msgs[1].Body != "Deuxième message." || msgs[0].Mine {
			t.Fatalf("messages: %+v, %v", msgs, err)
		}
		if msgs[0].ReadAt != nil {
			t.Errorf("the messages read are returned as they were before opening: %+v", msgs[0])
		}
		e.advance(time.Minute)
		if _, err := e.s.AnswerPrivate(e.ctx, town, first.ID, claire, "Réponse de Claire."); err != nil {
			t.Fatal(err)
		}
		list, err := e.s.Conversations(e.ctx, town, claire.ID)
		if err != nil || len(list) != 2 || list[0].ID != second.ID || list[0].Unread != 1 || list[1].ID != first.ID || list[1].Unread != 0 {
			t.Fatalf("Claire's list: %+v, %v", list, err)
		}
		if n, _ := e.s.UnreadPrivate(e.ctx, town, claire.ID); n != 1 {
			t.Errorf("Claire's unread after reading: %d, want 1", n)
		}
		// Françoise has Claire's answer to read, and her own are not hers to read.
		if n, _ := e.s.UnreadPrivate(e.ctx, town, francoise.ID); n != 1 {
			t.Errorf("Françoise's unread: %d, want 1", n)
		}
		_, msgs, err = e.s.ReadConversation(e.ctx, town, first.ID, francoise.ID)
		if err != nil || len(msgs) != 3 || !msgs[0].Mine || msgs[0].ReadAt == nil || msgs[2].Mine {
			t.Fatalf("Françoise's view: %+v, %v", msgs, err)
		}
		// Both read: nothing left unread, and the list is by date.
		if _, _, err := e.s.ReadConversation(e.ctx, town, second.ID, claire.ID); err != nil {
			t.Fatal(err)
		}
		list, _ = e.s.Conversations(e.ctx, town, claire.ID)
		if len(list) != 2 || list[0].ID != first.ID || list[0].Unread+list[1].Unread != 0 {
			t.Errorf("Claire's list once read: %+v", list)
		}
	})
}
