package imports

import (
	"io"

	roster "github.com/rosterhq/roster/shared"
)

// Store is what imports keep and read: the uploads, and the roster and
// jobs they plan against and apply through.
type Store interface {
	roster.Store
	ImportStore
}

// Service carries out imports: an upload validated against the roster, and
// applied as a background job whose steps the root package's job runner
// hands here (it is the roster.ImportSteps). It applies rows through the
// roster's users and jobs, whose Service it extends.
type Service struct {
	*roster.Service
	Store Store
	// OpenSheet reads an uploaded spreadsheet (sheetread.Open, within its limits).
	OpenSheet func(r io.Reader, name string) (RowReader, error)
}

var _ roster.ImportSteps = (*Service)(nil)
