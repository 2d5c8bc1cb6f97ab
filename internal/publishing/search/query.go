package search

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// querier is what Put and Remove write through: the database or a transaction.
type querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Bounds on the cost of any search: the words of a query, the documents
// read for the rarest word and for each other one (those only add
// documents holding some of the words, ranked after those holding all),
// the words an unfinished last word stands for, the documents whose text
// is read to check a quoted phrase.
const (
	maxTerms        = 8
	maxCandidates   = 1000
	maxPartial      = 200
	maxExpansions   = 6
	maxPhraseChecks = 100
)

// Query is one search.
type Query struct {
	TenantID string
	Text     string
	// Kinds limits the search to some kinds of documents (all when empty).
	Kinds []string
	Limit int
	// After is the cursor of the last hit of the previous page ("" for the first).
	After string
	// PerKind, when above zero, asks for the best PerKind hits of each kind
	// rather than one page: the first, grouped page of results.
	PerKind int
	// Boost scales the score of some kinds, in percent: residents search
	// for a service more than for a news item (Kind.Boost).
	Boost map[string]int
}

// KindCount is how many documents of one kind a search found; More is
// true when there may be more than Count (a word so common that only its
// best documents were read).
type KindCount struct {
	Kind  string
	Count int
	More  bool
}

// Page is one page of results; Next is the cursor of the following page,
// "" on the last.
type Page struct {
	Hits  []Hit
	Terms []string
	Next  string
	// Kinds counts the results of each kind, in the order of their best hit.
	Kinds []KindCount
	// Corrected is the query with its unknown words replaced by the
	// nearest known ones, "" when no word was corrected.
	Corrected string
}

// tagBase separates a row's word from its term in the candidates' query.
const tagBase = 16

// scale is what one occurrence of term j of word slot is worth among
// docs documents: more for a rare term than for a common one (a word in
// few documents tells more about what is sought), and little for a
// word the last one only begins (a sixteenth), so that "plu" finds the PLU before
// "plusieurs".
func (p parsed) scale(slot, j int, df map[string]int, docs int) int {
	n := max(df[p.slots[slot].terms[j]], 1)
	w := int(100 * math.Log(1+float64(max(docs, n))/float64(n)))
	if j > 0 {
		w /= 16
	}
	return max(w, 1)
}

// candidate is a document some term of the query led to.
type candidate struct {
	key            string
	at             time.Time
	weights        [maxTerms]int // best weight per word of the query
	matched, score int
}

func (c *candidate) kind() string { k, _, _ := strings.Cut(c.key, ":"); return k }

func (c *candidate) cursor() cursor {
	return cursor{matched: c.matched, score: c.score, at: c.at, key: c.key}
}

// before reports whether a ranks above b: more words of the query, then
// weightier (title words count most), then newer, then by key.
func before(a, b cursor) int {
	return cmp.Or(-cmp.Compare(a.matched, b.matched), -cmp.Compare(a.score, b.score), -a.at.Compare(b.at), cmp.Compare(a.key, b.key))
}

// Search returns the documents holding words of q.Text, best first: those
// holding every word, then most of them; within each, by weight (title
// words weigh more), then newest. The last word also stands for the words
// it begins; a word found nowhere is replaced by the nearest indexed one.
func (ix *Index) Search(ctx context.Context, q Query) (*Page, error) {
	p := parse(q.Text)
	page := &Page{}
	if len(p.slots) == 0 {
		return page, nil
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	if err := ix.expand(ctx, q.TenantID, &p); err != nil {
		return nil, err
	}
	df, err := ix.frequencies(ctx, q.TenantID, p.terms())
	if err != nil {
		return nil, err
	}
	corrected, err := ix.correct(ctx, q.TenantID, &p, df)
	if err != nil {
		return nil, err
	}
	if corrected {
		page.Corrected = p.text(q.Text)
		if df, err = ix.frequencies(ctx, q.TenantID, p.terms()); err != nil {
			return nil, err
		}
	}
	page.Terms = p.terms()
	cands, capped, err := ix.candidates(ctx, q, p, df)
	if err != nil || len(cands) == 0 {
		return page, err
	}
	slices.SortFunc(cands, func(a, b *candidate) int { return before(a.cursor(), b.cursor()) })
	if len(p.phrases) > 0 {
		if cands, err = ix.keepPhrases(ctx, q.TenantID, p, cands); err != nil {
			return nil, err
		}
	}
	counts := map[string]int{}
	for _, c := range cands {
		k := c.kind()
		if counts[k] == 0 {
			page.Kinds = append(page.Kinds, KindCount{Kind: k, More: capped})
		}
		counts[k]++
	}
	for i := range page.Kinds {
		page.Kinds[i].Count = counts[page.Kinds[i].Kind]
	}
	var chosen []*candidate
	if q.PerKind > 0 {
		taken := map[string]int{}
		for _, c := range cands {
			if k := c.kind(); taken[k] < q.PerKind {
				taken[k]++
				chosen = append(chosen, c)
			}
		}
	} else {
		after, paged := parseCursor(q.After)
		for _, c := range cands {
			if paged && before(c.cursor(), after) <= 0 {
				continue
			}
			if len(chosen) == q.Limit {
				page.Next = chosen[len(chosen)-1].cursor().String()
				break
			}
			chosen = append(chosen, c)
		}
	}
	page.Hits, err = ix.hits(ctx, q.TenantID, p, chosen)
	return page, err
}

// kindFilter returns the SQL condition and arguments limiting postings to
// some kinds of documents.
func kindFilter(kinds []string) (string, []any) {
	if len(kinds) == 0 {
		return "", nil
	}
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k + ":%"
	}
	return " AND (" + strings.TrimSuffix(strings.Repeat("doc_key LIKE ? OR ", len(kinds)), " OR ") + ")", args
}

