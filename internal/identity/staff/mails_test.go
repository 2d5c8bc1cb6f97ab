package staff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

func TestInvitationMailRenders(t *testing.T) {
	t.Parallel()
	tpl := mail.NewTemplates()
	if err := tpl.Add("backoffice", staff.MailFiles()); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		r, err := tpl.Render("backoffice/invitation", lang, map[string]any{"Tenant": "Ville de Montclair-sur-Vienne",
			"Name": "Service urbanisme", "Inviter": "Direction générale des services", "Roles": "Agent", "Title": "",
			"Link": "http://montclair.localhost/invitation/abc", "Expires": "09/03/2026"})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !strings.Contains(r.Subject, "Montclair") || !strings.Contains(r.Text, "http://montclair.localhost/invitation/abc") {
			t.Fatalf("%s: subject %q, text %q", lang, r.Subject, r.Text)
		}
	}
}

type queued []mail.Message

func (q *queued) Enqueue(_ context.Context, m mail.Message) error {
	*q = append(*q, m)
	return nil
}

// The invitation goes to the invited address, in the inviter's language,
// with its single-use link on the site it was sent from.
func TestSendInvitation(t *testing.T) {
	t.Parallel()
	town := &tenant.Tenant{ID: "t1", Name: "Ville de Montclair"}
	inv := &staff.Invitation{Email: "urbanisme@exemple.fr", Name: "Service urbanisme",
		Grant:     staff.Grant{Roles: []account.Role{account.RoleAgent, account.RoleEditor}, Title: "Adjointe"},
		ExpiresAt: time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)}
	var q queued
	if err := staff.NewMails(&q).SendInvitation(context.Background(), town, "DGS", inv, "abc", "https://montclair.test", "en",
		[]string{"Agent", "Editor"}); err != nil {
		t.Fatal(err)
	}
	if len(q) != 1 || q[0].To != inv.Email || q[0].TenantID != "t1" || q[0].Lang != "en" || q[0].Template != "backoffice/invitation" ||
		q[0].Data["Link"] != "https://montclair.test/invitation/abc" || q[0].Data["Roles"] != "Agent, Editor" ||
		q[0].Data["Expires"] != "09/03/2026" || q[0].Data["Inviter"] != "DGS" || q[0].Data["Tenant"] != town.Name {
		t.Fatalf("invitation %+v", q)
	}
	if err := staff.NewMails(nil).SendInvitation(context.Background(), town, "DGS", inv, "abc", "", "fr", nil); err == nil {
		t.Fatal("without a mailer, an invitation must fail, not vanish")
	}
}
