package newsletter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

// Statuses of a delivery.
const (
	deliveryPending     = "pending"
	deliverySending     = "sending"
	deliverySent        = "sent"
	deliveryFailed      = "failed"
	deliverySkipped     = "skipped"
	deliveryInterrupted = "interrupted"
)

// Sending is how campaigns go out; the web layer fills it at Install.
type Sending struct {
	// Tenants finds the collectivité a campaign is from.
	Tenants func(ctx context.Context, id string) (*tenant.Tenant, error)
	// Jobs runs the sending.
	Jobs *jobs.Queue
	// Conns is how many SMTP connections a campaign uses at once.
	Conns int
	// Chunk is how many messages a connection claims at a time: at most
	// Conns+1 chunks are claimed and unconfirmed when a process dies.
	Chunk int
	// Budget is how long one run of the job sends before it hands over
	// to the next (a job may run a minute).
	Budget time.Duration
	// Progress hears of a campaign's figures every few chunks (the live
	// progress bar).
	Progress func(ctx context.Context, c *Campaign)
	// Links gives a collectivité's site, for the sweep that queues again
	// the sending of a campaign whose job was lost.
	Links func(ctx context.Context, tenantID string) (string, error)
}

// staleClaim is how old a claim must be for a new run to call it
// interrupted: older than any run.
const staleClaim = 2 * time.Minute

// retryAfter is the wait before each new attempt at a message the
// server refused for now; past the last, the message failed.
var retryAfter = []time.Duration{5 * time.Minute, 30 * time.Minute, 2 * time.Hour}

// SendArgs is the job that sends a campaign, one run at a time.
type SendArgs struct {
	TenantID   string `json:"tenant_id" river:"unique"`
	CampaignID string `json:"campaign_id" river:"unique"`
	BaseURL    string `json:"base_url"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "newsletter_send" }

// InsertOpts makes the job unique per campaign: clicking twice, or
// resuming while a run waits, never runs two at once.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 25, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// UseSending registers the sending job.
func (s *Store) UseSending(cfg Sending) error {
	if cfg.Conns <= 0 {
		cfg.Conns = 4
	}
	if cfg.Chunk <= 0 {
		cfg.Chunk = 20
	}
	if cfg.Budget <= 0 {
		cfg.Budget = 40 * time.Second
	}
	s.sending = cfg
	if err := cfg.Jobs.Periodic("newsletter-sweep", time.Minute, s.Sweep); err != nil {
		return err
	}
	return jobs.AddFunc(cfg.Jobs, func(ctx context.Context, job *river.Job[SendArgs]) error {
		wait, err := s.Run(ctx, job.Args)
		if err != nil {
			return err
		}
		if wait >= 0 {
			return river.JobSnooze(wait)
		}
		return nil
	})
}

// Schedule sends a draft at at, or now when at is nil.
func (s *Store) Schedule(ctx context.Context, tenantID, id string, at *time.Time, baseURL string) error {
	c, err := s.Campaign(ctx, tenantID, id)
	if err != nil {
		return err
	}
	if err := checkSendable(c); err != nil {
		return err
	}
	now := s.Stamp()
	when := now
	if at != nil && at.After(now) {
		when = at.UTC()
	}
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET status = ?, scheduled_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = ?`, CampaignScheduled, when, now, tenantID, id, CampaignDraft)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrWrongState
		}
		_, err = s.sending.Jobs.InsertTx(ctx, tx, SendArgs{TenantID: tenantID, CampaignID: id, BaseURL: baseURL},
			&river.InsertOpts{ScheduledAt: when})
		return err
	})
}

// Unschedule puts a scheduled campaign back to draft; its job finds it
// so and stops.
func (s *Store) Unschedule(ctx context.Context, tenantID, id string) error {
	return s.move(ctx, tenantID, id, CampaignDraft, CampaignScheduled)
}

// Pause stops a campaign being sent after the messages under way.
func (s *Store) Pause(ctx context.Context, tenantID, id string) error {
	return s.move(ctx, tenantID, id, CampaignPaused, CampaignSending)
}

