package reportsweb

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"unicode/utf8"

	"guichet/internal/capability/reports"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// formView is what the form's page shows of its step.
type formView struct {
	Step       int
	StepLabels []string
	Hidden     []hiddenField
	Groups     []categoryGroup
	Category   *reports.Category
	// The place chosen.
	HasPoint bool
	Address  string
	Lat, Lon string
	// Map is nil when the collectivité has no territory to draw.
	Map      *clickMap
	Matches  []addressOption
	Keyboard bool
	Photos   []stagedView
	// PhotoPlace tells that a photo says where it was taken, elsewhere
	// than the place chosen.
	PhotoPlace  bool
	CanAddPhoto bool
	MaxPhotos   int
	Nearby      []nearView
	Radius      int
	Questions   []questionView
	// Account is the signed-in resident, whose address is used.
	Account *account.Identity
}

// categoryGroup is the categories of one Group, as radio buttons.
type categoryGroup struct {
	Name       string
	Categories []categoryOption
}

type categoryOption struct {
	ID, Name, Description, InputID string
	Checked                        bool
}

type addressOption struct {
	ID, Label, InputID string
}

// stagedView is a photo already sent, shown by its thumbnail.
type stagedView struct {
	*reports.Staged
	N     int
	Thumb string
}

// nearView is an open report close to the place chosen.
type nearView struct {
	reports.Near
	Metres  int
	Excerpt string
}

// questionView is one of the category's questions, as a field.
type questionView struct {
	reports.Question
	Field   string
	Options []choiceOption
}

type choiceOption struct{ Value, Label string }

// renderForm shows st's step with errs (422 when there are).
func (m *Module) renderForm(w http.ResponseWriter, r *http.Request, st *formState, errs map[string]string, extra *formExtra) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	p := m.s.Render.NewPage(r, "", nil)
	if errs == nil {
		errs = map[string]string{}
	}
	photos, err := m.stagedViews(ctx, t.ID, st, errs)
	if err != nil {
		return err
	}
	v := &formView{Step: st.Step, HasPoint: st.HasPoint, Address: st.Address, Photos: photos, MaxPhotos: reports.MaxPhotos,
		CanAddPhoto: len(photos) < reports.MaxPhotos, Radius: int(nearbyRadius),
		StepLabels: []string{p.T("reports.form.step.place"), p.T("reports.form.step.nearby"), p.T("reports.form.step.describe")}}
	if st.HasPoint {
		v.Lat, v.Lon = coord(st.Point.Lat()), coord(st.Point.Lon())
	}
	if id := account.FromContext(ctx); signedIn(id) {
		v.Account = id
	}
	if extra != nil {
		v.Keyboard = extra.Keyboard
		for i, a := range extra.Matches {
			v.Matches = append(v.Matches, addressOption{ID: a.ID, Label: addressLabel(a), InputID: inputID(fieldAddressID, i)})
		}
	}
	for _, ph := range photos {
		if ph.HasPosition && (!st.HasPoint || reports.Distance(ph.Lat, ph.Lon, st.Point.Lat(), st.Point.Lon()) > 1) {
			v.PhotoPlace = true
		}
	}
	c, err := m.activeCategory(ctx, t.ID, st.CategoryID)
	if err != nil && !errors.Is(err, reports.ErrNotFound) {
		return err
	}
	v.Category = c
	if c == nil && st.Step != stepPlace {
		st.Step, v.Step = stepPlace, stepPlace
	}
	switch st.Step {
	case stepPlace:
		err = m.placeView(ctx, t.ID, st, v, p)
		v.Hidden = st.hidden(fieldCategory)
	case stepNearby:
		err = m.nearbyView(ctx, t.ID, st, v)
		v.Hidden = st.hidden()
	default:
		v.Questions = questionViews(c)
		shown := []string{fieldDescription, fieldName, fieldPhone, "answers"}
		if v.Account == nil {
			shown = append(shown, fieldEmail)
		}
		v.Hidden = st.hidden(shown...)
	}
	if err != nil {
		return err
	}
	p.Title = p.T("reports.form.title_step", v.Step, stepCount)
	p.Data, p.Form, p.Errors = v, st.Form, errs
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	m.s.Render.Page(w, r, status, "reports/new", p)
	return nil
}

