package reminders

import (
	"github.com/rosterhq/roster/shared/training"

	"testing"
	"time"
)

func TestDueCourse(t *testing.T) {
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	at := func(days int) *time.Time { d := today.AddDate(0, 0, days).Add(17 * time.Hour); return &d }
	for _, tt := range []struct {
		name string
		e    training.Enrollment
		kind DueKind // "": owed nothing
		days int
	}{
		{"due in 7 days", training.Enrollment{State: "not_started", Seat: "reserved", DueAt: at(7), Active: true}, DueSoon, 7},
		{"due in 8 days", training.Enrollment{State: "not_started", Seat: "reserved", DueAt: at(8), Active: true}, "", 0},
		{"due today", training.Enrollment{State: "in_progress", Seat: "used", DueAt: at(0), Active: true}, DueSoon, 0},
		{"overdue", training.Enrollment{State: "in_progress", Seat: "used", DueAt: at(-3), Active: true}, DueLate, -3},
		{"no due date", training.Enrollment{State: "not_started", Seat: "reserved", Active: true}, "", 0},
		{"inactive: the user archived", training.Enrollment{State: "not_started", Seat: "released", DueAt: at(-1), Active: false}, "", 0},
		{"no seat to start it", training.Enrollment{State: "not_started", Seat: "released", DueAt: at(-1), Active: true}, "", 0},
		{"completed, no retake", training.Enrollment{State: "completed", Seat: "used", DueAt: at(-1), Active: true}, "", 0},
		{"completed, retake in 2 days", training.Enrollment{State: "completed", Seat: "used", DueAt: at(-300), RetakeDueAt: at(2), Active: true}, DueRetake, 2},
		{"completed, retake passed", training.Enrollment{State: "completed", Seat: "used", RetakeDueAt: at(-1), Active: true}, DueRetake, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := dueCourse(tt.e, today, 7)
			if ok != (tt.kind != "") || got.Kind != tt.kind || got.Days != tt.days {
				t.Errorf("dueCourse = %+v, %v; want kind %q, %d days", got, ok, tt.kind, tt.days)
			}
		})
	}
}
