package content

import (
	"bytes"
	"html/template"
	"strings"

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
func PlainText(src string) string {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return src
	}
	html := strings.NewReplacer("</p>", "\n", "</li>", "\n", "</h1>", "\n", "</h2>", "\n", "</h3>", "\n", "<br>", "\n").Replace(b.String())
	text := plain.Sanitize(html)
	return strings.TrimSpace(unescape.Replace(text))
}

var unescape = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", "\"", "&#39;", "'", "&quot;", "\"")
