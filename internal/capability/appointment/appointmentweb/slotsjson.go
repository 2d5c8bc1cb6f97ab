package appointmentweb

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"guichet/internal/capability/appointment"
)

// The list of free times of a 60-day window is a thousand slots or more,
// and every visitor of a rush asks for it. encoding/json spent most of
// the answer's time there: it calls time.Time's MarshalJSON twice a slot,
// then checks and copies what it returned. The list is written here
// instead, byte for byte as encoding/json writes an apiSlotList
// (TestSlotListJSON compares them).

// slotListBufs keeps the answers' buffers between requests.
var slotListBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// writeSlotList answers with the free times slots of a type lasting dur,
// in the time zone named zone, as apiSlotList encodes them.
func writeSlotList(w http.ResponseWriter, slots []appointment.Slot, dur time.Duration, zone string) {
	bp := slotListBufs.Get().(*[]byte)
	b := appendSlotList((*bp)[:0], slots, dur, zone)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	if cap(b) <= 1<<20 { // a year of times is far less; keep no outsized buffer
		*bp = b
		slotListBufs.Put(bp)
	}
}

// appendSlotList appends the JSON of an apiSlotList and a newline, as
// json.Encoder writes it.
func appendSlotList(b []byte, slots []appointment.Slot, dur time.Duration, zone string) []byte {
	var st stamps
	b = append(b, `{"slots":[`...)
	d := int64(dur / time.Second)
	for i, s := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		start := s.Start.Unix()
		b = append(b, `{"start":"`...)
		b = st.append(b, start)
		b = append(b, `","end":"`...)
		b = st.append(b, start+d)
		b = append(b, `","free":`...)
		b = strconv.AppendInt(b, int64(s.FreeCount()), 10)
		b = append(b, '}')
	}
	b = append(b, `],"time_zone":`...)
	z, _ := json.Marshal(zone) // a string always encodes
	b = append(b, z...)
	return append(b, "}\n"...)
}

// stamps writes instants in whole seconds as time.Time's MarshalJSON
// does for them in UTC (2026-12-07T07:50:00Z), formatting each day's
// date once.
type stamps struct {
	day    int64
	date   []byte // "2026-12-07T" of day
	filled bool
}

func (s *stamps) append(b []byte, unix int64) []byte {
	day, sec := unix/86400, unix%86400
	if sec < 0 {
		day, sec = day-1, sec+86400
	}
	if !s.filled || day != s.day {
		s.day, s.filled = day, true
		s.date = time.Unix(day*86400, 0).UTC().AppendFormat(s.date[:0], "2006-01-02T")
	}
	b = append(b, s.date...)
	h, m, x := sec/3600, sec/60%60, sec%60
	return append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':',
		byte('0'+x/10), byte('0'+x%10), 'Z')
}
