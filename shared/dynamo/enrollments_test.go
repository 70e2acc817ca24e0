package dynamo_test

import (
	"context"
	"github.com/rosterhq/roster/shared/imports"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/audit"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/training"
)

func (f *fixture) service() *roster.Service {
	svc := roster.NewService(f.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Now = func() time.Time { return f.now }
	return withTraining(svc, f.store)
}

// withTraining gives svc the training service on store, reading svc's
// clock and ids, as shared/app wires them.
func withTraining(svc *roster.Service, store *dynamo.Store) *roster.Service {
	svc.Imports = &imports.Service{Service: svc, Store: store}
	svc.Training = &training.Service{Store: store, Now: func() time.Time { return svc.Now() }, NewID: func() string { return svc.NewID() }, Log: svc.Log}
	return svc
}

// trn is svc's training service.
func trn(svc *roster.Service) *training.Service { return svc.Training.(*training.Service) }

var trainer = &roster.Principal{OrgID: "o1", UserID: "admin1", Role: roster.RoleAdmin, RequestID: "req-1"}

func assign(t *testing.T, svc *roster.Service, params roster.ActionParams, ids ...string) *roster.ActionResult {
	t.Helper()
	res, err := svc.RunAction(context.Background(), trainer, roster.ActionAssignCourses, params, roster.Selection{UserIDs: ids})
	if err != nil {
		t.Fatalf("assign-courses: %v", err)
	}
	return res
}

func reasons(res *roster.ActionResult) map[string]string {
	out := map[string]string{}
	for _, o := range res.Results {
		out[o.UserID] = string(o.Result) + ": " + o.Reason
	}
	return out
}

func TestService_AssignAndUnassignCourses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	hygiene := f.newCourse(t, "o1", "Food Hygiene", seats(2))
	allergens := f.newCourse(t, "o1", "Allergens", nil)
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	alan := f.newUser(t, "o1", "Alan", "Turing", "alan@example.com", "", nil)
	grace := f.newUser(t, "o1", "Grace", "Hopper", "grace@example.com", "", nil)
	due := f.now.Add(30 * 24 * time.Hour)

	// All or none: three users need three seats, two are free.
	_, err := svc.RunAction(ctx, trainer, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{hygiene.ID}}, roster.Selection{UserIDs: []string{ada.ID, alan.ID, grace.ID}})
	var short *roster.SeatShortage
	if !asShortage(err, &short) || short.Needed != 3 || short.Free != 2 {
		t.Fatalf("assign 3 on 2 seats, none: %v, want a shortage of 3 needed, 2 free", err)
	}
	if !roster.IsCode(err, roster.CodeConflict) {
		t.Errorf("the shortage is not a conflict: %v", err)
	}
	if got := figures(t, f, "o1", hygiene.ID); got != [4]int{2, 0, 0, 2} {
		t.Errorf("after the refusal: figures %v, want untouched", got)
	}

	// As many as fit: two are assigned, the third is skipped with the figures.
	res := assign(t, svc, roster.ActionParams{CourseIDs: []string{hygiene.ID, allergens.ID}, DueAt: &due, WhenShort: roster.AssignFit}, ada.ID, alan.ID, grace.ID)
	if res.Done != 2 || res.Skipped != 1 {
		t.Fatalf("as many as fit: %+v", reasons(res))
	}
	// The three ran at once: name them by what they got.
	var got []*roster.User
	for _, u := range []*roster.User{ada, alan, grace} {
		switch r := reasons(res)[u.ID]; r {
		case "done: ":
			got = append(got, u)
		case "skipped: no seat left in Food Hygiene (1 seat needed, none free)":
			grace = u
		default:
			t.Fatalf("%s: %q", u.FirstName, r)
		}
	}
	ada = got[0] // the other assigned one is not used again
	if got := figures(t, f, "o1", hygiene.ID); got != [4]int{2, 2, 0, 0} {
		t.Errorf("hygiene figures %v, want 2 reserved, none free", got)
	}
	if got := figures(t, f, "o1", allergens.ID); got != [4]int{-1, 2, 0, -1} {
		t.Errorf("allergens figures %v, want 2 reserved (the skipped user got neither course)", got)
	}
	u, err := f.store.GetUser(ctx, "o1", ada.ID)
	if err != nil || len(u.Courses) != 2 || u.Assignment(hygiene.ID) == nil || !u.Assignment(hygiene.ID).DueAt.Equal(due) {
		t.Fatalf("ada's courses: %+v, %v", u, err)
	}
	if k := countKinds(ledger(t, f, "o1", hygiene.ID)); k[training.SeatsReserved] != 2 {
		t.Errorf("ledger %v, want 2 reserved", k)
	}

	// Assigning twice is a skip, and no seat moves.
	res = assign(t, svc, roster.ActionParams{CourseIDs: []string{allergens.ID}, WhenShort: roster.AssignFit}, ada.ID)
	if r := reasons(res)[ada.ID]; r != "skipped: already assigned to these courses" {
		t.Errorf("assigning twice: %q", r)
	}
	if got := figures(t, f, "o1", allergens.ID); got != [4]int{-1, 2, 0, -1} {
		t.Errorf("allergens after a second assignment %v", got)
	}

	// Bad input changes nothing.
	past := f.now.Add(-time.Hour)
	_, err = svc.RunAction(ctx, trainer, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{hygiene.ID}, DueAt: &past}, roster.Selection{UserIDs: []string{grace.ID}})
	wantCode(t, err, roster.CodeInvalid, "dueAt")
	_, err = svc.RunAction(ctx, trainer, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{"nope"}}, roster.Selection{UserIDs: []string{grace.ID}})
	wantCode(t, err, roster.CodeInvalid, "courseIds")
	_, err = svc.RunAction(ctx, trainer, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{hygiene.ID}, WhenShort: "some"}, roster.Selection{UserIDs: []string{grace.ID}})
	wantCode(t, err, roster.CodeInvalid, "whenShort")

	// Changing a due date keeps the assignment and its seat.
	later := due.Add(24 * time.Hour)
	res, err = svc.RunAction(ctx, trainer, roster.ActionSetDueDate, roster.ActionParams{CourseIDs: []string{hygiene.ID}, DueAt: &later}, roster.Selection{UserIDs: []string{ada.ID, grace.ID}})
	if err != nil || res.Done != 1 || reasons(res)[grace.ID] != "skipped: not assigned to these courses" {
		t.Fatalf("set-due-date: %+v, %v", res, err)
	}
	if u, _ := f.store.GetUser(ctx, "o1", ada.ID); !u.Assignment(hygiene.ID).DueAt.Equal(later) {
		t.Errorf("due date %v, want %v", u.Assignment(hygiene.ID).DueAt, later)
	}

	// Unassigning a course not started gives its seat back; one the user
	// does not have is a skip.
	res, err = svc.RunAction(ctx, trainer, roster.ActionUnassignCourses, roster.ActionParams{CourseIDs: []string{hygiene.ID}}, roster.Selection{UserIDs: []string{ada.ID, grace.ID}})
	if err != nil || res.Done != 1 || reasons(res)[grace.ID] != "skipped: not assigned to these courses" {
		t.Fatalf("unassign: %+v, %v", res, err)
	}
	if got := figures(t, f, "o1", hygiene.ID); got != [4]int{2, 1, 0, 1} {
		t.Errorf("after unassigning: %v, want one seat back", got)
	}
	k := countKinds(ledger(t, f, "o1", hygiene.ID))
	if k[training.SeatsReserved] != 2 || k[training.SeatsReleased] != 1 {
		t.Errorf("ledger %v, want 2 reserved, 1 released", k)
	}
	// And the course can be assigned again.
	if res := assign(t, svc, roster.ActionParams{CourseIDs: []string{hygiene.ID}}, ada.ID); res.Done != 1 {
		t.Errorf("assigning again: %+v", reasons(res))
	}
	if got := figures(t, f, "o1", hygiene.ID); got != [4]int{2, 2, 0, 0} {
		t.Errorf("after assigning again: %v", got)
	}
}

