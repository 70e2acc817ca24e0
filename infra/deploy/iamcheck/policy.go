package iamcheck

import (
	"fmt"
	"os"
	"path"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Statement is one Allow statement of a function's policy, its resources
// written as Call resources: table, table/index/ByRole, table/index/*,
// ses:identity/*, files/org/* (objects of FilesBucket). A resource of any other form is kept as written and
// matches no call.
type Statement struct {
	Sid       string
	Actions   []string
	Resources []string
}

// Policy is a function's inline policy statements in template.yaml.
type Policy []Statement

// Allows reports whether the policy allows c. Actions and resources may use
// IAM's * wildcard. Conditions are not evaluated: they only narrow a grant
// (the SES sends' ses:FromAddress), and the tests send from that address.
func (p Policy) Allows(c Call) bool {
	for _, st := range p {
		if matchesAny(st.Actions, c.Action) && matchesAny(st.Resources, c.Resource) {
			return true
		}
	}
	return false
}

func matchesAny(patterns []string, s string) bool {
	for _, p := range patterns {
		// IAM's * spans "/" too; path.Match's does not, so try both forms.
		if ok, _ := path.Match(p, s); ok || (strings.HasSuffix(p, "*") && strings.HasPrefix(s, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}

// LoadPolicies reads the policy of every AWS::Serverless::Function in the
// template at path, by function name (UpdateUserFunction is update-user).
func LoadPolicies(path string) (map[string]Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePolicies(data)
}

// ParsePolicies is LoadPolicies on the template's text.
func ParsePolicies(template []byte) (map[string]Policy, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(template, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("parse template: not a YAML document")
	}
	resources := get(doc.Content[0], "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("parse template: no Resources")
	}
	out := map[string]Policy{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		logical, res := resources.Content[i].Value, resources.Content[i+1]
		if scalar(get(res, "Type")) != "AWS::Serverless::Function" {
			continue
		}
		fn, ok := FunctionName(logical)
		if !ok {
			return nil, fmt.Errorf("%s: a function's logical id ends in Function", logical)
		}
		policy, err := parsePolicy(get(get(res, "Properties"), "Policies"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", logical, err)
		}
		out[fn] = policy
	}
	return out, nil
}

// FunctionName returns the function a logical id declares:
// UpdateUserFunction is update-user.
func FunctionName(logical string) (string, bool) {
	camel, ok := strings.CutSuffix(logical, "Function")
	if !ok || camel == "" {
		return "", false
	}
	var b strings.Builder
	for i, r := range camel {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// parsePolicy reads a SAM Policies list of inline policy documents; SAM
// policy templates and managed policy names are refused, so that every
// grant is one this package can check.
func parsePolicy(n *yaml.Node) (Policy, error) {
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("the Policies property is not a list")
	}
	var policy Policy
	for _, doc := range n.Content {
		statements := get(doc, "Statement")
		if statements == nil || statements.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("policies: only inline documents with a Statement list are checked, not %q", scalar(doc))
		}
		for _, st := range statements.Content {
			if effect := scalar(get(st, "Effect")); effect != "Allow" {
				return nil, fmt.Errorf("statement %s: Effect %q, want Allow", scalar(get(st, "Sid")), effect)
			}
			policy = append(policy, Statement{
				Sid:       scalar(get(st, "Sid")),
				Actions:   list(get(st, "Action"), scalar),
				Resources: list(get(st, "Resource"), resource),
			})
		}
	}
	return policy, nil
}

// resource turns a policy's Resource into a Call resource.
func resource(n *yaml.Node) string {
	switch n.Tag {
	case "!GetAtt":
		switch n.Value {
		case "RosterTable.Arn":
			return "table"
		case "RosterTable.StreamArn":
			return "table/stream/*"
		}
	case "!Sub":
		return strings.NewReplacer(
			"${RosterTable.Arn}", "table",
			"${FilesBucket.Arn}", "files",
			"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:", "ses:",
		).Replace(n.Value)
	}
	return n.Tag + " " + n.Value
}

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
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

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// list returns a scalar or a list of scalars as a list, each through conv.
func list(n *yaml.Node, conv func(*yaml.Node) string) []string {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return []string{conv(n)}
	}
	var out []string
	for _, item := range n.Content {
		out = append(out, conv(item))
	}
	return out
}