// candidates reads the documents the query's terms lead to, with the
// weight of each word of the query in each. Every term contributes its
// best maxCandidates documents; the documents of the rarest word are
// also looked up, one primary-key probe each, for every other word, so
// that a document holding every word is never missed as long as one of
// them is in fewer than maxCandidates documents. capped is true when a
// term had more documents than were read.
func (ix *Index) candidates(ctx context.Context, q Query, p parsed, df map[string]int) ([]*candidate, bool, error) {
	driver, least, capped := -1, 0, false
	for i, s := range p.slots {
		n := 0
		for _, t := range s.terms {
			n += df[t]
			capped = capped || df[t] > maxCandidates
		}
		if n > 0 && (driver < 0 || n < least) {
			driver, least = i, n
		}
	}
	if driver < 0 {
		return nil, false, nil
	}
	docs, err := ix.size(ctx, q.TenantID)
	if err != nil {
		return nil, false, err
	}
	now := ix.Now()
	kinds, kindArgs := kindFilter(q.Kinds)
	var args []any
	// Each row is tagged with its word and term (slot*tagBase + term), so
	// that a term's weight can be scaled by its rarity.
	tag := func(slot, j int) string { return strconv.Itoa(slot*tagBase + j) }
	top := func(term string, limit int, tag string) string {
		args = append(args, q.TenantID, term, now, now)
		args = append(args, kindArgs...)
		return `SELECT ` + tag + ` AS tag, doc_key, weight, published_at FROM (SELECT doc_key, weight, published_at FROM search_postings
			WHERE tenant_id = ? AND term = ? AND published_at <= ? AND expires_at > ?` + kinds + `
			ORDER BY weight DESC, published_at DESC, doc_key LIMIT ` + strconv.Itoa(limit) + `) t`
	}
	var b strings.Builder
	b.WriteString("WITH r AS (")
	for j, t := range p.slots[driver].terms {
		if j > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString(top(t, maxCandidates, tag(driver, j)))
	}
	b.WriteString(") SELECT tag, doc_key, weight, published_at FROM (SELECT tag, doc_key, weight, published_at FROM r")
	for i, s := range p.slots {
		if i == driver {
			continue
		}
		for j, t := range s.terms {
			if df[t] == 0 {
				continue
			}
			// Correlated lookups rather than a join: one probe per document
			// on both engines, where a join may make PostgreSQL hash a
			// common term's whole posting list.
			b.WriteString(" UNION ALL SELECT " + tag(i, j) + `, r.doc_key, (SELECT p.weight FROM search_postings p
				WHERE p.tenant_id = ? AND p.term = ? AND p.doc_key = r.doc_key), r.published_at FROM r`)
			args = append(args, q.TenantID, t)
			b.WriteString(" UNION ALL " + top(t, maxPartial, tag(i, j)))
		}
	}
	b.WriteString(") h WHERE h.weight IS NOT NULL")
	rows, err := ix.db.Query(ctx, b.String(), args...)
	if err != nil {
		return nil, false, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	byKey := map[string]*candidate{}
	var out []*candidate
	for rows.Next() {
		var tagged, weight int
		var key string
		var at time.Time
		if err := rows.Scan(&tagged, &key, &weight, &at); err != nil {
			return nil, false, fmt.Errorf("search: %w", err)
		}
		c := byKey[key]
		if c == nil {
			c = &candidate{key: key, at: at.UTC()}
			byKey[key] = c
			out = append(out, c)
		}
		slot, j := tagged/tagBase, tagged%tagBase
		c.weights[slot] = max(c.weights[slot], weight*p.scale(slot, j, df, docs))
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("search: %w", err)
	}
	kept := out[:0]
	for _, c := range out {
		for _, w := range c.weights {
			if w > 0 {
				c.matched++
				c.score += w
			}
		}
		if b, ok := q.Boost[c.kind()]; ok {
			c.score = c.score * b / 100
		}
		// A phrase's words are all required.
		if p.holdsPhraseWords(c) {
			kept = append(kept, c)
		}
	}
	return kept, capped, nil
}

func (p parsed) holdsPhraseWords(c *candidate) bool {
	for _, ph := range p.phrases {
		for _, i := range ph {
			if c.weights[i] == 0 {
				return false
			}
		}
	}
	return true
}

// keepPhrases keeps the best candidates whose title or text holds every
// quoted phrase word for word, reading at most maxPhraseChecks texts.
func (ix *Index) keepPhrases(ctx context.Context, tenantID string, p parsed, cands []*candidate) ([]*candidate, error) {
	cands = cands[:min(len(cands), maxPhraseChecks)]
	docs, err := ix.docs(ctx, tenantID, cands)
	if err != nil {
		return nil, err
	}
	inPhrases := map[string]bool{}
	for _, ph := range p.phrases {
		for _, i := range ph {
			inPhrases[p.slots[i].terms[0]] = true
		}
	}
	kept := cands[:0]
	term := wantedTerm(inPhrases)
	for _, c := range cands {
		d := docs[c.key]
		title, body := tokensWith(d.Title, term), tokensWith(d.Body, term)
		ok := true
		for _, ph := range p.phrases {
			terms := make([]string, len(ph))
			for j, i := range ph {
				terms[j] = p.slots[i].terms[0]
			}
			if !holdsPhrase(title, terms) && !holdsPhrase(body, terms) {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// docs reads the stored documents of some candidates.
func (ix *Index) docs(ctx context.Context, tenantID string, cands []*candidate) (map[string]Doc, error) {
	out := make(map[string]Doc, len(cands))
	if len(cands) == 0 {
		return out, nil
	}
	args := []any{tenantID}
	for _, c := range cands {
		args = append(args, c.key)
	}
	rows, err := ix.db.Query(ctx, `SELECT doc_key, kind, title, url, body FROM search_docs WHERE tenant_id = ? AND doc_key IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(cands)), ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var d Doc
		if err := rows.Scan(&key, &d.Kind, &d.Title, &d.URL, &d.Body); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		d.ID = strings.TrimPrefix(key, d.Kind+":")
		out[key] = d
	}
	return out, rows.Err()
}

// hits reads the chosen candidates' documents and marks the query's words
// in their titles and excerpts.
func (ix *Index) hits(ctx context.Context, tenantID string, p parsed, chosen []*candidate) ([]Hit, error) {
	docs, err := ix.docs(ctx, tenantID, chosen)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, t := range p.terms() {
		want[t] = true
	}
	out := make([]Hit, 0, len(chosen))
	term := wantedTerm(want)
	for _, c := range chosen {
		d, ok := docs[c.key]
		if !ok {
			continue // removed between the two reads
		}
		h := Hit{Kind: d.Kind, ID: d.ID, Title: d.Title, URL: d.URL, PublishedAt: c.at,
			Matched: c.matched, Score: c.score, AllWords: c.matched == len(p.slots)}
		h.InTitle = h.AllWords && p.inTitle(d.Title)
		h.TitleParts = highlight(d.Title, want, term)
		h.Excerpt = excerpt(d.Body, want, 30, term)
		out = append(out, h)
	}
	return out, nil
}

// inTitle reports whether a title holds every word of the query.
func (p parsed) inTitle(title string) bool {
	has := map[string]bool{}
	for _, t := range tokens(title) {
		has[t.term] = true
	}
	for _, s := range p.slots {
		if !slices.ContainsFunc(s.terms, func(t string) bool { return has[t] }) {
			return false
		}
	}
	return true
}

// frequencies counts the documents of each term, up to maxCandidates+1
// (one query).
func (ix *Index) frequencies(ctx context.Context, tenantID string, terms []string) (map[string]int, error) {
	df := map[string]int{}
	if len(terms) == 0 {
		return df, nil
	}
	var b strings.Builder
	args := make([]any, 0, 2*len(terms))
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString(`SELECT ` + strconv.Itoa(i) + ` AS i, COUNT(*) AS n FROM (SELECT 1 AS one FROM search_postings
			WHERE tenant_id = ? AND term = ? LIMIT ` + strconv.Itoa(maxCandidates+1) + `) x` + strconv.Itoa(i))
		args = append(args, tenantID, t)
	}
	rows, err := ix.db.Query(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("search: frequencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return nil, err
		}
		df[terms[i]] = n
	}
	return df, rows.Err()
}

// expand lets the query's last, unfinished word stand for the shortest
// indexed words it begins ("passepor" for "passeport").
func (ix *Index) expand(ctx context.Context, tenantID string, p *parsed) error {
	k := len(p.slots) - 1
	if k < 0 || !p.slots[k].last || len([]rune(p.slots[k].word)) < 3 {
		return nil
	}
	prefix := p.slots[k].word
	// Read from the prefix on, in the index's order, and keep the words it
	// begins: a short range scan whatever the database's collation.
	rows, err := ix.db.Query(ctx, `SELECT word, term FROM search_words WHERE tenant_id = ? AND word >= ? ORDER BY word LIMIT 60`, tenantID, prefix)
	if err != nil {
		return fmt.Errorf("search: prefix: %w", err)
	}
	defer rows.Close()
	var found []word
	for rows.Next() {
		var w word
		if err := rows.Scan(&w.word, &w.term); err != nil {
			return err
		}
		if strings.HasPrefix(w.word, prefix) {
			found = append(found, w)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortStableFunc(found, func(a, b word) int { return cmp.Compare(len(a.word), len(b.word)) })
	s := &p.slots[k]
	for _, w := range found {
		if len(s.terms) > maxExpansions {
			break
		}
		if !slices.Contains(s.terms, w.term) {
			s.terms = append(s.terms, w.term)
		}
	}
	return nil
}

// correct replaces each word of the query found in no document by the
// nearest indexed word within maxEdits of its length, and reports whether
// it replaced any.
func (ix *Index) correct(ctx context.Context, tenantID string, p *parsed, df map[string]int) (bool, error) {
	changed := false
	for i := range p.slots {
		s := &p.slots[i]
		found := false
		for _, t := range s.terms {
			found = found || df[t] > 0
		}
		// The allowance follows the longer of the two words: "pasport" is
		// two edits from "passeport".
		limit := maxEdits(len([]rune(s.word)) + 2)
		if found || maxEdits(len([]rune(s.word))) == 0 {
			continue
		}
		// Candidates share the first letter: a mistake there is rare, and
		// the range is read from the index.
		first := []rune(s.word)[0]
		n := len([]rune(s.word))
		rows, err := ix.db.Query(ctx, `SELECT word, term, spelling FROM search_words WHERE tenant_id = ? AND word >= ? AND word < ?
			AND LENGTH(word) BETWEEN ? AND ?`, tenantID, string(first), string(first+1), n-limit, n+limit)
		if err != nil {
			return false, fmt.Errorf("search: corrections: %w", err)
		}
		best, bestD := word{}, limit+1
		for rows.Next() {
			var w word
			if err := rows.Scan(&w.word, &w.term, &w.spelling); err != nil {
				rows.Close()
				return false, err
			}
			d := distance(s.word, w.word, limit)
			if d > maxEdits(max(len([]rune(s.word)), len([]rune(w.word)))) {
				continue
			}
			if d < bestD || d == bestD && best.word != "" && w.word < best.word {
				best, bestD = w, d
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		if bestD <= limit {
			s.terms, s.word, changed = []string{best.term}, best.word, true
			s.fixed = best.spelling
		}
	}
	return changed, nil
}

// sizeTTL is how long a collectivité's number of documents is kept: it
// only scales weights, and a count costs a scan of the index.
const sizeTTL = time.Minute

type size struct {
	docs int
	at   time.Time
}

// size returns how many documents a collectivité's index holds, counted
// at most once a minute.
func (ix *Index) size(ctx context.Context, tenantID string) (int, error) {
	if v, ok := ix.sizes.Load(tenantID); ok {
		if s := v.(size); ix.Now().Sub(s.at) < sizeTTL {
			return s.docs, nil
		}
	}
	var n int
	if err := ix.db.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE tenant_id = ?`, tenantID).Scan(&n); err != nil {
		return 0, fmt.Errorf("search: size: %w", err)
	}
	ix.sizes.Store(tenantID, size{docs: n, at: ix.Now()})
	return n, nil
}