func asShortage(err error, target **roster.SeatShortage) bool {
	s, ok := err.(*roster.SeatShortage)
	*target = s
	return ok
}

// TestService_AssignRace races many assignments of a course against a few
// seats: exactly as many users as seats get one, and the pool, the
// enrollments and the ledger agree.
func TestService_AssignRace(t *testing.T) {
	f := newFixture(t)
	svc := f.service()
	const users, pool = 24, 5
	c := f.newCourse(t, "o1", "Forklift", seats(pool))
	ids := make([]string, users)
	for i := range ids {
		ids[i] = f.newUser(t, "o1", "Learner", string(rune('A'+i)), "", "L-"+string(rune('A'+i)), nil).ID
	}
	results, errs := make([]*roster.ActionResult, users), make([]error, users)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			results[i], errs[i] = svc.RunAction(context.Background(), trainer, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.ID}, WhenShort: roster.AssignFit}, roster.Selection{UserIDs: []string{ids[i]}})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("assign-courses to %s: %v", ids[i], err)
		}
	}
	done, short := 0, 0
	for _, r := range results {
		done += r.Done
		if r.Skipped == 1 && r.Results[0].Reason == "no seat left in Forklift (1 seat needed, none free)" {
			short++
		}
	}
	if done != pool || short != users-pool {
		t.Errorf("%d assigned and %d short of a seat, want %d and %d", done, short, pool, users-pool)
	}
	if got := figures(t, f, "o1", c.ID); got != [4]int{pool, pool, 0, 0} {
		t.Errorf("figures %v, want all %d seats reserved", got, pool)
	}
	if k := countKinds(ledger(t, f, "o1", c.ID)); k[training.SeatsReserved] != pool {
		t.Errorf("ledger %v, want %d reserved", k, pool)
	}
	assigned := 0
	for _, id := range ids {
		u, err := f.store.GetUser(context.Background(), "o1", id)
		if err != nil {
			t.Fatal(err)
		}
		if u.Assignment(c.ID) != nil {
			assigned++
		}
	}
	if assigned != pool {
		t.Errorf("%d users carry the course, want %d", assigned, pool)
	}
}

