// Command genfunctions writes what the list of functions (shared/functions
// and httpapi.Routes) decides: template.yaml's function resources, between
// its generated markers; functions/*/main.go; and infra/deploy/functions.mk,
// the logical ids and folders the build rule of sam.mk reads. `go generate
// ./...` runs it; its test fails when a written file is stale.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rosterhq/roster/shared/functions"
	"github.com/rosterhq/roster/shared/httpapi"
)

func main() {
	root := flag.String("root", ".", "the module root")
	flag.Parse()
	files, err := generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genfunctions:", err)
		os.Exit(1)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(*root, filepath.FromSlash(name))
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, files[name]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "genfunctions:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "genfunctions:", err)
			os.Exit(1)
		}
	}
}

// The markers around the generated part of template.yaml.
const (
	beginMarker = "  # BEGIN GENERATED FUNCTIONS: `go generate ./...` writes this part from\n  # shared/functions and httpapi.Routes (infra/deploy/genfunctions): edit there.\n"
	endMarker   = "  # END GENERATED FUNCTIONS\n"
)

// generate returns every generated file, by slash-separated path under root.
func generate(root string) (map[string][]byte, error) {
	if err := check(functions.All, httpapi.Routes); err != nil {
		return nil, err
	}
	tpl, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	begin, end := bytes.Index(tpl, []byte(beginMarker)), bytes.Index(tpl, []byte(endMarker))
	if begin < 0 || end < begin {
		return nil, errors.New("template.yaml: no BEGIN GENERATED FUNCTIONS ... END GENERATED FUNCTIONS markers")
	}
	var out bytes.Buffer
	out.Write(tpl[:begin+len(beginMarker)])
	for _, f := range functions.All {
		out.WriteString("\n")
		writeResource(&out, f, routesOf(f.Name))
	}
	writeAlarms(&out, functions.All)
	out.WriteString("\n")
	out.Write(tpl[end:])

	files := map[string][]byte{
		"template.yaml":             out.Bytes(),
		"infra/deploy/functions.mk": makeMappings(functions.All),
	}
	for _, f := range functions.All {
		src, err := mainGo(f, routesOf(f.Name))
		if err != nil {
			return nil, fmt.Errorf("functions/%s/main.go: %w", f.Name, err)
		}
		files["functions/"+f.Name+"/main.go"] = src
	}
	return files, nil
}

func routesOf(name string) []httpapi.Route {
	var rs []httpapi.Route
	for _, rt := range httpapi.Routes {
		if rt.Function == name {
			rs = append(rs, rt)
		}
	}
	return rs
}

// check refuses a list that cannot be deployed as written: a route of no
// function, an HTTP function without routes, a permission without the
// adapter that uses it, email not limited to the sender.
func check(all []functions.Function, routes []httpapi.Route) error {
	var errs []error
	seen := map[string]bool{}
	for _, f := range all {
		if seen[f.Name] {
			errs = append(errs, fmt.Errorf("%s is listed twice", f.Name))
		}
		seen[f.Name] = true
		n := 0
		for _, rt := range routes {
			if rt.Function == f.Name {
				n++
			}
		}
		switch {
		case f.HTTP() && n == 0:
			errs = append(errs, fmt.Errorf("%s has no event source and no route of httpapi.Routes", f.Name))
		case !f.HTTP() && n > 0:
			errs = append(errs, fmt.Errorf("%s serves routes but has a stream or schedule", f.Name))
		case f.Stream != nil && f.Schedule != nil:
			errs = append(errs, fmt.Errorf("%s has both a stream and a schedule", f.Name))
		case !f.HTTP() && (f.Main == "" || f.Description == ""):
			errs = append(errs, fmt.Errorf("%s serves no route: it needs a Main and a Description", f.Name))
		}
		for _, st := range f.Policy {
			for _, a := range st.Actions {
				switch {
				case strings.HasPrefix(a, "ses:") && !f.Email:
					errs = append(errs, fmt.Errorf("%s may %s but its main does not wire email (Email)", f.Name, a))
				case strings.HasPrefix(a, "ses:") && !st.FromSenderOnly:
					errs = append(errs, fmt.Errorf("%s: statement %s sends email from any address (FromSenderOnly)", f.Name, st.Sid))
				case strings.HasPrefix(a, "s3:") && !f.Files:
					errs = append(errs, fmt.Errorf("%s may %s but its main does not wire files (Files)", f.Name, a))
				case a == "dynamodb:Scan":
					errs = append(errs, fmt.Errorf("%s may Scan: no function may", f.Name))
				}
			}
		}
	}
	for _, rt := range routes {
		if !seen[rt.Function] {
			errs = append(errs, fmt.Errorf("route %s: function %s is not in shared/functions", rt.Pattern(), rt.Function))
			seen[rt.Function] = true
		}
	}
	return errors.Join(errs...)
}

