package simulate

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pilot/test/xdstest"
	"istio.io/istio/pkg/test"
)

// Located is a scenario and the table it comes from.
type Located struct {
	Scenario
	Source string
}

// fixturePaths are the scenario's fixtures as paths from the working directory.
func (l Located) fixturePaths() []string {
	out := make([]string, len(l.Fixtures))
	for i, f := range l.Fixtures {
		out[i] = filepath.Join(filepath.Dir(l.Source), f)
	}
	return out
}

// Result is the verdict on one scenario.
type Result struct {
	Located
	Outcome Outcome
	Diffs   []string
	Err     error
}

// Passed: the scenario ran and everything expected happened.
func (r Result) Passed() bool { return r.Err == nil && len(r.Diffs) == 0 }

var errNotRun = errors.New("not run")

// Run simulates every scenario against the outputs it names below dist. Scenarios naming the same
// outputs share one fake discovery server. The fake server takes a test.Failer: it runs under
// Istio's test.Wrap, which turns a t.Fatal in Istio's code into an error for that group.
func Run(dist string, scenarios []Located) []Result {
	results := make([]Result, len(scenarios))
	groups := map[string][]int{}
	var order []string
	for i, s := range scenarios {
		results[i] = Result{Located: s, Err: errNotRun}
		key := strings.Join(append(slices.Clone(s.Outputs), s.fixturePaths()...), ",")
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range order {
		idx := groups[key]
		first := scenarios[idx[0]]
		c, err := LoadCluster(dist, first.Outputs, first.fixturePaths()...)
		if err == nil {
			err = test.Wrap(func(t test.Failer) {
				s := xds.NewFakeDiscoveryServer(t, xds.FakeOptions{Configs: c.Configs, KubernetesObjects: c.Kube})
				for _, i := range idx {
					r := &results[i]
					r.Outcome, r.Err = simulateSafely(t, s, c, r.Request)
					if r.Err == nil {
						r.Diffs = Compare(r.Expect, r.Outcome)
					}
				}
			})
		}
		if c != nil && err != nil {
			err = fmt.Errorf("Istio's translation of %s failed: %v", key, err)
		}
		for _, i := range idx {
			if err != nil && errors.Is(results[i].Err, errNotRun) {
				results[i].Err = err
			}
		}
	}
	return results
}

// simulateSafely turns a panic in the simulation (pilot/pkg/simulation calls t.Fatal on input it
// cannot handle, and runs here without a *testing.T) into an error for the scenario.
func simulateSafely(t test.Failer, s *xds.FakeDiscoveryServer, c *Cluster, r Request) (out Outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("Istio's simulation stopped: %v", p)
		}
	}()
	return simulateOne(t, s, c, r)
}

const trustDomain = domainSuffix

