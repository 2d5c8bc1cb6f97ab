package newsletterweb

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/newsletter"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// dashboard is the newsletter's back-office home: the figures, the
// campaigns, and the way to everything else.
func (m *Module) dashboard(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	counts, err := m.store.Counts(r.Context(), t.ID)
	if err != nil {
		return err
	}
	campaigns, err := m.store.Campaigns(r.Context(), t.ID, newsletter.CampaignFilter{Limit: 100})
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Data = map[string]any{"Counts": counts, "Rows": m.campaignRows(r, campaigns),
		"BounceURL": m.baseURL(r) + "/lettre/retours/" + bounceSecret(m.bounceKey, t.ID)}
	p.Title = p.T("newsletter.admin.title")
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/dashboard", p)
	return nil
}

// campaignRow is a campaign in the editors' list.
type campaignRow struct {
	*newsletter.Campaign
	Subject, When string
}

func (m *Module) campaignRows(r *http.Request, list []*newsletter.Campaign) []campaignRow {
	loc, lang := tenantOf(r).Location(), web.LangOf(r)
	out := make([]campaignRow, len(list))
	for i, c := range list {
		at := c.UpdatedAt
		switch {
		case c.FinishedAt != nil:
			at = *c.FinishedAt
		case c.ScheduledAt != nil:
			at = *c.ScheduledAt
		}
		out[i] = campaignRow{Campaign: c, Subject: c.French.Subject, When: dateTime(at.In(loc), lang)}
	}
	return out
}

func dateTime(t time.Time, lang string) string {
	if lang == "en" {
		return guichet.Date(t, lang) + ", " + t.Format("15:04")
	}
	return guichet.Date(t, lang) + " à " + t.Format("15:04")
}

// createCampaign starts a draft from its subject.
func (m *Module) createCampaign(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	id := account.FromContext(r.Context())
	c := &newsletter.Campaign{TenantID: tenantOf(r).ID, French: newsletter.Version{Subject: r.PostForm.Get("subject")},
		Archived: true, Author: id.Name}
	if err := m.store.SaveCampaign(r.Context(), c); err != nil {
		if guichet.FieldErrors(err) != nil {
			return publishingweb.SeeOther(w, r, "/gestion/lettre?objet=manquant#nouvelle")
		}
		return err
	}
	m.s.Record(r, "newsletter.campaign_created", c.ID)
	return publishingweb.SeeOther(w, r, "/gestion/lettre/campagnes/"+c.ID)
}

