package questionsweb

import (
	"net/http"

	"guichet"
	"guichet/internal/capability/questions"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// adminQuestions shows the questions waiting for an answer and the form
// of a "Vrai ou faux ?" post or FAQ entry.
func (m *Module) adminQuestions(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminQuestions(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminQuestions(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	after := publishing.ParseCursor(r.URL.Query().Get("apres"))
	pending, next, err := m.store.ListQuestions(r.Context(), t.ID, questions.QPending, "", after, 30)
	if err != nil {
		return err
	}
	m.s.Record(r, "content.questions_viewed", r.URL.RawQuery)
	p := m.s.Render.NewPage(r, "", nil)
	p.Data = map[string]any{"Pending": pending, "Next": next.String(),
		"Kinds": []option{{questions.QuestionTrueFalse, p.T("questions.kind.vrai-faux")}, {questions.QuestionFAQ, p.T("questions.kind.faq")}},
		"Verdicts": []option{{"", p.T("questions.verdict.none")}, {"vrai", p.T("questions.verdict.vrai")},
			{"faux", p.T("questions.verdict.faux")}, {"nuance", p.T("questions.verdict.nuance")}}}
	p.Errors, p.Form = errs, r.PostForm
	p.Title = p.T("questions.admin.questions")
	m.s.Render.Page(w, r, status, "questions/admin_questions", p)
	return nil
}

// savePost publishes a "Vrai ou faux ?" post or a FAQ entry.
func (m *Module) savePost(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	q := &questions.Question{TenantID: t.ID, Kind: f.Get("kind"), Question: f.Get("question"), Answer: f.Get("answer"), Verdict: f.Get("verdict")}
	err := m.store.SavePost(r.Context(), q, author(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminQuestions(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "content.question_published", q.Question)
	return seeOther(w, r, q.URL())
}

func (m *Module) answerForm(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q, err := m.store.QuestionByID(r.Context(), t.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	m.s.Record(r, "content.question_viewed", q.ID)
	return m.renderAnswer(w, r, http.StatusOK, q, nil)
}

func (m *Module) renderAnswer(w http.ResponseWriter, r *http.Request, status int, q *questions.Question, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Q": q})
	p.Errors, p.Form = errs, r.PostForm
	if p.Form == nil {
		p.Form = map[string][]string{"answer": {q.Answer}}
	}
	p.Title = p.T("questions.admin.answer")
	m.s.Render.Page(w, r, status, "questions/admin_answer", p)
	return nil
}

// answer publishes a question with its answer, or sets it aside.
func (m *Module) answer(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	publish := r.PostForm.Get("action") != "reject"
	q, err := m.store.Answer(r.Context(), t.ID, r.PathValue("id"), r.PostForm.Get("answer"), author(r), publish, m.baseURL(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		orig, gerr := m.store.QuestionByID(r.Context(), t.ID, r.PathValue("id"))
		if gerr != nil {
			return gerr
		}
		return m.renderAnswer(w, r, http.StatusUnprocessableEntity, orig, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "content.question_"+q.Status, q.ID)
	return seeOther(w, r, "/gestion/questions")
}
