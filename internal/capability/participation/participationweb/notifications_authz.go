package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// notificationRows are the access rows of the notification routes: the
// signed-in person's own centre and settings, which read and change only
// their own notifications.
func (c *Capability) notificationRows() []access.Row {
	signedIn := access.SignedInOnly()
	settings := url.Values{}
	for _, kind := range participation.NotificationKinds {
		settings.Set("mode_"+kind, participation.ModeDaily)
	}
	return []access.Row{
		access.For("site GET "+NotificationsPath, signedIn, nil),
		access.For("site POST "+NotificationsReadPath, signedIn, access.Posting(nil, url.Values{})),
		access.For("site GET "+NotifySettingsPath, signedIn, nil),
		access.For("site POST "+NotifySettingsPath, signedIn, access.Posting(nil, settings)),
	}
}

// notificationFixtures gives the matrix's owner a notification, so that
// the centre the rows read is not empty.
func (c *Capability) notificationFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return err
	}
	n := &participation.Notification{TenantID: town.ID, UserID: u.ID, Kind: participation.KindModeration,
		Title: "Notification de la matrice", Path: HomePath}
	if err := c.k.DB.InTx(ctx, func(tx *db.Tx) error { return c.Store.Notify(ctx, tx, n) }); err != nil {
		return err
	}
	f.Set("participation-notification", n.ID)
	return nil
}

// notificationIsolation are the isolation rows of the notification
// routes: on the village's site, the town resident's cookies open no
// centre, and the village's own people see none of the town resident's
// notifications nor mark them read.
func (c *Capability) notificationIsolation() []kernel.IsolationRow {
	return []kernel.IsolationRow{
		{Name: "the town resident's notification centre on the village's site", As: kernel.AsTownSession, Method: "GET",
			Target: c.townNotifications(NotificationsPath), Want: http.StatusSeeOther},
		{Name: "the village's notification centre shows none of the town resident's", As: kernel.AsVillageAdmin, Method: "GET",
			Target: c.townNotifications(NotificationsPath), Want: http.StatusOK},
		{Name: "mark the town resident's notification read from the village", As: kernel.AsVillageAdmin, Method: "POST",
			Target: c.townNotifications(NotificationsReadPath), Want: http.StatusNotFound, Unchanged: c.townNotificationsUnread},
	}
}

// townNotifications targets path with the id of the town demo resident's
// newest unread notification in the query, her notifications' titles as
// markers.
func (c *Capability) townNotifications(path string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		list, err := c.residentNotifications(ctx, town)
		if err != nil {
			return "", nil, err
		}
		var leak []string
		target := ""
		for _, n := range list {
			leak = append(leak, n.Title)
			if target == "" && n.Unread() {
				target = n.ID
			}
		}
		if target == "" {
			return "", nil, fmt.Errorf("the town's demo resident has no unread notification")
		}
		return path + "?id=" + url.QueryEscape(target), leak, nil
	}
}

func (c *Capability) residentNotifications(ctx context.Context, town *tenant.Tenant) ([]*participation.Notification, error) {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, demo.Resident)
	if err != nil {
		return nil, err
	}
	return c.Store.Notifications(ctx, town.ID, u.ID, centreSize)
}

// townNotificationsUnread checks the town resident still has unread
// notifications after the village's attempt.
func (c *Capability) townNotificationsUnread(ctx context.Context, town *tenant.Tenant) error {
	list, err := c.residentNotifications(ctx, town)
	if err != nil {
		return err
	}
	for _, n := range list {
		if n.Unread() {
			return nil
		}
	}
	return fmt.Errorf("the village marked the town resident's notifications read")
}