// campaign shows a campaign: its form while it may change, its sending
// and figures afterwards.
func (m *Module) campaign(w http.ResponseWriter, r *http.Request) error {
	c, err := m.store.Campaign(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if c.Editable() {
		notice := ""
		switch {
		case r.URL.Query().Get("essai") == "1":
			notice = "newsletter.edit.test_sent"
		case r.URL.Query().Get("enregistre") == "1":
			notice = "newsletter.edit.saved"
		}
		return m.renderEditor(w, r, http.StatusOK, c, nil, notice)
	}
	return m.renderStatus(w, r, c)
}

// pickable is a news item or an event an editor may put in a block.
type pickable struct{ Value, Label string }

func (m *Module) pickables(r *http.Request, kind string) []pickable {
	src, ok := m.k.PublicationsOf(kind)
	if !ok {
		return nil
	}
	list, err := src.Recent(r.Context(), tenantOf(r).ID, m.k.Now(), 30)
	if err != nil {
		return nil
	}
	loc, lang := tenantOf(r).Location(), web.LangOf(r)
	out := make([]pickable, len(list))
	for i, p := range list {
		out[i] = pickable{Value: p.ID, Label: p.Title + " (" + guichet.Date(p.Published.In(loc), lang) + ")"}
	}
	return out
}

// blockView is a block on the editor's form, with the items it may
// present.
type blockView struct {
	newsletter.Block
	N, Last int
	Options []pickable
}

func blockViews(blocks []newsletter.Block, news, events []pickable) []blockView {
	out := make([]blockView, len(blocks))
	for i, b := range blocks {
		out[i] = blockView{Block: b, N: i, Last: len(blocks) - 1}
		switch b.Type {
		case newsletter.BlockNews:
			out[i].Options = news
		case newsletter.BlockEvent:
			out[i].Options = events
		}
	}
	return out
}

func (m *Module) renderEditor(w http.ResponseWriter, r *http.Request, status int, c *newsletter.Campaign, errs map[string]string, notice string) error {
	t := tenantOf(r)
	lists, err := m.store.Lists(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	var listOpts []listOption
	for _, l := range lists {
		listOpts = append(listOpts, listOption{Value: l.ID, Label: p.T("newsletter.edit.list_option", l.Name, p.T("newsletter.kind."+l.Kind), l.Subscribers)})
	}
	id := account.FromContext(r.Context())
	scheduled := ""
	if c.ScheduledAt != nil {
		scheduled = dateTime(c.ScheduledAt.In(t.Location()), web.LangOf(r))
	}
	news, events := m.pickables(r, "news"), m.pickables(r, "event")
	p.Data = map[string]any{"C": c, "Lists": listOpts, "French": blockViews(c.French.Blocks, news, events),
		"English": blockViews(c.English.Blocks, news, events), "Me": id.Email, "Notice": notice,
		"Scheduled": scheduled, "Rate": strconv.Itoa(c.Rate),
		"Versions": []listOption{{Value: "fr", Label: p.T("newsletter.edit.french")}, {Value: "en", Label: p.T("newsletter.edit.english")}}}
	p.Errors = errs
	p.Title = p.T("newsletter.edit.title", c.French.Subject)
	m.s.Render.Page(w, r, status, "newsletter/edit", p)
	return nil
}

// formBlocks reads a version's blocks from the form (fields prefixed for
// the English version).
func (m *Module) formBlocks(r *http.Request, prefix string) []newsletter.Block {
	f := r.PostForm
	n, _ := strconv.Atoi(f.Get(prefix + "blocks"))
	n = min(max(n, 0), newsletter.MaxBlocks)
	out := make([]newsletter.Block, 0, n)
	for i := range n {
		k := func(name string) string { return f.Get(fmt.Sprintf("%sblock_%s_%d", prefix, name, i)) }
		b := newsletter.Block{Type: k("type"), Text: k("text"), Image: k("image"), Alt: k("alt"), Ref: k("ref"),
			Title: k("title"), Summary: k("summary"), Path: k("path"), When: k("when"), Place: k("place")}
		if b.Type == newsletter.BlockNews || b.Type == newsletter.BlockEvent {
			m.resolve(r, &b)
		}
		out = append(out, b)
	}
	return out
}

// resolve copies a chosen news item or event into its block, again when
// the choice changed.
func (m *Module) resolve(r *http.Request, b *newsletter.Block) {
	kind := map[string]string{newsletter.BlockNews: "news", newsletter.BlockEvent: "event"}[b.Type]
	src, ok := m.k.PublicationsOf(kind)
	if !ok || b.Ref == "" {
		b.Title, b.Path = "", ""
		return
	}
	p, err := src.Get(r.Context(), tenantOf(r).ID, b.Ref, m.k.Now())
	if err != nil {
		b.Title, b.Path = "", ""
		return
	}
	b.Title, b.Summary, b.Path, b.Place, b.When = p.Title, p.Summary, p.Path, p.Place, ""
	if !p.Starts.IsZero() && kind == "event" {
		b.When = dateTime(p.Starts.In(tenantOf(r).Location()), "fr")
	}
}

// applyAction changes the blocks as a button of the form asks: add a
// block, move one, remove one.
func applyAction(c *newsletter.Campaign, action string) bool {
	verb, arg, _ := strings.Cut(action, ":")
	blocks := &c.French.Blocks
	if strings.HasPrefix(verb, "en-") {
		verb, blocks = strings.TrimPrefix(verb, "en-"), &c.English.Blocks
	}
	i, _ := strconv.Atoi(arg)
	b := *blocks
	switch {
	case verb == "add" && (arg == newsletter.BlockText || arg == newsletter.BlockNews || arg == newsletter.BlockEvent) && len(b) < newsletter.MaxBlocks:
		*blocks = append(b, newsletter.Block{Type: arg})
	case verb == "up" && i > 0 && i < len(b):
		b[i-1], b[i] = b[i], b[i-1]
	case verb == "down" && i >= 0 && i < len(b)-1:
		b[i], b[i+1] = b[i+1], b[i]
	case verb == "remove" && i >= 0 && i < len(b):
		*blocks = append(b[:i], b[i+1:]...)
	default:
		return false
	}
	return true
}

// saveCampaign saves the editor's form, or applies one of its block
// buttons and shows the form again unsaved.
func (m *Module) saveCampaign(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	c, err := m.store.Campaign(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !c.Editable() {
		return newsletter.ErrNotEditable
	}
	f := r.PostForm
	c.French.Subject, c.French.Preheader = f.Get("subject"), f.Get("preheader")
	c.English.Subject, c.English.Preheader = f.Get("subject_en"), f.Get("preheader_en")
	c.French.Blocks, c.English.Blocks = m.formBlocks(r, ""), m.formBlocks(r, "en_")
	c.Lists = f["lists"]
	c.Measure, c.Archived = f.Get("measure") == "1", f.Get("archived") == "1"
	rate, err := strconv.Atoi(strings.TrimSpace(f.Get("rate")))
	if err != nil && strings.TrimSpace(f.Get("rate")) != "" {
		rate = -1
	}
	c.Rate = rate
	if action := f.Get("action"); action != "" {
		if applyAction(c, action) {
			return m.renderEditor(w, r, http.StatusOK, c, nil, "newsletter.edit.unsaved")
		}
	}
	err = m.store.SaveCampaign(r.Context(), c)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, fields, "")
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, "/gestion/lettre/campagnes/"+c.ID+"?enregistre=1")
}

// preview shows the email at a phone's and a computer's width.
func (m *Module) preview(w http.ResponseWriter, r *http.Request) error {
	c, err := m.store.Campaign(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("langue")
	if lang != "en" {
		lang = "fr"
	}
	width := 600
	if r.URL.Query().Get("largeur") == "320" {
		width = 320
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"C": c, "Lang": lang, "Width": width, "HasEnglish": !c.English.Empty()})
	p.Title = p.T("newsletter.preview.title", c.French.Subject)
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/preview", p)
	return nil
}

// previewEmail is the email itself, as the preview's frame shows it.
func (m *Module) previewEmail(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	c, err := m.store.Campaign(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	e, err := newsletter.Render(c, t, r.URL.Query().Get("langue"), newsletter.RenderOptions{BaseURL: m.baseURL(r)})
	if err != nil {
		return err
	}
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	return writeEmail(w, e)
}

// testSend mails the campaign to a few of the mairie's addresses.
func (m *Module) testSend(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, abuse.CampaignTest, ""); err != nil {
		return err
	}
	t := tenantOf(r)
	err := m.store.TestSend(r.Context(), t, r.PathValue("id"), strings.Split(r.PostForm.Get("to"), ","), r.PostForm.Get("lang"), m.baseURL(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		c, cerr := m.store.Campaign(r.Context(), t.ID, r.PathValue("id"))
		if cerr != nil {
			return cerr
		}
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, fields, "")
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "newsletter.campaign_tested", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, "/gestion/lettre/campagnes/"+r.PathValue("id")+"?essai=1")
}

// schedule sends the campaign now or at the date and time given.
func (m *Module) schedule(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenantOf(r)
	at, ok := publishingweb.LocalTime(r.PostForm, "send_date", "send_time", t.Location())
	var err error
	if !ok {
		err = guichet.Invalid(map[string]string{"send_date": m.s.Render.T(web.LangOf(r), "publishing.admin.bad_date")})
	} else {
		err = m.store.Schedule(r.Context(), t.ID, r.PathValue("id"), at, m.baseURL(r))
	}
	if fields := guichet.FieldErrors(err); fields != nil {
		c, cerr := m.store.Campaign(r.Context(), t.ID, r.PathValue("id"))
		if cerr != nil {
			return cerr
		}
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, fields, "")
	}
	return m.after(w, r, err, "newsletter.campaign_scheduled")
}

