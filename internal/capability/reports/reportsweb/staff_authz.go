package reportsweb

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet/internal/capability/reports"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// staffRows are the access rows of staffRoutes: the queue and a
// report's handling for the administrators and the agents of the
// service the rows' category goes to (Service), the categories and keys
// for the administrators, the figures for anyone.
func (c *Capability) staffRows() []access.Row {
	staff, admin, public := access.OfService(Service, account.RoleAgent), access.StaffOnly(account.RoleAdmin), access.Public()
	fixed, named, posting := access.Fixed, access.Named, access.Posting
	report := named("id", "reports-staff-report")
	photo := func(f access.Fixtures) access.Params {
		return access.Params{"id": f.Get("reports-staff-report"), "photo": f.Get("reports-staff-photo")}
	}
	category := named("id", "reports-staff-category")
	return []access.Row{
		access.For("site GET "+QueuePath, staff, nil),
		access.For("site GET "+QueuePath+"/{id}", staff, fixed(report)),
		// The report's version with neither status nor note: refused on
		// its field, nothing written.
		access.For("site POST "+QueuePath+"/{id}", staff, func(f access.Fixtures) access.Call {
			return access.Call{Params: report(f), Form: url.Values{"vu": {f.Get("reports-staff-seen")}, "public_note": {""}}}
		}),
		access.For("site GET "+QueuePath+"/{id}/photos/{photo}", staff, fixed(photo)),
		access.For("site GET "+QueuePath+"/{id}/photos/{photo}/supprimer", staff, fixed(photo)),
		access.For("site POST "+QueuePath+"/{id}/photos/{photo}/supprimer", staff, func(f access.Fixtures) access.Call {
			id, ph, _ := strings.Cut(f.Take("reports-staff-photos"), " ")
			return access.Call{Params: access.Params{"id": id, "photo": ph}}
		}).Renewed(),

		access.For("site GET "+CategoriesPath, admin, nil),
		access.For("site GET "+categoryNewPath, admin, nil),
		access.For("site POST "+categoryNewPath, admin, posting(nil, url.Values{"name": {""}})),
		access.For("site GET "+CategoriesPath+"/{id}", admin, fixed(category)),
		access.For("site POST "+CategoriesPath+"/{id}", admin, posting(category, url.Values{"name": {""}})),
		access.For("site POST "+CategoriesPath+"/{id}/desactiver", admin, access.Taken("id", "reports-staff-categories")).Renewed(),
		access.For("site GET "+KeysPath, admin, nil),
		access.For("site POST "+KeysPath, admin, posting(nil, url.Values{"name": {""}})),
		access.For("site POST "+KeysPath+"/{id}/revoquer", admin, access.Taken("id", "reports-staff-keys")).Renewed(),

		access.For("site GET "+FiguresPath, public, nil),
		access.For("site GET "+figuresCSVPath, public, nil),
	}
}

// staffFixtures makes the records staffRows name: a category of the
// town routed to Service with a confirmed report and its photo, and
// throw-away photos, categories and keys for the one-shot posts.
func (c *Capability) staffFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	cat, err := c.fixtureCategory(ctx, town.ID, f.Next())
	if err != nil {
		return err
	}
	f.Set("reports-staff-category", cat.ID)
	r, photoID, err := c.fixtureReport(ctx, town.ID, cat, "Rue de la Matrice")
	if err != nil {
		return err
	}
	f.Set("reports-staff-report", r.ID)
	f.Set("reports-staff-photo", photoID)
	d, err := c.Store.StaffReport(ctx, town.ID, r.ID)
	if err != nil {
		return err
	}
	f.Set("reports-staff-seen", strconv.Itoa(len(d.Updates)))
	if err := f.Fill("reports-staff-photos", f.Uses(), func() (string, error) {
		r, photoID, err := c.fixtureReport(ctx, town.ID, cat, fmt.Sprintf("Rue de la Matrice %d", f.Next()))
		return r.ID + " " + photoID, err
	}); err != nil {
		return err
	}
	if err := f.Fill("reports-staff-categories", f.Uses(), func() (string, error) {
		cat, err := c.fixtureCategory(ctx, town.ID, f.Next())
		if err != nil {
			return "", err
		}
		return cat.ID, nil
	}); err != nil {
		return err
	}
	return f.Fill("reports-staff-keys", f.Uses(), func() (string, error) {
		k, _, err := c.Store.CreateKey(ctx, town.ID, fmt.Sprintf("Client de la matrice %d", f.Next()))
		if err != nil {
			return "", err
		}
		return k.ID, nil
	})
}

