package procedure_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/applications"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// fakeLaw is a law simple enough to check the procedures' plumbing by
// hand: pieces may be asked within 30 days of filing, the applicant has
// 60 days, the instruction ends 40 days after the file is complete and
// the tacit decision arises the next day. (The real law is the
// territory's, tested there.)
type fakeLaw struct{}

func (fakeLaw) Kinds() []applications.Kind {
	return []applications.Kind{{Code: "DP", Number: "13404", Name: "Déclaration préalable", Months: 1,
		Pieces: []applications.Piece{{Code: "DP1", Name: "Plan de situation", Required: true}, {Code: "DP3", Name: "Plan en coupe"}}}}
}

func (fakeLaw) Dates(_ context.Context, _ string, a applications.Application, asOf time.Time) (applications.Dates, error) {
	if a.Parcel != "86990000AB0030" {
		return applications.Dates{}, guichet.Errorf(guichet.EInvalid, "Parcelle inconnue.")
	}
	d := applications.Dates{CompletenessBy: a.Filed.AddDate(0, 0, 30), Tacit: "non-opposition tacite", Parcel: "AB 30"}
	start := a.Filed
	if !a.PiecesAsked.IsZero() {
		if a.PiecesAsked.After(d.CompletenessBy) {
			return applications.Dates{}, guichet.Errorf(guichet.EConflict, "Trop tard.")
		}
		d.PiecesDue = a.PiecesAsked.AddDate(0, 0, 60)
		if a.PiecesReceived.IsZero() {
			y, m, dd := asOf.Date()
			if time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).After(d.PiecesDue) {
				d.Lapsed, d.Refusal, d.Tacit, d.Decision = true, true, "opposition tacite", d.PiecesDue.AddDate(0, 0, 1)
			}
			return d, nil
		}
		start = a.PiecesReceived
	}
	d.Complete, d.Ends = start, start.AddDate(0, 0, 40)
	d.Decision = d.Ends.AddDate(0, 0, 1)
	return d, nil
}

