package devserver

import (
	accounts "github.com/rosterhq/roster/shared/accounts"

	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rosterhq/roster/infra/testharness/fixtures"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/dynamo"
	"github.com/rosterhq/roster/shared/training"
)

// Demo describes the demo organization the dev server seeds.
type Demo struct {
	Slug          string
	Name          string
	Users         int
	OwnerEmail    string
	OwnerPassword string
	// DueTraining gives a few learners courses due soon, overdue and due
	// for retake, so that the reminders fill the mailbox (make run).
	DueTraining bool
}

// demoDue are the due dates the demo gives learners with access, in days
// from the seeding day (negative: overdue), course by course of
// demoCourses; the last one is a course completed a year ago and due for
// retake.
var demoDue = []struct {
	course, days int
	retake       bool
}{
	{0, -8, false}, {0, -1, false}, {1, 1, false}, {2, 3, false}, {0, 7, false},
	{5, 7, false}, {1, 5, false}, {0, 20, false}, {1, 1, true},
}

var (
	demoLocations = []string{"Leeds Depot", "Manchester Store", "Bristol Kitchen", "Glasgow Warehouse", "Cardiff Store", "Head Office"}
	demoGroups    = []string{"Day shift", "Night shift", "Food handlers", "Forklift operators", "Store managers", "New starters", "First aiders", "Seasonal staff"}
	demoCourses   = []training.CourseInput{
		{Name: "Food Hygiene Level 2", RetakeMonths: 36, Seats: seats(400)},
		{Name: "Allergen Awareness", RetakeMonths: 12},
		{Name: "Fire Safety", RetakeMonths: 12, Seats: seats(60)},
		{Name: "Manual Handling", Seats: seats(25)},
		{Name: "Forklift Truck Operation", RetakeMonths: 36, Seats: seats(8)},
		{Name: "Induction", Seats: nil},
	}
)

func seats(n int) *int { return &n }

