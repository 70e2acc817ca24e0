//go:build !linux

package childproc

import (
	"os"
	"os/exec"
)

// configureCmd leaves the child in this process's process group, so that
// Ctrl-C in a terminal reaches it too. Outside Linux there is no
// parent-death signal: a child of a process killed with SIGKILL keeps running.
func configureCmd(*exec.Cmd) {}

// terminate asks the child to exit (SIGINT where signals exist; on Windows,
// which cannot deliver it, the child is killed).
func terminate(p *os.Process) error {
	if err := p.Signal(os.Interrupt); err != nil {
		return p.Kill()
	}
	return nil
}

// kill kills the child.
func kill(p *os.Process) error { return p.Kill() }
