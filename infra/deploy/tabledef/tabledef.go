// Package tabledef turns the RosterTable resource of template.yaml (the SAM
// template, the one source of truth for the table) into a DynamoDB
// CreateTable request, so local tables and tests use exactly the deployed
// keys, indexes and stream.
//
// The template is read with yaml.v3's Node API, so CloudFormation's
// short-form intrinsic functions (!Ref, !Sub, !GetAtt, ...) anywhere in the
// file do not break parsing. Inside the properties that matter here
// (attribute definitions, key schema, indexes, stream and TTL
// specifications) an intrinsic function is an error: a local table needs
// literal values. Other properties (SSESpecification,
// PointInTimeRecoverySpecification, Tags, ...) are ignored, and the billing
// mode is always PAY_PER_REQUEST.
package tabledef

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// ResourceName is the logical ID of the table in template.yaml.
const ResourceName = "RosterTable"

// TemplateFile is the file name FindTemplate looks for.
const TemplateFile = "template.yaml"

// Table is the definition of RosterTable read from the template.
type Table struct {
	AttributeDefinitions   []types.AttributeDefinition
	KeySchema              []types.KeySchemaElement
	GlobalSecondaryIndexes []types.GlobalSecondaryIndex
	LocalSecondaryIndexes  []types.LocalSecondaryIndex
	// StreamViewType is the stream's view type, or "" if the template
	// declares no stream.
	StreamViewType types.StreamViewType
	// TTLAttribute is the attribute holding items' expiry time, or "" if the
	// template does not enable time to live.
	TTLAttribute string
}

// Load reads and parses the template at path. The error names the file and,
// for a bad definition, the offending property and its line.
func Load(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load table definition: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("load table definition: %s: %w", path, err)
	}
	return t, nil
}

// CreateTableInput returns a new CreateTable request for a table called
// name. The request shares no memory with t or with earlier requests.
func (t *Table) CreateTableInput(name string) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: cloneSlice(t.AttributeDefinitions),
		KeySchema:            cloneSlice(t.KeySchema),
	}
	for _, g := range t.GlobalSecondaryIndexes {
		g.KeySchema = cloneSlice(g.KeySchema)
		g.Projection = cloneProjection(g.Projection)
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, g)
	}
	for _, l := range t.LocalSecondaryIndexes {
		l.KeySchema = cloneSlice(l.KeySchema)
		l.Projection = cloneProjection(l.Projection)
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, l)
	}
	if t.StreamViewType != "" {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: t.StreamViewType}
	}
	return in
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func cloneProjection(p *types.Projection) *types.Projection {
	if p == nil {
		return nil
	}
	c := *p
	c.NonKeyAttributes = cloneSlice(p.NonKeyAttributes)
	return &c
}

// Create creates the table called name, waits until it and its indexes are
// ACTIVE, and enables time to live if the template does. A server that does
// not implement UpdateTimeToLive is tolerated; any other error is returned
// with the step that failed. If the table already exists, the error wraps
// a *types.ResourceInUseException and the table is left untouched.
func (t *Table) Create(ctx context.Context, client *dynamodb.Client, name string) error {
	out, err := client.CreateTable(ctx, t.CreateTableInput(name))
	if err != nil {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	if !active(out.TableDescription) {
		if err := waitActive(ctx, client, name); err != nil {
			return fmt.Errorf("create table %s: %w", name, err)
		}
	}
	if t.TTLAttribute == "" {
		return nil
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(t.TTLAttribute),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil && !unsupportedOperation(err) {
		return fmt.Errorf("create table %s: enable time to live on %s: %w", name, t.TTLAttribute, err)
	}
	return nil
}

// AddMissingIndexes creates, one at a time as DynamoDB requires, the global
// indexes of the template that the existing table called name lacks, and
// waits until each is ACTIVE (DynamoDB fills it from the items already
// there). It returns the names of the indexes it added. Indexes the table
// has and the template does not are left alone.
func (t *Table) AddMissingIndexes(ctx context.Context, client *dynamodb.Client, name string) ([]string, error) {
	out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	have := map[string]bool{}
	for _, g := range out.Table.GlobalSecondaryIndexes {
		have[aws.ToString(g.IndexName)] = true
	}
	var added []string
	for _, g := range t.GlobalSecondaryIndexes {
		if have[aws.ToString(g.IndexName)] {
			continue
		}
		var attrs []types.AttributeDefinition
		for _, k := range g.KeySchema {
			for _, a := range t.AttributeDefinitions {
				if aws.ToString(a.AttributeName) == aws.ToString(k.AttributeName) {
					attrs = append(attrs, a)
				}
			}
		}
		_, err := client.UpdateTable(ctx, &dynamodb.UpdateTableInput{
			TableName:            aws.String(name),
			AttributeDefinitions: attrs,
			GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
				IndexName: g.IndexName, KeySchema: cloneSlice(g.KeySchema), Projection: cloneProjection(g.Projection),
			}}},
		})
		if err != nil {
			return added, fmt.Errorf("add index %s to %s: %w", aws.ToString(g.IndexName), name, err)
		}
		if err := waitActive(ctx, client, name); err != nil {
			return added, fmt.Errorf("add index %s to %s: %w", aws.ToString(g.IndexName), name, err)
		}
		added = append(added, aws.ToString(g.IndexName))
	}
	return added, nil
}

// CreateTable loads the definition from the template at templatePath and
// creates the table called tableName with it; see Load and Table.Create for
// what happens on error.
func CreateTable(ctx context.Context, client *dynamodb.Client, templatePath, tableName string) error {
	t, err := Load(templatePath)
	if err != nil {
		return err
	}
	return t.Create(ctx, client, tableName)
}

// FindTemplate returns the path of template.yaml in the working directory or
// the nearest parent holding one, so it works from a package directory
// under test. The search stops at the module root (the first directory with
// a go.mod); an error says where it looked.
func FindTemplate() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find %s: %w", TemplateFile, err)
	}
	for dir := wd; ; {
		path := filepath.Join(dir, TemplateFile)
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			return path, nil
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return "", fmt.Errorf("find %s: none in %s or its parents up to the module root %s", TemplateFile, wd, dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("find %s: none in %s or any parent", TemplateFile, wd)
		}
		dir = parent
	}
}

// active reports whether the table and all its global indexes are ACTIVE.
func active(d *types.TableDescription) bool {
	if d == nil || d.TableStatus != types.TableStatusActive {
		return false
	}
	for _, g := range d.GlobalSecondaryIndexes {
		if g.IndexStatus != types.IndexStatusActive {
			return false
		}
	}
	return true
}

// waitActive polls DescribeTable until the table is active, backing off
// from 50 ms to 2 s. (The SDK's TableExists waiter starts at 20 s and
// ignores indexes.)
func waitActive(ctx context.Context, client *dynamodb.Client, name string) error {
	delay := 50 * time.Millisecond
	for {
		out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("wait until active: %w", err)
		}
		if active(out.Table) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait until active (status %s): %w", out.Table.TableStatus, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// unsupportedOperation reports whether err says the server does not
// implement the operation at all.
func unsupportedOperation(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "UnknownOperationException", "UnsupportedOperationException", "NotImplementedException":
		return true
	}
	return false
}
