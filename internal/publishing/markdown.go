package publishing

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	// policy keeps what editors write in Markdown (headings, lists, links,
	// tables, images) and drops every script, style and event handler.
	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(false)
		p.AllowURLSchemes("http", "https", "mailto", "tel")
		return p
	}()
	plain = bluemonday.StrictPolicy()
)

// HTML renders Markdown as sanitised HTML, safe to put in a page. Recent
// results are kept: every visit of an article, an event or a practical
// page converted the same body again.
func HTML(src string) template.HTML {
	if src == "" {
		return ""
	}
	return template.HTML(htmlMemo.get(src, convertHTML)) //nolint:gosec // sanitised by convertHTML
}

func convertHTML(src string) string {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return template.HTMLEscapeString(src)
	}
	return string(policy.SanitizeBytes(b.Bytes()))
}

// PlainText renders Markdown as text without markup, for search and feeds.
// Recent results are kept: a feed converts the same hundreds of bodies on
// every request.
func PlainText(src string) string {
	if src == "" {
		return ""
	}
	return plainMemo.get(src, convertPlain)
}

func convertPlain(src string) string {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return src
	}
	return strings.TrimSpace(unescape.Replace(plain.Sanitize(lineEnds.Replace(b.String()))))
}

// conversions maps Markdown sources to what a function made of them, up to
// about memoBytes of both; past it, it starts over. The result depends on
// the source alone, so a kept one is never stale.
type conversions struct {
	sync.Mutex
	out   map[string]string
	bytes int
}

const memoBytes = 8 << 20

var htmlMemo, plainMemo conversions

func (c *conversions) get(src string, convert func(string) string) string {
	c.Lock()
	out, ok := c.out[src]
	c.Unlock()
	if ok {
		return out
	}
	out = convert(src)
	c.Lock()
	if c.out == nil || c.bytes > memoBytes {
		c.out, c.bytes = map[string]string{}, 0
	}
	c.out[src] = out
	c.bytes += len(src) + len(out)
	c.Unlock()
	return out
}

// lineEnds turns the ends of blocks into line breaks before the markup goes.
var lineEnds = strings.NewReplacer("</p>", "\n", "</li>", "\n", "</h1>", "\n", "</h2>", "\n", "</h3>", "\n", "<br>", "\n")

var unescape = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&quot;", "\"")
