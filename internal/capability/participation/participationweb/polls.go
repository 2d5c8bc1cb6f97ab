package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// pollItem is an open poll as the home page lists it.
type pollItem struct{ Path, Title, Until string }

// pollRoutes: the consultations' list and pages, the ballot, the
// results' CSV, and the staff's pages.
func (m *Module) pollRoutes(s *web.Server) {
	s.Site("GET "+PollsPath, m.polls)
	s.Site("GET "+PollsPath+"/{slug}", m.pollPage)
	s.Site("POST "+PollsPath+"/{slug}/reponse", m.castBallot, s.SignedIn)
	s.Site("GET "+PollsPath+"/{slug}/resultats.csv", m.resultsCSV)
	staff := s.Staff(account.RoleModerator, account.RoleEditor)
	s.Site("GET "+PollsAdminPath, m.pollsAdmin, staff)
	s.Site("GET "+PollsAdminPath+"/nouvelle", m.newPoll, staff)
	s.Site("POST "+PollsAdminPath+"/nouvelle", m.createPoll, staff)
	s.Site("GET "+PollsAdminPath+"/{id}", m.editPoll, staff)
	s.Site("POST "+PollsAdminPath+"/{id}", m.updatePoll, staff)
}

// pollPaths lists the published polls' pages for the site map.
func (m *Module) pollPaths(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	list, err := m.store.Polls(ctx, t.ID, true)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(list))
	for i, p := range list {
		paths[i] = p.Path()
	}
	return paths, nil
}

// openPolls lists the published polls open now, closing soonest first.
func (m *Module) openPolls(r *http.Request, p *web.Page) ([]pollItem, error) {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Polls(r.Context(), t.ID, true)
	if err != nil {
		return nil, err
	}
	open := participation.SortPolls(list, m.k.Now()).Open
	out := make([]pollItem, len(open))
	for i, pl := range open {
		out[i] = pollItem{Path: pl.Path(), Title: pl.Title,
			Until: p.T("participation.polls.until", guichet.Date(pl.ClosesAt.In(t.Location()), p.Lang))}
	}
	return out, nil
}

// pollView is a poll as pages show it: its dates in the collectivité's
// zone and who may answer.
type pollView struct {
	*participation.Poll
	Opens, Closes, OpensISO, ClosesISO string
	Audience                           string
	// Paragraphs are the description's.
	Paragraphs []string
}

func (m *Module) pollView(r *http.Request, p *web.Page, pl *participation.Poll) pollView {
	loc := tenant.FromContext(r.Context()).Location()
	at := func(t time.Time) string {
		t = t.In(loc)
		hour := t.Format("15:04")
		if p.Lang == "fr" { // "9 h", "18 h 30"
			hour = fmt.Sprintf("%d\u00a0h", t.Hour())
			if t.Minute() != 0 {
				hour += fmt.Sprintf("\u00a0%02d", t.Minute())
			}
		}
		return p.T("participation.polls.at", guichet.Date(t, p.Lang), hour)
	}
	audience := p.T("participation.polls.audience." + pl.Audience)
	if pl.Audience == participation.AudienceNeighbourhood {
		audience = p.T("participation.polls.audience_of", pl.CommunityName)
	}
	return pollView{Poll: pl, Opens: at(pl.OpensAt), Closes: at(pl.ClosesAt),
		OpensISO: pl.OpensAt.In(loc).Format(time.RFC3339), ClosesISO: pl.ClosesAt.In(loc).Format(time.RFC3339),
		Audience: audience, Paragraphs: pollParagraphs(pl.Description)}
}

// pollParagraphs splits text at its blank lines.
func pollParagraphs(text string) []string {
	var out []string
	for _, par := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if par = strings.TrimSpace(par); par != "" {
			out = append(out, par)
		}
	}
	return out
}

