package roster

import (
	"fmt"
	"slices"
	"testing"
)

func TestUser_NoteJob(t *testing.T) {
	var u User
	var want []string
	for i := range MaxRecentJobs + 3 {
		id := fmt.Sprintf("job-%d", i)
		u.NoteJob(id)
		want = append(want, id)
		if len(want) > MaxRecentJobs {
			want = want[1:]
		}
		if !slices.Equal(u.RecentJobs, want) {
			t.Fatalf("after noting %s: %v, want %v", id, u.RecentJobs, want)
		}
	}
	if u.ChangedByJob("job-2") || !u.ChangedByJob("job-3") || !u.ChangedByJob(fmt.Sprintf("job-%d", MaxRecentJobs+2)) {
		t.Errorf("ChangedByJob: the oldest dropped, the newest kept; got %v", u.RecentJobs)
	}
}
