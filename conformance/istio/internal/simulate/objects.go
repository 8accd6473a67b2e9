package simulate

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config"
)

// installation is what an Istio install adds to every cluster: the ingress and egress gateways
// of the default profile (their Services and Deployments in istio-system).
//
//go:embed installation.yaml
var installation string

// Cluster is the set of objects one group of scenarios runs against.
type Cluster struct {
	// Configs are the Istio and Gateway API objects, parsed and validated by Istio.
	Configs []config.Config
	// Kube is the Kubernetes objects: Services (with a cluster IP), Namespaces and one running Pod
	// per Deployment, as the service registry needs them.
	Kube []runtime.Object
	// Workloads are the Deployments by "namespace/name", with their synthesized Pod.
	Workloads map[string]*corev1.Pod
	Services  []*corev1.Service
}

const domainSuffix = "cluster.local"

var configGroups = regexp.MustCompile(`^(networking|security|telemetry|extensions)\.istio\.io/`)

// LoadCluster reads the named outputs below dist and the fixture files (objects a controller
// creates at runtime), and adds the Istio installation.
func LoadCluster(dist string, outputs []string, fixtures ...string) (*Cluster, error) {
	c := &Cluster{Workloads: map[string]*corev1.Pod{}}
	var config []string
	docs := splitDocuments(installation)
	for _, o := range outputs {
		data, err := os.ReadFile(filepath.Join(dist, o))
		if err != nil {
			return nil, fmt.Errorf("output %s: %v (run the synth first)", o, err)
		}
		docs = append(docs, splitDocuments(string(data))...)
	}
	for _, f := range fixtures {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %v", f, err)
		}
		docs = append(docs, splitDocuments(string(data))...)
	}
	ips := ipAllocator{}
	for _, d := range docs {
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(d), &meta); err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(meta.APIVersion, "gateway.networking.k8s.io/"):
			// Istio's Gateway API controller reads these from the API server, after the CRDs'
			// defaulting (which its conversion relies on); without both it would route past them.
			return nil, fmt.Errorf("%s %s: Gateway API objects are not simulated yet; name Istio outputs", meta.Kind, outputsOf(outputs))
		case configGroups.MatchString(meta.APIVersion):
			config = append(config, d)
		case meta.APIVersion == "v1" && meta.Kind == "Service":
			s := &corev1.Service{}
			if err := yaml.Unmarshal([]byte(d), s); err != nil {
				return nil, err
			}
			if s.Spec.ClusterIP == "" && s.Spec.Type != corev1.ServiceTypeExternalName {
				s.Spec.ClusterIP = ips.next("10.96")
			}
			c.Services = append(c.Services, s)
			c.Kube = append(c.Kube, s)
		case meta.APIVersion == "v1" && meta.Kind == "Namespace":
			n := &corev1.Namespace{}
			if err := yaml.Unmarshal([]byte(d), n); err != nil {
				return nil, err
			}
			c.Kube = append(c.Kube, n)
		case meta.APIVersion == "apps/v1" && meta.Kind == "Deployment":
			dep := &appsv1.Deployment{}
			if err := yaml.Unmarshal([]byte(d), dep); err != nil {
				return nil, err
			}
			pod := podOf(dep, ips.next("10.244"))
			c.Workloads[dep.Namespace+"/"+dep.Name] = pod
			c.Kube = append(c.Kube, pod)
		}
	}
	configs, _, err := crd.ParseInputs(strings.Join(config, "\n---\n"))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", outputsOf(outputs), err)
	}
	created := time.Now()
	for i := range configs {
		// As the Kubernetes config store sets it: short hosts resolve to <name>.<ns>.svc.cluster.local.
		configs[i].Domain = domainSuffix
		if configs[i].Namespace == "" {
			configs[i].Namespace = "default"
		}
		configs[i].CreationTimestamp = created
	}
	c.Configs = configs
	return c, nil
}

func outputsOf(outputs []string) string { return "in " + strings.Join(outputs, ", ") }

// podOf is the running, ready Pod a Deployment's ReplicaSet would create.
func podOf(d *appsv1.Deployment, ip string) *corev1.Pod {
	ns := d.Namespace
	if ns == "" {
		ns = "default"
	}
	t := d.Spec.Template
	sa := t.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	return &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name:        d.Name + "-0",
			Namespace:   ns,
			Labels:      t.Labels,
			Annotations: t.Annotations,
		},
		Spec: corev1.PodSpec{
			ServiceAccountName: sa,
			Containers:         t.Spec.Containers,
			NodeName:           "node-1",
		},
		Status: corev1.PodStatus{
			Phase:  corev1.PodRunning,
			PodIP:  ip,
			PodIPs: []corev1.PodIP{{IP: ip}},
			Conditions: []corev1.PodCondition{
				{Type: corev1.PodReady, Status: corev1.ConditionTrue},
			},
		},
	}
}

// service finds a Service by name (short, name.namespace or the cluster-local FQDN) as seen from
// the namespace ns.
func (c *Cluster) service(host, ns string) *corev1.Service {
	parts := strings.Split(strings.TrimSuffix(host, ".svc.cluster.local"), ".")
	name, sns := parts[0], ns
	if len(parts) > 1 {
		sns = parts[1]
	}
	for _, s := range c.Services {
		if s.Name == name && s.Namespace == sns {
			return s
		}
	}
	return nil
}

// targetPort maps a Service port to the port the selected pod listens on.
func targetPort(s *corev1.Service, port int, pod *corev1.Pod) int {
	for _, p := range s.Spec.Ports {
		if int(p.Port) != port {
			continue
		}
		if p.TargetPort.IntValue() != 0 {
			return p.TargetPort.IntValue()
		}
		if p.TargetPort.StrVal != "" && pod != nil {
			for _, ctr := range pod.Spec.Containers {
				for _, cp := range ctr.Ports {
					if cp.Name == p.TargetPort.StrVal {
						return int(cp.ContainerPort)
					}
				}
			}
		}
		return port
	}
	return port
}

// selects reports whether the Service selects the pod.
func selects(s *corev1.Service, pod *corev1.Pod) bool {
	if s.Namespace != pod.Namespace || len(s.Spec.Selector) == 0 {
		return false
	}
	for k, v := range s.Spec.Selector {
		if pod.Labels[k] != v {
			return false
		}
	}
	return true
}

func splitDocuments(s string) []string {
	var out []string
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(s, -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			out = append(out, d)
		}
	}
	return out
}

func stripComments(d string) string {
	var b strings.Builder
	for _, l := range strings.Split(d, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

type ipAllocator map[string]int

func (a ipAllocator) next(prefix string) string {
	a[prefix]++
	n := a[prefix]
	return fmt.Sprintf("%s.%d.%d", prefix, n/250, n%250+1)
}
