package reports_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
)

// TestHandling walks a report through its statuses: each change keeps
// its times, adds a line to the public history and mails the author and
// each confirmed follower once, in their language; a move the rules do
// not allow is refused.
func TestHandling(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
		e.follow(r.ID, "voisine@exemple.fr", "en")
		e.follow(r.ID, "auteur@exemple.fr", "fr")                                              // the author follows too: one mail
		if _, err := e.s.Follow(e.ctx, e.town, r.ID, "attente@exemple.fr", "fr"); err != nil { // never confirmed
			t.Fatal(err)
		}
		e.out.take()
		e.advance(time.Hour)
		got := e.change(e.town, r.ID, reports.Acknowledged, "Transmis au service de la voirie.")
		if got.AcknowledgedAt == nil || !got.AcknowledgedAt.Equal(e.clock()) || got.PublicNote != "Transmis au service de la voirie." {
			t.Fatalf("acknowledged: %+v", got)
		}
		mails := e.out.take()
		author, neighbour := mailsTo(mails, "auteur@exemple.fr", "report_update"), mailsTo(mails, "voisine@exemple.fr", "report_update")
		if len(mails) != 2 || len(author) != 1 || len(neighbour) != 1 {
			t.Fatalf("mails: %+v", mails)
		}
		if !strings.Contains(author[0].Subject, "pris en compte") || !strings.Contains(author[0].Text, "Transmis au service") ||
			author[0].Unsubscribe != "" {
			t.Errorf("the author's mail: %+v", author[0])
		}
		if neighbour[0].Lang != "en" || !strings.Contains(neighbour[0].Subject, "acknowledged") ||
			!strings.HasPrefix(neighbour[0].Unsubscribe, "https://ville.example"+reports.UnfollowPrefix) {
			t.Errorf("the follower's mail: %+v", neighbour[0])
		}
		e.advance(time.Hour)
		e.change(e.town, r.ID, "", "Intervention prévue jeudi.")
		if _, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{By: "Agent"}); guichet.FieldErrors(err)["public_note"] == "" {
			t.Errorf("a change with nothing: %v", err)
		}
		if _, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.New, By: "Agent"}); code(err) != guichet.EConflict {
			t.Errorf("back to new: %v", err)
		}
		if _, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.Fixed}); guichet.FieldErrors(err)["by"] == "" {
			t.Errorf("a change by no one: %v", err)
		}
		e.advance(time.Hour)
		fixed := e.change(e.town, r.ID, reports.Fixed, "")
		if fixed.FixedAt == nil || fixed.ResolvedAt == nil || fixed.PublicNote != "" || !fixed.AcknowledgedAt.Equal(got.AcknowledgedAt.UTC()) {
			t.Errorf("fixed: %+v", fixed)
		}
		e.advance(time.Hour)
		closed := e.change(e.town, r.ID, reports.Closed, "")
		if closed.ClosedAt == nil || !closed.ResolvedAt.Equal(e.clock()) || !closed.FixedAt.Equal(*fixed.FixedAt) {
			t.Errorf("closed: %+v", closed)
		}
		if _, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.InProgress, By: "Agent"}); code(err) != guichet.EConflict {
			t.Errorf("a closed report moved: %v", err)
		}
		d, err := e.s.PublicReport(e.ctx, e.town, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var history []string
		for _, u := range d.Updates {
			history = append(history, string(u.Status)+"/"+u.Note+"/"+u.By)
		}
		want := []string{"new//" + reports.ReporterName, "acknowledged/Transmis au service de la voirie./Agent des services techniques",
			"acknowledged/Intervention prévue jeudi./Agent des services techniques", "fixed//Agent des services techniques",
			"closed//Agent des services techniques"}
		if strings.Join(history, "\n") != strings.Join(want, "\n") {
			t.Errorf("history:\n%s", strings.Join(history, "\n"))
		}
		if n := len(e.out.take()); n != 6 {
			t.Errorf("%d mails for three changes to two people", n)
		}
		// The village changes nothing of the town's.
		if _, err := e.s.Change(e.ctx, e.vill, r.ID, reports.Change{Status: reports.Closed, By: "Agent"}); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("the village changed the town's report: %v", err)
		}
	})
}

// follow makes addr follow a report and confirm it.
func (e *env) follow(reportID, addr, lang string) {
	e.t.Helper()
	token, err := e.s.Follow(e.ctx, e.town, reportID, addr, lang)
	if err != nil || token == "" {
		e.t.Fatalf("follow: %q, %v", token, err)
	}
	if err := e.s.ConfirmFollow(e.ctx, e.town, token); err != nil {
		e.t.Fatal(err)
	}
}

// TestUnconfirmedReportsAreNotHandled: staff do not see a report its
// author has not confirmed, nor change it.
func TestUnconfirmedReportsAreNotHandled(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r, _ := e.submit(e.town, draft(c, 0, "auteur@exemple.fr"))
		if _, err := e.s.Change(e.ctx, e.town, r.ID, reports.Change{Status: reports.Acknowledged, By: "Agent"}); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("changed: %v", err)
		}
		if _, err := e.s.Follow(e.ctx, e.town, r.ID, "x@exemple.fr", "fr"); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("followed: %v", err)
		}
	})
}