// polls lists the open, upcoming and closed consultations.
func (m *Module) polls(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Polls(r.Context(), t.ID, true)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	lists := participation.SortPolls(list, m.k.Now())
	views := func(l []*participation.Poll) []pollView {
		out := make([]pollView, len(l))
		for i, pl := range l {
			out[i] = m.pollView(r, p, pl)
		}
		return out
	}
	p.Title = p.T("participation.polls.title")
	p.Data = map[string]any{"Open": views(lists.Open), "Upcoming": views(lists.Upcoming), "Closed": views(lists.Closed)}
	m.s.Render.Page(w, r, http.StatusOK, "participation/polls", p)
	return nil
}

// publicPoll returns the request's poll by its slug: a published one, or
// any for the staff who run them (to look at it before publishing).
func (m *Module) publicPoll(r *http.Request) (*participation.Poll, error) {
	pl, err := m.store.PollBySlug(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	if !pl.Published && !runsPolls(account.FromContext(r.Context())) {
		return nil, participation.ErrNotFound
	}
	return pl, nil
}

// runsPolls reports whether id runs the consultations.
func runsPolls(id *account.Identity) bool {
	return id != nil && (id.Has(account.RoleModerator) || id.Has(account.RoleEditor))
}

// pollOption is one choice of a form's list.
type pollOption struct{ Value, Label string }

// pollQuestionView is a question as the form shows it.
type pollQuestionView struct {
	*participation.Question
	// Name is its field's name; Options its choices by index.
	Name    string
	Options []pollOption
	// Ranks are a ranking's lists, one per position.
	Ranks []pollRankView
}

// pollRankView is one position of a ranking: its list's name, id and label.
type pollRankView struct{ Name, ID, Label string }

func pollQuestionViews(p *web.Page, qs []*participation.Question) []pollQuestionView {
	out := make([]pollQuestionView, len(qs))
	for i, q := range qs {
		v := pollQuestionView{Question: q, Name: participation.QuestionField(q)}
		for j, c := range q.Choices {
			v.Options = append(v.Options, pollOption{Value: strconv.Itoa(j), Label: c})
		}
		if q.Kind == participation.Ranking {
			for k := range q.Choices {
				id := "champ-" + v.Name
				if k > 0 {
					id = fmt.Sprintf("champ-%s-rang-%d", v.Name, k+1)
				}
				v.Ranks = append(v.Ranks, pollRankView{Name: fmt.Sprintf("%s-rang-%d", v.Name, k+1), ID: id,
					Label: p.T("participation.polls.rank", k+1)})
			}
		}
		out[i] = v
	}
	return out
}

// pollBallotFrom reads the form's answers to pl's questions.
func pollBallotFrom(f url.Values, pl *participation.Poll) participation.Ballot {
	b := participation.Ballot{}
	index := func(v string) int {
		n, err := strconv.Atoi(v)
		if err != nil {
			return -1
		}
		return n
	}
	for _, q := range pl.Questions {
		name := participation.QuestionField(q)
		var a participation.Answer
		switch q.Kind {
		case participation.Single:
			if v := f.Get(name); v != "" {
				a.Choices = []int{index(v)}
			}
		case participation.Multiple:
			for _, v := range f[name] {
				a.Choices = append(a.Choices, index(v))
			}
		case participation.Ranking:
			for k := range q.Choices {
				if v := f.Get(fmt.Sprintf("%s-rang-%d", name, k+1)); v != "" {
					a.Choices = append(a.Choices, index(v))
				}
			}
		case participation.Open:
			a.Text = f.Get(name)
		}
		b[q.ID] = a
	}
	return b
}

// pollPage shows a poll: who may answer and until when, the form to an
// eligible resident who has not answered, and the results once closed.
func (m *Module) pollPage(w http.ResponseWriter, r *http.Request) error {
	pl, err := m.publicPoll(r)
	if err != nil {
		return err
	}
	return m.renderPoll(w, r, pl, http.StatusOK, nil)
}

func (m *Module) renderPoll(w http.ResponseWriter, r *http.Request, pl *participation.Poll, status int, errs map[string]string) error {
	ctx := r.Context()
	p := m.s.Render.NewPage(r, "", nil)
	now := m.k.Now()
	data := map[string]any{"P": m.pollView(r, p, pl), "Open": pl.Open(now), "Upcoming": pl.Upcoming(now),
		"Closed": pl.Closed(now), "Questions": pollQuestionViews(p, pl.Questions), "CSV": pl.Path() + "/resultats.csv"}
	if id := account.FromContext(ctx); id != nil && pl.Open(now) {
		voted, err := m.store.Voted(ctx, pl, id.UserID)
		if err != nil {
			return err
		}
		data["Voted"] = voted
		if !voted {
			if err := m.eligible(r, pl); err != nil {
				data["Refusal"] = m.s.Render.Cat.Sentence(web.LangOf(r), guichet.ErrorMessage(err))
			}
		}
	}
	if pl.Closed(now) {
		res, err := m.store.Results(ctx, pl)
		if err != nil {
			return err
		}
		data["Results"] = pollResultViews(p, res)
	}
	p.Title = pl.Title
	p.Data, p.Errors, p.Form = data, errs, r.PostForm
	if status == http.StatusOK && r.URL.Query().Get("ok") == "merci" {
		p.Notice = p.T("participation.polls.thanks")
	}
	m.s.Render.Page(w, r, status, "participation/poll", p)
	return nil
}

// eligible checks the signed-in resident may answer pl.
func (m *Module) eligible(r *http.Request, pl *participation.Poll) error {
	id := account.FromContext(r.Context())
	if id == nil {
		return participation.ErrNotSignedIn
	}
	var member []string
	if pl.Audience == participation.AudienceNeighbourhood {
		var err error
		if member, err = m.k.MemberOf(r.Context(), id.TenantID, id.UserID); err != nil {
			return err
		}
	}
	return participation.Eligible(pl, id.EmailVerified, member)
}

// castBallot records the signed-in resident's answers: the form again
// with its errors, or the page with thanks; a second ballot is refused.
func (m *Module) castBallot(w http.ResponseWriter, r *http.Request) error {
	pl, err := m.publicPoll(r)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, BallotLimit, ""); err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.eligible(r, pl); err != nil {
		return err
	}
	err = m.store.Cast(r.Context(), pl, account.FromContext(r.Context()).UserID, pollBallotFrom(r.PostForm, pl))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderPoll(w, r, pl, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, pl.Path()+"?ok=merci#reponse")
}

