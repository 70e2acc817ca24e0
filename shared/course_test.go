package roster

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func intp(n int) *int { return &n }

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

func TestSeatChangeCause(t *testing.T) {
	tests := []struct {
		before, after *int
		want          string
	}{
		{nil, intp(12), "Pool limited to 12 seats"},
		{intp(1), nil, "Pool made unlimited (it had 1 seat)"},
		{intp(400), intp(450), "50 seats bought (400 to 450)"},
		{intp(10), intp(9), "1 seat taken off (10 to 9)"},
	}
	for _, tt := range tests {
		if got := SeatChangeCause(tt.before, tt.after); got != tt.want {
			t.Errorf("SeatChangeCause = %q, want %q", got, tt.want)
		}
	}
	if got, want := PoolTooSmall(1).Error(), "invalid: seats: 1 seat is reserved or used: the pool needs at least 1"; got != want {
		t.Errorf("PoolTooSmall(1) = %q, want %q", got, want)
	}
}

// TestService_CourseInput checks the input rules, which refuse before the
// store is asked anything (the store here has no courses at all).
func TestService_CourseInput(t *testing.T) {
	s := &Service{NewID: func() string { return "id" }, Now: func() time.Time { return time.Time{} }}
	p := &Principal{OrgID: "o1", UserID: "me"}
	ctx := context.Background()
	creates := []struct {
		in    CourseInput
		field string
	}{
		{CourseInput{Name: "  "}, "name"},
		{CourseInput{Name: strings.Repeat("x", MaxCourseNameLength+1)}, "name"},
		{CourseInput{Name: "Fire", RetakeMonths: -1}, "retakeMonths"},
		{CourseInput{Name: "Fire", RetakeMonths: MaxRetakeMonths + 1}, "retakeMonths"},
		{CourseInput{Name: "Fire", Seats: intp(-1)}, "seats"},
		{CourseInput{Name: "Fire", Seats: intp(MaxSeats + 1)}, "seats"},
	}
	for _, tt := range creates {
		_, err := s.CreateCourse(ctx, p, tt.in)
		if e, ok := err.(*Error); !ok || e.Code != CodeInvalid || e.Field != tt.field {
			t.Errorf("CreateCourse(%+v) = %v, want invalid on %q", tt.in, err, tt.field)
		}
	}
	updates := []struct {
		patch CoursePatch
		field string
	}{
		{CoursePatch{Name: Optional[string]{Set: true, Value: "x"}}, "version"},
		{CoursePatch{Version: 1, Name: Optional[string]{Set: true}}, "name"},
		{CoursePatch{Version: 1, Seats: Optional[*int]{Set: true, Value: intp(-3)}}, "seats"},
		{CoursePatch{Version: 1, RetakeMonths: Optional[int]{Set: true, Value: 200}}, "retakeMonths"},
	}
	for _, tt := range updates {
		_, err := s.UpdateCourse(ctx, p, "c1", tt.patch)
		if e, ok := err.(*Error); !ok || e.Code != CodeInvalid || e.Field != tt.field {
			t.Errorf("UpdateCourse(%+v) = %v, want invalid on %q", tt.patch, err, tt.field)
		}
	}
	if _, err := s.ListCourses(ctx, p, RetiredMode("all")); ErrorCode(err) != CodeInvalid {
		t.Errorf("ListCourses(all) = %v, want invalid", err)
	}
}
