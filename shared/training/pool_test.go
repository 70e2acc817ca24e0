package training_test

import (
	"testing"

	"github.com/rosterhq/roster/shared/training"
)

func TestPoolEdit(t *testing.T) {
	tests := []struct {
		name          string
		before, after *int
		kind          training.SeatKind
		count         int
		cause         string
	}{
		{"more seats bought", ptr(10), ptr(25), training.SeatsBought, 15, "15 seats bought (10 to 25)"},
		{"seats taken off", ptr(10), ptr(9), training.SeatsBought, -1, "1 seat taken off (10 to 9)"},
		{"made unlimited", ptr(10), nil, training.SeatsUnlimited, 0, "Pool made unlimited (it had 10 seats)"},
		{"limited", nil, ptr(4), training.SeatsLimited, 4, "Pool limited to 4 seats"},
		{"unchanged", ptr(10), ptr(10), "", 0, ""},
		{"still unlimited", nil, nil, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, count, cause := training.PoolEdit(tt.before, tt.after)
			if kind != tt.kind || count != tt.count || cause != tt.cause {
				t.Errorf("PoolEdit = %q, %d, %q; want %q, %d, %q", kind, count, cause, tt.kind, tt.count, tt.cause)
			}
		})
	}
}

func TestPoolEditRefused(t *testing.T) {
	if err := training.PoolEditRefused(pool(ptr(10), 3, 4, false), pool(ptr(10), 3, 4, false)); err == nil || err.Error() != "invalid: seats: 7 seats are reserved or used: the pool needs at least 7" {
		t.Errorf("nothing moved: %v, want the pool too small", err)
	}
	if err := training.PoolEditRefused(pool(ptr(10), 3, 4, false), pool(ptr(10), 2, 5, false)); err != nil {
		t.Errorf("seats moved meanwhile: %v, want nil (run again)", err)
	}
}

func TestRefusalWording(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{training.CourseNameTaken(), "conflict: name: a course with this name exists (retired courses keep their names)"},
		{training.CourseChanged(), "conflict: version: this course was changed by someone else: reload and try again"},
		{training.PoolKeptChanging(), "conflict: seats: the pool kept changing while this was saved: try again"},
		{training.PoolBusy(), "conflict: seats: the pool is busy: try again"},
		{training.NotAssigned(), "not_found: this course is not assigned to you"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
