package tabledef

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"gopkg.in/yaml.v3"
)

func TestParse(t *testing.T) {
	t.Run("the repository's template", func(t *testing.T) {
		path, err := FindTemplate()
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(tbl.KeySchema); got != "PK HASH, SK RANGE" {
			t.Errorf("KeySchema = %s", got)
		}
		if tbl.StreamViewType != types.StreamViewTypeNewAndOldImages {
			t.Errorf("StreamViewType = %q", tbl.StreamViewType)
		}
		if tbl.TTLAttribute != "ttl" {
			t.Errorf("TTLAttribute = %q, want ttl", tbl.TTLAttribute)
		}
		byName := map[string]types.GlobalSecondaryIndex{}
		for _, g := range tbl.GlobalSecondaryIndexes {
			byName[*g.IndexName] = g
		}
		if g, ok := byName["ByName"]; !ok || keys(g.KeySchema) != "usersPK HASH, nameSK RANGE" || g.Projection.ProjectionType != types.ProjectionTypeAll {
			t.Errorf("ByName = %+v", g)
		}
		if g, ok := byName["ByGroup"]; !ok || g.Projection.ProjectionType != types.ProjectionTypeKeysOnly {
			t.Errorf("ByGroup = %+v, want a KEYS_ONLY projection", g)
		}
	})

	t.Run("short-form intrinsics elsewhere", func(t *testing.T) {
		tbl, err := Parse([]byte(minimal + `
  Fn:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties:
      Environment:
        Variables:
          TABLE: !Ref RosterTable
          ARN: !GetAtt RosterTable.Arn
          IDX: !Sub "${RosterTable.Arn}/index/*"
          JOINED: !Join [",", [!Ref A, !Ref B]]
          PICK: !If [IsProd, !Ref A, !Ref "AWS::NoValue"]
      Policies:
        - Statement:
            Resource: !Select [0, !Split ["/", !Ref X]]
`))
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(tbl.KeySchema); got != "PK HASH" {
			t.Errorf("KeySchema = %s", got)
		}
	})

	t.Run("optional parts absent", func(t *testing.T) {
		tbl, err := Parse([]byte(minimal))
		if err != nil {
			t.Fatal(err)
		}
		if tbl.StreamViewType != "" || tbl.TTLAttribute != "" || tbl.GlobalSecondaryIndexes != nil {
			t.Errorf("got %+v, want no stream, TTL or index", tbl)
		}
	})

	t.Run("TTL disabled", func(t *testing.T) {
		tbl, err := Parse([]byte(minimal + "      TimeToLiveSpecification: {AttributeName: ttl, Enabled: false}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if tbl.TTLAttribute != "" {
			t.Errorf("TTLAttribute = %q, want empty", tbl.TTLAttribute)
		}
	})

	t.Run("LSI and INCLUDE projection", func(t *testing.T) {
		tbl, err := Parse([]byte(table(`
      AttributeDefinitions:
        - {AttributeName: PK, AttributeType: S}
        - {AttributeName: SK, AttributeType: S}
        - {AttributeName: at, AttributeType: N}
      KeySchema: [{AttributeName: PK, KeyType: HASH}, {AttributeName: SK, KeyType: RANGE}]
      LocalSecondaryIndexes:
        - IndexName: ByAt
          KeySchema: [{AttributeName: PK, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [name, email]}
`)))
		if err != nil {
			t.Fatal(err)
		}
		if len(tbl.LocalSecondaryIndexes) != 1 || strings.Join(tbl.LocalSecondaryIndexes[0].Projection.NonKeyAttributes, ",") != "name,email" {
			t.Errorf("LocalSecondaryIndexes = %+v", tbl.LocalSecondaryIndexes)
		}
	})

	errorCases := []struct {
		name     string
		template string
		want     string
	}{
		{"not YAML", "Resources: [", "parse template"},
		{"no resources", "Description: x\n", "Resources: missing"},
		{"no table", "Resources:\n  Other: {Type: AWS::S3::Bucket}\n", "missing RosterTable"},
		{"wrong type", "Resources:\n  RosterTable: {Type: AWS::S3::Bucket}\n", `Type is "AWS::S3::Bucket"`},
		{"short-form intrinsic in a key", table(`
      AttributeDefinitions: [{AttributeName: !Ref KeyName, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`), "AttributeDefinitions[0].AttributeName (line 5): uses !Ref"},
		{"long-form intrinsic in a key", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: {"Fn::Sub": "x"}, KeyType: HASH}]
`), "uses Fn::Sub"},
		{"intrinsic list", table(`
      AttributeDefinitions: !If [C, [], []]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`), "AttributeDefinitions (line 5): uses !If"},
		{"bad attribute type", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: X}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`), `AttributeType: "X" is not one of S, N, B`},
		{"RANGE first", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: RANGE}]
