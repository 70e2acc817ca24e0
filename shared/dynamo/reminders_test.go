package dynamo_test

import (
	reminders "github.com/rosterhq/roster/shared/reminders"

	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/training"
)

// dueSKOf returns the ByDue sort key stored on the user's enrollment in
// the course, or "" when it has none.
func dueSKOf(t *testing.T, f *fixture, org, userID, courseID string) string {
	t.Helper()
	out, err := f.tbl.Client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(f.tbl.Name), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "ORG#" + org},
			"SK": &types.AttributeValueMemberS{Value: "ENROLL#" + userID + "#" + courseID},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Item == nil {
		t.Fatalf("no enrollment of %s in %s", userID, courseID)
	}
	if _, ok := out.Item["duePK"]; ok != (out.Item["dueSK"] != nil) {
		t.Errorf("duePK and dueSK not set together: %v", out.Item)
	}
	if sk, ok := out.Item["dueSK"].(*types.AttributeValueMemberS); ok {
		return sk.Value
	}
	return ""
}

// dueIndex returns what EachDueOrganization finds through the date, by organization.
func dueIndex(t *testing.T, f *fixture, through time.Time) map[string][]reminders.EnrollmentKey {
	t.Helper()
	out := map[string][]reminders.EnrollmentKey{}
	err := f.store.EachDueOrganization(context.Background(), through, func(orgID string, keys []reminders.EnrollmentKey) error {
		if out[orgID] != nil {
			t.Errorf("organization %s given twice", orgID)
		}
		out[orgID] = keys
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) newRetakeCourse(t *testing.T, org, name string, months int) *roster.Course {
	t.Helper()
	c := &roster.Course{ID: roster.NewRandomID(), OrgID: org, Name: name, RetakeMonths: months, CreatedAt: f.now, Version: 1}
	if err := f.store.CreateCourse(context.Background(), c, training.SeatMove{ID: roster.NewRandomID(), At: f.now, Cause: "created"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStore_ByDue follows an enrollment's ByDue keys through its life: set
// from the due date on assignment, moved with it, kept while in progress,
// the retake date once completed (none without a retake), removed by
// archiving the user (and back on unarchiving) or the activity; and read
// back per organization, never mixing two.
func TestStore_ByDue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	fire := f.newRetakeCourse(t, "o1", "Fire Safety", 12)
	induction := f.newCourse(t, "o1", "Induction", nil)
	handbook := f.newCourse(t, "o1", "Handbook", nil)
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	due := f.now.AddDate(0, 0, 10) // 2026-12-01
	assign(t, svc, roster.ActionParams{CourseIDs: []string{fire.ID, induction.ID}, DueAt: &due}, ada.ID)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{handbook.ID}}, ada.ID)

	if got, want := dueSKOf(t, f, "o1", ada.ID, fire.ID), "2026-12-01#o1#"+ada.ID+"#"+fire.ID; got != want {
		t.Errorf("assigned with a due date: dueSK %q, want %q", got, want)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, handbook.ID); got != "" {
		t.Errorf("assigned without a due date: dueSK %q, want none", got)
	}
	if got := dueIndex(t, f, due.AddDate(0, 0, -1)); len(got["o1"]) != 0 {
		t.Errorf("through the day before the due date: %v, want nothing", got)
	}
	if got := dueIndex(t, f, due); len(got["o1"]) != 2 {
		t.Errorf("through the due date: %v, want Fire Safety and Induction", got)
	}

	// A new due date moves the key.
	later := f.now.AddDate(0, 0, 20)
	if _, err := svc.RunAction(ctx, trainer, roster.ActionSetDueDate, roster.ActionParams{CourseIDs: []string{induction.ID}, DueAt: &later}, roster.Selection{UserIDs: []string{ada.ID}}); err != nil {
		t.Fatal(err)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, induction.ID); got[:10] != "2026-12-11" {
		t.Errorf("after set-due-date: dueSK %q, want 2026-12-11…", got)
	}

	// In progress: still owed. Completed: owed again at the retake date, or never.
	learner := &roster.Principal{OrgID: "o1", UserID: ada.ID, Role: roster.RoleLearner, RequestID: "req-l"}
	if _, err := trn(svc).StartTraining(ctx, learner, fire.ID); err != nil {
		t.Fatal(err)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got[:10] != "2026-12-01" {
		t.Errorf("in progress: dueSK %q, want the due date", got)
	}
	for _, c := range []string{fire.ID, induction.ID} {
		if _, err := trn(svc).CompleteTraining(ctx, learner, c); err != nil {
			t.Fatal(err)
		}
	}
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got[:10] != "2027-11-21" {
		t.Errorf("completed with a 12-month retake: dueSK %q, want 2027-11-21…", got)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, induction.ID); got != "" {
		t.Errorf("completed without a retake: dueSK %q, want none", got)
	}
	// A new due date on a completed course leaves the retake date.
	if _, err := svc.RunAction(ctx, trainer, roster.ActionSetDueDate, roster.ActionParams{CourseIDs: []string{fire.ID}, DueAt: &later}, roster.Selection{UserIDs: []string{ada.ID}}); err != nil {
		t.Fatal(err)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got[:10] != "2027-11-21" {
		t.Errorf("completed, due date changed: dueSK %q, want the retake date", got)
	}

	// Archiving removes the keys in the user's own write; the stream's
	// release keeps them removed; unarchiving puts them back.
	run := func(a roster.Action, params roster.ActionParams) {
		t.Helper()
		res, err := svc.RunAction(ctx, trainer, a, params, roster.Selection{UserIDs: []string{ada.ID}})
		if err != nil || res.Done != 1 {
			t.Fatalf("%s: %+v, %v", a, res, err)
		}
	}
	run(roster.ActionArchive, roster.ActionParams{})
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got != "" {
		t.Errorf("archived: dueSK %q, want none", got)
	}
	f.settle(t)
	if got := dueIndex(t, f, f.now.AddDate(2, 0, 0)); len(got["o1"]) != 0 {
		t.Errorf("archived, after the stream: %v, want nothing owed", got)
	}
	run(roster.ActionUnarchive, roster.ActionParams{})
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got[:10] != "2027-11-21" {
		t.Errorf("unarchived: dueSK %q, want the retake date back", got)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, induction.ID); got != "" {
		t.Errorf("unarchived, completed without retake: dueSK %q, want none", got)
	}

	// Archived course activity is never owed.
	run(roster.ActionArchiveActivity, roster.ActionParams{CourseIDs: []string{fire.ID}})
	if got := dueIndex(t, f, f.now.AddDate(2, 0, 0)); len(got["o1"]) != 0 {
		t.Errorf("after archive-activity: %v, want nothing owed", got)
	}

	// Two organizations: each gets its own enrollments only.
	grace := f.newUser(t, "o1", "Grace", "Hopper", "grace@example.com", "", nil)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{induction.ID}, DueAt: &due}, grace.ID)
	other := f.newCourse(t, "o2", "Induction", nil)
	alan := f.newUser(t, "o2", "Alan", "Turing", "alan@example.com", "", nil)
	otherAdmin := &roster.Principal{OrgID: "o2", UserID: "admin2", Role: roster.RoleAdmin, RequestID: "req-2"}
	if _, err := svc.RunAction(ctx, otherAdmin, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{other.ID}, DueAt: &due}, roster.Selection{UserIDs: []string{alan.ID}}); err != nil {
		t.Fatal(err)
	}
	got := dueIndex(t, f, due)
	want := map[string]reminders.EnrollmentKey{"o1": {UserID: grace.ID, CourseID: induction.ID}, "o2": {UserID: alan.ID, CourseID: other.ID}}
	for org, k := range want {
		if len(got[org]) != 1 || got[org][0] != k {
			t.Errorf("%s: %v, want only %v", org, got[org], k)
		}
	}
	es, err := f.store.GetEnrollments(ctx, "o1", []reminders.EnrollmentKey{want["o1"], want["o2"]})
	if err != nil || len(es) != 1 || es[0].UserID != grace.ID {
		t.Errorf("GetEnrollments in o1 with o2's key too: %+v, %v, want grace's only", es, err)
	}
}

// TestStore_ClaimReminder claims a day's reminder once: a second claim
// fails, a released one can be claimed again, and the claim expires by TTL.
func TestStore_ClaimReminder(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	claim := func(org, day, kind, user string) bool {
		t.Helper()
		ok, err := f.store.ClaimReminder(ctx, org, day, kind, user, f.now.Add(reminders.ReminderClaimTTL))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("o1", "2026-11-21", reminders.ReminderLearner, "u1") {
		t.Fatal("first claim refused")
	}
	if claim("o1", "2026-11-21", reminders.ReminderLearner, "u1") {
		t.Error("second claim of the same day taken")
	}
	for _, c := range [][4]string{
		{"o1", "2026-11-22", reminders.ReminderLearner, "u1"},
		{"o1", "2026-11-21", reminders.ReminderDigest, "u1"},
		{"o2", "2026-11-21", reminders.ReminderLearner, "u1"},
	} {
		if !claim(c[0], c[1], c[2], c[3]) {
			t.Errorf("claim %v refused: another day, kind or organization is another claim", c)
		}
	}
	if err := f.store.ReleaseReminder(ctx, "o1", "2026-11-21", reminders.ReminderLearner, "u1"); err != nil {
		t.Fatal(err)
	}
	if !claim("o1", "2026-11-21", reminders.ReminderLearner, "u1") {
		t.Error("a released claim cannot be claimed again")
	}
	out, err := f.tbl.Client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(f.tbl.Name),
		Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "ORG#o1"},
			"SK": &types.AttributeValueMemberS{Value: "REMINDER#2026-11-21#learner#u1"},
		},
	})
	if err != nil || out.Item == nil {
		t.Fatalf("the claim item: %v, %v", out, err)
	}
	if ttl, ok := out.Item["ttl"].(*types.AttributeValueMemberN); !ok || ttl.Value != "1795953600" {
		t.Errorf("ttl %v, want 8 days after the claim (1795953600)", out.Item["ttl"])
	}
}