func (m *Module) unschedule(w http.ResponseWriter, r *http.Request) error {
	return m.after(w, r, m.store.Unschedule(r.Context(), tenantOf(r).ID, r.PathValue("id")), "newsletter.campaign_unscheduled")
}

func (m *Module) pause(w http.ResponseWriter, r *http.Request) error {
	return m.after(w, r, m.store.Pause(r.Context(), tenantOf(r).ID, r.PathValue("id")), "newsletter.campaign_paused")
}

func (m *Module) resume(w http.ResponseWriter, r *http.Request) error {
	return m.after(w, r, m.store.Resume(r.Context(), tenantOf(r).ID, r.PathValue("id"), m.baseURL(r)), "newsletter.campaign_resumed")
}

func (m *Module) cancel(w http.ResponseWriter, r *http.Request) error {
	return m.after(w, r, m.store.Cancel(r.Context(), tenantOf(r).ID, r.PathValue("id")), "newsletter.campaign_cancelled")
}

func (m *Module) deleteCampaign(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.DeleteCampaign(r.Context(), tenantOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "newsletter.campaign_deleted", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, "/gestion/lettre?supprime=1")
}

// after records a campaign's change and goes back to its page.
func (m *Module) after(w http.ResponseWriter, r *http.Request, err error, action string) error {
	if err != nil {
		return err
	}
	m.s.Record(r, action, r.PathValue("id"))
	return publishingweb.SeeOther(w, r, "/gestion/lettre/campagnes/"+r.PathValue("id")+"?enregistre=1")
}

