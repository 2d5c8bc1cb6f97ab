package newsletterweb

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/newsletter"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// subscribers lists the subscribers, a page at a time, by status, list
// and words of the address or name.
func (m *Module) subscribers(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	q := r.URL.Query()
	f := newsletter.Filter{Status: q.Get("statut"), ListID: q.Get("liste"), Query: q.Get("q"), After: q.Get("apres"), Limit: 50}
	if !slices.Contains([]string{"", newsletter.SubscriberPending, newsletter.SubscriberActive, newsletter.SubscriberSuspended}, f.Status) {
		f.Status = ""
	}
	page, total, err := m.store.Subscribers(r.Context(), t.ID, f)
	if err != nil {
		return err
	}
	lists, err := m.store.Lists(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	next := ""
	if len(page) == f.Limit {
		v := url.Values{"statut": {f.Status}, "liste": {f.ListID}, "q": {f.Query}, "apres": {page[len(page)-1].Email}}
		next = "/gestion/lettre/abonnes?" + v.Encode()
	}
	export := url.Values{"statut": {f.Status}, "liste": {f.ListID}, "q": {f.Query}}
	p := m.s.Render.NewPage(r, "", nil)
	statuses := []listOption{{Value: "", Label: p.T("newsletter.subscribers.all")}}
	for _, st := range []string{newsletter.SubscriberActive, newsletter.SubscriberPending, newsletter.SubscriberSuspended} {
		statuses = append(statuses, listOption{Value: st, Label: p.T("newsletter.subscriber." + st)})
	}
	listOpts := []listOption{{Value: "", Label: p.T("newsletter.subscribers.all_lists")}}
	for _, l := range lists {
		listOpts = append(listOpts, listOption{Value: l.ID, Label: l.Name})
	}
	p.Data = map[string]any{"Rows": page, "Total": total, "Next": next, "Statuses": statuses, "Lists": listOpts,
		"Status": f.Status, "List": f.ListID, "Query": f.Query, "Export": "/gestion/lettre/abonnes/export.csv?" + export.Encode()}
	p.Title = p.T("newsletter.subscribers.title")
	m.s.Record(r, "newsletter.subscribers_viewed", "")
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/subscribers", p)
	return nil
}

// export streams the subscribers as CSV (the browser's download shows
// its progress).
func (m *Module) export(w http.ResponseWriter, r *http.Request) error {
	t := tenantOf(r)
	q := r.URL.Query()
	f := newsletter.Filter{Status: q.Get("statut"), ListID: q.Get("liste"), Query: q.Get("q")}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="abonnes-`+t.Slug+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	m.s.Record(r, "newsletter.subscribers_exported", "")
	flusher, _ := w.(http.Flusher)
	return m.store.ExportCSV(r.Context(), t.ID, f, w, func(int, int) {
		if flusher != nil {
			flusher.Flush()
		}
	})
}

// subscriber shows one subscriber: consent, lists, bounces.
func (m *Module) subscriber(w http.ResponseWriter, r *http.Request) error {
	return m.renderSubscriber(w, r, http.StatusOK, nil)
}

func (m *Module) renderSubscriber(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenantOf(r)
	sub, err := m.store.Subscriber(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	lists, err := m.store.Lists(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	var opts []listOption
	for _, l := range lists {
		opts = append(opts, listOption{Value: l.ID, Label: l.Name})
	}
	consent := ""
	if sub.ConsentAt != nil {
		consent = dateTime(sub.ConsentAt.In(t.Location()), web.LangOf(r))
	}
	p.Data = map[string]any{"Sub": sub, "Lists": opts, "Consent": consent}
	p.Errors = errs
	p.Title = sub.Email
	m.s.Record(r, "newsletter.subscriber_viewed", sub.ID)
	m.s.Render.Page(w, r, status, "newsletter/subscriber", p)
	return nil
}

func (m *Module) editSubscriber(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := m.store.EditSubscriber(r.Context(), tenantOf(r).ID, r.PathValue("id"), r.PostForm["lists"], r.PostForm.Get("reactivate") == "1")
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderSubscriber(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "newsletter.subscriber_edited", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, "/gestion/lettre/abonnes/"+r.PathValue("id")+"?enregistre=1")
}

func (m *Module) deleteSubscriber(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.DeleteSubscriber(r.Context(), tenantOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "newsletter.subscriber_deleted", r.PathValue("id"))
	return publishingweb.SeeOther(w, r, "/gestion/lettre/abonnes?supprime=1")
}

// lists shows the lists and the form to add one.
func (m *Module) lists(w http.ResponseWriter, r *http.Request) error {
	return m.renderLists(w, r, http.StatusOK, nil)
}

func (m *Module) renderLists(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	lists, err := m.store.Lists(r.Context(), tenantOf(r).ID, false)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	var kinds []listOption
	for _, k := range newsletter.ListKinds {
		kinds = append(kinds, listOption{Value: k, Label: p.T("newsletter.kind." + k)})
	}
	p.Data = map[string]any{"Lists": lists, "Kinds": kinds}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("newsletter.lists.title")
	m.s.Render.Page(w, r, status, "newsletter/lists", p)
	return nil
}

// saveList adds a list, or changes one.
func (m *Module) saveList(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	pos, _ := strconv.Atoi(strings.TrimSpace(f.Get("position")))
	l := &newsletter.List{ID: r.PathValue("id"), TenantID: tenantOf(r).ID, Name: f.Get("name"), Description: f.Get("description"),
		Kind: f.Get("kind"), Public: f.Get("public") == "1", Position: pos}
	err := m.store.SaveList(r.Context(), l)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderLists(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, "/gestion/lettre/listes?enregistre=1")
}

func (m *Module) deleteList(w http.ResponseWriter, r *http.Request) error {
	if err := m.store.DeleteList(r.Context(), tenantOf(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	return publishingweb.SeeOther(w, r, "/gestion/lettre/listes?supprime=1")
}

// importForm asks for a CSV file, the lists it joins and the consent.
func (m *Module) importForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderImport(w, r, http.StatusOK, nil)
}

func (m *Module) renderImport(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	lists, err := m.store.Lists(r.Context(), tenantOf(r).ID, false)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	var opts []listOption
	for _, l := range lists {
		opts = append(opts, listOption{Value: l.ID, Label: l.Name})
	}
	p.Data = map[string]any{"Lists": opts,
		"Consents": []listOption{{Value: "declared", Label: p.T("newsletter.import.consent_declared")},
			{Value: "confirm", Label: p.T("newsletter.import.consent_confirm")}}}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("newsletter.import.title")
	m.s.Render.Page(w, r, status, "newsletter/import", p)
	return nil
}

// startImport keeps the file and queues its reading; the next page
// follows its progress.
func (m *Module) startImport(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseMultipart(w, r, importBody, 8<<20); err != nil {
		return m.renderImport(w, r, http.StatusUnprocessableEntity, map[string]string{"file": "L'envoi a échoué ou le fichier dépasse 20 Mo."})
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		return m.renderImport(w, r, http.StatusUnprocessableEntity, map[string]string{"file": "Choisissez le fichier CSV des abonnés."})
	}
	defer file.Close()
	id := account.FromContext(r.Context())
	imp, err := m.store.StartImport(r.Context(), newsletter.ImportRequest{TenantID: tenantOf(r).ID, Name: head.Filename,
		Author: id.Name, Body: file, Lists: r.PostForm["lists"], ConsentSource: r.PostForm.Get("consent_source"),
		Confirm: r.PostForm.Get("consent") == "confirm", BaseURL: m.baseURL(r)})
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderImport(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "newsletter.subscribers_imported", imp.ID)
	return publishingweb.SeeOther(w, r, "/gestion/lettre/import/"+imp.ID)
}

// importStatus shows an import's progress and report.
func (m *Module) importStatus(w http.ResponseWriter, r *http.Request) error {
	imp, err := m.store.Import(r.Context(), tenantOf(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Imp": imp, "Running": imp.Status == newsletter.ImportRunning})
	p.Title = p.T("newsletter.import.status_title", imp.Name)
	m.s.Render.Page(w, r, http.StatusOK, "newsletter/import_status", p)
	return nil
}
