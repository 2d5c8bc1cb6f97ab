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

// HTML renders Markdown as sanitised HTML, safe to put in a page.
func HTML(src string) template.HTML {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(b.Bytes())) //nolint:gosec // sanitised just above
}

// PlainText renders Markdown as text without markup, for search and feeds.
// Recent results are kept: a feed converts the same hundreds of bodies on
// every request.
func PlainText(src string) string {
	if src == "" {
		return ""
	}
	plainMemo.Lock()
	text, ok := plainMemo.texts[src]
	plainMemo.Unlock()
	if ok {
		return text
	}
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return src
	}
	text = strings.TrimSpace(unescape.Replace(plain.Sanitize(lineEnds.Replace(b.String()))))
	plainMemo.Lock()
	if plainMemo.texts == nil || plainMemo.bytes > plainMemoBytes {
		plainMemo.texts, plainMemo.bytes = map[string]string{}, 0
	}
	plainMemo.texts[src] = text
	plainMemo.bytes += len(src) + len(text)
	plainMemo.Unlock()
	return text
}

// plainMemo maps Markdown sources to their plain text, up to about
// plainMemoBytes of both; past it, it starts over.
var plainMemo struct {
	sync.Mutex
	texts map[string]string
	bytes int
}

const plainMemoBytes = 8 << 20

// lineEnds turns the ends of blocks into line breaks before the markup goes.
var lineEnds = strings.NewReplacer("</p>", "\n", "</li>", "\n", "</h1>", "\n", "</h2>", "\n", "</h3>", "\n", "<br>", "\n")

var unescape = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&quot;", "\"")