// TestService_AssignRacesEdit runs an edit of the user and an assignment at
// once: both survive, whichever wins the first write.
func TestService_AssignRacesEdit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	c := f.newCourse(t, "o1", "First Aid", seats(10))
	for i := range 8 {
		u := f.newUser(t, "o1", "Ada", "Lovelace", "", "ADA-"+string(rune('A'+i)), nil)
		var wg sync.WaitGroup
		var assignErr, editErr error
		wg.Go(func() {
			_, assignErr = svc.RunAction(ctx, trainer, roster.ActionAssignCourses, roster.ActionParams{CourseIDs: []string{c.ID}}, roster.Selection{UserIDs: []string{u.ID}})
		})
		wg.Go(func() {
			_, editErr = f.store.UpdateUser(ctx, "o1", u.ID, 0, func(u *roster.User) error { u.FirstName = "Augusta"; return nil })
		})
		wg.Wait()
		if assignErr != nil || editErr != nil {
			t.Fatalf("round %d: assign-courses: %v; edit: %v", i, assignErr, editErr)
		}
		got, err := f.store.GetUser(ctx, "o1", u.ID)
		if err != nil || got.FirstName != "Augusta" || got.Assignment(c.ID) == nil {
			t.Fatalf("after an edit and an assignment at once: %+v, %v", got, err)
		}
	}
	if got := figures(t, f, "o1", c.ID); got != [4]int{10, 8, 0, 2} {
		t.Errorf("figures %v", got)
	}
}

