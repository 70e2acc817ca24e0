package httpapi_test

import (
	"net/http/httptest"
	"testing"

	"github.com/rosterhq/roster/shared/httpapi"
)

// edgeAddress is a CloudFront edge server as API Gateway sees it: the
// RemoteAddr the Lambda adapter gives every request through CloudFront.
const edgeAddress = "130.176.98.12:0"

const originSecret = "Zq8m2LkP0x7Vb4Nc9Rt1Wy6Ha3Jd5Gf8Ue2Is0Op7Aa4Bb1C"

func TestAPI_ClientAddress(t *testing.T) {
	tests := []struct {
		name       string
		configured string // the deployment's ORIGIN_SECRET
		secret     string // the request's X-Roster-Origin-Secret, "" for none
		viewer     string // the request's CloudFront-Viewer-Address, "" for none
		remote     string
		want       string
	}{
		{"IPv4 viewer, port stripped", originSecret, originSecret, "203.0.113.7:46532", edgeAddress, "203.0.113.7"},
		{"IPv6 viewer, as CloudFront writes it", originSecret, originSecret, "2001:db8:85a3::8a2e:370:7334:46532", edgeAddress, "2001:db8:85a3::8a2e:370:7334"},
		{"IPv6 viewer in brackets", originSecret, originSecret, "[2001:db8::1]:443", edgeAddress, "2001:db8::1"},
		{"IPv4-mapped IPv6 viewer counts as IPv4", originSecret, originSecret, "::ffff:203.0.113.7:1234", edgeAddress, "203.0.113.7"},
		{"wrong secret: the header is not believed", originSecret, originSecret[:len(originSecret)-1] + "X", "203.0.113.7:46532", edgeAddress, "130.176.98.12"},
		{"secret one character short", originSecret, originSecret[:len(originSecret)-1], "203.0.113.7:46532", edgeAddress, "130.176.98.12"},
		{"no secret: the header is not believed", originSecret, "", "203.0.113.7:46532", edgeAddress, "130.176.98.12"},
		{"no secret configured (dev server): the header is not believed", "", "", "203.0.113.7:46532", "127.0.0.1:53122", "127.0.0.1"},
		{"no secret configured, even with one sent", "", originSecret, "203.0.113.7:46532", "127.0.0.1:53122", "127.0.0.1"},
		{"secret but no viewer address", originSecret, originSecret, "", edgeAddress, "130.176.98.12"},
		{"viewer address without a port", originSecret, originSecret, "203.0.113.7", edgeAddress, "130.176.98.12"},
		{"viewer address with a bad port", originSecret, originSecret, "203.0.113.7:70000", edgeAddress, "130.176.98.12"},
		{"viewer address that is not an IP", originSecret, originSecret, "roster.example:443", edgeAddress, "130.176.98.12"},
		{"IPv6 remote address on the dev server", "", "", "", "[::1]:53122", "::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &httpapi.API{OriginSecret: tt.configured}
			r := httptest.NewRequest("POST", "/api/auth/login", nil)
			r.RemoteAddr = tt.remote
			if tt.secret != "" {
				r.Header.Set(httpapi.OriginSecretHeader, tt.secret)
			}
			if tt.viewer != "" {
				r.Header.Set(httpapi.ViewerAddressHeader, tt.viewer)
			}
			if got := api.ClientAddress(r); got != tt.want {
				t.Errorf("ClientAddress = %q, want %q", got, tt.want)
			}
		})
	}
}
