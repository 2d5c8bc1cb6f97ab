package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestSeedAppointments(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": t.TempDir()}
		if out, err := runCmd(t, env, "tenant", "create", "--slug", "lerouet", "--name", "Commune du Rouet"); err != nil {
			t.Fatalf("create: %q, %v", out, err)
		}
		out, err := runCmd(t, env, "seed", "appointments", "--tenant", "lerouet", "--agendas", "2", "--resources", "3",
			"--days", "10", "--bookings", "50")
		if err != nil || !regexp.MustCompile(`2 agendas with 6 resources and \d+ closures, 50 bookings \(\d+ cancelled\) holding \d+ units, written to lerouet`).MatchString(out) {
			t.Fatalf("seed: %q, %v", out, err)
		}
		// More bookings than the hours hold: as many as they do, and a word on it.
		out, err = runCmd(t, env, "seed", "appointments", "--tenant", "lerouet", "--agendas", "1", "--resources", "1",
			"--days", "2", "--bookings", "1000")
		if err != nil || !strings.Contains(out, "held") {
			t.Fatalf("seed beyond room: %q, %v", out, err)
		}
		// A rush's agenda: exactly the places asked, and its slug to book them.
		out, err = runCmd(t, env, "seed", "appointments", "--tenant", "lerouet", "--rush-places", "200")
		if err != nil || !regexp.MustCompile(`agenda ruee-[a-z0-9]+: 200 places \(10 stations × 20 times\) on \d{4}-\d\d-\d\d, type passeport`).MatchString(out) {
			t.Fatalf("seed a rush: %q, %v", out, err)
		}
		if _, err := runCmd(t, env, "seed", "appointments", "--tenant", "lerouet", "--rush-places", "205"); err == nil ||
			!strings.Contains(err.Error(), "places") {
			t.Errorf("places not a multiple of the stations: %v", err)
		}
		if _, err := runCmd(t, env, "seed", "appointments", "--tenant", "lerouet", "--resources", "0"); err == nil ||
			!strings.Contains(err.Error(), "resources") {
			t.Errorf("no resources: %v", err)
		}
		if _, err := runCmd(t, env, "seed", "appointments", "--tenant", "absente"); err == nil {
			t.Error("seeding an unknown collectivité succeeded")
		}
	})
}

// TestSeedNewsAndEvents runs the news' and the agenda's generators from
// the command line: each writes its count, and a negative one is refused.
func TestSeedNewsAndEvents(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": t.TempDir()}
		if out, err := runCmd(t, env, "tenant", "create", "--slug", "lerouet", "--name", "Commune du Rouet"); err != nil {
			t.Fatalf("create: %q, %v", out, err)
		}
		if out, err := runCmd(t, env, "seed", "news", "--tenant", "lerouet", "--count", "25"); err != nil || !strings.Contains(out, "25 news written to lerouet") {
			t.Fatalf("seed news: %q, %v", out, err)
		}
		if out, err := runCmd(t, env, "seed", "events", "--tenant", "lerouet", "--count", "12"); err != nil || !strings.Contains(out, "12 events written to lerouet") {
			t.Fatalf("seed events: %q, %v", out, err)
		}
		if _, err := runCmd(t, env, "seed", "news", "--tenant", "lerouet", "--count", "-1"); err == nil || !strings.Contains(err.Error(), "non-negative") {
			t.Errorf("a negative count: %v", err)
		}
		if _, err := runCmd(t, env, "seed", "content", "--tenant", "lerouet"); err == nil || !strings.Contains(err.Error(), "news|events") {
			t.Errorf("an unknown generator: %v", err)
		}
	})
}
