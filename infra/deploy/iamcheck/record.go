// Package iamcheck checks that every function's IAM policy in template.yaml
// allows the AWS calls its code makes. DynamoDB Local and moto do not enforce
// IAM, so tests record the calls each function makes against them (a
// Recorder's middleware on the DynamoDB and SES clients, the function named
// in the request's context) and Check compares them with the policies.
package iamcheck

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/smithy-go/middleware"
)

// Call is one IAM action on one resource, as IAM authorizes a request.
type Call struct {
	Action   string // dynamodb:PutItem, ses:SendRawEmail
	Resource string // table, table/index/<name>, ses:identity/<identity>, files/<key>
}

func (c Call) String() string { return c.Action + " on " + describe(c.Resource) }

// describe names a resource for people.
func describe(resource string) string {
	switch {
	case resource == "table":
		return "the table"
	case strings.HasPrefix(resource, "table/index/"):
		return "the index " + strings.TrimPrefix(resource, "table/index/")
	case strings.HasPrefix(resource, "ses:identity/"):
		return "the SES identity " + strings.TrimPrefix(resource, "ses:identity/")
	case strings.HasPrefix(resource, "files/"):
		return "the file " + strings.TrimPrefix(resource, "files/")
	}
	return resource
}

type functionKey struct{}

// WithFunction returns ctx for a request that the function serves: the AWS
// calls made with it are recorded as that function's.
func WithFunction(ctx context.Context, function string) context.Context {
	return context.WithValue(ctx, functionKey{}, function)
}

// AsFunction returns h, a Lambda handler, with its calls recorded as
// function's: for the stream consumer and the job worker.
func AsFunction[In, Out any](function string, h func(context.Context, In) (Out, error)) func(context.Context, In) (Out, error) {
	return func(ctx context.Context, in In) (Out, error) { return h(WithFunction(ctx, function), in) }
}

// FunctionFrom returns the function WithFunction put in ctx, or "".
func FunctionFrom(ctx context.Context) string {
	fn, _ := ctx.Value(functionKey{}).(string)
	return fn
}

// Recorder keeps the calls each function made. It is safe for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	calls map[string]map[Call]bool
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{calls: map[string]map[Call]bool{}} }

// DynamoDB returns a copy of client whose calls r records.
func (r *Recorder) DynamoDB(client *dynamodb.Client) *dynamodb.Client {
	return dynamodb.New(client.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(slices.Clone(o.APIOptions), r.addMiddleware)
	})
}

// SES returns a copy of client whose calls r records.
func (r *Recorder) SES(client *ses.Client) *ses.Client {
	return ses.New(client.Options(), func(o *ses.Options) {
		o.APIOptions = append(slices.Clone(o.APIOptions), r.addMiddleware)
	})
}

// S3 returns a copy of client whose calls r records, presigning included:
// a presigned link carries its signer's permission.
func (r *Recorder) S3(client *s3.Client) *s3.Client {
	return s3.New(client.Options(), func(o *s3.Options) {
		o.APIOptions = append(slices.Clone(o.APIOptions), r.addMiddleware)
	})
}

func (r *Recorder) addMiddleware(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("iamcheck.Record",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			r.record(FunctionFrom(ctx), callsOf(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx), in.Parameters))
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

func (r *Recorder) record(function string, calls []Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if function == "" {
		return // a test's own setup, not a function
	}
	if r.calls[function] == nil {
		r.calls[function] = map[Call]bool{}
	}
	for _, c := range calls {
		r.calls[function][c] = true
	}
}

// Calls returns the calls recorded for each function, each once, sorted.
func (r *Recorder) Calls() map[string][]Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]Call{}
	for fn, set := range r.calls {
		for c := range set {
			out[fn] = append(out[fn], c)
		}
		slices.SortFunc(out[fn], func(a, b Call) int { return strings.Compare(a.String(), b.String()) })
	}
	return out
}

// callsOf returns the IAM actions and resources one operation needs. A
// transaction is authorized item by item, with the action of each item's
// kind; a Query or Scan of an index, on the index.
func callsOf(service, operation string, params any) []Call {
	switch service {
	case "SES":
		source := "*"
		if in, ok := params.(*ses.SendRawEmailInput); ok && in.Source != nil {
			source = aws.ToString(in.Source)
		} else if in, ok := params.(*ses.SendEmailInput); ok && in.Source != nil {
			source = aws.ToString(in.Source)
		}
		return []Call{{Action: "ses:" + operation, Resource: "ses:identity/" + source}}
	case "S3":
		return []Call{s3Call(operation, params)}
	case "DynamoDB":
	default:
		return []Call{{Action: strings.ToLower(service) + ":" + operation, Resource: "unknown"}}
	}
	table := func(action string) Call { return Call{Action: "dynamodb:" + action, Resource: "table"} }
	index := func(action string, name *string) Call {
		c := table(action)
		if name != nil {
			c.Resource = "table/index/" + aws.ToString(name)
		}
		return c
	}
	switch in := params.(type) {
	case *dynamodb.QueryInput:
		return []Call{index("Query", in.IndexName)}
	case *dynamodb.ScanInput:
		return []Call{index("Scan", in.IndexName)}
	case *dynamodb.TransactGetItemsInput:
		// Each item is a GetItem to IAM; there is no TransactGetItems action.
		return []Call{table("GetItem")}
	case *dynamodb.TransactWriteItemsInput:
		var calls []Call
		for _, item := range in.TransactItems {
			calls = append(calls, table(transactAction(item)))
		}
		return calls
	}
	return []Call{table(operation)}
}

// transactAction returns the IAM action of one TransactWriteItems item.
func transactAction(item types.TransactWriteItem) string {
	switch {
	case item.Put != nil:
		return "PutItem"
	case item.Update != nil:
		return "UpdateItem"
	case item.Delete != nil:
		return "DeleteItem"
	case item.ConditionCheck != nil:
		return "ConditionCheckItem"
	}
	// No policy allows this, so a new kind of item fails the check loudly.
	return "UnknownTransactWriteItem"
}

// s3Actions maps the S3 operations the code makes on objects to the IAM
// action that authorizes them: a multipart upload's steps are PutObject.
var s3Actions = map[string]string{
	"GetObject":               "s3:GetObject",
	"HeadObject":              "s3:GetObject",
	"PutObject":               "s3:PutObject",
	"CreateMultipartUpload":   "s3:PutObject",
	"UploadPart":              "s3:PutObject",
	"CompleteMultipartUpload": "s3:PutObject",
	"AbortMultipartUpload":    "s3:AbortMultipartUpload",
	"DeleteObject":            "s3:DeleteObject",
}

// s3Call returns the IAM action and object of one S3 operation on the files
// bucket; an operation not in s3Actions is allowed by no policy.
func s3Call(operation string, params any) Call {
	action, ok := s3Actions[operation]
	if !ok {
		return Call{Action: "s3:" + operation, Resource: "files"}
	}
	var key *string
	switch in := params.(type) {
	case *s3.GetObjectInput:
		key = in.Key
	case *s3.HeadObjectInput:
		key = in.Key
	case *s3.PutObjectInput:
		key = in.Key
	case *s3.CreateMultipartUploadInput:
		key = in.Key
	case *s3.UploadPartInput:
		key = in.Key
	case *s3.CompleteMultipartUploadInput:
		key = in.Key
	case *s3.AbortMultipartUploadInput:
		key = in.Key
	case *s3.DeleteObjectInput:
		key = in.Key
	}
	return Call{Action: action, Resource: "files/" + aws.ToString(key)}
}