// fixtureCategory is an active category of the tenant routed to Service.
func (c *Capability) fixtureCategory(ctx context.Context, tenantID string, n int) (*reports.Category, error) {
	cat := &reports.Category{TenantID: tenantID, Code: fmt.Sprintf("matrice-voirie-%d", n), Name: fmt.Sprintf("Voirie de la matrice %d", n),
		Group: "Voirie", Service: Service, Active: true, Position: 900 + n}
	if err := c.Store.CreateCategory(ctx, cat); err != nil {
		return nil, fmt.Errorf("reports fixtures: a category: %w", err)
	}
	return cat, nil
}

// fixtureReport is a confirmed report in cat at address, with one photo.
func (c *Capability) fixtureReport(ctx context.Context, tenantID string, cat *reports.Category, address string) (*reports.Report, string, error) {
	_, token, err := c.Store.Submit(ctx, tenantID, reports.Draft{CategoryID: cat.ID, Lat: 46.4201, Lon: 0.6012, Address: address,
		Description: "Une plaque d'égout descellée au milieu de la chaussée.", Photos: []reports.PhotoUpload{fixturePhoto()},
		Contact: reports.Contact{Name: "Auteur de la matrice", Email: "auteur.matrice@courriel.localhost"}, Lang: "fr"})
	if err != nil {
		return nil, "", fmt.Errorf("reports fixtures: a report: %w", err)
	}
	r, err := c.Store.Confirm(ctx, tenantID, token)
	if err != nil {
		return nil, "", fmt.Errorf("reports fixtures: confirm a report: %w", err)
	}
	d, err := c.Store.StaffReport(ctx, tenantID, r.ID)
	if err != nil || len(d.Photos) == 0 {
		return nil, "", fmt.Errorf("reports fixtures: the report's photo: %v", err)
	}
	return d.Report, d.Photos[0].ID, nil
}

// fixturePhoto is a small JPEG, as an Open311 client sends one.
func fixturePhoto() reports.PhotoUpload {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{R: uint8(x * 6), G: uint8(y * 8), B: 90, A: 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, nil) // into memory: cannot fail
	return reports.PhotoUpload{ContentType: "image/jpeg", Width: 40, Height: 30, Body: &b}
}

// The town's records the isolation rows aim at, made on first use and
// found again by their names.
const (
	isoCategoryCode = "isolation-ville"
	isoCategoryName = "Catégorie réservée à la ville"
	isoAddress      = "7 impasse du Cloisonnement"
	isoKeyName      = "Client Open311 réservé à la ville"
	isoNote         = "Piratée"
)

// isoRecords are the town's category, report, photo and key.
type isoRecords struct {
	cat     *reports.Category
	report  *reports.Report
	photoID string
	keyID   string
}

// townRecords finds the isolation rows' records of the town, making
// those missing.
func (c *Capability) townRecords(ctx context.Context, town *tenant.Tenant) (*isoRecords, error) {
	out := &isoRecords{}
	cats, err := c.Store.Categories(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, cat := range cats {
		if cat.Code == isoCategoryCode {
			out.cat = cat
		}
	}
	if out.cat == nil {
		out.cat = &reports.Category{TenantID: town.ID, Code: isoCategoryCode, Name: isoCategoryName, Service: Service, Active: true}
		if err := c.Store.CreateCategory(ctx, out.cat); err != nil {
			return nil, err
		}
	}
	list, _, err := c.Store.Queue(ctx, town.ID, reports.QueueFilter{Scope: reports.Scope{All: true}, CategoryID: out.cat.ID})
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		d, err := c.Store.StaffReport(ctx, town.ID, list[0].ID)
		if err != nil {
			return nil, err
		}
		out.report = d.Report
		if len(d.Photos) > 0 {
			out.photoID = d.Photos[0].ID
		}
	} else if out.report, out.photoID, err = c.fixtureReport(ctx, town.ID, out.cat, isoAddress); err != nil {
		return nil, err
	}
	keys, err := c.Store.Keys(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.Name == isoKeyName {
			out.keyID = k.ID
		}
	}
	if out.keyID == "" {
		k, _, err := c.Store.CreateKey(ctx, town.ID, isoKeyName)
		if err != nil {
			return nil, err
		}
		out.keyID = k.ID
	}
	return out, nil
}

