package simulate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Outcome is what the simulated proxy did with a request.
type Outcome struct {
	// Refused is set when no filter chain accepted the connection; Reason says why.
	Refused bool
	Reason  string
	Status  int
	Route   string
	Cluster string
	Weights map[string]uint32
	Path    string
	Mirrors map[string]float64
	Timeout string
	// Redirect is the Location the proxy redirects to.
	Redirect string
	Fault    *Fault
}

// Compare lists the differences between what was expected and what happened (empty: pass).
func Compare(want Expect, got Outcome) []string {
	var diffs []string
	add := func(field string, w, g any) {
		diffs = append(diffs, fmt.Sprintf("%s: want %v, got %v", field, w, g))
	}
	if want.Refused != nil && *want.Refused != got.Refused {
		add("refused", *want.Refused, describeRefusal(got))
	}
	if want.Status != nil && *want.Status != got.Status {
		add("status", *want.Status, describeStatus(got))
	}
	if want.Route != "" && want.Route != got.Route {
		add("route", quote(want.Route), quote(got.Route))
	}
	if want.Cluster != "" && want.Cluster != got.Cluster {
		g := quote(got.Cluster)
		if got.Weights != nil {
			g = "weighted " + formatWeights(got.Weights)
		}
		add("cluster", quote(want.Cluster), g)
	}
	if want.Weights != nil && !maps.Equal(want.Weights, got.Weights) {
		g := formatWeights(got.Weights)
		if got.Weights == nil {
			g = "single cluster " + quote(got.Cluster)
		}
		add("weights", formatWeights(want.Weights), g)
	}
	if want.Path != "" && want.Path != got.Path {
		add("upstream path", quote(want.Path), quote(got.Path))
	}
	if want.Mirrors != nil && !maps.Equal(want.Mirrors, got.Mirrors) {
		add("mirrors", formatMap(want.Mirrors), formatMap(got.Mirrors))
	}
	if want.Timeout != "" && !sameDuration(want.Timeout, got.Timeout) {
		add("timeout", want.Timeout, orNone(got.Timeout))
	}
	if want.Redirect != "" && want.Redirect != got.Redirect {
		add("redirect", quote(want.Redirect), quote(got.Redirect))
	}
	if want.Fault != nil {
		diffs = append(diffs, compareFault(*want.Fault, got.Fault)...)
	}
	return diffs
}

func compareFault(want Fault, got *Fault) []string {
	if got == nil {
		return []string{"fault: want fault injection, got none"}
	}
	var diffs []string
	if want.AbortStatus != 0 && want.AbortStatus != got.AbortStatus {
		diffs = append(diffs, fmt.Sprintf("fault abort status: want %d, got %d", want.AbortStatus, got.AbortStatus))
	}
	if want.AbortPercent != nil && !samePercent(want.AbortPercent, got.AbortPercent) {
		diffs = append(diffs, fmt.Sprintf("fault abort percent: want %v, got %v", *want.AbortPercent, percent(got.AbortPercent)))
	}
	if want.Delay != "" && !sameDuration(want.Delay, got.Delay) {
		diffs = append(diffs, fmt.Sprintf("fault delay: want %s, got %s", want.Delay, orNone(got.Delay)))
	}
	if want.DelayPercent != nil && !samePercent(want.DelayPercent, got.DelayPercent) {
		diffs = append(diffs, fmt.Sprintf("fault delay percent: want %v, got %v", *want.DelayPercent, percent(got.DelayPercent)))
	}
	return diffs
}

func samePercent(a, b *float64) bool { return b != nil && *a == *b }

func percent(p *float64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}

// sameDuration compares durations by value: "1.5s" equals "1s500ms".
func sameDuration(want, got string) bool {
	w, err1 := time.ParseDuration(want)
	g, err2 := time.ParseDuration(got)
	if err1 != nil || err2 != nil {
		return want == got
	}
	return w == g
}

func describeRefusal(o Outcome) string {
	if o.Refused {
		return "true (" + o.Reason + ")"
	}
	return "false (" + describeStatus(o) + ")"
}

func describeStatus(o Outcome) string {
	if o.Refused {
		return "connection refused (" + o.Reason + ")"
	}
	if o.Reason != "" {
		return fmt.Sprintf("%d (%s)", o.Status, o.Reason)
	}
	return fmt.Sprint(o.Status)
}

func quote(s string) string {
	if s == "" {
		return "none"
	}
	return fmt.Sprintf("%q", s)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func formatWeights(m map[string]uint32) string {
	if m == nil {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func formatMap(m map[string]float64) string {
	if m == nil {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%v%%", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
