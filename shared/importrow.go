package roster

import (
	"context"
	"slices"
	"time"
)

// What jobs keep of an import: the job's action and options and the rows
// its chunks hold (shared/imports plans and applies them).

// ActionImport is the action of a job that applies an upload's rows.
const ActionImport Action = "import"

// ImportMode says which rows an upload may apply.
type ImportMode string

// The modes of an upload. Rows match users by user ID, else by email.
const (
	ImportAdd       ImportMode = "add"        // every row is a new user
	ImportAddUpdate ImportMode = "add-update" // new users are added, matched ones updated
	ImportUpdate    ImportMode = "update"     // every row is a user on the roster
)

// SyncMode says what happens to the users of the organization the file does not name.
type SyncMode string

// The sync choices.
const (
	SyncNone       SyncMode = ""
	SyncDeactivate SyncMode = "deactivate"
	SyncArchive    SyncMode = "archive"
)

// ImportOptions are the administrator's choices for an upload.
type ImportOptions struct {
	Mode        ImportMode
	Sync        SyncMode
	SkipBadRows bool // apply the good rows even though others have errors
}

// Validate checks the choices.
func (o ImportOptions) Validate() error {
	switch o.Mode {
	case ImportAdd, ImportAddUpdate, ImportUpdate:
	default:
		return Invalid("mode", "must be add, add-update or update")
	}
	switch o.Sync {
	case SyncNone, SyncDeactivate, SyncArchive:
	default:
		return Invalid("sync", `must be "", deactivate or archive`)
	}
	return nil
}

// ImportRow is what one good row does. For a new user UserRef is empty
// until the apply gives the user an id.
type ImportRow struct {
	Line    int
	UserRef string // the user's id
	New     bool

	FirstName  *string
	LastName   *string
	Email      *string
	LoginID    *string // the user ID column
	Role       *Role
	LocationID *string
	ExpiresAt  *time.Time
	AddGroups  []string
	Courses    []Assignment // courses to assign, or existing ones whose due date moves
	Approve    bool
	Active     *bool
	Notify     bool // send the invitation after the write
	// Sync, on a row of no line, is the action sync takes on a user the
	// file does not name.
	Sync Action
}

// CloneUser copies u deeply enough for an import row to change the copy only.
func CloneUser(u *User) *User {
	c := *u
	c.GroupIDs = slices.Clone(u.GroupIDs)
	c.Courses = slices.Clone(u.Courses)
	c.KeepActivity = nil
	return &c
}

// ImportSteps are an import job's steps, which the job runner hands to
// shared/imports (imports.Service, registered by shared/app): the root
// package does not import it, which imports the root.
type ImportSteps interface {
	// SnapshotImport writes an import job's chunks from where an earlier
	// run stopped, then ends the snapshot.
	SnapshotImport(ctx context.Context, j *Job) error
	// RunImportChunk applies the rows of one chunk of an import job that
	// are not done yet.
	RunImportChunk(ctx context.Context, j *Job, c *JobChunk) error
	// WriteImportResults writes an ended import job's result file.
	WriteImportResults(ctx context.Context, orgID, jobID string) error
}
