// Package s3gate stands in front of moto's S3 for browsers: it checks a
// presigned request's signature and expiry as S3 does, and forwards it to
// moto, which checks neither. The dev server mounts it at the bucket's path
// on its own origin (so the browser needs no CORS and the CSP's 'self'
// covers it), and testenv.Files puts it in front of the tests' bucket.
//
// Only presigned requests (SigV4 in the query string) pass; the server
// itself talks to moto directly. The gateway also applies a GET's
// response-content-disposition and response-content-type overrides, which
// S3 honours and moto ignores.
package s3gate

import (
	"crypto/subtle"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Gateway checks presigned requests and forwards the good ones to Upstream.
type Gateway struct {
	// Credentials are the keys links are signed with (moto's static ones).
	Credentials aws.Credentials
	Region      string
	// Now is the clock expiry is checked against; nil means time.Now.
	Now   func() time.Time
	proxy *httputil.ReverseProxy
}

// New returns a gateway to the S3 API at upstream (moto's base URL).
func New(upstream string, creds aws.Credentials, region string) (*Gateway, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	g := &Gateway{Credentials: creds, Region: region}
	g.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			r.Out.Host = u.Host
		},
		ModifyResponse: func(resp *http.Response) error {
			q := resp.Request.URL.Query()
			if resp.Request.Method != http.MethodGet || resp.StatusCode != http.StatusOK {
				return nil
			}
			for param, header := range responseOverrides {
				if v := q.Get(param); v != "" {
					resp.Header.Set(header, v)
				}
			}
			return nil
		},
	}
	return g, nil
}

// responseOverrides are the query parameters of a GET that set a header of
// its answer in S3.
var responseOverrides = map[string]string{
	"response-content-disposition": "Content-Disposition",
	"response-content-type":        "Content-Type",
}

func (g *Gateway) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// ServeHTTP answers 403 with S3's error code for a request that is not
// presigned, is signed wrongly (another method, path, host, length or type
// than signed), or has expired; it forwards the rest.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if code, msg := g.check(r); code != "" {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>` + msg + `</Message></Error>`))
		return
	}
	g.proxy.ServeHTTP(w, r)
}

func (g *Gateway) check(r *http.Request) (code, msg string) {
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-Signature") == "" {
		return "AccessDenied", "Only presigned requests are accepted here"
	}
	signedAt, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return "AuthorizationQueryParametersError", "X-Amz-Date is not a date"
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires < 1 || expires > 7*24*3600 {
		return "AuthorizationQueryParametersError", "X-Amz-Expires is not between 1 second and 7 days"
	}
	if g.now().After(signedAt.Add(time.Duration(expires) * time.Second)) {
		return "AccessDenied", "Request has expired"
	}
	if !strings.HasPrefix(q.Get("X-Amz-Credential"), g.Credentials.AccessKeyID+"/") {
		return "InvalidAccessKeyId", "The access key does not exist"
	}

	// Sign the request as received, with only the headers it says it
	// signed, and compare.
	signed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	want := q.Get("X-Amz-Signature")
	q.Del("X-Amz-Signature")
	u := *r.URL
	u.Scheme, u.Host, u.RawQuery = "http", r.Host, q.Encode()
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), nil)
	if err != nil {
		return "AccessDenied", "The request cannot be read"
	}
	for _, h := range signed {
		switch h {
		case "host":
		case "content-length":
			req.ContentLength = r.ContentLength
		default:
			for _, v := range r.Header.Values(h) {
				req.Header.Add(h, v)
			}
		}
	}
	if !contains(signed, "content-length") && r.ContentLength > 0 {
		req.ContentLength = 0
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = true
		o.DisableHeaderHoisting = true
	})
	got, _, err := signer.PresignHTTP(r.Context(), g.Credentials, req, "UNSIGNED-PAYLOAD", "s3", g.Region, signedAt)
	if err != nil {
		return "AccessDenied", "The request cannot be signed"
	}
	gu, err := url.Parse(got)
	if err != nil || subtle.ConstantTimeCompare([]byte(gu.Query().Get("X-Amz-Signature")), []byte(want)) != 1 {
		return "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided"
	}
	return "", ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
