package content

import (
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/web"
)

func langOf(r *http.Request) string { return web.LangOf(r) }

func asErr(err error, target **guichet.Error) bool { return errors.As(err, target) }
