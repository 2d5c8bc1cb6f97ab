package appointment

import (
	"strings"
	"time"

	"guichet"
)

// Booker is who books online: a signed-in resident (UserID set) or, when
// nil, a guest.
type Booker struct {
	UserID string
	// Email is the account's address, proven when EmailVerified.
	Email         string
	EmailVerified bool
}

// Contact is what the person gives when booking online.
type Contact struct {
	Name, Email, Phone, ANTS string
}

// OnlineRequest builds the request of a booking made online, by the web
// pages and the API alike, and returns it with every field error at once.
// A guest gives both an email (where the confirmation goes) and a phone
// number (to be warned of a change); a signed-in resident without an
// address gives their account's, and books at once when the confirmation
// goes to their verified address.
func OnlineRequest(a *Agenda, typ *Type, loc *time.Location, start time.Time, c Contact, by *Booker,
	lang, siteURL string) (*Request, map[string]string) {
	req := &Request{Agenda: a, Type: typ, Loc: loc, Start: start, Name: c.Name,
		Email: strings.TrimSpace(c.Email), Phone: c.Phone, ANTS: c.ANTS, Lang: lang,
		BookedBy: "guest", SiteURL: siteURL}
	errs := map[string]string{}
	if by != nil {
		req.UserID, req.BookedBy = by.UserID, "resident"
		if req.Email == "" {
			req.Email = by.Email
		}
		req.Verified = by.EmailVerified && strings.EqualFold(req.Email, by.Email)
	} else {
		if req.Email == "" {
			errs["email"] = "Indiquez votre adresse électronique : la confirmation y sera envoyée."
		}
		if strings.TrimSpace(req.Phone) == "" {
			errs["phone"] = "Indiquez un numéro de téléphone pour être prévenu en cas d'imprévu."
		}
	}
	// Every mistake at once, not the request's own after these are fixed.
	for k, v := range guichet.FieldErrors(req.Validate()) {
		if _, ok := errs[k]; !ok {
			errs[k] = v
		}
	}
	return req, errs
}
