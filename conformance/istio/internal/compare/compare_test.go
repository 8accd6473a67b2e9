package compare

import (
	"testing"

	"cdk8s-mesh/conformance/istio/internal/allowlist"
	"cdk8s-mesh/conformance/istio/internal/findings"
)

func f(code, resource string) findings.Finding {
	return findings.Finding{Code: code, Resource: resource}
}

func TestAddCountsFoundMissedExtraPerCode(t *testing.T) {
	codes := map[string]bool{"IST0101": true, "IST0173": true, "IST0109": true}
	allow, err := allowlist.Parse([]byte("entries:\n  - code: IST0173\n    resource: \"DestinationRule shop/*\"\n    side: istio\n    reason: known\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(codes)
	r.Add(Input{
		Where: "a.yaml",
		Istio: []findings.Finding{
			f("IST0101", "VirtualService reviews"),       // found (ours names the default namespace)
			f("IST0101", "VirtualService shop/missing"),  // missed
			f("IST0173", "DestinationRule shop/catalog"), // missed, allowed
			f("IST0102", "Namespace shop"),               // not a code we implement
			f("IST0101", "VirtualService reviews"),       // duplicate message collapses
		},
		Ours: []findings.Finding{
			f("IST0101", "VirtualService default/reviews"),
			f("IST0101", "Gateway shop/gw"),         // extra
			f("IST0101", "VirtualService shop/vs"),  // Istio reports it outside the case analyzer
			f("MESH0001", "VirtualService shop/vs"), // ours only, not an Istio code
		},
		NotExtra: []findings.Finding{f("IST0101", "VirtualService shop/vs")},
		Codes:    codes,
	}, allow)
	rows := map[string]CodeStats{}
	for _, row := range r.Table() {
		rows[row.Code] = row
	}
	if got, want := rows["IST0101"], (CodeStats{Code: "IST0101", Expected: 2, Found: 1, Missed: 1, Extra: 1}); got != want {
		t.Errorf("IST0101: got %+v, want %+v", got, want)
	}
	if got, want := rows["IST0173"], (CodeStats{Code: "IST0173", Expected: 1, Missed: 1, Allowed: 1}); got != want {
		t.Errorf("IST0173: got %+v, want %+v", got, want)
	}
	if got := rows["IST0109"]; got != (CodeStats{Code: "IST0109"}) {
		t.Errorf("IST0109 should be a zero row, got %+v", got)
	}
	if _, ok := rows["IST0102"]; ok {
		t.Error("IST0102 is not ours and must not be compared")
	}
	fails := r.Failures()
	if len(fails) != 2 || fails[0].Resource != "VirtualService shop/missing" || fails[0].Side != "istio" ||
		fails[1].Resource != "Gateway shop/gw" || fails[1].Side != "ours" {
		t.Errorf("failures: %+v", fails)
	}
}

func TestNormalizeResource(t *testing.T) {
	for in, want := range map[string]string{
		"VirtualService default/reviews": "VirtualService reviews",
		"VirtualService reviews":         "VirtualService reviews",
		"VirtualService /reviews":        "VirtualService reviews",
		"VirtualService shop/reviews":    "VirtualService shop/reviews",
		"Namespace shop":                 "Namespace shop",
	} {
		if got := findings.NormalizeResource(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
