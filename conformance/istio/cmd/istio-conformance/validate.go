package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"cdk8s-mesh/conformance/istio/internal/validate"
)

func runValidate(args []string) int {
	fs := flag.NewFlagSet("validate", flag.ExitOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	repo := fs.String("repo", "", "cdk8s-mesh checkout (default: the enclosing one; only locates the allow-list)")
	allow := fs.String("allow-list", "", "allow-list file (default: <repo>/"+AllowListFile+")")
	_ = fs.Parse(reorder(args))
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: istio-conformance validate <dir|file>... [--json]")
		return 2
	}
	root, allowList, err := repoAndAllowList(*repo, *allow)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res, err := validate.Files(fs.Args(), allowList, func(f string) string {
		abs, _ := filepath.Abs(f)
		return rel(root, abs)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	} else {
		for _, f := range res.Findings {
			ns := f.Namespace
			if ns != "" {
				ns += "/"
			}
			status := "FAIL " + f.Severity
			if f.Allowed != "" {
				status = "allowed " + f.Severity
			}
			fmt.Printf("%s: %s#%d %s %s%s: %s\n", status, f.File, f.Index, f.Kind, ns, f.Name, f.Message)
		}
		fmt.Printf("validate: %d Istio objects in %d files, %d findings, %d failures (errors and warnings fail unless allow-listed)\n",
			res.Objects, res.Files, len(res.Findings), res.Failures)
	}
	if res.Failures > 0 {
		return 1
	}
	return 0
}
