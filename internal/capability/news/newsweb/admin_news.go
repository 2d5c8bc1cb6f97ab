package newsweb

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"guichet"
	"guichet/internal/capability/news"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// adminNews lists every news item with filters by status, category and
// title words, last changed first, with keyset pages.
func (m *Module) adminNews(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query()
	f := publishing.ListFilter{Status: q.Get("etat"), Category: q.Get("categorie"), Query: q.Get("q"),
		After: publishing.ParseCursor(q.Get("apres")), Limit: 20}
	if !slices.Contains(news.Categories, f.Category) {
		f.Category = ""
	}
	list, next, err := m.store.List(r.Context(), t.ID, f)
	if err != nil {
		return err
	}
	rows := make([]publishingweb.Row, len(list))
	for i, n := range list {
		rows[i] = publishingweb.Row{ID: n.ID, Title: n.Title, Status: m.desk.State(n.Status, n.PublishAt), Category: n.Category,
			Updated: publishingweb.Stamp(r, n.UpdatedAt), URL: n.URL()}
	}
	keep := url.Values{"etat": {f.Status}, "categorie": {f.Category}, "q": {f.Query}}
	p := m.s.Render.NewPage(r, "", map[string]any{"Rows": rows, "Next": next.String(), "Keep": keep.Encode(),
		"Statuses": m.desk.StatusOptions(r), "Categories": m.desk.CategoryOptions(r, news.Categories),
		"Filter": f, "Later": f.After.ID != ""})
	p.Title = p.T("news.admin.news")
	m.s.Render.Page(w, r, http.StatusOK, "news/admin_news", p)
	return nil
}

// newsForm shows the editor of a new or existing item.
func (m *Module) newsForm(w http.ResponseWriter, r *http.Request) error {
	n := &news.News{}
	if id := r.PathValue("id"); id != "" {
		var err error
		if n, err = m.store.ByID(r.Context(), tenant.FromContext(r.Context()).ID, id); err != nil {
			return err
		}
	}
	return m.renderNewsForm(w, r, http.StatusOK, n, newsValues(n, m.loc(r)), nil, false)
}

func newsValues(n *news.News, loc *time.Location) url.Values {
	v := url.Values{"title": {n.Title}, "category": {n.Category}, "summary": {n.Summary}, "body": {n.Body},
		"easy_read": {n.EasyRead}, "title_en": {n.TitleEN}, "body_en": {n.BodyEN}, "image_alt": {n.ImageAlt}}
	return publishingweb.PublicationValues(v, n.Publication(), loc)
}

func (m *Module) renderNewsForm(w http.ResponseWriter, r *http.Request, status int, n *news.News, form url.Values,
	errs map[string]string, preview bool) error {
	data := m.desk.EditorData(r, n.Publication(), form, preview)
	data["Item"], data["Categories"] = n, m.desk.CategoryOptions(r, news.Categories)
	p := m.s.Render.NewPage(r, "", data)
	p.Errors, p.Form = errs, form
	p.Title = p.T("news.admin.new_news")
	if n.ID != "" {
		p.Title = p.T("publishing.admin.edit", n.Title)
	}
	m.s.Render.Page(w, r, status, "news/admin_news_form", p)
	return nil
}

// newsFormBody is the most the news form weighs: a cover image and the
// texts.
const newsFormBody = news.MaxImage + 1<<20

// parseForm reads a form, multipart (with a file) or not.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseMultipart(w, r, newsFormBody, newsFormBody); err != nil {
		return guichet.Invalid(map[string]string{"image": "L'envoi a échoué ou le fichier dépasse 3 Mo."})
	}
	return nil
}

// saveNews saves the editor's form: "save" keeps the state (a new item is
// a draft), "publish" publishes now or at the date given (scheduling),
// "preview" shows the rendered text without saving.
func (m *Module) saveNews(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	n := &news.News{TenantID: t.ID}
	if id := r.PathValue("id"); id != "" {
		var err error
		if n, err = m.store.ByID(r.Context(), t.ID, id); err != nil {
			return err
		}
	}
	if err := parseForm(w, r); err != nil {
		return m.renderNewsForm(w, r, http.StatusUnprocessableEntity, n, url.Values{}, guichet.FieldErrors(err), false)
	}
	f := r.PostForm
	errs := map[string]string{}
	ed := m.desk.ReadEdit(r, f, errs)
	if ed.Preview() {
		return m.renderNewsForm(w, r, http.StatusOK, n, f, errs, true)
	}
	n.Title, n.Category, n.Summary, n.Body = f.Get("title"), f.Get("category"), f.Get("summary"), f.Get("body")
	n.EasyRead, n.TitleEN, n.BodyEN, n.ImageAlt = f.Get("easy_read"), f.Get("title_en"), f.Get("body_en"), f.Get("image_alt")
	if f.Get("remove_image") == "1" {
		n.ImageID, n.ImageAlt = "", ""
	}
	if len(errs) == 0 {
		if id, err := m.upload(r, t.ID); err != nil {
			errs = guichet.FieldErrors(err)
		} else if id != "" {
			n.ImageID = id
		}
	}
	if len(errs) > 0 {
		return m.renderNewsForm(w, r, http.StatusUnprocessableEntity, n, f, errs, false)
	}
	action, undo := m.desk.Apply(ed, &n.Status, &n.PublishAt, n.ID == "")
	err := m.store.Save(r.Context(), n, publishingweb.Author(r), action)
	if fields := guichet.FieldErrors(err); fields != nil {
		undo()
		return m.renderNewsForm(w, r, http.StatusUnprocessableEntity, n, f, fields, false)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "news.news_"+action, n.Title)
	return publishingweb.SeeOther(w, r, "/gestion/actualites/"+n.ID+"?enregistre=1")
}

// upload stores the form's image, if one was sent.
func (m *Module) upload(r *http.Request, tenantID string) (string, error) {
	if r.MultipartForm == nil {
		return "", nil
	}
	file, _, err := r.FormFile("image")
	if err != nil {
		return "", nil // no file chosen
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, news.MaxImage+1))
	if err != nil {
		return "", err
	}
	if len(data) == 0 {
		return "", nil
	}
	return m.store.SaveImage(r.Context(), tenantID, data)
}

// newsStatus publishes or unpublishes an item from the list or the editor.
func (m *Module) newsStatus(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	status := r.PostFormValue("status")
	if status != publishing.StatusPublished && status != publishing.StatusUnpublished {
		return guichet.Errorf(guichet.EInvalid, "État inconnu.")
	}
	n, err := m.store.SetStatus(r.Context(), t.ID, r.PathValue("id"), status, nil, publishingweb.Author(r))
	if err != nil {
		return err
	}
	m.s.Record(r, "news.news_"+status, n.Title)
	return publishingweb.SeeOther(w, r, "/gestion/actualites/"+n.ID+"?enregistre=1")
}
