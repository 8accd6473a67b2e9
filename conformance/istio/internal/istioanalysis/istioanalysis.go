// Package istioanalysis runs Istio's analyzers offline on manifest files, the way
// `istioctl analyze --use-kube=false` does (pkg/config/analysis/local).
package istioanalysis

import (
	"fmt"
	"os"
	"strings"

	"istio.io/istio/pkg/config/analysis"
	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"

	"cdk8s-mesh/conformance/istio/internal/findings"
)

// IstioNamespace is istioctl's default control-plane namespace.
const IstioNamespace = "istio-system"

// Options of one analysis run.
type Options struct {
	// Analyzer to run; nil means all of Istio's analyzers combined (istioctl's default).
	Analyzer analysis.CombinedAnalyzer
	// Namespace of objects that name none; "" reports on every namespace (istioctl -A). istioctl
	// without -A uses "default" and drops messages about other namespaces.
	Namespace string
	// MeshConfigFile and MeshNetworksFile override the defaults (istioctl --meshConfigFile).
	MeshConfigFile, MeshNetworksFile string
	// WithRuntimeKinds reads Services, Pods, Namespaces, Nodes and Secrets from the files too, as
	// Istio's analyzer tests do (AddTestReaderKubeSource). istioctl --use-kube=false ignores those
	// kinds in files (kuberesource.DefaultExcludedSchemas) and so skips every analyzer that needs
	// one (DestinationHostAnalyzer, PortNameAnalyzer, ...); it expects them from a live cluster.
	WithRuntimeKinds bool
	// PodsFromWorkloads adds the Pod each Deployment, StatefulSet, ... of the files would create
	// (see WorkloadPods); needs WithRuntimeKinds.
	PodsFromWorkloads bool
}

// Run analyzes the files together as one set.
func Run(files []string, o Options) ([]findings.Finding, error) {
	a := o.Analyzer
	if a == nil {
		a = analyzers.AllCombined()
	}
	sa := local.NewIstiodAnalyzer(a, resource.Namespace(o.Namespace), resource.Namespace(IstioNamespace), nil)
	if o.MeshConfigFile != "" {
		if err := sa.AddFileKubeMeshConfig(o.MeshConfigFile); err != nil {
			return nil, fmt.Errorf("mesh config %s: %w", o.MeshConfigFile, err)
		}
	}
	if o.MeshNetworksFile != "" {
		if err := sa.AddFileKubeMeshNetworks(o.MeshNetworksFile); err != nil {
			return nil, fmt.Errorf("mesh networks %s: %w", o.MeshNetworksFile, err)
		}
	}
	var readers []local.ReaderSource
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		readers = append(readers, local.ReaderSource{Name: f, Reader: r})
	}
	if o.PodsFromWorkloads {
		pods, n, err := WorkloadPods(files)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			readers = append(readers, local.ReaderSource{Name: "pods-from-workloads", Reader: strings.NewReader(pods)})
		}
	}
	// Istio's tests add the files before the defaults, istioctl after; the set is the same.
	add := sa.AddReaderKubeSource
	if o.WithRuntimeKinds {
		add = sa.AddTestReaderKubeSource
	} else if err := sa.AddDefaultResources(); err != nil {
		return nil, err
	}
	if err := add(readers); err != nil {
		return nil, fmt.Errorf("reading files: %w", err)
	}
	if o.WithRuntimeKinds {
		if err := sa.AddDefaultResources(); err != nil {
			return nil, err
		}
	}
	cancel := make(chan struct{})
	res, err := sa.Analyze(cancel)
	if err != nil {
		return nil, err
	}
	out := make([]findings.Finding, 0, len(res.Messages))
	for _, m := range res.Messages {
		f := findings.Finding{Code: m.Type.Code(), Level: m.Type.Level().String(), Message: m.String()}
		if m.Resource != nil {
			f.Resource = m.Resource.Origin.FriendlyName()
		}
		out = append(out, f)
	}
	return out, nil
}
