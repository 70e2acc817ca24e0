package lambdahttp_test

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"github.com/rosterhq/roster/shared/audit"
	exports "github.com/rosterhq/roster/shared/exports"

	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/app"
	"github.com/rosterhq/roster/shared/changes"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/httpapi"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/lambdahttp"
	"github.com/rosterhq/roster/shared/stream"
	"github.com/rosterhq/roster/shared/training"
)

// The records that functions/*/testdata/event.json refer to, so that each
// sample event does what it says when invoked, as `sam local invoke -e`
// would, against a table holding them.
const (
	sampleOrgID       = "k3v9q2m8x4c7n1p5r6t0w2y8za"
	sampleOwnerID     = "o1w2n3e4r5t6y7u8i9o0p1a2sd"
	sampleSession     = sampleOrgID + "." + sampleOwnerID + ".q1Zp8cV3mT0xR7bN4kW9sY2hL6dF5gJ8aE3uC1oI7vQ" // the roster_session cookie of the events
	sampleLocationID  = "l4k8d2f6g1h9j3m7n5p0q2r8sa"                                                       // Leeds: renamed, then deleted with its 2 members by then (Grace, Dorothy)
	sampleLocation2ID = "l7y3o9r1k5z2x8c4v6b0n2m4qb"                                                       // where set-users-location moves users
	sampleUserID      = "h7c2m9x4q8v1n6p3r5t0w2y8zb"                                                       // archived, unarchived and patched (at version 3), then every action; list-user-audit reads their history
	sampleUser2ID     = "m2b6n1v5c9x3z7l4k8j0h2g6fe"                                                       // no email: notify skips them; delete-users deletes them
	samplePendingID   = "d4r8v2n6b1m5k9j3h7g0f2e6wa"                                                       // pending, with an email: approve-users approves and invites them
	sampleResetToken  = "Hq2XcV7mT0xR7bN4kW9sY2hL6dF5gJ8aE3uC1oI7vLk"                                      // Katherine's password reset link: check-link reads it, redeem-link spends it
	// The registration link's token: check-registration and register use it, then set-registration renews it.
	sampleRegistrationToken = sampleOrgID + ".Zp8cV3mT0xR7bN4kW9sY2hL6dF5gJ8aE3uC1oI7vQq1"
	sampleCourseID          = "c4m8q2w6e0r4t8y2u6i0o4p8ab"                // Food Safety, 400 seats: update-course buys 50 more, list-course-ledger reads it
	sampleCourse2ID         = "f2r6e0s4a8f2e6t0y4s8a2f6ec"                // Fire Safety, 5 seats, retaken every 12 months: assigned to the owner, who starts and completes it
	sampleJobID             = "q4m8x2c7n1p5r6t0w3y9zbk2va"                // a job archiving York's users, not picked up (no worker runs here): get-job reads it, cancel-job cancels it
	sampleImportID          = "20260101t090107123-q4m8x2c7n1p5r6t0w3y9zb" // an upload of sampleUpload: validated, then applied (its job is not picked up either)
	sampleExportID          = "e5n9x3c8n2p6r7t1w4y0zck3wb"                // an export of the roster, queued (no worker runs here): get-export reads it
)

// sampleUpload is the file of the sample import: one new learner, and a
// row naming a location that does not exist.
const sampleUpload = "First name,Last name,Email,Location\nIda,Newcomer,ida@demo.example,\nBad,Row,bad@demo.example,Atlantis\n"

// Day shift, and Weekend: renamed, then deleted with its 2 members by then
// (Katherine and Alan, after add-users-to-groups).
var sampleGroupIDs = []string{"g5t1y7u3i9o2p6a4s8d0f2g6hc", "g9w3e7r1t5y2u8i4o6p0a2s4dd"}

