package simulate

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	istiolog "istio.io/istio/pkg/log"
)

// Command runs `simulate [--dist DIR] PATH...`: every scenario table found at PATH (a
// scenarios.yaml file, or a directory searched for <dir>/scenarios.yaml and <dir>/*/scenarios.yaml)
// against the outputs in DIR. It prints one line per scenario and returns the exit code: 0 when
// all pass, 1 when one fails, 2 on bad usage or an unreadable table.
func Command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dist := fs.String("dist", "dist", "directory holding the synthesized outputs")
	verbose := fs.Bool("v", false, "print what happened to passing scenarios too, and Istio's error logs")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: simulate [--dist DIR] [-v] SCENARIOS.yaml|DIR...")
		return 2
	}
	files, err := findTables(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var scenarios []Located
	for _, f := range files {
		table, err := LoadFile(f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		for _, s := range table.Scenarios {
			scenarios = append(scenarios, Located{Scenario: s, Source: f})
		}
	}
	quietIstio(*verbose)
	start := time.Now()
	results := Run(*dist, scenarios)
	failed := Report(stdout, results, *verbose)
	fmt.Fprintf(stdout, "simulate: %d scenarios from %d tables, %d passed, %d failed (%s)\n",
		len(results), len(files), len(results)-failed, failed, time.Since(start).Round(time.Millisecond))
	if failed > 0 {
		return 1
	}
	return 0
}

// Report prints one line per scenario, with the differences under a failing one, and returns the
// number of failures.
func Report(w io.Writer, results []Result, verbose bool) int {
	failed := 0
	for _, r := range results {
		switch {
		case r.Err != nil:
			failed++
			fmt.Fprintf(w, "FAIL %s: %s\n     error: %v\n", r.Source, r.Name, r.Err)
		case len(r.Diffs) > 0:
			failed++
			fmt.Fprintf(w, "FAIL %s: %s\n", r.Source, r.Name)
			for _, d := range r.Diffs {
				fmt.Fprintf(w, "     %s\n", d)
			}
		default:
			fmt.Fprintf(w, "ok   %s: %s\n", r.Source, r.Name)
			if verbose {
				fmt.Fprintf(w, "     %+v\n", r.Outcome)
			}
		}
	}
	return failed
}

func findTables(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(p, "scenarios.yaml"))
		nested, _ := filepath.Glob(filepath.Join(p, "*", "scenarios.yaml"))
		found = append(found, nested...)
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no scenarios.yaml in it or its subdirectories", p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return out, nil
}

// quietIstio silences Istio's logs (the fake discovery server logs errors about CRDs it does not
// have and about the anonymous client's missing Service); -v keeps its errors.
func quietIstio(verbose bool) {
	level := istiolog.NoneLevel
	if verbose {
		level = istiolog.ErrorLevel
	}
	for _, s := range istiolog.Scopes() {
		s.SetOutputLevel(level)
	}
}
