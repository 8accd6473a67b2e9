// Package allowlist reads the reasoned list of known disagreements between Istio and our analyzer
// (and known Istio validation warnings we accept). Every entry needs a reason.
package allowlist

import (
	"fmt"
	"os"
	"path"
	"strings"

	"sigs.k8s.io/yaml"
)

// Entry allows findings that match all of its non-empty patterns.
type Entry struct {
	// Code is the analyzer code (IST0101) or "validation" for a webhook validation finding.
	Code string `json:"code"`
	// Resource is a glob on "Kind namespace/name" (analyzer) or "Kind namespace/name" (validation).
	Resource string `json:"resource,omitempty"`
	// Where is a glob on the output file (analyze, validate) or the Istio test case name (parity).
	Where string `json:"where,omitempty"`
	// Message is a substring of the message (validation findings only).
	Message string `json:"message,omitempty"`
	// Side limits the entry to findings only Istio makes ("istio") or only we make ("ours").
	Side string `json:"side,omitempty"`
	// Temporary marks a disagreement someone is fixing, as opposed to an accepted difference.
	Temporary bool `json:"temporary,omitempty"`
	// Reason says why the disagreement is acceptable.
	Reason string `json:"reason"`
}

// List is a loaded allow-list.
type List struct {
	Entries []Entry `json:"entries"`
	used    map[int]bool
}

// Load reads an allow-list file; a missing file is an empty list.
func Load(file string) (*List, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return &List{}, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse reads allow-list YAML and checks every entry.
func Parse(data []byte) (*List, error) {
	var l List
	if err := yaml.UnmarshalStrict(data, &l); err != nil {
		return nil, fmt.Errorf("allow-list: %w", err)
	}
	for i, e := range l.Entries {
		if e.Code == "" || strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("allow-list entry %d: code and reason are required", i+1)
		}
		if e.Side != "" && e.Side != "istio" && e.Side != "ours" {
			return nil, fmt.Errorf("allow-list entry %d: side must be istio or ours, got %q", i+1, e.Side)
		}
		for _, p := range []string{e.Resource, e.Where} {
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("allow-list entry %d: bad pattern %q: %w", i+1, p, err)
			}
		}
	}
	return &l, nil
}

// Query describes one finding to look up.
type Query struct {
	Code, Resource, Where, Message, Side string
}

// Match returns the first entry that allows the finding, or nil.
func (l *List) Match(q Query) *Entry {
	if l == nil {
		return nil
	}
	for i := range l.Entries {
		e := &l.Entries[i]
		if e.Code != q.Code || (e.Side != "" && e.Side != q.Side) {
			continue
		}
		if !glob(e.Resource, q.Resource) || !glob(e.Where, q.Where) {
			continue
		}
		if e.Message != "" && !strings.Contains(q.Message, e.Message) {
			continue
		}
		if l.used == nil {
			l.used = map[int]bool{}
		}
		l.used[i] = true
		return e
	}
	return nil
}

// StaleTemporary returns the temporary entries that matched nothing so far although their
// "where" pattern names one of the given places: disagreements that were fixed.
func (l *List) StaleTemporary(places []string) []Entry {
	if l == nil {
		return nil
	}
	var out []Entry
	for i, e := range l.Entries {
		if !e.Temporary || l.used[i] {
			continue
		}
		for _, p := range places {
			if glob(e.Where, p) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// glob matches a path.Match pattern in which "*" also crosses "/" (an empty pattern matches all).
func glob(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	ok, _ := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00"))
	return ok
}