// TestService_ArchiveReleasesSeatsOnce archives learners with courses: the
// stream gives back the seats not started, exactly once however often the
// records are delivered; unarchiving reserves them again where seats are
// free and reports the course it could not restore.
func TestService_ArchiveReleasesSeatsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	c := f.newCourse(t, "o1", "Fire Safety", seats(2))
	open := f.newCourse(t, "o1", "Induction", nil)
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	alan := f.newUser(t, "o1", "Alan", "Turing", "alan@example.com", "", nil)
	grace := f.newUser(t, "o1", "Grace", "Hopper", "grace@example.com", "", nil)
	if res := assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID, open.ID}}, ada.ID, alan.ID); res.Done != 2 {
		t.Fatalf("assign: %+v", reasons(res))
	}
	f.settle(t)
	run := func(a roster.Action, ids ...string) *roster.ActionResult {
		t.Helper()
		res, err := svc.RunAction(ctx, trainer, a, roster.ActionParams{}, roster.Selection{UserIDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	run(roster.ActionArchive, ada.ID)
	if got := figures(t, f, "o1", c.ID); got != [4]int{2, 2, 0, 0} {
		t.Errorf("before the stream: %v (archiving is one write of the user)", got)
	}
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{2, 1, 0, 1} {
		t.Errorf("after the stream: %v, want ada's seat back", got)
	}
	if got := figures(t, f, "o1", open.ID); got != [4]int{-1, 1, 0, -1} {
		t.Errorf("unlimited pool after the stream: %v", got)
	}
	es, err := f.store.ListEnrollments(ctx, "o1", ada.ID)
	if err != nil || len(es) != 2 || es[0].Seat != "released" || es[0].Active {
		t.Fatalf("ada's enrollments: %+v, %v, want released and inactive", es, err)
	}

	// The archive's records delivered again release nothing more.
	f.poller = f.freshPoller()
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{2, 1, 0, 1} {
		t.Errorf("after a second delivery: %v", got)
	}
	if k := countKinds(ledger(t, f, "o1", c.ID)); k[training.SeatsReleased] != 1 {
		t.Errorf("ledger %v, want one release", k)
	}

	// Grace takes the free seat; ada, unarchived, gets none back in Fire
	// Safety (reported) but gets Induction's.
	if res := assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, grace.ID); res.Done != 1 {
		t.Fatalf("assign grace: %+v", reasons(res))
	}
	res := run(roster.ActionUnarchive, ada.ID)
	if res.Done != 1 || res.Results[0].Reason != "unarchived, but no seat was free to restore: Fire Safety" {
		t.Errorf("unarchive: %+v", res.Results)
	}
	if got := figures(t, f, "o1", open.ID); got != [4]int{-1, 2, 0, -1} {
		t.Errorf("induction after unarchiving: %v, want ada's seat reserved again", got)
	}
	if got := figures(t, f, "o1", c.ID); got != [4]int{2, 2, 0, 0} {
		t.Errorf("fire safety after unarchiving: %v", got)
	}
	// Unassigning grace frees a seat; archiving and unarchiving alan then
	// takes his back and gives it again.
	run(roster.ActionArchive, alan.ID)
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{2, 1, 0, 1} {
		t.Errorf("after archiving alan: %v", got)
	}
	if res := run(roster.ActionUnarchive, alan.ID); res.Done != 1 || res.Results[0].Reason != "" {
		t.Errorf("unarchive alan: %+v", res.Results)
	}
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{2, 2, 0, 0} {
		t.Errorf("after unarchiving alan: %v, want his seat reserved again", got)
	}
}

// TestStore_ListUsersByCourse lists a course's learners through ByCourse, in
// roster order, archived ones apart, and counts them from the counters.
func TestStore_ListUsersByCourse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	c := f.newCourse(t, "o1", "Fire Safety", nil)
	other := f.newCourse(t, "o1", "Induction", nil)
	zed := f.newUser(t, "o1", "Zed", "Adams", "", "Z-1", nil)
	amy := f.newUser(t, "o1", "Amy", "Brown", "", "A-1", nil)
	bob := f.newUser(t, "o1", "Bob", "Clark", "", "B-1", nil)
	f.newUser(t, "o1", "Cat", "Doe", "", "C-1", nil)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, zed.ID, amy.ID, bob.ID)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{other.ID}}, amy.ID)
	if _, err := svc.RunAction(ctx, trainer, roster.ActionArchive, roster.ActionParams{}, roster.Selection{UserIDs: []string{bob.ID}}); err != nil {
		t.Fatal(err)
	}
	f.settle(t)
	names := func(flt roster.UserFilter) ([]string, int) {
		t.Helper()
		page, err := f.store.ListUsers(ctx, "o1", flt, roster.PageRequest{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range page.Items {
			out = append(out, u.FirstName)
		}
		return out, page.Total
	}
	if got, n := names(roster.UserFilter{CourseID: c.ID, Archived: roster.ArchivedExclude}); len(got) != 2 || got[0] != "Zed" || got[1] != "Amy" || n != 2 {
		t.Errorf("fire safety's learners: %v (total %d), want Zed Adams, Amy Brown", got, n)
	}
	if got, _ := names(roster.UserFilter{CourseID: c.ID, Archived: roster.ArchivedOnly}); len(got) != 1 || got[0] != "Bob" {
		t.Errorf("archived learners: %v, want Bob", got)
	}
	if got, _ := names(roster.UserFilter{CourseID: other.ID, Archived: roster.ArchivedExclude}); len(got) != 1 || got[0] != "Amy" {
		t.Errorf("induction's learners: %v", got)
	}
	// Unassigning takes the learner off the list.
	if _, err := svc.RunAction(ctx, trainer, roster.ActionUnassignCourses, roster.ActionParams{CourseIDs: []string{c.ID}}, roster.Selection{UserIDs: []string{zed.ID}}); err != nil {
		t.Fatal(err)
	}
	f.settle(t)
	if got, n := names(roster.UserFilter{CourseID: c.ID, Archived: roster.ArchivedExclude}); len(got) != 1 || got[0] != "Amy" || n != 1 {
		t.Errorf("after unassigning zed: %v (total %d)", got, n)
	}
}

// TestService_ArchiveActivity moves an enrollment aside: the record is kept,
// the seat not used goes back, the user stays active, and the course can be
// assigned again.
func TestService_ArchiveActivity(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	c := f.newCourse(t, "o1", "Fire Safety", seats(1))
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	grace := f.newUser(t, "o1", "Grace", "Hopper", "grace@example.com", "", nil)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, ada.ID)
	res, err := svc.RunAction(ctx, trainer, roster.ActionArchiveActivity, roster.ActionParams{CourseIDs: []string{c.ID}}, roster.Selection{UserIDs: []string{ada.ID, grace.ID}})
	if err != nil || res.Done != 1 || reasons(res)[grace.ID] != "skipped: not assigned to these courses" {
		t.Fatalf("archive-activity: %+v, %v", res, err)
	}
	if got := figures(t, f, "o1", c.ID); got != [4]int{1, 0, 0, 1} {
		t.Errorf("figures %v, want the seat back", got)
	}
	u, err := f.store.GetUser(ctx, "o1", ada.ID)
	if err != nil || u.Archived() || len(u.Courses) != 0 {
		t.Fatalf("ada after archiving her activity: %+v, %v", u, err)
	}
	out, err := f.tbl.Client.Query(ctx, &dynamodb.QueryInput{
		TableName:              &f.tbl.Name,
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "ORG#o1"}, ":p": &types.AttributeValueMemberS{Value: "ENROLLED#" + ada.ID + "#" + c.ID + "#"},
		},
	})
	if err != nil || len(out.Items) != 1 {
		t.Fatalf("archived activity records: %v, %v, want one", out, err)
	}
	if seat := out.Items[0]["seat"].(*types.AttributeValueMemberS).Value; seat != "released" {
		t.Errorf("the record's seat = %s, want released", seat)
	}
	if res := assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, ada.ID); res.Done != 1 {
		t.Errorf("assigning again: %+v", reasons(res))
	}
}

