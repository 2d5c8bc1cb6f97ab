package publishing

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Cursor is the position of the last item of a page, for keyset
// pagination: lists order by (time, id), so any page costs the same.
type Cursor struct {
	At time.Time
	ID string
}

// String encodes the cursor for a URL; the zero cursor is "".
func (c Cursor) String() string {
	if c.ID == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.At.Unix(), 10) + "|" + c.ID))
}

// ParseCursor decodes a cursor; anything malformed is the first page.
func ParseCursor(s string) Cursor {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}
	}
	sec, id, ok := strings.Cut(string(raw), "|")
	n, err := strconv.ParseInt(sec, 10, 64)
	if !ok || err != nil || id == "" {
		return Cursor{}
	}
	return Cursor{At: time.Unix(n, 0).UTC(), ID: id}
}

// ListFilter selects items for a list: public lists use Category, After
// and Limit; editors' lists the others too.
type ListFilter struct {
	Category string
	Status   string // editors only: draft, published, unpublished, scheduled
	Query    string // editors only: words of the title
	After    Cursor
	Limit    int
}
