package lambdahttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	roster "github.com/rosterhq/roster/shared"
	"github.com/rosterhq/roster/shared/httpapi"
	"github.com/rosterhq/roster/shared/lambdahttp"
)

// seen is what echoHandler saw of a request.
type seen struct {
	Method     string
	Path       string
	RawQuery   string
	Header     http.Header
	Cookies    []string
	Body       string
	RequestID  string
	RemoteAddr string
}

// echoHandler answers with what it saw, as JSON.
func echoHandler(tb testing.TB) http.Handler {
	tb.Helper()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			tb.Errorf("read body: %v", err)
		}
		s := seen{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header, Body: string(body), RequestID: roster.RequestIDFrom(r.Context()), RemoteAddr: r.RemoteAddr}
		for _, c := range r.Cookies() {
			s.Cookies = append(s.Cookies, c.Name+"="+c.Value)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	})
}

func invoke(t *testing.T, h http.Handler, event events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := lambdahttp.Handler(h)(context.Background(), event)
	if err != nil {
		t.Fatalf("Handler: %v", err)
	}
	return resp
}

func TestHandler_Request(t *testing.T) {
	event := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "POST /api/users/{id}",
		RawPath:        "/api/users/u-1",
		RawQueryString: "q=a%2Cb&status=active&status=pending",
		Cookies:        []string{"roster_session=tok", "theme=dark"},
		Headers: map[string]string{
			"accept":          "application/json, text/plain;q=0.9",
			"user-agent":      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
			"if-match":        `"v1,v2"`,
			"x-forwarded-for": "203.0.113.7, 198.51.100.2", // repeated headers arrive joined like this
			"content-type":    "application/json",
		},
		Body: `{"firstName":"Ada"}`,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID:  "Jx1aXgYkIAMEV0w=",
			Stage:      "$default",
			DomainName: "abc123.execute-api.eu-west-1.amazonaws.com",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/api/users/u-1", SourceIP: "203.0.113.7"},
		},
	}
	resp := invoke(t, echoHandler(t), event)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, resp.Body)
	}
	var got seen
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatalf("decode %q: %v", resp.Body, err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"method", got.Method, "POST"},
		{"path", got.Path, "/api/users/u-1"},
		{"raw query", got.RawQuery, "q=a%2Cb&status=active&status=pending"},
		{"body", got.Body, `{"firstName":"Ada"}`},
		{"request id", got.RequestID, "Jx1aXgYkIAMEV0w="},
		{"remote address (sign-in throttling counts per client address)", got.RemoteAddr, "203.0.113.7"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// Each header is one value, exactly as sent: the adapter alone would split
	// these at their commas.
	for name, want := range map[string]string{
		"Accept":          event.Headers["accept"],
		"User-Agent":      event.Headers["user-agent"],
		"If-Match":        event.Headers["if-match"],
		"X-Forwarded-For": event.Headers["x-forwarded-for"],
		"Cookie":          "roster_session=tok; theme=dark",
	} {
		if vs := got.Header.Values(name); len(vs) != 1 || vs[0] != want {
			t.Errorf("header %s = %q, want [%q]", name, vs, want)
		}
	}
	if want := []string{"roster_session=tok", "theme=dark"}; !slices.Equal(got.Cookies, want) {
		t.Errorf("cookies = %q, want %q", got.Cookies, want)
	}
}

func TestHandler_Response(t *testing.T) {
	event := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: "/x",
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/x"}},
	}
	tests := []struct {
		name        string
		handler     http.HandlerFunc
		wantStatus  int
		wantHeaders map[string]string
		wantCookies []string
		wantBody    string
	}{
		{
			name: "several cookies and a repeated header",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "a", Value: "1", Path: "/api", HttpOnly: true})
				http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
				w.Header().Add("Vary", "Cookie")
				w.Header().Add("Vary", "Accept")
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, "made")
			},
			wantStatus:  http.StatusCreated,
			wantHeaders: map[string]string{"Vary": "Cookie,Accept"},
			wantCookies: []string{"a=1; Path=/api; HttpOnly", "b=2"},
			wantBody:    "made",
		},
		{
			name: "first status wins and later headers are dropped",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNoContent)
				w.WriteHeader(http.StatusInternalServerError)
				w.Header().Set("X-Late", "1")
			},
			wantStatus:  http.StatusNoContent,
			wantHeaders: map[string]string{"X-Late": ""},
		},
		{
			name:       "nothing written is 200",
			handler:    func(w http.ResponseWriter, r *http.Request) {},
			wantStatus: http.StatusOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := invoke(t, tt.handler, event)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			for k, want := range tt.wantHeaders {
				if got := resp.Headers[k]; got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if !slices.Equal(resp.Cookies, tt.wantCookies) {
				t.Errorf("cookies = %q, want %q", resp.Cookies, tt.wantCookies)
			}
			if resp.Body != tt.wantBody {
				t.Errorf("body = %q, want %q", resp.Body, tt.wantBody)
			}
		})
	}
}

func TestHandler_Base64Body(t *testing.T) {
	event := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: "/x", Body: "eyJhIjoxfQ==", IsBase64Encoded: true,
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/x"}},
	}
	var got seen
	if err := json.Unmarshal([]byte(invoke(t, echoHandler(t), event).Body), &got); err != nil {
		t.Fatal(err)
	}
	if want := `{"a":1}`; got.Body != want {
		t.Errorf("body = %q, want %q", got.Body, want)
	}
	if got.RequestID != "" {
		t.Errorf("request id = %q, want none for an event without one", got.RequestID)
	}
}

// TestHandler_ClientAddressBehindCloudFront sends API Gateway v2 events as
// they arrive through CloudFront: sourceIp is the edge's address, and the
// viewer's is in CloudFront-Viewer-Address next to the origin secret.
func TestHandler_ClientAddressBehindCloudFront(t *testing.T) {
	const secret = "Zq8m2LkP0x7Vb4Nc9Rt1Wy6Ha3Jd5Gf8Ue2Is0Op7Aa4Bb1C"
	api := &httpapi.API{OriginSecret: secret}
	address := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, api.ClientAddress(r))
	})
	event := func(headers map[string]string) events.APIGatewayV2HTTPRequest {
		return events.APIGatewayV2HTTPRequest{
			Version: "2.0", RouteKey: "POST /api/auth/login", RawPath: "/api/auth/login", Headers: headers,
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				RequestID: "Jx1aXgYkIAMEV0w=", Stage: "$default",
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/api/auth/login", SourceIP: "130.176.98.12"},
			},
		}
	}
	tests := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"IPv4 viewer", map[string]string{"cloudfront-viewer-address": "203.0.113.7:46532", "x-roster-origin-secret": secret, "x-forwarded-for": "203.0.113.7, 130.176.98.12"}, "203.0.113.7"},
		{"IPv6 viewer", map[string]string{"cloudfront-viewer-address": "2001:db8:85a3::8a2e:370:7334:46532", "x-roster-origin-secret": secret}, "2001:db8:85a3::8a2e:370:7334"},
		{"wrong secret: sourceIp", map[string]string{"cloudfront-viewer-address": "203.0.113.7:46532", "x-roster-origin-secret": "not the secret"}, "130.176.98.12"},
		{"no secret: sourceIp", map[string]string{"cloudfront-viewer-address": "203.0.113.7:46532"}, "130.176.98.12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := invoke(t, address, event(tt.headers))
			if resp.Body != tt.want {
				t.Errorf("client address = %q, want %q", resp.Body, tt.want)
			}
		})
	}
}
