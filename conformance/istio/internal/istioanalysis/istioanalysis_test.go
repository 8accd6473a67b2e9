package istioanalysis

import (
	"testing"

	"cdk8s-mesh/conformance/istio/internal/findings"
)

func TestRunReportsMissingHostAndSubset(t *testing.T) {
	got, err := Run([]string{"testdata/missing-host.yaml"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"IST0101 VirtualService shop/reviews": false}
	for _, f := range got {
		if _, ok := want[f.Code+" "+f.Resource]; ok {
			want[f.Code+" "+f.Resource] = true
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("Istio did not report %s", k)
		}
	}
}

// count returns how many findings have the code and the resource.
func count(fs []findings.Finding, code, resource string) int {
	n := 0
	for _, f := range fs {
		if f.Code == code && f.Resource == resource {
			n++
		}
	}
	return n
}

func TestPodsFromWorkloadsLetSubsetsMatch(t *testing.T) {
	files := []string{"testdata/subset-workload.yaml"}
	without, err := Run(files, Options{WithRuntimeKinds: true})
	if err != nil {
		t.Fatal(err)
	}
	with, err := Run(files, Options{WithRuntimeKinds: true, PodsFromWorkloads: true})
	if err != nil {
		t.Fatal(err)
	}
	// Without Pods, both subsets select nothing; with the Deployment's Pod only v2 does (one
	// message per subset, same resource).
	if got := count(without, "IST0173", "DestinationRule shop/reviews"); got != 2 {
		t.Errorf("without pods: want 2 IST0173, got %d (%v)", got, without)
	}
	if got := count(with, "IST0173", "DestinationRule shop/reviews"); got != 1 {
		t.Errorf("with pods: want 1 IST0173 (subset v2), got %d (%v)", got, with)
	}
}

func TestIstioctlExactSkipsServiceAnalyzers(t *testing.T) {
	// istioctl --use-kube=false ignores Services in files, so the destination-host analyzer
	// does not run and the unknown host is not reported; with runtime kinds it is.
	files := []string{"testdata/missing-host.yaml"}
	exact, err := Run(files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	full, err := Run(files, Options{WithRuntimeKinds: true})
	if err != nil {
		t.Fatal(err)
	}
	if count(full, "IST0101", "VirtualService shop/reviews") < 2 || count(exact, "IST0101", "VirtualService shop/reviews") != 1 {
		t.Errorf("exact: %v\nfull: %v", exact, full)
	}
}
