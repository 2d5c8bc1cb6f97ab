package content

import (
	"embed"
	"io/fs"
)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the emails content sends (mail/*.txt), to add to the
// outbox's registry as module "content".
func MailFiles() fs.FS { return mailFiles }
