package reportsweb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/svgmap"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// StagedPhotoPath is where the form shows a staged photo's thumbnail.
func StagedPhotoPath(token string) string { return NewPath + "/photos/" + token }

// SentPath is the page a guest reads once their report is recorded.
const SentPath = NewPath + "?envoye=1"

// formMemory is how much of a form's photos is kept in memory while it
// is read; the rest goes to temporary files.
const formMemory = 8 << 20

// formRoutes adds the form that files a report, its steps and photos.
func (m *Module) formRoutes(s *web.Server) {
	s.Site("GET "+NewPath, m.newForm)
	s.Uploads(ReportBody).Site("POST "+NewPath, m.postForm)
	s.Site("GET "+NewPath+"/photos/{token}", m.stagedThumb)
}

// newForm shows the form's first step, a category chosen beforehand
// (?category=) when it names one, or the page a guest reads once their
// report is sent.
func (m *Module) newForm(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("envoye") != "" {
		p := m.s.Render.NewPage(r, "", nil)
		p.Title = p.T("reports.form.sent.title")
		m.s.Render.Page(w, r, http.StatusOK, "reports/new_sent", p)
		return nil
	}
	st := readState(url.Values{fieldCategory: {r.URL.Query().Get(fieldCategory)}})
	return m.renderForm(w, r, st, nil, nil)
}

// postForm moves the form on: a search, a click on the map, a photo, a
// step, or the report sent.
func (m *Module) postForm(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseMultipart(w, r, ReportBody, formMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return web.ErrTooLarge
		}
		return web.ErrUnreadableForm
	}
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	st := readState(r.Form)
	errs := map[string]string{}
	if err := m.stagePhotos(r, st, errs); err != nil {
		return err
	}
	box, hasBox, err := m.territoryBox(ctx, t.ID)
	if err != nil {
		return err
	}
	deepest := 0
	if hasBox {
		deepest = svgmap.MaxLevel(box)
	}
	var extra formExtra
	action := r.Form.Get(fieldAction)
	if r.Form.Has(fieldMap + ".x") {
		action = fieldMap
	}
	switch action {
	case "search":
		extra.Matches, err = m.searchAddress(ctx, t.ID, st, r.Form.Get(fieldWhere), box, hasBox, deepest, errs)
	case "pick":
		err = m.pickAddress(ctx, t.ID, st, r.Form.Get(fieldWhere), r.Form.Get(fieldAddressID), box, hasBox, deepest, errs)
	case fieldMap:
		err = m.mapClick(ctx, t.ID, st, r.Form, box, hasBox, deepest, errs, &extra)
	case "zoomout":
		st.Level = max(min(st.Level, deepest)-1, 0)
	case "photo-place":
		err = m.photoPlace(ctx, t.ID, st, box, hasBox, deepest, errs)
	case "next":
		err = m.nextStep(ctx, t.ID, st, box, hasBox, errs)
	case "new":
		st.Step = stepDescribe
	case "back":
		st.Step = stepPlace
	case "send":
		if st.HasPoint && !checkPlace(errs, st.Point, box, hasBox) {
			st.Step = stepPlace
		}
		if len(errs) == 0 {
			return m.submit(w, r, st)
		}
	}
	if err != nil {
		return err
	}
	return m.renderForm(w, r, st, errs, &extra)
}

// stagePhotos stages the photos sent with the form, within MaxPhotos
// and PhotoLimit: their tokens join the state, a refusal is a message
// on the photo field.
func (m *Module) stagePhotos(r *http.Request, st *formState, errs map[string]string) error {
	if r.MultipartForm == nil {
		return nil
	}
	tenantID := tenant.FromContext(r.Context()).ID
	for _, fh := range r.MultipartForm.File[fieldPhoto] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the empty file field a browser sends
		}
		if len(st.Staged) >= reports.MaxPhotos {
			errs[fieldPhoto] = "Vous avez joint le nombre maximal de photos\u00a0: retirez-en une pour en joindre une autre."
			return nil
		}
		if err := m.s.Limit(r, PhotoLimit, ""); err != nil {
			errs[fieldPhoto] = guichet.ErrorMessage(err)
			return nil
		}
		raw, err := readUpload(fh)
		if err != nil {
			return err
		}
		staged, err := m.store.StagePhoto(r.Context(), tenantID, raw)
		if err != nil {
			if msg := guichet.FieldErrors(err)["photo"]; msg != "" {
				errs[fieldPhoto] = msg
				continue
			}
			if guichet.ErrorCode(err) != guichet.EInternal {
				errs[fieldPhoto] = guichet.ErrorMessage(err)
				return nil
			}
			return err
		}
		st.Staged = append(st.Staged, staged.Token)
	}
	return nil
}

