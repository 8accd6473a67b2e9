// docs/resilience.md's circuit breakers, in Go (bindings/typescript/resilience.ts).
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("resilience"), &cdk8s.ChartProps{Namespace: jsii.String("bookinfo")})
	reviews := cdk8smesh.NewMeshService(chart, jsii.String("reviews"), &cdk8smesh.MeshServiceProps{
		Ports:    &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)},
		Versions: jsii.Strings("v1", "v2", "v3"),
	})

	cdk8smesh.NewCircuitBreakerPolicy(chart, jsii.String("reviews-cb"), &cdk8smesh.CircuitBreakerPolicyProps{
		Service: reviews, Preset: cdk8smesh.CircuitBreakerPreset_STANDARD(),
	})
	cdk8smesh.NewCircuitBreakerPolicy(chart, jsii.String("reviews-v3-cb"), &cdk8smesh.CircuitBreakerPolicyProps{
		Service: reviews, Version: jsii.String("v3"), Preset: cdk8smesh.CircuitBreakerPreset_AGGRESSIVE(),
		ConnectionPool: cdk8smesh.NewConnectionPool(&cdk8smesh.ConnectionPoolProps{
			MaxConnections: jsii.Number(10), ConnectTimeout: cdk8s.Duration_Millis(jsii.Number(500)),
		}),
	})

	ratings := cdk8smesh.NewMeshService(chart, jsii.String("ratings"), &cdk8smesh.MeshServiceProps{
		Ports: &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)},
	})
	cdk8smesh.NewCircuitBreakerPolicy(chart, jsii.String("ratings-cb"), &cdk8smesh.CircuitBreakerPolicyProps{
		Service: ratings,
		OutlierDetection: cdk8smesh.NewOutlierDetection(&cdk8smesh.OutlierDetectionProps{
			ConsecutiveGatewayErrors: jsii.Number(3), Interval: cdk8s.Duration_Seconds(jsii.Number(10)),
			BaseEjectionTime: cdk8s.Duration_Seconds(jsii.Number(30)), MaxEjectionPercent: jsii.Number(100),
		}),
	})

	app.Synth()
}
