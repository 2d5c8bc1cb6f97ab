// Package kernel is what every capability receives when it is installed
// (database, jobs, mail, files, collectivités, links, the web server and
// its registries, identity, the clock and the logger) and the contract a
// capability fulfils to be installed. internal/app builds the kernel and
// installs the capabilities it lists; docs/ARCHITECTURE.md shows the map.
package kernel

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"guichet"
	"guichet/internal/kernel/applications"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
)

// Capability is one thing a collectivité offers its residents
// (appointments, procedures, local information, …), installed into the
// kernel. It lives in one folder: its domain package, its web package
// (where this contract is implemented), its demo content, its seed
// generator, its isolation rows and its messages.
type Capability interface {
	// Name is the capability's identifier: "appointment".
	Name() string
	// Migrations are its tables, applied after the kernel's.
	Migrations() db.Migrations
	// Install builds its stores on k, registers its jobs, mails,
	// back-office sections, exporters and retention rules, and returns
	// its web module.
	Install(k *Kernel) (web.Module, error)
}

// DemoContent is a capability's part of the demo: realistic French
// content for the demo collectivités (demo.Town, demo.Village).
type DemoContent interface {
	SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error
}

// Showcase is a capability's demo addresses worth opening that the
// site's own links reach only after signing in (a kiosk's address): the
// demo prints them at start.
type Showcase interface {
	DemoLinks(ctx context.Context) ([]DemoLink, error)
}

// DemoLink is one address of the demo: Path on the collectivité Slug.
type DemoLink struct {
	Label, Slug, Path string
}

// Importer is a capability's "guichet import <name> FILE" commands,
// which read outside files (a cadastre, an address list) into a
// collectivité.
type Importer interface {
	Imports() []Import
}

// Import describes one import command.
type Import struct {
	// Name is the command's word: "guichet import <Name> FILE".
	Name string
	// Usage says in a line what the file is.
	Usage string
	// Run reads body (name is the file's name), reporting progress in
	// bytes read, and prints what it did on out.
	Run func(ctx context.Context, t *tenant.Tenant, name string, body io.Reader, attribution string,
		read func(n int64), out io.Writer) error
}

// Generator is a capability's "guichet seed <name>" command, which fills
// a collectivité with made-up records for scale tests.
type Generator interface {
	Generator() Generate
}

// Generate describes a seed command: its flags, then its run on a
// collectivité, reporting progress as done out of total.
type Generate struct {
	// Name is the command's word: "guichet seed <Name>".
	Name string
	// Flags declares the command's own flags on fs (--tenant is common).
	Flags func(fs *flag.FlagSet)
	// Run writes the records and prints a summary on out.
	Run func(ctx context.Context, t *tenant.Tenant, progress Progress, out io.Writer) error
}

// Progress shows how far a long run is: Total once known, then Done.
type Progress interface {
	Total(n int)
	Done(n int)
}

// Isolated is a capability's rows of the isolation table: attempts, from
// the village's host, to read or change the town's records.
type Isolated interface {
	IsolationRows() []IsolationRow
}

// IsolationRow is one attempt, from another collectivité's host, on a
// record of the town (see internal/app's TestTenantIsolation).
type IsolationRow struct {
	Name string
	// As is who tries: AsVillageAdmin, AsTownSession or AsAnonymous.
	As     string
	Method string
	Form   url.Values
	Target IsolationTarget
	// Want is the status the other collectivité must get.
	Want int
	// Unchanged, when set, checks after the attempt that the town's
	// records are intact.
	Unchanged IsolationCheck
}

// IsolationTarget creates or finds the town's record and returns the path
// to try and markers that only that record contains.
type IsolationTarget func(ctx context.Context, town *tenant.Tenant) (path string, leak []string, err error)

// IsolationCheck returns an error when the town's records changed.
type IsolationCheck func(ctx context.Context, town *tenant.Tenant) error

// Who tries an isolation row.
const (
	AsVillageAdmin = "village-admin" // the village's administrator
	AsTownSession  = "town-session"  // the town resident's cookies sent to the village
	AsAnonymous    = "anonymous"
)

