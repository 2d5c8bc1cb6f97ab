package search

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