// seedSample fills a fresh table with the sample events' records.
// The function it also returns runs the stream consumer over the table.
func seedSample(t *testing.T) (*dynamo.Store, func(t *testing.T)) {
	t.Helper()
	tbl := testenv.DynamoDB(t)
	store := dynamo.New(tbl.Client, tbl.Name)
	ctx := context.Background()
	now := time.Now().UTC()
	hash, err := accounts.HashPassword("correct horse battery staple", accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})
	must(t, err)
	must(t, store.CreateOrganization(ctx, &roster.Organization{ID: sampleOrgID, Slug: "demo", Name: "Demo Training", CreatedAt: now}, &roster.User{
		ID: sampleOwnerID, OrgID: sampleOrgID, FirstName: "Olive", LastName: "Owner", Email: "owner@demo.example",
		Role: roster.RoleOwner, State: roster.StateActive, CreatedAt: now, UpdatedAt: now, Version: 1,
	}, hash))
	must(t, store.SetRegistrationToken(ctx, sampleOrgID, sampleRegistrationToken))
	must(t, store.CreateSession(ctx, &accounts.Session{
		TokenHash: roster.HashToken(sampleSession), OrgID: sampleOrgID, UserID: sampleOwnerID,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour),
	}))
	must(t, store.CreateLocation(ctx, &roster.Location{ID: sampleLocationID, OrgID: sampleOrgID, Name: "Leeds", CreatedAt: now, Version: 1}))
	must(t, store.CreateLocation(ctx, &roster.Location{ID: sampleLocation2ID, OrgID: sampleOrgID, Name: "York", CreatedAt: now, Version: 1}))
	for i, id := range sampleGroupIDs {
		must(t, store.CreateGroup(ctx, &roster.Group{ID: id, OrgID: sampleOrgID, Name: []string{"Day shift", "Weekend"}[i], CreatedAt: now, Version: 1}))
	}
	seats := 400
	must(t, store.CreateCourse(ctx, &roster.Course{ID: sampleCourseID, OrgID: sampleOrgID, Name: "Food Safety", Seats: &seats, CreatedAt: now, Version: 1},
		training.SeatMove{ID: roster.NewRandomID(), Count: seats, Cause: "Course created with 400 seats", ActorID: sampleOwnerID, At: now}))
	fire, retake := 5, 12
	must(t, store.CreateCourse(ctx, &roster.Course{ID: sampleCourse2ID, OrgID: sampleOrgID, Name: "Fire Safety", Seats: &fire, RetakeMonths: retake, CreatedAt: now, Version: 1},
		training.SeatMove{ID: roster.NewRandomID(), Count: fire, Cause: "Course created with 5 seats", ActorID: sampleOwnerID, At: now}))
	_, err = store.UpdateUser(ctx, sampleOrgID, sampleOwnerID, 0, func(u *roster.User) error {
		u.Courses, u.UpdatedAt, u.ChangedBy = []roster.Assignment{{CourseID: sampleCourse2ID}}, now, sampleOwnerID
		return nil
	})
	must(t, err)
	for _, u := range []*roster.User{
		{ID: sampleUserID, FirstName: "Katherine", LastName: "Johnson", Email: "katherine.johnson@example.com", State: roster.StateActive, Version: 3},
		{ID: sampleUser2ID, FirstName: "Alan", LastName: "Turing", UserID: "AT1912", State: roster.StateActive, Version: 1},
		{ID: samplePendingID, FirstName: "Dorothy", LastName: "Vaughan", Email: "dorothy.vaughan@example.com", State: roster.StatePending, Version: 1},
	} {
		u.OrgID, u.Role, u.LocationID, u.CreatedAt, u.UpdatedAt = sampleOrgID, roster.RoleLearner, sampleLocationID, now, now
		must(t, store.CreateUser(ctx, u))
	}
	must(t, store.CreateLink(ctx, &accounts.Link{
		TokenHash: roster.HashToken(sampleResetToken), Purpose: accounts.LinkPasswordReset, OrgID: sampleOrgID, UserID: sampleUserID,
		CreatedAt: now, ExpiresAt: now.Add(accounts.PasswordResetTTL),
	}))
	must(t, store.CreateImport(ctx, &imports.Import{
		ID: sampleImportID, OrgID: sampleOrgID, FileName: "roster.csv", Size: int64(len(sampleUpload)), Status: imports.ImportUploading,
		CreatedBy: sampleOwnerID, CreatedAt: now, Version: 1,
	}))
	must(t, store.CreateJob(ctx, &roster.Job{
		ID: sampleJobID, OrgID: sampleOrgID, Action: roster.ActionArchive, Filter: roster.UserFilter{LocationID: sampleLocation2ID, Archived: roster.ArchivedExclude},
		ExpectedCount: 300, ActorID: sampleOwnerID, ActorRole: roster.RoleOwner, Status: roster.JobSnapshotting, CreatedAt: now,
	}))
	must(t, store.CreateExport(ctx, &exports.Export{
		ID: sampleExportID, OrgID: sampleOrgID, Kind: exports.ExportUsers, Format: exports.ExportXLSX, Filter: &roster.UserFilter{Archived: roster.ArchivedExclude},
		ActorID: sampleOwnerID, Status: exports.ExportQueued, CreatedAt: now,
	}))
	return store, settler(tbl, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestSampleEvents invokes every function's sample event, in an order where
// each finds what it needs: the audit log once the stream has recorded the
// actions (each event runs after the stream is settled), a group or
// location renamed before it is deleted at its new version, delete-users
// after every event that needs Alan, the links of Katherine's once her
// version no longer matters, and logout-everywhere and logout last: they
// end the events' session.
func TestSampleEvents(t *testing.T) {
	store, settle := seedSample(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mail := &mailbox{}
	d := app.Deps{Store: store, Log: log, Mailer: mail, AppURL: appURL}
	bucket := testenv.Files(t)
	uploadKey, err := roster.FileKey(sampleOrgID, "imports", sampleImportID, "upload")
	must(t, err)
	_, err = bucket.Bucket.Create(context.Background(), sampleOrgID, uploadKey, "text/csv", func(w io.Writer) error {
		_, err := io.WriteString(w, sampleUpload)
		return err
	})
	must(t, err)
	d.Files, d.OpenSheet = bucket.Bucket, app.OpenSheet
	api := app.NewServices(d).API(log, true, "")
	tests := []struct {
		function string
		want     int
		contains string // in the body, when not ""
	}{
		{"login", 200, ""},
		{"me", 200, ""},
		{"my-training", 200, `"courseName":"Fire Safety","state":"not_started","seat":"reserved"`},
		{"start-training", 200, `"state":"in_progress","seat":"used"`},
		{"complete-training", 200, `"state":"completed","seat":"used"`},
		{"get-organization", 200, ""},
		{"check-registration", 200, `"name":"Demo Training"`},
		{"register", 202, "{}"}, // Rita, pending
		{"set-registration", 200, `"enabled":true,"url":"` + appURL + `/register#` + sampleOrgID + `.`},
		{"get-registration", 200, `"enabled":true`},
		{"list-users", 200, ""},
		{"list-groups", 200, ""},
		{"create-group", 201, ""},
		{"list-locations", 200, ""},
		{"create-location", 201, ""},
		{"create-user", 201, ""},
		{"get-user", 200, `"firstName":"Katherine"`},
		{"update-user", 200, `"lastName":"Hopper-Murray"`},
		{"archive-users", 200, `"done":2`},
		{"unarchive-users", 200, `"done":2`},
		{"deactivate-users", 200, `"done":2`},
		{"activate-users", 200, `"done":2`},
		{"approve-users", 200, `"done":1`},             // and invites Dorothy
		{"notify-users", 200, `"done":1,"skipped":1,`}, // Katherine; Alan has no email
		{"set-users-expiration", 200, `"done":2`},
		{"remove-users-from-groups", 200, `"done":1`}, // Katherine leaves Weekend
		{"add-users-to-groups", 200, `"done":2`},      // and both join Day shift and Weekend
		{"set-users-location", 200, `"done":2`},
		{"set-users-role", 200, `"done":1`},
		{"assign-courses", 200, `"done":2`},   // Food Safety to Katherine and Alan, due 31 January 2030
		{"set-due-date", 200, `"done":2`},     // moved to 28 February
		{"archive-activity", 200, `"done":2`}, // moved aside, seats back
		{"assign-courses", 200, `"done":2`},   // so it can be assigned again
		{"unassign-courses", 200, `"done":2`}, // and removed: both seats back
		{"list-training-records", 200, `"course":{"id":"` + sampleCourseID + `","name":"Food Safety"},"state":"not_started","overdue":false,`}, // the activity archived
		{"list-audit", 200, `"action":"user.archived"`},                                                     // Katherine and Alan, archived by archive-users
		{"list-user-audit", 200, `"target":{"id":"` + sampleUserID + `","name":"Katherine Hopper-Murray"}`}, // her history, under her name now
		{"rename-group", 200, `"name":"Weekend crew","createdAt":`},
		{"delete-group", 200, `{"membersTakenOut":2}`},
		{"rename-location", 200, `"name":"Leeds City Centre","createdAt":`},
		{"delete-location", 200, `{"membersTakenOut":2}`},
		{"list-courses", 200, `"name":"Food Safety"`},
		{"create-course", 201, `"name":"Food Hygiene Level 2","retakeMonths":36,"seats":400,"reserved":0,"used":0,"free":400,`},
		{"get-course", 200, `"seats":400`},
		{"update-course", 200, `"seats":450,"reserved":0,"used":0,"free":450,`},
		{"list-course-ledger", 200, `"kind":"bought","count":50,"seatsAfter":450,"cause":"50 seats bought (400 to 450)","actor":{"id":"` + sampleOwnerID + `","name":"Olive Owner"}`},
		{"list-jobs", 200, `{"items":[{"id":"` + sampleJobID + `","action":"archive","status":"snapshotting"`},
		{"get-job", 200, `"status":"snapshotting"`},
		{"list-job-outcomes", 200, `{"items":[],"nextCursor":null}`},
		{"cancel-job", 200, `"status":"cancelled"`},
		{"start-export", 202, `"kind":"users","format":"xlsx","status":"queued","rows":0,`},
		{"get-export", 200, `"status":"queued","rows":0,"message":null,`},
		{"start-import", 201, `"fileName":"roster.csv","size":48213,"status":"uploading"`},
		{"get-import", 200, `"id":"` + sampleImportID + `","fileName":"roster.csv"`},
		{"validate-import", 200, `"counts":{"rows":2,"create":1,"update":0,"unchanged":0,"deactivate":0,"archive":0,"errors":1}`},
		{"get-import-errors", 200, `"method":"GET"`},
		{"apply-import", 202, `"status":"applying"`},
		{"get-import-results", 409, `"message":"the import is still running`}, // its job is not picked up: no result file yet
		{"delete-users", 200, `"action":"delete","total":1,"done":1,`},
		{"check-link", 200, `"purpose":"password-reset"`},
		{"redeem-link", 200, `"firstName":"Katherine"`},
		{"set-one-time-password", 200, `{"password":"`},
		{"send-password-reset", 202, `{}`}, // to Katherine
		{"forgot-password", 202, `{}`},     // to the owner
		{"change-password", 200, `"passwordChangeRequired":false`},
		{"logout-everywhere", 204, ""},
		{"logout", 204, ""},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.function] = true
		t.Run(tt.function, func(t *testing.T) {
			settle(t) // counts, which filter selections are checked against, come from the stream
			data, err := os.ReadFile(filepath.Join("..", "..", "functions", tt.function, "testdata", "event.json"))
			if err != nil {
				t.Fatal(err)
			}
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(data, &ev); err != nil {
				t.Fatalf("event.json: %v", err)
			}
			h, err := api.FunctionHandler(tt.function)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := lambdahttp.Handler(h)(context.Background(), ev)
			if err != nil {
				t.Fatalf("Handler: %v", err)
			}
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tt.want, resp.Body)
			}
			if !strings.Contains(resp.Body, tt.contains) {
				t.Errorf("body %s, want it to hold %s", resp.Body, tt.contains)
			}
		})
	}
	for _, fn := range httpapi.Functions() {
		if !tested[fn] {
			t.Errorf("function %s: its sample event is not invoked here", fn)
		}
	}
	if rita, err := store.FindUserByLogin(context.Background(), sampleOrgID, "rita@example.com"); err != nil || rita.State != roster.StatePending || rita.Role != roster.RoleLearner {
		t.Errorf("register: Rita = %+v, %v; want a pending learner", rita, err)
	}
	// delete-users left Alan's history as tombstones once the stream ran.
	settle(t)
	history, err := store.ListAudit(context.Background(), sampleOrgID, audit.Filter{TargetID: sampleUser2ID}, roster.PageRequest{Limit: audit.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(history.Items, func(e roster.AuditEntry) bool { return e.Action == "user.deleted" }) {
		t.Errorf("the deleted user's history has no user.deleted entry: %+v", history.Items)
	}
	for _, e := range history.Items {
		if len(e.Changes) > 0 {
			t.Errorf("the deleted user's %s entry %s still has its changes: %+v", e.Action, e.ID, e.Changes)
		}
	}
	var to []string
	for _, e := range mail.take() {
		to = append(to, e.To)
	}
	if want := []string{"dorothy.vaughan@example.com", "katherine.johnson@example.com", "katherine.johnson@example.com", "owner@demo.example"}; !slices.Equal(to, want) {
		t.Errorf("emailed %q, want %q (approve-users, notify-users, send-password-reset, forgot-password)", to, want)
	}
}

// TestSampleStreamEvent feeds functions/stream/testdata/event.json to the
// stream consumer: its records must decode as the store's user items, and a
// second delivery must change nothing.
func TestSampleStreamEvent(t *testing.T) {
	store, _ := seedSample(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "functions", "stream", "testdata", "event.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatalf("event.json: %v", err)
	}
	for i, r := range ev.Records {
		c, ok, err := dynamo.UserChangeFromStream(r)
		if err != nil || !ok || c.Old == nil || c.New == nil || c.Old.Archived() || !c.New.Archived() {
			t.Fatalf("record %d: ok %v, err %v: want a user being archived", i, ok, err)
		}
	}
	consumer := &stream.Consumer{Decode: dynamo.UserChangeFromStream, Recorder: changes.NewRecorder(store), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for delivery := 1; delivery <= 2; delivery++ {
		resp, err := consumer.Handle(context.Background(), ev)
		if err != nil || len(resp.BatchItemFailures) > 0 {
			t.Fatalf("delivery %d: failures %v, err %v", delivery, resp.BatchItemFailures, err)
		}
		counts, err := store.GetRosterCounts(context.Background(), sampleOrgID)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Archived != len(ev.Records) {
			t.Errorf("delivery %d: archived count = %d, want %d", delivery, counts.Archived, len(ev.Records))
		}
	}
}