// addImage stores a picture and adds its block to the campaign.
func (m *Module) addImage(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	c, err := m.store.Campaign(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !c.Editable() {
		return newsletter.ErrNotEditable
	}
	if err := web.ParseMultipart(w, r, imageBody, imageBody); err != nil {
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, map[string]string{"image": "L'envoi a échoué ou l'image dépasse 2 Mo."}, "")
	}
	alt := strings.TrimSpace(r.PostForm.Get("image_alt"))
	if alt == "" {
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, map[string]string{"image_alt": "Décrivez l'image pour les personnes qui ne la voient pas."}, "")
	}
	file, _, err := r.FormFile("image")
	if err != nil {
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, map[string]string{"image": "Choisissez une image."}, "")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, newsletter.MaxImage+1))
	if err != nil {
		return err
	}
	path, err := m.store.SaveImage(r.Context(), t.ID, data, m.k.CheckStorage)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, fields, "")
	}
	if err != nil {
		return err
	}
	block := newsletter.Block{Type: newsletter.BlockImage, Image: path, Alt: alt, Text: r.PostForm.Get("image_caption")}
	if r.PostForm.Get("image_version") == "en" {
		c.English.Blocks = append(c.English.Blocks, block)
	} else {
		c.French.Blocks = append(c.French.Blocks, block)
	}
	err = m.store.SaveCampaign(r.Context(), c)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderEditor(w, r, http.StatusUnprocessableEntity, c, fields, "")
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, "/gestion/lettre/campagnes/"+c.ID+"?enregistre=1")
}

// renderStatus shows a campaign being sent or sent: its progress and
// figures.
func (m *Module) renderStatus(w http.ResponseWriter, r *http.Request, c *newsletter.Campaign) error {
	t := tenantOf(r)
	breakdown, err := m.store.Breakdown(r.Context(), t.ID, c.ID)
	if err != nil {
		return err
	}
	var links []newsletter.LinkFigure
	if c.Measure {
		if links, err = m.store.Links(r.Context(), t.ID, c.ID); err != nil {
			return err
		}
	}
	loc, lang := t.Location(), web.LangOf(r)
	when := func(at *time.Time) string {
		if at == nil {
			return ""
		}
		return dateTime(at.In(loc), lang)
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"C": c, "Breakdown": breakdown, "Links": links,
		"Started": when(c.StartedAt), "Finished": when(c.FinishedAt), "Live": c.Status == newsletter.CampaignSending})
	p.Title = p.T("newsletter.status.title", c.French.Subject)
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/status", p)
	return nil
}

// progressState is what the progress bar reads after each event.
type progressState struct {
	Status  string `json:"status"`
	Label   string `json:"label"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
	Text    string `json:"text"`
}

// progress answers a campaign's figures as JSON, for its progress bar.
func (m *Module) progress(w http.ResponseWriter, r *http.Request) error {
	c, err := m.store.Campaign(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	st := progressState{Status: c.Status, Label: m.s.Render.T(lang, "newsletter.status."+c.Status), Done: c.Done(), Total: c.Total,
		Percent: c.Percent(), Text: m.s.Render.T(lang, "newsletter.status.progress", c.Done(), c.Total, c.Percent())}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(st)
}

// progressLive streams a campaign's progress events.
func (m *Module) progressLive(w http.ResponseWriter, r *http.Request) error {
	c, err := m.store.Campaign(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	events, cancel, err := m.k.Live.Subscribe(c.TenantID, progressTopic(c.ID))
	if err != nil {
		return err
	}
	defer cancel()
	return live.Stream(w, r, events)
}
