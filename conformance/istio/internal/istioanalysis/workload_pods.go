package istioanalysis

import (
	"encoding/json"
	"fmt"
	"strings"

	"cdk8s-mesh/conformance/istio/internal/manifests"
)

// workloadKinds are the controllers whose pod template becomes a Pod for Istio's analyzers.
var workloadKinds = map[string]bool{
	"apps/Deployment": true, "apps/StatefulSet": true, "apps/DaemonSet": true, "apps/ReplicaSet": true,
	"batch/Job": true,
}

// WorkloadPods returns one Pod (as a YAML/JSON stream) per workload controller in the files: the
// Pod its template makes. Istio's analyzers look at Pods (subset and selector checks), which exist
// only in a cluster; our files hold Deployments, so without this every selector "matches nothing".
func WorkloadPods(files []string) (string, int, error) {
	var docs []string
	for _, f := range files {
		ds, err := manifests.ReadFile(f)
		if err != nil {
			return "", 0, err
		}
		for _, d := range ds {
			if !workloadKinds[d.Group()+"/"+d.Kind] {
				continue
			}
			var w struct {
				Spec struct {
					Template struct {
						Metadata struct {
							Labels      map[string]string `json:"labels"`
							Annotations map[string]string `json:"annotations"`
						} `json:"metadata"`
						Spec json.RawMessage `json:"spec"`
					} `json:"template"`
				} `json:"spec"`
			}
			if err := json.Unmarshal(d.Raw, &w); err != nil {
				return "", 0, fmt.Errorf("%s: %w", d.Ref(), err)
			}
			pod := map[string]any{
				"apiVersion": "v1",
				"kind":       "Pod",
				"metadata": map[string]any{
					"name":        d.Name + "-" + strings.ToLower(d.Kind) + "-pod",
					"namespace":   d.Namespace,
					"labels":      w.Spec.Template.Metadata.Labels,
					"annotations": w.Spec.Template.Metadata.Annotations,
				},
				"spec": w.Spec.Template.Spec,
			}
			js, err := json.Marshal(pod)
			if err != nil {
				return "", 0, err
			}
			docs = append(docs, string(js))
		}
	}
	return strings.Join(docs, "\n---\n"), len(docs), nil
}
