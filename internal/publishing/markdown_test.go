package publishing

import (
	"regexp"
	"strings"
	"testing"
)

// unsafe finds what must never reach a page from content: script or
// style elements, event-handler attributes, javascript: or data: URLs,
// frames, objects, forms.
var unsafe = regexp.MustCompile(`(?i)<\s*(script|style|iframe|object|embed|form|svg|math|base|meta|link)\b|<[^>]*\son[a-z]+\s*=|<[^>]*(href|src|action)\s*=\s*"?\s*(javascript|vbscript|data):`)

func FuzzHTMLIsSafe(f *testing.F) {
	for _, seed := range []string{
		"**gras** et [lien](https://example.fr)",
		"<script>alert(1)</script>",
		`<img src=x onerror="alert(1)">`,
		"[clic](javascript:alert(1))",
		"<a href='jav&#x09;ascript:alert(1)'>x</a>",
		"<svg onload=alert(1)>",
		"![img](data:text/html;base64,PHNjcmlwdD4=)",
		"<details open ontoggle=alert(1)>",
		"```\n<script>\n```",
		"<<script>script>alert(1)<</script>/script>",
		"<iframe src=//evil>",
		`<p style="background:url(javascript:alert(1))">x</p>`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(HTML(src))
		if m := unsafe.FindString(out); m != "" {
			t.Fatalf("unsafe %q in %q from %q", m, out, src)
		}
		if regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`).MatchString(out) {
			t.Fatalf("inline style in %q from %q", out, src)
		}
	})
}

func TestMarkdownKeepsFormatting(t *testing.T) {
	t.Parallel()
	out := string(HTML("## Titre\n\n**gras**, [lien](https://example.fr) et\n\n- un\n- deux"))
	for _, want := range []string{"<h2", "<strong>gras</strong>", `href="https://example.fr"`, "<li>un</li>"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in %s", want, out)
		}
	}
	if got := PlainText("**Travaux** rue *Victor-Hugo* & place"); got != "Travaux rue Victor-Hugo & place" {
		t.Errorf("PlainText = %q", got)
	}
}

// FuzzPlainText checks the text made of editors' Markdown for feeds, mails
// and search: no markup left but what the editor wrote as text, and the
// same text every time.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"## Travaux\n\nLa rue **Victor-Hugo** est fermée du 3 au 7 mars.", "- un\n- deux",
		"<script>alert(1)</script>", "[lien](javascript:alert(1))", "a &amp; b &lt;c&gt;", "| a | b |\n|---|---|\n| 1 | 2 |", ""} {
		f.Add(s)
	}
	tag := regexp.MustCompile(`<(script|style|iframe|img|a)\b`)
	f.Fuzz(func(t *testing.T, src string) {
		out := PlainText(src)
		if out != strings.TrimSpace(out) {
			t.Fatalf("PlainText(%q) = %q, not trimmed", src, out)
		}
		if tag.MatchString(out) && !strings.Contains(src, "<") && !strings.Contains(src, "&") {
			t.Fatalf("PlainText(%q) = %q holds markup the editor did not write", src, out)
		}
		if again := PlainText(src); again != out {
			t.Fatalf("PlainText(%q) changed from %q to %q", src, out, again)
		}
	})
}

// TestConversionsKeptMatchFreshOnes checks that a body converted again is
// read from the kept results, that each source keeps its own, and that
// the results past the budget start over.
func TestConversionsKeptMatchFreshOnes(t *testing.T) {
	t.Parallel()
	var c conversions
	calls := 0
	count := func(src string) string { calls++; return convertHTML(src) }
	a, b := "## Travaux\n\nRue **Victor-Hugo**", "Marché *le samedi*"
	for range 2 {
		if got := c.get(a, count); got != convertHTML(a) {
			t.Fatalf("kept %q for %q", got, a)
		}
		if got := c.get(b, count); got != convertHTML(b) {
			t.Fatalf("kept %q for %q", got, b)
		}
	}
	if calls != 2 {
		t.Fatalf("%d conversions for two sources read twice", calls)
	}
	big := strings.Repeat("x", memoBytes)
	c.get(big, func(s string) string { return s })
	c.get("Fête", count) // past the budget: the kept results start over
	c.get(a, count)
	if calls != 4 || len(c.out) != 2 {
		t.Fatalf("past the budget: %d conversions, %d kept", calls, len(c.out))
	}
	if got := string(HTML(a)); got != convertHTML(a) || string(HTML(a)) != got {
		t.Fatalf("HTML(%q) = %q", a, got)
	}
}
