// Package files keeps an organization's files (spreadsheets uploaded for
// import, exports to download) in one private S3 bucket.
//
// Every key lives under its organization's prefix, org/<orgID>/, and every
// method takes the caller's organization and refuses a key outside it. The
// browser never gets credentials: it moves bytes through short-lived
// presigned links, a PUT whose content type and exact size are part of the
// signature, and a GET that downloads as an attachment with a file name. The
// server reads with Open and writes with Create, which streams a multipart
// upload with one part in memory at a time.
//
// The bucket holds nothing else, so a single lifecycle rule (template.yaml)
// deletes every object a few days after it was written.
package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	roster "github.com/rosterhq/roster/shared"
)

// Link lifetimes: long enough to start a transfer, short enough that a
// leaked link is soon worthless. S3 checks the expiry when a request starts,
// so a slow transfer that started in time completes.
const (
	UploadLinkLifetime   = 15 * time.Minute
	DownloadLinkLifetime = 5 * time.Minute
)

// PartSize is the size of each part Create uploads, and so about the most
// it holds in memory: S3's smallest part (except the last) is 5 MiB.
const PartSize = 5 << 20

// Bucket is an S3 bucket of organizations' files. It is safe for
// concurrent use.
type Bucket struct {
	client  *s3.Client
	presign *s3.PresignClient
	name    string
}

// New returns the bucket name reached through client. Presigned links point
// at publicEndpoint when it is set (the local dev server's own address, which
// checks and forwards them), and otherwise where client sends its requests.
func New(client *s3.Client, name, publicEndpoint string) *Bucket {
	var opts []func(*s3.PresignOptions)
	if publicEndpoint != "" {
		opts = append(opts, func(o *s3.PresignOptions) {
			o.ClientOptions = append(o.ClientOptions, func(o *s3.Options) {
				o.BaseEndpoint = aws.String(publicEndpoint)
			})
		})
	}
	return &Bucket{client: client, presign: s3.NewPresignClient(client, opts...), name: name}
}

var _ roster.Files = (*Bucket)(nil)

// Name is the bucket's name.
func (b *Bucket) Name() string { return b.name }

// own refuses, as Forbidden and before S3 is asked, a key that is not the
// organization's.
func own(orgID, key string) error {
	if !roster.OwnsFileKey(orgID, key) {
		return roster.Forbidden("this file belongs to another organization")
	}
	return nil
}

// PresignPut returns a link that uploads exactly size bytes of contentType
// to key; S3 refuses any other length or type. It refuses (Invalid, field
// "size") a size that is not between 1 and maxSize bytes.
func (b *Bucket) PresignPut(ctx context.Context, orgID, key, contentType string, size, maxSize int64) (roster.FileLink, error) {
	if err := own(orgID, key); err != nil {
		return roster.FileLink{}, err
	}
	if size <= 0 || size > maxSize {
		return roster.FileLink{}, roster.Invalid("size", "the file must be between 1 byte and %s", humanSize(maxSize))
	}
	if _, _, err := mime.ParseMediaType(contentType); err != nil {
		return roster.FileLink{}, roster.Invalid("contentType", "%q is not a media type", contentType)
	}
	req, err := b.presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(b.name),
		Key:           aws.String(key),
		ContentType:   aws.String(contentType),
		ContentLength: aws.Int64(size),
	}, s3.WithPresignExpires(UploadLinkLifetime))
	if err != nil {
		return roster.FileLink{}, roster.Internal(err, "presign an upload")
	}
	return roster.FileLink{
		Method:  http.MethodPut,
		URL:     req.URL,
		Headers: map[string]string{"Content-Type": contentType},
		Expires: time.Now().Add(UploadLinkLifetime),
	}, nil
}

// PresignGet returns a link that downloads key as an attachment named
// fileName.
func (b *Bucket) PresignGet(ctx context.Context, orgID, key, fileName string) (roster.FileLink, error) {
	if err := own(orgID, key); err != nil {
		return roster.FileLink{}, err
	}
	req, err := b.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:                     aws.String(b.name),
		Key:                        aws.String(key),
		ResponseContentDisposition: aws.String(mime.FormatMediaType("attachment", map[string]string{"filename": fileName})),
	}, s3.WithPresignExpires(DownloadLinkLifetime))
	if err != nil {
		return roster.FileLink{}, roster.Internal(err, "presign a download")
	}
	return roster.FileLink{Method: http.MethodGet, URL: req.URL, Expires: time.Now().Add(DownloadLinkLifetime)}, nil
}

// Open streams key's content; the caller closes it. Its FileInfo's ETag is
// that of the content streamed. A missing file is NotFound.
func (b *Bucket) Open(ctx context.Context, orgID, key string) (io.ReadCloser, roster.FileInfo, error) {
	if err := own(orgID, key); err != nil {
		return nil, roster.FileInfo{}, err
	}
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return nil, roster.FileInfo{}, roster.NotFound("no such file")
		}
		return nil, roster.FileInfo{}, roster.Internal(err, "open a file")
	}
	return out.Body, roster.FileInfo{Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType), ETag: aws.ToString(out.ETag)}, nil
}

