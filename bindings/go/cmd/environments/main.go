// docs/gitops.md's environments, in Go (bindings/typescript/environments.ts). Go cannot subclass a
// jsii class, so the builder keeps each environment's typed values by the environment's name.
package main

import (
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

type shopValues struct {
	namespace   string
	canaryStage float64
}

type shopBuilder struct {
	values map[string]shopValues
}

func (b *shopBuilder) BuildEnvironment(app cdk8s.App, env cdk8smesh.Environment) {
	v := b.values[*env.Name()]
	chart := cdk8s.NewChart(app, jsii.String("shop"), &cdk8s.ChartProps{Namespace: jsii.String(v.namespace)})
	reviews := cdk8smesh.NewMeshService(chart, jsii.String("reviews"), &cdk8smesh.MeshServiceProps{
		Ports:    &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)},
		Versions: jsii.Strings("v1", "v2"),
	})
	cdk8smesh.NewCanaryService(chart, jsii.String("reviews-canary"), &cdk8smesh.CanaryServiceProps{
		Service: reviews, StableVersion: jsii.String("v1"), CanaryVersion: jsii.String("v2"), Stage: jsii.Number(v.canaryStage),
	})
}

func main() {
	outdir := os.Getenv("CDK8S_OUTDIR")
	if outdir == "" {
		outdir = "dist/shop"
	}
	builder := &shopBuilder{values: map[string]shopValues{
		"dev":  {namespace: "shop-dev", canaryStage: 4},
		"prod": {namespace: "shop", canaryStage: 1},
	}}
	cdk8smesh.NewGitOpsEnvironments(&cdk8smesh.GitOpsEnvironmentsProps{
		Name:   jsii.String("shop"),
		Outdir: jsii.String(outdir),
		Environments: &[]cdk8smesh.Environment{
			cdk8smesh.NewEnvironment(&cdk8smesh.EnvironmentProps{Name: jsii.String("dev"), Destination: cdk8smesh.ArgoCdDestination_ToCluster(jsii.String("nonprod"), nil)}),
			cdk8smesh.NewEnvironment(&cdk8smesh.EnvironmentProps{
				Name: jsii.String("prod"), Destination: cdk8smesh.ArgoCdDestination_ToCluster(jsii.String("prod"), nil),
				SyncPolicy: &cdk8smesh.ArgoCdSyncPolicy{Automated: jsii.Bool(false)},
			}),
		},
		Builder: builder,
		ArgoCd: &cdk8smesh.GitOpsArgoCdOptions{
			RepoUrl: jsii.String("https://github.com/acme/deploy.git"), TargetRevision: jsii.String("main"), Path: jsii.String("shop"),
		},
	}).Synth()
}