// Resume sends the rest of a paused campaign.
func (s *Store) Resume(ctx context.Context, tenantID, id, baseURL string) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		ok, err := s.setStatus(ctx, tx, tenantID, id, CampaignSending, CampaignPaused)
		if err != nil {
			return err
		}
		if !ok {
			return s.wrongState(ctx, tx, tenantID, id)
		}
		_, err = s.sending.Jobs.InsertTx(ctx, tx, SendArgs{TenantID: tenantID, CampaignID: id, BaseURL: baseURL}, nil)
		return err
	})
}

// Cancel gives up a campaign not yet sent, or the rest of a paused one.
func (s *Store) Cancel(ctx context.Context, tenantID, id string) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		ok, err := s.setStatus(ctx, tx, tenantID, id, CampaignCancelled, CampaignDraft, CampaignScheduled, CampaignPaused)
		if err != nil {
			return err
		}
		if !ok {
			return s.wrongState(ctx, tx, tenantID, id)
		}
		res, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ? WHERE tenant_id = ? AND campaign_id = ? AND status = ?`,
			deliverySkipped, tenantID, id, deliveryPending)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		_, err = tx.Exec(ctx, `UPDATE newsletter_campaigns SET skipped = skipped + ?, finished_at = ? WHERE tenant_id = ? AND id = ?`,
			n, s.Stamp(), tenantID, id)
		return err
	})
}

func (s *Store) move(ctx context.Context, tenantID, id, to string, from ...string) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		ok, err := s.setStatus(ctx, tx, tenantID, id, to, from...)
		if err != nil || ok {
			return err
		}
		return s.wrongState(ctx, tx, tenantID, id)
	})
}

func (s *Store) wrongState(ctx context.Context, q db.Querier, tenantID, id string) error {
	if _, err := s.campaign(ctx, q, tenantID, id); err != nil {
		return err
	}
	return ErrWrongState
}

// Run sends what a campaign has left to send, for at most the sending's
// budget. It returns when to run again: 0 for at once (the budget ran
// out), later when only retries remain, and -1 once nothing is left (sent,
// paused, cancelled).
func (s *Store) Run(ctx context.Context, a SendArgs) (time.Duration, error) {
	c, err := s.Campaign(ctx, a.TenantID, a.CampaignID)
	if errors.Is(err, ErrNotFound) {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	now := s.Stamp()
	switch c.Status {
	case CampaignScheduled:
		if c.ScheduledAt != nil && c.ScheduledAt.After(now) {
			return c.ScheduledAt.Sub(now), nil // moved later since the job was queued
		}
		if c, err = s.start(ctx, c); err != nil || c == nil {
			return -1, err
		}
	case CampaignSending:
	default:
		return -1, nil
	}
	t, err := s.sending.Tenants(ctx, c.TenantID)
	if err != nil {
		return 0, err
	}
	if err := s.interruptStale(ctx, c); err != nil {
		return 0, err
	}
	emails, err := s.renderAll(ctx, c, t, a.BaseURL)
	if err != nil {
		return -1, err // a campaign that cannot render will not render on retry either
	}
	left, wait, err := s.quotaLeft(ctx, t)
	if err != nil || wait > 0 {
		return wait, err
	}
	budget, cancel := context.WithTimeout(ctx, s.sending.Budget)
	defer cancel()
	if err := s.sendChunks(budget, c, t, emails, a.BaseURL, left); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return 0, err
	}
	return s.settle(ctx, c)
}

// quotaLeft returns how many messages the collectivité may still send
// today under the operator's quota (-1: no quota), counting the outbox's
// and the campaigns'; none left, it returns the wait until its next day.
func (s *Store) quotaLeft(ctx context.Context, t *tenant.Tenant) (int, time.Duration, error) {
	if s.Outbox == nil || s.Outbox.Quota == nil {
		return -1, 0, nil
	}
	perDay, err := s.Outbox.Quota(ctx, t.ID)
	if err != nil || perDay <= 0 {
		return -1, 0, err
	}
	loc := t.Location()
	mailed, err := s.Outbox.SentToday(ctx, t.ID, loc)
	if err != nil {
		return 0, 0, err
	}
	start := tenant.DayStart(s.Now(), loc)
	var campaigns int
	if err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM newsletter_deliveries WHERE tenant_id = ? AND sent_at >= ?`,
		t.ID, start.UTC()).Scan(&campaigns); err != nil {
		return 0, 0, err
	}
	if left := perDay - mailed - campaigns; left > 0 {
		return left, 0, nil
	}
	return 0, max(start.AddDate(0, 0, 1).Sub(s.Now()), time.Second), nil
}

