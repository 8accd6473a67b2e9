package analyzers

import (
	schemaValidation "istio.io/istio/pkg/config/analysis/analyzers/schema"
	"istio.io/istio/pkg/config/analysis/analyzers/virtualservice"
	"istio.io/istio/pkg/config/analysis/msg"
	"istio.io/istio/pkg/config/schema/collections"
)

var testGrid = []testCase{
	{
		name:       "destinationHosts",
		inputFiles: []string{"testdata/a.yaml", "testdata/b.yaml"},
		analyzer:   &virtualservice.DestinationHostAnalyzer{},
		expected: []message{
			{msg.ReferencedResourceNotFound, "VirtualService default/reviews"},
		},
	},
	{
		name:           "schema",
		inputFiles:     []string{"testdata/c.yaml"},
		meshConfigFile: "testdata/mesh.yaml",
		analyzer:       schemaValidation.CollectionValidationAnalyzer(collections.VirtualService),
		expected:       []message{},
		skipAll:        true,
	},
}
