package main

import (
	"os"

	"cdk8s-mesh/conformance/istio/internal/simulate"
)

func init() {
	commands["simulate"] = command{
		"simulate [--dist DIR] [-v] <scenarios.yaml|dir>...: requests through Istio's xDS translation, checked against scenario tables",
		func(args []string) int { return simulate.Command(args, os.Stdout, os.Stderr) },
	}
}
