package simulate

import (
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestComparePassesWhenEveryExpectationHolds(t *testing.T) {
	got := Outcome{
		Status: 200, Route: "r", Weights: map[string]uint32{"a": 90, "b": 10}, Path: "/42", Timeout: "1.5s",
		Mirrors: map[string]float64{"m": 20}, Fault: &Fault{AbortStatus: 503, AbortPercent: ptr(10.0)},
	}
	want := Expect{
		Status: ptr(200), Route: "r", Weights: map[string]uint32{"a": 90, "b": 10}, Path: "/42",
		Timeout: "1s500ms", Mirrors: map[string]float64{"m": 20}, Fault: &Fault{AbortStatus: 503, AbortPercent: ptr(10.0)},
	}
	if d := Compare(want, got); len(d) != 0 {
		t.Fatalf("want no differences, got %v", d)
	}
}

func TestCompareChecksOnlyWhatIsExpected(t *testing.T) {
	got := Outcome{Status: 200, Cluster: "c", Path: "/x"}
	if d := Compare(Expect{Cluster: "c"}, got); len(d) != 0 {
		t.Fatalf("want no differences, got %v", d)
	}
}

func TestCompareNamesEachDifference(t *testing.T) {
	got := Outcome{Status: 200, Cluster: "outbound|8080||orders", Path: "//42"}
	want := Expect{Status: ptr(403), Path: "/42", Weights: map[string]uint32{"a": 100}, Fault: &Fault{Delay: "7s"}}
	d := strings.Join(Compare(want, got), "\n")
	for _, s := range []string{
		"status: want 403, got 200",
		`upstream path: want "/42", got "//42"`,
		`weights: want {a=100}, got single cluster "outbound|8080||orders"`,
		"fault: want fault injection, got none",
	} {
		if !strings.Contains(d, s) {
			t.Errorf("differences %q lack %q", d, s)
		}
	}
}

func TestCompareReportsARefusedConnection(t *testing.T) {
	got := Outcome{Refused: true, Reason: "no filter chains matched"}
	d := Compare(Expect{Status: ptr(200)}, got)
	if len(d) != 1 || !strings.Contains(d[0], "connection refused (no filter chains matched)") {
		t.Fatalf("got %v", d)
	}
	if d := Compare(Expect{Refused: ptr(true)}, got); len(d) != 0 {
		t.Fatalf("want no differences, got %v", d)
	}
	if d := Compare(Expect{Refused: ptr(true)}, Outcome{Status: 200}); len(d) != 1 {
		t.Fatalf("want one difference, got %v", d)
	}
}

func TestCompareFaultPercentages(t *testing.T) {
	got := Outcome{Fault: &Fault{Delay: "2s", DelayPercent: ptr(50.0)}}
	d := Compare(Expect{Fault: &Fault{Delay: "2s", DelayPercent: ptr(100.0)}}, got)
	if len(d) != 1 || !strings.Contains(d[0], "fault delay percent: want 100, got 50") {
		t.Fatalf("got %v", d)
	}
}
