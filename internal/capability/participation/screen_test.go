package participation

import (
	"strings"
	"testing"
)

// TestJudgeHoldsWhatSpamLooksLike: each signal alone leaves an old
// account's message visible; repetition, many links, a new account's
// link, a new account's burst hold it; a premoderated space holds every
// new account's message.
func TestJudgeHoldsWhatSpamLooksLike(t *testing.T) {
	t.Parallel()
	plain := "Le marché de samedi est avancé à 7 h, pensez-y."
	link := "Le programme est sur https://exemple.fr/marche."
	tests := []struct {
		name  string
		sig   Signals
		score int
		state string
	}{
		{"an old account's plain message", Signals{Body: plain}, 0, Visible},
		{"an old account's link", Signals{Body: link}, 1, Visible},
		{"a new account's plain message", Signals{Body: plain, NewAccount: true}, 1, Visible},
		{"a new account's link", Signals{Body: link, NewAccount: true}, 3, Pending},
		{"three links", Signals{Body: "https://a.fr https://b.fr www.c.com"}, 3, Pending},
		{"a text written again", Signals{Body: plain, Repeats: 1}, 3, Pending},
		{"an old account's burst", Signals{Body: plain, Recent: Burst}, 2, Visible},
		{"a new account's burst", Signals{Body: plain, NewAccount: true, Recent: Burst}, 3, Pending},
		{"capitals", Signals{Body: strings.ToUpper(plain)}, 1, Visible},
		{"a new account in a premoderated space", Signals{Body: plain, NewAccount: true, Premoderated: true}, 1, Pending},
		{"an old account in a premoderated space", Signals{Body: plain, Premoderated: true}, 0, Visible},
	}
	for _, tt := range tests {
		v := Judge(tt.sig)
		if v.Score != tt.score || v.State != tt.state || len(v.Why) == 0 != (tt.score == 0) {
			t.Errorf("%s: score %d %s (%v), want %d %s", tt.name, v.Score, v.State, v.Why, tt.score, tt.state)
		}
	}
}

// TestBodyHashIgnoresCaseSpacesAndPunctuation: a text written again with
// other capitals or punctuation is the same text.
func TestBodyHashIgnoresCaseSpacesAndPunctuation(t *testing.T) {
	t.Parallel()
	if bodyHash("Achetez ici, pas cher !") != bodyHash("ACHETEZ   ici pas cher!!!") {
		t.Error("the same text scored as another")
	}
	if bodyHash("Achetez ici") == bodyHash("Achetez là") {
		t.Error("two texts scored as one")
	}
}

// TestLinksFindsAddressesAsSpammersWriteThem.
func TestLinksFindsAddressesAsSpammersWriteThem(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]int{
		"Rien à voir ici.":                           0,
		"Voir https://exemple.fr et www.exemple.com": 2,
		"promo sur pas-cher.xyz/offre aujourd'hui":   1,
		"Rendez-vous à 10 h. Merci.":                 0,
	} {
		if got := Links(body); got != want {
			t.Errorf("Links(%q) = %d, want %d", body, got, want)
		}
	}
}
