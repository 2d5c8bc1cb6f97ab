package reportsweb

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

// pubTownMarker is the description of the town's report the isolation
// rows try: no page of the village may show it.
const pubTownMarker = "Trou témoin de la ville, invisible du village."

// pubTownRecords are the town's records the isolation rows try, made
// once per application.
type pubTownRecords struct {
	report                        *reports.Report
	photoID                       string
	guest                         *reports.Report
	confirm, manage, fixedID      string
	follow, unfollow, followEmail string
	alert, alertStop              string
}

var pubTowns sync.Map // *Capability → *pubTownOnce

type pubTownOnce struct {
	once sync.Once
	recs *pubTownRecords
	err  error
}

// pubTown returns the town's records, made at the first row.
func (c *Capability) pubTown(ctx context.Context, town *tenant.Tenant) (*pubTownRecords, error) {
	v, _ := pubTowns.LoadOrStore(c, &pubTownOnce{})
	o := v.(*pubTownOnce)
	o.once.Do(func() { o.recs, o.err = c.makeTown(ctx, town) })
	return o.recs, o.err
}

func (c *Capability) makeTown(ctx context.Context, town *tenant.Tenant) (*pubTownRecords, error) {
	fx := &pubFixture{s: c.Store, town: town}
	var err error
	if fx.cat, err = fx.category(ctx, "isolement-public"); err != nil {
		return nil, err
	}
	recs := &pubTownRecords{}
	d := fx.draft(1, pubTownMarker)
	d.AccountID, d.EmailVerified = "compte-isolement", true
	d.Photos = []reports.PhotoUpload{{ContentType: "image/jpeg", Width: 32, Height: 24, Body: bytes.NewReader(pubJPEG())}}
	if recs.report, _, err = c.Store.Submit(ctx, town.ID, d); err != nil {
		return nil, fmt.Errorf("isolation: the town's report: %w", err)
	}
	detail, err := c.Store.PublicReport(ctx, town.ID, recs.report.ID)
	if err != nil || len(detail.Photos) == 0 {
		return nil, fmt.Errorf("isolation: the town's photo: %v", err)
	}
	recs.photoID = detail.Photos[0].ID
	if recs.guest, recs.confirm, err = c.Store.Submit(ctx, town.ID, fx.draft(2, "Signalement de la ville en attente.")); err != nil {
		return nil, err
	}
	if recs.manage, err = fx.fixedWithLink(ctx, 3, "compte-isolement"); err != nil {
		return nil, err
	}
	fixed, err := c.Store.ReportByManageLink(ctx, town.ID, recs.manage)
	if err != nil {
		return nil, err
	}
	recs.fixedID = fixed.ID
	if recs.follow, _, err = fx.follow(ctx, recs.report.ID, "suivi-en-attente@courriel.localhost"); err != nil {
		return nil, err
	}
	recs.followEmail = "suivi-confirme@courriel.localhost"
	token, unfollow, err := fx.follow(ctx, recs.report.ID, recs.followEmail)
	if err != nil {
		return nil, err
	}
	if err := c.Store.ConfirmFollow(ctx, town.ID, token); err != nil {
		return nil, err
	}
	recs.unfollow = unfollow
	if recs.alert, _, err = fx.alert(ctx, "alerte-en-attente@courriel.localhost"); err != nil {
		return nil, err
	}
	if _, recs.alertStop, err = fx.alert(ctx, "alerte-a-garder@courriel.localhost"); err != nil {
		return nil, err
	}
	return recs, nil
}