// simulateOne sends the request through the Envoy configuration Istio generates for the proxy
// that handles it: the caller's sidecar or gateway (outbound), or the receiver's sidecar (inbound).
func simulateOne(t test.Failer, s *xds.FakeDiscoveryServer, c *Cluster, r Request) (Outcome, error) {
	out := Outcome{}
	at := r.From
	if r.To != nil {
		at = *r.To
	}
	proxy, pod, err := c.proxyFor(at)
	if err != nil {
		return out, err
	}
	var caller *corev1.Pod
	if r.To != nil && r.From.isSet() {
		if _, caller, err = c.proxyFor(r.From); err != nil {
			return out, err
		}
	}
	tls := r.TLS
	if tls == "" {
		tls = "plaintext"
		if caller != nil {
			tls = "mtls"
		}
	}
	call := simulation.Call{
		Port:       r.Port,
		Path:       orDefault(r.Path, "/"),
		Protocol:   simulation.HTTP,
		TLS:        simulation.TLSMode(tls),
		HostHeader: r.Host,
		Headers:    http.Header{},
		CallMode:   simulation.CallModeOutbound,
	}
	switch {
	case r.To != nil:
		call.CallMode = simulation.CallModeInbound
		if svc := c.service(r.Host, pod.Namespace); svc != nil {
			call.Port = targetPort(svc, r.Port, pod)
		}
	case at.Gateway != "":
		call.CallMode = simulation.CallModeGateway
		for _, svc := range c.Services {
			if selects(svc, pod) {
				call.Port = targetPort(svc, r.Port, pod)
			}
		}
	default:
		if svc := c.service(r.Host, pod.Namespace); svc != nil {
			call.Address = svc.Spec.ClusterIP
		}
	}
	var chain *listener.FilterChain
	call.CustomListenerValidations = []simulation.CustomFilterChainValidation{
		func(fc *listener.FilterChain) error { chain = fc; return nil },
	}
	// What simulation.NewSimulation does, without the *testing.T it only uses to fail.
	p := s.SetupProxy(proxy)
	listeners := s.Listeners(p)
	sim := &simulation.Simulation{Listeners: listeners, Clusters: s.Clusters(p), Routes: s.RoutesFromListeners(p, listeners)}
	res := sim.Run(call)
	req := newRequest(r, r.Host)
	switch {
	case res.Error == nil:
	case errors.Is(res.Error, simulation.ErrTLSRedirect):
		out.Status, out.Redirect = 301, "https://"+r.Host+req.path
		return out, nil
	case errors.Is(res.Error, simulation.ErrNoRoute), errors.Is(res.Error, simulation.ErrNoVirtualHost):
		out.Reason = res.Error.Error()
	default:
		out.Refused, out.Reason = true, res.Error.Error()
		return out, nil
	}
	h := xdstest.ExtractHTTPConnectionManager(t, chain)
	if h == nil {
		out.Cluster = res.ClusterMatched
		return out, nil
	}
	if r.To != nil {
		p := peer{sourceIP: "10.0.0.1", destPort: call.Port, req: req}
		if caller != nil {
			p.sourceIP = caller.Status.PodIP
			if tls == "mtls" {
				p.principal = fmt.Sprintf("spiffe://%s/ns/%s/sa/%s", trustDomain, caller.Namespace, caller.Spec.ServiceAccountName)
			}
		}
		denied, err := authorize(h, p)
		if err != nil {
			return out, err
		}
		if denied != "" {
			out.Status, out.Reason = 403, "RBAC: "+denied
			return out, nil
		}
	}
	if res.Error != nil {
		out.Status = 404
		return out, nil
	}
	vh := virtualHost(h.GetRouteConfig(), sim.Routes, res.RouteConfigMatched, res.VirtualHostMatched)
	if vh == nil {
		return out, fmt.Errorf("virtual host %q of route config %q not found", res.VirtualHostMatched, res.RouteConfigMatched)
	}
	rt, err := matchRoute(vh, req)
	if err != nil {
		return out, err
	}
	if rt == nil {
		out.Status, out.Reason = 404, "no route matched"
		return out, nil
	}
	return out, applyAction(rt, req, &out)
}

func virtualHost(inline *route.RouteConfiguration, routes []*route.RouteConfiguration, rcName, vhName string) *route.VirtualHost {
	rc := inline
	if rc == nil {
		rc = xdstest.ExtractRouteConfigurations(routes)[rcName]
	}
	for _, vh := range rc.GetVirtualHosts() {
		if vh.GetName() == vhName {
			return vh
		}
	}
	return nil
}

// proxyFor builds the Envoy node of a workload: a sidecar or a gateway of a Deployment in the
// cluster, or an anonymous client sidecar in a namespace.
func (c *Cluster) proxyFor(w Workload) (*model.Proxy, *corev1.Pod, error) {
	typ := model.SidecarProxy
	var pod *corev1.Pod
	switch {
	case w.Namespace != "":
		pod = &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: "client", Namespace: w.Namespace, Labels: map[string]string{"app": "client"}},
			Spec:       corev1.PodSpec{ServiceAccountName: "default"},
			Status:     corev1.PodStatus{PodIP: "10.250.0.1"},
		}
	case w.Sidecar != "" || w.Gateway != "":
		key := w.Sidecar
		if w.Gateway != "" {
			key, typ = w.Gateway, model.Router
		}
		pod = c.Workloads[key]
		if pod == nil {
			return nil, nil, fmt.Errorf("%s: no Deployment %s in the outputs or the Istio installation", w, key)
		}
	default:
		return nil, nil, fmt.Errorf("no workload named")
	}
	return &model.Proxy{
		Type:            typ,
		ID:              pod.Name + "." + pod.Namespace,
		IPAddresses:     []string{pod.Status.PodIP},
		ConfigNamespace: pod.Namespace,
		Labels:          pod.Labels,
		Metadata:        &model.NodeMetadata{Labels: pod.Labels, Namespace: pod.Namespace},
	}, pod, nil
}