// comment writes text as YAML comment lines of at most 80 columns.
func comment(b *bytes.Buffer, indent, text string) {
	line := indent + "#"
	for w := range strings.FieldsSeq(text) {
		if len(line)+1+len(w) > 80 && line != indent+"#" {
			b.WriteString(line + "\n")
			line = indent + "#"
		}
		line += " " + w
	}
	if line != indent+"#" {
		b.WriteString(line + "\n")
	}
}

// quote returns s as a YAML scalar: plain when that reads back the same.
func quote(s string) string {
	if s == "" || strings.ContainsAny(s[:1], "!&*-?[]{}|>'\"%@`#,:") || strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}

func writeResource(b *bytes.Buffer, f functions.Function, routes []httpapi.Route) {
	var patterns []string
	for _, rt := range routes {
		patterns = append(patterns, rt.Pattern())
	}
	desc := f.Description
	if f.HTTP() {
		comment(b, "  ", strings.Join(patterns, ", ")+". "+f.About)
		desc = "Roster " + f.Name + " (" + strings.Join(patterns, ", ") + ")"
	} else {
		comment(b, "  ", f.About)
	}
	fmt.Fprintf(b, "  %s:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildMethod: makefile\n    Properties:\n", functions.LogicalID(f.Name))
	fmt.Fprintf(b, "      Description: %s\n", quote(desc))
	if f.TimeoutSeconds != 0 {
		fmt.Fprintf(b, "      Timeout: %d\n", f.TimeoutSeconds)
	}
	if f.MemoryMB != 0 {
		fmt.Fprintf(b, "      MemorySize: %d\n", f.MemoryMB)
	}
	// JSON logs into the stack's log group, whose retention is a parameter.
	fmt.Fprintf(b, "      LoggingConfig:\n        LogFormat: JSON\n        LogGroup: !Ref %s\n", functions.FunctionLogGroup)
	// Each deploy publishes a version behind the alias, which every event
	// source invokes; CodeDeploy shifts traffic to it and rolls back on alarm.
	fmt.Fprintf(b, "      AutoPublishAlias: %s\n", functions.LiveAlias)
	b.WriteString("      DeploymentPreference:\n        Type: !Ref DeploymentType\n        Alarms:\n")
	for _, a := range functions.RollbackAlarms(f) {
		fmt.Fprintf(b, "          - !Ref %s\n", a)
	}
	env := f.Env
	if !f.HTTP() {
		env = append(slices.Clip(env), functions.Env{Name: "ORIGIN_SECRET", Value: `""`})
	}
	if len(env) > 0 {
		b.WriteString("      Environment:\n        Variables:\n")
		for _, e := range env {
			fmt.Fprintf(b, "          %s: %s\n", e.Name, e.Value)
		}
	}
	b.WriteString("      Policies:\n        - Statement:\n")
	for _, st := range f.Policy {
		fmt.Fprintf(b, "            - Sid: %s\n              Effect: Allow\n              Action:\n", st.Sid)
		for _, a := range st.Actions {
			fmt.Fprintf(b, "                - %s\n", a)
		}
		if len(st.Resources) == 1 {
			fmt.Fprintf(b, "              Resource: %s\n", st.Resources[0])
		} else {
			b.WriteString("              Resource:\n")
			for _, r := range st.Resources {
				fmt.Fprintf(b, "                - %s\n", r)
			}
		}
		if st.FromSenderOnly {
			b.WriteString("              Condition:\n                StringEquals:\n                  ses:FromAddress: !Ref SenderEmail\n")
		}
	}
	if f.Stream != nil {
		b.WriteString("        # Reading the stream and sending to the on-failure queue are granted\n        # by SAM from the event below (AWSLambdaDynamoDBExecutionRole, and\n        # sqs:SendMessage on that queue only).\n")
	}
	b.WriteString("      Events:\n")
	switch {
	case f.Stream != nil:
		s := f.Stream
		b.WriteString("        Stream:\n          Type: DynamoDB\n          Properties:\n            Stream: !GetAtt RosterTable.StreamArn\n")
		b.WriteString("            # From the oldest record kept: a new deployment misses no change.\n            StartingPosition: TRIM_HORIZON\n")
		fmt.Fprintf(b, "            BatchSize: %d\n", s.BatchSize)
		if s.BatchingWindowSeconds != 0 {
			fmt.Fprintf(b, "            MaximumBatchingWindowInSeconds: %d\n", s.BatchingWindowSeconds)
		}
		b.WriteString("            # The function reports the SequenceNumber of the first record it\n            # failed; Lambda retries from there instead of redoing the batch.\n            FunctionResponseTypes: [ReportBatchItemFailures]\n")
		if s.BisectOnError {
			b.WriteString("            BisectBatchOnFunctionError: true\n")
		}
		fmt.Fprintf(b, "            MaximumRetryAttempts: %d\n", s.Retries)
		b.WriteString("            # Never older than the stream's own 24-hour retention.\n            MaximumRecordAgeInSeconds: 86400\n")
		b.WriteString("            FilterCriteria:\n              Filters:\n")
		for _, p := range s.Filters {
			fmt.Fprintf(b, "                - Pattern: '%s'\n", strings.ReplaceAll(p, "'", "''"))
		}
		b.WriteString("            DestinationConfig:\n              OnFailure:\n                Type: SQS\n                Destination: !GetAtt StreamFailureQueue.Arn\n")
	case f.Schedule != nil:
		fmt.Fprintf(b, "        %s:\n          Type: Schedule\n          Properties:\n            Schedule: %s\n            Description: %s\n", f.Schedule.Event, f.Schedule.Expression, quote(f.Schedule.Description))
	default:
		for i, rt := range routes {
			name := "Api"
			if i > 0 {
				name = fmt.Sprintf("Api%d", i+1)
			}
			fmt.Fprintf(b, "        %s:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref HttpApi\n            Method: %s\n            Path: %s\n", name, rt.Method, rt.Path)
		}
	}
}