func TestService_CourseStepsInTheAuditTrail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	c := f.newCourse(t, "o1", "Ladders", seats(2))
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID}}, ada.ID)
	learner := &roster.Principal{OrgID: "o1", UserID: ada.ID, Role: roster.RoleLearner, RequestID: "req-learner"}

	started := f.now
	if _, err := trn(svc).StartTraining(ctx, learner, c.ID); err != nil {
		t.Fatal(err)
	}
	progress := func() roster.Assignment {
		t.Helper()
		u, err := f.store.GetUser(ctx, "o1", ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		return *u.Assignment(c.ID)
	}
	if a := progress(); a.StartedAt == nil || !a.StartedAt.Equal(started) || a.CompletedAt != nil {
		t.Errorf("after starting, the user's assignment = started %v, completed %v; want started %v", a.StartedAt, a.CompletedAt, started)
	}
	f.now = f.now.Add(time.Hour)
	if _, err := trn(svc).CompleteTraining(ctx, learner, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := trn(svc).CompleteTraining(ctx, learner, c.ID); err != nil { // again: nothing moves
		t.Fatal(err)
	}
	if a := progress(); a.StartedAt == nil || !a.StartedAt.Equal(started) || a.CompletedAt == nil || !a.CompletedAt.Equal(f.now) {
		t.Errorf("after completing, the user's assignment = started %v, completed %v; want started %v, completed %v", a.StartedAt, a.CompletedAt, started, f.now)
	}
	u, err := f.store.GetUser(ctx, "o1", ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.LastAccessAt == nil || !u.LastAccessAt.Equal(f.now) {
		t.Errorf("last access %v, want the completion's %v (started at %v)", u.LastAccessAt, f.now, started)
	}
	f.settle(t)
	page, err := f.store.ListAudit(ctx, "o1", audit.Filter{TargetID: ada.ID}, roster.PageRequest{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range page.Items {
		for _, ch := range e.Changes {
			if strings.HasPrefix(ch.Field, "course") {
				steps = append(steps, e.Action+" "+ch.Field+" "+ch.To+" by "+e.ActorID)
			}
		}
	}
	want := []string{ // newest first
		"user.updated courseCompleted " + c.ID + " by " + ada.ID,
		"user.updated courseStarted " + c.ID + " by " + ada.ID,
		"user.updated courseIds " + c.ID + " by " + trainer.UserID, // the assignment
	}
	if !slices.Equal(steps, want) {
		t.Errorf("audit steps %q, want %q", steps, want)
	}
}

// TestService_DeleteRemovesTraining deletes learners: the seat of a course
// not started goes back to its pool once (the stream's records delivered
// again give back nothing more), a started seat stays used, and none of
// their enrollments or archived course activity is left behind, in the
// table or in the reminders' index.
func TestService_DeleteRemovesTraining(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	c := f.newCourse(t, "o1", "Fire Safety", seats(3))
	other := f.newCourse(t, "o1", "Induction", nil)
	ada := f.newUser(t, "o1", "Ada", "Lovelace", "ada@example.com", "", nil)
	alan := f.newUser(t, "o1", "Alan", "Turing", "alan@example.com", "", nil)
	due := f.now.AddDate(0, 0, 10)
	if res := assign(t, svc, roster.ActionParams{CourseIDs: []string{c.ID, other.ID}, DueAt: &due}, ada.ID, alan.ID); res.Done != 2 {
		t.Fatalf("assign: %+v", reasons(res))
	}
	if _, err := trn(svc).StartTraining(ctx, &roster.Principal{OrgID: "o1", UserID: alan.ID, Role: roster.RoleLearner, RequestID: "r"}, c.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.RunAction(ctx, trainer, roster.ActionArchiveActivity, roster.ActionParams{CourseIDs: []string{other.ID}}, roster.Selection{UserIDs: []string{ada.ID}}); err != nil || res.Done != 1 {
		t.Fatalf("archive-activity: %+v, %v", res, err)
	}
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{3, 1, 1, 1} {
		t.Fatalf("before deleting: %v", got)
	}
	causes := func() string {
		t.Helper()
		v, err := trn(svc).ListSeatLedger(ctx, trainer, c.ID, roster.PageRequest{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range v.Items {
			out = append(out, e.Cause)
		}
		return strings.Join(out, " | ")
	}
	if got := causes(); !strings.Contains(got, "Started by Alan Turing") || !strings.Contains(got, "Fire Safety assigned to Ada Lovelace") {
		t.Errorf("the ledger before deleting: %s, want the learners named", got)
	}

	owner := &roster.Principal{OrgID: "o1", UserID: "owner1", Role: roster.RoleOwner, RequestID: "req-delete"}
	res, err := svc.DeleteUsers(ctx, owner, roster.Selection{UserIDs: []string{ada.ID, alan.ID}}, "delete 2 users")
	if err != nil || res.Done != 2 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{3, 0, 1, 2} {
		t.Errorf("after deleting: %v, want ada's reserved seat back and alan's used seat kept", got)
	}
	f.poller = f.freshPoller()
	f.settle(t)
	if got := figures(t, f, "o1", c.ID); got != [4]int{3, 0, 1, 2} {
		t.Errorf("after a second delivery: %v", got)
	}
	var back []training.LedgerEntry
	for _, e := range ledger(t, f, "o1", c.ID) {
		if e.Kind == training.SeatsReleased {
			back = append(back, e)
		}
	}
	if len(back) != 1 || back[0].Cause != "A deleted user's seat, Fire Safety not started" || back[0].RequestID != "req-delete" || strings.Contains(back[0].Cause, "Ada") {
		t.Errorf("the ledger's releases: %+v", back)
	}
	got := causes()
	for _, name := range []string{"Ada", "Lovelace", "Alan", "Turing", training.LearnerMark} {
		if strings.Contains(got, name) {
			t.Errorf("the ledger after deleting holds %q: %s", name, got)
		}
	}
	if !strings.Contains(got, "Started by a deleted user") || !strings.Contains(got, "Fire Safety assigned to a deleted user") {
		t.Errorf("the ledger after deleting: %s, want the learners as deleted users", got)
	}
	for _, u := range []*roster.User{ada, alan} {
		for _, prefix := range []string{"ENROLL#" + u.ID + "#", "ENROLLED#" + u.ID + "#"} {
			out, err := f.tbl.Client.Query(ctx, &dynamodb.QueryInput{
				TableName: aws.String(f.tbl.Name), ConsistentRead: aws.Bool(true),
				KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :p)"),
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":pk": &types.AttributeValueMemberS{Value: "ORG#o1"}, ":p": &types.AttributeValueMemberS{Value: prefix},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Items) != 0 {
				t.Errorf("%s of %s left behind: %d items", prefix, u.FirstName, len(out.Items))
			}
		}
	}
}

// importsOf is svc's import service.
func importsOf(svc *roster.Service) *imports.Service { return svc.Imports.(*imports.Service) }
