package training

import (
	"context"
	"strings"
	"testing"
	"time"

	roster "github.com/rosterhq/roster/shared"
)

func intp(n int) *int { return &n }

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
	p := &roster.Principal{OrgID: "o1", UserID: "me"}
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
		if e, ok := err.(*roster.Error); !ok || e.Code != roster.CodeInvalid || e.Field != tt.field {
			t.Errorf("CreateCourse(%+v) = %v, want invalid on %q", tt.in, err, tt.field)
		}
	}
	updates := []struct {
		patch CoursePatch
		field string
	}{
		{CoursePatch{Name: roster.Optional[string]{Set: true, Value: "x"}}, "version"},
		{CoursePatch{Version: 1, Name: roster.Optional[string]{Set: true}}, "name"},
		{CoursePatch{Version: 1, Seats: roster.Optional[*int]{Set: true, Value: intp(-3)}}, "seats"},
		{CoursePatch{Version: 1, RetakeMonths: roster.Optional[int]{Set: true, Value: 200}}, "retakeMonths"},
	}
	for _, tt := range updates {
		_, err := s.UpdateCourse(ctx, p, "c1", tt.patch)
		if e, ok := err.(*roster.Error); !ok || e.Code != roster.CodeInvalid || e.Field != tt.field {
			t.Errorf("UpdateCourse(%+v) = %v, want invalid on %q", tt.patch, err, tt.field)
		}
	}
	if _, err := s.ListCourses(ctx, p, RetiredMode("all")); roster.ErrorCode(err) != roster.CodeInvalid {
		t.Errorf("ListCourses(all) = %v, want invalid", err)
	}
}
