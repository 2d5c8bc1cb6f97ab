package web

import "embed"

// Assets holds the layout, shared partials, messages and static files.
//
//go:embed all:templates messages static
var Assets embed.FS
