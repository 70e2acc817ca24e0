package iamcheck

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/rosterhq/roster/infra/deploy/tabledef"
)

// Check returns one line for each recorded call that the function's policy
// does not allow, and for each function with calls but no policy:
// "update-user performed dynamodb:ConditionCheckItem on the table, which its
// policy does not allow". It is empty when every call is allowed.
func Check(calls map[string][]Call, policies map[string]Policy) []string {
	var problems []string
	functions := make([]string, 0, len(calls))
	for fn := range calls {
		functions = append(functions, fn)
	}
	sort.Strings(functions)
	for _, fn := range functions {
		policy, ok := policies[fn]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s made AWS calls (%v) but template.yaml declares no function %s with a policy", fn, calls[fn], fn))
			continue
		}
		for _, c := range calls[fn] {
			if !policy.Allows(c) {
				problems = append(problems, fmt.Sprintf("%s performed %s on %s, which its policy does not allow", fn, c.Action, describe(c.Resource)))
			}
		}
	}
	return problems
}

// Missing returns one line for each of functions with no recorded call: a
// function no test drove has a policy nothing checks.
func Missing(calls map[string][]Call, functions []string) []string {
	var problems []string
	for _, fn := range functions {
		if len(calls[fn]) == 0 {
			problems = append(problems, fmt.Sprintf("%s: no AWS call recorded, so nothing checks its policy: drive it in a test with an iamcheck.Recorder", fn))
		}
	}
	return slices.Clip(problems)
}

// CheckTemplate fails tb for every call r recorded that template.yaml's
// policies do not allow, and for every one of functions that r saw make no
// call.
func CheckTemplate(tb testing.TB, r *Recorder, functions ...string) {
	tb.Helper()
	policies := TemplatePolicies(tb)
	calls := r.Calls()
	for _, p := range append(Check(calls, policies), Missing(calls, functions)...) {
		tb.Error(p)
	}
}

// TemplatePolicies returns the policies of the functions in the repository's
// template.yaml, by function name; it fails tb when it cannot read them.
func TemplatePolicies(tb testing.TB) map[string]Policy {
	tb.Helper()
	path, err := tabledef.FindTemplate()
	if err != nil {
		tb.Fatal(err)
	}
	policies, err := LoadPolicies(path)
	if err != nil {
		tb.Fatal(err)
	}
	return policies
}
