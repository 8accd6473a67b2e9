package parity

import (
	"fmt"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"

	"istio.io/istio/pkg/config/analysis"
	"istio.io/istio/pkg/config/analysis/analyzers"

	"cdk8s-mesh/conformance/istio/internal/allowlist"
	"cdk8s-mesh/conformance/istio/internal/compare"
	"cdk8s-mesh/conformance/istio/internal/findings"
	"cdk8s-mesh/conformance/istio/internal/istioanalysis"
)

// OurAnalyzer analyzes files as one set and returns our findings.
type OurAnalyzer func(files []string) ([]findings.Finding, error)

// Options of a parity run.
type Options struct {
	Cases []Case
	Codes map[string]bool // the IST codes we implement
	Ours  OurAnalyzer
	Allow *allowlist.List
	// Only runs the cases whose name contains this string (all when empty).
	Only string
	// Workers run our analyzer on that many cases at once.
	Workers int
}

// CaseResult is what happened to one relevant case.
type CaseResult struct {
	Name     string   `json:"name"`
	Analyzer string   `json:"analyzer"`
	Codes    []string `json:"codes"` // the codes compared: the analyzer's codes that we implement
	// OracleMismatch lists differences between Istio's analyzer run here and the expected
	// messages in analyzers_test.go (empty when the harness reproduces Istio's test).
	OracleMismatch []string `json:"oracleMismatch,omitempty"`
	Error          string   `json:"error,omitempty"`
}

// Result of a parity run.
type Result struct {
	Report *compare.Report
	Cases  []CaseResult
	// Skipped counts the cases whose analyzer emits none of our codes.
	Skipped int
}

// analyzerCodes: for each analyzer expression, the codes its cases expect (over all cases).
func analyzerCodes(cases []Case) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, c := range cases {
		if out[c.Analyzer] == nil {
			out[c.Analyzer] = map[string]bool{}
		}
		for _, e := range c.Expected {
			out[c.Analyzer][e.Code] = true
		}
	}
	return out
}

// newAnalyzer returns a fresh instance of Istio's analyzer "pkg.Type" (or "name:<name>") from
// analyzers.All().
func newAnalyzer(typ string) analysis.Analyzer {
	for _, a := range append(analyzers.All(), analyzers.AllMultiCluster()...) {
		if name, ok := strings.CutPrefix(typ, "name:"); ok {
			if a.Metadata().Name == name {
				return a
			}
			continue
		}
		t := reflect.TypeOf(a)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if path.Base(t.PkgPath())+"."+t.Name() == typ {
			return a
		}
	}
	return nil
}

// Run compares Istio and us on every case whose analyzer can emit a code we implement.
func Run(o Options) (*Result, error) {
	res := &Result{Report: compare.NewReport(o.Codes)}
	byAnalyzer := analyzerCodes(o.Cases)
	type job struct {
		c     Case
		codes map[string]bool
		index int
	}
	var jobs []job
	for _, c := range o.Cases {
		codes := map[string]bool{}
		for code := range byAnalyzer[c.Analyzer] {
			if o.Codes[code] {
				codes[code] = true
			}
		}
		if len(codes) == 0 || (o.Only != "" && !strings.Contains(c.Name, o.Only)) {
			res.Skipped++
			continue
		}
		jobs = append(jobs, job{c: c, codes: codes, index: len(jobs)})
	}
	type outcome struct {
		cr                CaseResult
		istio, all, ourFs []findings.Finding
	}
	outcomes := make([]outcome, len(jobs))
	workers := o.Workers
	if workers < 1 {
		workers = 1
	}
	// Our analyzer is a node process per case: run those in parallel. Istio's analysis runs in
	// this process, one case at a time (its analyzers share global registries).
	var wg sync.WaitGroup
	ch := make(chan job)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				fs, err := o.Ours(j.c.InputFiles)
				outcomes[j.index].ourFs = fs
				if err != nil {
					outcomes[j.index].cr.Error = "our analyzer: " + err.Error()
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()

	for _, j := range jobs {
		out := &outcomes[j.index]
		cr := &out.cr
		cr.Name, cr.Analyzer = j.c.Name, j.c.Analyzer
		for code := range j.codes {
			cr.Codes = append(cr.Codes, code)
		}
		sort.Strings(cr.Codes)
		a := newAnalyzer(j.c.AnalyzerType)
		if a == nil {
			cr.Error = fmt.Sprintf("cannot run Istio's analyzer %s: not in analyzers.All()", j.c.Analyzer)
			res.Cases = append(res.Cases, *cr)
			continue
		}
		opts := istioanalysis.Options{
			Analyzer: analysis.Combine("testCase", a), MeshConfigFile: j.c.MeshConfigFile,
			MeshNetworksFile: j.c.MeshNetworksFile, WithRuntimeKinds: true,
		}
		istio, err := istioanalysis.Run(j.c.InputFiles, opts)
		if err != nil {
			cr.Error = "Istio's analyzer: " + err.Error()
			res.Cases = append(res.Cases, *cr)
			continue
		}
		cr.OracleMismatch = oracleMismatch(j.c.Expected, istio)
		opts.Analyzer = nil
		all, err := istioanalysis.Run(j.c.InputFiles, opts)
		if err != nil {
			cr.Error = "Istio's analyzers: " + err.Error()
			res.Cases = append(res.Cases, *cr)
			continue
		}
		ours := out.ourFs
		if cr.Error != "" {
			ours = nil // every expected finding counts as missed
		}
		res.Report.Add(compare.Input{Where: j.c.Name, Istio: istio, Ours: ours, Codes: j.codes, NotExtra: all}, o.Allow)
		res.Cases = append(res.Cases, *cr)
	}
	return res, nil
}

// oracleMismatch compares Istio's messages here with the test's expectation (as multisets of
// "code origin"), the way the test does (ConsistOf).
func oracleMismatch(expected []Expected, got []findings.Finding) []string {
	count := map[string]int{}
	for _, e := range expected {
		count[e.Code+" "+e.Origin]++
	}
	for _, f := range got {
		count[f.Code+" "+f.Resource]--
	}
	var out []string
	for k, n := range count {
		switch {
		case n > 0:
			out = append(out, fmt.Sprintf("expected by the test, not reported: %s (x%d)", k, n))
		case n < 0:
			out = append(out, fmt.Sprintf("reported, not expected by the test: %s (x%d)", k, -n))
		}
	}
	sort.Strings(out)
	return out
}
