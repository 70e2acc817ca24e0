package motoserver

// This file is duplicated, apart from the package clause, in infra/dynamolocal.
// Both packages need it and Go offers no place both may import without making
// it public API (infra/internal would be that place).

import (
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

// child is a started emulator process. It is tied to this process's lifetime
// (see configureCmd) and keeps the tail of its output for error messages.
type child struct {
	name string // for messages, e.g. "dynamodb local"
	cmd  *exec.Cmd
	tail *tailBuffer

	done    chan struct{} // closed once the process has exited
	waitErr error         // valid after done is closed

	stopOnce sync.Once
	stopErr  error
}

// startChild starts cmd, sending its stdout and stderr to out (nil discards
// them) while keeping the last few kilobytes for error messages.
//
// The process is started, and waited for, from a goroutine locked to its OS
// thread: on Linux the parent-death signal is tied to the thread that forked
// the child, and Go may otherwise retire that thread while the child runs.
func startChild(name string, cmd *exec.Cmd, out io.Writer) (*child, error) {
	c := &child{name: name, cmd: cmd, tail: &tailBuffer{max: 8 << 10}, done: make(chan struct{})}
	var w io.Writer = c.tail
	if out != nil {
		w = io.MultiWriter(c.tail, out)
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
			close(c.done)
			return
		}
		started <- nil
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return c, nil
}

// exited reports whether the process has exited.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// exitError describes an exit that nobody asked for, with the output's tail.
func (c *child) exitError() error {
	return fmt.Errorf("%s exited unexpectedly (%v)%s", c.name, c.waitErr, c.tail.suffix())
}

// stop asks the process to exit, kills it after stopGrace, and waits for it.
// It returns nil if the process was running until stop was called, or the
// unexpected exit otherwise. Only the first call does anything; later calls
// return the first call's result.
func (c *child) stop() error {
	c.stopOnce.Do(func() {
		if c.exited() {
			c.stopErr = c.exitError()
			return
		}
		if err := terminate(c.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
			_ = kill(c.cmd.Process)
		}
		select {
		case <-c.done:
		case <-time.After(stopGrace):
			if err := kill(c.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
				c.stopErr = fmt.Errorf("kill %s: %w", c.name, err)
				return
			}
			<-c.done
		}
	})
	return c.stopErr
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

// suffix formats the kept output for the end of an error message: empty if
// there is none, otherwise ": output:" and the indented lines.
func (t *tailBuffer) suffix() string {
	s := strings.TrimSpace(t.String())
	if s == "" {
		return ""
	}
	return "; output:\n\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
