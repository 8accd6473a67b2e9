// The README's first service, in Go (bindings/typescript/first-service.ts is the same program).
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("reviews"), &cdk8s.ChartProps{Namespace: jsii.String("bookinfo")})

	reviews := cdk8smesh.NewMeshService(chart, jsii.String("reviews"), &cdk8smesh.MeshServiceProps{
		Ports:              &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)},
		Versions:           jsii.Strings("v1", "v2", "v3"),
		ServiceAccountName: jsii.String("bookinfo-reviews"),
	})

	reviews.AddRoute(&cdk8smesh.RouteOptions{
		Matches: &[]cdk8smesh.Match{cdk8smesh.Match_Header(jsii.String("end-user")).Exact(jsii.String("jason"))},
		To:      cdk8smesh.RouteTo_Version(jsii.String("v3"), nil),
		Timeout: cdk8s.Duration_Seconds(jsii.Number(2)),
	})
	cdk8smesh.NewCanaryService(chart, jsii.String("reviews-canary"), &cdk8smesh.CanaryServiceProps{
		Service: reviews, StableVersion: jsii.String("v1"), CanaryVersion: jsii.String("v2"), Stage: jsii.Number(2),
	})

	app.Synth()
}
