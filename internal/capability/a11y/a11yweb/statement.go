package a11yweb

import (
	"errors"
	"net/http"

	"guichet/internal/capability/a11y"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// statementView feeds the statement page, laid out after the official
// model of the RGAA accessibility statement.
type statementView struct {
	Audit   *a11y.Audit
	Level   a11y.Level
	SiteURL string
	Themes  []themeRow
	Failing []a11y.Criterion
	IsAdmin bool
}

// themeRow counts one theme's verdicts for the results table.
type themeRow struct {
	Number, C, NC, NA int
	Title             string
}

func (m *Module) statement(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	audit, err := m.audits.LatestShared(r.Context(), t.ID)
	if err != nil && !errors.Is(err, a11y.ErrNoAudit) {
		return err
	}
	v := statementView{Audit: audit, Level: audit.Level(), SiteURL: m.s.SiteURL(r, t),
		IsAdmin: account.FromContext(r.Context()).Has(account.RoleAdmin) && !t.IsPlatform()}
	if audit != nil {
		v.Failing = audit.Failing()
		for _, th := range a11y.Themes() {
			row := themeRow{Number: th.Number, Title: th.Title}
			for _, c := range th.Criteria {
				switch audit.Results[c.ID] {
				case a11y.Conforme:
					row.C++
				case a11y.NonConforme:
					row.NC++
				case a11y.NonApplicable:
					row.NA++
				}
			}
			v.Themes = append(v.Themes, row)
		}
	}
	p := m.s.Render.NewPage(r, "", v)
	p.Title = p.T("a11y.statement_title")
	m.s.Render.PageData(w, r, "a11yweb/statement", p)
	return nil
}

// Compile-time check that the handlers fit the server's type.
var _ web.HandlerFunc = (*Module)(nil).statement
