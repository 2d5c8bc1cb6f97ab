package council_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/council"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/pdf"
	"guichet/internal/publishing/search"
)

func TestPublishedActIsFrozenAndRectified(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		x := e.heldSession(t, "2026-12-03")
		a := e.deliberation(x, "2026-045")
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		a.Title = "Adoption du budget primitif 2027 (corrigé avant publication)"
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatalf("a draft is edited freely: %v", err)
		}
		pub, err := e.s.Publish(ctx, e.tenant.ID, a.ID, "Secrétariat", "https://montclair.example", e.loc)
		if err != nil {
			t.Fatal(err)
		}
		if pub.File == nil || len(pub.File.SHA256) != 64 || pub.PublishedAt == nil {
			t.Fatalf("published without its file's hash or date: %+v", pub)
		}

		// The store refuses, and so does the database under it.
		a.Title = "Un autre objet"
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); !errors.Is(err, council.ErrPublished) {
			t.Fatalf("editing a published act: %v, want ErrPublished", err)
		}
		if _, err := e.s.Publish(ctx, e.tenant.ID, a.ID, "Secrétariat", "", e.loc); !errors.Is(err, council.ErrPublished) {
			t.Fatalf("publishing twice: %v", err)
		}
		if _, err := d.Exec(ctx, `UPDATE council_acts SET title = 'Falsifié' WHERE id = ?`, a.ID); err == nil {
			t.Fatal("the database let a published act change")
		}
		if _, err := d.Exec(ctx, `UPDATE council_votes SET choice = 'contre' WHERE act_id = ?`, a.ID); err != nil {
			t.Fatalf("no ballot names: nothing to refuse, yet: %v", err)
		}
		again, err := e.s.Act(ctx, e.tenant.ID, a.ID)
		if err != nil || again.Title != "Adoption du budget primitif 2027 (corrigé avant publication)" {
			t.Fatalf("the act changed: %+v, %v", again, err)
		}

		// A rectification is a new act; both stay online, linked.
		r, err := e.s.Rectify(ctx, e.tenant.ID, a.ID, "Secrétariat", e.loc)
		if err != nil {
			t.Fatal(err)
		}
		if r.Number != "2026-046" || r.RectifiesID != a.ID || r.Status != council.Draft {
			t.Fatalf("rectification draft: %+v", r)
		}
		r.Body = "Le conseil municipal rectifie l'erreur matérielle de la délibération n° 2026-045 : le montant est de 2 412 000 €."
		if err := e.s.SaveAct(ctx, r, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Publish(ctx, e.tenant.ID, r.ID, "Secrétariat", "", e.loc); err != nil {
			t.Fatal(err)
		}
		day := "2026-12-07"
		old, err := e.s.PublicAct(ctx, e.tenant.ID, "deliberation-2026-045", day)
		if err != nil {
			t.Fatal(err)
		}
		if len(old.RectifiedBy) != 1 || old.RectifiedBy[0].Number != "2026-046" {
			t.Fatalf("the rectified act does not name its rectification: %+v", old.RectifiedBy)
		}
		fixed, err := e.s.PublicAct(ctx, e.tenant.ID, "deliberation-2026-046", day)
		if err != nil || fixed.Rectifies == nil || fixed.Rectifies.Number != "2026-045" {
			t.Fatalf("the rectification does not name the act it corrects: %+v, %v", fixed, err)
		}
		list, total, err := e.s.PublicActs(ctx, e.tenant.ID, day, council.ActFilter{})
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("both versions online: %d, %v", total, err)
		}
	})
}

