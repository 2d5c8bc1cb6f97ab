package open311

import (
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"guichet"
)

// MaxBody is the largest POST body read, in bytes.
const MaxBody = 1 << 20

// Bounds of a POST's fields, in characters; the description's is the
// specification's.
const (
	maxDescription = 4000
	maxField       = 500
	maxURL         = 2000
	maxMedia       = 10
	maxAttributes  = 100
	maxCode        = 100
)

// ParseNewRequest reads a POST's form. It checks what the specification
// requires of every request (a service_code, a location), the form of
// each field (one value each, UTF-8, lengths, numbers, e-mail address,
// http(s) media URLs, attribute names), and nothing of the service: the
// backend checks the API key, the code and the answers. Its error is a
// guichet.Invalid naming each field refused.
func ParseNewRequest(form url.Values) (NewRequest, error) {
	p := formParser{form: form, bad: map[string]string{}}
	nr := NewRequest{
		APIKey:        p.line("api_key"),
		ServiceCode:   p.line("service_code"),
		AddressString: p.line("address_string"),
		AddressID:     p.line("address_id"),
		Email:         p.email("email"),
		DeviceID:      p.line("device_id"),
		AccountID:     p.line("account_id"),
		FirstName:     p.line("first_name"),
		LastName:      p.line("last_name"),
		Phone:         p.line("phone"),
		Description:   p.text("description", maxDescription),
		MediaURLs:     p.media("media_url"),
		Attributes:    p.attributes(),
	}
	nr.Lat, nr.Long = p.point()
	if nr.ServiceCode == "" && p.bad["service_code"] == "" {
		p.bad["service_code"] = "Le code du service (service_code) est obligatoire."
	}
	if nr.Lat == nil && nr.AddressString == "" && nr.AddressID == "" && !p.refused("lat", "long", "address_string", "address_id") {
		p.bad["location"] = "Indiquez le lieu par lat et long, par address_string ou par address_id."
	}
	if len(p.bad) > 0 {
		return NewRequest{}, guichet.Invalid(p.bad)
	}
	return nr, nil
}

// formParser reads fields, noting each one refused.
type formParser struct {
	form url.Values
	bad  map[string]string
}

func (p *formParser) refused(names ...string) bool {
	for _, n := range names {
		if p.bad[n] != "" {
			return true
		}
	}
	return false
}

// text returns the field's one value, trimmed; line breaks and tabs are
// the only control characters kept.
func (p *formParser) text(name string, max int) string {
	vs := p.form[name]
	switch {
	case len(vs) == 0:
		return ""
	case len(vs) > 1:
		p.bad[name] = "Ce champ ne peut être donné qu'une fois."
		return ""
	}
	v, msg := cleanText(vs[0], max, true)
	if msg != "" {
		p.bad[name] = msg
	}
	return v
}

// line is text on one line.
func (p *formParser) line(name string) string {
	v := p.text(name, maxField)
	if strings.ContainsAny(v, "\r\n\t") {
		p.bad[name] = "Ce champ tient sur une ligne."
		return ""
	}
	return v
}

// cleanText trims v and says what is wrong with it, if anything.
func cleanText(v string, max int, breaks bool) (string, string) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return "", "Texte attendu en UTF-8."
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", fmt.Sprintf("Au plus %d caractères (%d reçus).", max, n)
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(breaks && (r == '\n' || r == '\r' || r == '\t')) {
			return "", "Caractère de contrôle refusé."
		}
	}
	return v, ""
}

func (p *formParser) email(name string) string {
	v := p.line(name)
	if v == "" {
		return ""
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || a.Name != "" {
		p.bad[name] = "Cette adresse électronique ne se lit pas."
		return ""
	}
	return v
}

// point reads lat and long, which go together.
func (p *formParser) point() (lat, long *float64) {
	ls, gs := p.line("lat"), p.line("long")
	if p.refused("lat", "long") {
		return nil, nil
	}
	switch {
	case ls == "" && gs == "":
		return nil, nil
	case ls == "":
		p.bad["lat"] = "lat accompagne long."
		return nil, nil
	case gs == "":
		p.bad["long"] = "long accompagne lat."
		return nil, nil
	}
	lat, long = degrees(ls, 90), degrees(gs, 180)
	if lat == nil {
		p.bad["lat"] = "Latitude WGS 84 attendue, en degrés décimaux de -90 à 90."
	}
	if long == nil {
		p.bad["long"] = "Longitude WGS 84 attendue, en degrés décimaux de -180 à 180."
	}
	if lat == nil || long == nil {
		return nil, nil
	}
	return lat, long
}

// degrees reads a plain decimal number within ±limit, or returns nil.
func degrees(s string, limit float64) *float64 {
	digits, dot := 0, false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !dot:
			dot = true
		case (r == '-' || r == '+') && i == 0:
		default:
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if digits == 0 || digits > 30 || err != nil || v < -limit || v > limit {
		return nil
	}
	return &v
}

// media reads media_url, once or repeated, each an http(s) URL.
func (p *formParser) media(name string) []string {
	var urls []string
	for _, raw := range p.form[name] {
		v, msg := cleanText(raw, maxURL, false)
		if msg == "" && v == "" {
			continue
		}
		if u, err := url.Parse(v); msg == "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			msg = "Adresse http ou https attendue."
		}
		if msg != "" {
			p.bad[name] = msg
			return nil
		}
		urls = append(urls, v)
	}
	if len(urls) > maxMedia {
		p.bad[name] = fmt.Sprintf("Au plus %d médias.", maxMedia)
		return nil
	}
	return urls
}

// attributes reads attribute[code] and attribute[code][]; empty values
// count as absent.
func (p *formParser) attributes() map[string][]string {
	var answers map[string][]string
	for key, values := range p.form {
		rest, ok := strings.CutPrefix(key, "attribute[")
		if !ok {
			continue
		}
		code, ok := attributeCode(rest)
		if !ok {
			p.bad["attribute"] = "Réponse attendue sous la forme attribute[code]=valeur ou attribute[code][]=valeur."
			continue
		}
		name := "attribute[" + code + "]"
		for _, raw := range values {
			v, msg := cleanText(raw, maxDescription, true)
			if msg != "" {
				p.bad[name] = msg
				break
			}
			if v == "" {
				continue
			}
			if answers == nil {
				answers = map[string][]string{}
			}
			answers[code] = append(answers[code], v)
		}
		if len(answers[code]) > maxAttributes {
			p.bad[name] = fmt.Sprintf("Au plus %d valeurs.", maxAttributes)
		}
	}
	if len(answers) > maxAttributes {
		p.bad["attribute"] = fmt.Sprintf("Au plus %d attributs.", maxAttributes)
	}
	return answers
}

// attributeCode reads "code]" or "code][]".
func attributeCode(rest string) (string, bool) {
	code, ok := strings.CutSuffix(rest, "][]")
	if !ok {
		code, ok = strings.CutSuffix(rest, "]")
	}
	if !ok || code == "" || len(code) > maxCode || strings.ContainsAny(code, "[]") || !utf8.ValidString(code) {
		return "", false
	}
	for _, r := range code {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return "", false
		}
	}
	return code, true
}
