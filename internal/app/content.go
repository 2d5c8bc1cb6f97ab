package app

import (
	"guichet/internal/capability/content"
	"guichet/internal/capability/content/contentweb"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
)

// buildContent wires local information: its store (mailing alerts through
// the job queue), its mail templates, its back-office sections and its
// web module. Editors write and publish; moderators answer questions.
func (a *App) buildContent() (*contentweb.Module, error) {
	a.Content = content.NewStore(a.DB, a.Mail)
	a.Content.Join(a.Changes)
	a.Content.Now = a.Now
	if err := a.Content.UseQueue(a.Jobs); err != nil {
		return nil, err
	}
	a.Accounts.RegisterExporter("questions", a.Content.Export)
	a.Accounts.RegisterExporter("event_registrations", a.Content.ExportRegistrations)
	a.Accounts.RegisterExporter("alert_subscriptions", a.Content.ExportSubscriptions)
	a.Accounts.RegisterEraser(a.Content.Eraser())
	if err := a.addPrivacy(a.Content.Processing(), a.Content.RetentionRules()); err != nil {
		return nil, err
	}
	m := contentweb.New(a.Content, a.Mail)
	a.ContentWeb = m
	if err := a.Mail.Templates().Add("content", m.Assets()); err != nil {
		return nil, err
	}
	editor := []account.Role{account.RoleEditor}
	a.Backoffice.AddSection(
		staffweb.Section{Key: "content.section.news", DescKey: "content.section.news_desc", Path: "/gestion/actualites", Roles: editor, Order: 100},
		staffweb.Section{Key: "content.section.events", DescKey: "content.section.events_desc", Path: "/gestion/agenda", Roles: editor, Order: 110},
		staffweb.Section{Key: "content.section.pages", DescKey: "content.section.pages_desc", Path: "/gestion/pages", Roles: editor, Order: 120},
		staffweb.Section{Key: "content.section.alerts", DescKey: "content.section.alerts_desc", Path: "/gestion/alertes", Roles: editor, Order: 130},
		staffweb.Section{Key: "content.section.questions", DescKey: "content.section.questions_desc", Path: "/gestion/questions",
			Roles: []account.Role{account.RoleModerator}, Order: 140},
	)
	return m, nil
}
