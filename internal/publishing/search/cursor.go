package search

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// cursor is the position of the last hit shown, in rank order: words
// held, score, date, key.
type cursor struct {
	matched, score int
	at             time.Time
	key            string
}

// String encodes the cursor for a URL.
func (c cursor) String() string {
	raw := strconv.Itoa(c.matched) + "|" + strconv.Itoa(c.score) + "|" + strconv.FormatInt(c.at.UnixNano(), 10) + "|" + c.key
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseCursor(s string) (cursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if s == "" || err != nil {
		return cursor{}, false
	}
	parts := strings.SplitN(string(raw), "|", 4)
	if len(parts) != 4 {
		return cursor{}, false
	}
	matched, err1 := strconv.Atoi(parts[0])
	score, err2 := strconv.Atoi(parts[1])
	ns, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return cursor{}, false
	}
	return cursor{matched: matched, score: score, at: time.Unix(0, ns).UTC(), key: parts[3]}, true
}
