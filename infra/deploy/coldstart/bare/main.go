// Command bare is a bare Go Lambda function, the baseline of
// infra/deploy/coldstart: it answers every event with "ok".
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, json.RawMessage) (string, error) { return "ok", nil })
}
