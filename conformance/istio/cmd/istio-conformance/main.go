// Command istio-conformance judges cdk8s-mesh output with Istio's own code: its webhook
// validation, its analyzers and (in other subcommands) its analyzer test cases.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	istiolog "istio.io/istio/pkg/log"
)

// command is one subcommand: it gets the arguments after its name and returns the exit code.
type command struct {
	summary string
	run     func(args []string) int
}

var commands = map[string]command{
	"validate": {"validate <dir|file>... [--json]: Istio's webhook validation on every Istio object", runValidate},
	"analyze":  {"analyze <dir|file>... [--per-file] [--json]: Istio's analyzers vs ours, per (code, resource)", runAnalyze},
	"parity":   {"parity [--json] [-v] [--case NAME]: Istio's analyzer test cases through Istio's analyzers and ours", runParity},
}

func usage() {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: istio-conformance <command> [args]")
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %s\n", commands[n].summary)
	}
}

func main() {
	// Istio's packages log at info level to stderr by default; the harness reports on its own.
	opts := istiolog.DefaultOptions()
	opts.SetDefaultOutputLevel(istiolog.OverrideScopeName, istiolog.ErrorLevel)
	_ = istiolog.Configure(opts)

	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	os.Exit(cmd.run(os.Args[2:]))
}

// reorder moves flags before positional arguments so "cmd dist --json" works with package flag.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
			if !strings.Contains(a, "=") && takesValue[strings.TrimLeft(a, "-")] && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

// takesValue names the flags that take a value (all others are booleans).
var takesValue = map[string]bool{"repo": true, "allow-list": true, "case": true, "istio-dir": true}
