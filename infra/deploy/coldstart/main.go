// Command coldstart measures the cold-start init of functions under AWS's
// Lambda Runtime Interface Emulator (aws-lambda-rie), against a bare Go
// Lambda: `make coldstart`. Each function is built for this machine with
// sam.mk's flags; each run starts the emulator with it on free loopback
// ports, invokes it once with a harmless event (a path no route serves, or
// a stream batch without records) and reads the init phase's duration the
// emulator logs (INIT REPORT). DynamoDB's endpoint is a closed loopback
// port: nothing leaves the machine, and init builds the clients without
// calling AWS.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rosterhq/roster/infra/deploy/rie"
)

// events are what each kind of function is invoked with.
const (
	httpEvent   = `{"version":"2.0","routeKey":"$default","rawPath":"/coldstart","rawQueryString":"","headers":{},"requestContext":{"http":{"method":"GET","path":"/coldstart","sourceIp":"127.0.0.1"},"requestId":"coldstart","routeKey":"$default","stage":"$default"},"isBase64Encoded":false}`
	streamEvent = `{"Records":[]}`
)

func main() {
	runs := flag.Int("runs", 7, "cold starts per function")
	names := flag.String("functions", "login,list-users,stream", "the functions of functions/ to measure, comma-separated")
	rie := flag.String("rie", "", "the aws-lambda-rie binary (default: on PATH, or in GOBIN or GOPATH/bin)")
	root := flag.String("root", ".", "the module root the functions are built from (another checkout to compare)")
	flag.Parse()
	if err := run(*rie, *root, strings.Split(*names, ","), *runs); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(rie, root string, names []string, runs int) error {
	rie, err := findRIE(rie)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	type result struct {
		name, event string
		size        int64
		inits       []float64
	}
	results := []*result{{name: "bare", event: streamEvent}}
	for _, n := range names {
		ev := httpEvent
		if n == "stream" || strings.HasSuffix(n, "-worker") {
			ev = streamEvent
		}
		results = append(results, &result{name: n, event: ev})
	}
	for _, r := range results {
		src, pkg := root, "./functions/"+r.name
		if r.name == "bare" {
			src, pkg = ".", "./infra/deploy/coldstart/bare"
		}
		bin := filepath.Join(dir, r.name, "bootstrap")
		if r.size, err = build(src, pkg, bin); err != nil {
			return err
		}
	}
	// Interleaved, so that the machine's load falls on every function alike.
	for i := range runs {
		for _, r := range results {
			ms, err := coldStart(rie, filepath.Join(dir, r.name, "bootstrap"), r.name, r.event)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", r.name, i+1, err)
			}
			r.inits = append(r.inits, ms)
		}
	}
	base := median(results[0].inits)
	fmt.Printf("Init under aws-lambda-rie (INIT REPORT), median of %d cold starts (%s/%s, %d CPUs)\n\n", runs, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Println("| function | binary (MB) | init median (ms) | min–max (ms) | × bare |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, r := range results {
		m := median(r.inits)
		fmt.Printf("| %s | %.1f | %.1f | %.1f–%.1f | %.2f |\n", r.name, float64(r.size)/1e6, m, slices.Min(r.inits), slices.Max(r.inits), m/base)
	}
	return nil
}

func findRIE(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return rie.Find()
}

// build compiles pkg of the module at dir for this machine with sam.mk's flags.
func build(dir, pkg, out string) (int64, error) {
	out, err := filepath.Abs(out)
	if err != nil {
		return 0, err
	}
	if err := rie.Build(dir, out, pkg); err != nil {
		return 0, err
	}
	info, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// coldStart starts the emulator with bin, invokes it once with event and
// returns the Init Duration it reports, in milliseconds.
func coldStart(emulator, bin, name, event string) (float64, error) {
	closed, err := rie.FreePort() // DynamoDB's endpoint: refused at once
	if err != nil {
		return 0, err
	}
	f, err := rie.Start(emulator, bin, name, lambdaEnv(name, "http://"+closed), "info")
	if err != nil {
		return 0, err
	}
	defer f.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, _, err := f.Invoke(ctx, []byte(event)); err != nil {
		return 0, err
	}
	// The REPORT line comes with the response or just after.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ms, ok := initDuration(f.Logs.String()); ok {
			return ms, nil
		}
	}
	return 0, fmt.Errorf("no INIT REPORT in the emulator's log:\n%s", f.Logs.String())
}

// lambdaEnv is the environment Lambda gives a function, with dummy
// credentials, and without this machine's AWS settings.
func lambdaEnv(name, dynamoEndpoint string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "AWS_") && k != "LOG_LEVEL" && k != "GOMEMLIMIT" {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_LAMBDA_FUNCTION_NAME="+name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_FUNCTION_TIMEOUT=30",
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIDCOLDSTART",
		"AWS_SECRET_ACCESS_KEY=coldstart",
		"TABLE_NAME=roster",
		"DYNAMODB_ENDPOINT="+dynamoEndpoint,
		"SES_SENDER=no-reply@roster.test",
		"FILES_BUCKET=roster-files",
		"SECURE_COOKIES=true",
	)
}

// initRE matches the emulator's log line of the init phase: from starting
// the runtime to its first request for an event. (The REPORT line's "Init
// Duration" of this emulator counts only its own bookkeeping.)
var initRE = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)

// initDuration reads the init phase's duration from the emulator's log.
func initDuration(log string) (float64, bool) {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		if m := initRE.FindStringSubmatch(sc.Text()); m != nil {
			ms, err := strconv.ParseFloat(m[1], 64)
			return ms, err == nil
		}
	}
	return 0, false
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
