package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"cdk8s-mesh/conformance/istio/internal/compare"
	"cdk8s-mesh/conformance/istio/internal/findings"
	"cdk8s-mesh/conformance/istio/internal/istioanalysis"
	"cdk8s-mesh/conformance/istio/internal/manifests"
	"cdk8s-mesh/conformance/istio/internal/ours"
)

func runAnalyze(args []string) int {
	fs := flag.NewFlagSet("analyze", flag.ExitOnError)
	perFile := fs.Bool("per-file", false, "analyze each file as its own set (both sides)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	repo := fs.String("repo", "", "cdk8s-mesh checkout with lib/ built (default: the enclosing one)")
	allow := fs.String("allow-list", "", "allow-list file (default: <repo>/"+AllowListFile+")")
	exact := fs.Bool("istioctl-exact", false, "read files exactly as istioctl --use-kube=false does: Services, Pods, Namespaces, Nodes and Secrets in files are ignored, so the analyzers that need them are skipped")
	_ = fs.Parse(reorder(args))
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: istio-conformance analyze <dir|file>... [--per-file] [--json] [--repo DIR] [--allow-list FILE]")
		return 2
	}
	root, allowList, err := repoAndAllowList(*repo, *allow)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	files, err := manifests.Files(fs.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for i, f := range files {
		files[i], _ = filepath.Abs(f)
	}
	codes, err := ours.Codes(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ourFindings, err := ours.Run(root, files, *perFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	report := compare.NewReport(codes)
	// Messages about every namespace are kept (istioctl -A), since our files span namespaces. The
	// Services, Pods, ... in our files are what a cluster would hold, so they are read too.
	// Each workload's Pod is added, as the cluster would create it.
	opts := istioanalysis.Options{Namespace: "", WithRuntimeKinds: !*exact, PodsFromWorkloads: !*exact}
	sets := [][]string{files}
	if *perFile {
		sets = nil
		for _, f := range files {
			sets = append(sets, []string{f})
		}
	}
	for _, set := range sets {
		where := "(all files)"
		if *perFile {
			where = rel(root, set[0])
		}
		istioFindings, err := istioanalysis.Run(set, opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: Istio's analysis failed: %v\n", where, err)
			return 2
		}
		report.Add(compare.Input{Where: where, Istio: istioFindings, Ours: forFiles(ourFindings, set, *perFile), Codes: codes}, allowList)
	}
	failures := report.Failures()
	if *asJSON {
		printJSON(map[string]any{"files": len(files), "codes": report.Table(), "disagreements": report.Disagreements, "failures": len(failures)})
	} else {
		printDisagreements(os.Stdout, report.Disagreements)
		printTable(os.Stdout, report.Table())
		fmt.Printf("analyze: %d files, %d disagreements (%d allowed), %d failures\n",
			len(files), len(report.Disagreements), len(report.Disagreements)-len(failures), len(failures))
	}
	if len(failures) > 0 {
		return 1
	}
	return 0
}

// forFiles keeps our findings about the given files (all of them when not per file).
func forFiles(fs []findings.Finding, files []string, perFile bool) []findings.Finding {
	if !perFile {
		return fs
	}
	var out []findings.Finding
	for _, f := range fs {
		if f.File == files[0] {
			out = append(out, f)
		}
	}
	return out
}

func rel(root, file string) string {
	if r, err := filepath.Rel(root, file); err == nil {
		return r
	}
	return file
}