// Sweep queues again the sending of every campaign due or under way
// (the job is unique per campaign: one already queued stays alone). It
// rescues a campaign whose job was lost, or resumed while its last run
// was ending.
func (s *Store) Sweep(ctx context.Context) error {
	rows, err := s.DB().Query(ctx, `SELECT tenant_id, id FROM newsletter_campaigns
		WHERE status = ? OR (status = ? AND scheduled_at <= ?)`, CampaignSending, CampaignScheduled, s.Stamp())
	if err != nil {
		return err
	}
	type due struct{ tenantID, id string }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.tenantID, &d.id); err != nil {
			rows.Close()
			return err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range list {
		base := ""
		if s.sending.Links != nil {
			if base, err = s.sending.Links(ctx, d.tenantID); err != nil {
				return err
			}
		}
		if _, err := s.sending.Jobs.Insert(ctx, SendArgs{TenantID: d.tenantID, CampaignID: d.id, BaseURL: base}, nil); err != nil {
			return err
		}
	}
	return nil
}

// start writes a campaign's deliveries, one per subscriber it goes to at
// this moment, and marks it being sent; nil when another run started it.
func (s *Store) start(ctx context.Context, c *Campaign) (*Campaign, error) {
	var started *Campaign
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		now := s.Stamp()
		res, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET status = ?, started_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = ?`, CampaignSending, now, now, c.TenantID, c.ID, CampaignScheduled)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		audience := `SELECT ?, s.id, s.tenant_id, ? FROM newsletter_subscribers s WHERE s.tenant_id = ? AND s.status = ?`
		args := []any{c.ID, deliveryPending, c.TenantID, SubscriberActive}
		if len(c.Lists) > 0 {
			audience += ` AND EXISTS (SELECT 1 FROM newsletter_memberships m WHERE m.subscriber_id = s.id AND m.list_id IN (` +
				strings.TrimSuffix(strings.Repeat("?, ", len(c.Lists)), ", ") + `))`
			for _, l := range c.Lists {
				args = append(args, l)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO newsletter_deliveries (campaign_id, subscriber_id, tenant_id, status) `+audience, args...); err != nil {
			return fmt.Errorf("newsletter: deliveries of %s: %w", c.ID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET total = (SELECT COUNT(*) FROM newsletter_deliveries
			WHERE campaign_id = ?) WHERE tenant_id = ? AND id = ?`, c.ID, c.TenantID, c.ID); err != nil {
			return err
		}
		started, err = s.campaign(ctx, tx, c.TenantID, c.ID)
		return err
	})
	if err == nil && started != nil && s.DB().Dialect() == db.Postgres {
		// Thousands of rows just written: without fresh statistics the
		// planner may read the whole table for each chunk's update.
		_, err = s.DB().Exec(ctx, `ANALYZE newsletter_deliveries, newsletter_subscribers`)
	}
	return started, err
}

// interruptStale marks the messages a dead run had claimed: it may have
// sent them, so they are never sent again.
func (s *Store) interruptStale(ctx context.Context, c *Campaign) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, last_error = ?
			WHERE campaign_id = ? AND status = ? AND next_at < ?`, deliveryInterrupted,
			"envoi interrompu par un redémarrage : le message a pu partir, il n'est pas renvoyé",
			c.ID, deliverySending, s.Stamp().Add(-staleClaim))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE newsletter_campaigns SET skipped = skipped + ? WHERE tenant_id = ? AND id = ?`, n, c.TenantID, c.ID)
		return err
	})
}

// emailSet is a campaign rendered for each language, measured or not.
type emailSet map[string]map[bool]*Email

func (s *Store) renderAll(ctx context.Context, c *Campaign, t *tenant.Tenant, baseURL string) (emailSet, error) {
	links := &LinkSet{}
	set := emailSet{}
	for _, lang := range []string{"fr", "en"} {
		set[lang] = map[bool]*Email{}
		for _, measured := range []bool{false, true} {
			o := RenderOptions{BaseURL: baseURL}
			if measured {
				if !c.Measure {
					continue
				}
				o.Links = links
			}
			e, err := Render(c, t, lang, o)
			if err != nil {
				return nil, err
			}
			set[lang][measured] = e
		}
	}
	if c.Measure {
		if err := s.saveLinks(ctx, c, links.URLs); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func (s *Store) saveLinks(ctx context.Context, c *Campaign, urls []string) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		for i, u := range urls {
			if _, err := tx.Exec(ctx, `INSERT INTO newsletter_links (campaign_id, n, url) VALUES (?, ?, ?)
				ON CONFLICT (campaign_id, n) DO NOTHING`, c.ID, i+1, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// delivery is one message to send.
type delivery struct {
	subscriberID, email, lang, unsubscribe string
	measure                                bool
	err                                    error
	tried                                  bool
}

// sendChunks claims chunks of deliveries and hands them to Conns
// senders, until none is due, the campaign is paused or cancelled, or
// ctx ends.
func (s *Store) sendChunks(ctx context.Context, c *Campaign, t *tenant.Tenant, emails emailSet, baseURL string, limit int) error {
	var limiter *rate.Limiter
	if c.Rate > 0 {
		limiter = rate.NewLimiter(rate.Limit(c.Rate), 1)
	}
	chunks := make(chan []*delivery)
	errs := make(chan error, s.sending.Conns)
	figures := &tally{}
	var wg sync.WaitGroup
	for range s.sending.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.sender(ctx, c, t, emails, baseURL, limiter, chunks, figures); err != nil {
				errs <- err
			}
		}()
	}
	var err error
	after := ""
claiming:
	for i := 0; ; i++ {
		if i%20 == 19 { // a pause is heard within 20 chunks
			cur, cerr := s.Campaign(ctx, c.TenantID, c.ID)
			if cerr != nil || cur.Status != CampaignSending {
				err = cerr
				break
			}
		}
		n := s.sending.Chunk
		if limit >= 0 {
			if n = min(n, limit); n == 0 {
				break // the day's quota is used up: settle says when to go on
			}
		}
		chunk, cerr := s.claim(ctx, c, n, after)
		if cerr != nil || len(chunk) == 0 {
			err = cerr
			break
		}
		after = chunk[len(chunk)-1].subscriberID
		if limit >= 0 {
			limit -= len(chunk)
		}
		select {
		case chunks <- chunk:
		case <-ctx.Done():
			_, _, err = s.record(context.WithoutCancel(ctx), c, chunk)
			break claiming
		case err = <-errs:
			_, _, _ = s.record(context.WithoutCancel(ctx), c, chunk)
			break claiming
		}
	}
	close(chunks)
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	return errors.Join(err, s.flush(context.WithoutCancel(ctx), c, figures))
}

// claim marks the next due deliveries as being sent; those whose
// subscriber left or was suspended meanwhile are skipped.
//
// after is the last subscriber the run claimed: claims go on from it, so
// that PostgreSQL does not walk again the index entries of the rows the
// run already moved (dead until vacuumed); a pass that finds nothing
// after it starts again from the first, for the retries come due.
func (s *Store) claim(ctx context.Context, c *Campaign, n int, after string) ([]*delivery, error) {
	var out []*delivery
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		out = nil // a transaction tried again starts over
		now := s.Stamp()
		// Two plain statements: the next due ids in the deliveries' own
		// order (an index walk), then their subscribers by primary key; a
		// join here makes PostgreSQL read the whole campaign at each chunk.
		ids, err := dueIDs(ctx, tx, c.ID, now, n, after)
		if err != nil || len(ids) == 0 {
			return err
		}
		found := map[string]*delivery{}
		// By primary key alone: with the collectivité in the condition,
		// SQLite walks its index of (tenant_id, status, id) instead.
		rows, err := tx.Query(ctx, `SELECT id, tenant_id, email, lang, unsubscribe_token, status, measure FROM newsletter_subscribers
			WHERE id IN (`+marks(len(ids))+`)`, ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d delivery
			var tenantID, status string
			if err := rows.Scan(&d.subscriberID, &tenantID, &d.email, &d.lang, &d.unsubscribe, &status, &d.measure); err != nil {
				rows.Close()
				return err
			}
			if status == SubscriberActive && tenantID == c.TenantID {
				found[d.subscriberID] = &d
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var skipped []any
		for _, id := range ids {
			if d, ok := found[id.(string)]; ok {
				out = append(out, d)
			} else {
				skipped = append(skipped, id)
			}
		}
		if len(skipped) > 0 {
			if err := markAll(ctx, tx, c.ID, deliverySkipped, skipped, `, last_error = 'désabonné ou suspendu avant l''envoi'`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET skipped = skipped + ? WHERE tenant_id = ? AND id = ?`,
				len(skipped), c.TenantID, c.ID); err != nil {
				return err
			}
		}
		if len(out) == 0 {
			return nil
		}
		claimed := make([]any, len(out))
		for i, d := range out {
			claimed[i] = d.subscriberID
		}
		_, err = tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, attempts = attempts + 1, next_at = ?
			WHERE campaign_id = ? AND subscriber_id IN (`+marks(len(claimed))+`)`, append([]any{deliverySending, now, c.ID}, claimed...)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("newsletter: claim: %w", err)
	}
	if len(out) == 0 {
		// Skipped ones only, or nothing after: look again until a chunk
		// has someone or none is due.
		var due int
		if err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM newsletter_deliveries WHERE campaign_id = ? AND status = ?
			AND (next_at IS NULL OR next_at <= ?)`, c.ID, deliveryPending, s.Stamp()).Scan(&due); err != nil {
			return nil, err
		}
		if due > 0 {
			return s.claim(ctx, c, n, "")
		}
	}
	return out, nil
}

