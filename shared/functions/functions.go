// Package functions is the one list of Roster's Lambda functions: each
// function's deploy settings (memory, timeout, IAM policy, the adapters its
// main wires, its event source when it serves no route). With the route
// table, httpapi.Routes, it is the source that `go generate ./...` writes
// template.yaml's functions, functions/*/main.go and the build rules from
// (infra/deploy/genfunctions; docs/functions.md).
package functions

import (
	"fmt"
	"strings"
)

//go:generate go run ../../infra/deploy/genfunctions -root ../..

// Function is one Lambda function and how it is deployed.
type Function struct {
	Name        string // the folder functions/<Name>; an HTTP function serves the routes of httpapi.Routes with this Function
	About       string // what it does, one sentence or a few: the comment above its resource
	Description string // the resource's Description; empty for an HTTP function: "Roster <Name> (<route>)"
	Main        string // the shared/app/core function its main calls; empty for an HTTP function: ServeFunction

	MemoryMB       int // 0: the Globals' 256
	TimeoutSeconds int // 0: the Globals' 10

	Email bool // its main wires SES (shared/app/withmail)
	Files bool // its main wires S3 and the upload reader (shared/app/withfiles)

	Env    []Env       // variables besides the Globals'; a function serving no route also has ORIGIN_SECRET set empty
	Policy []Statement // its one inline policy

	Stream   *Stream   // an event source mapping on the table's stream
	Schedule *Schedule // an EventBridge schedule
}

// HTTP reports whether the function serves routes of the API.
func (f Function) HTTP() bool { return f.Stream == nil && f.Schedule == nil }

// LogicalID returns the function's logical id in template.yaml: list-users
// is ListUsersFunction.
func LogicalID(name string) string {
	b := make([]byte, 0, len(name)+8)
	upper := true
	for i := range len(name) {
		c := name[i]
		if c == '-' {
			upper = true
			continue
		}
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		b = append(b, c)
	}
	return string(b) + "Function"
}

// How every function is deployed (template.yaml, generated per function):
// it logs JSON into the stack's one log group FunctionLogGroup (its log
// streams are named after the function), each deploy publishes a version
// behind the alias LiveAlias that the API's routes, the stream mappings and
// the schedule invoke, and CodeDeploy shifts traffic to it as the
// DeploymentType parameter says (a canary by default), rolling back when one
// of RollbackAlarms goes off.
const (
	LiveAlias        = "live"
	FunctionLogGroup = "FunctionLogs"
)

// RollbackAlarms returns the logical ids of the alarms that roll back a
// deployment of f: the failed invocations of its group of functions, and
// for an HTTP function the application's 5xx answers, or for a stream
// reader its mapping's iterator age. Not the API's 5xx rate and latency:
// those alarms name the API, whose routes name the aliases, which name
// their deployment groups, so a deployment group naming them would be a
// circular dependency; the application's own 5xx answers cover the first.
func RollbackAlarms(f Function) []string {
	alarms := []string{ErrorsAlarm(f.Name)}
	switch {
	case f.HTTP():
		alarms = append(alarms, "ApplicationErrorsAlarm")
	case f.Stream != nil:
		alarms = append(alarms, IteratorAgeAlarm(f.Name))
	}
	return alarms
}

// IteratorAgeAlarm returns the logical id of the iterator age alarm of a
// stream reader: stream is StreamIteratorAgeAlarm.
func IteratorAgeAlarm(name string) string {
	return strings.TrimSuffix(LogicalID(name), "Function") + "IteratorAgeAlarm"
}

// ErrorsAlarmGroup is how many functions' Errors one alarm adds up: an
// alarm's metric math takes at most 10 metrics (ErrorsAlarmGroup and the
// sum), and an alarm per function would take the stack past CloudFormation's
// 500 resources (README, Deploying: Logs, alarms, dashboard).
const ErrorsAlarmGroup = 9

// ErrorsAlarm returns the logical id of the alarm counting the failed
// invocations of the function named name, with those of its group: the
// functions of All in groups of ErrorsAlarmGroup, FunctionErrors1Alarm first.
// It panics for a name not in All.
func ErrorsAlarm(name string) string {
	for i, f := range All {
		if f.Name == name {
			return fmt.Sprintf("FunctionErrors%dAlarm", i/ErrorsAlarmGroup+1)
		}
	}
	panic("functions: no function " + name)
}

// Env is one environment variable; Value is YAML (a CloudFormation value).
type Env struct {
	Name, Value string
}

// RefAppURL is the AppUrl parameter.
const RefAppURL = "!Ref AppUrl"

// Statement is one statement of a function's policy; its Effect is Allow.
type Statement struct {
	Sid       string
	Actions   []string
	Resources []string // YAML values: Table, Index("ByRole"), Objects("org/*")...
	// FromSenderOnly limits the statement to email sent as SenderEmail
	// (ses:FromAddress); every SES statement must have it.
	FromSenderOnly bool
}

// The resources of policies, as YAML values.
const (
	Table         = "!GetAtt RosterTable.Arn"
	EveryIndex    = `!Sub "${RosterTable.Arn}/index/*"`
	Bucket        = "!GetAtt FilesBucket.Arn"
	SESIdentities = `!Sub "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"`
)

// Index returns one index of the table.
func Index(name string) string { return `!Sub "${RosterTable.Arn}/index/` + name + `"` }

// Objects returns the objects of the files bucket whose keys match pattern.
func Objects(pattern string) string { return `!Sub "${FilesBucket.Arn}/` + pattern + `"` }

// Stream is an event source mapping on the table's stream, from its oldest
// record, reporting failed records by SequenceNumber, with records older
// than the stream's 24 hours dropped and those that keep failing sent to
// StreamFailureQueue.
type Stream struct {
	BatchSize             int
	BatchingWindowSeconds int  // 0: none
	BisectOnError         bool // halve a failing batch
	Retries               int
	Filters               []string // the records it is given: event filter patterns, JSON
}

// Schedule is an EventBridge schedule.
type Schedule struct {
	Event       string // the event's name in the template: Daily
	Expression  string // cron(...) or rate(...)
	Description string
}

// ByName returns the function named name in All.
func ByName(name string) (Function, bool) {
	for _, f := range All {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}