func TestPublicBallotNamesAreFrozenToo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		x := e.heldSession(t, "2026-12-03")
		a := e.deliberation(x, "2026-050")
		a.Vote.Public = true
		a.Vote.Names = []council.NamedVote{{"Claire Vasseur", "pour"}, {"Marc Delorme", "pour"}, {"Inès Haddad", "pour"}}
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); guichet.FieldErrors(err)["names"] == "" {
			t.Fatalf("names that do not match the count: %v", err)
		}
		a.Vote.Names = append(a.Vote.Names, council.NamedVote{"Paul Girard", "contre"})
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Publish(ctx, e.tenant.ID, a.ID, "Secrétariat", "", e.loc); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE council_votes SET choice = 'pour' WHERE act_id = ? AND member_name = 'Paul Girard'`, a.ID); err == nil {
			t.Fatal("the database let a published ballot change")
		}
		got, err := e.s.Act(ctx, e.tenant.ID, a.ID)
		if err != nil || len(got.Vote.Names) != 4 || got.Vote.Names[3].Choice != "contre" {
			t.Fatalf("ballot names: %+v, %v", got.Vote, err)
		}
	})
}

func TestVoteChecks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		x := e.heldSession(t, "2026-12-03")
		for name, c := range map[string]struct {
			change func(a *council.Act)
			field  string
		}{
			"sum":          {func(a *council.Act) { a.Vote.Voters = 5 }, "voters"},
			"more voters":  {func(a *council.Act) { a.Vote.InOffice = 3 }, "voters"},
			"subject":      {func(a *council.Act) { a.SubjectCode = "7.42" }, "subject"},
			"number year":  {func(a *council.Act) { a.Number = "2025-001" }, "number"},
			"budget years": {func(a *council.Act) { a.BudgetYear = "2027/2029" }, "budget_year"},
			"prefecture":   {func(a *council.Act) { a.TransmittedOn = "2026-11-30" }, "transmitted_on"},
		} {
			a := e.deliberation(x, "2026-060")
			c.change(a)
			if err := e.s.SaveAct(ctx, a, "Secrétariat"); guichet.FieldErrors(err)[c.field] == "" {
				t.Errorf("%s: %v, want an error on %s", name, err, c.field)
			}
		}
		a := e.deliberation(x, "2026-061")
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		b := e.deliberation(x, "2026-061")
		if err := e.s.SaveAct(ctx, b, "Secrétariat"); guichet.FieldErrors(err)["number"] == "" {
			t.Fatalf("a number taken twice: %v", err)
		}
	})
}

func TestDeadlines(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, c := range []struct {
		name, from  string
		alsace      bool
		legal, due  string
		mentionsWhy string
	}{
		{"a Thursday session: the next Thursday", "2026-12-03", false, "2026-12-10", "2026-12-10", ""},
		{"a Saturday deadline moves back to Friday", "2026-12-05", false, "2026-12-12", "2026-12-11", "week-end"},
		{"a Sunday deadline moves back to Friday", "2026-12-06", false, "2026-12-13", "2026-12-11", "week-end"},
		{"Christmas on a Friday: due on Thursday", "2026-12-18", false, "2026-12-25", "2026-12-24", "Noël"},
		{"Saint-Étienne is a working day outside Alsace-Moselle", "2025-12-19", false, "2025-12-26", "2025-12-26", ""},
		{"Saint-Étienne, then Christmas, in Alsace-Moselle", "2025-12-19", true, "2025-12-26", "2025-12-24", "Saint-Étienne"},
		{"a Saturday deadline before Christmas", "2026-12-19", false, "2026-12-26", "2026-12-24", "week-end"},
		{"Easter Monday 2027", "2027-03-22", false, "2027-03-29", "2027-03-26", "Lundi de Pâques"},
		{"Ascension Thursday 2027", "2027-04-29", false, "2027-05-06", "2027-05-05", "Ascension"},
		{"14 July 2027 on a Wednesday", "2027-07-07", false, "2027-07-14", "2027-07-13", "Fête nationale"},
		{"1 and 8 May 2027 fall on Saturdays", "2027-05-01", false, "2027-05-08", "2027-05-07", "Victoire 1945"},
		{"Good Friday in Alsace-Moselle", "2027-03-19", true, "2027-03-26", "2027-03-25", "Vendredi saint"},
		{"Good Friday elsewhere is a working day", "2027-03-19", false, "2027-03-26", "2027-03-26", ""},
		{"over the new year", "2026-12-25", false, "2027-01-01", "2026-12-31", "Jour de l'an"},
	} {
		legal, due, why := council.Deadline(day(c.from), c.alsace)
		if legal.Format("2006-01-02") != c.legal || due.Format("2006-01-02") != c.due {
			t.Errorf("%s: legal %s due %s, want %s and %s", c.name, legal.Format("2006-01-02"), due.Format("2006-01-02"), c.legal, c.due)
		}
		if (c.mentionsWhy == "") != (why == "") || !strings.Contains(why, c.mentionsWhy) {
			t.Errorf("%s: why %q, want it to mention %q", c.name, why, c.mentionsWhy)
		}
	}
	if !guichet.AlsaceMoselle("67482") || !guichet.AlsaceMoselle("57463") || guichet.AlsaceMoselle("86194") {
		t.Error("AlsaceMoselle by INSEE code")
	}
}

func TestDutiesAndReminders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		// A session on Friday 11 December: the list is due Friday 18.
		x := e.heldSession(t, "2026-12-11")
		next := e.heldSession(t, "2027-01-14")
		rem := &council.Reminders{Store: e.s,
			Place: func(context.Context, string) (string, *time.Location, bool, error) {
				return "https://montclair.example", e.loc, false, nil
			},
			Secretaries: func(context.Context, string) ([]council.Recipient, error) {
				return []council.Recipient{{Email: "secretariat@montclair.example", Lang: "fr"}}, nil
			}}
		at := func(day string) {
			t.Helper()
			ts, _ := time.ParseInLocation("2006-01-02 15:04", day+" 07:00", e.loc)
			e.clock.Set(ts.UTC())
		}
		remindersSent := func(want int) {
			t.Helper()
			n, err := rem.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Fatalf("sent %d reminders, want %d", n, want)
			}
		}
		at("2026-12-15") // Tuesday: three working days ahead, nothing yet
		remindersSent(0)
		at("2026-12-16") // Wednesday: two working days before Friday 18
		remindersSent(1)
		remindersSent(0) // once per stage
		at("2026-12-19")
		duties, err := e.s.Duties(ctx, e.tenant.ID, e.loc, false)
		if err != nil {
			t.Fatal(err)
		}
		var late int
		for _, d := range duties {
			if d.Session.ID == x.ID && d.What == council.DutyList && d.Late {
				late++
			}
		}
		if late != 1 {
			t.Fatalf("the list should be late: %+v", duties)
		}
		remindersSent(1) // x's list is late; the next session's is not due yet
		msgs := e.mail.messages()
		if len(msgs) < 2 || msgs[0].Template != "council/deadline" || msgs[0].Data["Late"] != false || msgs[1].Data["Late"] != true {
			t.Fatalf("reminder mails: %+v", msgs)
		}
		if err := e.s.PublishList(ctx, e.tenant.ID, x.ID); err != nil {
			t.Fatal(err)
		}
		// The minutes: drafted, approved at the next session, then due a
		// week after that.
		text, err := e.s.DraftMinutes(ctx, e.tenant.ID, x.ID, e.loc)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Présidence :** Claire Vasseur", "Secrétaire de séance :** Inès Haddad", "quorum (3)",
			"Budget primitif 2027", "M. Girard demande"} {
			if !strings.Contains(text, want) {
				t.Errorf("the minutes' draft lacks %q:\n%s", want, text)
			}
		}
		if err := e.s.SaveMinutes(ctx, e.tenant.ID, x.ID, text); err != nil {
			t.Fatal(err)
		}
		if err := e.s.ApproveMinutes(ctx, e.tenant.ID, x.ID, next.ID, e.loc); err != nil {
			t.Fatal(err)
		}
		at("2027-01-15")
		duties, _ = e.s.Duties(ctx, e.tenant.ID, e.loc, false)
		var minutes *council.Duty
		for i := range duties {
			if duties[i].What == council.DutyMinutes {
				minutes = &duties[i]
			}
		}
		if minutes == nil || minutes.Due.Format("2006-01-02") != "2027-01-21" {
			t.Fatalf("the minutes are due a week after the approval: %+v", minutes)
		}
		if err := e.s.PublishMinutes(ctx, e.tenant.ID, x.ID, e.loc); err != nil {
			t.Fatal(err)
		}
		if err := e.s.SaveMinutes(ctx, e.tenant.ID, x.ID, "Autre texte"); !errors.Is(err, council.ErrMinutesPublished) {
			t.Fatalf("published minutes changed: %v", err)
		}
		if _, err := d.Exec(ctx, `UPDATE council_sessions SET minutes_text = 'Falsifié' WHERE id = ?`, x.ID); err == nil {
			t.Fatal("the database let published minutes change")
		}
	})
}

func TestAttendanceAndQuorum(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		x := e.heldSession(t, "2026-12-03")
		m := e.members
		marks := map[string]council.Attendance{
			m[0].ID: {Status: council.Present},
			m[1].ID: {Status: council.Represented, ProxyID: m[0].ID},
			m[2].ID: {Status: council.Represented, ProxyID: m[0].ID},
			m[3].ID: {Status: council.Absent},
		}
		err := e.s.RecordAttendance(ctx, e.tenant.ID, x.ID, e.loc, marks)
		if guichet.FieldErrors(err)["proxy_"+m[2].ID] == "" {
			t.Fatalf("two proxies held by one member: %v", err)
		}
		marks[m[2].ID] = council.Attendance{Status: council.Excused}
		if err := e.s.RecordAttendance(ctx, e.tenant.ID, x.ID, e.loc, marks); err != nil {
			t.Fatal(err)
		}
		x, _ = e.s.Session(ctx, e.tenant.ID, x.ID)
		q := council.QuorumOf(x, 4)
		if q.Present != 1 || q.Represented != 1 || q.Needed != 3 || q.Reached {
			t.Fatalf("quorum: %+v", q)
		}
		x.SecondCall = true
		if !council.QuorumOf(x, 4).Reached {
			t.Fatal("a second call deliberates without quorum")
		}
	})
}

func TestSearchFindsAWordOnlyInsideThePDF(t *testing.T) {
	t.Parallel()
	needPDFText(t)
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		x := e.heldSession(t, "2026-12-03")
		var w pdf.Writer
		doc := w.New("Délibération 2026-047")
		doc.Paragraphs("Annexe : le traitement des charpentes contre les capricornes sera confié à une entreprise spécialisée.")
		body, err := doc.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		f, err := e.s.SaveFile(ctx, e.tenant.ID, "deliberation-2026-047.pdf", body)
		if err != nil {
			t.Fatal(err)
		}
		if f.TextState != council.TextIndexed {
			t.Fatalf("the PDF's text was not read: %s", f.TextState)
		}
		a := e.deliberation(x, "2026-047")
		a.Title, a.SubjectCode, a.BudgetYear, a.BudgetName = "Travaux de la toiture de l'église Saint-Martin", "3.5", "", ""
		a.Body = "Le conseil municipal approuve les travaux de toiture décrits en annexe."
		a.FileID = f.ID
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		find := func() int {
			p, err := e.s.Search.Search(ctx, search.Query{TenantID: e.tenant.ID, Text: "capricornes", Kinds: []string{council.Kind}, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Hits)
		}
		if n := find(); n != 0 {
			t.Fatalf("a draft is found by search: %d", n)
		}
		if _, err := e.s.Publish(ctx, e.tenant.ID, a.ID, "Secrétariat", "", e.loc); err != nil {
			t.Fatal(err)
		}
		if n := find(); n != 1 {
			t.Fatalf("a word only in the PDF: %d hits, want 1", n)
		}
	})
}

func TestFollowersGetNewActs(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		e := newEnv(t, d)
		if err := e.s.Follow(ctx, e.tenant.ID, "Lea.Martin@exemple.fr", "https://montclair.example", "fr"); err != nil {
			t.Fatal(err)
		}
		msgs := e.mail.messages()
		if len(msgs) != 1 || msgs[0].Template != "council/follow_confirm" {
			t.Fatalf("confirmation mail: %+v", msgs)
		}
		token := msgs[0].Data["ConfirmURL"].(string)[strings.LastIndex(msgs[0].Data["ConfirmURL"].(string), "/")+1:]
		if email, confirmed, err := e.s.FollowerByLink(ctx, e.tenant.ID, token); err != nil || confirmed || email != "lea.martin@exemple.fr" {
			t.Fatalf("by link: %s %v %v", email, confirmed, err)
		}
		if err := e.s.ConfirmFollower(ctx, e.tenant.ID, token); err != nil {
			t.Fatal(err)
		}
		if err := e.s.ConfirmFollower(ctx, e.tenant.ID, token); !errors.Is(err, council.ErrFollowConfirmed) {
			t.Fatalf("second confirmation: %v", err)
		}
		x := e.heldSession(t, "2026-12-03")
		a := e.deliberation(x, "2026-048")
		if err := e.s.SaveAct(ctx, a, "Secrétariat"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Publish(ctx, e.tenant.ID, a.ID, "Secrétariat", "https://montclair.example", e.loc); err != nil {
			t.Fatal(err)
		}
		// Without a job queue the store queues no mailing: run it by hand.
		if _, err := d.Exec(ctx, `INSERT INTO council_mailings (act_id, tenant_id) VALUES (?, ?)`, a.ID, e.tenant.ID); err != nil {
			t.Fatal(err)
		}
		args := council.PublishArgs{TenantID: e.tenant.ID, ActID: a.ID, BaseURL: "https://montclair.example"}
		for range 2 { // a retried job sends nothing twice
			if err := e.s.MailFollowers(ctx, args); err != nil {
				t.Fatal(err)
			}
		}
		msgs = e.mail.messages()
		if len(msgs) != 2 || msgs[1].Template != "council/act" || msgs[1].To != "lea.martin@exemple.fr" ||
			msgs[1].Data["URL"] != "https://montclair.example/actes/deliberation-2026-048" {
			t.Fatalf("act mail: %+v", msgs)
		}
	})
}
