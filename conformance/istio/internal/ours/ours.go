// Package ours runs cdk8s-mesh's analyzer (the built CLI, lib/src/cli/main.js) and knows which
// Istio codes it implements.
package ours

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"cdk8s-mesh/conformance/istio/internal/findings"
)

// CLI is the built analyzer entry point relative to the repository root.
const CLI = "lib/src/cli/main.js"

// Run analyzes the files (as one set, or each file on its own with perFile) and returns the
// findings with absolute file paths.
func Run(repoRoot string, files []string, perFile bool) ([]findings.Finding, error) {
	cli := filepath.Join(repoRoot, CLI)
	if _, err := os.Stat(cli); err != nil {
		return nil, fmt.Errorf("%s not found: run npm run build in %s first", cli, repoRoot)
	}
	args := []string{cli, "analyze", "--json"}
	if perFile {
		args = append(args, "--per-file")
	}
	args = append(args, files...)
	cmd := exec.Command("node", args...)
	cmd.Dir = repoRoot
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		err = nil // exit 1 only means errors were found
	}
	if err != nil {
		return nil, fmt.Errorf("our analyzer: %v: %s", err, strings.TrimSpace(stderr.String()+stdout.String()))
	}
	var out struct {
		Findings []struct {
			Code, Severity, Resource, Message, File string
		} `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("our analyzer printed no JSON: %v", err)
	}
	res := make([]findings.Finding, 0, len(out.Findings))
	for _, f := range out.Findings {
		file := f.File
		if file != "" && !filepath.IsAbs(file) {
			file = filepath.Join(repoRoot, file)
		}
		res = append(res, findings.Finding{Code: f.Code, Level: f.Severity, Resource: f.Resource, Message: f.Message, File: file})
	}
	return res, nil
}

// Codes lists the Istio codes (IST*) our analyzer implements, as its registry declares them
// (every analyzer in lib/src/analysis/registry.js lists the codes it can report).
func Codes(repoRoot string) (map[string]bool, error) {
	script := "console.log(JSON.stringify(require('./lib/src/analysis/registry').ANALYZERS.flatMap((a) => a.codes)))"
	cmd := exec.Command("node", "-e", script)
	cmd.Dir = repoRoot
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("reading our analyzer's codes: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var all []string
	if err := json.Unmarshal(out, &all); err != nil {
		return nil, fmt.Errorf("reading our analyzer's codes: %v", err)
	}
	codes := map[string]bool{}
	for _, c := range all {
		if strings.HasPrefix(c, "IST") {
			codes[c] = true
		}
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("our analyzer's registry declares no IST codes")
	}
	return codes, nil
}
