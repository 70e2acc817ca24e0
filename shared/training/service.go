package training

import (
	"context"
	"log/slog"

	roster "github.com/rosterhq/roster/shared"
)

// Store is what training keeps and reads: courses with their pools and
// ledgers, enrollments and training records, and the users, groups and
// locations they name.
type Store interface {
	CourseStore
	EnrollmentStore
	RecordStore
	roster.GroupReader
	// GetUsers returns the users of the organization with these ids, by id;
	// ids of no one are left out.
	GetUsers(ctx context.Context, orgID string, ids []string) (map[string]*roster.User, error)
}

// Service carries out training's use cases: courses and their seat pools,
// a learner's training, and training records. It is also the root
// package's roster.Training, the checks users, jobs and imports ask of
// training before they write.
type Service struct {
	Store Store
	Now   roster.NowFunc
	NewID func() string
	Log   *slog.Logger
}

var _ roster.Training = (*Service)(nil)
