// Package compare puts Istio's findings and ours side by side per (code, resource) for the codes
// we implement, applying the allow-list.
package compare

import (
	"sort"

	"cdk8s-mesh/conformance/istio/internal/allowlist"
	"cdk8s-mesh/conformance/istio/internal/findings"
)

// Disagreement is a finding one side makes and the other does not.
type Disagreement struct {
	findings.Finding
	Where   string `json:"where"`             // output file or Istio test case
	Side    string `json:"side"`              // "istio" (we miss it) or "ours" (extra)
	Allowed string `json:"allowed,omitempty"` // the allow-list reason, when allowed
}

// CodeStats counts one code: expected = Istio's, found = ours that match, missed, extra.
type CodeStats struct {
	Code     string `json:"code"`
	Expected int    `json:"expected"`
	Found    int    `json:"found"`
	Missed   int    `json:"missed"`
	Extra    int    `json:"extra"`
	Allowed  int    `json:"allowed"` // missed or extra covered by the allow-list
}

// Report accumulates comparisons.
type Report struct {
	Stats         map[string]*CodeStats `json:"-"`
	Disagreements []Disagreement        `json:"disagreements"`
}

// NewReport starts an empty report listing every code we implement (so zero rows show).
func NewReport(codes map[string]bool) *Report {
	r := &Report{Stats: map[string]*CodeStats{}, Disagreements: []Disagreement{}}
	for c := range codes {
		r.Stats[c] = &CodeStats{Code: c}
	}
	return r
}

// Input is one comparison: Istio's findings and ours on the same inputs.
type Input struct {
	Where string
	Istio []findings.Finding
	Ours  []findings.Finding
	// Codes limits the comparison (codes we implement, possibly narrowed further).
	Codes map[string]bool
	// NotExtra are findings Istio makes outside Istio's side of this comparison; ours that match
	// one are not counted as extra (parity: other Istio analyzers flag it too).
	NotExtra []findings.Finding
}

// Add compares one input and records the result.
func (r *Report) Add(in Input, allow *allowlist.List) {
	istio := findings.Set(filter(in.Istio, in.Codes))
	ours := findings.Set(filter(in.Ours, in.Codes))
	notExtra := findings.Set(filter(in.NotExtra, in.Codes))
	stats := func(code string) *CodeStats {
		s, ok := r.Stats[code]
		if !ok {
			s = &CodeStats{Code: code}
			r.Stats[code] = s
		}
		return s
	}
	for _, k := range istio.SortedKeys() {
		s := stats(k.Code)
		s.Expected++
		if _, ok := ours[k]; ok {
			s.Found++
			continue
		}
		s.Missed++
		r.disagree(in.Where, "istio", istio[k], allow, s)
	}
	for _, k := range ours.SortedKeys() {
		if _, ok := istio[k]; ok {
			continue
		}
		if _, ok := notExtra[k]; ok {
			continue
		}
		s := stats(k.Code)
		s.Extra++
		r.disagree(in.Where, "ours", ours[k], allow, s)
	}
}

func (r *Report) disagree(where, side string, f findings.Finding, allow *allowlist.List, s *CodeStats) {
	d := Disagreement{Finding: f, Where: where, Side: side}
	if e := allow.Match(allowlist.Query{Code: f.Code, Resource: f.Resource, Where: where, Message: f.Message, Side: side}); e != nil {
		d.Allowed = e.Reason
		s.Allowed++
	}
	r.Disagreements = append(r.Disagreements, d)
}

// Failures are the disagreements no allow-list entry covers.
func (r *Report) Failures() []Disagreement {
	var out []Disagreement
	for _, d := range r.Disagreements {
		if d.Allowed == "" {
			out = append(out, d)
		}
	}
	return out
}

// Table returns the per-code rows sorted by code.
func (r *Report) Table() []CodeStats {
	rows := make([]CodeStats, 0, len(r.Stats))
	for _, s := range r.Stats {
		rows = append(rows, *s)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Code < rows[j].Code })
	return rows
}

func filter(fs []findings.Finding, codes map[string]bool) []findings.Finding {
	var out []findings.Finding
	for _, f := range fs {
		if codes[f.Code] {
			f.Resource = findings.NormalizeResource(f.Resource)
			out = append(out, f)
		}
	}
	return out
}
