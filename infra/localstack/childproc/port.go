package childproc

import (
	"errors"
	"fmt"
	"net"
)

// ErrPortInUse is wrapped by the errors of WaitReady, and so of StartOnPort,
// when the server could not listen because its port was taken.
var ErrPortInUse = errors.New("port already in use")

// portAttempts is how many free ports StartOnPort tries.
const portAttempts = 3

// StartOnPort calls start with port and returns its result. If port is zero
// it picks a TCP port that is free on the loopback interface instead, and
// if start then fails with an error that wraps ErrPortInUse (another process
// took the port between the pick and the server's bind) it tries again with
// another free port, three ports in all. A port the caller chose is tried
// once.
func StartOnPort[T any](port int, start func(port int) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		p := port
		if p == 0 {
			var err error
			if p, err = freePort(); err != nil {
				var zero T
				return zero, err
			}
		}
		v, err := start(p)
		if errors.Is(err, ErrPortInUse) && port == 0 && attempt < portAttempts {
			continue
		}
		return v, err
	}
}

// freePort returns a TCP port that is free on the loopback interface now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
