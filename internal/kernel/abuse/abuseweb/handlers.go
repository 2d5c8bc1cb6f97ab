package abuseweb

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/kernel/abuse"
)

// perPage is how many refusals a page lists.
const perPage = 50

// refusal is one refused attempt, formatted for the table.
type refusal struct {
	*abuse.Refusal
	When string
}

// limit is one action and its limits, in the reader's language.
type limit struct {
	Action string
	Rules  []string
}

func (m *Module) refusals(w http.ResponseWriter, r *http.Request) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, total, err := m.log.Recent(r.Context(), (page-1)*perPage, perPage)
	if err != nil {
		return err
	}
	pages := max((total+perPage-1)/perPage, 1)
	if page > pages && total > 0 {
		return guichet.Errorf(guichet.ENotFound, "Page introuvable.")
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("abuseweb.title")
	rows := make([]refusal, len(list))
	for i, rf := range list {
		rows[i] = refusal{Refusal: rf, When: rf.At.UTC().Format("2006-01-02 15:04") + " UTC"}
	}
	limits := make([]limit, len(abuse.Actions))
	for i, a := range abuse.Actions {
		limits[i] = limit{Action: p.T("abuseweb.action." + a.Name)}
		for _, rule := range a.Rules {
			text := p.T("abuseweb.rule", rule.Max, p.T("abuseweb.per."+string(rule.Kind)), window(rule.Window))
			if rule.UnlessKnown {
				text += " " + p.T("abuseweb.unless_known")
			}
			limits[i].Rules = append(limits[i].Rules, text)
		}
	}
	p.Data = map[string]any{"Refusals": rows, "Total": total, "Page": page, "Pages": pages, "Limits": limits}
	m.s.Render.Page(w, r, http.StatusOK, "abuseweb/refusals", p)
	return nil
}

// window writes a limit's window as "15 min" or "1 h", the same in
// French and in English.
func window(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	return fmt.Sprintf("%d min", d/time.Minute)
}
