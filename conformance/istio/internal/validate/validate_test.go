package validate

import (
	"strings"
	"testing"

	"cdk8s-mesh/conformance/istio/internal/manifests"
)

const fixture = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: good, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - route: [{destination: {host: reviews}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bad-regex, namespace: shop}
spec:
  hosts: [reviews]
  http:
    - match: [{uri: {regex: "(unclosed"}}]
      route: [{destination: {host: reviews}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dup, namespace: shop}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}, {name: v1, labels: {version: v2}}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {ports: [{port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: Frobnicator
metadata: {name: x}
spec: {}
`

func TestDocumentJudgesOnlyIstioObjects(t *testing.T) {
	docs, err := manifests.Read("fixture.yaml", strings.NewReader(fixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 5 {
		t.Fatalf("want 5 documents, got %d", len(docs))
	}
	byName := map[string][]Finding{}
	istio := 0
	for _, d := range docs {
		fs, ok := Document(d)
		if ok {
			istio++
		}
		byName[d.Name] = fs
	}
	if istio != 4 {
		t.Errorf("want 4 Istio objects, got %d", istio)
	}
	if len(byName["good"]) != 0 {
		t.Errorf("valid VirtualService: unexpected findings %v", byName["good"])
	}
	if f := byName["bad-regex"]; len(f) != 1 || f[0].Severity != SeverityError || !strings.Contains(f[0].Message, "regex") {
		t.Errorf("bad regex: want one error naming the regex, got %v", f)
	}
	if f := byName["dup"]; len(f) == 0 || !strings.Contains(f[0].Message, "duplicate subset") {
		t.Errorf("duplicate subset: want an error, got %v", f)
	}
	if f := byName["x"]; len(f) != 1 || !strings.Contains(f[0].Message, "unrecognized type") {
		t.Errorf("unknown Istio kind: want unrecognized type, got %v", f)
	}
}

func TestOneLineFlattensMultiErrors(t *testing.T) {
	got := oneLine("2 errors occurred:\n\t* a\n\t* b\n\n")
	if got != "a; b" {
		t.Errorf("got %q", got)
	}
}

const envoyFilter = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: ratelimit, namespace: shop}
spec:
  workloadSelector: {labels: {app: web}}
  configPatches:
    - applyTo: HTTP_FILTER
      match:
        context: SIDECAR_INBOUND
        listener: {filterChain: {filter: {name: envoy.filters.network.http_connection_manager}}}
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.local_ratelimit
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            stat_prefix: http_local_rate_limiter
            token_bucket: {max_tokens: TOKENS, tokens_per_fill: 10, fill_interval: 1s}
`

func TestEnvoyFilterPatchValuesAreConvertedToEnvoyProtos(t *testing.T) {
	judge := func(tokens string) []Finding {
		docs, err := manifests.Read("ef.yaml", strings.NewReader(strings.Replace(envoyFilter, "TOKENS", tokens, 1)))
		if err != nil || len(docs) != 1 {
			t.Fatalf("fixture: %v %v", docs, err)
		}
		fs, _ := Document(docs[0])
		return fs
	}
	// The typed_config is converted to Envoy's LocalRateLimit proto: a string where a uint32 goes fails.
	bad := judge(`"ten"`)
	if len(bad) == 0 || bad[0].Severity != SeverityError || !strings.Contains(bad[0].Message, "Envoy filter") {
		t.Errorf("max_tokens \"ten\": want an error from the proto conversion, got %v", bad)
	}
	good := judge("10")
	if len(good) != 1 || good[0].Severity != SeverityWarning || !strings.Contains(good[0].Message, "EnvoyFilter exposes internal implementation details") {
		t.Errorf("max_tokens 10: want only Istio's generic EnvoyFilter warning, got %v", good)
	}
}
