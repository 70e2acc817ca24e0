package bench

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// envSize is the positive number in the environment variable name, or
// fallback: how a benchmark's size is changed from the command line.
func envSize(name string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return fallback
}

// heapWatch samples the Go heap every few milliseconds and keeps the
// highest in-use and obtained-from-the-OS figures.
type heapWatch struct {
	stop chan struct{}
	done sync.WaitGroup

	mu                 sync.Mutex
	peakInuse, peakSys uint64
}

func watchHeap() *heapWatch {
	w := &heapWatch{stop: make(chan struct{})}
	w.sample()
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				w.sample()
			}
		}
	}()
	return w
}

func (w *heapWatch) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.peakInuse = max(w.peakInuse, m.HeapInuse)
	w.peakSys = max(w.peakSys, m.Sys)
}

func (w *heapWatch) end() (peakInuse, peakSys uint64) {
	close(w.stop)
	w.done.Wait()
	w.sample()
	return w.peakInuse, w.peakSys
}
