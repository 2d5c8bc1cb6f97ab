package publishing

import (
	"embed"
	"io/fs"

	"guichet/internal/kernel/db"
)

//go:embed contenttables/*.sql
var contentTableFiles embed.FS

// ContentTables creates the tables of local information: news, events and
// their registrations, pages, alerts and their subscribers, questions, and
// the revisions they share. They were created together as the "content"
// migration set, which stays one set applied once: the capabilities that
// publish them split later, each reading its own tables, and applied
// migrations are never edited. The first capability that publishes them
// lists the set; the others add their own sets after it.
var ContentTables = db.Migrations{Domain: "content", Files: mustSub(contentTableFiles, "contenttables")}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // embedded at build time
	}
	return sub
}