// Path is an isolation target with a fixed path and leak markers.
func Path(p string, leak ...string) IsolationTarget {
	return func(context.Context, *tenant.Tenant) (string, []string, error) { return p, leak, nil }
}

// Kernel is what a capability receives at Install.
type Kernel struct {
	Log *slog.Logger
	// Now is the clock every rule reads.
	Now clock.Clock
	DB  *db.DB
	// Jobs is the durable job queue: workers and periodic jobs are
	// registered at Install, before the server starts it.
	Jobs *jobs.Queue
	// Mail is the outbox; a capability adds its templates with AddMails.
	Mail *mail.Outbox
	// Changes tells every cache, on every node, that data changed.
	Changes *invalidate.Bus
	// Live publishes events to the browsers following them, on every node.
	Live    *live.Hub
	Tenants *tenant.Store
	// Links gives a collectivité's address, for mails sent by jobs.
	Links Links
	Web   *web.Server
	// Home lists the blocks of the home page.
	Home *portalweb.Module
	// Backoffice lists the sections of the staff home.
	Backoffice *staffweb.Module
	Accounts   *account.Store
	Sessions   *account.Sessions
	Staff      *staff.Store
	// Privacy is the register of processing activities and the
	// retention rules.
	Privacy *privacy.Register
	// SecretKey is the server's secret, from which tokens.Key derives
	// each purpose's key.
	SecretKey string
	// DataDir holds the SQLite database and, on one machine, uploads.
	DataDir string
	// FileStore keeps uploaded files (a folder, the database or an object
	// store); Files gives a capability its own bucket in it.
	FileStore files.Backend
	// Demo is true when the server runs with demo data.
	Demo bool

	checkIn      CheckIn
	publications []PublicationSource
	directory    *DirectorySource
	territory    *TerritorySource
	applications applications.Law
	starts       applications.Starts
	register     applications.Register
	buckets      []string
	fileOwners   []backup.FileOwner
	storage      []StorageUse
	installed    []Capability
	modules      map[Capability]web.Module
	closers      []func() error
}

// Links gives a collectivité's address and time zone, for the mails that
// periodic work sends (there is no request to take them from).
type Links func(ctx context.Context, tenantID string) (siteURL string, loc *time.Location, err error)

// Arrival is a resident's appointment of today, announced at a kiosk.
type Arrival struct {
	Reference string
	// ServiceKey is the staff service of its agenda ("etat-civil"): the
	// queue serving that service calls the resident.
	ServiceKey string
	Start      time.Time
}

// CheckIn finds a collectivité's appointment of today (in loc) by its
// reference and, when its staff service is one of services (those the
// kiosk's site receives), marks it arrived and returns it;
// guichet.ENotFound when there is none, ErrAppointmentElsewhere when it
// is for another service. The appointments answer it, the queue's kiosks
// ask it.
type CheckIn func(ctx context.Context, tenantID, reference string, loc *time.Location, services []string) (*Arrival, error)

// SetCheckIn registers the one check-in of appointments.
func (k *Kernel) SetCheckIn(c CheckIn) { k.checkIn = c }

// ErrNoAppointment is CheckIn's answer when no capability takes check-ins.
var ErrNoAppointment = guichet.Errorf(guichet.ENotFound, "Aucun rendez-vous ne porte cette référence aujourd'hui.")

// ErrAppointmentElsewhere is CheckIn's answer for an appointment of a
// service that the site does not receive: it stays as it was.
var ErrAppointmentElsewhere = guichet.Errorf(guichet.EConflict,
	"Ce rendez-vous n'est pas pris sur ce site : adressez-vous à l'accueil.")

// CheckInAppointment announces a resident's arrival for today's
// appointment reference at a site receiving services.
func (k *Kernel) CheckInAppointment(ctx context.Context, tenantID, reference string, loc *time.Location, services []string) (*Arrival, error) {
	if k.checkIn == nil {
		return nil, ErrNoAppointment
	}
	return k.checkIn(ctx, tenantID, reference, loc, services)
}