// pollBar is one bar of a results' pollChart, placed in SVG units.
type pollBar struct {
	Label, Value            string
	LabelY, BarY, Width, VX int
}

// pollChart is a horizontal bar pollChart of one question's results.
type pollChart struct {
	ID, Title string
	Height    int
	Bars      []pollBar
}

// Chart geometry: each bar under its label, the value after the bar.
const (
	pollChartWidth = 640
	pollChartBarW  = 520
	pollChartRow   = 48
)

// pollChoiceView is a choice's result as the table shows it.
type pollChoiceView struct {
	*participation.ChoiceResult
	PercentText string
}

// pollResultView is a question's result with its pollChart.
type pollResultView struct {
	*participation.QuestionResult
	Choices []pollChoiceView
	Chart   *pollChart
}

func pollPercent(p *web.Page, v float64) string {
	return p.T("participation.polls.percent", int(v+0.5))
}

func pollResultViews(p *web.Page, res *participation.Results) []pollResultView {
	out := make([]pollResultView, len(res.Questions))
	for i, q := range res.Questions {
		v := pollResultView{QuestionResult: q}
		for _, c := range q.Choices {
			v.Choices = append(v.Choices, pollChoiceView{ChoiceResult: c, PercentText: pollPercent(p, c.Percent)})
		}
		if q.Kind != participation.Open {
			ch := &pollChart{ID: fmt.Sprintf("graphique-%d", i+1), Title: p.T("participation.polls.chart_title", q.Label),
				Height: pollChartRow*len(q.Choices) + 8}
			top := 0
			for _, c := range q.Choices {
				top = max(top, c.Score)
			}
			for j, c := range q.Choices {
				width, value := int(c.Percent/100*pollChartBarW+0.5), pollPercent(p, c.Percent)
				if q.Kind == participation.Ranking {
					width, value = 0, p.N("participation.polls.points", c.Score)
					if top > 0 {
						width = c.Score * pollChartBarW / top
					}
				}
				y := j * pollChartRow
				ch.Bars = append(ch.Bars, pollBar{Label: c.Label, Value: value, LabelY: y + 16, BarY: y + 24,
					Width: max(width, 2), VX: max(width, 2) + 8})
			}
			v.Chart = ch
		}
		out[i] = v
	}
	return out
}

