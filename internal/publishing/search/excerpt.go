package search

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// highlight splits s into segments, marking the words whose term is wanted.
func highlight(s string, want map[string]bool, term func(string) string) []Segment {
	return mark(s, tokensWith(s, term), want)
}

// memoTerm returns Term remembering its answers: the hits of one search
// repeat words, and stemming is what showing them costs most.
func memoTerm() func(string) string {
	memo := map[string]string{}
	return func(w string) string {
		t, ok := memo[w]
		if !ok {
			t = Term(w)
			memo[w] = t
		}
		return t
	}
}

// otherWord is the term given to a word that cannot be one of those
// sought: not a stop word (""), so that it still parts a phrase's words.
const otherWord = "\x00"

// wantedTerm returns Term for the words that may give one of the terms
// want, "" for stop words as Term does, and otherWord for the rest
// without stemming them: a term keeps the first three letters of its
// word (lower case, without accents), so a word beginning otherwise
// cannot give it. Stemming every word of every excerpt was most of what
// showing results cost.
func wantedTerm(want map[string]bool) func(string) string {
	starts := map[string]bool{}
	for t := range want {
		r := []rune(t)
		starts[string(r[:min(3, len(r))])] = true
	}
	term := memoTerm()
	return func(w string) string {
		f := folded(w)
		if stopWords[f] || utf8.RuneCountInString(f) < 2 && !isDigits(f) {
			return ""
		}
		for i, end := 0, 0; i < 3 && end < len(f); i++ {
			_, size := utf8.DecodeRuneInString(f[end:])
			if end += size; starts[f[:end]] {
				return term(w)
			}
		}
		return otherWord
	}
}

// folded is a word as Term reads it before stemming: lower case, without
// accents; an ASCII word is only lowered (no allocation when it is
// lower case already).
func folded(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return fold(strings.ToLower(norm.NFC.String(w)))
		}
	}
	return strings.ToLower(w)
}

func mark(s string, toks []token, want map[string]bool) []Segment {
	var out []Segment
	pos := 0
	for _, t := range toks {
		if t.term == "" || !want[t.term] {
			continue
		}
		if t.start > pos {
			out = append(out, Segment{Text: s[pos:t.start]})
		}
		out = append(out, Segment{Text: s[t.start:t.end], Mark: true})
		pos = t.end
	}
	if pos < len(s) {
		out = append(out, Segment{Text: s[pos:]})
	}
	return out
}

// Excerpt returns about words words of body around its densest cluster of
// wanted terms, with those words marked and "…" where text was cut.
func Excerpt(body string, want map[string]bool, words int) []Segment {
	return excerpt(body, want, words, Term)
}

func excerpt(body string, want map[string]bool, words int, term func(string) string) []Segment {
	toks := tokensWith(body, term)
	if len(toks) == 0 {
		return nil
	}
	best, bestN := 0, -1
	for i := range toks {
		if !want[toks[i].term] {
			continue
		}
		n := 0
		for j := i; j < len(toks) && j < i+words; j++ {
			if want[toks[j].term] {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	from := max(0, best-words/4)
	to := min(len(toks), from+words)
	start, end := toks[from].start, toks[to-1].end
	segs := mark(body[start:end], shift(toks[from:to], start), want)
	if from > 0 {
		segs = append([]Segment{{Text: "… "}}, segs...)
	}
	if to < len(toks) {
		segs = append(segs, Segment{Text: " …"})
	}
	return segs
}

func shift(toks []token, by int) []token {
	out := make([]token, len(toks))
	for i, t := range toks {
		out[i] = token{start: t.start - by, end: t.end - by, term: t.term}
	}
	return out
}
