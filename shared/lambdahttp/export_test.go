package lambdahttp

import "io"

// SetMetricsOutput sends the metric lines to w until the returned function
// restores stdout.
func SetMetricsOutput(w io.Writer) (restore func()) {
	metricsMu.Lock()
	old := metricsOut
	metricsOut = w
	metricsMu.Unlock()
	return func() {
		metricsMu.Lock()
		metricsOut = old
		metricsMu.Unlock()
	}
}