// readUpload reads one file of the form, up to PhotoBody: the photo
// package refuses what passes its own limit.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, PhotoBody))
}

// formExtra is what one request adds to the page besides the state.
type formExtra struct {
	// Matches are the addresses a search found, to pick one.
	Matches []kernel.Address
	// Keyboard tells that the map was pressed rather than clicked.
	Keyboard bool
}

// checkPlace names the place's field unless pt may be the report's
// place: in France, and in the territory when the collectivité has one.
func checkPlace(errs map[string]string, pt orb.Point, box orb.Bound, hasBox bool) bool {
	switch {
	case !reports.InFrance(pt.Lat(), pt.Lon()):
		errs[errPlace] = "Placez le point sur la carte, en France."
	case hasBox && !box.Contains(pt):
		errs[errPlace] = "Ce lieu est en dehors du territoire de la collectivité\u00a0: choisissez un lieu sur sa carte."
	default:
		return true
	}
	return false
}

// searchAddress looks the typed address up: one match is chosen, more
// are listed to pick from.
func (m *Module) searchAddress(ctx context.Context, tenantID string, st *formState, typed string, box orb.Bound,
	hasBox bool, deepest int, errs map[string]string) ([]kernel.Address, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		errs[errPlace] = "Tapez une adresse, par exemple 12 rue des Tilleuls."
		return nil, nil
	}
	found, err := m.Territory.FindAddresses(ctx, tenantID, typed)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		errs[errPlace] = "Aucune adresse ne correspond\u00a0: vérifiez l'orthographe, ou choisissez le lieu sur la carte."
		return nil, nil
	case 1:
		m.chooseAddress(st, found[0], box, hasBox, deepest, errs)
		return nil, nil
	}
	return found[:min(len(found), 20)], nil
}

// pickAddress chooses one of the addresses a search listed.
func (m *Module) pickAddress(ctx context.Context, tenantID string, st *formState, typed, id string, box orb.Bound,
	hasBox bool, deepest int, errs map[string]string) error {
	found, err := m.Territory.FindAddresses(ctx, tenantID, strings.TrimSpace(typed))
	if err != nil {
		return err
	}
	for _, a := range found {
		if a.ID == id {
			m.chooseAddress(st, a, box, hasBox, deepest, errs)
			return nil
		}
	}
	errs[errPlace] = "Choisissez une des adresses proposées, ou cherchez-en une autre."
	return nil
}

func (m *Module) chooseAddress(st *formState, a kernel.Address, box orb.Bound, hasBox bool, deepest int, errs map[string]string) {
	if checkPlace(errs, a.Point, box, hasBox) {
		st.choose(a.Point, a.Label, deepest)
	}
}

// mapClick zooms in around the place clicked, or at the deepest level
// chooses it, its address being the nearest one.
func (m *Module) mapClick(ctx context.Context, tenantID string, st *formState, f url.Values, box orb.Bound, hasBox bool,
	deepest int, errs map[string]string, extra *formExtra) error {
	if !hasBox {
		return nil
	}
	x, errX := strconv.Atoi(f.Get(fieldMap + ".x"))
	y, errY := strconv.Atoi(f.Get(fieldMap + ".y"))
	if errX != nil || errY != nil {
		return nil
	}
	if x == 0 && y == 0 { // the map pressed from the keyboard names no place
		extra.Keyboard = true
		return nil
	}
	st.Level = min(st.Level, deepest)
	pt := clicked(box, st, x, y)
	if st.Level < deepest {
		st.Level, st.Centre = st.Level+1, pt
		return nil
	}
	if !checkPlace(errs, pt, box, hasBox) {
		return nil
	}
	label := ""
	a, ok, err := m.Territory.NearestAddress(ctx, tenantID, pt)
	if err != nil {
		return err
	}
	if ok {
		label = a.Label
	}
	st.Point, st.HasPoint, st.Address = pt, true, label
	return nil
}

