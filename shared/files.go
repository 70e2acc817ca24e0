package roster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Files keeps organizations' files: spreadsheets uploaded for import and
// exports to download (package files, on S3). Every method takes the
// caller's organization and refuses (Forbidden) a key that is not under its
// prefix, as FileKey makes them. Browsers move bytes through short-lived
// presigned links; the server reads with Open and writes with Create.
type Files interface {
	// PresignPut returns a link that uploads exactly size bytes of
	// contentType to key. A size outside 1..maxSize is Invalid ("size").
	PresignPut(ctx context.Context, orgID, key, contentType string, size, maxSize int64) (FileLink, error)
	// PresignGet returns a link that downloads key as an attachment named
	// fileName.
	PresignGet(ctx context.Context, orgID, key, fileName string) (FileLink, error)
	// Open streams key's content; the caller closes it. Its FileInfo's ETag
	// is that of the content streamed. A missing file is NotFound.
	Open(ctx context.Context, orgID, key string) (io.ReadCloser, FileInfo, error)
	// Stat describes key without reading it. A missing file is NotFound.
	Stat(ctx context.Context, orgID, key string) (FileInfo, error)
	// Create stores at key what write writes, streaming with bounded
	// memory. The file appears only if write returns nil and the upload
	// completes; otherwise nothing changes. It returns the bytes stored.
	Create(ctx context.Context, orgID, key, contentType string, write func(io.Writer) error) (int64, error)
	// Delete removes key; a missing file is not an error.
	Delete(ctx context.Context, orgID, key string) error
}

// FilesKept is how long the bucket keeps a file (its lifecycle rule in
// template.yaml), and so how long an export or an upload lasts: after it,
// reading one is Gone, and DynamoDB's TTL removes its item a day later.
const FilesKept = 3 * 24 * time.Hour

// FilesGone says an export or upload outlived its files.
func FilesGone(what string) error {
	return Gone("this %s was kept %d days and is gone", what, int(FilesKept/(24*time.Hour)))
}

// FileLink is a presigned request a browser makes as it is: Method to URL
// with Headers (for an upload, its Content-Type), before Expires.
type FileLink struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Expires time.Time         `json:"expires"`
}

// FileInfo describes a stored file.
type FileInfo struct {
	Size        int64
	ContentType string
	// ETag names the stored content (S3's entity tag, as S3 gives it): a
	// file written again with other bytes has another one.
	ETag string
}

// FileKey returns the key of a file of the organization: org/<orgID>/
// followed by parts joined with slashes. Each part must be non-empty, not
// "." or "..", and free of slashes, backslashes and control characters.
func FileKey(orgID string, parts ...string) (string, error) {
	if err := checkKeyPart(orgID); err != nil {
		return "", fmt.Errorf("file key: organization id: %w", err)
	}
	if len(parts) == 0 {
		return "", errors.New("file key: a key needs a name below the organization")
	}
	for _, p := range parts {
		if err := checkKeyPart(p); err != nil {
			return "", fmt.Errorf("file key: part %q: %w", p, err)
		}
	}
	return fileKeyPrefix(orgID) + strings.Join(parts, "/"), nil
}

// OwnsFileKey reports whether key is a well-formed key of the organization,
// as FileKey makes them.
func OwnsFileKey(orgID, key string) bool {
	if checkKeyPart(orgID) != nil || !strings.HasPrefix(key, fileKeyPrefix(orgID)) {
		return false
	}
	rest := strings.TrimPrefix(key, fileKeyPrefix(orgID))
	if rest == "" {
		return false
	}
	for _, p := range strings.Split(rest, "/") {
		if checkKeyPart(p) != nil {
			return false
		}
	}
	return true
}

func fileKeyPrefix(orgID string) string { return "org/" + orgID + "/" }

func checkKeyPart(p string) error {
	if p == "" || p == "." || p == ".." {
		return errors.New("is empty, \".\" or \"..\" (a dot segment)")
	}
	for _, r := range p {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f {
			return errors.New("has a slash or a control character")
		}
	}
	return nil
}
