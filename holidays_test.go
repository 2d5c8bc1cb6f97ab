package guichet

import "testing"

func TestEaster(t *testing.T) {
	t.Parallel()
	// Dates from the Paris Observatory's Easter table.
	for year, want := range map[int]string{1961: "1961-04-02", 2000: "2000-04-23", 2008: "2008-03-23",
		2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
		2038: "2038-04-25", 2285: "2285-03-22"} {
		if got := Easter(year).Format("2006-01-02"); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestHolidays2026(t *testing.T) {
	t.Parallel()
	want := []string{"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
		"2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"}
	got := Holidays(2026, false)
	if len(got) != len(want) {
		t.Fatalf("%d holidays, want %d", len(got), len(want))
	}
	for i, h := range got {
		if d := h.Date.Format("2006-01-02"); d != want[i] {
			t.Errorf("holiday %d: %s (%s), want %s", i, d, h.Name, want[i])
		}
	}
	alsace := Holidays(2026, true)
	if len(alsace) != 13 || alsace[1].Date.Format("2006-01-02") != "2026-04-03" || alsace[12].Name != "Saint-Étienne" {
		t.Errorf("Alsace-Moselle holidays: %v", alsace)
	}
}