`), "want one HASH key"},
		{"undefined key attribute", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}, {AttributeName: SK, KeyType: RANGE}]
`), "key attribute SK is not in AttributeDefinitions"},
		{"unused definition", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}, {AttributeName: extra, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`), "attribute extra is defined but no key or index uses it"},
		{"duplicate index", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}, {AttributeName: g, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      GlobalSecondaryIndexes:
        - {IndexName: G, KeySchema: [{AttributeName: g, KeyType: HASH}], Projection: {ProjectionType: ALL}}
        - {IndexName: G, KeySchema: [{AttributeName: g, KeyType: HASH}], Projection: {ProjectionType: ALL}}
`), "index G is declared twice"},
		{"INCLUDE without attributes", table(`
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}, {AttributeName: g, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      GlobalSecondaryIndexes:
        - {IndexName: G, KeySchema: [{AttributeName: g, KeyType: HASH}], Projection: {ProjectionType: INCLUDE}}
`), "NonKeyAttributes is required with ProjectionType INCLUDE"},
		{"bad stream view type", minimal + "      StreamSpecification: {StreamViewType: ALL}\n", "StreamViewType: \"ALL\" is not one of"},
		{"bad TTL flag", minimal + "      TimeToLiveSpecification: {AttributeName: ttl, Enabled: maybe}\n", `"maybe" is not true or false`},
	}
	for _, tc := range errorCases {
		t.Run("error: "+tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.template))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestTable_CreateTableInput(t *testing.T) {
	path, err := FindTemplate()
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("fields", func(t *testing.T) {
		in := tbl.CreateTableInput("roster-x")
		if *in.TableName != "roster-x" || in.BillingMode != types.BillingModePayPerRequest {
			t.Errorf("TableName, BillingMode = %s, %s", *in.TableName, in.BillingMode)
		}
		if in.StreamSpecification == nil || !*in.StreamSpecification.StreamEnabled ||
			in.StreamSpecification.StreamViewType != types.StreamViewTypeNewAndOldImages {
			t.Errorf("StreamSpecification = %+v", in.StreamSpecification)
		}
		if len(in.GlobalSecondaryIndexes) != len(tbl.GlobalSecondaryIndexes) {
			t.Errorf("%d GSIs, want %d", len(in.GlobalSecondaryIndexes), len(tbl.GlobalSecondaryIndexes))
		}
	})
	t.Run("requests share nothing", func(t *testing.T) {
		a := tbl.CreateTableInput("a")
		a.KeySchema[0].AttributeName = aws.String("changed")
		a.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName = aws.String("changed")
		a.GlobalSecondaryIndexes[0].Projection.ProjectionType = types.ProjectionTypeKeysOnly
		b := tbl.CreateTableInput("b")
		if *b.KeySchema[0].AttributeName == "changed" || *b.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName == "changed" ||
			b.GlobalSecondaryIndexes[0].Projection.ProjectionType == types.ProjectionTypeKeysOnly {
			t.Error("a change to one request leaked into the next")
		}
	})
}

func TestFindTemplate(t *testing.T) {
	t.Run("from a package directory", func(t *testing.T) {
		path, err := FindTemplate()
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(path) != TemplateFile || !filepath.IsAbs(path) {
			t.Errorf("path = %q", path)
		}
	})
	t.Run("stops at the module root", func(t *testing.T) {
		root := t.TempDir()
		if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		sub := filepath.Join(root, "a", "b")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Chdir(sub)
		_, err := FindTemplate()
		if err == nil || !strings.Contains(err.Error(), "module root") {
			t.Errorf("err = %v, want a not-found error naming the module root", err)
		}
	})
}

func TestUnsupportedOperation(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"unknown operation", &smithy.GenericAPIError{Code: "UnknownOperationException"}, true},
		{"wrapped", fmt.Errorf("op: %w", &smithy.GenericAPIError{Code: "UnknownOperationException"}), true},
		{"validation", &smithy.GenericAPIError{Code: "ValidationException"}, false},
		{"not an API error", errors.New("UnknownOperationException"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := unsupportedOperation(tc.err); got != tc.want {
				t.Errorf("unsupportedOperation(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

// minimal is the smallest valid template.
const minimal = `Resources:
  RosterTable:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
`

// table wraps properties (indented six spaces) in a template.
func table(props string) string {
	return "Resources:\n  RosterTable:\n    Type: AWS::DynamoDB::Table\n    Properties:" + props
}

func keys(ks []types.KeySchemaElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = *k.AttributeName + " " + string(k.KeyType)
	}
	return strings.Join(parts, ", ")
}

func TestTemplate_TableDeletionProtected(t *testing.T) {
	// DeletionPolicy: Retain keeps the table when the stack goes; deletion
	// protection refuses a DeleteTable from anywhere else too.
	path, err := FindTemplate()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The Node API: intrinsic tags (!Ref, !Sub) elsewhere stay unread.
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	table := find(find(doc.Content[0], "Resources"), ResourceName)
	if table == nil {
		t.Fatalf("no %s in %s", ResourceName, path)
	}
	var r struct {
		Properties struct {
			DeletionProtectionEnabled *bool `yaml:"DeletionProtectionEnabled"`
		} `yaml:"Properties"`
	}
	if err := table.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if p := r.Properties.DeletionProtectionEnabled; p == nil || !*p {
		t.Errorf("%s: DeletionProtectionEnabled is not true", ResourceName)
	}
}

// find returns the value of key in mapping n, or nil.
func find(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
