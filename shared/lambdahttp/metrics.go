package lambdahttp

import (
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// An answer of 500 or more is an application failure, but to Lambda it is a
// successful invocation (the function answered), so AWS/Lambda's Errors
// metric never counts it. The adapter therefore writes one log line in
// CloudWatch's Embedded Metric Format for each such answer: CloudWatch Logs
// turns it into the metric Roster/ServerErrors, by stack and by stack and
// function, which template.yaml's FunctionErrorsAlarm adds to Lambda's own
// Errors (README, Deploying: Logs, alarms, dashboard). The line is also an ordinary JSON log entry:
// it names the route, the status and API Gateway's request id.

// MetricsNamespace is the CloudWatch namespace of the adapter's metric.
const MetricsNamespace = "Roster"

// ServerErrorsMetric is the metric counting answers with a 5xx status.
const ServerErrorsMetric = "ServerErrors"

// metricsOut is where the metric lines go: stdout, which Lambda sends to the
// function's log group. Tests swap it.
var (
	metricsMu  sync.Mutex
	metricsOut io.Writer = os.Stdout
)

// emitServerError writes the metric line for resp when its status is 500 or
// more and the process runs as a Lambda function (AWS_LAMBDA_FUNCTION_NAME
// is set, by Lambda or the emulator); elsewhere (the dev server's tests of
// the adapter) it writes nothing.
func emitServerError(event events.APIGatewayV2HTTPRequest, status int) {
	if status < 500 {
		return
	}
	function := os.Getenv("AWS_LAMBDA_FUNCTION_NAME")
	if function == "" {
		return
	}
	stack := os.Getenv("ROSTER_STACK")
	if stack == "" {
		stack = "unknown"
	}
	line := map[string]any{
		"_aws": map[string]any{
			"Timestamp": time.Now().UnixMilli(),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  MetricsNamespace,
				"Dimensions": [][]string{{"Stack"}, {"Stack", "FunctionName"}},
				"Metrics":    []any{map[string]string{"Name": ServerErrorsMetric, "Unit": "Count"}},
			}},
		},
		"Stack":            stack,
		"FunctionName":     function,
		ServerErrorsMetric: 1,
		"level":            "ERROR",
		"msg":              "server error answered",
		"status":           status,
		"routeKey":         event.RouteKey,
		"request":          event.RequestContext.RequestID,
	}
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	metricsMu.Lock()
	defer metricsMu.Unlock()
	_, _ = metricsOut.Write(append(b, '\n'))
}
