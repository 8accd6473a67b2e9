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
