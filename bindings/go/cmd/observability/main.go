// docs/observability.md's SLOs, in Go (bindings/typescript/observability.ts).
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("observability"), &cdk8s.ChartProps{Namespace: jsii.String("bookinfo")})
	reviews := cdk8smesh.NewMeshService(chart, jsii.String("reviews"), &cdk8smesh.MeshServiceProps{
		Ports: &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)},
	})

	cdk8smesh.NewServiceLevelObjective(chart, jsii.String("reviews-availability"), &cdk8smesh.ServiceLevelObjectiveProps{
		Service: reviews, ObjectivePercent: jsii.Number(99.9),
	})
	cdk8smesh.NewServiceLevelObjective(chart, jsii.String("reviews-latency"), &cdk8smesh.ServiceLevelObjectiveProps{
		Service: reviews, ObjectivePercent: jsii.Number(95), Window: cdk8s.Duration_Days(jsii.Number(28)),
		Indicator: cdk8smesh.ServiceLevelIndicator_Latency(cdk8s.Duration_Millis(jsii.Number(250))),
	})

	app.Synth()
}
