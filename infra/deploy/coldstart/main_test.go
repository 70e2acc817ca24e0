package main

import "testing"

func TestInitDuration(t *testing.T) {
	log := "07 Dec 2026 23:34:39,860 [INFO] (rapid) INIT START(type: on-demand, phase: init)\n" +
		"07 Dec 2026 23:34:39,868 [INFO] (rapid) INIT RTDONE(status: success)\n" +
		"07 Dec 2026 23:34:39,868 [INFO] (rapid) INIT REPORT(durationMs: 8.243000)\n" +
		"REPORT RequestId: f6cc\tInit Duration: 0.02 ms\tDuration: 9.84 ms\tBilled Duration: 10 ms\n"
	if ms, ok := initDuration(log); !ok || ms != 8.243 {
		t.Errorf("initDuration = %v, %v; want 8.243, true", ms, ok)
	}
	if _, ok := initDuration("REPORT RequestId: 2\tInit Duration: 0.02 ms\tDuration: 3.10 ms\t\n"); ok {
		t.Error("initDuration read the REPORT line, want the INIT REPORT line only")
	}
	if m := median([]float64{5, 1, 3, 2}); m != 2.5 {
		t.Errorf("median = %v, want 2.5", m)
	}
}
