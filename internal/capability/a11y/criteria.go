// Package a11y holds the RGAA 4.1 reference and each collectivité's
// accessibility audits, from which the accessibility statement and the
// footer mention are computed.
package a11y

import (
	_ "embed" // the criteria file
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

//go:embed data/criteres-4.1.json
var criteriaFile []byte

// CriteriaCount is the number of criteria in RGAA 4.1.
const CriteriaCount = 106

// Theme is one of the 13 RGAA themes with its criteria.
type Theme struct {
	Number   int
	Title    string
	Criteria []Criterion
}

// Criterion is one RGAA criterion, identified as "theme.number" ("11.1").
type Criterion struct {
	ID     string
	Theme  int
	Number int
	Title  string
}

type rawReference struct {
	Topics []struct {
		Topic    string `json:"topic"`
		Number   int    `json:"number"`
		Criteria []struct {
			Criterium struct {
				Number int    `json:"number"`
				Title  string `json:"title"`
			} `json:"criterium"`
		} `json:"criteria"`
	} `json:"topics"`
}

// mdLink matches the glossary links of the titles: "[text](#anchor)".
var mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// plain turns a criterion title's Markdown into plain text.
func plain(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	return strings.ReplaceAll(s, "`", "")
}

var loadThemes = sync.OnceValues(func() ([]Theme, error) {
	var raw rawReference
	if err := json.Unmarshal(criteriaFile, &raw); err != nil {
		return nil, fmt.Errorf("a11y: criteria file: %w", err)
	}
	themes := make([]Theme, 0, len(raw.Topics))
	n := 0
	for _, t := range raw.Topics {
		th := Theme{Number: t.Number, Title: t.Topic}
		for _, c := range t.Criteria {
			th.Criteria = append(th.Criteria, Criterion{
				ID:    fmt.Sprintf("%d.%d", t.Number, c.Criterium.Number),
				Theme: t.Number, Number: c.Criterium.Number, Title: plain(c.Criterium.Title)})
		}
		n += len(th.Criteria)
		themes = append(themes, th)
	}
	if n != CriteriaCount {
		return nil, fmt.Errorf("a11y: criteria file has %d criteria, want %d", n, CriteriaCount)
	}
	return themes, nil
})

// Themes returns the 13 themes of RGAA 4.1 with their criteria, in order.
// The file is embedded and checked by the tests, so an error here is a
// build defect.
func Themes() []Theme {
	themes, err := loadThemes()
	if err != nil {
		panic(err)
	}
	return themes
}

// Criteria returns the 106 criteria in reference order.
func Criteria() []Criterion {
	var all []Criterion
	for _, t := range Themes() {
		all = append(all, t.Criteria...)
	}
	return all
}

// KnownCriterion reports whether id names an RGAA 4.1 criterion.
func KnownCriterion(id string) bool {
	for _, c := range Criteria() {
		if c.ID == id {
			return true
		}
	}
	return false
}
