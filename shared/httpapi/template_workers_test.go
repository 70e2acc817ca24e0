package httpapi_test

import (
	"slices"
	"testing"
)

// TestTemplate_OriginSecretOnlyInHTTPFunctions checks that the origin
// secret reaches only the functions that serve HTTP: every function of the
// route table inherits it from Globals, and the stream and scheduled
// workers, which answer no request, set it empty.
func TestTemplate_OriginSecretOnlyInHTTPFunctions(t *testing.T) {
	res := get(parseTemplate(t, readTemplate(t)), "Resources")
	var workers []string
	for id := range streamFunctions {
		workers = append(workers, id)
	}
	for id := range scheduledFunctions {
		workers = append(workers, id)
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, r := res.Content[i].Value, res.Content[i+1]
		if scalar(get(r, "Type")) != "AWS::Serverless::Function" {
			continue
		}
		secret := path(r, "Properties", "Environment", "Variables", "ORIGIN_SECRET")
		switch {
		case slices.Contains(workers, id) && (secret == nil || scalar(secret) != "" || secret.Tag != "!!str"):
			t.Errorf("%s: ORIGIN_SECRET is not set empty: it serves no HTTP request", id)
		case !slices.Contains(workers, id) && secret != nil:
			t.Errorf("%s: ORIGIN_SECRET is set: an HTTP function takes the Globals' secret", id)
		}
	}
}
