package privacyweb

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// line is one activity of the register in the reader's language.
type line struct {
	Key        string  `json:"key"`
	Name       string  `json:"name"`
	Purpose    string  `json:"purpose"`
	Bases      []basis `json:"legal_bases"`
	Law        string  `json:"law,omitempty"`
	People     string  `json:"categories_of_people"`
	Data       string  `json:"categories_of_data"`
	Retention  string  `json:"retention"`
	Recipients string  `json:"recipients"`
}

// basis is a legal basis: its article and what it says.
type basis struct {
	Article string `json:"article"`
	Label   string `json:"label"`
}

// lines returns the register of the request's collectivité in its reader's
// language.
func (m *Module) lines(r *http.Request) ([]line, error) {
	t := tenant.FromContext(r.Context())
	// Which activities apply hangs on what the collectivité uses (agendas,
	// procedures, registrations, sign-in providers): shared for a few
	// seconds, dropped by any change of those.
	acts, err := invalidate.Memoized(m.inUse, t.ID, "activities", func() ([]privacy.Activity, error) {
		return m.register.For(r.Context(), t.ID)
	})
	if err != nil {
		return nil, err
	}
	lang := web.LangOf(r)
	tr := func(x privacy.Text) string {
		if x.Key == "" {
			return ""
		}
		return m.s.Render.T(lang, x.Key, x.Args...)
	}
	out := make([]line, 0, len(acts))
	for _, a := range acts {
		l := line{Key: a.Key, Name: tr(a.Name), Purpose: tr(a.Purpose), Law: tr(a.Law), People: tr(a.People),
			Data: tr(a.Data), Retention: tr(a.Retention), Recipients: tr(a.Recipients)}
		for _, b := range a.Bases {
			l.Bases = append(l.Bases, basis{Article: string(b), Label: m.s.Render.T(lang, "privacy.basis."+string(b))})
		}
		out = append(out, l)
	}
	return out, nil
}

// BasesText writes the legal bases, then the law, as one paragraph.
func (l line) BasesText() string {
	parts := make([]string, 0, len(l.Bases)+1)
	for _, b := range l.Bases {
		parts = append(parts, b.Label)
	}
	if l.Law != "" {
		parts = append(parts, l.Law)
	}
	return strings.Join(parts, " ")
}

// page explains how the collectivité protects personal data, with its
// register of processing activities.
func (m *Module) page(w http.ResponseWriter, r *http.Request) error {
	lines, err := m.lines(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Lines": lines})
	p.Title = p.T("privacy.title")
	m.s.Render.PageData(w, r, "privacyweb/privacy", p)
	return nil
}

// registerJSON sends the register as a JSON document.
func (m *Module) registerJSON(w http.ResponseWriter, r *http.Request) error {
	lines, err := m.lines(r)
	if err != nil {
		return err
	}
	t := tenant.FromContext(r.Context())
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileName(t, "json")+`"`)
	web.WriteJSON(w, http.StatusOK, map[string]any{
		"controller": map[string]string{"name": t.Name, "address": t.Address, "siret": t.SIRET, "email": t.Email,
			"phone": t.Phone},
		"language": web.LangOf(r), "generated_at": m.requests.Now().UTC().Truncate(time.Second), "activities": lines,
	})
	return nil
}

// registerCSV sends the register as CSV, one activity per row, with a
// header row in the reader's language.
func (m *Module) registerCSV(w http.ResponseWriter, r *http.Request) error {
	lines, err := m.lines(r)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	t := tenant.FromContext(r.Context())
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileName(t, "csv")+`"`)
	cw := csv.NewWriter(w)
	head := []string{}
	for _, k := range columns {
		head = append(head, m.s.Render.T(lang, "privacy.register.col."+k))
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, l := range lines {
		if err := cw.Write([]string{l.Name, l.Purpose, l.BasesText(), l.People, l.Data, l.Retention, l.Recipients}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// columns are the register's columns, by message key suffix.
var columns = []string{"name", "purpose", "basis", "people", "data", "retention", "recipients"}

func fileName(t *tenant.Tenant, ext string) string {
	return fmt.Sprintf("registre-traitements-%s.%s", t.Slug, ext)
}
