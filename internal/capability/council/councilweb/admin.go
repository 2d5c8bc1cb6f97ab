package councilweb

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/council"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// dutyView is a deadline as the secretary's page shows it.
type dutyView struct {
	council.Duty
	Label, Legal, Due string
	Session           sessionView
}

// adminHome is the secretary's page: what is due and when, the sessions,
// and the way to the members and acts.
func (m *Module) adminHome(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminHome(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminHome(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenantOf(r)
	duties, err := m.store.Duties(r.Context(), t.ID, loc(r), guichet.AlsaceMoselle(t.INSEE))
	if err != nil {
		return err
	}
	sessions, err := m.store.Sessions(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	var dv []dutyView
	for _, d := range duties {
		dv = append(dv, dutyView{Duty: d, Label: p.T("council.duty." + d.What), Legal: guichet.LongDate(d.Legal, "fr"),
			Due: guichet.LongDate(d.Due, "fr"), Session: m.sessionView(r, d.Session)})
	}
	var sv []sessionView
	for _, x := range sessions {
		sv = append(sv, m.sessionView(r, x))
	}
	followers, err := m.store.FollowerCount(r.Context(), t.ID)
	if err != nil {
		return err
	}
	_, drafts, err := m.store.Acts(r.Context(), t.ID, council.ActFilter{Status: council.Draft, Limit: 1})
	if err != nil {
		return err
	}
	p.Title = p.T("council.admin.title")
	p.Data = map[string]any{"Duties": dv, "Sessions": sv, "Followers": followers, "Drafts": drafts, "Kinds": sessionKindOptions(p)}
	p.Errors, p.Form = errs, r.PostForm
	if r.Method == http.MethodGet {
		p.Form = map[string][]string{"kind": {"ordinaire"}, "time": {"18:30"}, "place": {"Salle du conseil municipal"}}
	}
	m.s.Render.Page(w, r, status, "council/admin", p)
	return nil
}

func sessionKindOptions(p *web.Page) []publishingweb.Option {
	var out []publishingweb.Option
	for _, k := range council.SessionKinds {
		out = append(out, publishingweb.Option{Value: k, Label: p.T("council.session_kind." + k)})
	}
	return out
}

// adminMembers lists the members, past ones included, with the form to
// add one.
func (m *Module) adminMembers(w http.ResponseWriter, r *http.Request) error {
	return m.renderMembers(w, r, http.StatusOK, nil, nil)
}

func (m *Module) renderMembers(w http.ResponseWriter, r *http.Request, status int, edit *council.Member, errs map[string]string) error {
	members, err := m.store.Members(r.Context(), tenantOf(r).ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("council.admin.members")
	roles := []publishingweb.Option{}
	for _, x := range council.MemberRoles {
		roles = append(roles, publishingweb.Option{Value: x, Label: p.T("council.role." + x)})
	}
	action := AdminPath + "/elus"
	if edit != nil {
		action += "/" + edit.ID
		p.Title = p.T("council.admin.member_title", edit.Name)
	}
	p.Data = map[string]any{"Members": m.memberViews(p, members), "Roles": roles, "Action": action, "Editing": edit != nil,
		"Today": m.today(r)}
	p.Errors, p.Form = errs, r.PostForm
	if r.Method == http.MethodGet {
		p.Form = map[string][]string{"role": {council.Councillor}, "term_start": {"2026-03-22"}}
		if edit != nil {
			p.Form = map[string][]string{"name": {edit.Name}, "role": {edit.Role}, "rank": {strconv.Itoa(edit.Rank)},
				"delegation": {edit.Delegation}, "group": {edit.Group}, "term_start": {edit.TermStart}, "term_end": {edit.TermEnd}}
		}
	}
	m.s.Render.Page(w, r, status, "council/admin_members", p)
	return nil
}

func (m *Module) adminMember(w http.ResponseWriter, r *http.Request) error {
	x, err := m.store.Member(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.renderMembers(w, r, http.StatusOK, x, nil)
}

// saveMember adds a member, or changes one (a term's end included).
func (m *Module) saveMember(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t := tenantOf(r)
	x := &council.Member{TenantID: t.ID}
	var edit *council.Member
	if id := r.PathValue("id"); id != "" {
		var err error
		if edit, err = m.store.Member(r.Context(), t.ID, id); err != nil {
			return err
		}
		x.ID = id
	}
	f := r.PostForm
	rank, _ := strconv.Atoi(f.Get("rank"))
	x.Name, x.Role, x.Rank, x.Delegation, x.Group = f.Get("name"), f.Get("role"), rank, f.Get("delegation"), f.Get("group")
	x.TermStart, x.TermEnd = f.Get("term_start"), f.Get("term_end")
	err := m.store.SaveMember(r.Context(), x)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderMembers(w, r, http.StatusUnprocessableEntity, edit, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "council.member_save", x.Name)
	return publishingweb.SeeOther(w, r, AdminPath+"/elus")
}

// sessionInput reads a session's settings form.
func sessionInput(r *http.Request) (council.SessionInput, map[string]string) {
	f := r.PostForm
	in := council.SessionInput{Place: f.Get("place"), Kind: f.Get("kind"), VideoURL: f.Get("video_url"),
		SecondCall: f.Get("second_call") == "1", PresidentID: f.Get("president"), SecretaryID: f.Get("secretary")}
	errs := map[string]string{}
	if at, ok := publishingweb.LocalTime(f, "date", "time", loc(r)); ok && at != nil {
		in.StartsAt = *at
	} else {
		errs["date"] = "Indiquez la date et l'heure de la séance."
	}
	return in, errs
}

// createSession adds a session and opens its page.
func (m *Module) createSession(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	in, errs := sessionInput(r)
	if len(errs) > 0 {
		return m.renderAdminHome(w, r, http.StatusUnprocessableEntity, errs)
	}
	x, err := m.store.CreateSession(r.Context(), tenantOf(r).ID, in)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminHome(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "council.session_create", x.ID)
	return publishingweb.SeeOther(w, r, AdminPath+"/seances/"+x.ID)
}

func (m *Module) sessionPath(r *http.Request) string {
	return AdminPath + "/seances/" + r.PathValue("id")
}

// adminSession is a session's page for the secretary: settings, agenda,
// convocation, documents, attendance, list of deliberations, minutes.
func (m *Module) adminSession(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminSession(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminSession(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenantOf(r)
	x, err := m.store.Session(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	data, err := m.sessionData(r, p, x, false)
	if err != nil {
		return err
	}
	members, err := m.store.MembersOn(r.Context(), t.ID, x.Day(loc(r)))
	if err != nil {
		return err
	}
	opts := []publishingweb.Option{}
	for _, v := range m.memberViews(p, members) {
		opts = append(opts, publishingweb.Option{Value: v.ID, Label: v.Name})
	}
	statuses := []publishingweb.Option{}
	for _, s := range council.AttendanceStatuses {
		statuses = append(statuses, publishingweb.Option{Value: s, Label: p.T("council.attendance." + s)})
	}
	type markRow struct {
		Member          memberView
		Status, ProxyID string
	}
	var marks []markRow
	for _, v := range m.memberViews(p, members) {
		a, ok := x.Attendance[v.ID]
		if !ok {
			a.Status = council.Present
		}
		marks = append(marks, markRow{v, a.Status, a.ProxyID})
	}
	items := []publishingweb.Option{}
	for _, it := range x.Items {
		items = append(items, publishingweb.Option{Value: it.ID, Label: fmt.Sprintf("%d. %s", it.Position, it.Title)})
	}
	data["MemberOptions"], data["Statuses"], data["Marks"], data["Kinds"] = opts, statuses, marks, sessionKindOptions(p)
	data["ItemOptions"] = items
	data["Base"] = m.sessionPath(r)
	p.Data = data
	p.Title = p.T("council.admin.session_title", data["View"].(sessionView).Day)
	p.Errors, p.Form = errs, r.PostForm
	if r.Method == http.MethodGet || p.Form.Get("place") == "" {
		at := x.StartsAt.In(loc(r))
		p.Form = map[string][]string{"date": {at.Format("2006-01-02")}, "time": {at.Format("15:04")}, "place": {x.Place},
			"kind": {x.Kind}, "video_url": {x.VideoURL}, "president": {x.PresidentID}, "secretary": {x.SecretaryID}}
		if x.SecondCall {
			p.Form["second_call"] = []string{"1"}
		}
	}
	m.s.Render.Page(w, r, status, "council/admin_session", p)
	return nil
}

// updateSession changes a session's settings.
func (m *Module) updateSession(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	in, errs := sessionInput(r)
	if len(errs) > 0 {
		return m.renderAdminSession(w, r, http.StatusUnprocessableEntity, errs)
	}
	err := m.store.UpdateSession(r.Context(), tenantOf(r).ID, r.PathValue("id"), in)
	return m.after(w, r, err, "council.session_update", m.sessionPath(r))
}

// after ends a secretary's form: its errors shown again on the session's
// page, or a record in the audit log and the page again.
func (m *Module) after(w http.ResponseWriter, r *http.Request, err error, action, path string) error {
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminSession(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, action, r.PathValue("id"))
	return publishingweb.SeeOther(w, r, path+"?enregistre=1")
}

func itemInput(r *http.Request) council.ItemInput {
	f := r.PostForm
	return council.ItemInput{Title: f.Get("title"), Rapporteur: f.Get("rapporteur"), Report: f.Get("report"), Discussion: f.Get("discussion")}
}

func (m *Module) addItem(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err := m.store.AddItem(r.Context(), tenantOf(r).ID, r.PathValue("id"), itemInput(r))
	return m.after(w, r, err, "council.item_add", m.sessionPath(r))
}

func (m *Module) updateItem(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := m.store.UpdateItem(r.Context(), tenantOf(r).ID, r.PathValue("id"), r.PathValue("item"), itemInput(r))
	return m.after(w, r, err, "council.item_update", m.sessionPath(r))
}

func (m *Module) convene(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := m.store.Convene(r.Context(), tenantOf(r).ID, r.PathValue("id"), r.PostForm.Get("convened_on"), loc(r))
	return m.after(w, r, err, "council.convene", m.sessionPath(r))
}

// attendance records each member's presence: status_<id> and proxy_<id>.
func (m *Module) attendance(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	marks := map[string]council.Attendance{}
	for k, v := range r.PostForm {
		if id, ok := strings.CutPrefix(k, "status_"); ok && len(v) == 1 {
			marks[id] = council.Attendance{Status: v[0], ProxyID: r.PostForm.Get("proxy_" + id)}
		}
	}
	err := m.store.RecordAttendance(r.Context(), tenantOf(r).ID, r.PathValue("id"), loc(r), marks)
	return m.after(w, r, err, "council.attendance", m.sessionPath(r))
}

// addDocument stores a PDF as a session's public document.
func (m *Module) addDocument(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	if _, err := m.store.Session(r.Context(), t.ID, r.PathValue("id")); err != nil {
		return err
	}
	if err := web.ParseMultipart(w, r, uploadBody, uploadBody); err != nil {
		return m.renderAdminSession(w, r, http.StatusUnprocessableEntity, map[string]string{"file": "L'envoi a échoué ou le fichier dépasse 20 Mo."})
	}
	title := strings.TrimSpace(r.PostForm.Get("doc_title"))
	if title == "" {
		return m.renderAdminSession(w, r, http.StatusUnprocessableEntity, map[string]string{"doc_title": "Indiquez le titre du document."})
	}
	f, err := m.readUpload(r, t.ID)
	if err == nil && f == nil {
		err = guichet.Invalid(map[string]string{"file": "Choisissez le fichier PDF du document."})
	}
	if err == nil {
		err = m.store.AddDocument(r.Context(), t.ID, r.PathValue("id"), r.PostForm.Get("item"), title, f)
	}
	return m.after(w, r, err, "council.document_add", m.sessionPath(r))
}

func (m *Module) publishList(w http.ResponseWriter, r *http.Request) error {
	err := m.store.PublishList(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	return m.after(w, r, err, "council.list_publish", m.sessionPath(r))
}

// minutesForm is the minutes' editor, drafted from the session the first
// time.
func (m *Module) minutesForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderMinutes(w, r, http.StatusOK, nil)
}

func (m *Module) renderMinutes(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenantOf(r)
	x, err := m.store.Session(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	text := x.Minutes.Text
	if text == "" {
		if text, err = m.store.DraftMinutes(r.Context(), t.ID, x.ID, loc(r)); err != nil {
			return err
		}
	}
	sessions, err := m.store.Sessions(r.Context(), t.ID)
	if err != nil {
		return err
	}
	later := []publishingweb.Option{}
	for _, o := range sessions {
		if o.Held && o.StartsAt.After(x.StartsAt) {
			later = append(later, publishingweb.Option{Value: o.ID, Label: m.sessionView(r, o).Day})
		}
	}
	p := m.s.Render.NewPage(r, "", nil)
	view := m.sessionView(r, x)
	p.Title = p.T("council.minutes.title", view.Day)
	p.Data = map[string]any{"View": view, "Base": m.sessionPath(r), "Later": later, "State": x.Minutes.State}
	if x.Minutes.ApprovedOn != "" {
		if d, err := council.ParseDate(x.Minutes.ApprovedOn); err == nil {
			p.Data.(map[string]any)["ApprovedOn"] = guichet.Date(d, web.LangOf(r))
		}
	}
	p.Errors, p.Form = errs, r.PostForm
	if r.Method == http.MethodGet || p.Form.Get("minutes") == "" {
		p.Form = map[string][]string{"minutes": {text}}
	}
	m.s.Render.Page(w, r, status, "council/admin_minutes", p)
	return nil
}

func (m *Module) minutesAfter(w http.ResponseWriter, r *http.Request, err error, action string) error {
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderMinutes(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, action, r.PathValue("id"))
	return publishingweb.SeeOther(w, r, m.sessionPath(r)+"/proces-verbal?enregistre=1")
}

func (m *Module) saveMinutes(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := m.store.SaveMinutes(r.Context(), tenantOf(r).ID, r.PathValue("id"), r.PostForm.Get("minutes"))
	return m.minutesAfter(w, r, err, "council.minutes_save")
}

func (m *Module) approveMinutes(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := m.store.ApproveMinutes(r.Context(), tenantOf(r).ID, r.PathValue("id"), r.PostForm.Get("approved_in"), loc(r))
	return m.minutesAfter(w, r, err, "council.minutes_approve")
}

func (m *Module) publishMinutes(w http.ResponseWriter, r *http.Request) error {
	err := m.store.PublishMinutes(r.Context(), tenantOf(r).ID, r.PathValue("id"), loc(r))
	return m.minutesAfter(w, r, err, "council.minutes_publish")
}

// staffFile sends any of the collectivité's council files (a draft's PDF).
func (m *Module) staffFile(w http.ResponseWriter, r *http.Request) error {
	f, err := m.store.FileInfo(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return m.sendFile(w, r, f, false)
}
