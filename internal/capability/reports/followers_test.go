package reports_test

import (
	"errors"
	"testing"

	"guichet"
	"guichet/internal/capability/reports"
)

// TestFollowByEmail: a follow by email waits for its link; asking again
// while it waits sends a new link that replaces the old, asking once it
// is confirmed sends nothing; the link in every mail ends it.
func TestFollowByEmail(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
		first, err := e.s.Follow(e.ctx, e.town, r.ID, " Voisin@Exemple.fr ", "en")
		if err != nil {
			t.Fatal(err)
		}
		mails := e.out.take()
		if len(mails) != 1 || mails[0].To != "voisin@exemple.fr" || mails[0].Lang != "en" ||
			linkToken(t, mails[0].Text, "https://ville.example"+reports.FollowConfirmPrefix) != first {
			t.Fatalf("confirmation: %+v", mails)
		}
		e.change(e.town, r.ID, reports.Acknowledged, "")
		if got := mailsTo(e.out.take(), "voisin@exemple.fr", "report_update"); len(got) != 0 {
			t.Error("an unconfirmed follower was mailed")
		}
		second, _ := e.s.Follow(e.ctx, e.town, r.ID, "voisin@exemple.fr", "fr")
		e.out.take()
		if _, err := e.s.FollowByLink(e.ctx, e.town, first); !errors.Is(err, reports.ErrFollowLinkInvalid) {
			t.Errorf("the replaced link: %v", err)
		}
		f, err := e.s.FollowByLink(e.ctx, e.town, second)
		if err != nil || f.ReportID != r.ID || f.ConfirmedAt != nil || f.Lang != "fr" {
			t.Fatalf("by link: %+v, %v", f, err)
		}
		if err := e.s.ConfirmFollow(e.ctx, e.town, second); err != nil {
			t.Fatal(err)
		}
		if err := e.s.ConfirmFollow(e.ctx, e.town, second); !errors.Is(err, reports.ErrFollowConfirmed) {
			t.Errorf("second confirmation: %v", err)
		}
		if again, err := e.s.Follow(e.ctx, e.town, r.ID, "voisin@exemple.fr", "fr"); again != "" || err != nil || len(e.out.take()) != 0 {
			t.Errorf("following again: %q, %v", again, err)
		}
		e.change(e.town, r.ID, reports.InProgress, "")
		update := mailsTo(e.out.take(), "voisin@exemple.fr", "report_update")
		if len(update) != 1 {
			t.Fatalf("updates: %+v", update)
		}
		unfollow := linkToken(t, update[0].Text, "https://ville.example"+reports.UnfollowPrefix)
		if err := e.s.Unfollow(e.ctx, e.vill, unfollow); err != nil {
			t.Fatal(err)
		}
		e.change(e.town, r.ID, reports.Fixed, "")
		if len(mailsTo(e.out.take(), "voisin@exemple.fr", "report_update")) != 1 {
			t.Error("another collectivité's unfollow link ended the follow")
		}
		for range 2 {
			if err := e.s.Unfollow(e.ctx, e.town, unfollow); err != nil {
				t.Fatal(err)
			}
		}
		e.change(e.town, r.ID, reports.Closed, "")
		if len(mailsTo(e.out.take(), "voisin@exemple.fr", "report_update")) != 0 {
			t.Error("mailed after unfollowing")
		}
		if _, err := e.s.Follow(e.ctx, e.town, r.ID, "pas une adresse", "fr"); guichet.FieldErrors(err)["email"] == "" {
			t.Errorf("a wrong address: %v", err)
		}
		if _, err := e.s.Follow(e.ctx, e.vill, r.ID, "x@exemple.fr", "fr"); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("followed from the village: %v", err)
		}
	})
}

// TestFollowByAccount: a signed-in resident follows at once, and stops.
func TestFollowByAccount(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		r := e.confirmed(e.town, draft(c, 0, "auteur@exemple.fr"))
		if err := e.s.FollowByAccount(e.ctx, e.town, r.ID, "", "x@exemple.fr", "fr"); code(err) != guichet.EForbidden {
			t.Errorf("without an account: %v", err)
		}
		for range 2 {
			if err := e.s.FollowByAccount(e.ctx, e.town, r.ID, "u-1", "compte@exemple.fr", "fr"); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := e.s.FollowsByAccount(e.ctx, e.town, r.ID, "u-1"); !ok || err != nil {
			t.Errorf("follows: %v, %v", ok, err)
		}
		e.change(e.town, r.ID, reports.Acknowledged, "")
		if len(mailsTo(e.out.take(), "compte@exemple.fr", "report_update")) != 1 {
			t.Error("the account's follow was not mailed once")
		}
		if err := e.s.UnfollowByAccount(e.ctx, e.vill, r.ID, "u-1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.FollowsByAccount(e.ctx, e.town, r.ID, "u-1"); !ok {
			t.Error("the village ended the town's follow")
		}
		if err := e.s.UnfollowByAccount(e.ctx, e.town, r.ID, "u-1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.s.FollowsByAccount(e.ctx, e.town, r.ID, "u-1"); ok {
			t.Error("still follows")
		}
	})
}
