// docs/security.md's allow graph, in Go (bindings/typescript/security.ts).
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("security"), &cdk8s.ChartProps{Namespace: jsii.String("bookinfo")})
	http := &[]cdk8smesh.ServicePort{cdk8smesh.ServicePort_Http(jsii.Number(9080), nil)}
	productpage := cdk8smesh.NewMeshService(chart, jsii.String("productpage"), &cdk8smesh.MeshServiceProps{Ports: http})
	reviews := cdk8smesh.NewMeshService(chart, jsii.String("reviews"), &cdk8smesh.MeshServiceProps{Ports: http})
	ratings := cdk8smesh.NewMeshService(chart, jsii.String("ratings"), &cdk8smesh.MeshServiceProps{Ports: http})

	authz := cdk8smesh.NewServiceAuthorization(chart, jsii.String("authz"), nil)
	authz.Allow(&cdk8smesh.AllowOptions{
		From: &[]interface{}{cdk8smesh.Caller_IngressGateway(nil)}, To: productpage,
		Methods: &[]cdk8smesh.HttpMethod{cdk8smesh.HttpMethod_GET, cdk8smesh.HttpMethod_POST},
	})
	authz.Allow(&cdk8smesh.AllowOptions{
		From: &[]interface{}{cdk8smesh.Caller_Service(productpage)}, To: reviews,
		Methods: &[]cdk8smesh.HttpMethod{cdk8smesh.HttpMethod_GET},
		Paths:   &[]cdk8smesh.RequestPath{cdk8smesh.RequestPath_Prefix(jsii.String("/reviews"))},
	})
	authz.Allow(&cdk8smesh.AllowOptions{
		From: &[]interface{}{cdk8smesh.Caller_ServiceNamed(jsii.String("reviews"), nil)}, To: ratings,
		Methods: &[]cdk8smesh.HttpMethod{cdk8smesh.HttpMethod_GET},
	})

	app.Synth()
}
