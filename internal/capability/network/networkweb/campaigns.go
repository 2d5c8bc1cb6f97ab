package networkweb

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/kernel"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// campaigns lists the campaigns sent and offers a new one, its target
// chosen in the query when a page links to it (?groupe=B, ?categorie=…).
func (m *Module) campaigns(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	r.PostForm = map[string][]string{"kind": {network.Message}, "target": {network.TargetCluster}}
	if g := q.Get("groupe"); g != "" {
		r.PostForm.Set("cluster", g)
	}
	if c := q.Get("categorie"); c != "" {
		r.PostForm.Set("target", network.TargetCategory)
		r.PostForm.Set("category", c)
	}
	return m.renderCampaigns(w, r, http.StatusOK, nil)
}

func (m *Module) renderCampaigns(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx, t := r.Context(), tenantOf(r)
	list, err := m.store.Campaigns(ctx, t.ID, 100)
	if err != nil {
		return err
	}
	v, err := m.view(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	n := present(p, v, nil)
	data, err := m.campaignForm(r, p, n)
	if err != nil {
		return err
	}
	var sent []campaignRow
	for _, c := range list {
		sent = append(sent, m.campaignRow(r, p, c))
	}
	data["Sent"] = sent
	p.Data, p.Errors, p.Form = data, errs, r.PostForm
	p.Title = p.T("network.campaigns.title")
	m.s.Render.Page(w, r, status, "network/campaigns", p)
	return nil
}

// campaignRow is a campaign as the list writes it.
type campaignRow struct {
	*network.Campaign
	Sent, KindLabel, TargetLabel string
}

func (m *Module) campaignRow(r *http.Request, p *web.Page, c *network.Campaign) campaignRow {
	return campaignRow{Campaign: c, Sent: guichet.Date(c.Sent.In(loc(r)), p.Lang), KindLabel: p.T("network.campaign_kind." + c.Kind),
		TargetLabel: c.TargetLabel}
}

// campaignForm is what the campaign's form offers: the clusters, the
// categories, the organisations and the agenda's coming events.
func (m *Module) campaignForm(r *http.Request, p *web.Page, n *networkPage) (map[string]any, error) {
	var clusters, categories, targets, kinds []option
	for _, c := range n.Clusters {
		clusters = append(clusters, option{c.Letter, p.T("network.campaigns.cluster_option", c.Letter, c.Around(), len(c.Members))})
	}
	for _, c := range kernel.DirectoryCategories {
		if slices.ContainsFunc(n.Orgs, func(o *orgView) bool { return o.CategoryKey == c }) {
			categories = append(categories, option{c, p.T("network.category." + c)})
		}
	}
	for _, k := range []string{network.TargetCluster, network.TargetCategory, network.TargetSelection} {
		targets = append(targets, option{k, p.T("network.target." + k)})
	}
	for _, k := range []string{network.Message, network.Invitation} {
		kinds = append(kinds, option{k, p.T("network.campaign_kind." + k)})
	}
	events, err := m.comingEvents(r)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Net": n, "Clusters": clusters, "Categories": categories, "Targets": targets, "Kinds": kinds,
		"Events": events, "Orgs": n.orgOptions(""), "Chosen": r.PostForm["orgs"]}, nil
}

// comingEvents lists the agenda's events to come, soonest first.
func (m *Module) comingEvents(r *http.Request) ([]option, error) {
	src, ok := m.k.PublicationsOf("event")
	if !ok {
		return nil, nil
	}
	now := m.store.Now()
	list, err := src.Recent(r.Context(), tenantOf(r).ID, now, 200)
	if err != nil {
		return nil, err
	}
	list = slices.DeleteFunc(list, func(e kernel.Publication) bool { return e.Starts.Before(now) })
	slices.SortStableFunc(list, func(a, b kernel.Publication) int { return a.Starts.Compare(b.Starts) })
	var out []option
	for _, e := range list[:min(len(list), 40)] {
		out = append(out, option{e.ID, guichet.Date(e.Starts.In(loc(r)), web.LangOf(r)) + " – " + e.Title})
	}
	return out, nil
}

