package iamcheck

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

func TestCallsOf(t *testing.T) {
	tests := []struct {
		name      string
		service   string
		operation string
		params    any
		want      []Call
	}{
		{"a transaction, item by item", "DynamoDB", "TransactWriteItems", &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{}}, {Update: &types.Update{}}, {Delete: &types.Delete{}}, {ConditionCheck: &types.ConditionCheck{}},
		}}, []Call{{"dynamodb:PutItem", "table"}, {"dynamodb:UpdateItem", "table"}, {"dynamodb:DeleteItem", "table"}, {"dynamodb:ConditionCheckItem", "table"}}},
		{"a transactional read", "DynamoDB", "TransactGetItems", &dynamodb.TransactGetItemsInput{}, []Call{{"dynamodb:GetItem", "table"}}},
		{"a query of an index", "DynamoDB", "Query", &dynamodb.QueryInput{IndexName: aws.String("ByRole")}, []Call{{"dynamodb:Query", "table/index/ByRole"}}},
		{"a query of the table", "DynamoDB", "Query", &dynamodb.QueryInput{}, []Call{{"dynamodb:Query", "table"}}},
		{"a scan of an index", "DynamoDB", "Scan", &dynamodb.ScanInput{IndexName: aws.String("ByName")}, []Call{{"dynamodb:Scan", "table/index/ByName"}}},
		{"a get", "DynamoDB", "GetItem", &dynamodb.GetItemInput{}, []Call{{"dynamodb:GetItem", "table"}}},
		{"an email", "SES", "SendRawEmail", &ses.SendRawEmailInput{Source: aws.String("a@b.example")}, []Call{{"ses:SendRawEmail", "ses:identity/a@b.example"}}},
		{"a multipart upload's part", "S3", "UploadPart", &s3.UploadPartInput{Key: aws.String("org/o1/exports/e1.xlsx")}, []Call{{"s3:PutObject", "files/org/o1/exports/e1.xlsx"}}},
		{"a head", "S3", "HeadObject", &s3.HeadObjectInput{Key: aws.String("org/o1/x")}, []Call{{"s3:GetObject", "files/org/o1/x"}}},
		{"an abort", "S3", "AbortMultipartUpload", &s3.AbortMultipartUploadInput{Key: aws.String("org/o1/x")}, []Call{{"s3:AbortMultipartUpload", "files/org/o1/x"}}},
		{"a bucket operation", "S3", "ListObjectsV2", &s3.ListObjectsV2Input{}, []Call{{"s3:ListObjectsV2", "files"}}},
		{"another service", "SQS", "SendMessage", nil, []Call{{"sqs:SendMessage", "unknown"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := callsOf(tt.service, tt.operation, tt.params); !slices.Equal(got, tt.want) {
				t.Errorf("callsOf = %v, want %v", got, tt.want)
			}
		})
	}
}

const template = `
Resources:
  RosterTable:
    Type: AWS::DynamoDB::Table
  UpdateUserFunction:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - Statement:
            - Sid: ReadTable
              Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:Query]
              Resource:
                - !GetAtt RosterTable.Arn
                - !Sub "${RosterTable.Arn}/index/ByRole"
            - Sid: WriteTable
              Effect: Allow
              Action:
                - dynamodb:PutItem
              Resource: !GetAtt RosterTable.Arn
            - Sid: Send
              Effect: Allow
              Action: ses:SendRawEmail
              Resource: !Sub "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
            - Sid: WriteExports
              Effect: Allow
              Action: s3:PutObject
              Resource: !Sub "${FilesBucket.Arn}/org/*/exports/*"
  ListUsersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - Statement:
            - Effect: Allow
              Action: dynamodb:Query
              Resource: !Sub "${RosterTable.Arn}/index/*"
`

func TestCheck(t *testing.T) {
	policies, err := ParsePolicies([]byte(template))
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string][]Call{
		"update-user": {
			{"dynamodb:GetItem", "table"}, {"dynamodb:Query", "table/index/ByRole"}, {"dynamodb:PutItem", "table"},
			{"ses:SendRawEmail", "ses:identity/no-reply@roster.test"},
			{"s3:PutObject", "files/org/o1/exports/e1.csv"}, {"s3:PutObject", "files/org/o1/uploads/u1.csv"}, {"s3:GetObject", "files/org/o1/exports/e1.csv"},
			{"dynamodb:ConditionCheckItem", "table"}, {"dynamodb:Query", "table/index/ByName"}, {"dynamodb:PutItem", "table/index/ByRole"},
		},
		"list-users": {{"dynamodb:Query", "table/index/ByName"}, {"dynamodb:Query", "table"}},
		"new-thing":  {{"dynamodb:GetItem", "table"}},
	}
	want := []string{
		"list-users performed dynamodb:Query on the table, which its policy does not allow",
		"new-thing made AWS calls ([dynamodb:GetItem on the table]) but template.yaml declares no function new-thing with a policy",
		"update-user performed s3:PutObject on the file org/o1/uploads/u1.csv, which its policy does not allow",
		"update-user performed s3:GetObject on the file org/o1/exports/e1.csv, which its policy does not allow",
		"update-user performed dynamodb:ConditionCheckItem on the table, which its policy does not allow",
		"update-user performed dynamodb:Query on the index ByName, which its policy does not allow",
		"update-user performed dynamodb:PutItem on the index ByRole, which its policy does not allow",
	}
	if got := Check(calls, policies); !slices.Equal(got, want) {
		t.Errorf("Check =\n%q\nwant\n%q", got, want)
	}
	wantMissing := []string{"delete-user: no AWS call recorded, so nothing checks its policy: drive it in a test with an iamcheck.Recorder"}
	if got := Missing(calls, []string{"list-users", "delete-user"}); !slices.Equal(got, wantMissing) {
		t.Errorf("Missing = %q, want %q", got, wantMissing)
	}
}

func TestParsePolicies_Refuses(t *testing.T) {
	for name, tpl := range map[string]string{
		"a SAM policy template": `
Resources:
  GetUserFunction:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBReadPolicy: {TableName: !Ref RosterTable}
`,
		"a Deny": `
Resources:
  GetUserFunction:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - Statement:
            - Effect: Deny
              Action: dynamodb:Scan
              Resource: "*"
`,
		"a logical id not ending in Function": `
Resources:
  GetUser:
    Type: AWS::Serverless::Function
`,
	} {
		if _, err := ParsePolicies([]byte(tpl)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestFunctionName(t *testing.T) {
	for logical, want := range map[string]string{"UpdateUserFunction": "update-user", "StreamFunction": "stream", "JobWorkerFunction": "job-worker"} {
		if got, ok := FunctionName(logical); !ok || got != want {
			t.Errorf("FunctionName(%s) = %q, %v, want %q", logical, got, ok, want)
		}
	}
}
