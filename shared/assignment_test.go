package roster

import (
	"errors"
	"strings"
	"testing"
)

func TestCourse_Free(t *testing.T) {
	if got := (&Course{Reserved: 3}).Free(); got != nil {
		t.Errorf("Free of an unlimited pool = %d, want nil", *got)
	}
	if got := (&Course{Seats: intp(10), Reserved: 3, Used: 2}).Free(); got == nil || *got != 5 {
		t.Errorf("Free = %v, want 5", got)
	}
}

func TestSeatShortage(t *testing.T) {
	var err error = &SeatShortage{Needed: 5, Free: 0}
	if got, want := err.Error(), "conflict: seats: 5 seats needed, none free"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if ErrorCode(err) != CodeConflict {
		t.Errorf("code = %s, want conflict", ErrorCode(err))
	}
	var e *Error
	if !errors.As(err, &e) || e.Field != "seats" {
		t.Errorf("errors.As(*Error) = %v, want the field seats", e)
	}
	if s, ok := AsSeatShortage(err); !ok || s.Needed != 5 || s.Free != 0 {
		t.Errorf("AsSeatShortage = %+v, %v", s, ok)
	}
	if got := (&SeatShortage{Needed: 1, Free: 3}).Error(); !strings.HasSuffix(got, "1 seat needed, only 3 free") {
		t.Errorf("Error() = %q", got)
	}
}
func intp(n int) *int { return &n }
