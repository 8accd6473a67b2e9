package allowlist

import (
	"strings"
	"testing"
)

const list = `entries:
  - code: IST0101
    resource: "Gateway *"
    message: credentialName
    side: istio
    reason: secrets are not in our output
  - code: IST0173
    resource: "DestinationRule shop/*"
    where: "dist/traffic/*"
    temporary: true
    reason: being fixed
`

func TestMatch(t *testing.T) {
	l, err := Parse([]byte(list))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		q    Query
		want bool
	}{
		{"all patterns match", Query{Code: "IST0101", Resource: "Gateway shop/gw", Message: `Referenced credentialName not found: "x"`, Side: "istio"}, true},
		{"other side", Query{Code: "IST0101", Resource: "Gateway shop/gw", Message: "credentialName", Side: "ours"}, false},
		{"message differs", Query{Code: "IST0101", Resource: "Gateway shop/gw", Message: "selector", Side: "istio"}, false},
		{"kind differs", Query{Code: "IST0101", Resource: "VirtualService shop/gw", Message: "credentialName", Side: "istio"}, false},
		{"code differs", Query{Code: "IST0102", Resource: "Gateway shop/gw", Message: "credentialName", Side: "istio"}, false},
		{"where glob crosses folders", Query{Code: "IST0173", Resource: "DestinationRule shop/catalog", Where: "dist/traffic/sub/canary.yaml"}, true},
		{"where outside", Query{Code: "IST0173", Resource: "DestinationRule shop/catalog", Where: "dist/security/istio.yaml"}, false},
		{"namespace outside", Query{Code: "IST0173", Resource: "DestinationRule bookinfo/catalog", Where: "dist/traffic/canary.yaml"}, false},
	}
	for _, c := range cases {
		if got := l.Match(c.q) != nil; got != c.want {
			t.Errorf("%s: Match = %v, want %v", c.name, got, c.want)
		}
	}
	if e := l.Match(Query{Code: "IST0173", Resource: "DestinationRule shop/x", Where: "dist/traffic/a"}); e == nil || !e.Temporary {
		t.Errorf("temporary flag not read: %+v", e)
	}
}

func TestParseRejects(t *testing.T) {
	for name, yaml := range map[string]string{
		"no reason":     "entries:\n  - code: IST0101\n",
		"no code":       "entries:\n  - reason: x\n",
		"bad side":      "entries:\n  - code: IST0101\n    side: both\n    reason: x\n",
		"unknown field": "entries:\n  - code: IST0101\n    reson: x\n",
		"bad pattern":   "entries:\n  - code: IST0101\n    resource: \"[\"\n    reason: x\n",
	} {
		if _, err := Parse([]byte(yaml)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNilListMatchesNothing(t *testing.T) {
	var l *List
	if l.Match(Query{Code: "IST0101"}) != nil {
		t.Error("nil list matched")
	}
	if !strings.Contains(list, "reason") {
		t.Fatal("fixture broken")
	}
}

func TestStaleTemporary(t *testing.T) {
	l, err := Parse([]byte(list))
	if err != nil {
		t.Fatal(err)
	}
	if got := l.StaleTemporary([]string{"dist/traffic/a.yaml"}); len(got) != 1 || got[0].Code != "IST0173" {
		t.Errorf("unused temporary entry not reported: %+v", got)
	}
	if got := l.StaleTemporary([]string{"some case"}); len(got) != 0 {
		t.Errorf("entry for other places reported: %+v", got)
	}
	l.Match(Query{Code: "IST0173", Resource: "DestinationRule shop/x", Where: "dist/traffic/a"})
	if got := l.StaleTemporary([]string{"dist/traffic/a.yaml"}); len(got) != 0 {
		t.Errorf("used entry reported stale: %+v", got)
	}
}
