package queueweb

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/capability/queue"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/qr"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// adminSites lists the sites with the form to add one.
func (m *Module) adminSites(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminSites(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminSites(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	sites, err := m.store.Sites(r.Context(), tenantID(r))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Sites": sites})
	p.Title = p.T("queue.admin.title")
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "queue/admin_sites", p)
	return nil
}

func siteInput(r *http.Request) queue.SiteInput {
	near, _ := strconv.Atoi(r.PostForm.Get("near_turn"))
	return queue.SiteInput{Name: r.PostForm.Get("name"), Slug: r.PostForm.Get("slug"), Address: r.PostForm.Get("address"),
		Hours: r.PostForm.Get("hours"), Information: r.PostForm.Get("information"), PriorityAllowed: r.PostForm.Get("priority") == "1",
		NearTurn: near}
}

// createSite adds a site and opens its page.
func (m *Module) createSite(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	site, err := m.store.CreateSite(r.Context(), tenantID(r), siteInput(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminSites(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.site_create", site.ID)
	return web.Redirect(w, r, AdminPath+"/"+site.ID)
}

// adminSiteOf returns the path's site.
func (m *Module) adminSiteOf(r *http.Request) (*queue.Site, error) {
	return m.store.Site(r.Context(), tenantID(r), r.PathValue("id"))
}

// adminSite is a site's settings, services, counters and kiosks.
func (m *Module) adminSite(w http.ResponseWriter, r *http.Request) error {
	return m.renderAdminSite(w, r, http.StatusOK, nil)
}

func (m *Module) renderAdminSite(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	site, err := m.adminSiteOf(r)
	if err != nil {
		return err
	}
	kiosks, err := m.store.Kiosks(r.Context(), site.TenantID)
	if err != nil {
		return err
	}
	type kioskView struct {
		*queue.Kiosk
		Link, Seen string
	}
	var views []kioskView
	for _, k := range kiosks {
		if k.SiteID != site.ID {
			continue
		}
		v := kioskView{Kiosk: k, Link: "/borne/" + m.store.KioskHandle(k)}
		if k.SeenAt != nil {
			v.Seen = k.SeenAt.In(loc(r)).Format("02/01/2006 15:04")
		}
		views = append(views, v)
	}
	p := m.s.Render.NewPage(r, "", nil)
	pictos := make([]publishingweb.Option, len(queue.Pictograms))
	for i, v := range queue.Pictograms {
		pictos[i] = publishingweb.Option{Value: v, Label: p.T("queue.pictogram." + v)}
	}
	staffServices := make([]publishingweb.Option, len(staff.Services))
	for i, v := range staff.Services {
		staffServices[i] = publishingweb.Option{Value: v, Label: p.T("backoffice.service." + v)}
	}
	// The code to print at the entrance: phones join the queue from it.
	entrance := m.s.SiteURL(r, tenant.FromContext(r.Context())) + SitesPath + "/" + site.Slug
	poster, err := qr.SVG(entrance, p.T("queue.admin.poster_label", site.Name))
	if err != nil {
		return err
	}
	p.Data = map[string]any{"Site": site, "Kiosks": views, "Pictograms": pictos, "StaffServices": staffServices,
		"Base": AdminPath + "/" + site.ID, "Poster": template.HTML(poster), "Entrance": entrance} //nolint:gosec // drawn by qr, text escaped
	p.Title = p.T("queue.admin.site_title", site.Name)
	p.Errors = errs
	if r.Method == http.MethodPost {
		p.Form = r.PostForm
	} else {
		p.Form = map[string][]string{"name": {site.Name}, "address": {site.Address}, "hours": {site.Hours},
			"information": {site.Information}, "near_turn": {strconv.Itoa(site.NearTurn)}}
		if site.PriorityAllowed {
			p.Form["priority"] = []string{"1"}
		}
	}
	m.s.Render.Page(w, r, status, "queue/admin_site", p)
	return nil
}

// updateSite saves a site's settings.
func (m *Module) updateSite(w http.ResponseWriter, r *http.Request) error {
	site, err := m.adminSiteOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err = m.store.UpdateSite(r.Context(), site, siteInput(r))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminSite(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.site_update", site.ID)
	return web.Redirect(w, r, AdminPath+"/"+site.ID)
}

// addService adds a service to the site.
func (m *Module) addService(w http.ResponseWriter, r *http.Request) error {
	site, err := m.adminSiteOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	minutes, _ := strconv.Atoi(r.PostForm.Get("minutes"))
	_, err = m.store.AddService(r.Context(), site, queue.ServiceInput{Letter: r.PostForm.Get("letter"), Name: r.PostForm.Get("service_name"),
		NameEn: r.PostForm.Get("service_name_en"), Description: r.PostForm.Get("description"), Pictogram: r.PostForm.Get("pictogram"),
		AppointmentService: r.PostForm.Get("appointment_service"), Minutes: minutes})
	if fields := guichet.FieldErrors(err); fields != nil {
		if msg, ok := fields["name"]; ok {
			fields["service_name"] = msg
			delete(fields, "name")
		}
		return m.renderAdminSite(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.service_add", site.ID)
	return web.Redirect(w, r, AdminPath+"/"+site.ID)
}

// addCounter adds a counter to the site.
func (m *Module) addCounter(w http.ResponseWriter, r *http.Request) error {
	site, err := m.adminSiteOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err = m.store.AddCounter(r.Context(), site, r.PostForm.Get("counter"))
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminSite(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.counter_add", site.ID)
	return web.Redirect(w, r, AdminPath+"/"+site.ID)
}

// addKiosk registers a kiosk of the site; its page lists its address.
func (m *Module) addKiosk(w http.ResponseWriter, r *http.Request) error {
	site, err := m.adminSiteOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	idle, _ := strconv.Atoi(r.PostForm.Get("idle"))
	k, err := m.store.AddKiosk(r.Context(), site, r.PostForm.Get("kiosk"), time.Duration(idle)*time.Second)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderAdminSite(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.kiosk_add", k.ID)
	return web.Redirect(w, r, AdminPath+"/"+site.ID)
}

// renewKiosk gives a kiosk a new address: the old one stops working (a
// stolen or lost device).
func (m *Module) renewKiosk(w http.ResponseWriter, r *http.Request) error {
	k, err := m.store.RenewKiosk(r.Context(), tenantID(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.kiosk_renew", k.ID)
	return web.Redirect(w, r, AdminPath+"/"+k.SiteID)
}

// removeKiosk deletes a kiosk.
func (m *Module) removeKiosk(w http.ResponseWriter, r *http.Request) error {
	k, err := m.store.Kiosk(r.Context(), tenantID(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := m.store.RemoveKiosk(r.Context(), k.TenantID, k.ID); err != nil {
		return err
	}
	m.s.Record(r, "queue.kiosk_remove", k.ID)
	return web.Redirect(w, r, AdminPath+"/"+k.SiteID)
}
