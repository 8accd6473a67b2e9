// Package simulate sends requests through the Envoy configuration that Istio's own translation
// (the fake discovery server of pilot/test/xds and pilot/pkg/simulation) builds from synthesized
// manifests, and compares what happens with the expectations of a scenario table.
package simulate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// File is one scenario table (examples/<example>/scenarios.yaml).
type File struct {
	Scenarios []Scenario `json:"scenarios"`
}

// Scenario is one request and what must happen to it.
type Scenario struct {
	Name string `json:"name"`
	// Outputs are the synthesized files (relative to the dist directory) whose objects make up the
	// cluster, e.g. traffic/canary-istio.k8s.yaml.
	Outputs []string `json:"outputs"`
	// Fixtures are files beside the table (relative to its directory) holding objects that a
	// controller creates at runtime and the output never contains, e.g. the VirtualService Flagger
	// generates at one step of a canary. They join the outputs' objects.
	Fixtures []string `json:"fixtures,omitempty"`
	Request  Request  `json:"request"`
	Expect   Expect   `json:"expect"`
}

// Request describes the call.
type Request struct {
	// From is the caller: its sidecar (or gateway) routes the request when To is empty; when To is
	// set, From only supplies the peer identity (its service account) of an mTLS call.
	From Workload `json:"from"`
	// To makes the call inbound: it is received by this workload's sidecar (authorization, mTLS).
	To *Workload `json:"to,omitempty"`
	// Host is the Host header (and SNI for tls); a Service name resolves its port for inbound calls.
	Host string `json:"host,omitempty"`
	// Port is the Service (or gateway Service) port the caller uses.
	Port    int               `json:"port"`
	Path    string            `json:"path,omitempty"`
	Method  string            `json:"method,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	// TLS is plaintext, tls or mtls. Default: mtls for an inbound call from a mesh workload,
	// plaintext otherwise.
	TLS string `json:"tls,omitempty"`
}

// Workload names a workload of the outputs (or of the built-in Istio installation) by
// "namespace/deployment", or an anonymous client sidecar by namespace.
type Workload struct {
	Sidecar   string `json:"sidecar,omitempty"`
	Gateway   string `json:"gateway,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

func (w Workload) isSet() bool { return w.Sidecar != "" || w.Gateway != "" || w.Namespace != "" }

func (w Workload) String() string {
	switch {
	case w.Sidecar != "":
		return "sidecar " + w.Sidecar
	case w.Gateway != "":
		return "gateway " + w.Gateway
	case w.Namespace != "":
		return "client in namespace " + w.Namespace
	}
	return "outside the mesh"
}

// Expect lists what must happen; only the fields that are set are checked.
type Expect struct {
	// Status is the status the proxy itself answers with (301 redirect, 403 authorization,
	// 404 no route, a direct response), or 200 when it forwards the request upstream.
	Status *int `json:"status,omitempty"`
	// Refused: no filter chain accepts the connection (e.g. plaintext to a STRICT mTLS workload).
	Refused *bool `json:"refused,omitempty"`
	// Route is the name of the Envoy route that matched (the VirtualService http route name).
	Route string `json:"route,omitempty"`
	// Cluster is the single upstream cluster, e.g. outbound|8080|v2|catalog.shop.svc.cluster.local.
	Cluster string `json:"cluster,omitempty"`
	// Weights are the weighted clusters of the route and their weights (the split itself).
	Weights map[string]uint32 `json:"weights,omitempty"`
	// Path is the upstream path after rewrites.
	Path string `json:"path,omitempty"`
	// Mirrors are the mirror clusters and the percentage of requests each receives.
	Mirrors map[string]float64 `json:"mirrors,omitempty"`
	// Timeout is the route timeout (a Go duration, e.g. 5s).
	Timeout string `json:"timeout,omitempty"`
	// Redirect is the Location of a redirect ("https://..." for an HTTPS redirect).
	Redirect string `json:"redirect,omitempty"`
	Fault    *Fault `json:"fault,omitempty"`
}

// Fault is fault injection on the matched route.
type Fault struct {
	AbortStatus  int      `json:"abortStatus,omitempty"`
	AbortPercent *float64 `json:"abortPercent,omitempty"`
	Delay        string   `json:"delay,omitempty"`
	DelayPercent *float64 `json:"delayPercent,omitempty"`
}

// LoadFile reads and checks a scenario table.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a scenario table strictly (unknown fields are errors) and checks each scenario.
func Parse(name string, data []byte) (*File, error) {
	f := &File{}
	if err := yaml.UnmarshalStrict(data, f); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(f.Scenarios) == 0 {
		return nil, fmt.Errorf("%s: no scenarios", name)
	}
	seen := map[string]bool{}
	for i, s := range f.Scenarios {
		if seen[s.Name] {
			return nil, fmt.Errorf("%s: scenario %q is listed twice", name, s.Name)
		}
		seen[s.Name] = true
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("%s: scenario %d (%q): %v", name, i+1, s.Name, err)
		}
	}
	return f, nil
}

func (s Scenario) check() error {
	r := s.Request
	switch {
	case s.Name == "":
		return fmt.Errorf("name is required")
	case len(s.Outputs) == 0:
		return fmt.Errorf("outputs is required: the synthesized files, e.g. [traffic/canary-istio.k8s.yaml]")
	case slices.ContainsFunc(s.Fixtures, func(f string) bool { return !filepath.IsLocal(f) }):
		return fmt.Errorf("fixtures must be paths inside the table's directory, got %v", s.Fixtures)
	case r.Port <= 0 || r.Port > 65535:
		return fmt.Errorf("request.port must be a port number, got %d", r.Port)
	case !r.From.isSet() && r.To == nil:
		return fmt.Errorf("request.from is required for an outbound call (sidecar, gateway or namespace)")
	case r.To != nil && r.To.Sidecar == "":
		return fmt.Errorf("request.to.sidecar must name the receiving workload as namespace/deployment")
	case r.TLS != "" && r.TLS != "plaintext" && r.TLS != "tls" && r.TLS != "mtls":
		return fmt.Errorf("request.tls must be plaintext, tls or mtls, got %q", r.TLS)
	case r.Path != "" && !strings.HasPrefix(r.Path, "/"):
		return fmt.Errorf("request.path must start with /, got %q", r.Path)
	}
	if err := r.From.check("request.from"); err != nil {
		return err
	}
	if s.Expect.isEmpty() {
		return fmt.Errorf("expect names nothing to check: a scenario that asserts nothing cannot fail")
	}
	return nil
}

func (w Workload) check(field string) error {
	n := 0
	for _, v := range []string{w.Sidecar, w.Gateway} {
		if v != "" {
			n++
			if ns, name, ok := strings.Cut(v, "/"); !ok || ns == "" || name == "" {
				return fmt.Errorf("%s must be namespace/deployment, got %q", field, v)
			}
		}
	}
	if w.Namespace != "" {
		n++
	}
	if n > 1 {
		return fmt.Errorf("%s names more than one of sidecar, gateway and namespace", field)
	}
	return nil
}

func (e Expect) isEmpty() bool {
	return e.Status == nil && e.Refused == nil && e.Route == "" && e.Cluster == "" && e.Weights == nil &&
		e.Path == "" && e.Mirrors == nil && e.Timeout == "" && e.Redirect == "" && e.Fault == nil
}
