package httpapi_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rosterhq/roster/shared/httpapi"
)

// TestTemplate_CloudFrontSendsWhatTheAPIReads checks the template's side of
// the client address: the API's behaviour forwards exactly ForwardedHeaders,
// every header the package's code reads by name is among them, and the
// distribution and the functions get the same generated origin secret.
func TestTemplate_CloudFrontSendsWhatTheAPIReads(t *testing.T) {
	res := get(parseTemplate(t, readTemplate(t)), "Resources")

	headers := path(res, "ApiOriginRequestPolicy", "Properties", "OriginRequestPolicyConfig", "HeadersConfig")
	if got := scalar(get(headers, "HeaderBehavior")); got != "whitelist" {
		t.Errorf("ApiOriginRequestPolicy HeaderBehavior = %q, want whitelist", got)
	}
	var forwarded []string
	if list := get(headers, "Headers"); list != nil {
		for _, h := range list.Content {
			forwarded = append(forwarded, strings.ToLower(scalar(h)))
		}
	}
	var want []string
	for _, h := range httpapi.ForwardedHeaders {
		want = append(want, strings.ToLower(h))
	}
	slices.Sort(forwarded)
	slices.Sort(want)
	if !slices.Equal(forwarded, want) {
		t.Errorf("ApiOriginRequestPolicy forwards %q, want httpapi.ForwardedHeaders %q", forwarded, want)
	}

	read := regexp.MustCompile(`Header\.(?:Get|Values)\("([^"]+)"\)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(want, strings.ToLower(m[1])) {
				t.Errorf("%s reads the %s header, which CloudFront does not send: add it to httpapi.ForwardedHeaders and the template", f, m[1])
			}
		}
	}

	var apiBehaviour, apiOrigin bool
	config := path(res, "SiteDistribution", "Properties", "DistributionConfig")
	for _, b := range get(config, "CacheBehaviors").Content {
		if scalar(get(b, "PathPattern")) != "/api/*" {
			continue
		}
		apiBehaviour = true
		if ref, _ := intrinsic(get(b, "OriginRequestPolicyId"), "Ref"); ref != "ApiOriginRequestPolicy" {
			t.Errorf("/api/* OriginRequestPolicyId is not !Ref ApiOriginRequestPolicy")
		}
	}
	const secretRef = "{{resolve:secretsmanager:${OriginSecret}:SecretString}}"
	for _, o := range get(config, "Origins").Content {
		if scalar(get(o, "Id")) != "api" {
			continue
		}
		apiOrigin = true
		custom := get(o, "OriginCustomHeaders")
		if custom == nil || len(custom.Content) != 1 {
			t.Fatalf("the api origin has no single OriginCustomHeaders entry")
		}
		h := custom.Content[0]
		if got := scalar(get(h, "HeaderName")); got != httpapi.OriginSecretHeader {
			t.Errorf("origin custom header = %q, want %q", got, httpapi.OriginSecretHeader)
		}
		if got, _ := intrinsic(get(h, "HeaderValue"), "Fn::Sub"); got != secretRef {
			t.Errorf("origin custom header value = %q, want !Sub %q", got, secretRef)
		}
	}
	if !apiBehaviour || !apiOrigin {
		t.Errorf("the distribution has no /api/* behaviour (%v) or no api origin (%v)", apiBehaviour, apiOrigin)
	}
	env := path(get(parseTemplate(t, readTemplate(t)), "Globals"), "Function", "Environment", "Variables")
	if got, _ := intrinsic(get(env, "ORIGIN_SECRET"), "Fn::Sub"); got != secretRef {
		t.Errorf("Globals ORIGIN_SECRET = %q, want !Sub %q", got, secretRef)
	}
	if got := scalar(path(res, "OriginSecret", "Type")); got != "AWS::SecretsManager::Secret" {
		t.Errorf("OriginSecret is a %q, want a generated AWS::SecretsManager::Secret", got)
	}
}
