package search

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// cursor is the position of the last hit shown: keyset pagination over
// (score, date, key), so that page 100 costs what page 1 costs.
type cursor struct {
	score int
	at    time.Time
	key   string
}

// String encodes the cursor for a URL.
func (c cursor) String() string {
	raw := strconv.Itoa(c.score) + "|" + strconv.FormatInt(c.at.UnixNano(), 10) + "|" + c.key
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseCursor(s string) (cursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if s == "" || err != nil {
		return cursor{}, false
	}
	parts := strings.SplitN(string(raw), "|", 3)
	if len(parts) != 3 {
		return cursor{}, false
	}
	score, err1 := strconv.Atoi(parts[0])
	ns, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return cursor{}, false
	}
	return cursor{score: score, at: time.Unix(0, ns).UTC(), key: parts[2]}, true
}