// publicIsolation are the isolation rows of publicRoutes: the village's
// site neither lists nor shows the town's reports and photos, and its
// links (confirmations, the author's, follows and alerts) neither open
// nor change anything of the town's.
func (c *Capability) publicIsolation() []kernel.IsolationRow {
	anon, session := kernel.AsAnonymous, kernel.AsTownSession
	ok, missing := http.StatusOK, http.StatusNotFound
	row := func(name, as, method string, form url.Values, path func(*pubTownRecords) string, want int,
		unchanged func(context.Context, *tenant.Tenant, *pubTownRecords) error) kernel.IsolationRow {
		r := kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Want: want,
			Target: func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
				recs, err := c.pubTown(ctx, town)
				if err != nil {
					return "", nil, err
				}
				p, leak := path(recs), []string{pubTownMarker}
				if !strings.Contains(p, recs.report.ID) { // a page may echo its own address
					leak = append(leak, recs.report.ID)
				}
				return p, leak, nil
			}}
		if unchanged != nil {
			r.Unchanged = func(ctx context.Context, town *tenant.Tenant) error {
				recs, err := c.pubTown(ctx, town)
				if err != nil {
					return err
				}
				return unchanged(ctx, town, recs)
			}
		}
		return r
	}
	report := func(suffix string) func(*pubTownRecords) string {
		return func(rs *pubTownRecords) string { return rs.report.Path() + suffix }
	}
	photo := func(suffix string) func(*pubTownRecords) string {
		return func(rs *pubTownRecords) string { return reports.PhotoPath(rs.report.ID, rs.photoID) + suffix }
	}
	link := func(prefix string, token func(*pubTownRecords) string) func(*pubTownRecords) string {
		return func(rs *pubTownRecords) string { return prefix + token(rs) }
	}
	confirm := link(reports.ConfirmPrefix, func(rs *pubTownRecords) string { return rs.confirm })
	manage := link(reports.ManagePrefix, func(rs *pubTownRecords) string { return rs.manage })
	follow := link(reports.FollowConfirmPrefix, func(rs *pubTownRecords) string { return rs.follow })
	unfollow := link(reports.UnfollowPrefix, func(rs *pubTownRecords) string { return rs.unfollow })
	alert := link(reports.AlertConfirmPrefix, func(rs *pubTownRecords) string { return rs.alert })
	alertStop := link(reports.AlertUnsubscribePrefix, func(rs *pubTownRecords) string { return rs.alertStop })
	path := func(p string) func(*pubTownRecords) string { return func(*pubTownRecords) string { return p } }
	email := url.Values{"email": {"intrus@courriel.localhost"}}
	return []kernel.IsolationRow{
		row("the village's list and map show none of the town's reports", anon, "GET", nil, path(ListPath), ok, nil),
		row("the village's list filtered shows none of the town's reports", anon, "GET", nil,
			path(ListPath+"?etat=ouverts"), ok, nil),
		row("a town report's page on the village's site", anon, "GET", nil, report(""), missing, nil),
		row("a town report's photo on the village's site", anon, "GET", nil, photo(""), missing, nil),
		row("a town report's thumbnail on the village's site", anon, "GET", nil, photo(pubThumbSuffix), missing, nil),
		row("follow a town report from the village's site", anon, "POST", email, report("/"+pubFollowAction), missing, c.pubNoIntruder),
		row("the town resident's session follows a town report on the village's site", session, "POST", email,
			report("/"+pubFollowAction), missing, c.pubNoIntruder),
		// The town's session is no one's on the village's site: asked to sign in.
		row("the town resident's session reopens a town report on the village's site", session, "POST",
			url.Values{"reason": {"Piraté depuis le village."}},
			func(rs *pubTownRecords) string { return reports.ReportPath(rs.fixedID) + "/" + pubReopenAction }, http.StatusUnauthorized,
			c.pubStillFixed),
		row("open a town guest's confirmation link", anon, "GET", nil, confirm, missing, nil),
		row("use a town guest's confirmation link", anon, "POST", nil, confirm, missing, c.pubGuestWaiting),
		row("open a town author's link", anon, "GET", nil, manage, missing, nil),
		row("reopen by a town author's link", anon, "POST", url.Values{"reason": {"Piraté depuis le village."}}, manage, missing,
			c.pubStillFixed),
		row("open a town follow's confirmation link", anon, "GET", nil, follow, missing, nil),
		row("use a town follow's confirmation link", anon, "POST", nil, follow, missing, c.pubFollowWaiting),
		row("a town follower's unfollow link ends nothing of the town's", anon, "POST", nil, unfollow, ok, c.pubFollowerKept),
		row("open a town alert's confirmation link", anon, "GET", nil, alert, missing, nil),
		row("use a town alert's confirmation link", anon, "POST", nil, alert, missing, c.pubAlertWaiting),
		row("a town alert's unsubscribe link ends nothing of the town's", anon, "POST", nil, alertStop, ok, c.pubAlertKept),
		row("the town resident's session on the village's own reports", session, "GET", nil,
			path(MinePath), http.StatusSeeOther, nil),
	}
}

func (c *Capability) pubNoIntruder(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	var n int
	if err := c.Store.DB().QueryRow(ctx, `SELECT COUNT(*) FROM report_followers WHERE email = ?`, "intrus@courriel.localhost").Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the village's site recorded a follow of the town's report")
	}
	return nil
}

func (c *Capability) pubStillFixed(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	r, err := c.Store.Report(ctx, town.ID, rs.fixedID)
	if err != nil {
		return err
	}
	if r.Status != reports.Fixed {
		return fmt.Errorf("the town's fixed report is now %s", r.Status)
	}
	return nil
}

func (c *Capability) pubGuestWaiting(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	r, err := c.Store.Report(ctx, town.ID, rs.guest.ID)
	if err != nil {
		return err
	}
	if r.Confirmed() {
		return fmt.Errorf("the town guest's report was confirmed from the village")
	}
	return nil
}

func (c *Capability) pubFollowWaiting(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	f, err := c.Store.FollowByLink(ctx, town.ID, rs.follow)
	if err != nil {
		return err
	}
	if f.ConfirmedAt != nil {
		return fmt.Errorf("the town's follow was confirmed from the village")
	}
	return nil
}

func (c *Capability) pubFollowerKept(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	return c.pubCount(ctx, `SELECT COUNT(*) FROM report_followers WHERE tenant_id = ? AND email = ?`, town.ID, rs.followEmail)
}

func (c *Capability) pubAlertWaiting(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	a, err := c.Store.AreaAlertByLink(ctx, town.ID, rs.alert)
	if err != nil {
		return err
	}
	if a.ConfirmedAt != nil {
		return fmt.Errorf("the town's alert was confirmed from the village")
	}
	return nil
}

func (c *Capability) pubAlertKept(ctx context.Context, town *tenant.Tenant, rs *pubTownRecords) error {
	return c.pubCount(ctx, `SELECT COUNT(*) FROM report_area_alerts WHERE tenant_id = ? AND unsubscribe_token = ?`, town.ID, rs.alertStop)
}

// pubCount fails unless query counts one row.
func (c *Capability) pubCount(ctx context.Context, query string, args ...any) error {
	var n int
	if err := c.Store.DB().QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("the town's record is gone from the village's link (%d left)", n)
	}
	return nil
}
