package a11y

import (
	"fmt"
	"strings"
	"time"

	"guichet"
)

// Status is an audit's verdict on one criterion.
type Status string

// The verdicts RGAA allows for a criterion.
const (
	Conforme      Status = "C"
	NonConforme   Status = "NC"
	NonApplicable Status = "NA"
)

// Statuses lists the verdicts in the order the audit form shows them.
var Statuses = []Status{Conforme, NonConforme, NonApplicable}

// Level is the conformity state shown in the footer and the statement.
type Level string

// The three conformity states of the RGAA statement.
const (
	LevelFull    Level = "totalement"
	LevelPartial Level = "partiellement"
	LevelNone    Level = "non"
)

// Audit is one RGAA audit of a collectivité's site, with the texts of the
// accessibility statement drawn from it.
type Audit struct {
	ID        string
	TenantID  string
	AuditedOn time.Time
	Auditor   string
	Results   map[string]Status // criterion id → verdict
	// NonConformities describes the content that is not accessible.
	NonConformities string
	// Derogations lists content exempted for disproportionate burden.
	Derogations string
	// Exempt lists content outside the legal obligation.
	Exempt     string
	Pages      string // the sample of pages audited
	Tools      string // technologies and tools used for the audit
	Contact    string // how to report a problem
	SchemaPlan string // the multi-year accessibility plan (schéma pluriannuel)
	ActionPlan string // this year's action plan
	RecordedBy string
	CreatedAt  time.Time
}

// Counts returns the number of conformant, non-conformant and not
// applicable criteria.
func (a *Audit) Counts() (c, nc, na int) {
	for _, s := range a.Results {
		switch s {
		case Conforme:
			c++
		case NonConforme:
			nc++
		case NonApplicable:
			na++
		}
	}
	return c, nc, na
}

// Rate is RGAA's conformity rate in percent: conformant criteria divided
// by applicable ones (conformant plus non-conformant). Without applicable
// criteria it is 0, as nothing was shown to conform.
func (a *Audit) Rate() float64 {
	if a == nil {
		return 0
	}
	c, nc, _ := a.Counts()
	if c+nc == 0 {
		return 0
	}
	return 100 * float64(c) / float64(c+nc)
}

// Level returns the conformity state: totally conformant when every
// applicable criterion conforms, partially from 50 % of them, otherwise
// (and without an audit) not conformant. Counting, not the rounded rate,
// decides, so 99.99 % is never shown as total.
func (a *Audit) Level() Level {
	if a == nil {
		return LevelNone
	}
	c, nc, _ := a.Counts()
	switch {
	case c+nc == 0:
		return LevelNone
	case nc == 0:
		return LevelFull
	case 2*c >= c+nc:
		return LevelPartial
	}
	return LevelNone
}

// RateFR formats the rate the French way, with two decimals: "75,47 %".
func (a *Audit) RateFR() string {
	return strings.Replace(fmt.Sprintf("%.2f", a.Rate()), ".", ",", 1) + " %"
}

// Failing returns the non-conformant criteria, in reference order.
func (a *Audit) Failing() []Criterion {
	var out []Criterion
	for _, c := range Criteria() {
		if a.Results[c.ID] == NonConforme {
			out = append(out, c)
		}
	}
	return out
}

// Validate checks that every criterion has a verdict and the audit names
// its date (not after today, now) and auditor; missing verdicts are
// reported per criterion.
func (a *Audit) Validate(now time.Time) error {
	bad := map[string]string{}
	if a.AuditedOn.IsZero() {
		bad["audited_on"] = "Indiquez la date de l'audit."
	} else if a.AuditedOn.After(now.Add(24 * time.Hour)) {
		bad["audited_on"] = "La date de l'audit ne peut pas être dans le futur."
	}
	if strings.TrimSpace(a.Auditor) == "" {
		bad["auditor"] = "Indiquez qui a réalisé l'audit."
	}
	for id, s := range a.Results {
		if !KnownCriterion(id) || (s != Conforme && s != NonConforme && s != NonApplicable) {
			return guichet.Errorf(guichet.EInvalid, "critère ou statut inconnu : %s", id)
		}
	}
	for _, c := range Criteria() {
		if _, ok := a.Results[c.ID]; !ok {
			bad[FieldName(c.ID)] = fmt.Sprintf("Critère %s : choisissez conforme, non conforme ou non applicable.", c.ID)
		}
	}
	if len(bad) > 0 {
		return guichet.Invalid(bad)
	}
	return nil
}

// FieldName is the form field of a criterion: "c-11-1" (dots would break
// fragment links to the field).
func FieldName(id string) string { return "c-" + strings.ReplaceAll(id, ".", "-") }