// Files returns the bucket name of the file store, outside anything
// served, and lists it among the buckets (Buckets).
func (k *Kernel) Files(name string) (files.Storage, error) {
	if !slices.Contains(k.buckets, name) {
		k.buckets = append(k.buckets, name)
	}
	return k.FileStore.Bucket(name)
}

// AddFileOwner says which files of a bucket each collectivité owns: what
// its backup carries.
func (k *Kernel) AddFileOwner(o backup.FileOwner) { k.fileOwners = append(k.fileOwners, o) }

// FileOwners returns what AddFileOwner registered.
func (k *Kernel) FileOwners() []backup.FileOwner { return slices.Clone(k.fileOwners) }

// StorageUse measures the bytes of one kind of a collectivité's files.
type StorageUse func(ctx context.Context, tenantID string) (int64, error)

// AddStorageUse adds a measure of a collectivité's files (case
// attachments, images), summed against its storage quota.
func (k *Kernel) AddStorageUse(u StorageUse) { k.storage = append(k.storage, u) }

// StorageUsed returns the bytes a collectivité's files take.
func (k *Kernel) StorageUsed(ctx context.Context, tenantID string) (int64, error) {
	var total int64
	for _, u := range k.storage {
		n, err := u(ctx, tenantID)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// ErrStorageFull refuses an upload of a collectivité whose files fill
// their quota.
var ErrStorageFull = &guichet.Error{Code: guichet.ETooLarge,
	Message: "L'espace de stockage de la collectivité est plein : aucun fichier ne peut être ajouté pour l'instant. Apportez vos pièces en mairie, ou réessayez plus tard."}

// CheckStorage returns ErrStorageFull once a collectivité's files reach
// its storage quota (the upload that crosses it passes: a request holds
// 32 MiB at most).
func (k *Kernel) CheckStorage(ctx context.Context, tenantID string) error {
	q, err := k.Tenants.Quotas(ctx, tenantID)
	if err != nil {
		return err
	}
	used, err := k.StorageUsed(ctx, tenantID)
	if err != nil {
		return err
	}
	if used >= int64(q.StorageMB)<<20 {
		return ErrStorageFull
	}
	return nil
}

// Buckets lists the buckets asked for with Files: what "guichet files
// migrate" and backups carry.
func (k *Kernel) Buckets() []string { return slices.Clone(k.buckets) }

// AddMails adds a capability's mail templates (mail/*.txt of files).
func (k *Kernel) AddMails(name string, files fs.FS) error {
	return k.Mail.Templates().Add(name, files)
}

// AddPrivacy lists processing activities in the register and their
// retention rules in the periodic retention job.
func (k *Kernel) AddPrivacy(acts []privacy.Activity, rules []privacy.Rule) error {
	if err := k.Privacy.Add(acts...); err != nil {
		return err
	}
	return k.Privacy.AddRules(rules...)
}

// OnClose runs f when the server closes, before the database closes.
func (k *Kernel) OnClose(f func() error) { k.closers = append(k.closers, f) }

// Close runs what OnClose registered, last first.
func (k *Kernel) Close() error {
	var err error
	for i := len(k.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, k.closers[i]())
	}
	k.closers = nil
	return err
}

// Install installs each capability, in order, and returns their web
// modules.
func (k *Kernel) Install(caps ...Capability) ([]web.Module, error) {
	mods := make([]web.Module, 0, len(caps))
	for _, c := range caps {
		m, err := c.Install(k)
		if err != nil {
			return nil, fmt.Errorf("install %s: %w", c.Name(), err)
		}
		k.installed = append(k.installed, c)
		if k.modules == nil {
			k.modules = map[Capability]web.Module{}
		}
		k.modules[c] = m
		mods = append(mods, m)
	}
	return mods, nil
}

// Installed returns the capabilities installed, in order.
func (k *Kernel) Installed() []Capability { return k.installed }

// ModuleOf returns the web module an installed capability returned.
func (k *Kernel) ModuleOf(c Capability) web.Module { return k.modules[c] }

// Find returns the installed capability of type T (a capability's Of
// uses it), or the zero value when none is installed.
func Find[T Capability](k *Kernel) T {
	for _, c := range k.installed {
		if t, ok := c.(T); ok {
			return t
		}
	}
	var zero T
	return zero
}
