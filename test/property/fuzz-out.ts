/** The kinds whose pods the Istio conformance harness adds to a set for Istio's analyzers (conformance/istio/internal/istioanalysis/workload_pods.go). */
const POD_CREATING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * The suffix of a fuzz-out file name: `-user-workloads` when the objects hold no pod-creating
 * workload (mesh configuration for pods deployed elsewhere). Istio's analyzers report every
 * selector and subset of such a set as matching no Pod; the allow-list of the Istio conformance
 * harness names these files for that (conformance/istio/allowlist.yaml, "fuzz-out").
 */
export function fuzzOutSuffix(objects: ReadonlyArray<{ kind?: string }>): string {
  return objects.some((o) => POD_CREATING.has(o.kind ?? '')) ? '' : '-user-workloads';
}
