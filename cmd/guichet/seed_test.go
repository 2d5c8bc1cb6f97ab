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
		if _, err := runCmd(t, env, "seed", "appointments", "--tenant", "lerouet", "--resources", "0"); err == nil ||
			!strings.Contains(err.Error(), "resources") {
			t.Errorf("no resources: %v", err)
		}
		if _, err := runCmd(t, env, "seed", "appointments", "--tenant", "absente"); err == nil {
			t.Error("seeding an unknown collectivité succeeded")
		}
	})
}
