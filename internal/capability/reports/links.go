package reports

import (
	"context"
	"fmt"
	"time"
)

// The pages the mails link to, which the web layer serves.
const (
	// BasePath is the public map and list.
	BasePath = "/signalements"
	// ConfirmPrefix + token: a guest's link to confirm their report.
	ConfirmPrefix = "/signalements/confirmer/"
	// ManagePrefix + token: the author's link to follow and reopen.
	ManagePrefix = "/signalements/suivi/"
	// FollowConfirmPrefix + token: confirming one follows a report.
	FollowConfirmPrefix = "/signalements/suivre/confirmer/"
	// UnfollowPrefix + token: no more mails about a report.
	UnfollowPrefix = "/signalements/suivre/arreter/"
	// AlertConfirmPrefix + token: confirming an area alert.
	AlertConfirmPrefix = "/signalements/alertes/confirmer/"
	// AlertUnsubscribePrefix + token: ending an area alert.
	AlertUnsubscribePrefix = "/signalements/alertes/desabonnement/"
)

// ReportPath is a report's public page.
func ReportPath(id string) string { return BasePath + "/" + id }

// PhotoPath is where a photo of a public report is served.
func PhotoPath(reportID, photoID string) string { return ReportPath(reportID) + "/photos/" + photoID }

// OSMLink is OpenStreetMap's map centred on a point, with a marker.
func OSMLink(lat, lon float64) string {
	return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=19/%.6f/%.6f", lat, lon, lat, lon)
}

// site is what a mail's links start with, and the collectivité's time
// zone (whose year numbers the references).
type site struct {
	url string
	loc *time.Location
}

// site reads Links; without it, which only a store that mails nothing
// may lack, the year is UTC's.
func (s *Store) site(ctx context.Context, tenantID string) (site, error) {
	if s.Links == nil && s.Mail == nil {
		return site{loc: time.UTC}, nil
	}
	if s.Links == nil {
		return site{}, fmt.Errorf("reports: mails need the site's address (Store.Links)")
	}
	u, loc, err := s.Links(ctx, tenantID)
	if err != nil {
		return site{}, fmt.Errorf("reports: site of %s: %w", tenantID, err)
	}
	if loc == nil {
		loc = time.UTC
	}
	return site{url: u, loc: loc}, nil
}