// TestApplicationsFollowTheLaw files an application through the store:
// the parcel is checked, the registration numbered, the deadline is the
// tacit decision's day in the collectivité's zone; pieces are asked once
// and only in time; silence grants it at its day, or refuses it when the
// pieces never came; the instructor hears of each deadline once.
func TestApplicationsFollowTheLaw(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, migrations(), func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			t.Fatal(err)
		}
		f.s.Law = func() applications.Law { return fakeLaw{} }
		f.s.Zone = func(context.Context, string) (*time.Location, error) { return paris, nil }
		// 23:30 in Paris on 1 March 2026 is still the 1st there, the 2nd
		// nowhere yet: the law counts the collectivité's days.
		f.now = time.Date(2026, 3, 1, 22, 30, 0, 0, time.UTC)
		kind, err := f.s.ApplicationKind("DP")
		if err != nil {
			t.Fatal(err)
		}
		p := procedure.NewApplicationProcedure(f.town.ID, "declaration-prealable", "Déclaration préalable", "urbanisme", kind)
		if err := f.s.CreateProcedure(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Publish(ctx, f.town.ID, p.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		if p, err = f.s.Procedure(ctx, f.town.ID, p.ID); err != nil || p.Application != "DP" {
			t.Fatalf("procedure: %+v %v", p, err)
		}
		form, err := f.s.Form(ctx, f.town.ID, p.ID, p.Version)
		if err != nil {
			t.Fatal(err)
		}
		file := func(parcel string) (*procedure.Case, error) {
			c, _, err := f.s.Start(ctx, p, f.userID, "h@exemple.fr", "Habitante", "fr")
			if err != nil {
				t.Fatal(err)
			}
			answers := procedure.Answers{"parcelle": {Value: parcel}, "prenom": {Value: "Claire"}, "nom": {Value: "Fabre"},
				"nature": {Value: "Un abri de jardin."}, "dp1": {Files: []procedure.FileRef{{ID: "f1", Name: "dp1.pdf"}}}}
			if err := f.s.SaveDraft(ctx, c, answers, 0, "Claire Fabre"); err != nil {
				t.Fatal(err)
			}
			return c, f.s.Submit(ctx, c, p, form, procedure.Actor{Name: "Claire Fabre"})
		}
		if _, err := file("86990000ZZ9999"); guichet.FieldErrors(err)["c.parcelle"] != "Parcelle inconnue." {
			t.Fatalf("unknown parcel: %v", err)
		}
		c, err := file("86990000AB0030")
		if err != nil {
			t.Fatal(err)
		}
		filed := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		if want := time.Date(2026, 4, 11, 0, 0, 0, 0, paris); !c.DueAt.Equal(want) {
			t.Errorf("due at %v, want the start of the tacit decision's day %v", c.DueAt, want)
		}
		a, err := f.s.Application(ctx, c)
		if err != nil || a.Registration != "DP 86990 26 00001" || !a.Filed.Equal(filed) || a.Dates.Parcel != "AB 30" {
			t.Fatalf("application: %+v %v", a, err)
		}

		// Pieces asked on day 10: the applicant's 60 days run; a second
		// request is refused; so is a first one after day 30.
		f.now = f.now.AddDate(0, 0, 10)
		if err := f.s.Transition(ctx, c, p, procedure.Waiting, procedure.Actor{Name: "Agent", Staff: true}, "Le plan DP3."); err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 5, 11, 0, 0, 0, 0, paris); !c.DueAt.Equal(want) {
			t.Errorf("awaiting pieces, due at %v, want the day after the applicant's last %v", c.DueAt, want)
		}
		if err := f.s.Transition(ctx, c, p, procedure.Instruction, procedure.Actor{Name: "Agent", Staff: true}, ""); err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 4, 21, 0, 0, 0, 0, paris); !c.DueAt.Equal(want) {
			t.Errorf("pieces received on day 10, due at %v, want %v", c.DueAt, want)
		}
		if err := f.s.Transition(ctx, c, p, procedure.Waiting, procedure.Actor{Name: "Agent", Staff: true}, "Encore."); !errors.Is(err, procedure.ErrPiecesAskedTwice) {
			t.Errorf("second request: %v", err)
		}
		late, err := file("86990000AB0030")
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.AddDate(0, 0, 31)
		if err := f.s.Transition(ctx, late, p, procedure.Waiting, procedure.Actor{Name: "Agent", Staff: true}, "Trop tard ?"); guichet.ErrorCode(err) != guichet.EConflict {
			t.Errorf("request after the month: %v", err)
		}
		lapsing, err := file("86990000AB0030")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.Transition(ctx, lapsing, p, procedure.Waiting, procedure.Actor{Name: "Agent", Staff: true}, "DP3."); err != nil {
			t.Fatal(err)
		}

		// On 10 April the instructor hears, once, of the first case's
		// coming decision and of the last day to ask for the second's
		// missing pieces (the third awaits its pieces: no reminder).
		f.now = time.Date(2026, 4, 10, 8, 0, 0, 0, time.UTC)
		reminders, err := f.s.DueReminders(ctx)
		if err != nil || len(reminders) != 2 {
			t.Fatalf("reminders: %+v %v", reminders, err)
		}
		for _, r := range reminders {
			want := map[string]string{c.ID: "le silence vaudra non-opposition tacite le mardi 21 avril 2026",
				late.ID: "que jusqu'au vendredi 10 avril 2026"}[r.Case.ID]
			if want == "" || !strings.Contains(r.Body, want) {
				t.Errorf("reminder of %s: %q, want %q", r.Case.ID, r.Body, want)
			}
		}
		// The next run gives the second case's coming decision, then
		// nothing is left to say.
		if again, err := f.s.DueReminders(ctx); err != nil || len(again) != 1 || again[0].Case.ID != late.ID ||
			!strings.Contains(again[0].Body, "le silence vaudra") {
			t.Errorf("second run: %+v %v", again, err)
		}
		if again, err := f.s.DueReminders(ctx); err != nil || len(again) != 0 {
			t.Errorf("reminded twice: %+v %v", again, err)
		}

		// Silence: the first is granted on its day; the one whose pieces
		// never came is refused once its applicant's days are over.
		f.now = time.Date(2026, 4, 20, 21, 59, 0, 0, time.UTC) // 23:59 in Paris
		if decided, err := f.s.ApplySilence(ctx); err != nil || len(decided) != 0 {
			t.Fatalf("before the day: %+v %v", decided, err)
		}
		f.now = time.Date(2026, 4, 20, 22, 1, 0, 0, time.UTC) // 00:01 on 21 April in Paris
		// Both filed ones end on 20 April (the second, never asked for
		// pieces, was complete on filing).
		decided, err := f.s.ApplySilence(ctx)
		if err != nil || len(decided) != 2 || decided[0].State != procedure.Accepted || decided[1].State != procedure.Accepted {
			t.Fatalf("at the day: %+v %v", decided, err)
		}
		events, err := f.s.Events(ctx, f.town.ID, c.ID)
		if err != nil || !strings.Contains(events[len(events)-1].Reason, "Non-opposition tacite le 21 avril 2026") {
			t.Errorf("silence's reason: %+v %v", events[len(events)-1], err)
		}
		f.now = time.Date(2026, 7, 10, 8, 0, 0, 0, time.UTC)
		decided, err = f.s.ApplySilence(ctx)
		if err != nil || len(decided) != 1 || decided[0].ID != lapsing.ID || decided[0].State != procedure.Refused {
			t.Fatalf("lapsed: %+v %v", decided, err)
		}
	})
}
