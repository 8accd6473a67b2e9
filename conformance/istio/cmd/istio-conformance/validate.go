package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"cdk8s-mesh/conformance/istio/internal/validate"
)

func runValidate(args []string) int {
	fs := flag.NewFlagSet("validate", flag.ExitOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	_ = fs.Parse(args)
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: istio-conformance validate <dir|file>... [--json]")
		return 2
	}
	res, err := validate.Files(fs.Args())
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
			fmt.Printf("%s: %s#%d %s %s%s: %s\n", f.Severity, f.File, f.Index, f.Kind, ns, f.Name, f.Message)
		}
		fmt.Printf("validate: %d Istio objects in %d files, %d findings (errors and warnings fail)\n",
			res.Objects, res.Files, len(res.Findings))
	}
	if len(res.Findings) > 0 {
		return 1
	}
	return 0
}
