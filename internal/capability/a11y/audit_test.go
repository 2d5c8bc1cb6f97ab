package a11y

import (
	"testing"
	"time"

	"guichet"
)

// sample returns an audit with c conformant, nc non-conformant criteria and
// the rest not applicable.
func sample(c, nc int) *Audit {
	a := &Audit{AuditedOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Auditor: "Cabinet d'audit",
		Results: map[string]Status{}}
	for i, cr := range Criteria() {
		switch {
		case i < c:
			a.Results[cr.ID] = Conforme
		case i < c+nc:
			a.Results[cr.ID] = NonConforme
		default:
			a.Results[cr.ID] = NonApplicable
		}
	}
	return a
}

func TestReferenceHas106CriteriaIn13Themes(t *testing.T) {
	t.Parallel()
	themes := Themes()
	if len(themes) != 13 {
		t.Fatalf("themes = %d, want 13", len(themes))
	}
	if got := len(Criteria()); got != CriteriaCount {
		t.Fatalf("criteria = %d, want %d", got, CriteriaCount)
	}
	first := themes[10].Criteria[0]
	if first.ID != "11.1" || themes[10].Title != "Formulaires" {
		t.Errorf("theme 11 starts with %q in %q", first.ID, themes[10].Title)
	}
	if want := "Chaque champ de formulaire a-t-il une étiquette\u00a0?"; first.Title != want {
		t.Errorf("11.1 title = %q, want %q (Markdown links stripped)", first.Title, want)
	}
}

func TestRateAndLevelFollowRGAA(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		audit  *Audit
		rate   string
		level  Level
		counts [3]int
	}{
		{"no audit", nil, "0,00 %", LevelNone, [3]int{}},
		{"all applicable conform", sample(50, 0), "100,00 %", LevelFull, [3]int{50, 0, 56}},
		// 40 of 53 applicable: the 53 not applicable do not count.
		{"partial", sample(40, 13), "75,47 %", LevelPartial, [3]int{40, 13, 53}},
		{"exactly half", sample(30, 30), "50,00 %", LevelPartial, [3]int{30, 30, 46}},
		{"just under half", sample(29, 30), "49,15 %", LevelNone, [3]int{29, 30, 47}},
		// 105/106 rounds to 99.06 %, never to total.
		{"one failure", sample(105, 1), "99,06 %", LevelPartial, [3]int{105, 1, 0}},
		{"nothing applicable", sample(0, 0), "0,00 %", LevelNone, [3]int{0, 0, 106}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.audit != nil {
				c, nc, na := tc.audit.Counts()
				if [3]int{c, nc, na} != tc.counts {
					t.Errorf("counts = %v, want %v", [3]int{c, nc, na}, tc.counts)
				}
			}
			a := tc.audit
			if a == nil {
				var none *Audit
				if none.Level() != tc.level || none.Rate() != 0 {
					t.Errorf("nil audit: level %q rate %v", none.Level(), none.Rate())
				}
				return
			}
			if got := a.RateFR(); got != tc.rate {
				t.Errorf("rate = %s, want %s", got, tc.rate)
			}
			if got := a.Level(); got != tc.level {
				t.Errorf("level = %s, want %s", got, tc.level)
			}
		})
	}
}

func TestValidateNamesEachMissingCriterion(t *testing.T) {
	t.Parallel()
	a := sample(40, 13)
	delete(a.Results, "11.1")
	delete(a.Results, "3.2")
	a.Auditor = " "
	err := a.Validate(auditedBy)
	var fields map[string]string
	if e, ok := err.(*guichet.Error); ok {
		fields = e.Fields
	}
	for _, f := range []string{"c-11-1", "c-3-2", "auditor"} {
		if fields[f] == "" {
			t.Errorf("no error for %s in %v", f, err)
		}
	}
	if len(fields) != 3 {
		t.Errorf("errors = %v, want 3", fields)
	}
	if err := sample(40, 13).Validate(auditedBy); err != nil {
		t.Errorf("complete audit refused: %v", err)
	}
	bad := sample(1, 0)
	bad.Results["14.1"] = Conforme
	if guichet.ErrorCode(bad.Validate(auditedBy)) != guichet.EInvalid {
		t.Error("unknown criterion accepted")
	}
}

func TestFailingListsNonConformantInOrder(t *testing.T) {
	t.Parallel()
	a := sample(2, 3)
	f := a.Failing()
	if len(f) != 3 || f[0].ID != "1.3" || f[2].ID != "1.5" {
		t.Errorf("failing = %+v", f)
	}
}

// auditedBy is the day the tests validate on, after sample's audit date.
var auditedBy = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
