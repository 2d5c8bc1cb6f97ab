package reports_test

import (
	"testing"

	"guichet"
	"guichet/internal/capability/reports"
)

// TestVillageNeverReachesTheTown tries, from the village, every read and
// change of the town's records by their identifiers and links: each is
// not found (or refused), and the town's records are as they were.
func TestVillageNeverReachesTheTown(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		d := draft(c, 0, "auteur@exemple.fr")
		d.AccountID, d.EmailVerified = "u-1", true
		d.Photos = []reports.PhotoUpload{photo("photo")}
		_, token := e.submit(e.town, draft(c, 0, "invite@exemple.fr"))
		r, _ := e.submit(e.town, d)
		manage := linkToken(t, mailsTo(e.out.take(), "auteur@exemple.fr", "report_received")[0].Text,
			"https://ville.example"+reports.ManagePrefix)
		e.change(e.town, r.ID, reports.Fixed, "")
		detail, _ := e.s.StaffReport(e.ctx, e.town, r.ID)
		staged := e.stage(e.town, wideJPEG(false, 0, 0))
		v := e.vill
		for name, try := range map[string]func() error{
			"report":        func() error { _, err := e.s.Report(e.ctx, v, r.ID); return err },
			"public report": func() error { _, err := e.s.PublicReport(e.ctx, v, r.ID); return err },
			"staff report":  func() error { _, err := e.s.StaffReport(e.ctx, v, r.ID); return err },
			"change": func() error {
				_, err := e.s.Change(e.ctx, v, r.ID, reports.Change{Status: reports.Closed, By: "X"})
				return err
			},
			"reopen": func() error {
				_, err := e.s.Reopen(e.ctx, v, r.ID, "Toujours là.", reports.Proof{AccountID: "u-1"})
				return err
			},
			"confirm":        func() error { _, err := e.s.Confirm(e.ctx, v, token); return err },
			"by link":        func() error { _, err := e.s.ReportByLink(e.ctx, v, token); return err },
			"by manage link": func() error { _, err := e.s.ReportByManageLink(e.ctx, v, manage); return err },
			"follow":         func() error { _, err := e.s.Follow(e.ctx, v, r.ID, "x@exemple.fr", "fr"); return err },
			"follow by account": func() error {
				return e.s.FollowByAccount(e.ctx, v, r.ID, "u-2", "x@exemple.fr", "fr")
			},
			"photo": func() error { _, _, err := e.s.OpenPhoto(e.ctx, v, r.ID, detail.Photos[0].ID); return err },
			"photo thumbnail": func() error {
				_, _, err := e.s.OpenPhotoThumb(e.ctx, v, r.ID, detail.Photos[0].ID)
				return err
			},
			"staged photo": func() error { _, err := e.s.StagedPhoto(e.ctx, v, staged.Token); return err },
			"staged preview": func() error {
				_, err := e.s.OpenStagedThumb(e.ctx, v, staged.Token)
				return err
			},
			"staged photo in a report": func() error {
				vc := e.category(v, "graffiti", "technique", "")
				vd := draft(vc, 0, "x@exemple.fr")
				vd.Staged = []string{staged.Token}
				_, _, err := e.s.Submit(e.ctx, v, vd)
				if guichet.FieldErrors(err)["photos"] != "" {
					return reports.ErrNotFound
				}
				return err
			},
			"category": func() error { _, err := e.s.Category(e.ctx, v, c.ID); return err },
			"category by code": func() error {
				_, err := e.s.CategoryByCode(e.ctx, v, c.Code)
				return err
			},
		} {
			if err := try(); code(err) != guichet.ENotFound && code(err) != guichet.EForbidden {
				t.Errorf("%s from the village: %v", name, err)
			}
		}
		if near, _ := e.s.Nearby(e.ctx, v, c.ID, centreLat, centreLon, 500, 10); len(near) != 0 {
			t.Errorf("nearby from the village: %v", near)
		}
		if q, _, _ := e.s.Queue(e.ctx, v, reports.QueueFilter{Scope: reports.Scope{All: true}, Status: reports.Fixed}); len(q) != 0 {
			t.Errorf("queue from the village: %v", q)
		}
		if keys, _ := e.s.FileKeys(e.ctx, e.d, v); len(keys) != 0 {
			t.Errorf("the village's backup holds %v", keys)
		}
		after, err := e.s.Report(e.ctx, e.town, r.ID)
		if err != nil || after.Status != reports.Fixed {
			t.Errorf("the town's report after the village's attempts: %+v, %v", after, err)
		}
		if _, err := e.s.ReportByLink(e.ctx, e.town, token); err != nil {
			t.Errorf("the town's link after the village's attempts: %v", err)
		}
		if _, err := e.s.StagedPhoto(e.ctx, e.town, staged.Token); err != nil {
			t.Errorf("the town's staged photo after the village's attempts: %v", err)
		}
	})
}