// photoPlace places the report where the first staged photo with a
// position was taken.
func (m *Module) photoPlace(ctx context.Context, tenantID string, st *formState, box orb.Bound, hasBox bool, deepest int,
	errs map[string]string) error {
	photos, err := m.stagedViews(ctx, tenantID, st, errs)
	if err != nil {
		return err
	}
	for _, p := range photos {
		if !p.HasPosition {
			continue
		}
		pt := orb.Point{p.Lon, p.Lat}
		if !checkPlace(errs, pt, box, hasBox) {
			return nil
		}
		label := ""
		if m.Territory != nil {
			a, ok, err := m.Territory.NearestAddress(ctx, tenantID, pt)
			if err != nil {
				return err
			}
			if ok {
				label = a.Label
			}
		}
		st.choose(pt, label, deepest)
		return nil
	}
	errs[errPlace] = "Aucune des photos jointes n'indique où elle a été prise."
	return nil
}

// nextStep leaves the first step once a category and a place are
// chosen: for the open reports around when there are, else for the
// description.
func (m *Module) nextStep(ctx context.Context, tenantID string, st *formState, box orb.Bound, hasBox bool,
	errs map[string]string) error {
	if _, err := m.activeCategory(ctx, tenantID, st.CategoryID); errors.Is(err, reports.ErrNotFound) {
		errs[fieldCategory] = "Choisissez une catégorie de la liste."
	} else if err != nil {
		return err
	}
	if !st.HasPoint {
		errs[errPlace] = "Indiquez le lieu du problème\u00a0: cherchez une adresse, choisissez-le sur la carte ou joignez une photo qui le situe."
	} else {
		checkPlace(errs, st.Point, box, hasBox)
	}
	if len(errs) > 0 {
		return nil
	}
	near, err := m.store.Nearby(ctx, tenantID, st.CategoryID, st.Point.Lat(), st.Point.Lon(), nearbyRadius, nearbyShown)
	if err != nil {
		return err
	}
	st.Step = stepDescribe
	if len(near) > 0 {
		st.Step = stepNearby
	}
	return nil
}

