package newsletter

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	htmltemplate "html/template"
	"regexp"
	"strconv"
	"strings"
	texttemplate "text/template"

	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

//go:embed email/*
var emailFiles embed.FS

// Placeholders a rendered campaign carries until each message replaces
// them: rendering once per language, not once per person, is what lets a
// campaign go to 100,000 addresses at the SMTP server's pace.
const (
	unsubscribeMark = "__GUICHET_DESABONNEMENT__"
	measureMark     = "__GUICHET_MESURE__"
)

// emailWords are the words of the email's frame.
var emailWords = map[string]map[string]string{
	"fr": {
		"web":         "Lire cette lettre dans le navigateur",
		"online":      "Version en ligne de la lettre d'information",
		"why":         "Vous recevez cette lettre parce que vous vous êtes abonné(e) à la lettre d'information.",
		"unsubscribe": "Se désabonner ou choisir ses listes",
		"subscribe":   "S'abonner à la lettre d'information",
	},
	"en": {
		"web":         "Read this newsletter in your browser",
		"online":      "Online version of the newsletter",
		"why":         "You receive this newsletter because you subscribed to it.",
		"unsubscribe": "Unsubscribe or choose your lists",
		"subscribe":   "Subscribe to the newsletter",
	},
}

// Email is a campaign rendered in one language, its links and the marks
// each message fills in.
type Email struct {
	Lang, Subject, HTML, Text string
}

// LinkSet numbers the addresses of a measured campaign's content from 1,
// the same number in every language ("/lettre/c/<mark>/<n>").
type LinkSet struct {
	URLs  []string
	index map[string]int
}

func (l *LinkSet) number(u string) int {
	if l.index == nil {
		l.index = map[string]int{}
		for i, v := range l.URLs {
			l.index[v] = i + 1
		}
	}
	n, ok := l.index[u]
	if !ok {
		l.URLs = append(l.URLs, u)
		n = len(l.URLs)
		l.index[u] = n
	}
	return n
}

// RenderOptions say how a campaign is rendered.
type RenderOptions struct {
	// BaseURL is the collectivité's site, which every link is made
	// absolute against.
	BaseURL string
	// Online renders the archive's copy: no unsubscribe link, no measure.
	Online bool
	// Links, when set, rewrites the content's links through the click
	// counter (numbered in it) and adds the open counter's image.
	Links *LinkSet
}

var (
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").Funcs(htmltemplate.FuncMap{
		"markdown": publishing.HTML,
		"absolute": func(string) string { return "" },
	}).ParseFS(emailFiles, "email/*.html"))
	textTemplate = texttemplate.Must(texttemplate.New("campaign.txt").Funcs(texttemplate.FuncMap{
		"absolute": func(string) string { return "" },
	}).ParseFS(emailFiles, "email/campaign.txt"))
	hrefRE = regexp.MustCompile(`href="(https?://[^"]+)"`)
)

// Render renders c's version in lang for t, with the marks of the
// unsubscribe link and of the measure left for Personalise.
func Render(c *Campaign, t *tenant.Tenant, lang string, o RenderOptions) (*Email, error) {
	lang = mail.NormalizeLang(lang)
	v := c.Version(lang)
	if v.Subject == "" || lang == "en" && c.English.Empty() {
		lang = "fr"
	}
	base := strings.TrimRight(o.BaseURL, "/")
	absolute := func(p string) string {
		if strings.HasPrefix(p, "/") {
			return base + p
		}
		return p
	}
	ht, err := htmlTemplates.Clone()
	if err != nil {
		return nil, err
	}
	ht.Funcs(htmltemplate.FuncMap{"absolute": absolute})
	var content bytes.Buffer
	if err := ht.ExecuteTemplate(&content, "blocks", v.Blocks); err != nil {
		return nil, fmt.Errorf("newsletter: render blocks: %w", err)
	}
	e := &Email{Lang: lang, Subject: v.Subject}
	body := content.String()
	// Markdown's relative links become absolute too.
	body = strings.ReplaceAll(body, `href="/`, `href="`+base+`/`)
	measured := o.Links != nil && !o.Online
	if measured {
		body = hrefRE.ReplaceAllStringFunc(body, func(m string) string {
			n := o.Links.number(html.UnescapeString(hrefRE.FindStringSubmatch(m)[1]))
			return `href="` + base + "/lettre/c/" + measureMark + "/" + strconv.Itoa(n) + `"`
		})
	}
	data := map[string]any{
		"Lang": lang, "Subject": v.Subject, "Preheader": v.Preheader, "TenantName": t.Name,
		"Address": t.Address, "Phone": t.Phone, "Color": "#1a4f8b", "T": emailWords[lang], "Online": o.Online,
		"Content":        htmltemplate.HTML(body),
		"WebURL":         base + "/lettre/numeros/" + c.Slug,
		"SubscribeURL":   base + "/lettre",
		"UnsubscribeURL": base + "/lettre/desabonnement/" + unsubscribeMark,
		"Blocks":         v.Blocks,
	}
	if measured {
		data["Pixel"] = base + "/lettre/o/" + measureMark
	} else {
		data["Pixel"] = ""
	}
	var page bytes.Buffer
	if err := ht.ExecuteTemplate(&page, "campaign.html", data); err != nil {
		return nil, fmt.Errorf("newsletter: render email: %w", err)
	}
	tt, err := textTemplate.Clone()
	if err != nil {
		return nil, err
	}
	tt.Funcs(texttemplate.FuncMap{"absolute": absolute})
	var text bytes.Buffer
	if err := tt.Execute(&text, data); err != nil {
		return nil, fmt.Errorf("newsletter: render text: %w", err)
	}
	e.HTML, e.Text = page.String(), strings.TrimSpace(text.String())+"\n"
	return e, nil
}

// Personalise returns the message of one subscriber: e with their
// unsubscribe link and, when measured, their measure token.
func (e *Email) Personalise(unsubscribeToken, measureToken, baseURL, listID string) *mail.Rendered {
	r := strings.NewReplacer(unsubscribeMark, unsubscribeToken, measureMark, measureToken)
	return &mail.Rendered{Subject: e.Subject, Lang: e.Lang, HTML: r.Replace(e.HTML), Text: r.Replace(e.Text),
		Unsubscribe: strings.TrimRight(baseURL, "/") + "/lettre/desabonnement/" + unsubscribeToken, ListID: listID}
}

// ContentHTML renders a version's blocks alone, for the archive's page
// on the site (links relative, nothing measured).
func ContentHTML(v Version) (htmltemplate.HTML, error) {
	ht, err := htmlTemplates.Clone()
	if err != nil {
		return "", err
	}
	ht.Funcs(htmltemplate.FuncMap{"absolute": func(p string) string { return p }})
	var b bytes.Buffer
	if err := ht.ExecuteTemplate(&b, "blocks", v.Blocks); err != nil {
		return "", err
	}
	return htmltemplate.HTML(b.String()), nil
}
