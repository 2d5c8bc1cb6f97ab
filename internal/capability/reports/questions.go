package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Datatypes of a category's questions, as Open311 names them.
const (
	TypeString   = "string"
	TypeNumber   = "number"
	TypeDatetime = "datetime"
	TypeText     = "text"
	TypeSingle   = "singlevaluelist"
	TypeMulti    = "multivaluelist"
)

// Datatypes lists them.
var Datatypes = []string{TypeString, TypeNumber, TypeDatetime, TypeText, TypeSingle, TypeMulti}

// Question is one of a category's extra questions (an Open311
// attribute).
type Question struct {
	Code        string   `json:"code"`
	Label       string   `json:"label"`
	Datatype    string   `json:"datatype"`
	Required    bool     `json:"required"`
	Description string   `json:"description,omitempty"`
	Order       int      `json:"order"`
	Values      []Choice `json:"values,omitempty"`
}

// Choice is one answer of a list question.
type Choice struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// List reports whether the question is answered from its Values.
func (q Question) List() bool { return q.Datatype == TypeSingle || q.Datatype == TypeMulti }

// Answers are the answers to a category's questions, by question code;
// only a multivaluelist has more than one value.
type Answers map[string][]string

// AnswerField is the form field of a question's answer, the key of its
// error in guichet.FieldErrors.
func AnswerField(code string) string { return "answer-" + code }

// checkQuestions names the questions field when a question is badly
// defined.
func checkQuestions(errs map[string]string, qs []Question) {
	seen := map[string]bool{}
	for i := range qs {
		q := &qs[i]
		q.Code, q.Label, q.Description = strings.TrimSpace(q.Code), strings.TrimSpace(q.Label), strings.TrimSpace(q.Description)
		msg := questionProblem(q, seen)
		if msg != "" && errs["questions"] == "" {
			errs["questions"] = fmt.Sprintf("Question %d : %s", i+1, msg)
		}
		seen[q.Code] = true
	}
}

func questionProblem(q *Question, seen map[string]bool) string {
	switch {
	case !codeRE.MatchString(q.Code):
		return "le code s'écrit en lettres, chiffres, tirets ou soulignés (40 au plus)."
	case seen[q.Code]:
		return "une autre question porte déjà ce code."
	case q.Label == "" || utf8.RuneCountInString(q.Label) > 200:
		return "écrivez la question (200 caractères au plus)."
	case !slices.Contains(Datatypes, q.Datatype):
		return "choisissez un type de réponse."
	case q.List() && len(q.Values) == 0:
		return "donnez au moins un choix."
	case !q.List() && len(q.Values) > 0:
		return "seules les listes ont des choix."
	}
	keys := map[string]bool{}
	for _, v := range q.Values {
		if strings.TrimSpace(v.Key) == "" || strings.TrimSpace(v.Name) == "" || keys[v.Key] {
			return "chaque choix a une clé unique et un libellé."
		}
		keys[v.Key] = true
	}
	return ""
}

// CheckAnswers returns the answers to c's questions, cleaned (trimmed,
// numbers and dates written alike, answers to no question dropped), or
// French messages per field (AnswerField) for those missing or wrong.
func (c *Category) CheckAnswers(in Answers) (Answers, map[string]string) {
	out, errs := Answers{}, map[string]string{}
	for _, q := range c.Questions {
		values := nonEmpty(in[q.Code])
		if len(values) == 0 {
			if q.Required {
				errs[AnswerField(q.Code)] = fmt.Sprintf("Répondez à la question « %s ».", q.Label)
			}
			continue
		}
		clean, msg := q.check(values)
		if msg != "" {
			errs[AnswerField(q.Code)] = msg
			continue
		}
		out[q.Code] = clean
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// check returns the values of one answer cleaned, or what is wrong.
func (q Question) check(values []string) ([]string, string) {
	if len(values) > 1 && q.Datatype != TypeMulti {
		return nil, fmt.Sprintf("Donnez une seule réponse à « %s ».", q.Label)
	}
	v := values[0]
	switch q.Datatype {
	case TypeString:
		return oneText(q, v, 200, "200")
	case TypeText:
		return oneText(q, v, 2000, "2 000")
	case TypeNumber:
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), ",", "."), 64)
		if err != nil || f != f || f > 1e12 || f < -1e12 {
			return nil, fmt.Sprintf("« %s » attend un nombre, par exemple 3 ou 2,5.", q.Label)
		}
		return []string{strconv.FormatFloat(f, 'f', -1, 64)}, ""
	case TypeDatetime:
		return oneDate(q, v)
	}
	return q.checkChoices(values)
}

func oneText(q Question, v string, limit int, written string) ([]string, string) {
	if utf8.RuneCountInString(v) > limit {
		return nil, fmt.Sprintf("La réponse à « %s » dépasse %s caractères.", q.Label, written)
	}
	return []string{v}, ""
}

// dateLayouts are the ways a date may come: from Open311 (RFC 3339), a
// browser's date-time or date field.
var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"}

func oneDate(q Question, v string) ([]string, string) {
	for _, l := range dateLayouts {
		if _, err := time.Parse(l, v); err == nil {
			return []string{v}, ""
		}
	}
	return nil, fmt.Sprintf("« %s » attend une date, par exemple 2026-05-14.", q.Label)
}

func (q Question) checkChoices(values []string) ([]string, string) {
	var out []string
	for _, v := range values {
		if !slices.ContainsFunc(q.Values, func(c Choice) bool { return c.Key == v }) {
			return nil, fmt.Sprintf("Choisissez une réponse de la liste pour « %s ».", q.Label)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, ""
}
