// Package findings is the common shape of an analyzer finding, Istio's or ours, and the key the
// two sides are compared by: (code, resource).
package findings

import (
	"sort"
	"strings"
)

// Finding is one analyzer message.
type Finding struct {
	Code     string `json:"code"`
	Resource string `json:"resource"` // "Kind namespace/name" (namespace "default" dropped, see NormalizeResource)
	File     string `json:"file,omitempty"`
	Level    string `json:"level,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Key identifies a finding for comparison.
type Key struct {
	Code     string `json:"code"`
	Resource string `json:"resource"`
}

// Key of the finding.
func (f Finding) Key() Key { return Key{f.Code, f.Resource} }

// NormalizeResource turns "Kind ns/name", "Kind name" or "Kind /name" into one form. Istio names a
// resource without namespace "Kind name"; our analyzer puts such objects in the default namespace
// ("Kind default/name"), so the default namespace is dropped on both sides.
func NormalizeResource(r string) string {
	r = strings.TrimSpace(r)
	kind, full, ok := strings.Cut(r, " ")
	if !ok {
		return r
	}
	full = strings.TrimSpace(full)
	if ns, name, ok := strings.Cut(full, "/"); ok && (ns == "" || ns == "default") {
		full = name
	}
	return kind + " " + full
}

// KeySet is a set of keys with the findings that produced them.
type KeySet map[Key]Finding

// Set collects findings into a KeySet (duplicates collapse).
func Set(fs []Finding) KeySet {
	s := KeySet{}
	for _, f := range fs {
		if _, ok := s[f.Key()]; !ok {
			s[f.Key()] = f
		}
	}
	return s
}

// SortedKeys returns the keys in (code, resource) order.
func (s KeySet) SortedKeys() []Key {
	keys := make([]Key, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Code != keys[j].Code {
			return keys[i].Code < keys[j].Code
		}
		return keys[i].Resource < keys[j].Resource
	})
	return keys
}
