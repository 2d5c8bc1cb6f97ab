package procedure

import (
	"math"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"guichet/internal/kernel/tenant"
)

func bound(s string) *string { return &s }

// validated are fields of every type that takes a typed answer, with the
// rules a builder sets.
var validated = []Field{
	{Key: "nom", Type: Text, Label: "Nom", MinLength: 2, MaxLength: 40},
	{Key: "cp", Type: Text, Label: "Code postal", Pattern: `[0-9]{5}`},
	{Key: "motif", Type: LongText, Label: "Motif"},
	{Key: "adresse", Type: Address, Label: "Adresse"},
	{Key: "age", Type: Number, Label: "Âge", Min: bound("0"), Max: bound("120")},
	{Key: "surface", Type: Number, Label: "Surface", Min: bound("0,5")},
	{Key: "naissance", Type: Date, Label: "Date de naissance", Min: bound("1900-01-01"), Max: bound("2026-12-31")},
	{Key: "courriel", Type: Email, Label: "Courriel"},
	{Key: "tel", Type: Phone, Label: "Téléphone"},
	{Key: "salle", Type: Choice, Label: "Salle", Options: []string{"Salle des fêtes", "Salle du conseil"}},
	{Key: "services", Type: Multi, Label: "Services", Options: []string{"cantine", "garderie", "étude"}},
	{Key: "majeur", Type: YesNo, Label: "Majeur"},
	{Key: "siret", Type: SIRET, Label: "SIRET"},
}

// FuzzFieldValidate checks the answers a resident types against the form
// engine's rules: an answer accepted is of its field's type and within its
// rules — a number finite and within its bounds, a date real and within
// its bounds, an address one line, an option among those offered.
func FuzzFieldValidate(f *testing.F) {
	for _, s := range []struct {
		field uint8
		v     string
	}{{0, "Dupont"}, {1, "54000"}, {4, "12"}, {4, "3,5"}, {4, "NaN"}, {4, "Inf"}, {4, "-0"}, {4, "1e2"}, {4, "0x10p0"},
		{5, "0,49"}, {5, "1_000"}, {6, "2026-03-15"}, {6, "1899-12-31"}, {6, "2026-02-30"}, {7, "lea.dubois@example.fr"},
		{7, "Léa <lea@example.fr>"}, {7, "a@b"}, {8, "05 49 00 00 00"}, {8, "+33 5 49 00 00 00"}, {9, "Salle des fêtes"},
		{10, "cantine,étude"}, {10, "cantine,piscine"}, {11, "oui"}, {11, "OUI"}, {12, "217 500 016 00019"}, {12, "21750001600018"}} {
		f.Add(s.field, s.v)
	}
	f.Fuzz(func(t *testing.T, which uint8, v string) {
		fl := validated[int(which)%len(validated)]
		a := Answer{Value: v}
		if fl.Type == Multi {
			a = Answer{Values: strings.Split(v, ",")}
		}
		if fl.Validate(a) != "" || a.Empty() {
			return
		}
		refuse := func() { t.Helper(); t.Fatalf("%s (%s) accepted %q", fl.Key, fl.Type, v) }
		switch fl.Type {
		case Text, LongText, Address:
			n := utf8.RuneCountInString(v)
			if fl.MaxLength > 0 && n > fl.MaxLength || n < fl.MinLength {
				refuse()
			}
			if fl.Pattern != "" && !regexp.MustCompile(`^(?:`+fl.Pattern+`)$`).MatchString(v) {
				refuse()
			}
		case Number:
			x, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", "."), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				refuse()
			}
			for _, b := range []struct {
				limit *string
				sign  float64
			}{{fl.Min, 1}, {fl.Max, -1}} {
				if b.limit != nil {
					l, _ := strconv.ParseFloat(strings.ReplaceAll(*b.limit, ",", "."), 64)
					if (x-l)*b.sign < 0 {
						refuse()
					}
				}
			}
		case Date:
			d, err := time.Parse(time.DateOnly, v)
			if err != nil || d.Format(time.DateOnly) != v || v < *fl.Min || v > *fl.Max {
				refuse()
			}
		case Email:
			addr, err := mail.ParseAddress(v)
			if err != nil || addr.Address != v || strings.ContainsAny(v, "\r\n<>") || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
				refuse()
			}
		case Phone:
			digits := 0
			for _, c := range v {
				switch {
				case c >= '0' && c <= '9':
					digits++
				case !strings.ContainsRune(" .-+", c):
					refuse()
				}
			}
			if digits < 8 || digits > 15 {
				refuse()
			}
		case Choice:
			if !slices.Contains(fl.Options, v) {
				refuse()
			}
		case Multi:
			for _, x := range a.Values {
				if !slices.Contains(fl.Options, x) {
					refuse()
				}
			}
		case YesNo:
			if v != "oui" && v != "non" {
				refuse()
			}
		case SIRET:
			if !tenant.ValidSIRET(v) {
				refuse()
			}
		}
	})
}
