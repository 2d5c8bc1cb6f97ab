package newsweb

import (
	"net/http"

	"guichet/internal/kernel/web"
)

func langOf(r *http.Request) string { return web.LangOf(r) }
