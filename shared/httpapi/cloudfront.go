package httpapi

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// Behind CloudFront, API Gateway's sourceIp (the request's RemoteAddr in
// Lambda) is the address of a CloudFront edge server, shared by everyone that
// edge serves. CloudFront names the viewer in CloudFront-Viewer-Address when
// the origin request policy asks for it, and adds OriginSecretHeader, carrying
// the deployment's secret, to every request it sends the API. Anyone may send
// either header to the API's execute-api address, so the viewer address is
// believed only next to the secret.
const (
	// OriginSecretHeader carries the secret CloudFront adds to every request
	// it sends the API (the distribution's OriginCustomHeaders). CloudFront
	// replaces a viewer's header of that name with its own.
	OriginSecretHeader = "X-Roster-Origin-Secret"
	// ViewerAddressHeader is CloudFront's "IP:port" of the viewer, IPv6
	// without brackets (2001:db8::1:46532).
	ViewerAddressHeader = "CloudFront-Viewer-Address"
)

// ForwardedHeaders are the request headers the API reads, and so the only
// viewer headers CloudFront sends it, with CloudFront-Viewer-Address
// (template.yaml's ApiOriginRequestPolicy; a test keeps the two equal).
// Cookies and query strings all go through. A handler that starts reading
// another header adds it here, or it will be missing behind CloudFront.
var ForwardedHeaders = []string{
	"Content-Type",   // decodeJSON
	"Origin",         // cross-origin protection
	"Sec-Fetch-Site", // cross-origin protection
	ViewerAddressHeader,
}

// throughCloudFront reports whether r carries the deployment's origin secret,
// compared in constant time. Without a configured secret (the dev server,
// tests), nothing comes through CloudFront.
func (a *API) throughCloudFront(r *http.Request) bool {
	if a.OriginSecret == "" {
		return false
	}
	got := r.Header.Get(OriginSecretHeader)
	return subtle.ConstantTimeCompare([]byte(got), []byte(a.OriginSecret)) == 1
}

// refusesDirectCalls reports whether r must be refused because it did not
// come through CloudFront: only when the deployment has an origin secret.
func (a *API) refusesDirectCalls(r *http.Request) bool {
	return a.OriginSecret != "" && !a.throughCloudFront(r)
}

// directCallRefused is what a request that bypassed CloudFront reads.
const directCallRefused = "this API answers only at Roster's own address"

// ClientAddress is the caller's IP address, which sign-in, password-reset
// and registration attempts are counted against: CloudFront's viewer
// address when the request carries the origin secret and a well-formed
// CloudFront-Viewer-Address, else the connection's peer (API Gateway's
// sourceIp in Lambda, the browser on the dev server).
func (a *API) ClientAddress(r *http.Request) string {
	if a.throughCloudFront(r) {
		if addr, ok := viewerAddress(r.Header.Get(ViewerAddressHeader)); ok {
			return addr
		}
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// viewerAddress returns the IP of a CloudFront-Viewer-Address value, the
// port after its last colon stripped, in canonical form (an IPv4-mapped IPv6
// address as IPv4), so that one viewer always counts under one key.
func viewerAddress(v string) (string, bool) {
	v = strings.TrimSpace(v)
	i := strings.LastIndexByte(v, ':')
	if i < 0 {
		return "", false
	}
	host, port := v[:i], v[i+1:]
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return "", false
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Zone() != "" {
		return "", false
	}
	return ip.Unmap().String(), true
}
