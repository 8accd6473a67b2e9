package parity

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestLoadCasesParsesTheGrid(t *testing.T) {
	root, _ := filepath.Abs("testdata/istio")
	cases, err := LoadCases(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("want 2 cases, got %d", len(cases))
	}
	dir := filepath.Join(root, AnalyzersDir)
	c := cases[0]
	if c.Name != "destinationHosts" || c.AnalyzerType != "virtualservice.DestinationHostAnalyzer" ||
		!reflect.DeepEqual(c.InputFiles, []string{filepath.Join(dir, "testdata/a.yaml"), filepath.Join(dir, "testdata/b.yaml")}) {
		t.Errorf("case 0: %+v", c)
	}
	if want := []Expected{{"ReferencedResourceNotFound", "IST0101", "VirtualService default/reviews"}}; !reflect.DeepEqual(c.Expected, want) {
		t.Errorf("expected: got %+v, want %+v", c.Expected, want)
	}
	s := cases[1]
	if s.AnalyzerType != "name:schema.ValidationAnalyzer.VirtualService" || !s.SkipAll ||
		s.MeshConfigFile != filepath.Join(dir, "testdata/mesh.yaml") || len(s.Expected) != 0 {
		t.Errorf("case 1: %+v", s)
	}
	if a := newAnalyzer(c.AnalyzerType); a == nil || a.Metadata().Name != "virtualservice.DestinationHostAnalyzer" {
		t.Errorf("analyzer of case 0 not found in Istio's All()")
	}
	if a := newAnalyzer(s.AnalyzerType); a == nil || a.Metadata().Name != "schema.ValidationAnalyzer.VirtualService" {
		t.Errorf("analyzer of case 1 not found in Istio's All()")
	}
}

func TestAnalyzerCodesUnionsExpectedCodesPerAnalyzer(t *testing.T) {
	cases := []Case{
		{Analyzer: "a", Expected: []Expected{{Code: "IST0101"}}},
		{Analyzer: "a", Expected: []Expected{{Code: "IST0109"}}},
		{Analyzer: "b"},
	}
	got := analyzerCodes(cases)
	if !reflect.DeepEqual(got, map[string]map[string]bool{"a": {"IST0101": true, "IST0109": true}, "b": {}}) {
		t.Errorf("got %v", got)
	}
}

func TestOracleMismatchIsAMultisetDifference(t *testing.T) {
	exp := []Expected{{Code: "IST0101", Origin: "Gateway gw"}, {Code: "IST0101", Origin: "Gateway gw"}}
	if m := oracleMismatch(exp, nil); len(m) != 1 || m[0] != "expected by the test, not reported: IST0101 Gateway gw (x2)" {
		t.Errorf("got %v", m)
	}
}