// draft reads the campaign in the form and the organisations it targets;
// errs are the form's.
func (m *Module) draft(r *http.Request, p *web.Page, n *networkPage) (*network.Campaign, []network.DirectoryEntry, map[string]string, error) {
	f := r.PostForm
	t := tenantOf(r)
	c := &network.Campaign{TenantID: t.ID, Kind: f.Get("kind"), Subject: f.Get("subject"), Body: f.Get("body"),
		TargetKind: f.Get("target"), Place: f.Get("place"), Author: author(r)}
	errs := map[string]string{}
	var chosen []*orgView
	switch c.TargetKind {
	case network.TargetCluster:
		i := slices.IndexFunc(n.Clusters, func(cv *clusterView) bool { return cv.Letter == f.Get("cluster") })
		if i < 0 {
			errs["cluster"] = "Choisissez un groupe."
			break
		}
		chosen, c.TargetLabel = n.Clusters[i].Members, p.T("network.campaigns.cluster_target", n.Clusters[i].Letter, n.Clusters[i].Around())
	case network.TargetCategory:
		cat := f.Get("category")
		for _, o := range n.Orgs {
			if o.CategoryKey == cat {
				chosen = append(chosen, o)
			}
		}
		if len(chosen) == 0 || !slices.Contains(kernel.DirectoryCategories, cat) {
			errs["category"] = "Choisissez une catégorie qui compte des organisations."
			break
		}
		c.TargetLabel = p.T("network.campaigns.category_target", p.T("network.category."+cat))
	case network.TargetSelection:
		for _, id := range f["orgs"] {
			if o := n.org(id); o != nil && !slices.Contains(chosen, o) {
				chosen = append(chosen, o)
			}
		}
		if len(chosen) == 0 {
			errs["orgs"] = "Cochez au moins une organisation."
			break
		}
		names := make([]string, len(chosen))
		for i, o := range chosen {
			names[i] = o.Name
		}
		c.TargetLabel = strings.Join(names, ", ")
		// A previewed cluster or category is sent as the organisations
		// the preview listed, under its own name.
		if k, label := f.Get("target_kind"), strings.TrimSpace(f.Get("target_label")); label != "" &&
			(k == network.TargetCluster || k == network.TargetCategory) {
			c.TargetKind, c.TargetLabel = k, label
		}
	default:
		errs["target"] = "Choisissez à qui écrire."
	}
	if c.Kind == network.Invitation {
		if err := m.invitation(r, c, errs); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := c.Validate(m.store.Now()); err != nil {
		for k, v := range guichet.FieldErrors(err) {
			if errs[k] == "" {
				errs[k] = v
			}
		}
	}
	slices.SortFunc(chosen, func(a, b *orgView) int { return cmp.Compare(a.index, b.index) })
	v, err := m.view(r)
	if err != nil {
		return nil, nil, nil, err
	}
	orgs := make([]network.DirectoryEntry, len(chosen))
	for i, o := range chosen {
		orgs[i] = v.Orgs[o.index]
	}
	return c, orgs, errs, nil
}

// invitation reads what the campaign invites to: an event of the agenda,
// or a date and time.
func (m *Module) invitation(r *http.Request, c *network.Campaign, errs map[string]string) error {
	f := r.PostForm
	if id := f.Get("event"); id != "" {
		src, ok := m.k.PublicationsOf("event")
		if !ok {
			errs["event"] = "Cet événement n'est plus à l'agenda."
			return nil
		}
		e, err := src.Get(r.Context(), tenantOf(r).ID, id, m.store.Now())
		if guichet.ErrorCode(err) == guichet.ENotFound {
			errs["event"] = "Cet événement n'est plus à l'agenda."
			return nil
		}
		if err != nil {
			return err
		}
		starts := e.Starts
		c.EventID, c.EventTitle, c.EventPath, c.EventAt = e.ID, e.Title, e.Path, &starts
		if c.Place == "" {
			c.Place = e.Place
		}
		return nil
	}
	day, hour := strings.TrimSpace(f.Get("event_date")), strings.TrimSpace(f.Get("event_time"))
	if day == "" {
		return nil // Validate asks for an event or a date
	}
	if hour == "" {
		hour = "18:00"
	}
	at, err := time.ParseInLocation(time.DateOnly+" 15:04", day+" "+hour, loc(r))
	if err != nil {
		errs["event_date"] = "Indiquez la date au format 2026-06-20 et l'heure au format 18:30."
		return nil
	}
	c.EventAt = &at
	return nil
}

// preview shows the campaign as it will leave, and to whom, before it is
// sent.
func (m *Module) preview(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	v, err := m.view(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	n := present(p, v, nil)
	c, orgs, errs, err := m.draft(r, p, n)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return m.renderCampaigns(w, r, http.StatusUnprocessableEntity, errs)
	}
	to, err := m.store.Recipients(r.Context(), tenantOf(r).ID, orgs)
	if err != nil {
		return err
	}
	data, err := m.campaignForm(r, p, n)
	if err != nil {
		return err
	}
	ids := make([]string, len(orgs))
	without := []string{}
	for i, o := range orgs {
		ids[i] = o.ID
		if !slices.ContainsFunc(to, func(rc network.Recipient) bool { return rc.EntryID == o.ID }) {
			without = append(without, o.Name)
		}
	}
	mailData := c.MailData(to0(to), network.Site{URL: m.s.SiteURL(r, tenantOf(r)), Loc: loc(r)})
	mailData["TenantName"], mailData["Tenant"], mailData["To"], mailData["Lang"] = tenantOf(r).Name, tenantOf(r), to0(to).Email, "fr"
	text, err := m.k.Mail.Templates().Render("network/campaign", "fr", mailData)
	if err != nil {
		return err
	}
	data["Campaign"], data["Recipients"], data["Without"], data["OrgIDs"], data["Mail"] = c, to, without, ids, text
	p.Data, p.Form = data, r.PostForm
	p.Title = p.T("network.preview.title")
	m.s.Render.Page(w, r, http.StatusOK, "network/preview", p)
	return nil
}

// to0 is the first recipient, or a made-up one for the preview of a
// campaign that reaches nobody.
func to0(to []network.Recipient) network.Recipient {
	if len(to) > 0 {
		return to[0]
	}
	return network.Recipient{EntryName: "…", Email: "exemple@exemple.fr"}
}

// send sends a previewed campaign to the organisations the preview
// listed.
func (m *Module) send(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	v, err := m.view(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	n := present(p, v, nil)
	c, orgs, errs, err := m.draft(r, p, n)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return m.renderCampaigns(w, r, http.StatusUnprocessableEntity, errs)
	}
	to, err := m.store.Recipients(r.Context(), tenantOf(r).ID, orgs)
	if err != nil {
		return err
	}
	if err := m.s.Limit(r, CampaignLimit, ""); err != nil {
		return err
	}
	err = m.store.Send(r.Context(), c, to, network.Site{URL: m.s.SiteURL(r, tenantOf(r)), Loc: loc(r)})
	if errs := guichet.FieldErrors(err); errs != nil {
		return m.renderCampaigns(w, r, http.StatusUnprocessableEntity, errs)
	}
	if guichet.ErrorCode(err) == guichet.EInvalid {
		return m.renderCampaigns(w, r, http.StatusUnprocessableEntity, map[string]string{"target": guichet.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "network.campaign_sent", c.ID)
	return publishingweb.SeeOther(w, r, CampaignsPath+"/"+c.ID+"?envoyee=1")
}

// campaign shows a campaign sent and who received it.
func (m *Module) campaign(w http.ResponseWriter, r *http.Request) error {
	c, to, err := m.store.Campaign(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	row := m.campaignRow(r, p, c)
	when := ""
	if c.EventAt != nil {
		when = guichet.LongDate(c.EventAt.In(loc(r)), p.Lang) + " " + c.EventAt.In(loc(r)).Format("15:04")
	}
	p.Data = map[string]any{"Campaign": row, "Recipients": to, "When": when}
	p.Title = c.Subject
	if r.URL.Query().Get("envoyee") != "" {
		p.Notice = p.N("network.campaign.sent", len(to))
	}
	m.s.Render.Page(w, r, http.StatusOK, "network/campaign", p)
	return nil
}
