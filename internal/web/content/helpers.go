package content

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/web"
)

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// dateFR formats a date the French way: "26 novembre 2026".
func dateFR(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), frenchMonths[t.Month()-1], t.Year())
}

func langOf(r *http.Request) string { return web.LangOf(r) }

func asErr(err error, target **guichet.Error) bool { return errors.As(err, target) }
