package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
)

// Message is a received email, decoded.
type Message struct {
	From    string   // envelope sender
	To      []string // envelope recipients
	Header  mail.Header
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part, if any
	// Attachments are the parts sent as files, decoded.
	Attachments []Attachment
	Raw         []byte
	// TLS says the message travelled on an encrypted connection.
	TLS bool
}

// Attachment is one attached file of a received message.
type Attachment struct {
	Name        string
	ContentType string // the full header value, parameters included
	Data        []byte
}

// IsTo reports whether addr is among the envelope recipients.
func (m *Message) IsTo(addr string) bool {
	for _, to := range m.To {
		if strings.EqualFold(to, addr) {
			return true
		}
	}
	return false
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"']+`)

// Links returns the http(s) addresses of the text part, in order.
func (m *Message) Links() []string { return linkRE.FindAllString(m.Text, -1) }

// Link returns the first link of the text part containing substr, or "".
func (m *Message) Link(substr string) string {
	for _, l := range m.Links() {
		if strings.Contains(l, substr) {
			return l
		}
	}
	return ""
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

// HTMLLinks returns the href targets of the HTML part, unescaped.
func (m *Message) HTMLLinks() []string {
	var out []string
	for _, sub := range hrefRE.FindAllStringSubmatch(m.HTML, -1) {
		out = append(out, html.UnescapeString(sub[1]))
	}
	return out
}

// Parse decodes a raw message: headers, subject and its text and HTML parts.
func Parse(raw []byte) (*Message, error) {
	pm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	m := &Message{Header: pm.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(pm.Header.Get("Subject")); err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if err := m.walk(pm.Header.Get("Content-Type"), pm.Header.Get("Content-Transfer-Encoding"), "", pm.Body); err != nil {
		return nil, err
	}
	return m, nil
}

// walk descends multipart bodies and keeps the first text and HTML parts.
func (m *Message) walk(contentType, encoding, disposition string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // skips line breaks itself
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if d, dp, err := mime.ParseMediaType(disposition); err == nil && d == "attachment" {
		m.Attachments = append(m.Attachments, Attachment{Name: dp["filename"], ContentType: contentType, Data: b})
		return nil
	}
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = strings.ReplaceAll(string(b), "\r\n", "\n")
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	return nil
}
