package childproc

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// shell starts sh -c script as a Process and stops it when the test ends.
func shell(t *testing.T, script string) *Process {
	t.Helper()
	p, err := Start("test child", exec.Command("sh", "-c", script), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	return p
}

func TestStart(t *testing.T) {
	t.Run("missing program", func(t *testing.T) {
		_, err := Start("nothing", exec.Command("/nonexistent/program"), nil)
		if err == nil {
			t.Fatal("Start succeeded")
		}
	})
	t.Run("output goes to out and is kept", func(t *testing.T) {
		var out strings.Builder
		p, err := Start("echo", exec.Command("sh", "-c", "echo hello"), &out)
		if err != nil {
			t.Fatal(err)
		}
		<-p.done
		if got := out.String(); got != "hello\n" {
			t.Errorf("out = %q, want %q", got, "hello\n")
		}
		if got := p.tail.String(); got != "hello\n" {
			t.Errorf("tail = %q, want %q", got, "hello\n")
		}
	})
}

func TestProcess_Stop(t *testing.T) {
	t.Run("stops a running process", func(t *testing.T) {
		p := shell(t, "sleep 60")
		begin := time.Now()
		if err := p.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if d := time.Since(begin); d >= stopGrace {
			t.Errorf("Stop took %v: SIGTERM was not enough", d)
		}
		if !p.exited() {
			t.Error("process still running after Stop")
		}
		if err := p.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
	})
	t.Run("reports a process that died on its own", func(t *testing.T) {
		p := shell(t, "echo last words; sleep 60")
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(p.tail.String(), "last words") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if err := kill(p.cmd.Process); err != nil {
			t.Fatal(err)
		}
		<-p.done
		err := p.Stop()
		if err == nil || !strings.Contains(err.Error(), "test child exited unexpectedly") || !strings.Contains(err.Error(), "; output:\n\tlast words") {
			t.Errorf("Stop = %v, want an unexpected-exit error with the output", err)
		}
		if again := p.Stop(); again != err {
			t.Errorf("second Stop = %v, want the first result %v", again, err)
		}
	})
}

func TestProcess_WaitReady(t *testing.T) {
	t.Run("returns once the probe succeeds", func(t *testing.T) {
		p := shell(t, "sleep 60")
		var calls atomic.Int32
		err := p.WaitReady(t.Context(), 1234, func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				t.Error("probe has no deadline")
			}
			if calls.Add(1) < 3 {
				return errors.New("not yet")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := calls.Load(); n != 3 {
			t.Errorf("probe called %d times, want 3", n)
		}
		if p.exited() {
			t.Error("process stopped although it was ready")
		}
	})
	t.Run("process exits", func(t *testing.T) {
		p := shell(t, "echo crashed; exit 3")
		err := p.WaitReady(t.Context(), 1234, func(context.Context) error { return errors.New("no") })
		if err == nil || !strings.Contains(err.Error(), "exited unexpectedly (exit status 3); output:\n\tcrashed") {
			t.Errorf("err = %v, want an unexpected-exit error with the output", err)
		}
	})
	t.Run("port in use, process exits", func(t *testing.T) {
		p := shell(t, "echo Address already in use; exit 1")
		err := p.WaitReady(t.Context(), 1234, func(context.Context) error { return errors.New("no") }, "already in use")
		if !errors.Is(err, ErrPortInUse) || !strings.HasPrefix(err.Error(), "port 1234: port already in use; output:") {
			t.Errorf("err = %v, want a port-in-use error naming 1234", err)
		}
	})
	t.Run("port in use, process keeps running", func(t *testing.T) {
		p := shell(t, "echo java.net.BindException; sleep 60")
		err := p.WaitReady(t.Context(), 1234, func(context.Context) error { return errors.New("no") }, "Failed to bind", "BindException")
		if !errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), "1234") {
			t.Errorf("err = %v, want a port-in-use error naming 1234", err)
		}
		if !p.exited() {
			t.Error("process still running")
		}
	})
	t.Run("context done", func(t *testing.T) {
		p := shell(t, "sleep 60")
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		err := p.WaitReady(ctx, 1234, func(context.Context) error { return errors.New("refused") })
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "not ready on port 1234") || !strings.Contains(err.Error(), "last probe: refused") {
			t.Errorf("err = %v, want a not-ready error with the last probe", err)
		}
		if !p.exited() {
			t.Error("process still running")
		}
	})
}

func TestStartOnPort(t *testing.T) {
	inUse := func(port int) error { return errors.Join(errors.New("port "+strconv.Itoa(port)), ErrPortInUse) }
	t.Run("zero picks free ports and retries while taken", func(t *testing.T) {
		var ports []int
		got, err := StartOnPort(0, func(port int) (string, error) {
			ports = append(ports, port)
			if len(ports) < 3 {
				return "", inUse(port)
			}
			return "up", nil
		})
		if err != nil || got != "up" {
			t.Fatalf("StartOnPort = %q, %v; want up", got, err)
		}
		for _, p := range ports {
			if p <= 0 {
				t.Errorf("ports = %v, want free ports", ports)
			}
		}
	})
	t.Run("zero gives up after three ports", func(t *testing.T) {
		calls := 0
		_, err := StartOnPort(0, func(port int) (int, error) { calls++; return 0, inUse(port) })
		if !errors.Is(err, ErrPortInUse) || calls != 3 {
			t.Errorf("err = %v after %d calls, want ErrPortInUse after 3", err, calls)
		}
	})
	t.Run("a chosen port is tried once", func(t *testing.T) {
		calls := 0
		_, err := StartOnPort(4321, func(port int) (int, error) {
			calls++
			if port != 4321 {
				t.Errorf("port = %d, want 4321", port)
			}
			return 0, inUse(port)
		})
		if !errors.Is(err, ErrPortInUse) || calls != 1 {
			t.Errorf("err = %v after %d calls, want ErrPortInUse after 1", err, calls)
		}
	})
	t.Run("other errors are not retried", func(t *testing.T) {
		calls := 0
		boom := errors.New("boom")
		_, err := StartOnPort(0, func(int) (int, error) { calls++; return 0, boom })
		if err != boom || calls != 1 {
			t.Errorf("err = %v after %d calls, want boom after 1", err, calls)
		}
	})
}

func TestTailBuffer_Write(t *testing.T) {
	t.Run("keeps the last bytes", func(t *testing.T) {
		b := &tailBuffer{max: 4}
		_, _ = b.Write([]byte("abc"))
		_, _ = b.Write([]byte("defg"))
		if got := b.String(); got != "defg" {
			t.Errorf("String() = %q, want %q", got, "defg")
		}
	})
	t.Run("suffix is empty without output", func(t *testing.T) {
		if got := (&tailBuffer{max: 4}).suffix(); got != "" {
			t.Errorf("suffix() = %q, want empty", got)
		}
	})
}

func TestOutputSuffix(t *testing.T) {
	for _, tc := range []struct {
		out  string
		max  int
		want string
	}{
		{"", 10, ""},
		{" \n\t", 10, ""},
		{"one\ntwo\n", 100, "; output:\n\tone\n\ttwo"},
		{"dropped\nkept", 4, "; output:\n\tkept"},
	} {
		if got := OutputSuffix([]byte(tc.out), tc.max); got != tc.want {
			t.Errorf("OutputSuffix(%q, %d) = %q, want %q", tc.out, tc.max, got, tc.want)
		}
	}
}