// queryCounter counts the Query requests and the items they return.
type queryCounter struct {
	dynamo.Client
	mu             sync.Mutex
	queries, items int
}

func (c *queryCounter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := c.Client.Query(ctx, in, opts...)
	if err == nil {
		c.mu.Lock()
		c.queries, c.items = c.queries+1, c.items+len(out.Items)
		c.mu.Unlock()
	}
	return out, err
}

// TestStore_EachDueOrganization_ReadsOnlyWhatIsDue reads the enrollments
// due among many that are not: one Query per shard, returning exactly the
// due ones.
func TestStore_EachDueOrganization_ReadsOnlyWhatIsDue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.newCourse(t, "o1", "Induction", nil)
	assignDue := func(u *roster.User, due *time.Time) {
		t.Helper()
		if _, err := f.store.UpdateUser(ctx, "o1", u.ID, 0, func(u *roster.User) error {
			u.Courses = []roster.Assignment{{CourseID: c.ID, DueAt: due}}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	later, soon, past := f.now.AddDate(0, 2, 0), f.now.AddDate(0, 0, 3), f.now.AddDate(0, 0, -20)
	var want []string
	for i := range 40 {
		u := f.newUser(t, "o1", "Learner", fmt.Sprint(i), "", fmt.Sprintf("L-%02d", i), nil)
		switch {
		case i < 30:
			assignDue(u, &later)
		case i < 35:
			assignDue(u, nil)
		case i < 37:
			assignDue(u, &soon)
			want = append(want, u.ID)
		default:
			assignDue(u, &past)
			want = append(want, u.ID)
		}
	}
	counter := &queryCounter{Client: f.tbl.Client}
	store := dynamo.New(counter, f.tbl.Name)
	var got []string
	err := store.EachDueOrganization(ctx, f.now.AddDate(0, 0, 7), func(orgID string, keys []reminders.EnrollmentKey) error {
		for _, k := range keys {
			got = append(got, k.UserID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("due: %v, want %v", got, want)
	}
	if counter.queries != 16 || counter.items != len(want) {
		t.Errorf("%d queries returned %d items, want 16 (one per shard) returning the %d due", counter.queries, counter.items, len(want))
	}
}

// TestService_Retake completes a course with a 12-month retake, lets the
// retake date pass and starts the course again: a new attempt in progress
// on the seat it used (the pool and its ledger unchanged), the last
// completion and the retake date kept (still overdue, still reminded by
// the retake date) until the attempt completes, which sets the next retake
// date. A course completed without a retake interval does not start again.
func TestService_Retake(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	fire := &roster.Course{ID: roster.NewRandomID(), OrgID: "o1", Name: "Fire Safety", RetakeMonths: 12, Seats: seats(1), CreatedAt: f.now, Version: 1}
	if err := f.store.CreateCourse(ctx, fire, training.SeatMove{ID: roster.NewRandomID(), At: f.now, Cause: "created"}); err != nil {
		t.Fatal(err)
	}
	once := f.newRetakeCourse(t, "o1", "Induction", 0)
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{fire.ID, once.ID}}, ada.ID)
	learner := &roster.Principal{OrgID: "o1", UserID: ada.ID, Role: roster.RoleLearner, RequestID: "req-l"}
	for _, c := range []string{fire.ID, once.ID} {
		if _, err := trn(svc).CompleteTraining(ctx, learner, c); err != nil {
			t.Fatal(err)
		}
	}
	firstDone := f.now
	firstRetake := firstDone.AddDate(0, 12, 0)
	f.settle(t)
	ledger := func() int {
		t.Helper()
		page, err := f.store.ListSeatLedger(ctx, "o1", fire.ID, roster.PageRequest{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	entries := ledger()

	f.now = f.now.AddDate(0, 13, 0) // the retake date has passed
	item, err := trn(svc).StartTraining(ctx, learner, fire.ID)
	if err != nil {
		t.Fatal(err)
	}
	if item.State != "in_progress" || !item.StartedAt.Equal(f.now) || !item.CompletedAt.Equal(firstDone) ||
		!item.RetakeDueAt.Equal(firstRetake) || item.Seat != "used" || !item.Overdue {
		t.Errorf("retake started: %+v; want in progress since now, the last completion and its retake date kept, seat used, overdue", item.Enrollment)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got[:10] != firstRetake.Format(time.DateOnly) {
		t.Errorf("retake in progress: dueSK %q, want the retake date %s", got, firstRetake.Format(time.DateOnly))
	}
	c, err := f.store.GetCourse(ctx, "o1", fire.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Reserved != 0 || c.Used != 1 {
		t.Errorf("pool after the retake started: reserved %d, used %d; want 0 and 1", c.Reserved, c.Used)
	}
	f.settle(t)
	if got := ledger(); got != entries {
		t.Errorf("the ledger has %d entries after the retake, want %d: a retake uses no new seat", got, entries)
	}
	u, err := f.store.GetUser(ctx, "o1", ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := u.Assignment(fire.ID); !a.StartedAt.Equal(f.now) || !a.CompletedAt.Equal(firstDone) {
		t.Errorf("the user's assignment: started %v, completed %v; want the retake's start and the last completion", a.StartedAt, a.CompletedAt)
	}

	f.now = f.now.Add(time.Hour)
	item, err = trn(svc).CompleteTraining(ctx, learner, fire.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := f.now.AddDate(0, 12, 0)
	if item.State != "completed" || !item.CompletedAt.Equal(f.now) || !item.RetakeDueAt.Equal(next) || item.Overdue {
		t.Errorf("retake completed: %+v; want completed now, due again %v, not overdue", item.Enrollment, next)
	}
	if got := dueSKOf(t, f, "o1", ada.ID, fire.ID); got[:10] != next.Format(time.DateOnly) {
		t.Errorf("retake completed: dueSK %q, want the next retake date", got)
	}

	// Nothing more is owed on a course without a retake interval.
	item, err = trn(svc).StartTraining(ctx, learner, once.ID)
	if err != nil {
		t.Fatal(err)
	}
	if item.State != "completed" || !item.CompletedAt.Equal(firstDone) {
		t.Errorf("starting a course completed without a retake: %+v, want it completed as it was", item.Enrollment)
	}
}
