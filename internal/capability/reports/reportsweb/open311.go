package reportsweb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/open311"
	"guichet/internal/kernel/tenant"
)

// NewOpen311 returns the Open311 handler of the store, answering for the
// collectivité of each request's context; site gives that collectivité's
// address ("https://ville.example"), which media_url and the link to a
// posted report's page start with. When cfg leaves them unset, the
// handler's clock is the store's, the accepted jurisdiction_id is the
// site's host name, and the discovery document names the collectivité
// and the last change of its categories.
func NewOpen311(store *reports.Store, site func(ctx context.Context) string, cfg open311.Config) *open311.Handler {
	b := &backend{store: store, site: site, zone: cfg.Zone}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return store.Now() }
	}
	if cfg.Jurisdiction == nil {
		cfg.Jurisdiction = b.jurisdiction
	}
	if cfg.About == nil {
		cfg.About = b.about
	}
	return open311.New(b, cfg)
}

// backend is open311.Backend over the store.
type backend struct {
	store *reports.Store
	site  func(ctx context.Context) string
	zone  *time.Location // where a datetime answer without a time is read
}

// Errors of the protocol that the store does not word.
var (
	errNoTenant  = guichet.Errorf(guichet.ENotFound, "Aucune collectivité ne répond à cette adresse.")
	errNoService = guichet.Errorf(guichet.ENotFound, "Aucun service ouvert ne porte ce code (service_code).")
	errNoRequest = guichet.Errorf(guichet.ENotFound, "Aucune demande publique ne porte cet identifiant.")
	errNoToken   = guichet.Errorf(guichet.ENotFound,
		"Jeton inconnu\u00a0: chaque demande déposée ici reçoit aussitôt son service_request_id, qui lui sert aussi de jeton.")
	// There is no geocoding yet: a report is a point on the map.
	errNoPoint = guichet.Invalid(map[string]string{"location": "Indiquez le lieu par lat et long\u00a0: " +
		"une adresse seule (address_string, address_id) ne peut pas encore être placée sur la carte."})
)

// tenantOf returns the collectivité of the request.
func tenantOf(ctx context.Context) (*tenant.Tenant, error) {
	t := tenant.FromContext(ctx)
	if t == nil || t.IsPlatform() {
		return nil, errNoTenant
	}
	return t, nil
}

