// Package communities keeps the communities residents belong to: a
// neighbourhood (with the alert area it matches), a school or an
// association (each optionally tied to its directory entry), an interest
// group. Staff create and manage them; animators (residents staff name,
// and the managers of the tied directory entry) post announcements and
// attach the collectivité's news and events to them. A resident joins
// several, reads one feed of all of them, chooses per community whether
// its news go into their digest, and receives at most one digest email per
// day or week gathering every community's new items.
package communities

import (
	"embed"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the communities' tables.
var Migrations = db.Embedded("communities", migrationFiles)

//go:embed mail/*.txt
var mailFiles embed.FS

// MailFiles holds the digest's templates (mail/*.txt), to add to the
// outbox's registry as module "communities".
func MailFiles() fs.FS { return mailFiles }

// Kinds of community.
const (
	Neighbourhood = "quartier"
	School        = "ecole"
	Association   = "association"
	Interest      = "interet"
)

// Kinds lists them in display order.
var Kinds = []string{Neighbourhood, School, Association, Interest}

// Notification choices of a membership.
const (
	NotifyDigest = "digest" // the community's new items go into the digest
	NotifyNone   = "none"
)

// Digest frequencies.
const (
	Daily  = "daily"
	Weekly = "weekly"
)

// Frequencies lists them in display order.
var Frequencies = []string{Weekly, Daily}

// DigestHour is the local hour from which a day's or a week's digest
// leaves; weekly ones leave on Mondays.
const DigestHour = 7

// Community is one community of a collectivité.
type Community struct {
	ID, TenantID string
	Slug, Kind   string
	Name         string
	// Description is Markdown.
	Description string
	// Area is a neighbourhood's alert area (its alerts join its feed).
	Area string
	// EntryID ties a school or an association to its directory entry,
	// whose managers animate the community.
	EntryID   string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Members is how many residents belong to it (filled by lists).
	Members int
}

// Path is the community's page on the collectivité's site.
func (c *Community) Path() string { return "/communautes/" + c.Slug }

// TakesArea reports whether the community's kind has an alert area.
func (c *Community) TakesArea() bool { return c.Kind == Neighbourhood }

// TakesEntry reports whether the community's kind may be tied to a
// directory entry.
func (c *Community) TakesEntry() bool { return c.Kind == School || c.Kind == Association }

// Limits of a community's fields.
const (
	maxName        = 120
	maxDescription = 5000
	maxArea        = 80
	maxTitle       = 150
	maxBody        = 10000
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// normalize trims the fields, derives the slug from the name when none is
// given, drops what the kind does not take, and checks the rest.
func (c *Community) normalize() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Slug = strings.TrimSpace(c.Slug)
	c.Description = strings.TrimSpace(c.Description)
	c.Area = strings.TrimSpace(c.Area)
	c.EntryID = strings.TrimSpace(c.EntryID)
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		fields["name"] = "Donnez un nom à la communauté."
	case n > maxName:
		fields["name"] = "Le nom de la communauté est trop long (120 caractères au plus)."
	}
	if !slices.Contains(Kinds, c.Kind) {
		fields["kind"] = "Choisissez le genre de communauté."
	}
	if c.Slug == "" && c.Name != "" {
		c.Slug = publishing.Slugify(c.Name)
	}
	if c.Slug != "" && (!slugPattern.MatchString(c.Slug) || len(c.Slug) > 80) {
		fields["slug"] = "L'adresse de la communauté ne prend que des minuscules sans accents, des chiffres et des tirets."
	}
	if utf8.RuneCountInString(c.Description) > maxDescription {
		fields["description"] = "La présentation de la communauté est trop longue (5000 caractères au plus)."
	}
	if !c.TakesArea() {
		c.Area = ""
	}
	if !c.TakesEntry() {
		c.EntryID = ""
	}
	switch n := utf8.RuneCountInString(c.Area); {
	case c.TakesArea() && n == 0:
		fields["area"] = "Indiquez le quartier des alertes auquel la communauté correspond."
	case n > maxArea:
		fields["area"] = "Le nom du quartier est trop long (80 caractères au plus)."
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

// Membership is a resident's place in a community.
type Membership struct {
	Community *Community
	Notify    string
	JoinedAt  time.Time
}

// Settings are a resident's digest settings.
type Settings struct {
	Frequency string
	// Since is the end of the window the last digest covered (or when the
	// resident first joined a community).
	Since time.Time
	// NextAt is when the next digest is due.
	NextAt time.Time
}

// Post is an announcement of a community.
type Post struct {
	ID, TenantID, CommunityID string
	Title                     string
	// Body is Markdown.
	Body string
	// AuthorID is its writer while their account lives.
	AuthorID string
	// ByStaff is true when staff wrote it for the mairie, false for an
	// animator.
	ByStaff     bool
	PublishedAt time.Time
}

func (p *Post) normalize() error {
	p.Title, p.Body = strings.TrimSpace(p.Title), strings.TrimSpace(p.Body)
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		fields["title"] = "Donnez un titre à l'annonce."
	case n > maxTitle:
		fields["title"] = "Le titre de l'annonce est trop long (150 caractères au plus)."
	}
	switch n := utf8.RuneCountInString(p.Body); {
	case n == 0:
		fields["body"] = "Écrivez le texte de l'annonce."
	case n > maxBody:
		fields["body"] = "Le texte de l'annonce est trop long (10000 caractères au plus)."
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

// Animator is a resident staff named to animate a community.
type Animator struct {
	UserID, Name, Email string
	NamedAt             time.Time
}

// Errors of the store.
var (
	ErrNotFound      = guichet.Errorf(guichet.ENotFound, "Cette communauté n'existe pas.")
	ErrPostNotFound  = guichet.Errorf(guichet.ENotFound, "Cette annonce n'existe pas ou a été retirée.")
	ErrLinkNotFound  = guichet.Errorf(guichet.ENotFound, "Cette publication ne figure pas dans le fil de la communauté.")
	ErrSlugTaken     = guichet.Invalid(map[string]string{"slug": "Une autre communauté porte déjà cette adresse."})
	ErrAlreadyLinked = guichet.Errorf(guichet.EConflict, "Cette publication figure déjà dans le fil de la communauté.")
	ErrNoResident    = guichet.Invalid(map[string]string{"email": "Aucun compte d'habitant ne porte cette adresse dans la collectivité."})
)

// sortKey folds a name for sorting: accents and case aside, so that
// « École » comes before « Jardins ».
func sortKey(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// byName sorts communities by name as a reader expects.
func byName(cs []*Community) {
	slices.SortStableFunc(cs, func(a, b *Community) int { return strings.Compare(sortKey(a.Name), sortKey(b.Name)) })
}
