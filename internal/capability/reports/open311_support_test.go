package reports_test

import (
	"maps"
	"slices"
	"testing"

	"guichet/internal/capability/reports"
)

// TestFirstPhotosOfAPage gives each public report of the ids its first
// photo, the next one once staff deleted it, and nothing for a report
// without photos, one still unconfirmed or another collectivité's.
func TestFirstPhotosOfAPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		trusted := func(tenantID string, c *reports.Category, photos ...string) *reports.Report {
			d := draft(c, 0, "auteur@exemple.fr")
			d.AccountID, d.EmailVerified = "u-1", true
			for _, p := range photos {
				d.Photos = append(d.Photos, photo(p))
			}
			r, _ := e.submit(tenantID, d)
			return r
		}
		two := trusted(e.town, c, "premier", "second")
		one := trusted(e.town, c, "seul")
		none := trusted(e.town, c)
		guest := draft(c, 0, "invite@exemple.fr")
		guest.Photos = []reports.PhotoUpload{photo("en attente")}
		pending, _ := e.submit(e.town, guest)
		other := trusted(e.vill, e.category(e.vill, "voirie-nid-de-poule", "technique", ""), "du village")
		detail, err := e.s.StaffReport(e.ctx, e.town, two.ID)
		if err != nil || len(detail.Photos) != 2 {
			t.Fatalf("report with two photos: %v, %+v", err, detail)
		}

		got, err := e.s.FirstPhotos(e.ctx, e.town, []string{two.ID, one.ID, none.ID, pending.ID, other.ID, "inconnu"})
		if err != nil {
			t.Fatal(err)
		}
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, slices.Sorted(slices.Values([]string{two.ID, one.ID}))) {
			t.Fatalf("first photos of %v, want of the two public reports with photos", keys)
		}
		if p := got[two.ID]; p.ID != detail.Photos[0].ID || p.Path() != reports.PhotoPath(two.ID, detail.Photos[0].ID) {
			t.Errorf("first photo %+v, want %+v", p, detail.Photos[0])
		}
		if err := e.s.DeletePhoto(e.ctx, e.town, two.ID, detail.Photos[0].ID); err != nil {
			t.Fatal(err)
		}
		got, err = e.s.FirstPhotos(e.ctx, e.town, []string{two.ID})
		if err != nil || got[two.ID].ID != detail.Photos[1].ID {
			t.Errorf("after the first was deleted: %+v, %v; want the second %s", got, err, detail.Photos[1].ID)
		}
		if got, err := e.s.FirstPhotos(e.ctx, e.town, nil); err != nil || len(got) != 0 {
			t.Errorf("no ids: %+v, %v", got, err)
		}
	})
}
