package web

import (
	"context"
	"mime/multipart"
)

// exchange is what the layers serving one request share, whichever copy
// of the request they hold: the route pattern (for metrics and logs), the
// multipart forms parsed with temporary files, and whether the body
// passed its limit.
type exchange struct {
	pattern  string
	forms    []*multipart.Form
	tooLarge bool
}

type exchangeKey struct{}

func exchangeOf(ctx context.Context) *exchange {
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	return ex
}

func setPattern(ctx context.Context, p string) {
	if ex := exchangeOf(ctx); ex != nil {
		ex.pattern = p
	}
}

// removeFiles deletes the temporary files of the forms parsed during the
// request: net/http removes only those of the request it handed out.
func (ex *exchange) removeFiles() {
	for _, f := range ex.forms {
		_ = f.RemoveAll()
	}
	ex.forms = nil
}
