package content

import (
	"net/http"

	"guichet/internal/web"
)

func langOf(r *http.Request) string { return web.LangOf(r) }
