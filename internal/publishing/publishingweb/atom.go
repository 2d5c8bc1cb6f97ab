package publishingweb

import (
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
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(f)
}
