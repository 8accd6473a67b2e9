package simulate

import (
	"strings"
	"testing"
)

const oneScenario = `
scenarios:
  - name: canary
    outputs: [traffic/canary-istio.k8s.yaml]
    request: {from: {namespace: shop}, host: catalog, port: 8080, path: /items}
    expect:
      weights: {a: 90, b: 10}
`

func TestParseReadsAScenario(t *testing.T) {
	f, err := Parse("t.yaml", []byte(oneScenario))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Scenarios[0]
	if s.Name != "canary" || s.Request.From.Namespace != "shop" || s.Request.Port != 8080 || s.Expect.Weights["a"] != 90 {
		t.Fatalf("unexpected scenario %+v", s)
	}
}

func TestParseRejectsBadTables(t *testing.T) {
	cases := map[string]struct{ yaml, want string }{
		"unknown field": {strings.Replace(oneScenario, "path:", "pth:", 1), `unknown field "pth"`},
		"no outputs":    {strings.Replace(oneScenario, "outputs: [traffic/canary-istio.k8s.yaml]", "outputs: []", 1), "outputs is required"},
		"no port":       {strings.Replace(oneScenario, "port: 8080", "port: 0", 1), "request.port must be a port number, got 0"},
		"no caller":     {strings.Replace(oneScenario, "from: {namespace: shop}, ", "", 1), "request.from is required"},
		"bad workload":  {strings.Replace(oneScenario, "{namespace: shop}", "{sidecar: productpage}", 1), `request.from must be namespace/deployment, got "productpage"`},
		"two callers":   {strings.Replace(oneScenario, "{namespace: shop}", "{namespace: shop, gateway: a/b}", 1), "names more than one"},
		"bad tls":       {strings.Replace(oneScenario, "path: /items", "tls: ssl", 1), `request.tls must be plaintext, tls or mtls, got "ssl"`},
		"bad path":      {strings.Replace(oneScenario, "path: /items", "path: items", 1), "must start with /"},
		"no expect":     {strings.Replace(oneScenario, "weights: {a: 90, b: 10}", "{}", 1), "asserts nothing"},
		"duplicate":     {oneScenario + strings.Replace(oneScenario, "scenarios:\n", "", 1), `"canary" is listed twice`},
		"empty":         {"scenarios: []", "no scenarios"},
		"inbound to":    {strings.Replace(oneScenario, "from: {namespace: shop}", "to: {namespace: shop}", 1), "request.to.sidecar must name"},
		"fixture above": {strings.Replace(oneScenario, "outputs: [traffic/canary-istio.k8s.yaml]", "outputs: [a.yaml]\n    fixtures: [../flagger.yaml]", 1), "fixtures must be paths inside the table's directory"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want error containing %q, got %v", c.want, err)
			}
		})
	}
}

func TestSplitDocumentsSkipsCommentOnlyDocuments(t *testing.T) {
	docs := splitDocuments("# header\n---\na: 1\n---\n# only a comment\n---\nb: 2\n")
	if len(docs) != 2 {
		t.Fatalf("want 2 documents, got %d: %q", len(docs), docs)
	}
}
