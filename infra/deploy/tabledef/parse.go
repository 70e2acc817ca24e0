package tabledef

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"gopkg.in/yaml.v3"
)

// Parse reads the RosterTable resource from a CloudFormation/SAM template in
// YAML. It returns an error naming the property and line if the resource is
// missing, is not an AWS::DynamoDB::Table, uses an intrinsic function where a
// literal is needed, or is inconsistent (a key attribute without a
// definition, a definition no key uses, an unknown enum value, a duplicate
// index name).
func Parse(template []byte) (*Table, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(template, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("parse template: not a YAML document")
	}
	root := node{doc.Content[0], ""}
	resources, err := root.field("Resources", true)
	if err != nil {
		return nil, err
	}
	res, err := resources.field(ResourceName, true)
	if err != nil {
		return nil, err
	}
	typ, err := res.stringField("Type", true)
	if err != nil {
		return nil, err
	}
	if typ != "AWS::DynamoDB::Table" {
		return nil, fmt.Errorf("%s.Type is %q, want AWS::DynamoDB::Table", res.path, typ)
	}
	props, err := res.field("Properties", true)
	if err != nil {
		return nil, err
	}
	t, err := parseProperties(props)
	if err != nil {
		return nil, err
	}
	if err := t.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", props.path, err)
	}
	return t, nil
}

func parseProperties(props node) (*Table, error) {
	t := &Table{}
	var err error
	if t.AttributeDefinitions, err = parseAttributeDefinitions(props); err != nil {
		return nil, err
	}
	if t.KeySchema, err = parseKeySchema(props); err != nil {
		return nil, err
	}
	gsis, err := props.sequenceField("GlobalSecondaryIndexes", false)
	if err != nil {
		return nil, err
	}
	for _, n := range gsis {
		name, keys, proj, err := parseIndex(n)
		if err != nil {
			return nil, err
		}
		t.GlobalSecondaryIndexes = append(t.GlobalSecondaryIndexes,
			types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: keys, Projection: proj})
	}
	lsis, err := props.sequenceField("LocalSecondaryIndexes", false)
	if err != nil {
		return nil, err
	}
	for _, n := range lsis {
		name, keys, proj, err := parseIndex(n)
		if err != nil {
			return nil, err
		}
		t.LocalSecondaryIndexes = append(t.LocalSecondaryIndexes,
			types.LocalSecondaryIndex{IndexName: aws.String(name), KeySchema: keys, Projection: proj})
	}

	stream, err := props.field("StreamSpecification", false)
	if err != nil {
		return nil, err
	}
	if stream.Node != nil {
		v, err := stream.stringField("StreamViewType", true)
		if err != nil {
			return nil, err
		}
		if t.StreamViewType, err = enum[types.StreamViewType](stream.path+".StreamViewType", v); err != nil {
			return nil, err
		}
	}

	ttl, err := props.field("TimeToLiveSpecification", false)
	if err != nil {
		return nil, err
	}
	if ttl.Node != nil {
		enabled, err := ttl.boolField("Enabled")
		if err != nil {
			return nil, err
		}
		if enabled {
			if t.TTLAttribute, err = ttl.stringField("AttributeName", true); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

func parseAttributeDefinitions(props node) ([]types.AttributeDefinition, error) {
	items, err := props.sequenceField("AttributeDefinitions", true)
	if err != nil {
		return nil, err
	}
	var defs []types.AttributeDefinition
	for _, n := range items {
		name, err := n.stringField("AttributeName", true)
		if err != nil {
			return nil, err
		}
		v, err := n.stringField("AttributeType", true)
		if err != nil {
			return nil, err
		}
		typ, err := enum[types.ScalarAttributeType](n.path+".AttributeType", v)
		if err != nil {
			return nil, err
		}
		defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: typ})
	}
	return defs, nil
}

