package participation_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// everything gives claire a record of every kind: a thread and a debate
// argument, a reaction and a support, a follow, a report, a hidden
// message with its appeal, a ballot, a block, a private conversation
// with its notifications, and her settings. It returns the argument
// Julien wrote that she supports, and the poll.
func everything(t *testing.T, e *env, claire, julien participation.Author) (*participation.Message, *participation.Poll) {
	t.Helper()
	town := e.town.ID
	sp := e.space("tilleuls", participation.Rules{LinksAllowed: true})
	th, opener := e.start(sp, claire, "Fête des voisins", "Qui vient samedi ?")
	e.advance(time.Minute)
	answer := e.reply(sp, th, julien, "Moi, avec une tarte.")
	if _, err := e.s.React(e.ctx, town, answer.ID, claire.ID, participation.ReactThanks); err != nil {
		t.Fatal(err)
	}
	debate := &participation.Thread{Kind: participation.Debate, Title: "Rue du Marché piétonne ?"}
	if _, err := e.s.StartThread(e.ctx, sp, debate, participation.Author{Staff: true, Name: "Mairie de Montclair"},
		"Vos arguments."); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Minute)
	arg, err := e.s.Reply(e.ctx, sp, debate, julien, participation.For, "Plus calme pour les commerces.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Support(e.ctx, town, arg.ID, claire.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Reply(e.ctx, sp, debate, claire, participation.Against, "Les livraisons deviennent compliquées."); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Report(e.ctx, town, answer.ID, claire.ID, participation.ReasonOffTopic, "Hors sujet."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Hide(e.ctx, town, opener.ID, "Message masqué pour le test.", "moderateur"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Appeal(e.ctx, town, opener.ID, claire.ID, "Je conteste cette décision."); err != nil {
		t.Fatal(err)
	}
	p := &participation.Poll{TenantID: town, Title: "Horaires de la médiathèque", Audience: participation.AudienceAll,
		Published: true, OpensAt: e.clock(), ClosesAt: e.clock().Add(7 * 24 * time.Hour), Questions: []*participation.Question{
			{Kind: participation.Single, Label: "Quel horaire ?", Choices: []string{"Matin", "Soir"}, Required: true}}}
	if err := e.s.CreatePoll(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Cast(e.ctx, p, claire.ID, participation.Ballot{p.Questions[0].ID: {Choices: []int{1}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Block(e.ctx, town, claire.ID, "Propos répétés hors charte.", e.clock().Add(24*time.Hour), "moderateur"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetAcceptsPrivate(e.ctx, town, claire.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.StartConversation(e.ctx, town, julien, claire.ID, "Comité de quartier", "Bonjour Claire, à jeudi ?"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.BlockPrivate(e.ctx, town, claire.ID, julien.ID); err != nil {
		t.Fatal(err)
	}
	return arg, p
}

// TestExportHoldsEveryParticipationRecord: a resident's export holds
// every kind of record, their ballot without its answers, and nothing of
// another resident's own records.
func TestExportHoldsEveryParticipationRecord(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		claire := e.author("Claire Martin", 400*24*time.Hour)
		julien := e.author("Julien Petit", 380*24*time.Hour)
		everything(t, e, claire, julien)

		v, err := e.s.Export(e.ctx, account.Person{TenantID: e.town.ID, UserID: claire.ID})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(v)
		var got struct {
			Messages []struct {
				Thread, Side, Text, State, Reason string
			}
			Reactions     []struct{ Kind string }
			Follows       []struct{ Thread string }
			Reports       []struct{ Reason string }
			Appeals       []struct{ Text string }
			Ballots       []struct{ Poll string }
			Blocks        []struct{ Reason string }
			Conversations []struct {
				With, Subject string
				Messages      []struct{ Text string }
			} `json:"private_messages"`
			Refused       []struct{ Person string } `json:"private_messages_refused"`
			Notifications []struct{ Kind, Actor string }
			Settings      struct {
				Accepts bool `json:"accepts_private_messages"`
			}
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			what string
			ok   bool
		}{
			{"messages with state, side and reason", len(got.Messages) == 2 && got.Messages[0].State == participation.Hidden &&
				got.Messages[0].Reason != "" && got.Messages[1].Side == participation.Against},
			{"reaction and support", len(got.Reactions) == 2},
			{"follows", len(got.Follows) == 2},
			{"report", len(got.Reports) == 1 && got.Reports[0].Reason == participation.ReasonOffTopic},
			{"appeal", len(got.Appeals) == 1 && got.Appeals[0].Text == "Je conteste cette décision."},
			{"ballot", len(got.Ballots) == 1 && got.Ballots[0].Poll == "Horaires de la médiathèque"},
			{"block", len(got.Blocks) == 1},
			{"private conversation", len(got.Conversations) == 1 && got.Conversations[0].With == "Julien Petit" &&
				len(got.Conversations[0].Messages) == 1},
			{"refusal", len(got.Refused) == 1 && got.Refused[0].Person == "Julien Petit"},
			{"notification", len(got.Notifications) >= 1 && got.Notifications[len(got.Notifications)-1].Kind == participation.KindMessage},
			{"settings", got.Settings.Accepts},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("the export lacks the %s:\n%s", c.what, raw)
			}
		}
		if strings.Contains(string(raw), "Soir") || strings.Contains(string(raw), "Matin") {
			t.Errorf("the export holds the ballot's answers:\n%s", raw)
		}
		if strings.Contains(string(raw), "Plus calme pour les commerces.\",\"state") {
			t.Errorf("the export holds Julien's argument as Claire's message:\n%s", raw)
		}
	})
}

// TestErasureKeepsTheDebatesWithoutTheirAuthor: erasing a resident leaves
// no row tied to them; their public messages stay under ErasedName, the
// supports they gave no longer count, their ballot's answers stay in the
// results, and the other participant's side of their conversation goes.
func TestErasureKeepsTheDebatesWithoutTheirAuthor(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		claire := e.author("Claire Martin", 400*24*time.Hour)
		julien := e.author("Julien Petit", 380*24*time.Hour)
		arg, p := everything(t, e, claire, julien)
		town := e.town.ID

		for range 2 { // a second run finishes nothing more and fails not
			if err := e.s.Erase(e.ctx, account.Person{TenantID: town, UserID: claire.ID}); err != nil {
				t.Fatal(err)
			}
		}
		tied := map[string]string{
			"participation_messages":         `author_id = ?`,
			"participation_threads":          `author_id = ?`,
			"participation_reactions":        `user_id = ?`,
			"participation_follows":          `user_id = ?`,
			"participation_reports":          `reporter_id = ?`,
			"participation_appeals":          `author_id = ?`,
			"participation_ballots":          `voter_id = ?`,
			"participation_blocks":           `user_id = ?`,
			"participation_pm_settings":      `user_id = ?`,
			"participation_pm_blocks":        `user_id = ? OR blocked_id = ?`,
			"participation_conversations":    `a_id = ? OR b_id = ?`,
			"participation_private_messages": `sender_id = ? OR sender_id = ?`,
			"participation_notifications":    `user_id = ?`,
		}
		for table, where := range tied {
			var n int
			args := []any{claire.ID}
			if strings.Count(where, "?") == 2 {
				args = append(args, claire.ID)
			}
			if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+where, args...).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s still holds %d rows of hers (%v)", table, n, err)
			}
		}
		var kept, named int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*), SUM(CASE WHEN author_name = ? THEN 1 ELSE 0 END) FROM participation_messages
			WHERE tenant_id = ? AND author_id IS NULL AND NOT by_staff`, participation.ErasedName, town).Scan(&kept, &named); err != nil {
			t.Fatal(err)
		}
		if kept != 2 || named != 2 {
			t.Errorf("her public messages: %d kept, %d under %q; want 2", kept, named, participation.ErasedName)
		}
		if m, err := e.s.Message(e.ctx, town, arg.ID); err != nil || m.Supports != 0 {
			t.Errorf("the argument she supported: %+v, %v; want no support left", m, err)
		}
		var answers int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_answers WHERE tenant_id = ? AND poll_id = ?`, town, p.ID).
			Scan(&answers); err != nil || answers != 1 {
			t.Errorf("the ballot's anonymous answers: %d, %v; want them kept", answers, err)
		}
		if list, err := e.s.Conversations(e.ctx, town, julien.ID); err != nil || len(list) != 0 {
			t.Errorf("Julien still has the conversation with her: %+v, %v", list, err)
		}
		var left int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM participation_notifications WHERE tenant_id = ? AND actor = ?`,
			town, "Claire Martin").Scan(&left); err != nil || left != 0 {
			t.Errorf("%d notifications still name her (%v)", left, err)
		}
	})
}

// TestRetentionAtItsBoundaries: each rule keeps a record the day before
// its period ends and removes it the day after, on the store's clock.
func TestRetentionAtItsBoundaries(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		claire := e.author("Claire Martin", 400*24*time.Hour)
		julien := e.author("Julien Petit", 380*24*time.Hour)
		town := e.town.ID
		count := func(table string) int {
			t.Helper()
			var n int
			if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM `+table+` WHERE tenant_id = ?`, town).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		day := 24 * time.Hour
		start := e.clock()

		// Private messages: a year after the conversation's last message.
		if err := e.s.SetAcceptsPrivate(e.ctx, town, claire.ID, true); err != nil {
			t.Fatal(err)
		}
		c, err := e.s.StartConversation(e.ctx, town, julien, claire.ID, "Comité", "Bonjour.")
		if err != nil {
			t.Fatal(err)
		}
		e.advance(30 * day)
		if _, err := e.s.AnswerPrivate(e.ctx, town, c.ID, claire, "Bonjour Julien."); err != nil {
			t.Fatal(err)
		}
		last := e.clock()
		moveTo(e, last.Add(participation.PrivateDays*day-time.Minute))
		if _, err := e.s.PurgeConversations(e.ctx); err != nil || count("participation_conversations") != 1 {
			t.Errorf("a conversation whose last message is not a year old went (%v)", err)
		}
		moveTo(e, last.Add(participation.PrivateDays*day+time.Minute))
		if _, err := e.s.PurgeConversations(e.ctx); err != nil || count("participation_conversations") != 0 ||
			count("participation_private_messages") != 0 {
			t.Errorf("a conversation a year past its last message stays (%v)", err)
		}

		// Notifications: three months; the two of the conversation were made
		// at start and 30 days later.
		moveTo(e, start.Add(participation.NotificationDays*day+time.Minute))
		if _, err := e.s.PurgeNotifications(e.ctx); err != nil || count("participation_notifications") != 1 {
			t.Errorf("notifications after %d days: %d left (%v); want the later one", participation.NotificationDays,
				count("participation_notifications"), err)
		}

		// Reports and appeals: a year after their decision.
		moveTo(e, start)
		sp := e.space("tilleuls", participation.Rules{LinksAllowed: true})
		_, m := e.start(sp, claire, "Fête des voisins", "Qui vient samedi ?")
		if err := e.s.Report(e.ctx, town, m.ID, julien.ID, participation.ReasonSpam, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Hide(e.ctx, town, m.ID, "Publicité.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		a, err := e.s.Appeal(e.ctx, town, m.ID, claire.ID, "Ce n'est pas une publicité.")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.DecideAppeal(e.ctx, town, a.ID, true, "Message rétabli.", "moderateur"); err != nil {
			t.Fatal(err)
		}
		var resolved *time.Time
		if err := d.QueryRow(e.ctx, `SELECT resolved_at FROM participation_reports WHERE tenant_id = ?`, town).Scan(&resolved); err != nil || resolved == nil {
			t.Fatalf("the report is not resolved by the decision (%v)", err)
		}
		moveTo(e, start.Add(participation.ModerationDays*day-time.Minute))
		if _, err := e.s.PurgeModeration(e.ctx); err != nil || count("participation_reports")+count("participation_appeals") != 2 {
			t.Errorf("a report and an appeal decided less than a year ago went (%v)", err)
		}
		moveTo(e, start.Add(participation.ModerationDays*day+time.Minute))
		if _, err := e.s.PurgeModeration(e.ctx); err != nil || count("participation_reports")+count("participation_appeals") != 0 {
			t.Errorf("a report and an appeal decided a year ago stay (%v)", err)
		}

		// Blocks: once ended.
		until := e.clock().Add(7 * day)
		if err := e.s.Block(e.ctx, town, julien.ID, "Propos hors charte.", until, "moderateur"); err != nil {
			t.Fatal(err)
		}
		moveTo(e, until.Add(-time.Minute))
		if _, err := e.s.PurgeBlocks(e.ctx); err != nil || count("participation_blocks") != 1 {
			t.Errorf("a block still running went (%v)", err)
		}
		moveTo(e, until.Add(time.Minute))
		if _, err := e.s.PurgeBlocks(e.ctx); err != nil || count("participation_blocks") != 0 {
			t.Errorf("an ended block stays (%v)", err)
		}

		// Who answered a poll: a year after it closed; its count stays.
		opens := e.clock()
		poll := &participation.Poll{TenantID: town, Title: "Horaires de la piscine", Audience: participation.AudienceAll,
			OpensAt: opens, ClosesAt: opens.Add(7 * day), Published: true, Questions: []*participation.Question{
				{Kind: participation.Single, Label: "Quel horaire ?", Choices: []string{"Tôt", "Tard"}, Required: true}}}
		if err := e.s.CreatePoll(e.ctx, poll); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Cast(e.ctx, poll, claire.ID, participation.Ballot{poll.Questions[0].ID: {Choices: []int{1}}}); err != nil {
			t.Fatal(err)
		}
		moveTo(e, poll.ClosesAt.Add(participation.BallotDays*day-time.Minute))
		if _, err := e.s.PurgeBallots(e.ctx); err != nil || count("participation_ballots") != 1 {
			t.Errorf("who answered a poll closed less than a year ago went (%v)", err)
		}
		moveTo(e, poll.ClosesAt.Add(participation.BallotDays*day+time.Minute))
		if _, err := e.s.PurgeBallots(e.ctx); err != nil || count("participation_ballots") != 0 ||
			count("participation_answers") != 1 {
			t.Errorf("who answered stays a year after closing, or the answer went (%v)", err)
		}
		if got, err := e.s.Poll(e.ctx, town, poll.ID); err != nil || got.Ballots != 1 {
			t.Errorf("the poll's count after the purge: %v", err)
		}
	})
}

// moveTo sets e's clock to at.
func moveTo(e *env, at time.Time) { e.advance(at.Sub(e.clock())) }
