package queueweb

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"time"
)

// figuresDays is the period the figures cover, ending today.
const figuresDays = 30

// figures shows a site's waiting and service times: per service, per hour
// of the day, per day; each chart is drawn here as SVG and followed by
// its table.
func (m *Module) figures(w http.ResponseWriter, r *http.Request) error {
	sites, err := m.store.Sites(r.Context(), tenantID(r))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("queue.figures.title")
	data := map[string]any{"Sites": sites}
	p.Data = data
	if len(sites) == 0 {
		m.s.Render.Page(w, r, http.StatusOK, "queue/figures", p)
		return nil
	}
	site := sites[0]
	for _, s := range sites {
		if s.ID == r.URL.Query().Get("site") || s.Slug == r.URL.Query().Get("site") {
			site = s
		}
	}
	now := m.store.Now().In(loc(r))
	from, to := now.AddDate(0, 0, -(figuresDays-1)).Format(time.DateOnly), now.Format(time.DateOnly)
	f, err := m.store.FiguresOf(r.Context(), site, from, to, loc(r))
	if err != nil {
		return err
	}
	type hourRow struct {
		Hour     string
		Arrivals int
		Wait     int
	}
	var hours []hourRow
	var arrivals, waits []bar
	for h, x := range f.Hours {
		if (h < 7 || h > 19) && x.Arrivals == 0 { // the night, when nobody came
			continue
		}
		label := fmt.Sprintf("%d h", h)
		hours = append(hours, hourRow{label, x.Arrivals, minutesOf(x.MeanWait)})
		arrivals = append(arrivals, bar{label, float64(x.Arrivals)})
		waits = append(waits, bar{label, float64(minutesOf(x.MeanWait))})
	}
	type dayRow struct {
		Day           string
		Tickets, Wait int
	}
	var days []dayRow
	var dayBars []bar
	for _, d := range f.Days {
		t, _ := time.Parse(time.DateOnly, d.Day)
		label := t.Format("02/01")
		days = append(days, dayRow{label, d.Tickets, minutesOf(d.MeanWait)})
		dayBars = append(dayBars, bar{label, float64(minutesOf(d.MeanWait))})
	}
	type serviceRow struct {
		Letter, Name                                   string
		Tickets, Served, Missed, Wait, Length, Abandon int
	}
	var services []serviceRow
	for _, x := range f.Services {
		services = append(services, serviceRow{x.Letter, x.Name, x.Tickets, x.Served, x.Missed,
			minutesOf(x.MeanWait), minutesOf(x.MeanService), percent(x.Abandonment)})
	}
	data["Services"] = services
	busiest := ""
	if h := f.BusiestHour(); h >= 0 {
		busiest = p.T("queue.figures.busiest", h, h+1)
	}
	data["Site"], data["Figures"], data["Hours"], data["Days"], data["Busiest"] = site, f, hours, days, busiest
	data["From"], data["To"] = dayLabel(from), dayLabel(to)
	data["ArrivalsChart"] = barChart(arrivals, p.T("queue.figures.arrivals_chart"), p.T("queue.figures.unit_people"))
	data["WaitChart"] = barChart(waits, p.T("queue.figures.wait_chart"), p.T("queue.figures.unit_minutes"))
	data["DaysChart"] = barChart(dayBars, p.T("queue.figures.days_chart"), p.T("queue.figures.unit_minutes"))
	m.s.Render.Page(w, r, http.StatusOK, "queue/figures", p)
	return nil
}

func dayLabel(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}

// minutesOf rounds a duration to whole minutes.
func minutesOf(d time.Duration) int { return int(math.Round(d.Minutes())) }

// percent writes a share as a whole percentage.
func percent(x float64) int { return int(math.Round(100 * x)) }

// bar is one bar of a chart.
type bar struct {
	Label string
	Value float64
}

// barChart draws bars as SVG, its values written above them; the table
// that follows it on the page carries the same figures for those who do
// not see it.
func barChart(bars []bar, title, unit string) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const height, top, bottom, gap = 180.0, 22.0, 26.0, 6.0
	width := math.Max(320, float64(len(bars))*34)
	slot := width / float64(len(bars))
	highest := 0.0
	for _, b := range bars {
		highest = math.Max(highest, b.Value)
	}
	if highest == 0 {
		highest = 1
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, width, height+top+bottom,
		template.HTMLEscapeString(title+" ("+unit+")"))
	fmt.Fprintf(&s, `<line x1="0" y1="%.0f" x2="%.0f" y2="%.0f" stroke="currentColor"/>`, height+top, width, height+top)
	for i, b := range bars {
		h := b.Value / highest * height
		x := float64(i)*slot + gap/2
		fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="chart-bar"/>`, x, top+height-h, slot-gap, h)
		fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" text-anchor="middle" class="chart-value">%s</text>`, x+(slot-gap)/2, top+height-h-5,
			template.HTMLEscapeString(fmt.Sprintf("%g", b.Value)))
		fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" text-anchor="middle" class="chart-label">%s</text>`, x+(slot-gap)/2, top+height+18,
			template.HTMLEscapeString(b.Label))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) //nolint:gosec // every text escaped above
}
