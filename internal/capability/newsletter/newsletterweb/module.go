// Package newsletterweb serves a collectivité's newsletter: the
// subscription form and its emailed links, the one-click unsubscription,
// the archive of past campaigns, the counters of opens and clicks, the
// address where the sending service reports bounces, and the editors'
// pages (campaigns, subscribers, lists, imports).
package newsletterweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"guichet/internal/capability/newsletter"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages static
var assets embed.FS

// Module is the newsletter's web module.
type Module struct {
	k         *kernel.Kernel
	s         *web.Server
	store     *newsletter.Store
	files     files.Storage
	bounceKey [32]byte
}

// Name implements web.Module.
func (m *Module) Name() string { return "newsletter" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Bodies of the routes taking files: a CSV of subscribers, a picture.
const (
	importBody = newsletter.MaxImportBytes + 1<<20
	imageBody  = newsletter.MaxImage + 1<<20
)

// Routes lists every URL of the newsletter.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) { return []string{"/lettre"}, nil })

	s.Site("GET /lettre", m.home)
	s.Site("POST /lettre/abonnement", m.subscribe)
	s.Site("GET /lettre/confirmer/{token}", m.confirmForm)
	s.Site("POST /lettre/confirmer/{token}", m.confirm)
	s.Site("GET /lettre/desabonnement/{token}", m.unsubscribeForm)
	s.Site("POST /lettre/desabonnement/{token}", m.unsubscribe)
	s.Site("POST /lettre/desabonnement/{token}/listes", m.changeLists)
	s.Site("GET /lettre/o/{token}", m.opened)
	s.Site("GET /lettre/c/{token}/{n}", m.clicked)
	s.Site("POST /lettre/retours/{secret}", m.bounce)
	s.Site("GET /lettre/images/{id}", m.image)
	s.Site("GET /lettre/numeros/{slug}", m.archived)
	s.Site("GET /lettre/numeros/{slug}/courriel", m.archivedEmail)

	editor := s.Staff(account.RoleEditor)
	s.Site("GET /gestion/lettre", m.dashboard, editor)
	s.Site("POST /gestion/lettre/campagnes", m.createCampaign, editor)
	s.Site("GET /gestion/lettre/campagnes/{id}", m.campaign, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}", m.saveCampaign, editor)
	s.Site("GET /gestion/lettre/campagnes/{id}/apercu", m.preview, editor)
	s.Site("GET /gestion/lettre/campagnes/{id}/apercu/courriel", m.previewEmail, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/essai", m.testSend, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/envoyer", m.schedule, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/deprogrammer", m.unschedule, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/pause", m.pause, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/reprendre", m.resume, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/annuler", m.cancel, editor)
	s.Site("POST /gestion/lettre/campagnes/{id}/supprimer", m.deleteCampaign, editor)
	s.Uploads(imageBody).Site("POST /gestion/lettre/campagnes/{id}/images", m.addImage, editor)
	s.Site("GET /gestion/lettre/campagnes/{id}/etat", m.progress, editor)
	s.Site("GET /gestion/lettre/campagnes/{id}/direct", m.progressLive, editor)
	s.Site("GET /gestion/lettre/abonnes", m.subscribers, editor)
	s.Site("GET /gestion/lettre/abonnes/export.csv", m.export, editor)
	s.Site("GET /gestion/lettre/abonnes/{id}", m.subscriber, editor)
	s.Site("POST /gestion/lettre/abonnes/{id}", m.editSubscriber, editor)
	s.Site("POST /gestion/lettre/abonnes/{id}/supprimer", m.deleteSubscriber, editor)
	s.Site("GET /gestion/lettre/listes", m.lists, editor)
	s.Site("POST /gestion/lettre/listes", m.saveList, editor)
	s.Site("POST /gestion/lettre/listes/{id}", m.saveList, editor)
	s.Site("POST /gestion/lettre/listes/{id}/supprimer", m.deleteList, editor)
	s.Site("GET /gestion/lettre/import", m.importForm, editor)
	s.Uploads(importBody).Site("POST /gestion/lettre/import", m.startImport, editor)
	s.Site("GET /gestion/lettre/import/{id}", m.importStatus, editor)
}

// tenantOf returns the request's collectivité.
func tenantOf(r *http.Request) *tenant.Tenant { return tenant.FromContext(r.Context()) }

// baseURL is the collectivité's absolute address, for links in mail.
func (m *Module) baseURL(r *http.Request) string { return m.s.SiteURL(r, tenantOf(r)) }
