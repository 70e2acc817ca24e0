// Package withfiles adds files to a function: the S3 bucket of uploads and
// exports, and the reader of uploaded spreadsheets. Only the functions that
// keep files import it.
package withfiles

import (
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/rosterhq/roster/shared/app/core"
	"github.com/rosterhq/roster/shared/files"
	"github.com/rosterhq/roster/shared/imports"
	"github.com/rosterhq/roster/shared/sheetread"
)

// Adapter builds the S3 client (at FILES_ENDPOINT, by path, when set) and
// the bucket FILES_BUCKET; without a bucket nothing stores files.
func Adapter(awsCfg aws.Config, c core.Config, parts *core.Parts) {
	parts.OpenSheet = OpenSheet
	if c.FilesBucket == "" {
		return
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if c.FilesEndpoint != "" {
			o.BaseEndpoint = aws.String(c.FilesEndpoint)
			o.UsePathStyle = true
		}
	})
	parts.Files = files.New(client, c.FilesBucket, "")
}

var _ core.Adapter = Adapter

// OpenSheet reads an upload within the limits README states.
func OpenSheet(r io.Reader, name string) (imports.RowReader, error) {
	return sheetread.Open(r, name, sheetread.DefaultLimits)
}
