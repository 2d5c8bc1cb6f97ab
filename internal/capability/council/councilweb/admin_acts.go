package councilweb

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/council"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// adminActs lists every act, drafts first in the filter's choice.
func (m *Module) adminActs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := council.ActFilter{Status: q.Get("etat"), Kind: q.Get("type"), Limit: 50}
	if f.Status != council.Draft && f.Status != council.Published {
		f.Status = ""
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f.Offset = (page - 1) * f.Limit
	acts, total, err := m.store.Acts(r.Context(), tenantOf(r).ID, f)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("council.admin.acts")
	v := url.Values{}
	if f.Status != "" {
		v.Set("etat", f.Status)
	}
	prefix := AdminActs + "?"
	if len(v) > 0 {
		prefix += v.Encode() + "&"
	}
	p.Data = map[string]any{"Acts": acts, "Total": total, "Status": f.Status,
		"Pagination": map[string]any{"Page": p, "Current": page, "Total": (total + f.Limit - 1) / f.Limit, "URL": prefix + "page="}}
	m.s.Render.Page(w, r, http.StatusOK, "council/admin_acts", p)
	return nil
}

// actForm is a draft's editor, or a published act's page for staff with
// the way to rectify it.
func (m *Module) actForm(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	a := &council.Act{TenantID: t.ID, Kind: council.Deliberation, Outcome: council.Adopted, AdoptedOn: m.today(r)}
	if id := r.PathValue("id"); id != "" {
		var err error
		if a, err = m.store.Act(r.Context(), t.ID, id); err != nil {
			return err
		}
	} else {
		if k := r.URL.Query().Get("type"); k == council.Arrete || k == council.Decision {
			a.Kind = k
		}
		n, err := m.store.NextNumber(r.Context(), t.ID, a.Kind, a.AdoptedOn[:4])
		if err != nil {
			return err
		}
		a.Number = n
		if item := r.URL.Query().Get("point"); item != "" {
			a.ItemID = item
		}
	}
	return m.renderAct(w, r, http.StatusOK, a, actValues(a), nil)
}

// actValues fills the form from an act.
func actValues(a *council.Act) url.Values {
	v := url.Values{"kind": {a.Kind}, "number": {a.Number}, "adopted_on": {a.AdoptedOn}, "subject": {a.SubjectCode},
		"title": {a.Title}, "body": {a.Body}, "outcome": {a.Outcome}, "budget_year": {a.BudgetYear}, "budget_name": {a.BudgetName},
		"prefecture_id": {a.PrefectureID}, "transmitted_on": {a.TransmittedOn}, "online_until": {a.OnlineUntil},
		"session": {a.SessionID}, "item": {a.ItemID}}
	if x := a.Vote; x != nil {
		v.Set("in_office", strconv.Itoa(x.InOffice))
		v.Set("voters", strconv.Itoa(x.Voters))
		v.Set("votes_for", strconv.Itoa(x.For))
		v.Set("votes_against", strconv.Itoa(x.Against))
		v.Set("abstentions", strconv.Itoa(x.Abstentions))
		if x.Public {
			v.Set("public_ballot", "1")
			var lines []string
			for _, n := range x.Names {
				lines = append(lines, n.Name+" : "+n.Choice)
			}
			v.Set("names", strings.Join(lines, "\n"))
		}
	}
	return v
}

func (m *Module) renderAct(w http.ResponseWriter, r *http.Request, status int, a *council.Act, form url.Values, errs map[string]string) error {
	t := tenantOf(r)
	p := m.s.Render.NewPage(r, "", nil)
	kinds := []publishingweb.Option{}
	for _, k := range council.ActKinds {
		kinds = append(kinds, publishingweb.Option{Value: k, Label: p.T("council.kind." + k)})
	}
	subjects := []publishingweb.Option{}
	for _, s := range council.Subjects {
		subjects = append(subjects, publishingweb.Option{Value: s.Code, Label: s.Code + " – " + s.Matter + " / " + s.Name})
	}
	sessions, err := m.store.Sessions(r.Context(), t.ID)
	if err != nil {
		return err
	}
	sessionOpts, itemOpts := []publishingweb.Option{}, []publishingweb.Option{}
	for _, x := range sessions {
		day := m.sessionView(r, x).Day
		sessionOpts = append(sessionOpts, publishingweb.Option{Value: x.ID, Label: day})
		full, err := m.store.Session(r.Context(), t.ID, x.ID)
		if err != nil {
			return err
		}
		for _, it := range full.Items {
			itemOpts = append(itemOpts, publishingweb.Option{Value: it.ID, Label: fmt.Sprintf("%s – %d. %s", day, it.Position, it.Title)})
		}
	}
	outcomes := []publishingweb.Option{{Value: council.Adopted, Label: p.T("council.outcome.adopted")},
		{Value: council.Rejected, Label: p.T("council.outcome.rejected")}}
	p.Data = map[string]any{"Act": a, "View": m.actView(r, a), "Kinds": kinds, "Subjects": subjects, "Sessions": sessionOpts,
		"Items": itemOpts, "Outcomes": outcomes, "Published": a.Status == council.Published, "Saved": r.URL.Query().Get("enregistre") == "1"}
	switch {
	case a.Status == council.Published:
		p.Title = council.KindLabel(a.Kind) + " n° " + a.Number
	case a.ID == "":
		p.Title = p.T("council.admin.new_act")
	default:
		p.Title = p.T("council.admin.edit_act", a.Number)
	}
	p.Errors, p.Form = errs, form
	m.s.Render.Page(w, r, status, "council/admin_act", p)
	return nil
}