// seedDemo creates the demo organization, its owner, locations, groups and
// users, unless the organization exists already. Either way it sets the
// owner's password, so the credentials printed at start always work.
func seedDemo(ctx context.Context, store *dynamo.Store, d Demo, argon accounts.Argon2Params) (created bool, err error) {
	hash, err := accounts.HashPassword(d.OwnerPassword, argon)
	if err != nil {
		return false, err
	}
	if org, err := store.FindOrganizationBySlug(ctx, d.Slug); err == nil {
		owner, err := store.FindUserByLogin(ctx, org.ID, d.OwnerEmail)
		if err != nil {
			return false, fmt.Errorf("find the demo owner: %w (set ROSTER_OWNER_EMAIL to the owner seeded first, or remove .local/ to seed afresh)", err)
		}
		return false, store.SetPasswordHash(ctx, org.ID, owner.ID, hash)
	} else if !roster.IsCode(err, roster.CodeNotFound) {
		return false, err
	}

	now := time.Now().UTC()
	rng := rand.New(rand.NewPCG(2026, 11)) // the same demo roster on every machine
	org := &roster.Organization{ID: roster.NewRandomID(), Slug: d.Slug, Name: d.Name, CreatedAt: now}
	owner := &roster.User{
		ID: roster.NewRandomID(), OrgID: org.ID, FirstName: "Olive", LastName: "Owner", Email: d.OwnerEmail,
		Role: roster.RoleOwner, State: roster.StateActive, ApprovedAt: &now, NotifiedAt: &now, LastAccessAt: &now,
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if err := store.CreateOrganization(ctx, org, owner, hash); err != nil {
		return false, fmt.Errorf("create demo organization: %w", err)
	}
	var locations, groups []string
	for _, name := range demoLocations {
		l := &roster.Location{ID: roster.NewRandomID(), OrgID: org.ID, Name: name, CreatedAt: now, Version: 1}
		if err := store.CreateLocation(ctx, l); err != nil {
			return false, err
		}
		locations = append(locations, l.ID)
	}
	for _, name := range demoGroups {
		g := &roster.Group{ID: roster.NewRandomID(), OrgID: org.ID, Name: name, CreatedAt: now, Version: 1}
		if err := store.CreateGroup(ctx, g); err != nil {
			return false, err
		}
		groups = append(groups, g.ID)
	}
	var courses []string
	for _, in := range demoCourses {
		c := &roster.Course{ID: roster.NewRandomID(), OrgID: org.ID, Name: in.Name, RetakeMonths: in.RetakeMonths, Seats: in.Seats, CreatedAt: now, Version: 1}
		m := training.SeatMove{ID: roster.NewRandomID(), ActorID: owner.ID, At: now}
		if in.Seats != nil {
			m.Count, m.Cause = *in.Seats, fmt.Sprintf("Course created with %s", roster.Plural(*in.Seats, "seat"))
		}
		if err := store.CreateCourse(ctx, c, m); err != nil {
			return false, fmt.Errorf("create demo course: %w", err)
		}
		courses = append(courses, c.ID)
	}
	var learners []*roster.User // with access and an email, for due training
	for i := range d.Users {
		u := demoUser(rng, org.ID, i, now, locations, groups)
		if err := store.CreateUser(ctx, u); err != nil {
			return false, fmt.Errorf("create demo user %d: %w", i, err)
		}
		if u.HasAccess(now) && u.Email != "" && u.Role == roster.RoleLearner {
			learners = append(learners, u)
		}
	}
	if d.DueTraining {
		if err := seedDueTraining(ctx, store, owner, learners, courses, now); err != nil {
			return false, err
		}
	}
	return true, nil
}

// seedDueTraining assigns the demoDue courses to the first learners, one
// each, through the store's user write (which reserves the seats); the
// retake one is completed a year ago with its retake date demoDue's days
// ahead.
func seedDueTraining(ctx context.Context, store *dynamo.Store, owner *roster.User, learners []*roster.User, courses []string, now time.Time) error {
	for i, due := range demoDue[:min(len(demoDue), len(learners))] {
		u, course := learners[i], courses[due.course]
		at := now.AddDate(0, 0, due.days)
		if due.retake {
			at = now.AddDate(-1, 0, 14)
		}
		_, err := store.UpdateUser(ctx, u.OrgID, u.ID, 0, func(u *roster.User) error {
			u.Courses = append(u.Courses, roster.Assignment{CourseID: course, DueAt: &at})
			u.UpdatedAt, u.ChangedBy = now, owner.ID
			return nil
		})
		if err != nil {
			return fmt.Errorf("assign demo training: %w", err)
		}
		if !due.retake {
			continue
		}
		retake := now.AddDate(0, 0, due.days)
		step := training.TrainingStep{CourseID: course, Start: true, Complete: true, At: now.AddDate(-1, 0, 0), RetakeDueAt: &retake}
		if err := store.StepEnrollment(ctx, u.OrgID, u.ID, step, func(u *roster.User) error {
			u.LastAccessAt, u.UpdatedAt, u.ChangedBy = &step.At, now, u.ID
			if u.State == roster.StateActivated {
				u.State = roster.StateActive
			}
			return nil
		}); err != nil {
			return fmt.Errorf("complete demo training: %w", err)
		}
	}
	return nil
}

// demoUser makes the i-th demo user: mostly learners with email, some hourly
// workers with only a user ID, a spread of states, some archived or expired.
func demoUser(rng *rand.Rand, orgID string, i int, now time.Time, locations, groups []string) *roster.User {
	first, last := fixtures.FirstNames[rng.IntN(len(fixtures.FirstNames))], fixtures.LastNames[rng.IntN(len(fixtures.LastNames))]
	created := now.Add(-time.Duration(rng.IntN(400*24)) * time.Hour)
	u := &roster.User{
		ID: roster.NewRandomID(), OrgID: orgID, FirstName: first, LastName: last,
		Role: roster.RoleLearner, State: roster.StatePending,
		LocationID: locations[rng.IntN(len(locations))],
		CreatedAt:  created, UpdatedAt: created, Version: 1,
	}
	local := strings.ToLower(strings.NewReplacer("'", "", " ", "").Replace(first + "." + last))
	if rng.IntN(5) == 0 {
		u.UserID = fmt.Sprintf("EMP-%05d", 10000+i)
	} else {
		u.Email = fmt.Sprintf("%s%d@demo-foods.example", local, i)
	}
	if rng.IntN(30) == 0 {
		u.Role = roster.RoleAdmin
	}
	for _, g := range groups {
		if rng.IntN(5) == 0 && len(u.GroupIDs) < 3 {
			u.GroupIDs = append(u.GroupIDs, g)
		}
	}
	approved := created.Add(time.Hour)
	switch r := rng.IntN(20); {
	case r < 2: // pending
	case r < 6:
		u.State, u.ApprovedAt = roster.StateActivated, &approved
	case r < 17:
		access := now.Add(-time.Duration(rng.IntN(60*24)) * time.Hour)
		u.State, u.ApprovedAt, u.LastAccessAt = roster.StateActive, &approved, &access
	default:
		u.State, u.ApprovedAt = roster.StateDeactivated, &approved
	}
	if u.ApprovedAt != nil && rng.IntN(4) != 0 {
		notified := approved.Add(time.Minute)
		u.NotifiedAt = &notified
	}
	switch rng.IntN(25) {
	case 0:
		archived := now.Add(-time.Duration(rng.IntN(90*24)) * time.Hour)
		u.ArchivedAt = &archived
	case 1:
		expired := now.Add(-time.Duration(1+rng.IntN(30*24)) * time.Hour)
		u.ExpiresAt = &expired
	case 2:
		expires := now.Add(time.Duration(1+rng.IntN(90*24)) * time.Hour)
		u.ExpiresAt = &expires
	}
	slices.Sort(u.GroupIDs)
	return u
}
