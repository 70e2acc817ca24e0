// Package memfiles keeps an organization's files in memory: a
// roster.FileStore for tests of the import's logic until they run on the
// S3 file store (shared/files). Links point nowhere; Put stands in for the
// browser's upload through one.
package memfiles

import (
	"bytes"
	"context"
	"io"
	"sync"

	roster "github.com/rosterhq/roster/shared"
)

// Store is an in-memory roster.FileStore. Its zero value is ready to use.
type Store struct {
	mu    sync.Mutex
	files map[string][]byte
}

var _ roster.FileStore = (*Store)(nil)

// UploadLink refuses a size out of range, as S3's presigned PUT would.
func (m *Store) UploadLink(_ context.Context, orgID, name, contentType string, size, maxSize int64) (roster.FileLink, error) {
	if size < 1 || size > maxSize {
		return roster.FileLink{}, roster.Invalid("size", "the file must be between 1 byte and %d bytes", maxSize)
	}
	return roster.FileLink{Method: "PUT", URL: "memory:" + orgID + "/" + name, Headers: map[string]string{"Content-Type": contentType}}, nil
}

// DownloadLink names the file; a missing one is not found.
func (m *Store) DownloadLink(_ context.Context, orgID, name, _ string) (roster.FileLink, error) {
	if _, ok := m.get(orgID, name); !ok {
		return roster.FileLink{}, roster.NotFound("no such file")
	}
	return roster.FileLink{Method: "GET", URL: "memory:" + orgID + "/" + name}, nil
}

// Open returns the file's content; a missing one is not found.
func (m *Store) Open(_ context.Context, orgID, name string) (io.ReadCloser, error) {
	b, ok := m.get(orgID, name)
	if !ok {
		return nil, roster.NotFound("no such file")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// Create stores what write writes.
func (m *Store) Create(_ context.Context, orgID, name, _ string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	m.Put(orgID, name, b.Bytes())
	return nil
}

// Put stores content as the organization's file name.
func (m *Store) Put(orgID, name string, content []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[orgID+"/"+name] = content
}

func (m *Store) get(orgID, name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[orgID+"/"+name]
	return b, ok
}