// resultsCSV exports a closed poll's results: UTF-8 with a byte order
// mark, semicolons and decimal commas, as French spreadsheets open them.
func (m *Module) resultsCSV(w http.ResponseWriter, r *http.Request) error {
	pl, err := m.publicPoll(r)
	if err != nil {
		return err
	}
	res, err := m.store.Results(r.Context(), pl)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\ufeff")
	line := func(cells ...string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(';')
			}
			b.WriteString(pollCSVCell(c))
		}
		b.WriteString("\r\n")
	}
	line(m.csvT(r, "participation.polls.csv_question"), m.csvT(r, "participation.polls.csv_choice"),
		m.csvT(r, "participation.polls.csv_count"), m.csvT(r, "participation.polls.csv_percent"),
		m.csvT(r, "participation.polls.csv_score"), m.csvT(r, "participation.polls.csv_first"))
	for _, q := range res.Questions {
		for _, c := range q.Choices {
			score, first := "", ""
			if q.Kind == participation.Ranking {
				score, first = strconv.Itoa(c.Score), strconv.Itoa(c.First)
			}
			line(q.Label, c.Label, strconv.Itoa(c.Count), strings.Replace(strconv.FormatFloat(c.Percent, 'f', 1, 64), ".", ",", 1), score, first)
		}
	}
	line()
	line(m.csvT(r, "participation.polls.csv_question"), m.csvT(r, "participation.polls.csv_answer"))
	for _, q := range res.Questions {
		for _, text := range q.Texts {
			line(q.Label, text)
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="resultats-`+pl.Slug+`.csv"`)
	_, err = w.Write([]byte(b.String()))
	return err
}

func (m *Module) csvT(r *http.Request, key string) string {
	return m.s.Render.Cat.T(web.LangOf(r), key)
}

// pollCSVCell quotes a cell and keeps a spreadsheet from reading it as a
// formula.
func pollCSVCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		v = "'" + v
	}
	if strings.ContainsAny(v, ";\"\r\n") {
		v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

// Staff's pages.

// pollsAdmin lists every poll with its ballots.
func (m *Module) pollsAdmin(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, err := m.store.Polls(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	now := m.k.Now()
	type row struct {
		pollView
		State string
	}
	rows := make([]row, len(list))
	for i, pl := range list {
		state := "open"
		switch {
		case !pl.Published:
			state = "draft"
		case pl.Upcoming(now):
			state = "upcoming"
		case pl.Closed(now):
			state = "closed"
		}
		rows[i] = row{pollView: m.pollView(r, p, pl), State: p.T("participation.polls.state." + state)}
	}
	p.Title = p.T("participation.polls.admin_title")
	p.Data = map[string]any{"Polls": rows}
	if r.URL.Query().Get("ok") == "enregistree" {
		p.Notice = p.T("participation.polls.saved")
	}
	m.s.Render.Page(w, r, http.StatusOK, "participation/polls_admin", p)
	return nil
}

// pollFormSlots is how many question fieldsets the form offers at least.
const pollFormSlots = 5

// newPoll is the form of a new poll, opening tomorrow for three weeks.
func (m *Module) newPoll(w http.ResponseWriter, r *http.Request) error {
	loc := tenant.FromContext(r.Context()).Location()
	day := m.k.Now().In(loc)
	opens := time.Date(day.Year(), day.Month(), day.Day()+1, 8, 0, 0, 0, loc)
	pl := &participation.Poll{Audience: participation.AudienceAll, OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 21).Add(10 * time.Hour)}
	return m.renderPollForm(w, r, pl, http.StatusOK, nil)
}

// editPoll is a poll's form.
func (m *Module) editPoll(w http.ResponseWriter, r *http.Request) error {
	pl, err := m.store.Poll(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderPollForm(w, r, pl, http.StatusOK, nil)
}

// pollSlotView is one question fieldset of the staff's form.
type pollSlotView struct {
	N                    int
	Kind, Label, Choices string
	Required, ReadOnly   bool
	KindName, LabelName  string
	ChoicesName, ReqName string
	// KindText and ChoicesText show a locked question.
	KindText    string
	ChoicesText []string
}

func (m *Module) renderPollForm(w http.ResponseWriter, r *http.Request, pl *participation.Poll, status int, errs map[string]string) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	p := m.s.Render.NewPage(r, "", nil)
	communities, err := m.k.Communities(ctx, t.ID)
	if err != nil {
		return err
	}
	var quartiers []pollOption
	for _, c := range communities {
		if c.Kind == "quartier" {
			quartiers = append(quartiers, pollOption{Value: c.ID, Label: c.Name})
		}
	}
	audiences := make([]pollOption, len(participation.Audiences))
	for i, a := range participation.Audiences {
		audiences[i] = pollOption{Value: a, Label: p.T("participation.polls.audience_choice." + a)}
	}
	kinds := make([]pollOption, len(participation.QuestionKinds))
	for i, k := range participation.QuestionKinds {
		kinds[i] = pollOption{Value: k, Label: p.T("participation.polls.kind." + k)}
	}
	loc := t.Location()
	form := url.Values{"title": {pl.Title}, "slug": {pl.Slug}, "description": {pl.Description}, "audience": {pl.Audience},
		"community": {pl.CommunityID}}
	for name, at := range map[string]time.Time{"opens": pl.OpensAt, "closes": pl.ClosesAt} {
		if !at.IsZero() {
			form.Set(name, at.In(loc).Format("2006-01-02"))
			form.Set(name+"-time", at.In(loc).Format("15:04"))
		}
	}
	if status != http.StatusOK { // what was sent, dates included, even unreadable
		for _, name := range []string{"opens", "opens-time", "closes", "closes-time"} {
			form.Set(name, r.PostForm.Get(name))
		}
	}
	locked := pl.Ballots > 0
	var slots []pollSlotView
	for i := range max(pollFormSlots, len(pl.Questions)+2) {
		if locked && i >= len(pl.Questions) {
			break
		}
		n := i + 1
		s := pollSlotView{N: n, Required: true, KindName: fmt.Sprintf("q%d-kind", n), LabelName: fmt.Sprintf("q%d-label", n),
			ChoicesName: fmt.Sprintf("q%d-choices", n), ReqName: fmt.Sprintf("q%d-required", n), ReadOnly: locked}
		if i < len(pl.Questions) {
			q := pl.Questions[i]
			s.Kind, s.Label, s.Choices, s.Required = q.Kind, q.Label, strings.Join(q.Choices, "\n"), q.Required
			s.ChoicesText, s.KindText = q.Choices, p.T("participation.polls.kind."+q.Kind)
		}
		form.Set(s.KindName, s.Kind)
		form.Set(s.LabelName, s.Label)
		form.Set(s.ChoicesName, s.Choices)
		slots = append(slots, s)
	}
	p.Data = map[string]any{"P": pl, "Audiences": audiences, "Quartiers": quartiers, "Kinds": kinds, "Slots": slots,
		"Locked": locked, "Published": pl.Published}
	p.Errors, p.Form = errs, form
	if pl.ID == "" {
		p.Title = p.T("participation.polls.new_title")
	} else {
		p.Title = p.T("participation.polls.edit_title", pl.Title)
	}
	if status == http.StatusOK && r.URL.Query().Get("ok") == "enregistree" {
		p.Notice = p.T("participation.polls.saved")
	}
	m.s.Render.Page(w, r, status, "participation/poll_form", p)
	return nil
}

// pollFrom reads the staff's form into pl; questions stay as they are
// once pl has ballots.
func (m *Module) pollFrom(r *http.Request, pl *participation.Poll) map[string]string {
	f := r.PostForm
	loc := tenant.FromContext(r.Context()).Location()
	fields := map[string]string{}
	pl.Title, pl.Slug, pl.Description, pl.Audience = f.Get("title"), f.Get("slug"), f.Get("description"), f.Get("audience")
	pl.Published = f.Get("published") != ""
	pl.CommunityID, pl.CommunityName = "", ""
	if pl.Audience == participation.AudienceNeighbourhood {
		communities, err := m.k.Communities(r.Context(), pl.TenantID)
		if err != nil {
			return map[string]string{"community": err.Error()}
		}
		for _, c := range communities {
			if c.ID == f.Get("community") && c.Kind == "quartier" {
				pl.CommunityID, pl.CommunityName = c.ID, c.Name
			}
		}
		if pl.CommunityID == "" {
			fields["community"] = "Choisissez le quartier dont les membres peuvent répondre."
		}
	}
	when := func(name string) time.Time {
		day, hour := strings.TrimSpace(f.Get(name)), strings.TrimSpace(f.Get(name+"-time"))
		if hour == "" {
			hour = "00:00"
		}
		at, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hour, loc)
		if err != nil {
			return time.Time{}
		}
		return at.UTC()
	}
	pl.OpensAt, pl.ClosesAt = when("opens"), when("closes")
	if pl.Ballots > 0 {
		return fields
	}
	pl.Questions = nil
	for n := 1; n <= participation.MaxQuestions; n++ {
		kind := f.Get(fmt.Sprintf("q%d-kind", n))
		label := strings.TrimSpace(f.Get(fmt.Sprintf("q%d-label", n)))
		choices := strings.TrimSpace(f.Get(fmt.Sprintf("q%d-choices", n)))
		if kind == "" && label == "" && choices == "" {
			continue
		}
		pl.Questions = append(pl.Questions, &participation.Question{Kind: kind, Label: label,
			Choices: strings.Split(strings.ReplaceAll(choices, "\r\n", "\n"), "\n"), Required: f.Get(fmt.Sprintf("q%d-required", n)) != ""})
	}
	return fields
}

// savePoll reads the form into pl, checks it and writes it with write,
// or shows the form again with its errors.
func (m *Module) savePoll(w http.ResponseWriter, r *http.Request, pl *participation.Poll, write func() error) (bool, error) {
	fields := m.pollFrom(r, pl)
	for k, v := range guichet.FieldErrors(pl.Validate()) {
		if fields[k] == "" {
			fields[k] = v
		}
	}
	if len(fields) == 0 {
		fields = guichet.FieldErrors(write())
		if fields == nil {
			return true, nil
		}
	}
	return false, m.renderPollForm(w, r, pl, http.StatusUnprocessableEntity, fields)
}

// createPoll adds a poll.
func (m *Module) createPoll(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	pl := &participation.Poll{TenantID: tenant.FromContext(r.Context()).ID}
	var err error
	if ok, ferr := m.savePoll(w, r, pl, func() error { err = m.store.CreatePoll(r.Context(), pl); return err }); !ok {
		return ferr
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "participation.polls.created", pl.ID)
	return publishingweb.SeeOther(w, r, PollsAdminPath+"/"+pl.ID+"?ok=enregistree")
}

// updatePoll saves a poll.
func (m *Module) updatePoll(w http.ResponseWriter, r *http.Request) error {
	pl, err := m.store.Poll(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if ok, ferr := m.savePoll(w, r, pl, func() error { err = m.store.UpdatePoll(r.Context(), pl); return err }); !ok {
		return ferr
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "participation.polls.updated", pl.ID)
	return publishingweb.SeeOther(w, r, PollsAdminPath+"/"+pl.ID+"?ok=enregistree")
}
