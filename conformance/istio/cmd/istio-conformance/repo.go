package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"cdk8s-mesh/conformance/istio/internal/allowlist"
	"cdk8s-mesh/conformance/istio/internal/compare"
)

// AllowListFile is the allow-list's path relative to the repository root.
const AllowListFile = "conformance/istio/allowlist.yaml"

// findRepoRoot walks up from the working directory to the cdk8s-mesh checkout (the folder that
// holds package.json and this module).
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "conformance", "istio", "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside a cdk8s-mesh checkout: give --repo")
		}
		dir = parent
	}
}

// repoAndAllowList resolves --repo and --allow-list (defaults: the enclosing checkout, its allow-list).
func repoAndAllowList(repo, allow string) (string, *allowlist.List, error) {
	if repo == "" {
		r, err := findRepoRoot()
		if err != nil {
			return "", nil, err
		}
		repo = r
	}
	repo, err := filepath.Abs(repo)
	if err != nil {
		return "", nil, err
	}
	if allow == "" {
		allow = filepath.Join(repo, AllowListFile)
	}
	l, err := allowlist.Load(allow)
	return repo, l, err
}

// printTable prints the per-code summary.
func printTable(w io.Writer, rows []compare.CodeStats) {
	fmt.Fprintf(w, "%-8s %8s %6s %6s %6s %8s\n", "code", "expected", "found", "missed", "extra", "allowed")
	var t compare.CodeStats
	for _, r := range rows {
		fmt.Fprintf(w, "%-8s %8d %6d %6d %6d %8d\n", r.Code, r.Expected, r.Found, r.Missed, r.Extra, r.Allowed)
		t.Expected += r.Expected
		t.Found += r.Found
		t.Missed += r.Missed
		t.Extra += r.Extra
		t.Allowed += r.Allowed
	}
	fmt.Fprintf(w, "%-8s %8d %6d %6d %6d %8d\n", "total", t.Expected, t.Found, t.Missed, t.Extra, t.Allowed)
}

// printDisagreements lists the disagreements, allowed ones with their reason.
func printDisagreements(w io.Writer, ds []compare.Disagreement) {
	for _, d := range ds {
		what := "missed (Istio reports it, we do not)"
		if d.Side == "ours" {
			what = "extra (we report it, Istio does not)"
		}
		status := "FAIL"
		if d.Allowed != "" {
			status = "allowed"
		}
		fmt.Fprintf(w, "%s %s %s [%s] %s", status, d.Code, d.Resource, d.Where, what)
		if d.Allowed != "" {
			fmt.Fprintf(w, ": %s", d.Allowed)
		}
		fmt.Fprintln(w)
	}
}

func printJSON(v any) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
