package devserver

import (
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// child returns the value of key in the mapping node n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func at(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = child(n, k)
	}
	return n
}

// templateHeaders returns the headers SiteResponseHeadersPolicy in
// template.yaml makes CloudFront send, as a browser receives them, and
// fails when a header does not override the origin's.
func templateHeaders(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	cfg := at(doc.Content[0], "Resources", "SiteResponseHeadersPolicy", "Properties", "ResponseHeadersPolicyConfig")
	if cfg == nil {
		t.Fatal("template.yaml has no SiteResponseHeadersPolicy")
	}
	got := map[string]string{}
	sec := child(cfg, "SecurityHeadersConfig")
	overrides := func(name string, n *yaml.Node) {
		if v := child(n, "Override"); v == nil || v.Value != "true" {
			t.Errorf("%s does not override the origin's header", name)
		}
	}
	for i := 0; sec != nil && i+1 < len(sec.Content); i += 2 {
		name, n := sec.Content[i].Value, sec.Content[i+1]
		overrides(name, n)
		switch name {
		case "ContentSecurityPolicy":
			got["Content-Security-Policy"] = child(n, "ContentSecurityPolicy").Value
		case "ContentTypeOptions":
			got["X-Content-Type-Options"] = "nosniff"
		case "FrameOptions":
			got["X-Frame-Options"] = child(n, "FrameOption").Value
		case "ReferrerPolicy":
			got["Referrer-Policy"] = child(n, "ReferrerPolicy").Value
		case "StrictTransportSecurity":
			v := "max-age=" + child(n, "AccessControlMaxAgeSec").Value
			if b, _ := strconv.ParseBool(child(n, "IncludeSubdomains").Value); b {
				v += "; includeSubDomains"
			}
			if b, _ := strconv.ParseBool(child(n, "Preload").Value); b {
				v += "; preload"
			}
			got["Strict-Transport-Security"] = v
		default:
			t.Errorf("SecurityHeadersConfig.%s: this test does not know the header it sends", name)
		}
	}
	for _, it := range at(cfg, "CustomHeadersConfig", "Items").Content {
		overrides(child(it, "Header").Value, it)
		got[child(it, "Header").Value] = child(it, "Value").Value
	}
	// Both the site's and the API's behaviours send them.
	dist := at(doc.Content[0], "Resources", "SiteDistribution", "Properties", "DistributionConfig")
	behaviours := append([]*yaml.Node{child(dist, "DefaultCacheBehavior")}, child(dist, "CacheBehaviors").Content...)
	for _, b := range behaviours {
		if p := child(b, "ResponseHeadersPolicyId"); p == nil || p.Tag != "!Ref" || p.Value != "SiteResponseHeadersPolicy" {
			t.Errorf("a cache behaviour does not use SiteResponseHeadersPolicy: %v", p)
		}
	}
	return got
}

func TestSecurityHeaders_SameAsCloudFront(t *testing.T) {
	if want := templateHeaders(t); !maps.Equal(securityHeaders, want) {
		t.Errorf("dev server headers %q\nCloudFront's in template.yaml %q", securityHeaders, want)
	}
}

func TestServer_SendsSecurityHeaders(t *testing.T) {
	web := t.TempDir()
	if err := os.WriteFile(filepath.Join(web, "index.html"), []byte("<html><head></head><body></body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	srv := httptest.NewServer(newServer(api, web, "", nil, slog.New(slog.NewTextHandler(io.Discard, nil)), filesRoute{origin: "http://127.0.0.1:1"}))
	defer srv.Close()
	want := serverHeaders("http://127.0.0.1:1")
	if !strings.Contains(want["Content-Security-Policy"], "connect-src 'self' http://127.0.0.1:1;") {
		t.Errorf("the policy does not let the front end reach the files bucket: %q", want["Content-Security-Policy"])
	}
	for _, path := range []string{"/", "/users", "/api/me", "/no-such-file.js"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
	if securityHeaders["Content-Security-Policy"] == "" || securityHeaders["X-Frame-Options"] != "DENY" {
		t.Errorf("the policy lost its CSP or framing refusal: %q", securityHeaders)
	}
}
