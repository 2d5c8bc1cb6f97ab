package reportsweb

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// dateLayout is how the period's dates come and go in the address.
const dateLayout = "2006-01-02"

// period is the span the figures count, from its first day to its last
// (both included) in the collectivité's zone.
type period struct {
	From, To time.Time // midnight of the first and of the last day
}

// end is the instant the period stops (excluded): the day after its last.
func (pd period) end() time.Time { return pd.To.AddDate(0, 0, 1) }

func (pd period) query() url.Values {
	return url.Values{"du": {pd.From.Format(dateLayout)}, "au": {pd.To.Format(dateLayout)}}
}

// presets are the periods offered besides the typed one.
type preset struct {
	Key, Label, URL string
	Current         bool
}

// periodPresets are the last twelve months, this year so far and last
// year, relative to today.
func periodPresets(today time.Time) map[string]period {
	y := today.Year()
	loc := today.Location()
	return map[string]period{
		"12mois":       {From: today.AddDate(-1, 0, 1), To: today},
		"annee":        {From: time.Date(y, 1, 1, 0, 0, 0, 0, loc), To: today},
		"annee-passee": {From: time.Date(y-1, 1, 1, 0, 0, 0, 0, loc), To: time.Date(y-1, 12, 31, 0, 0, 0, 0, loc)},
	}
}

var presetOrder = []string{"12mois", "annee", "annee-passee"}

// readPeriod reads the period of the address: its dates, else the last
// twelve months; errs gets the dates that do not read.
func readPeriod(q url.Values, today time.Time, errs map[string]string) period {
	def := periodPresets(today)["12mois"]
	from, to := strings.TrimSpace(q.Get("du")), strings.TrimSpace(q.Get("au"))
	if from == "" && to == "" {
		return def
	}
	pd := def
	loc := today.Location()
	if f, err := time.ParseInLocation(dateLayout, from, loc); err == nil {
		pd.From = f
	} else {
		errs["du"] = "Indiquez la date de début sous la forme 2026-01-31."
	}
	if t, err := time.ParseInLocation(dateLayout, to, loc); err == nil {
		pd.To = t
	} else {
		errs["au"] = "Indiquez la date de fin sous la forme 2026-12-31."
	}
	if len(errs) == 0 && pd.To.Before(pd.From) {
		errs["au"] = "La fin de la période doit suivre son début."
	}
	if len(errs) > 0 {
		return def
	}
	return pd
}

// figureRow is one category's figures in words.
type figureRow struct {
	reports.CategoryFigures
	Open              int
	Median, P90       string
	MedianCSV, P90CSV string
}

// figureRows adds to each category's figures what the page and the file
// show.
func figureRows(list []reports.CategoryFigures, lang string) []figureRow {
	out := make([]figureRow, len(list))
	for i, f := range list {
		row := figureRow{CategoryFigures: f}
		for _, st := range reports.OpenStatuses {
			row.Open += f.ByStatus[st]
		}
		if f.Fixed > 0 {
			row.Median, row.P90 = days(f.MedianToFix, lang), days(f.P90ToFix, lang)
			row.MedianCSV, row.P90CSV = daysCSV(f.MedianToFix), daysCSV(f.P90ToFix)
		}
		out[i] = row
	}
	return out
}

