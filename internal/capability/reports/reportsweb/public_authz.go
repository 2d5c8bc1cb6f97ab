package reportsweb

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"strconv"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

// publicRows are the access rows of publicRoutes: the public pages for
// anyone, the mails' links for their holders (a made-up token refused,
// but by the unsubscribe links, which answer any token alike), the
// resident's own reports for the signed-in.
func (c *Capability) publicRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	fixed, named, taken := access.Fixed, access.Named, access.Taken
	report := named("id", "report-public")
	photo := func(f access.Fixtures) access.Params {
		return access.Params{"id": f.Get("report-public"), "photo": f.Get("reports-public-photo")}
	}
	site := func(method, path string) string { return "site " + method + " " + path }
	link := func(prefix string) string { return prefix + "{token}" }
	return []access.Row{
		access.For(site("GET", ListPath), public, nil),
		access.For(site("GET", AlertsPath), public, nil),
		// An address that does not read: refused on its field, nothing mailed.
		access.For(site("POST", AlertsPath), public, access.Posting(nil, url.Values{"position": {"46.580200,0.340400"},
			"radius": {"300"}, "email": {"pas-une-adresse"}})),
		access.For(site("GET", reports.BasePath+"/{id}"), public, fixed(report)),
		// The report's actions share one pattern, tried with "suivre": a
		// guest's address that does not read is refused on its field, a
		// signed-in resident with a proven address follows at once.
		access.For("site "+pubActionPattern, public, access.Posting(func(f access.Fixtures) access.Params {
			return access.Params{"id": f.Get("report-public"), "action": pubFollowAction}
		}, url.Values{"email": {"pas-une-adresse"}})),
		access.For(site("GET", reports.BasePath+"/{id}/photos/{photo}"), public, fixed(photo)),
		access.For(site("GET", reports.BasePath+"/{id}/photos/{photo}"+pubThumbSuffix), public, fixed(photo)),

		access.For(site("GET", link(reports.ConfirmPrefix)), holders, fixed(named("token", "reports-public-confirm"))).Secret("token"),
		access.For(site("POST", link(reports.ConfirmPrefix)), holders, taken("token", "reports-public-confirms")).Renewed().Secret("token"),
		access.For(site("GET", link(reports.ManagePrefix)), holders, fixed(named("token", "reports-public-manage"))).Secret("token"),
		access.For(site("POST", link(reports.ManagePrefix)), holders, func(f access.Fixtures) access.Call {
			return access.Call{Params: access.Params{"token": f.Take("reports-public-manages")},
				Form: url.Values{"reason": {"Le problème est revenu depuis."}}}
		}).Renewed().Secret("token"),
		access.For(site("GET", link(reports.FollowConfirmPrefix)), holders, fixed(named("token", "reports-public-follow"))).Secret("token"),
		access.For(site("POST", link(reports.FollowConfirmPrefix)), holders, taken("token", "reports-public-follows")).Renewed().Secret("token"),
		access.For(site("GET", link(reports.UnfollowPrefix)), holders, fixed(named("token", "reports-public-unfollow"))),
		access.For(site("POST", link(reports.UnfollowPrefix)), holders, fixed(named("token", "reports-public-unfollow"))),
		access.For(site("GET", link(reports.AlertConfirmPrefix)), holders, fixed(named("token", "reports-public-alert"))).Secret("token"),
		access.For(site("POST", link(reports.AlertConfirmPrefix)), holders, taken("token", "reports-public-alerts")).Renewed().Secret("token"),
		access.For(site("GET", link(reports.AlertUnsubscribePrefix)), holders, fixed(named("token", "reports-public-alert-stop"))),
		access.For(site("POST", link(reports.AlertUnsubscribePrefix)), holders, fixed(named("token", "reports-public-alert-stop"))),

		access.For(site("GET", MinePath), access.SignedInOnly(), nil),
	}
}

// publicFixtures makes the records publicRows name: a category of its
// own, a public report of the demo resident with a photo, guests'
// reports waiting for their link, fixed reports to reopen by their
// author's link, follows and area alerts waiting or to end.
func (c *Capability) publicFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return fmt.Errorf("reports fixtures: the resident: %w", err)
	}
	fx := &pubFixture{s: c.Store, town: town}
	if fx.cat, err = fx.category(ctx, "matrice-signalements"); err != nil {
		return err
	}
	r, err := fx.report(ctx, f.Next(), u.ID, true)
	if err != nil {
		return err
	}
	d, err := c.Store.PublicReport(ctx, town.ID, r.ID)
	if err != nil || len(d.Photos) == 0 {
		return fmt.Errorf("reports fixtures: the public report's photo: %v", err)
	}
	f.Set("report-public", r.ID)
	f.Set("reports-public-photo", d.Photos[0].ID)

	named := func(name, pool string, mk func() (string, error)) error {
		v, err := mk()
		if err != nil {
			return fmt.Errorf("reports fixtures: %s: %w", name, err)
		}
		f.Set(name, v)
		if pool == "" {
			return nil
		}
		return f.Fill(pool, f.Uses(), mk)
	}
	if err := named("reports-public-confirm", "reports-public-confirms", func() (string, error) {
		_, token, err := c.Store.Submit(ctx, town.ID, fx.draft(f.Next(), ""))
		return token, err
	}); err != nil {
		return err
	}
	if err := named("reports-public-manage", "reports-public-manages", func() (string, error) {
		return fx.fixedWithLink(ctx, f.Next(), u.ID)
	}); err != nil {
		return err
	}
	if err := named("reports-public-follow", "reports-public-follows", func() (string, error) {
		return c.Store.Follow(ctx, town.ID, r.ID, fmt.Sprintf("suivi-%d@courriel.localhost", f.Next()), "fr")
	}); err != nil {
		return err
	}
	if err := named("reports-public-unfollow", "", func() (string, error) {
		_, unfollow, err := fx.follow(ctx, r.ID, fmt.Sprintf("suivi-%d@courriel.localhost", f.Next()))
		return unfollow, err
	}); err != nil {
		return err
	}
	if err := named("reports-public-alert", "reports-public-alerts", func() (string, error) {
		token, _, err := fx.alert(ctx, fmt.Sprintf("alerte-%d@courriel.localhost", f.Next()))
		return token, err
	}); err != nil {
		return err
	}
	return named("reports-public-alert-stop", "", func() (string, error) {
		_, stop, err := fx.alert(ctx, fmt.Sprintf("alerte-%d@courriel.localhost", f.Next()))
		return stop, err
	})
}

