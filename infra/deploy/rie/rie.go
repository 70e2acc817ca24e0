// Package rie runs function binaries the way Lambda runs them, under AWS's
// Lambda Runtime Interface Emulator (aws-lambda-rie, the piece of `sam local`
// that runs a function): it finds or installs the emulator, builds mains
// with the deploy build's flags for this machine, starts one function on
// free loopback ports and invokes it. `make coldstart` and the emulator test
// (infra/testharness/lambdarie) both stand on it.
package rie

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Module is the emulator, at the version the Go module proxy serves.
const Module = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d"

// BuildFlags are SAM_GO_FLAGS of infra/deploy/sam.mk.
var BuildFlags = []string{"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags=-s -w"}

// Find returns aws-lambda-rie: on PATH, in GOBIN or GOPATH/bin, or
// installed there with `go install` from the module proxy.
func Find() (string, error) {
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p, nil
	}
	gobin := goEnv("GOBIN")
	if gobin == "" {
		gobin = filepath.Join(strings.SplitN(goEnv("GOPATH"), string(os.PathListSeparator), 2)[0], "bin")
	}
	p := filepath.Join(gobin, "aws-lambda-rie")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	cmd := exec.Command("go", "install", Module)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %v\n%s", Module, err, out)
	}
	return p, nil
}

func goEnv(key string) string {
	out, _ := exec.Command("go", "env", key).Output()
	return strings.TrimSpace(string(out))
}

// Build compiles the packages of the module at root for this machine with
// the deploy build's flags: out is the binary for one package, or a folder
// (ending in a separator) that receives one binary per package.
func Build(root, out string, pkgs ...string) error {
	args := append(append([]string{"build"}, BuildFlags...), "-o", out)
	cmd := exec.Command("go", append(args, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(pkgs, " "), err, msg)
	}
	return nil
}

// Function is one binary running under the emulator.
type Function struct {
	Name string
	URL  string  // the emulator's invocation endpoint
	Logs *Buffer // what the emulator and the function write
	cmd  *exec.Cmd
}

// Start runs bin under the emulator at rie on free loopback ports, with env
// as its whole environment and the emulator logging at logLevel.
func Start(rie, bin, name string, env []string, logLevel string) (*Function, error) {
	api, err := FreePort()
	if err != nil {
		return nil, err
	}
	emu, err := FreePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(rie, "--log-level", logLevel, "--runtime-api-address", api, "--runtime-interface-emulator-address", emu, bin)
	cmd.Env = env
	logs := &Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Function{Name: name, URL: "http://" + emu + "/2015-03-31/functions/function/invocations", Logs: logs, cmd: cmd}, nil
}

// Stop ends the emulator and the function.
func (f *Function) Stop() {
	_ = f.cmd.Process.Kill()
	_ = f.cmd.Wait()
}

// Invoke sends event to the function, waiting for the emulator to listen
// until ctx ends, and returns the emulator's status and body.
func (f *Function) Invoke(ctx context.Context, event []byte) (int, []byte, error) {
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.URL, bytes.NewReader(event))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			return resp.StatusCode, body, err
		}
		if ctx.Err() != nil {
			return 0, nil, errors.Join(fmt.Errorf("%s: the emulator never answered: %w", f.Name, err), errors.New(f.Logs.String()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Buffer is output read while a process writes it.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FreePort returns a loopback address nothing listens on now.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
