// Package attractiveness keeps what a collectivité offers entrepreneurs
// and visitors beyond its directory: commercial premises and land to let
// or to sell (each with its own page), the aids businesses may apply for,
// and the contacts of its economic service. The business directory, the
// places to see, the accommodation and the tourist events are read from
// the other capabilities through the kernel.
package attractiveness

import (
	"embed"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the premises', aids' and contacts' tables.
var Migrations = db.Embedded("attractiveness", migrationFiles)

// Kinds of premises.
const (
	Shop     = "commerce"
	Office   = "bureau"
	Workshop = "atelier"
	Land     = "terrain"
)

// Kinds lists them in display order.
var Kinds = []string{Shop, Office, Workshop, Land}

// Deals: to let or to sell.
const (
	Rent = "location"
	Sale = "vente"
)

// Deals lists them in display order.
var Deals = []string{Rent, Sale}

// Units a price is given in.
const (
	PerMonth     = "mois"  // a rent per month
	PerM2Year    = "m2-an" // a rent per m² and per year
	PerM2        = "m2"    // a sale price per m²
	WholePremise = "total" // a sale price for the whole
)

// Units lists them in display order.
var Units = []string{PerMonth, PerM2Year, PerM2, WholePremise}

// Taxes: a price before or with VAT.
const (
	BeforeTax = "HT"
	WithTax   = "TTC"
)

// Taxes lists them in display order.
var Taxes = []string{BeforeTax, WithTax}

// Funders of an aid.
const (
	Commune          = "commune"
	Intercommunality = "intercommunalite"
	Region           = "region"
	State            = "etat"
)

// Funders lists them in display order, the closest first.
var Funders = []string{Commune, Intercommunality, Region, State}

// Premise is a commercial premise or a plot of land on offer.
type Premise struct {
	ID, TenantID, Slug string
	Title              string
	Kind               string
	Address            string
	Surface            int // m²
	Deal               string
	PriceCents         int64
	Unit               string
	Tax                string
	// AvailableFrom is "YYYY-MM-DD", empty when available now.
	AvailableFrom string
	Description   string
	// The contact for visits: a person's name is personal data (see gdpr.go).
	ContactName, ContactEmail, ContactPhone string
	Published                               bool
	CreatedAt, UpdatedAt                    time.Time
}

// Path is the premise's public page.
func (p *Premise) Path() string { return "/entreprendre/locaux/" + p.Slug }

// Euros writes the price in euros as French writes it: "950", "1 250,50".
func (p *Premise) Euros() string { return Euros(p.PriceCents) }

// Euros writes cents as euros with a narrow no-break space between
// thousands and a decimal comma when there are cents.
func Euros(cents int64) string {
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(r)
	}
	if c := cents % 100; c != 0 {
		fmt.Fprintf(&b, ",%02d", c)
	}
	return b.String()
}

// ParseEuros reads "950", "1 250,50" or "1250.5" as cents.
func ParseEuros(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "").Replace(strings.TrimSpace(s))
	s = strings.Replace(s, ",", ".", 1)
	if s == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e10 {
		return 0, false
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return w*100 + f, true
}

// Aid is a scheme businesses may apply for.
type Aid struct {
	ID, TenantID string
	Name         string
	Funder       string
	Eligible     string // who may apply
	Amount       string // as the scheme says it: "jusqu'à 10 000 €", "20 % des dépenses"
	Link         string // the funder's public page, https
	CreatedAt    time.Time
}

// Contacts are the economic service's, one set per collectivité.
type Contacts struct {
	TenantID string
	Service  string // "Service du développement économique"
	Person   string // the one to ask, with their function
	Email    string
	Phone    string
	Address  string
	Hours    string // when the service receives, in words
}

// Empty reports whether no contact is given.
func (c *Contacts) Empty() bool {
	return c.Service == "" && c.Person == "" && c.Email == "" && c.Phone == "" && c.Address == ""
}

// Limits on the texts an agent types.
const (
	MaxTitle   = 140
	MaxText    = 4000
	MaxLine    = 300
	MaxSurface = 10_000_000 // m², a thousand hectares
)

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

func clean(s string) string { return db.StorableText(strings.TrimSpace(s)) }

// validEmail accepts a bare address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.IndexByte(s, '@'):], ".")
}

// NormalPhone returns a French number as "05 49 12 34 56", false when it
// does not read as ten digits (a +33 prefix is accepted).
func NormalPhone(s string) (string, bool) {
	var digits []byte
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == ' ' || r == '.' || r == '-' || r == '\u00a0' || r == '(' || r == ')':
		case r == '+' && len(digits) == 0:
		default:
			return "", false
		}
	}
	if len(digits) == 11 && string(digits[:2]) == "33" {
		digits = append([]byte{'0'}, digits[2:]...)
	}
	if len(digits) != 10 || digits[0] != '0' {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < 10; i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(digits[i : i+2])
	}
	return b.String(), true
}

