package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"cdk8s-mesh/conformance/istio/internal/findings"
	"cdk8s-mesh/conformance/istio/internal/ours"
	"cdk8s-mesh/conformance/istio/internal/parity"
)

func runParity(args []string) int {
	fs := flag.NewFlagSet("parity", flag.ExitOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	verbose := fs.Bool("v", false, "also list allowed disagreements and every compared case")
	repo := fs.String("repo", "", "cdk8s-mesh checkout with lib/ built (default: the enclosing one)")
	allow := fs.String("allow-list", "", "allow-list file (default: <repo>/"+AllowListFile+")")
	istioDir := fs.String("istio-dir", "", "istio.io/istio source (default: the pinned module, via go list -m)")
	only := fs.String("case", "", "run only the cases whose name contains this")
	_ = fs.Parse(reorder(args))
	root, allowList, err := repoAndAllowList(*repo, *allow)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if *istioDir == "" {
		if *istioDir, err = pinnedIstioDir(root); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	cases, err := parity.LoadCases(*istioDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	codes, err := ours.Codes(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res, err := parity.Run(parity.Options{
		Cases: cases, Codes: codes, Allow: allowList, Only: *only, Workers: runtime.NumCPU(),
		Ours: func(files []string) ([]findings.Finding, error) { return ours.Run(root, files, false) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	failures := res.Report.Failures()
	var broken []parity.CaseResult
	mismatched := 0
	for _, c := range res.Cases {
		if c.Error != "" {
			broken = append(broken, c)
		}
		if c.Error != "" || len(c.OracleMismatch) > 0 {
			mismatched++
		}
	}
	var places []string
	for _, c := range res.Cases {
		places = append(places, c.Name)
	}
	stale := allowList.StaleTemporary(places)
	if *asJSON {
		printJSON(map[string]any{
			"istioDir": *istioDir, "cases": res.Cases, "skippedCases": res.Skipped,
			"codes": res.Report.Table(), "disagreements": res.Report.Disagreements, "failures": len(failures),
			"staleAllowListEntries": stale,
		})
	} else {
		for _, c := range res.Cases {
			if *verbose || c.Error != "" || len(c.OracleMismatch) > 0 {
				fmt.Printf("case %s (%s; codes %s)\n", c.Name, c.Analyzer, strings.Join(c.Codes, ","))
			}
			if c.Error != "" {
				fmt.Printf("  ERROR %s\n", c.Error)
			}
			for _, m := range c.OracleMismatch {
				fmt.Printf("  oracle differs from analyzers_test.go: %s\n", m)
			}
		}
		ds := failures
		if *verbose {
			ds = res.Report.Disagreements
		}
		printDisagreements(os.Stdout, ds)
		printTable(os.Stdout, res.Report.Table())
		for _, e := range stale {
			fmt.Printf("stale allow-list entry (temporary, matches nothing now: remove it): %s %s [%s] %s\n", e.Code, e.Resource, e.Where, e.Reason)
		}
		fmt.Printf("parity: %d of Istio's analyzer test cases compared (%d skipped: their analyzer emits none of our codes), "+
			"%d disagreements (%d allowed), %d failures, %d cases that could not run; Istio's oracle reproduces analyzers_test.go on %d of %d cases\n",
			len(res.Cases), res.Skipped, len(res.Report.Disagreements), len(res.Report.Disagreements)-len(failures),
			len(failures), len(broken), len(res.Cases)-mismatched, len(res.Cases))
	}
	if len(failures) > 0 || len(broken) > 0 {
		return 1
	}
	return 0
}

// pinnedIstioDir is the module cache folder of the istio.io/istio version go.mod pins.
func pinnedIstioDir(root string) (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "istio.io/istio")
	cmd.Dir = filepath.Join(root, "conformance", "istio")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		return "", fmt.Errorf("locating istio.io/istio (go list -m): %v %s; build the harness first (go build downloads it)", err, stderr.String())
	}
	return dir, nil
}