// readAct reads the form into a.
func readAct(r *http.Request, a *council.Act) map[string]string {
	f := r.PostForm
	errs := map[string]string{}
	a.Kind, a.Number, a.AdoptedOn, a.SubjectCode = f.Get("kind"), f.Get("number"), f.Get("adopted_on"), f.Get("subject")
	a.Title, a.Body, a.Outcome = f.Get("title"), f.Get("body"), f.Get("outcome")
	a.BudgetYear, a.BudgetName, a.PrefectureID = f.Get("budget_year"), f.Get("budget_name"), f.Get("prefecture_id")
	a.TransmittedOn, a.OnlineUntil = f.Get("transmitted_on"), f.Get("online_until")
	a.SessionID, a.ItemID = f.Get("session"), f.Get("item")
	a.Vote = nil
	if a.Kind != council.Deliberation {
		return errs
	}
	num := func(name string) int {
		v, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
		if err != nil && errs[name] == "" {
			errs[name] = "Indiquez un nombre."
		}
		return v
	}
	v := &council.Vote{InOffice: num("in_office"), Voters: num("voters"), For: num("votes_for"), Against: num("votes_against"),
		Abstentions: num("abstentions"), Public: f.Get("public_ballot") == "1"}
	if v.Public {
		for _, line := range strings.Split(f.Get("names"), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			name, choice, _ := strings.Cut(line, ":")
			v.Names = append(v.Names, council.NamedVote{Name: strings.TrimSpace(name), Choice: strings.ToLower(strings.TrimSpace(choice))})
		}
	}
	a.Vote = v
	return errs
}

// readUpload stores the form's PDF, if one was sent.
func (m *Module) readUpload(r *http.Request, tenantID string) (*council.File, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return nil, nil // no file chosen
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, council.MaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, nil
	}
	return m.store.SaveFile(r.Context(), tenantID, head.Filename, body)
}

// saveAct saves a draft, its PDF included.
func (m *Module) saveAct(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	a := &council.Act{TenantID: t.ID}
	if id := r.PathValue("id"); id != "" {
		var err error
		if a, err = m.store.Act(r.Context(), t.ID, id); err != nil {
			return err
		}
		if a.Status == council.Published {
			return council.ErrPublished
		}
	}
	if err := web.ParseMultipart(w, r, uploadBody, uploadBody); err != nil {
		return m.renderAct(w, r, http.StatusUnprocessableEntity, a, url.Values{},
			map[string]string{"file": "L'envoi a échoué ou le fichier dépasse 20 Mo."})
	}
	errs := readAct(r, a)
	if a.ItemID != "" && a.SessionID == "" {
		a.SessionID = m.sessionOfItem(r, a.ItemID)
	}
	if len(errs) == 0 {
		f, err := m.readUpload(r, t.ID)
		if err != nil {
			errs = guichet.FieldErrors(err)
			if errs == nil {
				return err
			}
		} else if f != nil {
			a.FileID = f.ID
		}
	}
	if len(errs) > 0 {
		return m.renderAct(w, r, http.StatusUnprocessableEntity, a, r.PostForm, errs)
	}
	err := m.store.SaveAct(r.Context(), a, publishingweb.Author(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAct(w, r, http.StatusUnprocessableEntity, a, r.PostForm, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "council.act_save", a.Number)
	return publishingweb.SeeOther(w, r, AdminActs+"/"+a.ID+"?enregistre=1")
}

// sessionOfItem finds the session of an agenda item.
func (m *Module) sessionOfItem(r *http.Request, itemID string) string {
	id, _ := m.store.ItemSession(r.Context(), tenantOf(r).ID, itemID)
	return id
}

// publishAct publishes a draft: it is frozen from then on.
func (m *Module) publishAct(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	a, err := m.store.Publish(r.Context(), t.ID, r.PathValue("id"), publishingweb.Author(r), m.baseURL(r), loc(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		draft, err := m.store.Act(r.Context(), t.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		return m.renderAct(w, r, http.StatusUnprocessableEntity, draft, actValues(draft), fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "council.act_publish", a.Number)
	return publishingweb.SeeOther(w, r, AdminActs+"/"+a.ID+"?enregistre=1")
}

// rectifyAct starts the draft that corrects a published act.
func (m *Module) rectifyAct(w http.ResponseWriter, r *http.Request) error {
	a, err := m.store.Rectify(r.Context(), tenantOf(r).ID, r.PathValue("id"), publishingweb.Author(r), loc(r))
	if err != nil {
		return err
	}
	m.s.Record(r, "council.act_rectify", a.Number)
	return publishingweb.SeeOther(w, r, AdminActs+"/"+a.ID)
}
