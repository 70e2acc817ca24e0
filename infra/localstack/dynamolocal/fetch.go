package dynamolocal

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rosterhq/roster/infra/localstack/childproc"
)

// The npm package that carries DynamoDB Local, and the integrity npm's
// registry publishes for its tarball (npm view
// amplify-dynamodb-simulator@2.9.30 dist.integrity). Ensure checks the
// tarball against it whether npm fetched it or it was found in the cache.
const (
	npmPackage       = "amplify-dynamodb-simulator"
	PackageVersion   = "2.9.30" // version of the npm package DynamoDB Local is taken from
	tarballIntegrity = "sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ=="
	emulatorPrefix   = "package/emulator/" // the part of the tarball that is kept
	jarName          = "DynamoDBLocal.jar"
	libDirName       = "DynamoDBLocal_lib"
)

// ErrNPMNotFound is returned, wrapped, by Ensure when DynamoDB Local is not
// cached yet and no npm executable is on PATH to fetch it.
var ErrNPMNotFound = errors.New("npm not found: install Node.js and npm (apt-get install npm) to fetch DynamoDB Local")

// Ensure makes sure DynamoDB Local is unpacked in
// <os.UserCacheDir()>/roster/dynamodb-local-2.9.30 and returns that
// directory, which holds DynamoDBLocal.jar and DynamoDBLocal_lib/.
//
// When the directory is missing, Ensure uses
// <os.UserCacheDir()>/roster/amplify-dynamodb-simulator-2.9.30.tgz if that
// file exists and has the expected checksum, and otherwise fetches the
// tarball with `npm pack` (without the package's dependencies). It extracts
// package/emulator/ into a temporary sibling directory and renames that into
// place, so a half-extracted copy is never used; concurrent callers, even in
// different processes, are safe. The download is about 56 MB.
//
// On error nothing is left in place: the error says which step failed, and
// wraps ErrNPMNotFound if npm is needed but missing.
func Ensure(ctx context.Context) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("ensure dynamodb local: locate the user cache directory: %w", err)
	}
	root := filepath.Join(cache, "roster")
	dir := filepath.Join(root, "dynamodb-local-"+PackageVersion)
	if installed(dir) {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("ensure dynamodb local: %w", err)
	}

	tgz, cleanup, err := tarball(ctx, root)
	if err != nil {
		return "", fmt.Errorf("ensure dynamodb local: %w", err)
	}
	defer cleanup()

	staging, err := os.MkdirTemp(root, ".dynamodb-local-"+PackageVersion+"-*")
	if err != nil {
		return "", fmt.Errorf("ensure dynamodb local: %w", err)
	}
	defer os.RemoveAll(staging) // a no-op once staging has been renamed
	if err := extract(tgz, staging, tarballIntegrity); err != nil {
		return "", fmt.Errorf("ensure dynamodb local: unpack %s: %w", tgz, err)
	}
	if !installed(staging) {
		return "", fmt.Errorf("ensure dynamodb local: %s has no %s%s", tgz, emulatorPrefix, jarName)
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return "", fmt.Errorf("ensure dynamodb local: %w", err)
	}
	if err := os.Rename(staging, dir); err != nil {
		if installed(dir) { // another process got there first
			return dir, nil
		}
		return "", fmt.Errorf("ensure dynamodb local: move into place: %w", err)
	}
	return dir, nil
}

// installed reports whether dir holds an unpacked DynamoDB Local.
func installed(dir string) bool {
	jar, err := os.Stat(filepath.Join(dir, jarName))
	if err != nil || !jar.Mode().IsRegular() {
		return false
	}
	lib, err := os.Stat(filepath.Join(dir, libDirName))
	return err == nil && lib.IsDir()
}

// tarball returns the path of a copy of the npm tarball: the one cached in
// root if present and intact, else a fresh one from npm pack. cleanup removes
// whatever tarball made for the caller; it never removes the cached copy.
func tarball(ctx context.Context, root string) (path string, cleanup func(), err error) {
	name := npmPackage + "-" + PackageVersion + ".tgz"
	cached := filepath.Join(root, name)
	if err := checkIntegrity(cached, tarballIntegrity); err == nil {
		return cached, func() {}, nil
	}

	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", nil, ErrNPMNotFound
	}
	tmp, err := os.MkdirTemp(root, ".npm-pack-*")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { _ = os.RemoveAll(tmp) }
	spec := npmPackage + "@" + PackageVersion
	cmd := exec.CommandContext(ctx, npm, "pack", spec, "--ignore-scripts", "--silent")
	cmd.Dir = tmp
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("npm pack %s: %w%s", spec, err, childproc.OutputSuffix(out.Bytes(), 4<<10))
	}
	path = filepath.Join(tmp, name)
	if err := checkIntegrity(path, tarballIntegrity); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("npm pack %s: %w", spec, err)
	}
	return path, cleanup, nil
}

// checkIntegrity returns nil if the file at path has the integrity want
// ("sha512-" and the base64 of its SHA-512, as npm writes it).
func checkIntegrity(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return compareIntegrity(path, h, want)
}

func compareIntegrity(path string, h hash.Hash, want string) error {
	if got := "sha512-" + base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s: integrity %s, want %s", path, got, want)
	}
	return nil
}

// extract writes the files under package/emulator/ of the gzipped tar at
// tgz into dir, dropping that prefix. It refuses entries that would land
// outside dir and entry types other than files and directories, and checks
// that the tarball's integrity is want as it reads it.
func extract(tgz, dir, want string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	src := io.TeeReader(f, h)
	zr, err := gzip.NewReader(src)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rel, ok := strings.CutPrefix(hdr.Name, emulatorPrefix)
		if !ok || rel == "" {
			continue
		}
		if !filepath.IsLocal(rel) {
			return fmt.Errorf("entry %q escapes the target directory", hdr.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeFile(target, tr, fs.FileMode(hdr.Mode)); err != nil {
				return err
			}
		default:
			return fmt.Errorf("entry %q has unsupported type %q", hdr.Name, hdr.Typeflag)
		}
	}
	if _, err := io.Copy(io.Discard, src); err != nil { // hash the rest
		return err
	}
	return compareIntegrity(tgz, h, want)
}

func writeFile(path string, r io.Reader, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	perm := fs.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
