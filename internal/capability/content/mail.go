package content

import (
	"context"
	"embed"
	"io/fs"

	gmail "guichet/internal/kernel/mail"
)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the emails content sends (mail/*.txt), to add to the
// outbox's registry as module "content".
func MailFiles() fs.FS { return mailFiles }

// send puts a mail in the outbox; a store without a mailer (tests) sends
// none.
func (s *Store) send(ctx context.Context, tenantID, to, template, lang string, data map[string]any) error {
	if s.mail == nil {
		return nil
	}
	return s.mail.Enqueue(ctx, gmail.Message{TenantID: tenantID, To: to, Template: template, Lang: lang, Data: data})
}

// mailLang is the language of a person's emails: English if they used
// the site in English, French otherwise.
func mailLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "fr"
}