// validLink accepts a public https address.
func validLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// Check cleans p as an agent fills it in and says, field by field, what
// is wrong.
func (p *Premise) Check() error {
	errs := map[string]string{}
	p.Title, p.Address, p.Description = clean(p.Title), clean(p.Address), clean(p.Description)
	p.ContactName, p.ContactEmail = clean(p.ContactName), strings.ToLower(clean(p.ContactEmail))
	p.AvailableFrom = strings.TrimSpace(p.AvailableFrom)
	switch {
	case p.Title == "":
		errs["title"] = "Indiquez le titre de l'annonce."
	case tooLong(p.Title, MaxTitle):
		errs["title"] = "Le titre de l'annonce est trop long (140 caractères au plus)."
	}
	if !slices.Contains(Kinds, p.Kind) {
		errs["kind"] = "Choisissez le type de bien."
	}
	switch {
	case p.Address == "":
		errs["address"] = "Indiquez l'adresse du bien."
	case tooLong(p.Address, MaxLine):
		errs["address"] = "L'adresse du bien est trop longue (300 caractères au plus)."
	}
	if p.Surface <= 0 || p.Surface > MaxSurface {
		errs["surface"] = "Indiquez la surface en mètres carrés, un nombre entier."
	}
	if !slices.Contains(Deals, p.Deal) {
		errs["deal"] = "Choisissez location ou vente."
	}
	if p.PriceCents <= 0 {
		errs["price"] = "Indiquez le prix en euros, par exemple 950 ou 12,50."
	}
	switch {
	case !slices.Contains(Units, p.Unit):
		errs["unit"] = "Choisissez l'unité du prix."
	case p.Deal == Rent && p.Unit != PerMonth && p.Unit != PerM2Year:
		errs["unit"] = "Un loyer se compte par mois ou par mètre carré et par an."
	case p.Deal == Sale && p.Unit != PerM2 && p.Unit != WholePremise:
		errs["unit"] = "Un prix de vente se compte au mètre carré ou pour le tout."
	}
	if !slices.Contains(Taxes, p.Tax) {
		errs["tax"] = "Choisissez hors taxes ou toutes taxes comprises."
	}
	if p.AvailableFrom != "" {
		if _, err := time.Parse("2006-01-02", p.AvailableFrom); err != nil {
			errs["available_from"] = "Indiquez la date de disponibilité au format JJ/MM/AAAA."
		}
	}
	if tooLong(p.Description, MaxText) {
		errs["description"] = "La description est limitée à 4 000 caractères."
	}
	if tooLong(p.ContactName, MaxLine) {
		errs["contact_name"] = "Le nom du contact est trop long (300 caractères au plus)."
	}
	if p.ContactEmail != "" && !validEmail(p.ContactEmail) {
		errs["contact_email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if p.ContactPhone != "" {
		if n, ok := NormalPhone(p.ContactPhone); ok {
			p.ContactPhone = n
		} else {
			errs["contact_phone"] = "Indiquez un téléphone à dix chiffres, par exemple 05 49 12 34 56."
		}
	}
	if p.ContactName == "" && p.ContactEmail == "" && p.ContactPhone == "" {
		errs["contact_email"] = "Indiquez au moins une adresse électronique ou un téléphone pour les visites."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// Check cleans a and says, field by field, what is wrong.
func (a *Aid) Check() error {
	errs := map[string]string{}
	a.Name, a.Eligible, a.Amount, a.Link = clean(a.Name), clean(a.Eligible), clean(a.Amount), clean(a.Link)
	switch {
	case a.Name == "":
		errs["name"] = "Indiquez le nom de l'aide."
	case tooLong(a.Name, MaxTitle):
		errs["name"] = "Le nom de l'aide est trop long (140 caractères au plus)."
	}
	if !slices.Contains(Funders, a.Funder) {
		errs["funder"] = "Choisissez qui finance l'aide."
	}
	switch {
	case a.Eligible == "":
		errs["eligible"] = "Indiquez qui peut en bénéficier."
	case tooLong(a.Eligible, MaxLine):
		errs["eligible"] = "Ce champ est limité à 300 caractères."
	}
	switch {
	case a.Amount == "":
		errs["amount"] = "Indiquez le montant ou le taux de l'aide."
	case tooLong(a.Amount, MaxLine):
		errs["amount"] = "Ce champ est limité à 300 caractères."
	}
	if a.Link != "" && (!validLink(a.Link) || tooLong(a.Link, MaxLine)) {
		errs["link"] = "Indiquez l'adresse complète de la page de l'aide, commençant par https://."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// Check cleans c and says, field by field, what is wrong.
func (c *Contacts) Check() error {
	errs := map[string]string{}
	c.Service, c.Person, c.Address, c.Hours = clean(c.Service), clean(c.Person), clean(c.Address), clean(c.Hours)
	c.Email = strings.ToLower(clean(c.Email))
	if c.Service == "" {
		errs["service"] = "Indiquez le nom du service."
	}
	for name, v := range map[string]string{"service": c.Service, "person": c.Person, "address": c.Address, "hours": c.Hours} {
		if tooLong(v, MaxLine) && errs[name] == "" {
			errs[name] = "Ce champ est limité à 300 caractères."
		}
	}
	if c.Email != "" && !validEmail(c.Email) {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if c.Phone != "" {
		if n, ok := NormalPhone(c.Phone); ok {
			c.Phone = n
		} else {
			errs["phone"] = "Indiquez un téléphone à dix chiffres, par exemple 05 49 12 34 56."
		}
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}
