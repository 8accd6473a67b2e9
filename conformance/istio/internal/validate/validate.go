// Package validate runs what istiod's validating webhook runs (pkg/webhooks/validation/server) on
// every Istio object of a manifest set: decode into the kind's proto (crd.ConvertObject), the
// kind's validation (pkg/config/validation, incl. EnvoyFilter patch conversion to Envoy protos)
// and the top-level field check. Warnings count as failures too.
package validate

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config/schema/collection"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/config/schema/resource"

	"cdk8s-mesh/conformance/istio/internal/allowlist"
	"cdk8s-mesh/conformance/istio/internal/manifests"
)

// DomainSuffix is the cluster domain the webhook converts with (istiod's default).
const DomainSuffix = "cluster.local"

// Severity of a finding.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one error or warning Istio's validation reports on one object.
type Finding struct {
	File      string `json:"file"`
	Index     int    `json:"index"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Severity  string `json:"severity"`
	Message   string `json:"message"`
	Allowed   string `json:"allowed,omitempty"` // the allow-list reason, when allowed
}

// Result of validating a manifest set.
type Result struct {
	Files    int       `json:"files"`
	Objects  int       `json:"objects"` // Istio objects validated
	Findings []Finding `json:"findings"`
	Failures int       `json:"failures"` // findings no allow-list entry covers
}

// AllowListCode is the allow-list code of webhook validation findings.
const AllowListCode = "validation"

// Resource names the finding's object like the analyzers do: "Kind namespace/name".
func (f Finding) Resource() string {
	if f.Namespace == "" {
		return f.Kind + " " + f.Name
	}
	return f.Kind + " " + f.Namespace + "/" + f.Name
}

// IsIstioGroup tells whether an API group is one of Istio's (the groups the webhook covers).
func IsIstioGroup(group string) bool {
	return group == "istio.io" || strings.HasSuffix(group, ".istio.io")
}

// schemas is what istiod registers with its webhook (pilot/pkg/bootstrap/validation.go).
func schemas() collection.Schemas { return collections.PilotGatewayAPI() }

// topLevelFields the webhook accepts on an object (server.go validFields).
var topLevelFields = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "spec": true, "status": true}

// Document validates one document; it returns no findings for non-Istio documents and reports
// whether the document was an Istio object.
func Document(doc manifests.Document) ([]Finding, bool) {
	if !IsIstioGroup(doc.Group()) {
		return nil, false
	}
	finding := func(sev, format string, args ...any) Finding {
		return Finding{File: doc.File, Index: doc.Index, Kind: doc.Kind, Namespace: doc.Namespace,
			Name: doc.Name, Severity: sev, Message: oneLine(fmt.Sprintf(format, args...))}
	}
	var obj crd.IstioKind
	if err := json.Unmarshal(doc.Raw, &obj); err != nil {
		return []Finding{finding(SeverityError, "cannot decode configuration: %v", err)}, true
	}
	gvk := obj.GroupVersionKind()
	s, ok := schemas().FindByGroupKind(resource.FromKubernetesGVK(&gvk))
	if !ok {
		return []Finding{finding(SeverityError, "unrecognized type %v", gvk)}, true
	}
	out, err := crd.ConvertObject(s, &obj, DomainSuffix)
	if err != nil {
		return []Finding{finding(SeverityError, "error decoding configuration: %v", err)}, true
	}
	var findings []Finding
	warnings, err := s.ValidateConfig(*out)
	if err != nil {
		findings = append(findings, finding(SeverityError, "configuration is invalid: %v", err))
	}
	if warnings != nil {
		findings = append(findings, finding(SeverityWarning, "%v", warnings))
	}
	if err == nil {
		fields := map[string]json.RawMessage{}
		if jerr := json.Unmarshal(doc.Raw, &fields); jerr == nil {
			keys := make([]string, 0, len(fields))
			for k := range fields {
				if !topLevelFields[k] {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				findings = append(findings, finding(SeverityError, "unknown field %q on %s resource %s/%s", k, doc.Kind, doc.Namespace, doc.Name))
			}
		}
	}
	return findings, true
}

// Files validates every Istio object in the given files or folders; where is how a file is named
// to the allow-list (e.g. relative to the repository).
func Files(args []string, allow *allowlist.List, where func(string) string) (Result, error) {
	files, err := manifests.Files(args)
	if err != nil {
		return Result{}, err
	}
	res := Result{Files: len(files), Findings: []Finding{}}
	for _, f := range files {
		docs, err := manifests.ReadFile(f)
		if err != nil {
			res.Findings = append(res.Findings, Finding{File: f, Index: -1, Severity: SeverityError, Message: err.Error()})
			continue
		}
		for _, d := range docs {
			fs, istio := Document(d)
			if istio {
				res.Objects++
			}
			res.Findings = append(res.Findings, fs...)
		}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		q := allowlist.Query{Code: AllowListCode, Resource: f.Resource(), Where: where(f.File), Message: f.Message}
		if e := allow.Match(q); e != nil {
			f.Allowed = e.Reason
		} else {
			res.Failures++
		}
	}
	return res, nil
}

// oneLine flattens a multierror ("3 errors occurred:\n\t* a\n\t* b") into "a; b".
func oneLine(msg string) string {
	var parts []string
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasSuffix(line, "errors occurred:") || strings.HasSuffix(line, "error occurred:") {
			continue
		}
		parts = append(parts, strings.TrimPrefix(line, "* "))
	}
	return strings.Join(parts, "; ")
}