// writeAlarms writes the alarms that depend on the list of functions: each
// stream reader's iterator age, and the failed invocations of the functions
// in groups of functions.ErrorsAlarmGroup (one metric math alarm each: an
// alarm per function would take the stack past 500 resources). They notify
// AlarmTopic and roll back deployments (functions.RollbackAlarms).
func writeAlarms(b *bytes.Buffer, all []functions.Function) {
	for _, f := range all {
		if f.Stream == nil {
			continue
		}
		b.WriteString("\n")
		comment(b, "  ", fmt.Sprintf("%s is falling behind the table's stream: its oldest record unread for more than 5 minutes, 5 minutes running (README, Deploying: what to do when an alarm fires).", f.Name))
		fmt.Fprintf(b, `  %s:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: !Sub "Roster (${AWS::StackName}): %s is more than 5 minutes behind the table's stream"
      Namespace: AWS/Lambda
      MetricName: IteratorAge
      Dimensions:
        - Name: FunctionName
          Value: !Ref %s
      Statistic: Maximum
      Period: 60
      EvaluationPeriods: 5
      DatapointsToAlarm: 5
      Threshold: 300000
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]
`, functions.IteratorAgeAlarm(f.Name), f.Name, functions.LogicalID(f.Name))
	}
	for start := 0; start < len(all); start += functions.ErrorsAlarmGroup {
		group := all[start:min(start+functions.ErrorsAlarmGroup, len(all))]
		var names []string
		for _, f := range group {
			names = append(names, f.Name)
		}
		b.WriteString("\n")
		comment(b, "  ", "Failed invocations (crashes, timeouts, errors returned to Lambda) of "+strings.Join(names, ", ")+".")
		fmt.Fprintf(b, `  %s:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: !Sub "Roster (${AWS::StackName}): a function failed: %s"
      Metrics:
        - Id: errors
          Label: Errors
          Expression: SUM(METRICS())
          ReturnData: true
`, functions.ErrorsAlarm(group[0].Name), strings.Join(names, ", "))
		for i, f := range group {
			fmt.Fprintf(b, `        - Id: m%d
          Label: %s
          ReturnData: false
          MetricStat:
            Metric:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions:
                - Name: FunctionName
                  Value: !Ref %s
            Period: 60
            Stat: Sum
`, i+1, f.Name, functions.LogicalID(f.Name))
		}
		b.WriteString(`      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]
`)
	}
}

