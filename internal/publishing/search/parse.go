package search

import (
	"strings"
	"unicode"
)

// slot is one word of a query: the terms any of which satisfies it (its
// own, and those of the words it begins when it is the last one), and the
// word as typed, folded, for corrections.
type slot struct {
	terms  []string
	word   string // folded, lower case
	typed  string // as typed, to be replaced by a correction
	phrase int    // index of its phrase in parsed.phrases, or -1
	last   bool   // the query's last word, read as a prefix too
	fixed  string // the indexed word it was corrected to, if any
}

// parsed is a query split into slots, and the phrases that quoted words
// form (each a sequence of slot indexes).
type parsed struct {
	slots   []slot
	phrases [][]int
}

// quotes open and close a phrase: typed straight or as French guillemets.
func isQuote(r rune) bool { return r == '"' || r == '«' || r == '»' || r == '“' || r == '”' }

// parse reads a query: its words, in order, each word once; the words
// between quotes form a phrase that documents must hold word for word.
func parse(text string) parsed {
	var p parsed
	seen := map[string]int{}
	inPhrase := false
	var phrase []int
	closePhrase := func() {
		if len(phrase) > 1 {
			for _, i := range phrase {
				p.slots[i].phrase = len(p.phrases)
			}
			p.phrases = append(p.phrases, phrase)
		}
		phrase = nil
	}
	// Quotes cut the text into pieces, alternately outside and inside a phrase.
	start := 0
	pieces := []string{}
	for i, r := range text {
		if isQuote(r) {
			pieces = append(pieces, text[start:i])
			start = i + len(string(r))
		}
	}
	pieces = append(pieces, text[start:])
	for n, piece := range pieces {
		inPhrase = n%2 == 1
		for _, t := range tokens(piece) {
			if t.term == "" {
				continue
			}
			i, dup := seen[t.term]
			if !dup {
				if len(p.slots) == maxTerms {
					break
				}
				i = len(p.slots)
				seen[t.term] = i
				typed := piece[t.start:t.end]
				p.slots = append(p.slots, slot{terms: []string{t.term}, word: fold(strings.ToLower(typed)), typed: typed, phrase: -1})
			}
			if inPhrase {
				phrase = append(phrase, i)
			}
		}
		if inPhrase {
			closePhrase()
		}
	}
	// The last word is still being typed unless followed by a space or a
	// quote: it also stands for the words it begins.
	if k := len(p.slots) - 1; k >= 0 && p.slots[k].phrase < 0 && len(text) > 0 {
		r := []rune(text)
		if end := r[len(r)-1]; !unicode.IsSpace(end) && !isQuote(end) && strings.HasSuffix(fold(strings.ToLower(text)), p.slots[k].word) {
			p.slots[k].last = true
		}
	}
	return p
}

// text returns the query as typed with its corrected words replaced.
func (p parsed) text(typed string) string {
	for _, s := range p.slots {
		if s.fixed != "" {
			typed = strings.Replace(typed, s.typed, s.fixed, 1)
		}
	}
	return typed
}

// terms returns every term of the query, for highlighting.
func (p parsed) terms() []string {
	var out []string
	for _, s := range p.slots {
		out = append(out, s.terms...)
	}
	return out
}

// holdsPhrase reports whether the terms of a text hold the terms of a
// phrase one after the other (stop words between them do not count).
func holdsPhrase(text []token, phrase []string) bool {
	var terms []string
	for _, t := range text {
		if t.term != "" {
			terms = append(terms, t.term)
		}
	}
	for i := 0; i+len(phrase) <= len(terms); i++ {
		match := true
		for j, t := range phrase {
			if terms[i+j] != t {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// distance is the number of edits (insertion, deletion, substitution, or
// swap of two neighbours) from a to b, or more than limit when it exceeds
// it.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// maxEdits is how many typing mistakes a word of n letters may carry and
// still be corrected: none in words of four letters or fewer, where one
// edit makes another word ("trou", "trop"), two in long ones.
func maxEdits(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}
