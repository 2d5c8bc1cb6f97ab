package web

import (
	"fmt"
	"hash/maphash"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"guichet/internal/kernel/invalidate"
)

// maxMemoPages bounds the memo; it is emptied when full.
const maxMemoPages = 512

// memo keeps pages rendered for signed-out visitors, keyed by a hash of
// every input of the render: the same inputs give the same bytes, so a
// memoized page is never stale, only not rendered twice.
type memo struct {
	seed  maphash.Seed
	mu    sync.RWMutex
	pages map[uint64]*memoPage
}

type memoPage struct {
	key      string
	tenantID string
	body     []byte
	gzOnce   sync.Once
	gz       []byte // body gzipped, made at the first request that accepts it
}

// write sends the page, gzipped when the client accepts it: a memoized
// page is compressed once, not at each request.
func (p *memoPage) write(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if !mayCompress(w, req) || len(p.body) < minCompressed {
		_, _ = w.Write(p.body)
		return
	}
	p.gzOnce.Do(func() { p.gz = gzipped(p.body) })
	h.Set("Content-Encoding", "gzip")
	addVary(h)
	_, _ = w.Write(p.gz)
}

// JoinChanges registers the page memo on b: its pages are never stale,
// but those of a collectivité that changed will not be asked for again.
func (r *Renderer) JoinChanges(b *invalidate.Bus) {
	b.Register(invalidate.Cache{Name: "page-memo", Holds: []invalidate.Kind{invalidate.Tenant}, Drop: r.memo.drop})
}

// drop forgets the pages of the changed collectivité.
func (m *memo) drop(c invalidate.Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, p := range m.pages {
		if c.Touches(p.tenantID, "") {
			delete(m.pages, h)
		}
	}
}

// MemoKeyer is a decoration that says itself what, in it, the page shows;
// fmt would otherwise print it by reflection on every request.
type MemoKeyer interface{ MemoKey() string }

// writeExtra appends the page's decorations in key order; strings, the
// common case, are written as they are, a MemoKeyer as its key, anything
// else as fmt prints it.
func writeExtra(b *strings.Builder, extra map[string]any) {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		switch v := extra[k].(type) {
		case string:
			b.WriteString(v)
		case MemoKeyer:
			b.WriteString(v.MemoKey())
		default:
			fmt.Fprint(b, extra[k])
		}
		b.WriteByte(0)
	}
}

// PageMemo renders like Page, but reuses the bytes of an earlier render
// whose inputs were the same: the tenant (and its last change), language,
// path, title, decorations, and dataKey, which the caller derives from
// everything in p.Data that the page shows. Pages with a signed-in
// visitor, a notice or errors are always rendered.
func (r *Renderer) PageMemo(w http.ResponseWriter, req *http.Request, name string, p *Page, dataKey string) {
	r.fill(req, p)
	if p.Identity != nil || p.Notice != "" || len(p.Errors) > 0 || p.Tenant == nil {
		r.Page(w, req, http.StatusOK, name, p)
		return
	}
	var b strings.Builder
	// Room for the parts and decorations, so that the key is copied once.
	b.Grow(len(dataKey) + 2048)
	for _, part := range []string{name, p.Tenant.ID, strconv.FormatInt(p.Tenant.UpdatedAt.UnixNano(), 10), p.Lang, p.Path,
		p.Title, dataKey} {
		b.WriteString(part)
		b.WriteByte(0)
	}
	writeExtra(&b, p.Extra)
	key := b.String()
	h := maphash.String(r.memo.seed, key)
	r.memo.mu.RLock()
	hit, ok := r.memo.pages[h]
	r.memo.mu.RUnlock()
	if ok && hit.key == key {
		hit.write(w, req)
		return
	}
	body, err := r.render(name, p)
	if err != nil {
		r.log.Error("render", "page", name, "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	r.memo.mu.Lock()
	if len(r.memo.pages) >= maxMemoPages {
		r.memo.pages = map[uint64]*memoPage{}
	}
	page := &memoPage{key: key, tenantID: p.Tenant.ID, body: body}
	r.memo.pages[h] = page
	r.memo.mu.Unlock()
	page.write(w, req)
}
