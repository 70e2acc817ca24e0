// Command sizes builds every function of functions/ as `sam build` does
// (linux/arm64, CGO_ENABLED=0, sam.mk's flags) and prints a table of the
// binaries' sizes: `make sizes`. -root measures another checkout.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// buildFlags are SAM_GO_FLAGS of infra/deploy/sam.mk.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags=-s -w"}

func main() {
	root := flag.String("root", ".", "the module root")
	tsv := flag.Bool("tsv", false, "print function<TAB>bytes lines instead of a table")
	flag.Parse()
	if err := run(*root, *tsv); err != nil {
		fmt.Fprintln(os.Stderr, "sizes:", err)
		os.Exit(1)
	}
}

func run(root string, tsv bool) error {
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	out, err := os.MkdirTemp("", "sizes")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)

	sizes := make([]int64, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			sizes[i], errs[i] = build(root, name, filepath.Join(out, name))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if tsv {
		for i, name := range names {
			fmt.Printf("%s\t%d\n", name, sizes[i])
		}
		return nil
	}
	fmt.Println("| function | size (MB) |")
	fmt.Println("|---|---:|")
	for i, name := range names {
		fmt.Printf("| %s | %s |\n", name, mb(sizes[i]))
	}
	sorted := slices.Sorted(slices.Values(sizes))
	fmt.Printf("\n%d functions: smallest %s MB, median %s MB, largest %s MB (linux/arm64, sam.mk's flags; MB = 10^6 bytes)\n",
		len(sizes), mb(sorted[0]), mb(sorted[len(sorted)/2]), mb(sorted[len(sorted)-1]))
	return nil
}

// build compiles ./functions/name to out and returns its size in bytes.
func build(root, name, out string) (int64, error) {
	args := append([]string{"build"}, buildFlags...)
	cmd := exec.Command("go", append(args, "-o", out, "./functions/"+name)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("build %s: %v\n%s", name, err, strings.TrimSpace(string(msg)))
	}
	info, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

func mb(n int64) string { return fmt.Sprintf("%.1f", float64(n)/1e6) }
