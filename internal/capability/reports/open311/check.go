package open311

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Check returns what is wrong with answers (NewRequest.Attributes) to d's
// variable attributes, keyed "attribute[code]", or nil. Answers to codes
// d does not name are left alone: clients such as FixMyStreet's send
// their own (title, report_url…).
func (d *Definition) Check(answers map[string][]string) map[string]string {
	bad := map[string]string{}
	for _, a := range d.Attributes {
		if !a.Variable {
			continue
		}
		if msg := a.check(answers[a.Code]); msg != "" {
			bad["attribute["+a.Code+"]"] = msg
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// check says what is wrong with the values given to a.
func (a Attribute) check(values []string) string {
	switch {
	case len(values) == 0 && a.Required:
		return "Une réponse est obligatoire."
	case len(values) == 0:
		return ""
	case len(values) > 1 && a.Datatype != MultiValueList:
		return "Une seule valeur est possible."
	}
	for _, v := range values {
		if msg := a.checkOne(v); msg != "" {
			return msg
		}
	}
	return ""
}

func (a Attribute) checkOne(v string) string {
	switch a.Datatype {
	case Number:
		if f, err := strconv.ParseFloat(v, 64); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "Nombre attendu, par exemple 12 ou 3.5."
		}
	case Datetime:
		if _, err := ParseTime(v, time.UTC); err != nil {
			return "Date attendue au format W3C, par exemple 2026-03-01T09:30:00+01:00."
		}
	case String:
		if strings.ContainsAny(v, "\r\n") {
			return "La réponse tient sur une ligne."
		}
	case SingleValueList, MultiValueList:
		for _, choice := range a.Values {
			if choice.Key == v {
				return ""
			}
		}
		return fmt.Sprintf("«\u00a0%s\u00a0» n'est pas une valeur possible (%s).", clip(v, 40), a.keys())
	}
	return ""
}

func (a Attribute) keys() string {
	keys := make([]string, len(a.Values))
	for i, v := range a.Values {
		keys[i] = v.Key
	}
	return strings.Join(keys, ", ")
}

// clip shortens s to n characters for a message.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
