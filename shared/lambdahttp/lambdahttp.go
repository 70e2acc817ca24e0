// Package lambdahttp serves an http.Handler as an AWS Lambda function behind
// an API Gateway HTTP API (payload format 2.0).
//
// This is the one file that touches github.com/awslabs/aws-lambda-go-api-proxy,
// so that the adapter can be swapped without touching any handler. The adapter
// (v0.16.2) builds the URL, body, method and context of the request and turns
// the response back into an event, multi-value Set-Cookie included. Its header
// conversion is not used: it splits every header value that is not on its
// short list of singletons at each comma, so "Accept: a, b" reaches the
// handler as two values and "If-Match: \"x,y\"" as two broken ones, and it
// sends each cookie as a Cookie header of its own. Handler rebuilds the
// headers from the event instead, the way net/http reads them off the wire.
package lambdahttp

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	roster "github.com/rosterhq/roster/shared"
)

// Start serves h as the Lambda function of this process. It does not return:
// lambda.Start runs the invocation loop until the process ends, and outside
// Lambda (no runtime API in the environment) it logs why and exits.
func Start(h http.Handler) {
	lambda.Start(Handler(h))
}

// Handler returns the Lambda handler serving h for API Gateway HTTP API
// events. The request h sees carries the event's headers as sent (a value
// holding commas stays one value; repeated headers arrive joined by commas,
// as API Gateway delivers them), the event's cookies in one Cookie header,
// API Gateway's sourceIp as its RemoteAddr (the adapter sets it), and
// API Gateway's request id in its context (roster.RequestIDFrom). A response
// with no status and no body answers 200, as net/http does. The error is
// non-nil only when the event cannot be made into a request, which API
// Gateway answers with a 500. An answer of 500 or more is counted in the
// metric Roster/ServerErrors (metrics.go), so that an application failure
// alarms like a function error.
func Handler(h http.Handler) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return func(ctx context.Context, event events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		// A new adapter per event, cheap (one struct), because the handler
		// it wraps carries this event's headers.
		header := requestHeader(event)
		inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header = header
			if gw, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok && gw.RequestID != "" {
				r = r.WithContext(roster.WithRequestID(r.Context(), gw.RequestID))
			}
			rw := &responseWriter{inner: w, header: http.Header{}}
			h.ServeHTTP(rw, r)
			rw.writeHeader(http.StatusOK)
		})
		resp, err := httpadapter.NewV2(inner).ProxyWithContext(ctx, event)
		if err != nil {
			return resp, fmt.Errorf("lambdahttp: %s %s: %w", event.RequestContext.HTTP.Method, event.RawPath, err)
		}
		emitServerError(event, resp.StatusCode)
		return resp, nil
	}
}

// requestHeader returns the event's headers as net/http would read them: one
// canonical key per header, its value as sent. HTTP API events carry cookies
// apart from the headers; a browser sends them as one Cookie header.
func requestHeader(event events.APIGatewayV2HTTPRequest) http.Header {
	h := make(http.Header, len(event.Headers)+1)
	for k, v := range event.Headers {
		h.Add(k, v)
	}
	if len(event.Cookies) > 0 {
		h.Set("Cookie", strings.Join(event.Cookies, "; "))
	}
	return h
}

// responseWriter gives the adapter's writer net/http's semantics: the first
// status wins, headers changed after it are not sent, and a handler that
// writes nothing answers 200 (the adapter would fail with "status code not
// set" and API Gateway would answer 500).
type responseWriter struct {
	inner       http.ResponseWriter
	header      http.Header
	wroteHeader bool
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(status int) { w.writeHeader(status) }

func (w *responseWriter) Write(b []byte) (int, error) {
	w.writeHeader(http.StatusOK)
	return w.inner.Write(b)
}

// writeHeader sends the status and the headers set so far, once.
func (w *responseWriter) writeHeader(status int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	dst := w.inner.Header()
	for k, vs := range w.header {
		dst[k] = append([]string(nil), vs...)
	}
	w.inner.WriteHeader(status)
}