// placeView fills the first step: the categories by group and the map.
func (m *Module) placeView(ctx context.Context, tenantID string, st *formState, v *formView, p *web.Page) error {
	cats, err := m.store.ActiveCategories(ctx, tenantID)
	if err != nil {
		return err
	}
	n := 0
	for _, c := range cats {
		if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Name != c.Group {
			v.Groups = append(v.Groups, categoryGroup{Name: c.Group})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Categories = append(g.Categories, categoryOption{ID: c.ID, Name: c.Name, Description: c.Description,
			InputID: inputID(fieldCategory, n), Checked: c.ID == st.CategoryID})
		n++
	}
	box, ok, err := m.territoryBox(ctx, tenantID)
	if err != nil || !ok {
		return err
	}
	v.Map, err = m.formMap(ctx, tenantID, box, st, p.T("reports.form.map.chosen"))
	return err
}

// inputID is the id of the i-th control of a group of radio buttons:
// the first one's is the field's, the target of the error summary.
func inputID(field string, i int) string {
	if i == 0 {
		return "champ-" + field
	}
	return "champ-" + field + "-" + strconv.Itoa(i)
}

func addressLabel(a kernel.Address) string {
	if a.Town != "" {
		return a.Label + ", " + a.Town
	}
	return a.Label
}

// nearbyView lists the open reports of the category around the place.
func (m *Module) nearbyView(ctx context.Context, tenantID string, st *formState, v *formView) error {
	if !st.HasPoint {
		return nil
	}
	near, err := m.store.Nearby(ctx, tenantID, st.CategoryID, st.Point.Lat(), st.Point.Lon(), nearbyRadius, nearbyShown)
	if err != nil {
		return err
	}
	for _, n := range near {
		v.Nearby = append(v.Nearby, nearView{Near: n, Metres: int(math.Round(n.Distance)), Excerpt: excerpt(n.Description)})
	}
	return nil
}

// excerpt is the start of a description, cut at a word.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptLength {
		return s
	}
	cut := []rune(s)[:excerptLength]
	for i := len(cut) - 1; i > excerptLength/2; i-- {
		if cut[i] == ' ' {
			cut = cut[:i]
			break
		}
	}
	return string(cut) + "…"
}

// questionViews are c's questions as fields, in their order.
func questionViews(c *reports.Category) []questionView {
	if c == nil {
		return nil
	}
	qs := append([]reports.Question(nil), c.Questions...)
	for i := 1; i < len(qs); i++ { // few questions: an insertion sort keeps equal orders stable
		for j := i; j > 0 && qs[j].Order < qs[j-1].Order; j-- {
			qs[j], qs[j-1] = qs[j-1], qs[j]
		}
	}
	out := make([]questionView, len(qs))
	for i, q := range qs {
		out[i] = questionView{Question: q, Field: reports.AnswerField(q.Code)}
		for _, ch := range q.Values {
			out[i].Options = append(out[i].Options, choiceOption{Value: ch.Key, Label: ch.Name})
		}
	}
	return out
}

// stagedViews are the photos already sent; one the collectivité no
// longer keeps (past reports.StagedFor) leaves the state with a word.
func (m *Module) stagedViews(ctx context.Context, tenantID string, st *formState, errs map[string]string) ([]stagedView, error) {
	var out []stagedView
	var kept []string
	for _, token := range st.Staged {
		s, err := m.store.StagedPhoto(ctx, tenantID, token)
		if errors.Is(err, reports.ErrNotFound) {
			errs[fieldPhoto] = "Une des photos n'est plus disponible\u00a0: joignez-la de nouveau."
			continue
		}
		if err != nil {
			return nil, err
		}
		kept = append(kept, token)
		out = append(out, stagedView{Staged: s, N: len(out) + 1, Thumb: StagedPhotoPath(token)})
	}
	st.Staged = kept
	return out, nil
}
