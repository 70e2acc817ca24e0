// Package childproc runs a local server program, such as the emulators the
// dev server and the integration tests use, as a child process tied to this
// process's lifetime, and waits until it answers on a loopback port.
//
// On Linux the child runs in its own process group, so that stopping it
// reaches anything it spawns, and the kernel kills it if this process dies
// without stopping it (a test binary killed by a timeout, a crash, kill -9).
// Elsewhere it stays in this process's group, so that Ctrl-C in a terminal
// reaches it too, and outlives a parent killed with SIGKILL.
//
// Errors about the child end with the last few kilobytes of its output.
package childproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// stopGrace is how long Stop lets the child exit after the polite signal
// before it is killed.
const stopGrace = 5 * time.Second

// How often WaitReady probes, and how long one probe may take.
const (
	probeInterval = 50 * time.Millisecond
	probeTimeout  = 2 * time.Second
)

// Process is a started child process. It is tied to this process's lifetime
// (see the package comment) and keeps the tail of its output for error
// messages. Its methods are safe for concurrent use.
type Process struct {
	name string // for messages, e.g. "dynamodb local"
	cmd  *exec.Cmd
	tail *tailBuffer

	done    chan struct{} // closed once the process has exited
	waitErr error         // valid after done is closed

	stopOnce sync.Once
	stopErr  error
}

// Start starts cmd, sending its standard output and error to out (nil
// discards them) while keeping the last few kilobytes for error messages.
// name says what the process is in those messages, for example
// "moto_server". Start sets cmd's Stdout, Stderr, WaitDelay and SysProcAttr;
// the caller must not start or wait for cmd itself.
//
// The process is started, and waited for, from a goroutine locked to its OS
// thread: on Linux the parent-death signal is tied to the thread that forked
// the child, and Go may otherwise retire that thread while the child runs.
func Start(name string, cmd *exec.Cmd, out io.Writer) (*Process, error) {
	p := &Process{name: name, cmd: cmd, tail: &tailBuffer{max: 8 << 10}, done: make(chan struct{})}
	var w io.Writer = p.tail
	if out != nil {
		w = io.MultiWriter(p.tail, out)
	}
	cmd.Stdout = w
	cmd.Stderr = w
	cmd.WaitDelay = time.Second // do not hang on pipes a grandchild might hold
	configureCmd(cmd)

	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// Never unlocked: when this goroutine returns, the thread exits, which
		// is harmless because the child has exited by then.
		if err := cmd.Start(); err != nil {
			started <- err
			close(p.done)
			return
		}
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// WaitReady calls probe every 50 ms, each call bounded by 2 s, and returns
// nil as soon as probe does. port is the port the server was told to listen
// on, for messages.
//
// It returns an error instead, with the tail of the output, when the
// process exits, when ctx is done (stopping the process first), or when the
// output contains one of the strings in inUse, which say that the port was
// taken (stopping the process first if it still runs); that last error
// wraps ErrPortInUse and names port.
func (p *Process) WaitReady(ctx context.Context, port int, probe func(context.Context) error, inUse ...string) error {
	portTaken := func() bool {
		out := p.tail.String()
		for _, s := range inUse {
			if strings.Contains(out, s) {
				return true
			}
		}
		return false
	}
	tick := time.NewTicker(probeInterval)
	defer tick.Stop()
	for {
		if p.exited() {
			// The output is complete once the process has been waited for.
			if portTaken() {
				return p.portInUseError(port)
			}
			return p.exitError()
		}
		if portTaken() { // some servers keep running when they cannot bind
			_ = p.Stop()
			return p.portInUseError(port)
		}
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		err := probe(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			_ = p.Stop()
			return fmt.Errorf("not ready on port %d: %w (last probe: %v)%s", port, ctx.Err(), err, p.tail.suffix())
		case <-p.done:
		case <-tick.C:
		}
	}
}

func (p *Process) portInUseError(port int) error {
	return fmt.Errorf("port %d: %w%s", port, ErrPortInUse, p.tail.suffix())
}

// exited reports whether the process has exited.
func (p *Process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// exitError describes an exit that nobody asked for, with the output's tail.
func (p *Process) exitError() error {
	return fmt.Errorf("%s exited unexpectedly (%v)%s", p.name, p.waitErr, p.tail.suffix())
}

// Stop asks the process to exit (SIGTERM to its process group on Linux;
// elsewhere SIGINT, or a kill on Windows), kills it if it has not exited 5 s
// later, and waits for it. It returns nil if the process was running until Stop was called, or an
// error describing the unexpected exit, with the output's tail, otherwise.
// Only the first call does anything; later calls return the first call's
// result.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() {
		if p.exited() {
			p.stopErr = p.exitError()
			return
		}
		if err := terminate(p.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
			_ = kill(p.cmd.Process)
		}
		select {
		case <-p.done:
		case <-time.After(stopGrace):
			if err := kill(p.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
				p.stopErr = fmt.Errorf("kill %s: %w", p.name, err)
				return
			}
			<-p.done
		}
	})
	return p.stopErr
}

// tailBuffer keeps the last max bytes written to it. It is safe for
// concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// String returns the kept output.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// suffix formats the kept output for the end of an error message, like
// OutputSuffix.
func (t *tailBuffer) suffix() string { return formatSuffix(t.String()) }

// OutputSuffix formats the last max bytes of out, the output of a command,
// for the end of an error message as Process's errors do: empty if there
// is nothing but white space, otherwise "; output:" and the indented lines.
func OutputSuffix(out []byte, max int) string {
	t := &tailBuffer{max: max}
	_, _ = t.Write(out)
	return t.suffix()
}

func formatSuffix(out string) string {
	s := strings.TrimSpace(out)
	if s == "" {
		return ""
	}
	return "; output:\n\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
