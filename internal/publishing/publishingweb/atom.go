package publishingweb

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"
)

// Atom (RFC 4287) documents, the feeds of what capabilities publish.
type AtomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  AtomPerson  `xml:"author"`
	Links   []AtomLink  `xml:"link"`
	Entries []AtomEntry `xml:"entry"`
}

type AtomPerson struct {
	Name string `xml:"name"`
}

type AtomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type AtomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type AtomEntry struct {
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published,omitempty"`
	Link      AtomLink      `xml:"link"`
	Category  *AtomCategory `xml:"category,omitempty"`
	Summary   *AtomText     `xml:"summary,omitempty"`
	Content   *AtomText     `xml:"content,omitempty"`
}

type AtomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// RFC3339 writes t as Atom dates are written.
func RFC3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// WriteAtom sends f, which readers may keep five minutes.
func WriteAtom(w http.ResponseWriter, f *AtomFeed) error {
	doc, err := AtomBytes(f)
	if err != nil {
		return err
	}
	return WriteAtomBytes(w, doc)
}

// AtomBytes is the feed's document, for a feed kept between requests.
func AtomBytes(f *AtomFeed) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteAtomBytes sends a feed's document.
func WriteAtomBytes(w http.ResponseWriter, doc []byte) error {
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(doc)
	return err
}
