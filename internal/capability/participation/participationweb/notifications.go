package participationweb

import (
	"context"
	"net/http"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// The notification centre's addresses.
const (
	NotificationsPath     = participation.CentrePath
	NotificationsReadPath = participation.CentrePath + "/lues"
	NotifySettingsPath    = participation.NotifySettingsPath
)

// centreSize bounds the notifications the centre lists.
const centreSize = 100

// notificationRoutes: the notification centre and its settings, reached
// from the account's menu.
func (m *Module) notificationRoutes(s *web.Server) {
	s.Render.AddPersonal(web.NavItem{Key: "participation.notifications.nav", Path: NotificationsPath, Order: 35})
	s.Site("GET "+NotificationsPath, m.notifications, s.SignedIn)
	s.Site("POST "+NotificationsReadPath, m.markRead, s.SignedIn)
	s.Site("GET "+NotifySettingsPath, m.notifySettings, s.SignedIn)
	s.Site("POST "+NotifySettingsPath, m.saveNotifySettings, s.SignedIn)
}

// installNotifications registers the digests' periodic run.
func (c *Capability) installNotifications(k *kernel.Kernel, s *participation.Store) error {
	return k.Jobs.Periodic("participation-digests", participation.DigestEvery, func(ctx context.Context) error {
		_, err := s.SendDigests(ctx, k.Links)
		return err
	})
}

// notificationView is a notification as the centre shows it.
type notificationView struct {
	*participation.Notification
	// KindLabel names its kind; Date and ISO are when it came.
	KindLabel, Date, ISO string
}

var notificationNotices = map[string]string{
	"lues":       "participation.notifications.notice.all_read",
	"lue":        "participation.notifications.notice.read",
	"enregistre": "participation.notifications.notice.saved",
}

// notifications is the person's centre: the unread first, each with its
// kind, title, space, date and link.
func (m *Module) notifications(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	list, err := m.store.Notifications(ctx, t.ID, id.UserID, centreSize)
	if err != nil {
		return err
	}
	unread, err := m.store.Unread(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	loc := t.Location()
	views := make([]notificationView, len(list))
	for i, n := range list {
		at := n.CreatedAt.In(loc)
		views[i] = notificationView{Notification: n, KindLabel: p.T("participation.notifications.kind." + n.Kind),
			Date: guichet.Date(at, p.Lang) + " " + at.Format("15:04"), ISO: at.Format(time.RFC3339)}
	}
	p.Title = p.T("participation.notifications.title")
	p.Data = map[string]any{"Notifications": views, "Unread": unread}
	if key, ok := notificationNotices[r.URL.Query().Get("ok")]; ok {
		p.Notice = p.T(key)
	}
	m.s.Render.Page(w, r, http.StatusOK, "participation/notifications", p)
	return nil
}

// markRead marks one notification read (the form's id), or all of them.
func (m *Module) markRead(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	ctx := r.Context()
	one := r.Form.Get("id") // the form's, or the query's
	if err := m.store.MarkRead(ctx, tenant.FromContext(ctx).ID, account.FromContext(ctx).UserID, one); err != nil {
		return err
	}
	if one != "" {
		return publishingweb.SeeOther(w, r, NotificationsPath+"?ok=lue")
	}
	return publishingweb.SeeOther(w, r, NotificationsPath+"?ok=lues")
}

// modeOption is a choice of a radio group.
type modeOption struct {
	Value, Label string
}

// kindSetting is a kind's radio group.
type kindSetting struct {
	Name, Legend, Hint, Value string
}

// communitySetting is a community's radio group for replies.
type communitySetting struct {
	Name, Legend, Value string
}

// notifySettings shows the person's choices.
func (m *Module) notifySettings(w http.ResponseWriter, r *http.Request) error {
	return m.renderNotifySettings(w, r, http.StatusOK, nil)
}

// memberCommunities are the communities the person belongs to, by name.
func (m *Module) memberCommunities(ctx context.Context, tenantID, userID string) ([]kernel.Community, error) {
	ids, err := m.k.MemberOf(ctx, tenantID, userID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	all, err := m.k.Communities(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var out []kernel.Community
	for _, c := range all {
		if slices.Contains(ids, c.ID) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (m *Module) renderNotifySettings(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	ns, err := m.store.NotificationSettings(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	cs, err := m.memberCommunities(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	modes := make([]modeOption, len(participation.NotifyModes))
	for i, mode := range participation.NotifyModes {
		modes[i] = modeOption{Value: mode, Label: p.T("participation.notifications.mode." + mode)}
	}
	kinds := make([]kindSetting, len(participation.NotificationKinds))
	for i, kind := range participation.NotificationKinds {
		k := kindSetting{Name: "mode_" + kind, Legend: p.T("participation.notifications.setting." + kind),
			Value: ns.Mode(kind, "")}
		if status != http.StatusOK {
			k.Value = r.PostForm.Get(k.Name)
		}
		kinds[i] = k
	}
	scoped := append([]modeOption{{Value: "", Label: p.T("participation.notifications.mode.general")}}, modes...)
	communities := make([]communitySetting, len(cs))
	for i, c := range cs {
		cm := communitySetting{Name: "scope_" + c.ID, Legend: c.Name,
			Value: ns.Chosen(participation.KindReply, c.ID)}
		if status != http.StatusOK {
			cm.Value = r.PostForm.Get(cm.Name)
		}
		communities[i] = cm
	}
	p.Title = p.T("participation.notifications.settings.title")
	p.Data = map[string]any{"Kinds": kinds, "Modes": modes, "Communities": communities, "Scoped": scoped}
	p.Errors, p.Form = errs, r.PostForm
	if key, ok := notificationNotices[r.URL.Query().Get("ok")]; ok && status == http.StatusOK {
		p.Notice = p.T(key)
	}
	m.s.Render.Page(w, r, status, "participation/notification_settings", p)
	return nil
}

// saveNotifySettings saves a mode per kind, and the replies' per
// community the person belongs to.
func (m *Module) saveNotifySettings(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, ReactionLimit, ""); err != nil {
		return err
	}
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	var list []participation.NotifySetting
	for _, kind := range participation.NotificationKinds {
		list = append(list, participation.NotifySetting{Kind: kind, Mode: r.PostForm.Get("mode_" + kind)})
	}
	cs, err := m.memberCommunities(ctx, t.ID, id.UserID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		list = append(list, participation.NotifySetting{Kind: participation.KindReply, Scope: c.ID,
			Mode: r.PostForm.Get("scope_" + c.ID)})
	}
	err = m.store.SaveNotificationSettings(ctx, t.ID, id.UserID, list)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderNotifySettings(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, NotifySettingsPath+"?ok=enregistre")
}