// TestDuplicates: a duplicate names another open, confirmed report of
// the same collectivité, by id or reference.
func TestDuplicates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		original := e.confirmed(e.town, draft(c, 0, "a@exemple.fr"))
		copy1 := e.confirmed(e.town, draft(c, 5, "b@exemple.fr"))
		closed := e.confirmed(e.town, draft(c, 9, "c@exemple.fr"))
		e.change(e.town, closed.ID, reports.Closed, "")
		waiting, _ := e.submit(e.town, draft(c, 3, "d@exemple.fr"))
		elsewhere := e.confirmed(e.vill, draft(e.category(e.vill, "voirie", "", ""), 0, "e@exemple.fr"))
		for name, of := range map[string]string{"none": "", "itself": copy1.ID, "closed": closed.ID, "unconfirmed": waiting.ID,
			"another collectivité's": elsewhere.ID, "unknown reference": "SIG-2020-000999"} {
			_, err := e.s.Change(e.ctx, e.town, copy1.ID, reports.Change{Status: reports.Duplicate, DuplicateOf: of, By: "Agent"})
			if guichet.FieldErrors(err)["duplicate_of"] == "" {
				t.Errorf("duplicate of %s: %v", name, err)
			}
		}
		got, err := e.s.Change(e.ctx, e.town, copy1.ID, reports.Change{Status: reports.Duplicate,
			DuplicateOf: strings.ToLower(original.Reference), By: "Agent"})
		if err != nil || got.DuplicateOf != original.ID || got.Status != reports.Duplicate || got.ClosedAt == nil {
			t.Fatalf("duplicate: %+v, %v", got, err)
		}
	})
}

// TestReopen: the author, proven by their secret link or their account,
// reopens a fixed or closed report within 30 days; no one else, never a
// duplicate, never later.
func TestReopen(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "eclairage-panne", "technique", "")
		_, token := e.submit(e.town, draft(c, 0, "auteur@exemple.fr"))
		r, err := e.s.Confirm(e.ctx, e.town, token)
		if err != nil {
			t.Fatal(err)
		}
		manage := linkToken(t, mailsTo(e.out.take(), "auteur@exemple.fr", "report_received")[0].Text,
			"https://ville.example"+reports.ManagePrefix)
		e.follow(r.ID, "voisin@exemple.fr", "fr")
		proof := reports.Proof{Token: manage}
		if _, err := e.s.Reopen(e.ctx, e.town, r.ID, "Toujours éteint.", proof); code(err) != guichet.EConflict {
			t.Errorf("an open report reopened: %v", err)
		}
		e.change(e.town, r.ID, reports.Fixed, "Ampoule changée.")
		e.out.take()
		e.advance(29 * 24 * time.Hour)
		for name, p := range map[string]reports.Proof{"nothing": {}, "a wrong link": {Token: "faux"},
			"another account": {AccountID: "u-9"}, "a confirmation link": {Token: token}} {
			if _, err := e.s.Reopen(e.ctx, e.town, r.ID, "Toujours éteint.", p); !errors.Is(err, reports.ErrNotAuthor) {
				t.Errorf("reopened with %s: %v", name, err)
			}
		}
		if _, err := e.s.Reopen(e.ctx, e.town, r.ID, "Non", proof); guichet.FieldErrors(err)["reason"] == "" {
			t.Errorf("reopened without a reason: %v", err)
		}
		got, err := e.s.Reopen(e.ctx, e.town, r.ID, "Le lampadaire est de nouveau éteint.", proof)
		if err != nil || got.Status != reports.ReopenedTo || got.FixedAt != nil || got.ResolvedAt != nil {
			t.Fatalf("reopened: %+v, %v", got, err)
		}
		mails := e.out.take()
		if len(mails) != 1 || mails[0].To != "voisin@exemple.fr" || !strings.Contains(mails[0].Text, "de nouveau éteint") {
			t.Errorf("mails of the reopening: %+v", mails)
		}
		d, _ := e.s.PublicReport(e.ctx, e.town, r.ID)
		if last := d.Updates[len(d.Updates)-1]; last.By != reports.ReporterName || last.Status != reports.ReopenedTo {
			t.Errorf("last line: %+v", last)
		}
		e.change(e.town, r.ID, reports.Closed, "")
		e.advance(30 * 24 * time.Hour)
		if _, err := e.s.Reopen(e.ctx, e.town, r.ID, "Toujours éteint.", proof); code(err) != guichet.EConflict {
			t.Errorf("reopened after 30 days: %v", err)
		}
		// An account proves it too; a duplicate never reopens.
		d2 := draft(c, 10, "compte@exemple.fr")
		d2.AccountID, d2.EmailVerified = "u-1", true
		mine, _ := e.submit(e.town, d2)
		e.change(e.town, mine.ID, reports.Fixed, "")
		if _, err := e.s.Reopen(e.ctx, e.town, mine.ID, "Pas réparé du tout.", reports.Proof{AccountID: "u-1"}); err != nil {
			t.Errorf("the account reopens: %v", err)
		}
		d3 := d2
		d3.Lat += 0.0001
		again, _ := e.submit(e.town, d3)
		if _, err := e.s.Change(e.ctx, e.town, again.ID, reports.Change{Status: reports.Duplicate, DuplicateOf: mine.ID, By: "Agent"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Reopen(e.ctx, e.town, again.ID, "Pas réparé du tout.", reports.Proof{AccountID: "u-1"}); code(err) != guichet.EConflict {
			t.Errorf("a duplicate reopened: %v", err)
		}
	})
}
