package questionsweb

import (
	"errors"
	"net/http"

	"guichet"
	"guichet/internal/capability/questions"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// questions shows answered questions, "Vrai ou faux ?" posts and the FAQ,
// or, with ?q=, searches them.
func (m *Module) questions(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query()
	data := map[string]any{"Query": q.Get("q")}
	if q.Get("q") != "" {
		res, err := m.store.Search.Search(r.Context(), search.Query{TenantID: t.ID, Text: q.Get("q"),
			Kinds: []string{questions.KindQuestion}, After: q.Get("apres")})
		if err != nil {
			return err
		}
		data["Results"] = res
	} else {
		lists, err := m.store.PublicLists(r.Context(), t.ID, 20)
		if err != nil {
			return err
		}
		data["TrueFalse"], data["FAQ"], data["Asked"] = lists[questions.QuestionTrueFalse], lists[questions.QuestionFAQ],
			lists[questions.QuestionAsked]
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("questions.title")
	if q.Get("q") != "" {
		p.Title = p.T("questions.results_for", q.Get("q"))
	}
	m.s.Render.PageData(w, r, "questions/questions", p)
	return nil
}

func (m *Module) question(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q, err := m.store.PublicQuestion(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, q.Question, map[string]any{"Q": q, "HTML": publishing.HTML(q.Answer)})
	m.s.Render.PageData(w, r, "questions/question", p)
	return nil
}

func (m *Module) askForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderAsk(w, r, http.StatusOK, nil)
}

func (m *Module) renderAsk(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("questions.ask.title")
	if status != http.StatusOK {
		m.s.Render.Page(w, r, status, "questions/ask", p)
		return nil
	}
	m.s.Render.PageData(w, r, "questions/ask", p)
	return nil
}

// ask records a question: at once for a signed-in resident, after a
// click on the emailed link for anyone else.
func (m *Module) ask(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	userID, email, name := "", f.Get("email"), f.Get("name")
	typed := email // mailed a check link: limited per recipient
	if id := account.FromContext(r.Context()); id != nil {
		userID, email, name, typed = id.UserID, id.Email, id.Name, ""
	}
	if err := m.s.Limit(r, abuse.Question, typed); err != nil {
		return err
	}
	q, err := m.store.Ask(r.Context(), t.ID, userID, name, email, f.Get("question"), f.Get("details"), m.baseURL(r), langOf(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAsk(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	if q.Status == questions.QUnverified {
		return m.message(w, r, "questions.ask.check_title", "questions.ask.check")
	}
	return m.message(w, r, "questions.ask.sent_title", "questions.ask.sent")
}

// verifyForm is the page of the emailed link, with the button that sends
// the question on. Opening the link changes nothing (mail scanners open
// links); the page does not show the question, whose text the person
// who typed the address wrote.
func (m *Module) verifyForm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q, err := m.store.QuestionByLink(r.Context(), t.ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	if q.Status != questions.QUnverified {
		return m.message(w, r, "questions.ask.already_title", "questions.ask.sent")
	}
	created := q.CreatedAt.In(m.loc(r))
	p := m.s.Render.NewPage(r, "", nil)
	p.Title = p.T("questions.ask.confirm_title")
	p.Data = map[string]any{"Action": "/questions/verifier/" + r.PathValue("token"),
		"Text": p.T("questions.ask.confirm_text", guichet.LongDate(created, langOf(r)), created.Format("15:04"))}
	m.s.Render.Page(w, r, http.StatusOK, "questions/ask_confirm", p)
	return nil
}

// verifyQuestion passes the question to the moderators; a second use
// says it went.
func (m *Module) verifyQuestion(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	err := m.store.VerifyQuestion(r.Context(), t.ID, r.PathValue("token"))
	if errors.Is(err, questions.ErrQuestionVerified) {
		return m.message(w, r, "questions.ask.already_title", "questions.ask.sent")
	}
	if err != nil {
		return err
	}
	return m.message(w, r, "questions.ask.sent_title", "questions.ask.sent")
}