// activeCategory is one of the categories residents may report in.
func (m *Module) activeCategory(ctx context.Context, tenantID, id string) (*reports.Category, error) {
	if id == "" {
		return nil, reports.ErrNotFound
	}
	c, err := m.store.Category(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if !c.Active {
		return nil, reports.ErrNotFound
	}
	return c, nil
}

// submit files the report: a guest is told to confirm it from their
// mailbox, a signed-in resident with a proven address sees it at once.
func (m *Module) submit(w http.ResponseWriter, r *http.Request, st *formState) error {
	ctx := r.Context()
	t := tenant.FromContext(ctx)
	id := account.FromContext(ctx)
	c, err := m.activeCategory(ctx, t.ID, st.CategoryID)
	if err != nil && !errors.Is(err, reports.ErrNotFound) {
		return err
	}
	d := reports.Draft{CategoryID: st.CategoryID, Address: st.Address, Description: st.Form.Get(fieldDescription),
		Answers: st.answers(c), Staged: st.Staged, Lang: web.LangOf(r),
		Contact: reports.Contact{Name: st.Form.Get(fieldName), Email: st.Form.Get(fieldEmail), Phone: st.Form.Get(fieldPhone)}}
	if st.HasPoint { // else the domain takes a staged photo's position, or names the place
		d.Lat, d.Lon = st.Point.Lat(), st.Point.Lon()
	}
	if signedIn(id) {
		d.AccountID, d.EmailVerified, d.Contact.Email = id.UserID, id.EmailVerified, id.Email
	}
	if err := m.s.Limit(r, ReportLimit, d.Contact.Email); err != nil {
		return err
	}
	rep, _, err := m.store.Submit(ctx, t.ID, d)
	if fields := guichet.FieldErrors(err); fields != nil {
		errs := map[string]string{}
		for k, v := range fields {
			switch k {
			case "photos":
				k = fieldPhoto
			case "lat", "lon":
				k = errPlace
			}
			errs[k] = v
		}
		if errs[fieldCategory] != "" || errs[errPlace] != "" {
			st.Step = stepPlace
		}
		return m.renderForm(w, r, st, errs, nil)
	}
	if err != nil {
		return err
	}
	if rep.Confirmed() {
		return web.Redirect(w, r, reports.ReportPath(rep.ID))
	}
	return web.Redirect(w, r, SentPath)
}

// signedIn tells a resident signed in on the site, not a staff member
// half-way through their second factor.
func signedIn(id *account.Identity) bool {
	return id != nil && id.UserID != "" && !id.NeedsSecondFactor
}

// stagedThumb serves a staged photo's thumbnail to the form that holds
// its token.
func (m *Module) stagedThumb(w http.ResponseWriter, r *http.Request) error {
	body, err := m.store.OpenStagedThumb(r.Context(), tenant.FromContext(r.Context()).ID, r.PathValue("token"))
	if err != nil {
		return err
	}
	defer body.Close()
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = io.Copy(w, body)
	return err
}

// formRows are the access rows of formRoutes: the form is everyone's;
// a staged photo's token is its own credential.
func (c *Capability) formRows() []access.Row {
	public := access.Public()
	return []access.Row{
		access.For("site GET "+NewPath, public, nil),
		access.For("site POST "+NewPath, public, access.Posting(nil, url.Values{fieldStep: {"1"}, fieldAction: {"next"}})),
		access.For("site GET "+NewPath+"/photos/{token}", access.TokenHolders(),
			access.Fixed(access.Named("token", "reports-staged-photo"))).Secret("token"),
	}
}

// formFixtures stages a photo in the town, whose token the thumbnail's
// row sends.
func (c *Capability) formFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	token, err := c.stageFixture(ctx, town.ID)
	if err != nil {
		return err
	}
	f.Set("reports-staged-photo", token)
	return nil
}

// stageFixture stages a small photo in a collectivité.
func (c *Capability) stageFixture(ctx context.Context, tenantID string) (string, error) {
	s, err := c.Store.StagePhoto(ctx, tenantID, fixtureJPEG())
	if err != nil {
		return "", fmt.Errorf("reports: stage a photo: %w", err)
	}
	return s.Token, nil
}

// isolationCategory is the town's category the village's site is asked
// to file in.
const isolationCategory = "isolement-essai"

// formIsolation are the isolation rows of formRoutes: the village's
// site files nothing in a town category, and shows no photo the town's
// form staged.
func (c *Capability) formIsolation() []kernel.IsolationRow {
	file := func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		cat, err := c.Store.CategoryByCode(ctx, town.ID, isolationCategory)
		if errors.Is(err, reports.ErrNotFound) {
			cat = &reports.Category{TenantID: town.ID, Code: isolationCategory, Name: "Catégorie réservée à la ville",
				Active: true}
			err = c.Store.CreateCategory(ctx, cat)
		}
		if err != nil {
			return "", nil, err
		}
		return NewPath + "?" + fieldCategory + "=" + cat.ID, []string{cat.Name}, nil
	}
	send := url.Values{fieldStep: {"3"}, fieldAction: {"send"}, fieldLat: {"46.58"}, fieldLon: {"0.34"},
		fieldDescription: {"Un trou profond au milieu de la chaussée."}, fieldEmail: {"passant@exemple.fr"}}
	return []kernel.IsolationRow{
		{Name: "file a report in a town category", As: kernel.AsAnonymous, Method: "POST", Form: send, Target: file,
			Want: http.StatusUnprocessableEntity},
		{Name: "file a report in a town category, signed in", As: kernel.AsTownSession, Method: "POST", Form: send,
			Target: file, Want: http.StatusUnprocessableEntity},
		{Name: "a photo the town's form staged", As: kernel.AsAnonymous, Method: "GET", Want: http.StatusNotFound,
			Target: func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
				token, err := c.stageFixture(ctx, town.ID)
				return StagedPhotoPath(token), nil, err
			}},
	}
}
