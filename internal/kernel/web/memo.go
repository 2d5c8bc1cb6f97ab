package web

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"net/http"
	"slices"
	"sync"

	"guichet/internal/kernel/invalidate"
)

// maxMemoPages and maxMemoBytes (keys and pages) bound the memo; it is
// emptied when full.
const (
	maxMemoPages = 512
	maxMemoBytes = 32 << 20
)

// memo keeps pages rendered for signed-out visitors, keyed by a hash of
// every input of the render: the same inputs give the same bytes, so a
// memoized page is never stale, only not rendered twice.
type memo struct {
	seed  maphash.Seed
	mu    sync.RWMutex
	pages map[uint64]*memoPage
	bytes int
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
			m.bytes -= len(p.key) + len(p.body)
		}
	}
}

// MemoKeyer is a decoration that says itself what, in it, the page shows;
// fmt would otherwise print it by reflection on every request.
type MemoKeyer interface{ MemoKey() string }

// appendExtra appends the page's decorations in key order; strings, the
// common case, are written as they are, a MemoKeyer as its key, anything
// else as fmt prints it.
func appendExtra(b []byte, extra map[string]any) []byte {
	var room [16]string
	keys := room[:0]
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendPart(b, k)
		switch v := extra[k].(type) {
		case string:
			b = appendPart(b, v)
		case MemoKeyer:
			b = appendPart(b, v.MemoKey())
		default:
			b = appendPart(b, fmt.Sprint(v))
		}
	}
	return b
}

// appendPart appends s after its length, so that no part of a key can end
// another.
func appendPart(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// PageMemo renders like Page, but reuses the bytes of an earlier render
// whose inputs were the same: the tenant (and its last change), language,
// path, title, decorations, and dataKey, which the caller derives from
// everything in p.Data that the page shows. Pages with a signed-in
// visitor, a notice or errors are always rendered.
func (r *Renderer) PageMemo(w http.ResponseWriter, req *http.Request, name string, p *Page, dataKey string) {
	if len(p.Form) > 0 { // not in dataKey
		r.Page(w, req, http.StatusOK, name, p)
		return
	}
	r.memoized(w, req, name, p, func(b []byte) ([]byte, bool) { return append(b, dataKey...), true })
}

// PageData renders like Page with status 200, and keeps the bytes for
// signed-out visitors as PageMemo does, keyed on everything p.Data and
// p.Form hold (appendData): the page still reads its data, but the same
// data is not rendered twice. The template must show nothing but the page
// (no clock, no request), which is how every page is written.
func (r *Renderer) PageData(w http.ResponseWriter, req *http.Request, name string, p *Page) {
	r.memoized(w, req, name, p, func(b []byte) ([]byte, bool) {
		b, ok := appendData(b, p.Data)
		if !ok {
			return b, false
		}
		return appendData(b, p.Form)
	})
}

// memoized serves the page from the memo when an earlier render had the
// same key, and renders and keeps it otherwise; data appends the page's
// own part of the key, or says that it has none.
func (r *Renderer) memoized(w http.ResponseWriter, req *http.Request, name string, p *Page, data func([]byte) ([]byte, bool)) {
	r.fill(req, p)
	// A sent form is never kept: its values are the visitor's.
	if p.Identity != nil || p.Notice != "" || len(p.Errors) > 0 || p.Tenant == nil || req.Method != http.MethodGet {
		r.Page(w, req, http.StatusOK, name, p)
		return
	}
	buf := r.keys.Get().(*[]byte)
	defer r.keys.Put(buf)
	key := (*buf)[:0]
	for _, part := range []string{name, p.Tenant.ID, p.Lang, p.Path, p.Title, p.canonical} {
		key = appendPart(key, part)
	}
	key = binary.AppendVarint(key, p.Tenant.UpdatedAt.UnixNano())
	key = appendExtra(key, p.Extra)
	key, ok := data(key)
	*buf = key
	if !ok {
		r.Page(w, req, http.StatusOK, name, p)
		return
	}
	h := maphash.Bytes(r.memo.seed, key)
	r.memo.mu.RLock()
	hit, found := r.memo.pages[h]
	r.memo.mu.RUnlock()
	if found && hit.key == string(key) {
		hit.write(w, req)
		return
	}
	body, err := r.render(name, p)
	if err != nil {
		r.log.Error("render", "page", name, "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	page := &memoPage{key: string(key), tenantID: p.Tenant.ID, body: body}
	r.memo.keep(h, page)
	page.write(w, req)
}

// keep adds a page, emptying the memo first when it is full.
func (m *memo) keep(h uint64, p *memoPage) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.pages[h]; ok {
		m.bytes -= len(old.key) + len(old.body)
	}
	if len(m.pages) >= maxMemoPages || m.bytes+len(p.key)+len(p.body) > maxMemoBytes {
		m.pages, m.bytes = map[uint64]*memoPage{}, 0
	}
	m.pages[h] = p
	m.bytes += len(p.key) + len(p.body)
}