// parseKeySchema reads the KeySchema under n: one HASH element, optionally
// followed by one RANGE element.
func parseKeySchema(n node) ([]types.KeySchemaElement, error) {
	items, err := n.sequenceField("KeySchema", true)
	if err != nil {
		return nil, err
	}
	var keys []types.KeySchemaElement
	for _, item := range items {
		name, err := item.stringField("AttributeName", true)
		if err != nil {
			return nil, err
		}
		v, err := item.stringField("KeyType", true)
		if err != nil {
			return nil, err
		}
		kt, err := enum[types.KeyType](item.path+".KeyType", v)
		if err != nil {
			return nil, err
		}
		keys = append(keys, types.KeySchemaElement{AttributeName: aws.String(name), KeyType: kt})
	}
	valid := len(keys) >= 1 && len(keys) <= 2 && keys[0].KeyType == types.KeyTypeHash &&
		(len(keys) == 1 || keys[1].KeyType == types.KeyTypeRange)
	if !valid {
		return nil, fmt.Errorf("%s.KeySchema (line %d): want one HASH key, optionally followed by one RANGE key", n.path, n.Line)
	}
	return keys, nil
}

func parseIndex(n node) (string, []types.KeySchemaElement, *types.Projection, error) {
	name, err := n.stringField("IndexName", true)
	if err != nil {
		return "", nil, nil, err
	}
	keys, err := parseKeySchema(n)
	if err != nil {
		return "", nil, nil, err
	}
	pn, err := n.field("Projection", true)
	if err != nil {
		return "", nil, nil, err
	}
	v, err := pn.stringField("ProjectionType", true)
	if err != nil {
		return "", nil, nil, err
	}
	pt, err := enum[types.ProjectionType](pn.path+".ProjectionType", v)
	if err != nil {
		return "", nil, nil, err
	}
	proj := &types.Projection{ProjectionType: pt}
	attrs, err := pn.sequenceField("NonKeyAttributes", false)
	if err != nil {
		return "", nil, nil, err
	}
	for _, a := range attrs {
		s, err := a.str()
		if err != nil {
			return "", nil, nil, err
		}
		proj.NonKeyAttributes = append(proj.NonKeyAttributes, s)
	}
	if (pt == types.ProjectionTypeInclude) != (len(proj.NonKeyAttributes) > 0) {
		return "", nil, nil, fmt.Errorf("%s (line %d): NonKeyAttributes is required with ProjectionType INCLUDE and allowed only with it", pn.path, pn.Line)
	}
	return name, keys, proj, nil
}

// validate checks what DynamoDB would reject: every key attribute defined,
// every definition used by some key, index names unique.
func (t *Table) validate() error {
	defined := map[string]bool{}
	for _, d := range t.AttributeDefinitions {
		if defined[*d.AttributeName] {
			return fmt.Errorf("attribute %s is defined twice", *d.AttributeName)
		}
		defined[*d.AttributeName] = true
	}
	used := map[string]bool{}
	indexes := map[string]bool{}
	check := func(where string, keys []types.KeySchemaElement) error {
		for _, k := range keys {
			if !defined[*k.AttributeName] {
				return fmt.Errorf("%s: key attribute %s is not in AttributeDefinitions", where, *k.AttributeName)
			}
			used[*k.AttributeName] = true
		}
		return nil
	}
	checkIndex := func(name string, keys []types.KeySchemaElement) error {
		if indexes[name] {
			return fmt.Errorf("index %s is declared twice", name)
		}
		indexes[name] = true
		return check("index "+name, keys)
	}
	if err := check("KeySchema", t.KeySchema); err != nil {
		return err
	}
	for _, g := range t.GlobalSecondaryIndexes {
		if err := checkIndex(*g.IndexName, g.KeySchema); err != nil {
			return err
		}
	}
	for _, l := range t.LocalSecondaryIndexes {
		if err := checkIndex(*l.IndexName, l.KeySchema); err != nil {
			return err
		}
		if *l.KeySchema[0].AttributeName != *t.KeySchema[0].AttributeName {
			return fmt.Errorf("local index %s: its HASH key must be the table's, %s", *l.IndexName, *t.KeySchema[0].AttributeName)
		}
	}
	for _, d := range t.AttributeDefinitions {
		if !used[*d.AttributeName] {
			return fmt.Errorf("attribute %s is defined but no key or index uses it (DynamoDB rejects that)", *d.AttributeName)
		}
	}
	return nil
}