// pubFixture makes the town's records that the matrix and the isolation
// rows try.
type pubFixture struct {
	s    *reports.Store
	town *tenant.Tenant
	cat  *reports.Category
}

// pubPoint is where the fixtures' reports are: in France, as the store
// wants.
const pubPointLat, pubPointLon = 46.5802, 0.3404

// category returns the active category code, made if missing.
func (fx *pubFixture) category(ctx context.Context, code string) (*reports.Category, error) {
	if c, err := fx.s.CategoryByCode(ctx, fx.town.ID, code); err == nil {
		return c, nil
	}
	c := &reports.Category{TenantID: fx.town.ID, Code: code, Name: "Catégorie " + code, Group: "Voirie", Service: Service, Active: true}
	if err := fx.s.CreateCategory(ctx, c); err != nil {
		return nil, fmt.Errorf("reports fixtures: category %s: %w", code, err)
	}
	return c, nil
}

// draft is a guest's report numbered n, described by what, or a text of
// its own.
func (fx *pubFixture) draft(n int, what string) reports.Draft {
	if what == "" {
		what = "Matrice, problème n°\u00a0" + strconv.Itoa(n)
	}
	return reports.Draft{CategoryID: fx.cat.ID, Lat: pubPointLat + float64(n%50)/10000, Lon: pubPointLon, Address: "1 place de la Mairie",
		Description: what, Lang: "fr", Contact: reports.Contact{Name: "Auteur de la matrice",
			Email: fmt.Sprintf("auteur-%d@courriel.localhost", n)}}
}

// report files a report of accountID, confirmed at once when trusted,
// with a photo.
func (fx *pubFixture) report(ctx context.Context, n int, accountID string, photo bool) (*reports.Report, error) {
	d := fx.draft(n, "")
	d.AccountID, d.EmailVerified = accountID, true
	if photo {
		d.Photos = []reports.PhotoUpload{{ContentType: "image/jpeg", Width: 32, Height: 24, Body: bytes.NewReader(pubJPEG())}}
	}
	r, _, err := fx.s.Submit(ctx, fx.town.ID, d)
	if err != nil {
		return nil, fmt.Errorf("reports fixtures: report: %w", err)
	}
	return r, nil
}

// fixedWithLink is a fixed report of accountID and its author's link:
// the link is mailed, so its hash is put where the mailed one's was.
func (fx *pubFixture) fixedWithLink(ctx context.Context, n int, accountID string) (string, error) {
	r, err := fx.report(ctx, n, accountID, false)
	if err != nil {
		return "", err
	}
	if _, err := fx.s.Change(ctx, fx.town.ID, r.ID, reports.Change{Status: reports.Fixed, PublicNote: "Réparé.", By: "Matrice"}); err != nil {
		return "", err
	}
	token := fmt.Sprintf("jeton-de-suivi-%d-de-la-matrice", n)
	_, err = fx.s.DB().Exec(ctx, `UPDATE reports SET manage_hash = ? WHERE tenant_id = ? AND id = ?`, tokens.Hash(token), fx.town.ID, r.ID)
	return token, err
}

// follow asks to follow a report by email: the confirmation's token and
// the unfollow link's.
func (fx *pubFixture) follow(ctx context.Context, reportID, email string) (confirm, unfollow string, err error) {
	if confirm, err = fx.s.Follow(ctx, fx.town.ID, reportID, email, "fr"); err != nil {
		return "", "", err
	}
	err = fx.s.DB().QueryRow(ctx, `SELECT unsubscribe_token FROM report_followers WHERE tenant_id = ? AND report_id = ? AND email = ?`,
		fx.town.ID, reportID, email).Scan(&unfollow)
	return confirm, unfollow, err
}

// alert asks for an area alert: its confirmation's token and its
// unsubscribe link's.
func (fx *pubFixture) alert(ctx context.Context, email string) (confirm, stop string, err error) {
	a := reports.AreaAlert{Email: email, Lat: pubPointLat, Lon: pubPointLon, Radius: 300, Lang: "fr"}
	if confirm, err = fx.s.SubscribeArea(ctx, fx.town.ID, a); err != nil {
		return "", "", err
	}
	err = fx.s.DB().QueryRow(ctx, `SELECT unsubscribe_token FROM report_area_alerts WHERE tenant_id = ? AND email = ?`,
		fx.town.ID, email).Scan(&stop)
	return confirm, stop, err
}

// pubJPEG is a small photo.
func pubJPEG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for y := range 24 {
		for x := range 32 {
			img.Set(x, y, color.RGBA{R: 120, G: 90, B: 60, A: 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, nil) // an in-memory image always encodes
	return b.Bytes()
}