// dueIDs returns the next n deliveries of a campaign due at now.
func dueIDs(ctx context.Context, tx *db.Tx, campaignID string, now time.Time, n int, after string) ([]any, error) {
	rows, err := tx.Query(ctx, `SELECT subscriber_id FROM newsletter_deliveries WHERE campaign_id = ? AND status = ?
		AND subscriber_id > ? AND (next_at IS NULL OR next_at <= ?) ORDER BY subscriber_id LIMIT ?`, campaignID, deliveryPending, after, now, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func markAll(ctx context.Context, tx *db.Tx, campaignID, status string, ids []any, extra string) error {
	_, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?`+extra+` WHERE campaign_id = ? AND subscriber_id IN (`+
		marks(len(ids))+`)`, append([]any{status, campaignID}, ids...)...)
	return err
}

// sender delivers the chunks it receives over one SMTP connection (or
// into the outbox when no server is configured), then records each
// chunk's outcome.
func (s *Store) sender(ctx context.Context, c *Campaign, t *tenant.Tenant, emails emailSet, baseURL string, limiter *rate.Limiter,
	chunks <-chan []*delivery, figures *tally) error {
	bulk := s.Outbox.Bulk()
	var conn *mail.Conn
	defer func() {
		if conn != nil {
			_ = conn.Close()
		}
	}()
	listID := listID(baseURL)
	for chunk := range chunks {
		for _, d := range chunk {
			if ctx.Err() != nil {
				break
			}
			if limiter != nil && limiter.Wait(ctx) != nil {
				break
			}
			e := emails[mail.NormalizeLang(d.lang)][d.measure && c.Measure]
			r := e.Personalise(d.unsubscribe, s.measureToken(c.ID, d.subscriberID), baseURL, listID)
			d.tried = true
			if bulk.Holding() {
				d.err = s.Outbox.EnqueueRendered(ctx, c.TenantID, d.email, r)
				continue
			}
			if conn == nil {
				if conn, d.err = bulk.Open(ctx); d.err != nil {
					conn = nil
					continue
				}
			}
			d.err = conn.Send(bulk.Envelope(t, d.email), r)
			var perm *mail.PermanentError
			if d.err != nil && !errors.As(d.err, &perm) {
				_ = conn.Close() // the conversation may be out of step: start a new one
				conn = nil
			}
		}
		sent, failed, err := s.record(context.WithoutCancel(ctx), c, chunk)
		if err != nil {
			return err
		}
		if figures.add(sent, failed) {
			if err := s.flush(context.WithoutCancel(ctx), c, figures); err != nil {
				return err
			}
		}
	}
	return nil
}

// listID is the List-Id of a collectivité's newsletter (RFC 2919).
func listID(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	return "<lettre." + u.Hostname() + ">"
}

// record saves the outcome of a chunk: sent, failed for good (the
// address is suspended), to try again later, or untried (back to
// pending). It returns how many were sent and failed, for the campaign's
// figures (tally).
func (s *Store) record(ctx context.Context, c *Campaign, chunk []*delivery) (sentN, failedN int, err error) {
	now := s.Stamp()
	var sent, untried []any
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		sentN, failedN, sent, untried = 0, 0, nil, nil
		if tx.Dialect() == db.Postgres {
			// Losing this outcome in a crash of the database leaves its
			// messages claimed, hence interrupted and never sent again:
			// the commit need not wait for the disk (the claim does).
			if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit TO OFF`); err != nil {
				return err
			}
		}
		for _, d := range chunk {
			var perm *mail.PermanentError
			switch {
			case !d.tried:
				untried = append(untried, d.subscriberID)
			case d.err == nil:
				sent = append(sent, d.subscriberID)
			case errors.As(d.err, &perm):
				failedN++
				if _, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, last_error = ? WHERE campaign_id = ? AND subscriber_id = ?`,
					deliveryFailed, clip(d.err.Error()), c.ID, d.subscriberID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE newsletter_subscribers SET status = ?, suspended_reason = ?, updated_at = ?
					WHERE tenant_id = ? AND id = ?`, SubscriberSuspended, "adresse refusée par le serveur du destinataire", now,
					c.TenantID, d.subscriberID); err != nil {
					return err
				}
			default:
				var attempts int
				if err := tx.QueryRow(ctx, `SELECT attempts FROM newsletter_deliveries WHERE campaign_id = ? AND subscriber_id = ?`,
					c.ID, d.subscriberID).Scan(&attempts); err != nil {
					return err
				}
				if attempts > len(retryAfter) {
					failedN++
					if _, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, last_error = ? WHERE campaign_id = ? AND subscriber_id = ?`,
						deliveryFailed, clip(d.err.Error()), c.ID, d.subscriberID); err != nil {
						return err
					}
					continue
				}
				if _, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, next_at = ?, last_error = ? WHERE campaign_id = ? AND subscriber_id = ?`,
					deliveryPending, now.Add(retryAfter[attempts-1]), clip(d.err.Error()), c.ID, d.subscriberID); err != nil {
					return err
				}
			}
		}
		if len(sent) > 0 {
			// A claim a new run called interrupted stays so: counted once.
			res, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, sent_at = ?, last_error = '' WHERE campaign_id = ?
				AND status = ? AND subscriber_id IN (`+marks(len(sent))+`)`, append([]any{deliverySent, now, c.ID, deliverySending}, sent...)...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			sentN = int(n)
		}
		if len(untried) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE newsletter_deliveries SET status = ?, attempts = attempts - 1, next_at = NULL WHERE campaign_id = ? AND subscriber_id IN (`+
				marks(len(untried))+`)`, append([]any{deliveryPending, c.ID}, untried...)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("newsletter: record deliveries: %w", err)
	}
	return sentN, failedN, nil
}

