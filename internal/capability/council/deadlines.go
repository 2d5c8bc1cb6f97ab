package council

import (
	"context"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

// Duties after a session.
const (
	// DutyList: the list of the deliberations examined goes online within
	// a week of the session (CGCT L2121-25).
	DutyList = "list"
	// DutyMinutes: the minutes go online within a week of their approval
	// at the next session (L2121-15).
	DutyMinutes = "minutes"
)

// Week is the legal delay of both duties, in calendar days.
const Week = 7

// Deadline returns, for a week starting on from, the legal deadline
// (from + 7 days) and the day the work is due: the last working day on
// or before it, since the mairie's staff are not there on a weekend or a
// public holiday. why explains a due day earlier than the deadline.
func Deadline(from time.Time, alsaceMoselle bool) (legal, due time.Time, why string) {
	legal = time.Date(from.Year(), from.Month(), from.Day()+Week, 0, 0, 0, 0, time.UTC)
	due = legal
	for !guichet.WorkingDay(due, alsaceMoselle) {
		if why == "" {
			if h := guichet.HolidayName(due, alsaceMoselle); h != "" {
				why = guichet.LongDate(due, "fr") + " est un jour férié (" + h + ")"
			} else {
				why = guichet.LongDate(due, "fr") + " tombe un week-end"
			}
		}
		due = due.AddDate(0, 0, -1)
	}
	return legal, due, why
}

// workingDaysBefore returns the day n working days before day.
func workingDaysBefore(day time.Time, n int, alsaceMoselle bool) time.Time {
	for n > 0 {
		day = day.AddDate(0, 0, -1)
		if guichet.WorkingDay(day, alsaceMoselle) {
			n--
		}
	}
	return day
}

// Duty is a publication a session still owes, with its deadline.
type Duty struct {
	Session    *Session
	What       string // DutyList or DutyMinutes
	Legal, Due time.Time
	Why        string
	// Late is true past the due day; Soon within RemindBefore working
	// days of it.
	Late, Soon bool
}

// RemindBefore is how many working days before the due day the
// secretaries are reminded.
const RemindBefore = 2

// Duties returns what the collectivité's held sessions still owe, the
// nearest deadline first, as of the store's day in loc.
func (s *Store) Duties(ctx context.Context, tenantID string, loc *time.Location, alsace bool) ([]Duty, error) {
	sessions, err := s.Sessions(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	today, _ := ParseDate(s.today(loc))
	var out []Duty
	add := func(x *Session, what string, from time.Time) {
		legal, due, why := Deadline(from, alsace)
		d := Duty{Session: x, What: what, Legal: legal, Due: due, Why: why, Late: today.After(due)}
		d.Soon = !d.Late && !today.Before(workingDaysBefore(due, RemindBefore, alsace))
		out = append(out, d)
	}
	for _, x := range sessions {
		if !x.Held {
			continue
		}
		day, _ := ParseDate(x.Day(loc))
		if x.ListPublishedAt == nil {
			add(x, DutyList, day)
		}
		if x.Minutes.State == Approved {
			approved, err := ParseDate(x.Minutes.ApprovedOn)
			if err == nil {
				add(x, DutyMinutes, approved)
			}
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Due.Before(out[j-1].Due); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// Reminders sends the secretaries the reminders their duties call for.
type Reminders struct {
	Store *Store
	// Place gives a collectivité's address, time zone and whether it keeps
	// the Alsace-Moselle holidays.
	Place func(ctx context.Context, tenantID string) (siteURL string, loc *time.Location, alsace bool, err error)
	// Secretaries lists the addresses and languages of the council's
	// secretaries.
	Secretaries func(ctx context.Context, tenantID string) ([]Recipient, error)
}

// Recipient is someone a reminder goes to.
type Recipient struct{ Email, Lang string }

// Run mails, once per duty and stage, a reminder when a deadline is near
// (RemindBefore working days) and another once it has passed.
func (r *Reminders) Run(ctx context.Context) (sent int, err error) {
	var tenants []string
	err = db.Each(ctx, r.Store.DB(), `SELECT DISTINCT tenant_id FROM council_sessions WHERE held = ?
		AND (list_published_at IS NULL OR minutes_state = ?)`, func(row db.Row) error {
		var t string
		err := row.Scan(&t)
		tenants = append(tenants, t)
		return err
	}, true, Approved)
	if err != nil {
		return 0, wrap("reminder tenants", err)
	}
	for _, t := range tenants {
		n, err := r.runTenant(ctx, t)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (r *Reminders) runTenant(ctx context.Context, tenantID string) (int, error) {
	site, loc, alsace, err := r.Place(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	duties, err := r.Store.Duties(ctx, tenantID, loc, alsace)
	if err != nil {
		return 0, err
	}
	var to []Recipient
	sent := 0
	for _, d := range duties {
		stage := "soon"
		if d.Late {
			stage = "late"
		} else if !d.Soon {
			continue
		}
		if to == nil {
			if to, err = r.Secretaries(ctx, tenantID); err != nil {
				return sent, err
			}
			if len(to) == 0 {
				return sent, nil
			}
		}
		res, err := r.Store.DB().Exec(ctx, `INSERT INTO council_reminders (tenant_id, session_id, duty, stage, sent_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, tenantID, d.Session.ID, d.What, stage, r.Store.Stamp())
		if err != nil {
			return sent, wrap("note reminder", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // already sent
		}
		for _, p := range to {
			data := map[string]any{"Duty": d.What, "Late": d.Late, "Session": guichet.LongDate(d.Session.StartsAt.In(loc), p.Lang),
				"Due": guichet.LongDate(d.Due, p.Lang), "Legal": guichet.LongDate(d.Legal, p.Lang), "Why": d.Why,
				"URL": fmt.Sprintf("%s/gestion/conseil/seances/%s", site, d.Session.ID)}
			if err := r.Store.Send(ctx, tenantID, p.Email, "council/deadline", p.Lang, data); err != nil {
				// Forget the note so that the next run sends it again.
				_, _ = r.Store.DB().Exec(ctx, `DELETE FROM council_reminders WHERE tenant_id = ? AND session_id = ? AND duty = ?
					AND stage = ?`, tenantID, d.Session.ID, d.What, stage)
				return sent, err
			}
			sent++
		}
	}
	return sent, nil
}