// header marks every generated file but template.yaml, whose markers say it.
const header = "Code generated by infra/deploy/genfunctions from shared/functions and httpapi.Routes; DO NOT EDIT."

func mainGo(f functions.Function, routes []httpapi.Route) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n", header)
	call := fmt.Sprintf("core.ServeFunction(context.Background(), %q", f.Name)
	if f.HTTP() {
		var patterns []string
		for _, rt := range routes {
			patterns = append(patterns, rt.Pattern())
		}
		fmt.Fprintf(&b, "// Command %s serves %s as an AWS Lambda function.\n", f.Name, strings.Join(patterns, ", "))
	} else {
		fmt.Fprintf(&b, "// Command %s runs the %s as an AWS Lambda function.\n", f.Name, strings.TrimPrefix(f.Description, "Roster "))
		call = fmt.Sprintf("core.%s(context.Background()", f.Main)
	}
	imports := []string{`"github.com/rosterhq/roster/shared/app/core"`}
	if f.Email {
		imports = append(imports, `"github.com/rosterhq/roster/shared/app/withmail"`)
		call += ", withmail.Adapter"
	}
	if f.Files {
		imports = append(imports, `"github.com/rosterhq/roster/shared/app/withfiles"`)
		call += ", withfiles.Adapter"
	}
	fmt.Fprintf(&b, `package main

import (
	"context"
	"log/slog"
	"os"

	%s
)

func main() {
	if err := %s); err != nil {
		slog.Error("start", "function", %q, "err", err)
		os.Exit(1)
	}
}
`, strings.Join(imports, "\n\t"), call, f.Name)
	return format.Source(b.Bytes())
}

func makeMappings(all []functions.Function) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", header)
	b.WriteString("# The functions of template.yaml by logical id, and the folder of each\n# under functions/: the build-%Function rule of infra/deploy/sam.mk reads them.\n\n")
	b.WriteString("SAM_FUNCTIONS :=")
	for _, f := range all {
		b.WriteString(" \\\n  " + functions.LogicalID(f.Name))
	}
	b.WriteString("\n\n")
	for _, f := range all {
		fmt.Fprintf(&b, "function_dir_%s := %s\n", strings.TrimSuffix(functions.LogicalID(f.Name), "Function"), f.Name)
	}
	return b.Bytes()
}