// enum checks that v is one of E's values.
func enum[E interface {
	~string
	Values() []E
}](path, v string) (E, error) {
	var zero E
	values := zero.Values()
	if !slices.Contains(values, E(v)) {
		names := make([]string, len(values))
		for i, x := range values {
			names[i] = string(x)
		}
		return zero, fmt.Errorf("%s: %q is not one of %s", path, v, strings.Join(names, ", "))
	}
	return E(v), nil
}

// node is a YAML node with its path in the template, for error messages.
type node struct {
	*yaml.Node
	path string
}

// resolve follows aliases.
func (n node) resolve() node {
	for n.Node != nil && n.Kind == yaml.AliasNode {
		n.Node = n.Alias
	}
	return n
}

// intrinsic reports the intrinsic function n uses, if any: a short-form tag
// (!Ref) or a long-form single-key mapping (Ref:, Fn::Sub:).
func (n node) intrinsic() string {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return n.Tag
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		if k := n.Content[0].Value; k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k
		}
	}
	return ""
}

func (n node) literalError(want string) error {
	if f := n.intrinsic(); f != "" {
		return fmt.Errorf("%s (line %d): uses %s; a local table needs a literal %s here", n.path, n.Line, f, want)
	}
	return fmt.Errorf("%s (line %d): want a %s", n.path, n.Line, want)
}

// field returns the value of key in mapping n. A missing optional key
// yields a node with a nil Node; a missing required key is an error.
func (n node) field(key string, required bool) (node, error) {
	n = n.resolve()
	if n.Kind != yaml.MappingNode || n.intrinsic() != "" {
		return node{}, n.literalError("mapping")
	}
	child := joinPath(n.path, key)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return node{n.Content[i+1], child}.resolve(), nil
		}
	}
	if required {
		if n.path == "" {
			return node{}, fmt.Errorf("%s: missing", child)
		}
		return node{}, fmt.Errorf("%s (line %d): missing %s", n.path, n.Line, key)
	}
	return node{nil, child}, nil
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// str returns n's value if it is a literal scalar.
func (n node) str() (string, error) {
	n = n.resolve()
	if n.Kind != yaml.ScalarNode || n.intrinsic() != "" || n.Tag == "!!null" {
		return "", n.literalError("string")
	}
	return n.Value, nil
}

func (n node) stringField(key string, required bool) (string, error) {
	f, err := n.field(key, required)
	if err != nil || f.Node == nil {
		return "", err
	}
	return f.str()
}

// boolField returns the boolean value of key; a missing key is false.
func (n node) boolField(key string) (bool, error) {
	f, err := n.field(key, false)
	if err != nil || f.Node == nil {
		return false, err
	}
	s, err := f.str()
	if err != nil {
		return false, err
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("%s (line %d): %q is not true or false", f.path, f.Line, s)
	}
	return b, nil
}

// sequenceField returns the items of the sequence under key, each with its
// path; a missing optional key yields none.
func (n node) sequenceField(key string, required bool) ([]node, error) {
	f, err := n.field(key, required)
	if err != nil || f.Node == nil {
		return nil, err
	}
	if f.Kind != yaml.SequenceNode || f.intrinsic() != "" {
		return nil, f.literalError("list")
	}
	items := make([]node, len(f.Content))
	for i, c := range f.Content {
		items[i] = node{c, fmt.Sprintf("%s[%d]", f.path, i)}.resolve()
	}
	return items, nil
}
