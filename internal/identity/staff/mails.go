package staff

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the back office's email templates (mail/*.txt), to add
// to the outbox's registry as module "backoffice".
func MailFiles() fs.FS { return mailFiles }

// Mails sends the back office's emails, for every front end.
type Mails struct{ mail mail.Enqueuer }

// NewMails returns the back office's emails, queued on mailer.
func NewMails(mailer mail.Enqueuer) *Mails { return &Mails{mail: mailer} }

// SendInvitation emails inv's single-use link, on site, in lang; inviter
// is who invites, roles the granted roles as lang names them.
func (m *Mails) SendInvitation(ctx context.Context, t *tenant.Tenant, inviter string, inv *Invitation, token, site, lang string,
	roles []string) error {
	if m == nil || m.mail == nil {
		return errors.New("backoffice: no mailer to send invitations")
	}
	err := m.mail.Enqueue(ctx, mail.Message{TenantID: t.ID, To: inv.Email, Template: "backoffice/invitation",
		Lang: lang, Data: map[string]any{
			"Tenant": t.Name, "Name": inv.Name, "Inviter": inviter, "Roles": strings.Join(roles, ", "),
			"Title": inv.Grant.Title, "Link": site + "/invitation/" + token,
			"Expires": inv.ExpiresAt.Format("02/01/2006"),
		}})
	if err != nil {
		return fmt.Errorf("backoffice: send invitation: %w", err)
	}
	return nil
}