// jurisdiction is the host name of the collectivité's site.
func (b *backend) jurisdiction(ctx context.Context) string {
	if _, err := tenantOf(ctx); err != nil {
		return ""
	}
	u, err := url.Parse(b.site(ctx))
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// about names the collectivité; a failed read of its categories leaves
// the changeset to the handler's default rather than failing discovery.
func (b *backend) about(r *http.Request) open311.About {
	t, err := tenantOf(r.Context())
	if err != nil {
		return open311.About{}
	}
	a := open311.About{Contact: strings.Join(slices.DeleteFunc([]string{t.Name, t.Email, t.Phone},
		func(s string) bool { return s == "" }), ", ")}
	if t.Email != "" {
		a.KeyService = "Demandez une clé d'API à " + t.Email + "."
	}
	cats, err := b.store.Categories(r.Context(), t.ID)
	if err == nil {
		for _, c := range cats {
			a.Changeset = later(a.Changeset, c.UpdatedAt)
		}
	}
	return a
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Services lists the active categories.
func (b *backend) Services(ctx context.Context) ([]open311.Service, error) {
	t, err := tenantOf(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := b.store.ActiveCategories(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := make([]open311.Service, len(cats))
	for i, c := range cats {
		out[i] = open311.Service{Code: c.Code, Name: c.Name, Description: c.Description, Metadata: len(c.Questions) > 0,
			Type: open311.Realtime, Keywords: c.Keywords, Group: c.Group}
	}
	return out, nil
}

// Definition returns an active category's questions.
func (b *backend) Definition(ctx context.Context, code string) (*open311.Definition, error) {
	t, err := tenantOf(ctx)
	if err != nil {
		return nil, err
	}
	c, err := b.category(ctx, t.ID, code)
	if err != nil {
		return nil, err
	}
	return definition(c), nil
}

func (b *backend) category(ctx context.Context, tenantID, code string) (*reports.Category, error) {
	c, err := b.store.CategoryByCode(ctx, tenantID, code)
	if errors.Is(err, reports.ErrNotFound) {
		return nil, errNoService
	}
	return c, err
}

// definition writes c's questions as attributes, numbered from 1 in
// their order (the specification wants unique positive orders, which
// the questions' own need not be). The question is the attribute's
// description, as clients show it; its help is the datatype's.
func definition(c *reports.Category) *open311.Definition {
	qs := slices.Clone(c.Questions)
	slices.SortStableFunc(qs, func(a, b reports.Question) int { return cmp.Compare(a.Order, b.Order) })
	d := &open311.Definition{ServiceCode: c.Code}
	for i, q := range qs {
		a := open311.Attribute{Variable: true, Code: q.Code, Datatype: open311.Datatype(q.Datatype), Required: q.Required,
			DatatypeDescription: q.Description, Order: i + 1, Description: q.Label}
		for _, v := range q.Values {
			a.Values = append(a.Values, open311.Value{Key: v.Key, Name: v.Name})
		}
		d.Attributes = append(d.Attributes, a)
	}
	return d
}

// Requests lists the public reports q selects, newest first.
func (b *backend) Requests(ctx context.Context, q open311.Query) ([]open311.Request, error) {
	t, err := tenantOf(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := b.store.Categories(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	f, ok := filter(q, cats)
	if !ok {
		return []open311.Request{}, nil
	}
	list, err := b.store.Requests(ctx, t.ID, f)
	if err != nil {
		return nil, err
	}
	return b.requests(ctx, t, list, cats)
}

// filter turns q into the store's filter; ok is false when q names
// only service codes the collectivité does not have.
func filter(q open311.Query, cats []*reports.Category) (f reports.RequestFilter, ok bool) {
	if len(q.IDs) > 0 {
		return reports.RequestFilter{IDs: q.IDs}, true
	}
	f = reports.RequestFilter{From: q.Start, To: q.End, Limit: q.Limit}
	for _, st := range q.Statuses {
		f.Statuses = append(f.Statuses, statusesOf(st)...)
	}
	for _, c := range cats {
		if slices.Contains(q.ServiceCodes, c.Code) {
			f.CategoryIDs = append(f.CategoryIDs, c.ID)
		}
	}
	return f, len(q.ServiceCodes) == 0 || len(f.CategoryIDs) > 0
}

// statusesOf lists the statuses Open311 reads as st.
func statusesOf(st open311.Status) []reports.Status {
	return slices.DeleteFunc(slices.Clone(reports.Statuses), func(s reports.Status) bool {
		return s.Open311Status() != string(st)
	})
}

// requests writes reports of the collectivité, with their first photos
// read in one query.
func (b *backend) requests(ctx context.Context, t *tenant.Tenant, list []*reports.Report, cats []*reports.Category) ([]open311.Request, error) {
	ids := make([]string, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	photos, err := b.store.FirstPhotos(ctx, t.ID, ids)
	if err != nil {
		return nil, err
	}
	site := b.site(ctx)
	out := make([]open311.Request, len(list))
	for i, r := range list {
		j := slices.IndexFunc(cats, func(c *reports.Category) bool { return c.ID == r.CategoryID })
		if j < 0 {
			return nil, fmt.Errorf("reportsweb: report %s has no category %s", r.ID, r.CategoryID)
		}
		out[i] = request(t, r, cats[j], photoURL(site, photos[r.ID]))
	}
	return out, nil
}

// photoURL is the public address of p, "" for no photo.
func photoURL(site string, p reports.Photo) string {
	if p.ID == "" {
		return ""
	}
	return site + p.Path()
}

// request writes a public report; the agency responsible is the
// collectivité, since its services are known by slugs only.
func request(t *tenant.Tenant, r *reports.Report, c *reports.Category, media string) open311.Request {
	lat, long := r.Lat, r.Lon
	return open311.Request{ID: r.ID, Status: open311.Status(r.Status.Open311Status()), StatusNotes: r.PublicNote,
		ServiceName: c.Name, ServiceCode: c.Code, Description: r.Description, AgencyResponsible: t.Name,
		Requested: r.CreatedAt, Updated: r.UpdatedAt, Address: r.Address, Lat: &lat, Long: &long, MediaURL: media}
}

// Request returns one public report.
func (b *backend) Request(ctx context.Context, id string) (*open311.Request, error) {
	t, err := tenantOf(ctx)
	if err != nil {
		return nil, err
	}
	d, err := b.store.PublicReport(ctx, t.ID, id)
	if errors.Is(err, reports.ErrNotFound) {
		return nil, errNoRequest
	}
	if err != nil {
		return nil, err
	}
	var first reports.Photo
	if len(d.Photos) > 0 {
		first = d.Photos[0]
	}
	r := request(t, d.Report, d.Category, photoURL(b.site(ctx), first))
	return &r, nil
}

// Post files a report for the holder of a live key of the collectivité:
// trusted, it is confirmed and routed at once. Media URLs are not
// fetched (the server would reach wherever a client points it), so the
// report has no photo.
func (b *backend) Post(ctx context.Context, apiKey string, nr open311.NewRequest) (*open311.Posted, error) {
	t, err := tenantOf(ctx)
	if err != nil {
		return nil, err
	}
	key, err := b.store.KeyByToken(ctx, t.ID, apiKey)
	if err != nil {
		return nil, err
	}
	c, err := b.category(ctx, t.ID, nr.ServiceCode)
	if err != nil {
		return nil, err
	}
	if nr.Lat == nil || nr.Long == nil {
		return nil, errNoPoint
	}
	answers, err := b.answers(c, nr.Attributes)
	if err != nil {
		return nil, err
	}
	r, _, err := b.store.Submit(ctx, t.ID, reports.Draft{CategoryID: c.ID, Lat: *nr.Lat, Lon: *nr.Long,
		Address: nr.AddressString, Description: nr.Description, Answers: answers, APIKeyID: key.ID, Lang: "fr",
		Contact: reports.Contact{Name: strings.TrimSpace(nr.FirstName + " " + nr.LastName), Email: nr.Email, Phone: nr.Phone}})
	if err != nil {
		return nil, renamed(err)
	}
	return &open311.Posted{ID: r.ID, ServiceNotice: b.notice(ctx, r)}, nil
}

// notice gives the report's reference and public page.
func (b *backend) notice(ctx context.Context, r *reports.Report) string {
	if site := b.site(ctx); site != "" {
		return "Signalement " + r.Reference + "\u00a0; suivi public\u00a0: " + site + r.Path()
	}
	return "Signalement " + r.Reference
}

// answers checks the attributes in Open311's terms (numbers with a dot,
// W3C datetimes, strings on one line) and keeps those of c's questions,
// datetimes written as the store reads them; the store then checks
// them against the category again.
func (b *backend) answers(c *reports.Category, attrs map[string][]string) (reports.Answers, error) {
	if bad := definition(c).Check(attrs); bad != nil {
		return nil, guichet.Invalid(bad)
	}
	out := reports.Answers{}
	for _, q := range c.Questions {
		values := slices.Clone(attrs[q.Code])
		if len(values) == 0 {
			continue
		}
		if q.Datatype == reports.TypeDatetime {
			values[0] = b.datetime(values[0])
		}
		out[q.Code] = values
	}
	return out, nil
}

// datetime writes a W3C datetime as RFC 3339, the store's form; a date
// alone stays as it is, which the store reads too.
func (b *backend) datetime(v string) string {
	if _, err := time.Parse(time.DateOnly, v); err == nil {
		return v
	}
	at, err := open311.ParseTime(v, b.zone)
	if err != nil {
		return v // Check refused it already
	}
	return at.Format(time.RFC3339)
}

// fieldNames are Open311's names of the store's fields.
var fieldNames = map[string]string{"category": "service_code", "position": "lat", "address": "address_string",
	"name": "first_name", "photos": "media_url"}

// outOfFrance replaces the store's message about the map, which a
// client has not got.
const outOfFrance = "Le point (lat, long) est hors de France\u00a0: vérifiez les coordonnées et leur ordre."

// renamed names the fields the store refused as the client sent them.
func renamed(err error) error {
	fields := guichet.FieldErrors(err)
	if fields == nil {
		return err
	}
	out := map[string]string{}
	for name, msg := range fields {
		if code, ok := strings.CutPrefix(name, reports.AnswerField("")); ok {
			out["attribute["+code+"]"] = msg
			continue
		}
		if name == "position" {
			msg = outOfFrance
		}
		out[cmp.Or(fieldNames[name], name)] = msg
	}
	return guichet.Invalid(out)
}

// Token answers a public request's id as its own token, and any other
// token as unknown (404, an error list): every service here is
// realtime, a POST's report being confirmed at once, so the POST answers
// its service_request_id and never a token; a client that polls tokens
// all the same finds the request there.
func (b *backend) Token(ctx context.Context, token string) ([]open311.TokenAnswer, error) {
	t, err := tenantOf(ctx)
	if err != nil {
		return nil, err
	}
	d, err := b.store.PublicReport(ctx, t.ID, token)
	if errors.Is(err, reports.ErrNotFound) {
		return nil, errNoToken
	}
	if err != nil {
		return nil, err
	}
	return []open311.TokenAnswer{{Token: token, ID: d.Report.ID}}, nil
}