// days writes a duration in days with one decimal, as lang writes
// numbers.
func days(d time.Duration, lang string) string {
	s := strconv.FormatFloat(d.Hours()/24, 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func daysCSV(d time.Duration) string { return strconv.FormatFloat(d.Hours()/24, 'f', 2, 64) }

// figures shows the figures per category over a period: a bar chart
// drawn on the server, the table it summarises, and the file to
// download.
func (m *Module) figures(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	today := midnight(m.now(r))
	errs := map[string]string{}
	pd := readPeriod(r.URL.Query(), today, errs)
	list, err := m.store.Figures(r.Context(), t.ID, pd.From, pd.end())
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("reports.figures.title")
	rows := figureRows(list, p.Lang)
	var presets []preset
	for _, key := range presetOrder {
		pr := periodPresets(today)[key]
		presets = append(presets, preset{Key: key, Label: p.T("reports.figures.preset." + key),
			URL: FiguresPath + "?" + pr.query().Encode(), Current: pr == pd})
	}
	from, to := guichet.Date(pd.From, p.Lang), guichet.Date(pd.To, p.Lang)
	csvURL := figuresCSVPath + "?" + pd.query().Encode()
	totals := figureRow{}
	for _, row := range rows {
		totals.Total += row.Total
		totals.Fixed += row.Fixed
		totals.Open += row.Open
	}
	p.Data = map[string]any{"Rows": rows, "Totals": totals, "Presets": presets, "From": from, "To": to,
		"CSV": csvURL, "Chart": barChart(p, rows, from, to),
		"JSONLD": figuresJSONLD(p, t, m.s.SiteURL(r, t), pd, from, to)}
	p.Form, p.Errors = pd.query(), errs
	if len(errs) > 0 {
		// What was typed comes back with its error.
		p.Form = url.Values{"du": {r.URL.Query().Get("du")}, "au": {r.URL.Query().Get("au")}}
	}
	m.s.Render.Page(w, r, http.StatusOK, "reports/figures", p)
	return nil
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// figuresJSONLD describes the figures as a schema.org Dataset with its
// CSV distribution.
func figuresJSONLD(p *web.Page, t *tenant.Tenant, site string, pd period, from, to string) template.JS {
	org := map[string]any{"@type": "GovernmentOrganization", "name": t.Name, "url": site + "/"}
	return publishingweb.JSONLD(map[string]any{
		"@context": "https://schema.org", "@type": "Dataset",
		"name":        p.T("reports.figures.dataset_name", t.Name),
		"description": p.T("reports.figures.dataset_description", from, to),
		"url":         site + FiguresPath, "inLanguage": p.Lang, "isAccessibleForFree": true,
		"license":          "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
		"temporalCoverage": pd.From.Format(dateLayout) + "/" + pd.To.Format(dateLayout),
		"creator":          org, "publisher": org,
		"variableMeasured": []string{p.T("reports.figures.col_received"), p.T("reports.figures.col_fixed"),
			p.T("reports.figures.col_open"), p.T("reports.figures.col_median"), p.T("reports.figures.col_p90")},
		"distribution": []map[string]any{{"@type": "DataDownload", "encodingFormat": "text/csv",
			"contentUrl": site + figuresCSVPath + "?" + pd.query().Encode()}},
	})
}

// FiguresColumns are the columns of the figures' CSV file.
var FiguresColumns = []string{"categorie_code", "categorie", "groupe", "debut", "fin", "recus", "resolus", "ouverts",
	"delai_median_jours", "delai_90e_centile_jours"}

// figuresCSV is the table of the figures page as a CSV file (UTF-8, commas,
// no byte order mark, as the site's other open data).
func (m *Module) figuresCSV(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	today := midnight(m.now(r))
	errs := map[string]string{}
	pd := readPeriod(r.URL.Query(), today, errs)
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	list, err := m.store.Figures(r.Context(), t.ID, pd.From, pd.end())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="signalements-%s-%s.csv"`,
		pd.From.Format(dateLayout), pd.To.Format(dateLayout)))
	out := csv.NewWriter(w)
	if err := out.Write(FiguresColumns); err != nil {
		return err
	}
	from, to := pd.From.Format(dateLayout), pd.To.Format(dateLayout)
	for _, row := range figureRows(list, "en") {
		c := row.Category
		if err := out.Write([]string{c.Code, c.Name, c.Group, from, to, strconv.Itoa(row.Total), strconv.Itoa(row.Fixed),
			strconv.Itoa(row.Open), row.MedianCSV, row.P90CSV}); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

// The bar chart's geometry, in SVG units: each category a row with its
// name above two bars, received and fixed, each followed by its number
// in words, so that neither colour nor length alone tells the figure.
const (
	chartWidth   = 640
	chartBarMax  = 440
	chartRowH    = 64
	chartBar     = 16
	chartTop     = 8
	chartNameGap = 16
)

// chart is the bar chart ready for the "reports-figures-chart" template.
type chart struct {
	Width, Height int
	Title, Desc   string
	Rows          []chartRow
}

type chartRow struct {
	Name                 string
	NameY                int
	ReceivedY, FixedY    int
	ReceivedW, FixedW    int
	ReceivedX, FixedX    int // where each number's text starts
	ReceivedT, FixedT    int // each number's baseline
	Received, FixedLabel string
}

// barChart draws the received and fixed reports of each category, the
// longest bar the largest count.
func barChart(p *web.Page, rows []figureRow, from, to string) *chart {
	if len(rows) == 0 {
		return nil
	}
	most := 1
	for _, r := range rows {
		most = max(most, r.Total, r.Fixed)
	}
	ch := &chart{Width: chartWidth, Height: chartTop + len(rows)*chartRowH, Title: p.T("reports.figures.chart_title", from, to),
		Desc: p.T("reports.figures.chart_desc")}
	width := func(n int) int {
		if n == 0 {
			return 0
		}
		return max(2, n*chartBarMax/most) // a small count still shows
	}
	for i, r := range rows {
		y := chartTop + i*chartRowH
		cr := chartRow{Name: r.Category.Name, NameY: y + 12, ReceivedY: y + chartNameGap + 2, ReceivedW: width(r.Total),
			FixedW: width(r.Fixed), Received: p.N("reports.figures.bar_received", r.Total),
			FixedLabel: p.N("reports.figures.bar_fixed", r.Fixed)}
		cr.FixedY = cr.ReceivedY + chartBar + 4
		cr.ReceivedX, cr.FixedX = cr.ReceivedW+6, cr.FixedW+6
		cr.ReceivedT, cr.FixedT = cr.ReceivedY+chartBar-3, cr.FixedY+chartBar-3
		ch.Rows = append(ch.Rows, cr)
	}
	return ch
}
