package lambdahttp_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/rosterhq/roster/shared/lambdahttp"
)

func statusHandler(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":"x"}`))
	})
}

func metricEvent() events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: "GET /api/users",
		RawPath:  "/api/users",
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "req-1",
			HTTP:      events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/api/users", SourceIP: "192.0.2.1"},
		},
	}
}

// A 5xx answer is still a successful invocation to Lambda: the adapter counts
// it in Roster/ServerErrors with one Embedded Metric Format line, so that the
// failure alarms; other answers write nothing.
func TestHandler_ServerErrorMetric(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "roster-ListUsersFunction-abc")
	t.Setenv("ROSTER_STACK", "roster")
	var out bytes.Buffer
	defer lambdahttp.SetMetricsOutput(&out)()

	for _, status := range []int{200, 204, 400, 403, 404, 429} {
		if resp := invoke(t, statusHandler(status), metricEvent()); resp.StatusCode != status {
			t.Fatalf("status %d answered %d", status, resp.StatusCode)
		}
	}
	if out.Len() != 0 {
		t.Fatalf("answers under 500 wrote a metric: %s", out.String())
	}

	for _, status := range []int{500, 503} {
		resp := invoke(t, statusHandler(status), metricEvent())
		if resp.StatusCode != status || resp.Body != `{"error":"x"}` {
			t.Fatalf("status %d answered %d %q: the metric must not change the answer", status, resp.StatusCode, resp.Body)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one metric line per 5xx answer, got %d: %s", len(lines), out.String())
	}
	for i, line := range lines {
		var got struct {
			AWS struct {
				Timestamp         int64
				CloudWatchMetrics []struct {
					Namespace  string
					Dimensions [][]string
					Metrics    []struct{ Name, Unit string }
				}
			} `json:"_aws"`
			Stack, FunctionName, RouteKey, Request, Level string
			ServerErrors                                  float64
			Status                                        int
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, line)
		}
		if got.AWS.Timestamp == 0 || len(got.AWS.CloudWatchMetrics) != 1 {
			t.Fatalf("line %d: no EMF directive: %s", i, line)
		}
		d := got.AWS.CloudWatchMetrics[0]
		if d.Namespace != "Roster" || len(d.Metrics) != 1 || d.Metrics[0].Name != "ServerErrors" || d.Metrics[0].Unit != "Count" {
			t.Errorf("line %d: directive %+v", i, d)
		}
		// Every dimension named must be a member of the line (EMF drops the
		// metric otherwise), and the alarm reads the Stack-only set.
		if len(d.Dimensions) != 2 || strings.Join(d.Dimensions[0], ",") != "Stack" || strings.Join(d.Dimensions[1], ",") != "Stack,FunctionName" {
			t.Errorf("line %d: dimensions %v", i, d.Dimensions)
		}
		if got.Stack != "roster" || got.FunctionName != "roster-ListUsersFunction-abc" || got.ServerErrors != 1 {
			t.Errorf("line %d: members %+v", i, got)
		}
		if got.RouteKey != "GET /api/users" || got.Request != "req-1" || got.Level != "ERROR" || got.Status != []int{500, 503}[i] {
			t.Errorf("line %d: log fields %+v", i, got)
		}
	}
}

// Outside Lambda (no AWS_LAMBDA_FUNCTION_NAME) nothing is written.
func TestHandler_ServerErrorMetric_OnlyInLambda(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "")
	var out bytes.Buffer
	defer lambdahttp.SetMetricsOutput(&out)()
	invoke(t, statusHandler(500), metricEvent())
	if out.Len() != 0 {
		t.Fatalf("wrote outside Lambda: %s", out.String())
	}
}