// tally gathers the figures of a run's chunks and writes them to the
// campaign every few chunks, not at each: on PostgreSQL every sender
// would otherwise wait for the campaign's row. Settle counts again from
// the deliveries, so a run that dies leaves no figure wrong for long.
type tally struct {
	mu           sync.Mutex
	sent, failed int
	chunks       int
}

// tallyEvery is how many chunks go by between two writes of the figures
// (and two events of the progress bar).
const tallyEvery = 20

func (t *tally) add(sent, failed int) (due bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent, t.failed = t.sent+sent, t.failed+failed
	t.chunks++
	return t.chunks%tallyEvery == 0
}

// flush writes the figures gathered since the last flush and tells the
// progress bar.
func (s *Store) flush(ctx context.Context, c *Campaign, t *tally) error {
	t.mu.Lock()
	sent, failed := t.sent, t.failed
	t.sent, t.failed = 0, 0
	t.mu.Unlock()
	if sent > 0 || failed > 0 {
		if _, err := s.DB().Exec(ctx, `UPDATE newsletter_campaigns SET sent = sent + ?, failed = failed + ? WHERE tenant_id = ? AND id = ?`,
			sent, failed, c.TenantID, c.ID); err != nil {
			return err
		}
	}
	if s.sending.Progress != nil {
		if cur, err := s.Campaign(ctx, c.TenantID, c.ID); err == nil {
			s.sending.Progress(ctx, cur)
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// settle says what is left after a run: the campaign is sent once
// nothing is pending or being sent; retries wait for their time.
func (s *Store) settle(ctx context.Context, c *Campaign) (time.Duration, error) {
	if err := s.recount(ctx, c); err != nil {
		return 0, err
	}
	cur, err := s.Campaign(ctx, c.TenantID, c.ID)
	if err != nil {
		return 0, err
	}
	if cur.Status != CampaignSending {
		return -1, nil
	}
	now := s.Stamp()
	var left, due, claimed int
	err = s.DB().QueryRow(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN status = ? AND (next_at IS NULL OR next_at <= ?) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0)
		FROM newsletter_deliveries WHERE campaign_id = ? AND status IN (?, ?)`,
		deliveryPending, now, deliverySending, c.ID, deliveryPending, deliverySending).Scan(&left, &due, &claimed)
	if err != nil {
		return 0, err
	}
	switch {
	case left == 0:
		_, err := s.DB().Exec(ctx, `UPDATE newsletter_campaigns SET status = ?, finished_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = ?`, CampaignSent, now, now, c.TenantID, c.ID, CampaignSending)
		if err == nil && s.sending.Progress != nil {
			if done, err := s.Campaign(ctx, c.TenantID, c.ID); err == nil {
				s.sending.Progress(ctx, done)
			}
		}
		return -1, err
	case due > 0:
		return 0, nil
	case claimed > 0:
		return staleClaim, nil // a dead run's claims, interrupted at the next run
	}
	var at time.Time
	if err := s.DB().QueryRow(ctx, `SELECT next_at FROM newsletter_deliveries WHERE campaign_id = ? AND status = ?
		ORDER BY next_at LIMIT 1`, c.ID, deliveryPending).Scan(&at); err != nil {
		return 0, err
	}
	return max(at.Sub(now), time.Second), nil
}

// recount sets a campaign's figures from its deliveries.
func (s *Store) recount(ctx context.Context, c *Campaign) error {
	_, err := s.DB().Exec(ctx, `UPDATE newsletter_campaigns SET
		sent = (SELECT COUNT(*) FROM newsletter_deliveries WHERE campaign_id = ? AND status = ?),
		failed = (SELECT COUNT(*) FROM newsletter_deliveries WHERE campaign_id = ? AND status = ?),
		skipped = (SELECT COUNT(*) FROM newsletter_deliveries WHERE campaign_id = ? AND status IN (?, ?))
		WHERE tenant_id = ? AND id = ?`, c.ID, deliverySent, c.ID, deliveryFailed, c.ID, deliverySkipped, deliveryInterrupted, c.TenantID, c.ID)
	return err
}

// MaxTestRecipients bounds a test send.
const MaxTestRecipients = 5

// TestSend mails a campaign, as its subscribers would receive it in
// lang, to a few addresses of the mairie through the outbox: it shows in
// the operator console's outbox, held when no SMTP server is configured.
// Its unsubscribe link leads nowhere; nothing is measured.
func (s *Store) TestSend(ctx context.Context, t *tenant.Tenant, id string, to []string, lang, baseURL string) error {
	c, err := s.Campaign(ctx, t.ID, id)
	if err != nil {
		return err
	}
	if err := checkSendable(c); err != nil {
		return err
	}
	var addrs []string
	for _, a := range to {
		if strings.TrimSpace(a) == "" {
			continue
		}
		e, ok := ParseEmail(a)
		if !ok {
			return guichet.Invalid(map[string]string{"to": "Indiquez des adresses électroniques valides, séparées par des virgules."})
		}
		addrs = append(addrs, e)
	}
	if len(addrs) == 0 || len(addrs) > MaxTestRecipients {
		return guichet.Invalid(map[string]string{"to": fmt.Sprintf("Indiquez de 1 à %d adresses.", MaxTestRecipients)})
	}
	e, err := Render(c, t, lang, RenderOptions{BaseURL: baseURL})
	if err != nil {
		return err
	}
	for _, a := range addrs {
		r := e.Personalise("essai", "", baseURL, listID(baseURL))
		r.Subject = "[Essai] " + r.Subject
		if e.Lang == "en" {
			r.Subject = "[Test] " + e.Subject
		}
		if err := s.Outbox.EnqueueRendered(ctx, t.ID, a, r); err != nil {
			return err
		}
	}
	return nil
}