// Stat describes key without reading it. A missing file is NotFound.
func (b *Bucket) Stat(ctx context.Context, orgID, key string) (roster.FileInfo, error) {
	if err := own(orgID, key); err != nil {
		return roster.FileInfo{}, err
	}
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return roster.FileInfo{}, roster.NotFound("no such file")
		}
		return roster.FileInfo{}, roster.Internal(err, "describe a file")
	}
	return roster.FileInfo{Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType), ETag: aws.ToString(out.ETag)}, nil
}

// Create stores at key what write writes, as a multipart upload of PartSize
// parts sent as they fill, so that memory stays near one part whatever the
// size. The file appears only when write returns nil and every part is
// stored; otherwise the upload is aborted, nothing appears (a file already
// at key stays as it was), and Create returns the first error. It returns
// the number of bytes stored.
func (b *Bucket) Create(ctx context.Context, orgID, key, contentType string, write func(io.Writer) error) (int64, error) {
	if err := own(orgID, key); err != nil {
		return 0, err
	}
	u := &upload{ctx: ctx, b: b, key: key, contentType: contentType, buf: bytes.NewBuffer(make([]byte, 0, PartSize))}
	err := write(u)
	if err == nil && u.id == nil {
		// It fits in one part: one PutObject, and no multipart upload (moto's
		// /moto-api/data.json, which the local mailbox reads, fails once it
		// holds one).
		_, err = b.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(b.name), Key: aws.String(key), ContentType: aws.String(contentType),
			Body: bytes.NewReader(u.buf.Bytes()), ContentLength: aws.Int64(int64(u.buf.Len())),
		})
		if err != nil {
			return 0, roster.Internal(err, "store a file")
		}
		return int64(u.buf.Len()), nil
	}
	if err == nil {
		err = u.flush()
	}
	if err == nil {
		_, err = b.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket:          aws.String(b.name),
			Key:             aws.String(key),
			UploadId:        u.id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts},
		})
		if err != nil {
			err = roster.Internal(err, "complete an upload")
		}
	}
	if err != nil && u.id != nil {
		// A fresh context: the caller's may be what ended the upload.
		abort, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if _, aerr := b.client.AbortMultipartUpload(abort, &s3.AbortMultipartUploadInput{
			Bucket: aws.String(b.name), Key: aws.String(key), UploadId: u.id,
		}); aerr != nil {
			err = errors.Join(err, fmt.Errorf("abort the upload: %w", aerr))
		}
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	return u.size, nil
}

// upload is the io.Writer Create hands out: it fills a part and sends it
// when full, starting the multipart upload with the first full part.
type upload struct {
	ctx         context.Context
	b           *Bucket
	key         string
	contentType string
	id          *string // the multipart upload, once started
	buf         *bytes.Buffer
	parts       []types.CompletedPart
	size        int64
	err         error
}

func (u *upload) Write(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	n := 0
	for len(p) > 0 {
		room := PartSize - u.buf.Len()
		chunk := p[:min(room, len(p))]
		u.buf.Write(chunk)
		n += len(chunk)
		p = p[len(chunk):]
		if u.buf.Len() == PartSize {
			if err := u.sendPart(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// flush sends what is left as the last part; an upload of nothing sends
// one empty part, as S3 needs at least one.
func (u *upload) flush() error {
	if u.err != nil {
		return u.err
	}
	if u.buf.Len() > 0 || len(u.parts) == 0 {
		return u.sendPart()
	}
	return nil
}

func (u *upload) sendPart() error {
	if u.id == nil {
		start, err := u.b.client.CreateMultipartUpload(u.ctx, &s3.CreateMultipartUploadInput{
			Bucket: aws.String(u.b.name), Key: aws.String(u.key), ContentType: aws.String(u.contentType),
		})
		if err != nil {
			u.err = roster.Internal(err, "start an upload")
			return u.err
		}
		u.id = start.UploadId
	}
	number := int32(len(u.parts) + 1)
	size := int64(u.buf.Len())
	out, err := u.b.client.UploadPart(u.ctx, &s3.UploadPartInput{
		Bucket:        aws.String(u.b.name),
		Key:           aws.String(u.key),
		UploadId:      u.id,
		PartNumber:    aws.Int32(number),
		Body:          bytes.NewReader(u.buf.Bytes()),
		ContentLength: aws.Int64(size),
	})
	if err != nil {
		u.err = roster.Internal(err, "upload part %d", number)
		return u.err
	}
	u.parts = append(u.parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(number)})
	u.size += size
	u.buf.Reset()
	return nil
}

// Delete removes key; a missing file is not an error.
func (b *Bucket) Delete(ctx context.Context, orgID, key string) error {
	if err := own(orgID, key); err != nil {
		return err
	}
	if _, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)}); err != nil {
		return roster.Internal(err, "delete a file")
	}
	return nil
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound")
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
