package appointmentweb

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
)

// TestSlotListJSON: the list of free times written by hand is byte for
// byte what encoding/json writes for the same answer, on lists that cross
// midnight, month and year ends and the 1970 epoch, for durations up to a
// day, in several time zones; and the HTTP answer says its length.
func TestSlotListJSON(t *testing.T) {
	t.Parallel()
	type slotList struct {
		Slots    []apiSlot `json:"slots"`
		TimeZone string    `json:"time_zone"`
	}
	r := rand.New(rand.NewPCG(13, 7))
	starts := []time.Time{time.Date(2026, 12, 31, 22, 40, 0, 0, time.UTC), time.Date(2027, 2, 28, 23, 55, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(2028, 2, 29, 7, 50, 0, 0, time.UTC)}
	for _, start := range starts {
		for _, zone := range []string{"Europe/Paris", "America/Cayenne", "Indian/Reunion", ""} {
			for _, dur := range []time.Duration{5 * time.Minute, 20 * time.Minute, 90 * time.Minute, 24 * time.Hour} {
				var slots []appointment.Slot
				at := start
				for range r.IntN(40) {
					at = at.Add(time.Duration(1+r.IntN(400)) * 5 * time.Minute)
					slots = append(slots, appointment.Slot{Start: at, Free: r.Uint64() & (1<<r.IntN(64) - 1)})
				}
				var typ appointment.Type
				typ.Duration = dur
				var want bytes.Buffer
				if err := json.NewEncoder(&want).Encode(slotList{Slots: apiSlots(slots, &typ), TimeZone: zone}); err != nil {
					t.Fatal(err)
				}
				got := appendSlotList(nil, slots, dur, zone)
				if !bytes.Equal(got, want.Bytes()) {
					t.Fatalf("from %s, %s, %s:\n got %s\nwant %s", start, zone, dur, got, want.Bytes())
				}
				rec := httptest.NewRecorder()
				writeSlotList(rec, slots, dur, zone)
				if !bytes.Equal(rec.Body.Bytes(), want.Bytes()) || rec.Header().Get("Content-Length") != itoa(want.Len()) {
					t.Fatalf("answer of %d bytes, Content-Length %q; want the encoder's %d", rec.Body.Len(),
						rec.Header().Get("Content-Length"), want.Len())
				}
			}
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// BenchmarkSlotListJSON writes 60 days of free times (909 slots, the demo
// passport agenda's) as the API answers them, next to encoding/json.
func BenchmarkSlotListJSON(b *testing.B) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	var slots []appointment.Slot
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, paris)
	for len(slots) < 909 {
		for m := 8*60 + 30; m < 17*60; m += 20 {
			slots = append(slots, appointment.Slot{Start: day.Add(time.Duration(m) * time.Minute).UTC(), Free: 1})
		}
		day = day.AddDate(0, 0, 1)
	}
	slots = slots[:909]
	typ := &appointment.Type{Duration: 20 * time.Minute}
	b.Run("by_hand", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = appendSlotList(buf[:0], slots, typ.Duration, "Europe/Paris")
		}
		b.ReportMetric(float64(len(buf)), "bytes")
	})
	b.Run("encoding_json", func(b *testing.B) {
		type slotList struct {
			Slots    []apiSlot `json:"slots"`
			TimeZone string    `json:"time_zone"`
		}
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := json.NewEncoder(&buf).Encode(slotList{Slots: apiSlots(slots, typ), TimeZone: "Europe/Paris"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(buf.Len()), "bytes")
	})
}
