package simulate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shop is a small output: a monolith, an orders service and a strangler-fig VirtualService.
const shop = `
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: shop}
spec:
  selector: {app: shop}
  ports: [{name: http, port: 8080, targetPort: 9898}]
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  selector: {app: orders}
  ports: [{name: http, port: 8080, targetPort: 9898}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders, version: v1}}
    spec:
      serviceAccountName: orders
      containers: [{name: orders, image: orders, ports: [{containerPort: 9898}]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ignored, namespace: shop}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: shop}
spec:
  hosts: [shop]
  http:
    - name: to-orders
      match: [{uri: {prefix: /orders}}]
      REWRITE
      route: [{destination: {host: orders}}]
    - route: [{destination: {host: shop}}]
`

func writeOutput(t *testing.T, rewrite string) string {
	dist := t.TempDir()
	if err := os.WriteFile(filepath.Join(dist, "shop.yaml"), []byte(strings.Replace(shop, "REWRITE", rewrite, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dist
}

func TestLoadClusterBuildsWhatTheRegistryNeeds(t *testing.T) {
	c, err := LoadCluster(writeOutput(t, "rewrite: {uri: /}"), []string{"shop.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Configs) != 1 || c.Configs[0].Domain != "cluster.local" || c.Configs[0].Namespace != "shop" {
		t.Fatalf("want the VirtualService with the cluster domain, got %+v", c.Configs)
	}
	pod := c.Workloads["shop/orders-v1"]
	if pod == nil || pod.Labels["version"] != "v1" || pod.Spec.ServiceAccountName != "orders" || pod.Status.PodIP == "" {
		t.Fatalf("want a running pod for orders-v1, got %+v", pod)
	}
	if c.Workloads["istio-system/istio-ingressgateway"] == nil {
		t.Fatal("want the installation's ingress gateway")
	}
	svc := c.service("orders.shop.svc.cluster.local", "default")
	if svc == nil || svc.Spec.ClusterIP == "" || targetPort(svc, 8080, pod) != 9898 {
		t.Fatalf("want orders with a cluster IP and target port 9898, got %+v", svc)
	}
	if c.service("orders", "other") != nil {
		t.Fatal("a short name resolves in the caller's namespace only")
	}
}

func TestLoadClusterAddsFixturesBesideTheOutputs(t *testing.T) {
	dist := writeOutput(t, "")
	fixture := filepath.Join(t.TempDir(), "controller.yaml")
	delegate := "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: orders, namespace: shop}\nspec:\n  http: [{route: [{destination: {host: orders}}]}]\n"
	if err := os.WriteFile(fixture, []byte(delegate), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCluster(dist, []string{"shop.yaml"}, fixture)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Configs) != 2 {
		t.Fatalf("want the output's VirtualService and the fixture's, got %d configs", len(c.Configs))
	}
	if _, err := LoadCluster(dist, []string{"shop.yaml"}, filepath.Join(t.TempDir(), "nope.yaml")); err == nil || !strings.Contains(err.Error(), "fixture ") {
		t.Fatalf("want the missing fixture named, got %v", err)
	}
}

func TestLoadClusterNamesAMissingOutput(t *testing.T) {
	_, err := LoadCluster(t.TempDir(), []string{"nope.yaml"})
	if err == nil || !strings.Contains(err.Error(), "output nope.yaml") || !strings.Contains(err.Error(), "run the synth first") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadClusterReportsIstioRejectingAnObject(t *testing.T) {
	_, err := LoadCluster(writeOutput(t, "rewrite: {uri: /, uriRegexRewrite: {match: ^/orders, rewrite: /}}"), []string{"shop.yaml"})
	if err == nil || !strings.Contains(err.Error(), "shop.yaml") || !strings.Contains(err.Error(), "configuration is invalid") {
		t.Fatalf("want Istio's validation error naming the output, got %v", err)
	}
}

func strangler() []Located {
	req := Request{From: Workload{Namespace: "shop"}, Host: "shop", Port: 8080, Path: "/orders/42"}
	return []Located{
		{Scenario: Scenario{Name: "rewrite", Outputs: []string{"shop.yaml"}, Request: req,
			Expect: Expect{Route: "to-orders", Cluster: "outbound|8080||orders.shop.svc.cluster.local", Path: "/42"}}},
		{Scenario: Scenario{Name: "inbound", Outputs: []string{"shop.yaml"},
			Request: Request{To: &Workload{Sidecar: "shop/orders-v1"}, Host: "orders", Port: 8080, Path: "/42"},
			Expect:  Expect{Status: ptr(200)}}},
	}
}

// Istio's translation of `rewrite.uri: /` after a prefix match is Envoy's prefix_rewrite, which
// sends /orders/42 as //42; a regex rewrite sends /42. This runs Istio's real translation.
func TestRunJudgesTheRewriteThroughIstio(t *testing.T) {
	results := Run(writeOutput(t, "rewrite: {uri: /}"), strangler())
	if results[0].Err != nil || len(results[0].Diffs) != 1 || results[0].Diffs[0] != `upstream path: want "/42", got "//42"` {
		t.Fatalf("want the //42 difference, got %+v", results[0])
	}
	if !results[1].Passed() {
		t.Fatalf("want the inbound call (permissive, no policy) to pass, got %+v", results[1])
	}
	results = Run(writeOutput(t, "rewrite: {uriRegexRewrite: {match: '^/orders/?', rewrite: /}}"), strangler())
	if !results[0].Passed() {
		t.Fatalf("want the regex rewrite to pass, got %+v", results[0])
	}
}

func TestRunReportsAnUnknownWorkload(t *testing.T) {
	s := strangler()[:1]
	s[0].Request.From = Workload{Sidecar: "shop/nope"}
	r := Run(writeOutput(t, ""), s)[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "no Deployment shop/nope") {
		t.Fatalf("got %+v", r)
	}
}

func TestMain(m *testing.M) {
	quietIstio(false)
	os.Exit(m.Run())
}

const policy = `
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers: [{name: web, image: web}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: orders, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  action: ALLOW
  rules:
    - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
      to: [{operation: {methods: [GET], paths: [/orders/*]}}]
`

// Istio's own AuthorizationPolicy and PeerAuthentication translation, judged by the RBAC evaluation.
func TestRunJudgesAuthorizationThroughIstio(t *testing.T) {
	dist := t.TempDir()
	if err := os.WriteFile(filepath.Join(dist, "shop.yaml"), []byte(strings.Replace(shop, "REWRITE", "", 1)+policy), 0o644); err != nil {
		t.Fatal(err)
	}
	call := func(name string, from Workload, method, tls string, want Expect) Located {
		return Located{Scenario: Scenario{Name: name, Outputs: []string{"shop.yaml"}, Expect: want, Request: Request{
			From: from, To: &Workload{Sidecar: "shop/orders-v1"}, Host: "orders", Port: 8080, Path: "/orders/1", Method: method, TLS: tls,
		}}}
	}
	web, self := Workload{Sidecar: "shop/web"}, Workload{Sidecar: "shop/orders-v1"}
	results := Run(dist, []Located{
		call("web may GET", web, "GET", "", Expect{Status: ptr(200)}),
		call("web may not POST", web, "POST", "", Expect{Status: ptr(403)}),
		call("orders may not call itself", self, "GET", "", Expect{Status: ptr(403)}),
		call("plaintext is refused", web, "GET", "plaintext", Expect{Refused: ptr(true)}),
	})
	for _, r := range results {
		if !r.Passed() {
			t.Errorf("%s: %v %v (%+v)", r.Name, r.Err, r.Diffs, r.Outcome)
		}
	}
}

func TestLoadClusterRefusesGatewayAPIObjects(t *testing.T) {
	dist := t.TempDir()
	route := "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec: {}\n"
	if err := os.WriteFile(filepath.Join(dist, "gamma.yaml"), []byte(route), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCluster(dist, []string{"gamma.yaml"})
	if err == nil || !strings.Contains(err.Error(), "HTTPRoute in gamma.yaml: Gateway API objects are not simulated yet") {
		t.Fatalf("got %v", err)
	}
}
