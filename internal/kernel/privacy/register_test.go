package privacy_test

import (
	"context"
	"errors"
	"testing"

	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
)

// TestRegisterListsWhatACollectivitéUses: the register of a collectivité
// holds the activities of the capabilities it uses, in order; the
// operator's site holds those marked Platform.
func TestRegisterListsWhatACollectivitéUses(t *testing.T) {
	t.Parallel()
	r := privacy.NewRegister()
	uses := func(id string) func(context.Context, string) (bool, error) {
		return func(_ context.Context, tenantID string) (bool, error) { return tenantID == id, nil }
	}
	if err := r.Add(
		privacy.Activity{Key: "rendez-vous", Order: 30, InUse: uses("ville")},
		privacy.Activity{Key: "comptes", Order: 10, Platform: true},
		privacy.Activity{Key: "demarches", Order: 20},
	); err != nil {
		t.Fatal(err)
	}
	if err := r.Add(privacy.Activity{Key: "comptes"}); err == nil {
		t.Error("a key added twice was accepted")
	}
	for tenantID, want := range map[string][]string{
		"ville":           {"comptes", "demarches", "rendez-vous"},
		"village":         {"comptes", "demarches"},
		tenant.PlatformID: {"comptes"},
	} {
		acts, err := r.For(context.Background(), tenantID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range acts {
			got = append(got, a.Key)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", tenantID, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", tenantID, got, want)
			}
		}
	}
}

// TestRetentionRunsEveryRule: a failing rule is reported and does not stop
// the others.
func TestRetentionRunsEveryRule(t *testing.T) {
	t.Parallel()
	r := privacy.NewRegister()
	broken := errors.New("base indisponible")
	ran := 0
	if err := r.AddRules(
		privacy.Rule{Key: "a", Apply: func(context.Context) (int64, error) { ran++; return 0, broken }},
		privacy.Rule{Key: "b", Apply: func(context.Context) (int64, error) { ran++; return 3, nil }},
	); err != nil {
		t.Fatal(err)
	}
	counts, err := r.ApplyRetention(context.Background())
	if !errors.Is(err, broken) || ran != 2 || counts["b"] != 3 {
		t.Errorf("ran %d rules, counts %v, err %v", ran, counts, err)
	}
}