// isoTarget aims at path(records) with the town's names as leaks.
func (c *Capability) isoTarget(path func(*isoRecords) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		rec, err := c.townRecords(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return path(rec), []string{isoCategoryName, isoAddress, isoKeyName}, nil
	}
}

// townIntact checks that the isolation rows changed nothing of the
// town's records.
func (c *Capability) townIntact(ctx context.Context, town *tenant.Tenant) error {
	rec, err := c.townRecords(ctx, town)
	if err != nil {
		return err
	}
	if !rec.cat.Active || rec.cat.Name != isoCategoryName {
		return fmt.Errorf("the town's category changed: %+v", rec.cat)
	}
	if rec.report.Status != reports.New || rec.report.PublicNote != "" || rec.photoID == "" {
		return fmt.Errorf("the town's report changed: %s %q, photo %q", rec.report.Status, rec.report.PublicNote, rec.photoID)
	}
	keys, err := c.Store.Keys(ctx, town.ID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.ID == rec.keyID && k.RevokedAt != nil {
			return fmt.Errorf("the town's key was revoked")
		}
	}
	return nil
}

// staffIsolation are the isolation rows of staffRoutes: the village's
// administrator neither sees nor changes the town's reports, photos,
// categories and keys, and the village's figures count none of the
// town's.
func (c *Capability) staffIsolation() []kernel.IsolationRow {
	admin, anon := kernel.AsVillageAdmin, kernel.AsAnonymous
	ok, missing := http.StatusOK, http.StatusNotFound
	row := func(name, as, method string, form url.Values, path func(*isoRecords) string, want int) kernel.IsolationRow {
		r := kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: c.isoTarget(path), Want: want}
		if method == http.MethodPost {
			r.Unchanged = c.townIntact
		}
		return r
	}
	fixedPath := func(p string) func(*isoRecords) string { return func(*isoRecords) string { return p } }
	report := func(suffix string) func(*isoRecords) string {
		return func(rec *isoRecords) string { return QueuePath + "/" + rec.report.ID + suffix }
	}
	photo := func(suffix string) func(*isoRecords) string {
		return func(rec *isoRecords) string {
			return QueuePath + "/" + rec.report.ID + "/photos/" + rec.photoID + suffix
		}
	}
	category := func(suffix string) func(*isoRecords) string {
		return func(rec *isoRecords) string { return CategoriesPath + "/" + rec.cat.ID + suffix }
	}
	return []kernel.IsolationRow{
		row("the village's queue lists none of the town's reports", admin, "GET", nil, fixedPath(QueuePath), ok),
		row("the village's queue filtered on a town category", admin, "GET", nil,
			func(rec *isoRecords) string { return QueuePath + "?categorie=" + rec.cat.ID }, ok),
		row("open a town report", admin, "GET", nil, report(""), missing),
		row("change a town report", admin, "POST", url.Values{"status": {"fixed"}, "public_note": {isoNote}}, report(""), missing),
		row("see a town report's photo", admin, "GET", nil, photo(""), missing),
		row("the removal of a town report's photo", admin, "GET", nil, photo("/supprimer"), missing),
		row("remove a town report's photo", admin, "POST", nil, photo("/supprimer"), missing),
		row("the village's categories list none of the town's", admin, "GET", nil, fixedPath(CategoriesPath), ok),
		row("open a town category", admin, "GET", nil, category(""), missing),
		row("change a town category", admin, "POST", url.Values{"code": {"piratee"}, "name": {isoNote}}, category(""), missing),
		row("deactivate a town category", admin, "POST", nil, category("/desactiver"), missing),
		row("the village's keys list none of the town's", admin, "GET", nil, fixedPath(KeysPath), ok),
		row("revoke a town key", admin, "POST", nil, func(rec *isoRecords) string { return KeysPath + "/" + rec.keyID + "/revoquer" }, missing),
		row("the village's figures count none of the town's categories", anon, "GET", nil, fixedPath(FiguresPath), ok),
		row("the village's figures file holds none of the town's categories", anon, "GET", nil, fixedPath(figuresCSVPath), ok),
	}
}
