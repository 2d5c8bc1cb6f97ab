package account

import (
	"context"
	"embed"
	"io/fs"
	"net/url"

	gmail "guichet/internal/kernel/mail"
)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the accounts' email templates (mail/*.txt and *.html),
// to add to the outbox's registry as module "accounts".
func MailFiles() fs.FS { return mailFiles }

// Addresses the accounts' emails link to, on the collectivité's site.
const (
	SignInPath = "/connexion"
	forgotPath = "/mot-de-passe-oublie"
	resetPath  = "/mot-de-passe/nouveau"
	verifyPath = "/compte/verification"
)

// Mails sends the emails of an account's life (proving its address,
// resetting its password, telling that it exists), for every front end.
type Mails struct {
	store *Store
	mail  gmail.Enqueuer
}

// NewMails returns the accounts' emails of s, queued on mailer.
func NewMails(s *Store, mailer gmail.Enqueuer) *Mails { return &Mails{store: s, mail: mailer} }

// SendVerification emails u a link, on site, proving they own their address.
func (m *Mails) SendVerification(ctx context.Context, u *User, site string) error {
	token, err := m.store.NewToken(ctx, u.TenantID, u.ID, PurposeVerify, VerifyTokenTTL)
	if err != nil {
		return err
	}
	return m.send(ctx, u, "verify", map[string]any{"Link": link(site, verifyPath, token),
		"Hours": int(VerifyTokenTTL.Hours())})
}

// SendReset emails u a link, on site, that sets a new password.
func (m *Mails) SendReset(ctx context.Context, u *User, site string) error {
	token, err := m.store.NewToken(ctx, u.TenantID, u.ID, PurposeReset, ResetTokenTTL)
	if err != nil {
		return err
	}
	return m.send(ctx, u, "reset", map[string]any{"Link": link(site, resetPath, token),
		"Minutes": int(ResetTokenTTL.Minutes())})
}

// SendAlreadyRegistered tells u, whose address someone signed up with
// again, how to sign in or reset their password: the sign-up page says
// the same either way, never revealing who has an account.
func (m *Mails) SendAlreadyRegistered(ctx context.Context, u *User, site string) error {
	return m.send(ctx, u, "already_registered", map[string]any{
		"SignInLink": link(site, SignInPath, ""), "ResetLink": link(site, forgotPath, "")})
}

// send queues the email template "accounts/<name>" to u, in u's language.
// The name is only written to a verified address: until then it is text
// anyone could have typed, and the site would be relaying it.
func (m *Mails) send(ctx context.Context, u *User, name string, data map[string]any) error {
	data["Name"] = ""
	if u.Verified() {
		data["Name"] = u.Name
	}
	return m.mail.Enqueue(ctx, gmail.Message{TenantID: u.TenantID, To: u.Email,
		Template: "accounts/" + name, Lang: u.Lang, Data: data})
}

// link returns the absolute URL of path on site, with a token when given.
func link(site, path, token string) string {
	u := site + path
	if token != "" {
		u += "?jeton=" + url.QueryEscape(token)
	}
	return u
}
