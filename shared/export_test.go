package roster

import (
	"testing"
	"time"
)

func TestCourseCell(t *testing.T) {
	day := func(d int) *time.Time { t := time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC); return &t }
	due := day(30)
	for _, c := range []struct {
		a    Assignment
		want string
	}{
		{Assignment{}, "Fire (not started)"},
		{Assignment{DueAt: due}, "Fire (due 2026-11-30, not started)"},
		{Assignment{DueAt: due, StartedAt: day(2)}, "Fire (due 2026-11-30, in progress)"},
		{Assignment{StartedAt: day(2), CompletedAt: day(3)}, "Fire (completed 2026-11-03)"},
		{Assignment{DueAt: due, StartedAt: day(20), CompletedAt: day(3)}, "Fire (due 2026-11-30, completed 2026-11-03, retake in progress)"},
	} {
		if got := courseCell("Fire", c.a); got != c.want {
			t.Errorf("courseCell(%+v) = %q, want %q", c.a, got, c.want)
		}
	}
}
