package councilweb

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/council"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
	"guichet/internal/publishing/search"
)

// sitemap lists the council's pages, its sessions and its latest acts.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	out := []string{CouncilPath, ActsPath, DataPath}
	sessions, err := m.store.Sessions(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range sessions {
		out = append(out, CouncilPath+"/seances/"+x.ID)
	}
	acts, _, err := m.store.PublicActs(ctx, t.ID, m.store.Now().In(t.Location()).Format(council.DateLayout), council.ActFilter{Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		out = append(out, a.URL())
	}
	return out, nil
}

// memberView is a member as the council's page shows them.
type memberView struct {
	*council.Member
	RoleLabel string
}

func (m *Module) memberViews(p *web.Page, list []*council.Member) []memberView {
	out := make([]memberView, len(list))
	for i, x := range list {
		label := p.T("council.role." + x.Role)
		switch {
		case x.Role == council.Deputy && x.Rank == 1:
			label = p.T("council.role.first_deputy")
		case x.Role == council.Deputy && x.Rank > 1:
			label = p.T("council.role.deputy_rank", x.Rank)
		}
		out[i] = memberView{x, label}
	}
	return out
}

// sessionView is a session with its dates in the collectivité's zone.
type sessionView struct {
	*council.Session
	When, Day string
	Upcoming  bool
}

func (m *Module) sessionView(r *http.Request, x *council.Session) sessionView {
	at, lang := x.StartsAt.In(loc(r)), web.LangOf(r)
	return sessionView{x, guichet.LongDate(at, lang) + " " + at.Format("15:04"), guichet.Date(at, lang), x.StartsAt.After(m.store.Now())}
}

// councilPage shows the members in office and the sessions.
func (m *Module) councilPage(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	p := m.s.Render.NewPage(r, "", nil)
	data, err := invalidate.Memoized(m.cache, t.ID, "council|"+p.Lang, func() (map[string]any, error) {
		members, err := m.store.MembersOn(r.Context(), t.ID, m.today(r))
		if err != nil {
			return nil, err
		}
		sessions, err := m.store.Sessions(r.Context(), t.ID)
		if err != nil {
			return nil, err
		}
		var upcoming, past []sessionView
		for _, x := range sessions {
			v := m.sessionView(r, x)
			if v.Upcoming {
				upcoming = append([]sessionView{v}, upcoming...)
			} else {
				past = append(past, v)
			}
		}
		return map[string]any{"Members": m.memberViews(p, members), "Upcoming": upcoming, "Past": past}, nil
	})
	if err != nil {
		return err
	}
	p.Title, p.Data = p.T("council.title"), data
	m.s.Render.PageData(w, r, "council/council", p)
	return nil
}

// sessionPage shows a session: convocation, agenda with reports and
// annexes, attendance, the list of deliberations once published and the
// minutes once published.
func (m *Module) sessionPage(w http.ResponseWriter, r *http.Request) error {
	t, id := tenantOf(r), r.PathValue("id")
	p := m.s.Render.NewPage(r, "", nil)
	data, err := invalidate.Memoized(m.cache, t.ID, "session|"+p.Lang+"|"+id, func() (map[string]any, error) {
		x, err := m.store.Session(r.Context(), t.ID, id)
		if err != nil {
			return nil, err
		}
		data, err := m.sessionData(r, p, x, true)
		if err != nil {
			return nil, err
		}
		title := p.T("council.session.title", data["View"].(sessionView).Day)
		data["Title"] = title
		data["Crumbs"] = []crumb{{p.T("council.title"), CouncilPath}, {title, CouncilPath + "/seances/" + x.ID}}
		return data, nil
	})
	if err != nil {
		return err
	}
	p.Title, p.Data = data["Title"].(string), data
	m.s.Render.PageData(w, r, "council/session", p)
	return nil
}

// crumb is a step of the breadcrumbs.
type crumb struct{ Label, URL string }

// attendanceRow is one member's presence at a session.
type attendanceRow struct {
	Member       memberView
	Status, With string
}

// sessionData gathers what a session's pages show; public leaves out
// the deliberations until their list is published.
func (m *Module) sessionData(r *http.Request, p *web.Page, x *council.Session, public bool) (map[string]any, error) {
	t := tenantOf(r)
	members, err := m.store.MembersOn(r.Context(), t.ID, x.Day(loc(r)))
	if err != nil {
		return nil, err
	}
	views := m.memberViews(p, members)
	names := map[string]string{}
	for _, v := range views {
		names[v.ID] = v.Name
	}
	var rows []attendanceRow
	if x.Held {
		for _, v := range views {
			a := x.Attendance[v.ID]
			rows = append(rows, attendanceRow{Member: v, Status: a.Status, With: names[a.ProxyID]})
		}
	}
	data := map[string]any{"View": m.sessionView(r, x), "President": names[x.PresidentID], "Secretary": names[x.SecretaryID],
		"Attendance": rows, "Quorum": council.QuorumOf(x, len(members))}
	if x.ConvenedOn != "" {
		if d, err := council.ParseDate(x.ConvenedOn); err == nil {
			data["ConvenedOn"] = guichet.Date(d, web.LangOf(r))
		}
	}
	if x.ListPublishedAt != nil || !public {
		acts, _, err := m.store.Acts(r.Context(), t.ID, council.ActFilter{SessionID: x.ID, Kind: council.Deliberation, Limit: 500})
		if err != nil {
			return nil, err
		}
		if public {
			acts = slices.DeleteFunc(acts, func(a *council.Act) bool { return a.Status != council.Published })
		}
		data["Acts"] = acts
	}
	if x.Minutes.PublishedAt != nil {
		f, err := m.store.FileInfo(r.Context(), t.ID, x.Minutes.FileID)
		if err != nil {
			return nil, err
		}
		data["MinutesFile"] = f
		data["MinutesHTML"] = publishing.HTML(x.Minutes.Text)
		data["MinutesPublished"] = publishingweb.Stamp(r, *x.Minutes.PublishedAt)
	}
	if x.ListPublishedAt != nil {
		data["ListPublished"] = publishingweb.Stamp(r, *x.ListPublishedAt)
	}
	return data, nil
}

// actsPage lists the acts online, filtered by kind, year, subject and
// session, or the acts a search finds (their PDFs' text included).
func (m *Module) actsPage(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	q := r.URL.Query()
	f := council.ActFilter{Kind: q.Get("type"), Year: q.Get("annee"), Matter: q.Get("matiere"), SessionID: q.Get("seance"), Limit: 20}
	if !slices.Contains(council.ActKinds, f.Kind) {
		f.Kind = ""
	}
	if len(f.Year) != 4 || strings.Trim(f.Year, "0123456789") != "" {
		f.Year = ""
	}
	if len(f.Matter) != 1 || f.Matter < "1" || f.Matter > "9" {
		f.Matter = ""
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f.Offset = (page - 1) * f.Limit
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("council.acts.title")
	data := map[string]any{"Query": q.Get("q")}
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		if len(text) > 200 {
			text = text[:200]
		}
		res, err := m.store.Search.Search(r.Context(), search.Query{TenantID: t.ID, Text: text, Kinds: []string{council.Kind}, Limit: 20,
			After: q.Get("apres")})
		if err != nil {
			return err
		}
		data["Hits"], data["Searched"] = res.Hits, true
		if res.Next != "" {
			data["NextHits"] = ActsPath + "?" + url.Values{"q": {text}, "apres": {res.Next}}.Encode()
		}
		if res.Corrected != "" {
			data["Corrected"] = res.Corrected
		}
	} else {
		type listed struct {
			acts  []*council.Act
			total int
		}
		l, err := invalidate.Memoized(m.cache, t.ID, fmt.Sprintf("acts|%s|%d", filterQuery(f), page), func() (listed, error) {
			acts, total, err := m.store.PublicActs(r.Context(), t.ID, m.today(r), f)
			return listed{acts, total}, err
		})
		if err != nil {
			return err
		}
		data["Acts"], data["Total"] = l.acts, l.total
		pages := (l.total + f.Limit - 1) / f.Limit
		data["Pagination"] = pagination{Current: page, Total: pages, URL: ActsPath + "?" + filterQuery(f) + "page="}
	}
	type choices struct {
		years    []string
		sessions []*council.Session
	}
	c, err := invalidate.Memoized(m.cache, t.ID, "acts-choices", func() (choices, error) {
		years, err := m.store.Years(r.Context(), t.ID)
		if err != nil {
			return choices{}, err
		}
		sessions, err := m.store.Sessions(r.Context(), t.ID)
		return choices{years, sessions}, err
	})
	if err != nil {
		return err
	}
	years, sessions := c.years, c.sessions
	kinds := []publishingweb.Option{}
	for _, k := range council.ActKinds {
		kinds = append(kinds, publishingweb.Option{Value: k, Label: p.T("council.kind." + k)})
	}
	matters := []publishingweb.Option{}
	for i, name := range council.Matters {
		matters = append(matters, publishingweb.Option{Value: strconv.Itoa(i + 1), Label: fmt.Sprintf("%d – %s", i+1, name)})
	}
	yearOpts := []publishingweb.Option{}
	for _, y := range years {
		yearOpts = append(yearOpts, publishingweb.Option{Value: y, Label: y})
	}
	sessionOpts := []publishingweb.Option{}
	for _, x := range sessions {
		if x.Held {
			sessionOpts = append(sessionOpts, publishingweb.Option{Value: x.ID, Label: m.sessionView(r, x).Day})
		}
	}
	data["Kinds"], data["Matters"], data["Years"], data["Sessions"] = kinds, matters, yearOpts, sessionOpts
	data["Filter"] = f
	p.Data = data
	m.s.Render.PageData(w, r, "council/acts", p)
	return nil
}

// pagination is where a list stands, for the "pagination" partial.
type pagination struct {
	Current, Total int
	URL            string
}

func filterQuery(f council.ActFilter) string {
	v := url.Values{}
	for k, x := range map[string]string{"type": f.Kind, "annee": f.Year, "matiere": f.Matter, "seance": f.SessionID} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return v.Encode() + "&"
}

// actView is an act with what its page writes out.
type actView struct {
	*council.Act
	KindLabel, Adopted, Published, Transmitted string
	Subject                                    council.Subject
	HTML                                       template.HTML
}

func (m *Module) actView(r *http.Request, a *council.Act) actView {
	lang := web.LangOf(r)
	v := actView{Act: a, KindLabel: council.KindLabel(a.Kind), Subject: a.Subject(), HTML: publishing.HTML(a.Body)}
	if d, err := council.ParseDate(a.AdoptedOn); err == nil {
		v.Adopted = guichet.Date(d, lang)
	}
	if d, err := council.ParseDate(a.TransmittedOn); err == nil {
		v.Transmitted = guichet.Date(d, lang)
	}
	if a.PublishedAt != nil {
		v.Published = publishingweb.Stamp(r, *a.PublishedAt)
	}
	return v
}

// actPage shows a published act in full, its accessible text, its PDF
// with the SHA-256, the date of posting, and its rectifications.
func (m *Module) actPage(w http.ResponseWriter, r *http.Request) error {
	t, slug := tenantOf(r), r.PathValue("slug")
	p := m.s.Render.NewPage(r, "", nil)
	data, err := invalidate.Memoized(m.cache, t.ID, "act|"+p.Lang+"|"+slug, func() (map[string]any, error) {
		a, err := m.store.PublicAct(r.Context(), t.ID, slug, m.today(r))
		if err != nil {
			return nil, err
		}
		data := map[string]any{"Act": m.actView(r, a), "Title": council.KindLabel(a.Kind) + " n° " + a.Number + " – " + a.Title}
		if a.SessionID != "" {
			if x, err := m.store.Session(r.Context(), a.TenantID, a.SessionID); err == nil {
				data["Session"] = m.sessionView(r, x)
			}
		}
		return data, nil
	})
	if err != nil {
		return err
	}
	p.Title, p.Data = data["Title"].(string), data
	m.s.Render.PageData(w, r, "council/act", p)
	return nil
}

// actPDF sends a published act's PDF.
func (m *Module) actPDF(w http.ResponseWriter, r *http.Request) error {
	a, err := m.store.PublicAct(r.Context(), tenantOf(r).ID, r.PathValue("slug"), m.today(r))
	if err != nil {
		return err
	}
	return m.sendFile(w, r, a.File, true)
}

// publicFile sends a session's document, published minutes or a
// published act's file.
func (m *Module) publicFile(w http.ResponseWriter, r *http.Request) error {
	f, err := m.store.PublicFile(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.sendFile(w, r, f, true)
}

func (m *Module) sendFile(w http.ResponseWriter, r *http.Request, f *council.File, public bool) error {
	if f == nil {
		return council.ErrNotFound
	}
	body, err := m.store.OpenFile(r.Context(), f)
	if err != nil {
		return err
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(f.Name))
	if public {
		// A file never changes once stored: its id names one content.
		h.Set("Cache-Control", "public, max-age=86400, immutable")
	}
	h.Set("ETag", `"sha256-`+f.SHA256+`"`)
	_, err = io.Copy(w, body)
	return err
}

// feed is the Atom feed of the latest published acts.
func (m *Module) feed(w http.ResponseWriter, r *http.Request) error {
	t, base := tenantOf(r), m.baseURL(r)
	// Read by feed readers every few minutes: shared for pageTTL by every
	// reader of the same address.
	doc, err := invalidate.Memoized(m.cache, t.ID, "atom|"+base, func() ([]byte, error) { return m.atom(r, t, base) })
	if err != nil {
		return err
	}
	return publishingweb.WriteAtomBytes(w, doc)
}

// atom is the Atom document of the latest published acts.
func (m *Module) atom(r *http.Request, t *tenant.Tenant, base string) ([]byte, error) {
	acts, _, err := m.store.PublicActs(r.Context(), t.ID, m.today(r), council.ActFilter{Limit: 50})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(acts, func(a, b *council.Act) int { return b.PublishedAt.Compare(*a.PublishedAt) })
	f := &publishingweb.AtomFeed{Lang: "fr", ID: base + ActsPath, Title: t.Name + " – " + m.s.Render.T("fr", "council.acts.title"),
		Author: publishingweb.AtomPerson{Name: t.Name}, Updated: publishingweb.RFC3339(t.UpdatedAt),
		Links: []publishingweb.AtomLink{{Rel: "self", Type: "application/atom+xml", Href: base + ActsPath + "/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + ActsPath}}}
	for i, a := range acts {
		if i == 0 {
			f.Updated = publishingweb.RFC3339(*a.PublishedAt)
		}
		sub := a.Subject()
		f.Entries = append(f.Entries, publishingweb.AtomEntry{ID: "urn:uuid:" + a.ID,
			Title:   council.KindLabel(a.Kind) + " n° " + a.Number + " – " + a.Title,
			Updated: publishingweb.RFC3339(*a.PublishedAt), Published: publishingweb.RFC3339(*a.PublishedAt),
			Link:     publishingweb.AtomLink{Rel: "alternate", Type: "text/html", Href: base + a.URL()},
			Category: &publishingweb.AtomCategory{Term: sub.Code, Label: sub.Label()},
			Content:  &publishingweb.AtomText{Type: "html", Body: string(publishing.HTML(a.Body))}})
	}
	return publishingweb.AtomBytes(f)
}

// follow records an address that wants new acts by email.
func (m *Module) follow(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.s.Limit(r, abuse.ActsSubscription, r.PostForm.Get("email")); err != nil {
		return err
	}
	err := m.store.Follow(r.Context(), tenantOf(r).ID, r.PostForm.Get("email"), m.baseURL(r), web.LangOf(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		p := m.s.Render.NewPage(r, "", nil)
		p.Title, p.Errors, p.Form = p.T("council.follow.title"), fields, r.PostForm
		m.s.Render.Page(w, r, http.StatusUnprocessableEntity, "council/follow", p)
		return nil
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "council.follow.sent_title", "council.follow.sent")
}

// followConfirmForm is the emailed link's page: opening it changes
// nothing (mail scanners open links); its button confirms.
func (m *Module) followConfirmForm(w http.ResponseWriter, r *http.Request) error {
	email, confirmed, err := m.store.FollowerByLink(r.Context(), tenantOf(r).ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	if confirmed {
		return publishingweb.Message(m.s, w, r, "council.follow.already_title", "council.follow.confirmed")
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("council.follow.confirm_title")
	p.Data = map[string]any{"Email": email, "Action": ActsPath + "/suivre/confirmer/" + r.PathValue("token")}
	m.s.Render.Page(w, r, http.StatusOK, "council/follow_confirm", p)
	return nil
}

func (m *Module) followConfirm(w http.ResponseWriter, r *http.Request) error {
	err := m.store.ConfirmFollower(r.Context(), tenantOf(r).ID, r.PathValue("token"))
	if errors.Is(err, council.ErrFollowConfirmed) {
		return publishingweb.Message(m.s, w, r, "council.follow.already_title", "council.follow.confirmed")
	}
	if err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "council.follow.done_title", "council.follow.done")
}

func (m *Module) unfollowForm(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("council.unfollow.title")
	p.Data = map[string]any{"Action": ActsPath + "/suivre/arreter/" + r.PathValue("token")}
	m.s.Render.Page(w, r, http.StatusOK, "council/unfollow", p)
	return nil
}

func (m *Module) unfollow(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.Unfollow(r.Context(), tenantOf(r).ID, r.PathValue("token")); err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "council.unfollow.done_title", "council.unfollow.done")
}
