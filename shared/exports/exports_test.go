package exports

import (
	roster "github.com/rosterhq/roster/shared"

	"testing"
	"time"
)

func TestCourseCell(t *testing.T) {
	day := func(d int) *time.Time { t := time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC); return &t }
	due := day(30)
	for _, c := range []struct {
		a    roster.Assignment
		want string
	}{
		{roster.Assignment{}, "Fire (not started)"},
		{roster.Assignment{DueAt: due}, "Fire (due 2026-11-30, not started)"},
		{roster.Assignment{DueAt: due, StartedAt: day(2)}, "Fire (due 2026-11-30, in progress)"},
		{roster.Assignment{StartedAt: day(2), CompletedAt: day(3)}, "Fire (completed 2026-11-03)"},
		{roster.Assignment{DueAt: due, StartedAt: day(20), CompletedAt: day(3)}, "Fire (due 2026-11-30, completed 2026-11-03, retake in progress)"},
	} {
		if got := courseCell("Fire", c.a); got != c.want {
			t.Errorf("courseCell(%+v) = %q, want %q", c.a, got, c.want)
		}
	}
}
