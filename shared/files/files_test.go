package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/rosterhq/roster/infra/localstack/motoserver"
	"github.com/rosterhq/roster/infra/testharness/testenv"
	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/files"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func mustKey(t *testing.T, org string, parts ...string) string {
	t.Helper()
	k, err := roster.FileKey(org, parts...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// send makes the request a browser makes from link, with body.
func send(t *testing.T, link roster.FileLink, body []byte, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(link.Method, link.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBucket_CreateSmallFileIsOnePut stores a file that fits in one part
// with one PutObject: moto's /moto-api/data.json, which the local mailbox
// reads, fails once it holds a multipart upload. It runs first, before the
// tests that make one on the same moto.
func TestBucket_CreateSmallFileIsOnePut(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "imports", "small.csv")
	n, err := f.Bucket.Create(ctx, "o1", key, "text/csv", func(w io.Writer) error {
		_, err := io.WriteString(w, "a,b\n")
		return err
	})
	if err != nil || n != 4 {
		t.Fatalf("Create = %d, %v; want 4 bytes stored", n, err)
	}
	if info, err := f.Bucket.Stat(ctx, "o1", key); err != nil || info.Size != 4 || info.ContentType != "text/csv" {
		t.Errorf("Stat = %+v, %v", info, err)
	}
	if _, err := motoserver.SentEmails(ctx, testenv.SES(t)); err != nil {
		t.Errorf("the mailbox cannot read moto after a small Create: %v", err)
	}
}

func TestBucket_PresignPutThenOpen(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "uploads", "u1")
	body := []byte("name,email\nAda,ada@example.com\n")
	const csv = "text/csv"

	link, err := f.Bucket.PresignPut(ctx, "o1", key, csv, int64(len(body)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if link.Method != http.MethodPut || link.Headers["Content-Type"] != csv || !strings.HasPrefix(link.URL, f.URL+"/") {
		t.Fatalf("link = %+v, want a PUT to the gateway with Content-Type %s", link, csv)
	}
	t.Run("another content type is refused", func(t *testing.T) {
		if resp := send(t, link, body, map[string]string{"Content-Type": "text/html"}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("status = %d, want 403", resp.StatusCode)
		}
	})
	t.Run("another size is refused", func(t *testing.T) {
		if resp := send(t, link, append(body, 'x'), link.Headers); resp.StatusCode != http.StatusForbidden {
			t.Errorf("status = %d, want 403", resp.StatusCode)
		}
	})
	if _, err := f.Bucket.Stat(ctx, "o1", key); !roster.IsCode(err, roster.CodeNotFound) {
		t.Fatalf("after refused uploads, Stat err = %v, want not found", err)
	}
	if resp := send(t, link, body, link.Headers); resp.StatusCode != http.StatusOK {
		t.Fatalf("upload status = %d: %s", resp.StatusCode, readAll(t, resp.Body))
	}
	rc, info, err := f.Bucket.Open(ctx, "o1", key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got := readAll(t, rc); !bytes.Equal(got, body) {
		t.Errorf("Open read %q, want %q", got, body)
	}
	if info.Size != int64(len(body)) || info.ContentType != csv {
		t.Errorf("info = %+v, want size %d and %s", info, len(body), csv)
	}
}

// TestBucket_ETagNamesTheContent: Stat and Open give the same ETag for the
// same bytes, and another once the presigned PUT is used again with others.
func TestBucket_ETagNamesTheContent(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "imports", "i1", "upload")
	put := func(body string) string {
		t.Helper()
		link, err := f.Bucket.PresignPut(ctx, "o1", key, "text/csv", int64(len(body)), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if resp := send(t, link, []byte(body), link.Headers); resp.StatusCode != http.StatusOK {
			t.Fatalf("upload status = %d: %s", resp.StatusCode, readAll(t, resp.Body))
		}
		info, err := f.Bucket.Stat(ctx, "o1", key)
		if err != nil {
			t.Fatal(err)
		}
		rc, opened, err := f.Bucket.Open(ctx, "o1", key)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		if info.ETag == "" || opened.ETag != info.ETag {
			t.Fatalf("Stat ETag %q, Open ETag %q: want the same, not empty", info.ETag, opened.ETag)
		}
		return info.ETag
	}
	first := put("a,b\n1,2\n")
	if again := put("a,b\n1,2\n"); again != first {
		t.Errorf("the same bytes again: ETag %q, want %q", again, first)
	}
	if other := put("a,b\n3,4\n"); other == first {
		t.Errorf("other bytes kept the ETag %q", first)
	}
}

func TestBucket_PresignPutRefusesSizes(t *testing.T) {
	f := testenv.Files(t)
	key := mustKey(t, "o1", "uploads", "u1")
	for _, size := range []int64{0, -1, 1<<20 + 1} {
		_, err := f.Bucket.PresignPut(context.Background(), "o1", key, "text/csv", size, 1<<20)
		var e *roster.Error
		if !errors.As(err, &e) || e.Code != roster.CodeInvalid || e.Field != "size" {
			t.Errorf("size %d: err = %v, want invalid size", size, err)
		}
	}
}

func TestBucket_PresignGetWorksThenExpires(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "exports", "e1.csv")
	if _, err := f.Bucket.Create(ctx, "o1", key, "text/csv", func(w io.Writer) error {
		_, err := io.WriteString(w, "a,b\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	link, err := f.Bucket.PresignGet(ctx, "o1", key, "roster 2026.csv")
	if err != nil {
		t.Fatal(err)
	}
	resp := send(t, link, nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET status = %d: %s", resp.StatusCode, readAll(t, resp.Body))
	}
	if got := readAll(t, resp.Body); string(got) != "a,b\n" {
		t.Errorf("GET read %q", got)
	}
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "roster 2026.csv" {
		t.Errorf("Content-Disposition = %q, want an attachment named roster 2026.csv", resp.Header.Get("Content-Disposition"))
	}

	t.Run("a changed link is refused", func(t *testing.T) {
		other := link
		other.URL = strings.Replace(link.URL, "e1.csv", "e2.csv", 1)
		if resp := send(t, other, nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("status = %d, want 403", resp.StatusCode)
		}
	})
	f.Later(files.DownloadLinkLifetime + time.Second)
	resp = send(t, link, nil, nil)
	if body := readAll(t, resp.Body); resp.StatusCode != http.StatusForbidden || !bytes.Contains(body, []byte("expired")) {
		t.Errorf("after the lifetime: status = %d, body %q; want 403 expired", resp.StatusCode, body)
	}
}

func TestBucket_RefusesAnotherOrganizationsKey(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	theirs := mustKey(t, "o2", "exports", "e1.csv")
	if _, err := f.Bucket.Create(ctx, "o2", theirs, "text/csv", func(w io.Writer) error {
		_, err := io.WriteString(w, "secret")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	forbidden := func(name string, err error) {
		t.Helper()
		if !roster.IsCode(err, roster.CodeForbidden) {
			t.Errorf("%s: err = %v, want forbidden", name, err)
		}
	}
	for _, key := range []string{theirs, "org/o1/../o2/exports/e1.csv", "org/o1", "org/o1/", "org/o10/x", "exports/e1.csv"} {
		_, err := f.Bucket.PresignGet(ctx, "o1", key, "x.csv")
		forbidden("PresignGet "+key, err)
		_, err = f.Bucket.PresignPut(ctx, "o1", key, "text/csv", 1, 10)
		forbidden("PresignPut "+key, err)
		_, _, err = f.Bucket.Open(ctx, "o1", key)
		forbidden("Open "+key, err)
		_, err = f.Bucket.Stat(ctx, "o1", key)
		forbidden("Stat "+key, err)
		_, err = f.Bucket.Create(ctx, "o1", key, "text/csv", func(io.Writer) error { return nil })
		forbidden("Create "+key, err)
		forbidden("Delete "+key, f.Bucket.Delete(ctx, "o1", key))
	}
	rc, _, err := f.Bucket.Open(ctx, "o2", theirs)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got := readAll(t, rc); string(got) != "secret" {
		t.Errorf("their file now reads %q", got)
	}
}

func TestBucket_OpenAndDelete(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "exports", "gone.csv")
	if _, _, err := f.Bucket.Open(ctx, "o1", key); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("Open of a missing file: err = %v, want not found", err)
	}
	if _, err := f.Bucket.Create(ctx, "o1", key, "text/csv", func(io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if info, err := f.Bucket.Stat(ctx, "o1", key); err != nil || info.Size != 0 {
		t.Fatalf("an empty file: %+v, %v", info, err)
	}
	if err := f.Bucket.Delete(ctx, "o1", key); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Bucket.Stat(ctx, "o1", key); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("after Delete: err = %v, want not found", err)
	}
	if err := f.Bucket.Delete(ctx, "o1", key); err != nil {
		t.Errorf("Delete of a missing file: %v", err)
	}
}

// TestBucket_CreateStreamsLargeFile writes 64 MiB through Create and checks
// the content read back, and that the heap grew by far less than the file.
func TestBucket_CreateStreamsLargeFile(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "exports", "big.bin")
	const size = 64 << 20
	block := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := before.HeapInuse
	want := sha256.New()
	n, err := f.Bucket.Create(ctx, "o1", key, "application/octet-stream", func(w io.Writer) error {
		for i := 0; i < size/len(block); i++ {
			block[0] = byte(i)
			want.Write(block)
			if _, err := w.Write(block); err != nil {
				return err
			}
			if i%64 == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != size {
		t.Errorf("Create stored %d bytes, want %d", n, size)
	}
	if grew := peak - min(peak, before.HeapInuse); grew > 4*files.PartSize {
		t.Errorf("the heap grew by %d MiB while writing %d MiB, want under %d MiB", grew>>20, size>>20, 4*files.PartSize>>20)
	}
	rc, _, err := f.Bucket.Open(ctx, "o1", key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got := sha256.New()
	if m, err := io.Copy(got, rc); err != nil || m != size {
		t.Fatalf("read back %d bytes, %v", m, err)
	}
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Error("the stored file differs from what was written")
	}
}

func TestBucket_CreateAbortsOnError(t *testing.T) {
	f := testenv.Files(t)
	ctx := context.Background()
	key := mustKey(t, "o1", "exports", "half.bin")
	boom := errors.New("boom")
	_, err := f.Bucket.Create(ctx, "o1", key, "application/octet-stream", func(w io.Writer) error {
		if _, err := w.Write(make([]byte, files.PartSize+1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if _, err := f.Bucket.Stat(ctx, "o1", key); !roster.IsCode(err, roster.CodeNotFound) {
		t.Errorf("after a failed Create: err = %v, want not found", err)
	}
	out, err := f.Client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(f.Name)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Uploads) != 0 {
		t.Errorf("%d multipart uploads left open, want 0", len(out.Uploads))
	}
}
