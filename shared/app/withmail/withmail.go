// Package withmail adds email to a function: the SES client and the mailer.
// Only the functions that send email import it.
package withmail

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	awsses "github.com/aws/aws-sdk-go-v2/service/ses"

	"github.com/rosterhq/roster/shared/app/core"
	"github.com/rosterhq/roster/shared/ses"
)

// Adapter builds the SES client (at SES_ENDPOINT when set) and the mailer
// sending as SES_SENDER; without a sender nothing sends email.
func Adapter(awsCfg aws.Config, c core.Config, parts *core.Parts) {
	if c.Sender == "" {
		return
	}
	client := awsses.NewFromConfig(awsCfg, func(o *awsses.Options) {
		if c.SESEndpoint != "" {
			o.BaseEndpoint = aws.String(c.SESEndpoint)
		}
	})
	parts.Mailer = ses.New(client, c.Sender)
}

var _ core.Adapter = Adapter
