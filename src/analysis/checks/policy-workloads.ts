import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { ISTIO_ROOT_NAMESPACE, selectsDefaultIngressGateway } from '../istio-defaults';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';

/**
 * Kinds whose workload selector is `spec.selector.matchLabels` or `spec.workloadSelector.labels`,
 * with the code for a selector that matches no workload. Istio's codes where Istio reports it:
 * IST0127 (NoMatchingWorkloadsFound) for AuthorizationPolicies only (authz/authorizationpolicies.go,
 * analyzeNoMatchingWorkloads), IST0101 "selector not found" for Sidecars and Telemetry
 * (sidecar/selector.go, telemetry/selector.go). No analyzer of Istio checks the selectors of
 * PeerAuthentications, RequestAuthentications or EnvoyFilters: ours is MESH0207.
 */
const SELECTING_KINDS: ReadonlyArray<{ group: string; kind: string; path: 'selector' | 'workloadSelector'; code: string }> = [
  { group: 'security.istio.io', kind: 'AuthorizationPolicy', path: 'selector', code: 'IST0127' },
  { group: 'security.istio.io', kind: 'PeerAuthentication', path: 'selector', code: 'MESH0207' },
  { group: 'security.istio.io', kind: 'RequestAuthentication', path: 'selector', code: 'MESH0207' },
  { group: 'telemetry.istio.io', kind: 'Telemetry', path: 'selector', code: 'IST0101' },
  { group: 'networking.istio.io', kind: 'Sidecar', path: 'workloadSelector', code: 'IST0101' },
  { group: 'networking.istio.io', kind: 'EnvoyFilter', path: 'workloadSelector', code: 'MESH0207' },
];

/**
 * IST0127 for AuthorizationPolicies, IST0101 for Sidecars and Telemetry (as in Istio), MESH0207 for
 * PeerAuthentications, RequestAuthentications and EnvoyFilters: an Istio policy whose workload
 * selector matches no workload of its namespace. Only checked when the set holds workloads in the
 * policy's namespace, since the pods may otherwise be deployed separately.
 *
 * In `istio-system`, Istio's root namespace, an AuthorizationPolicy applies mesh-wide: it is
 * checked against the workloads of every namespace (and Istio's default ingress gateway), when the
 * set holds workloads outside `istio-system`. Other policies there are not checked: Istio's
 * gateways are installed with Istio, not by charts.
 */
export const policyWorkloadsAnalyzer: IAnalyzer = {
  name: 'policy-selects-workloads',
  codes: ['IST0127', 'IST0101', 'MESH0207'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const outsideRoot = index.workloadCount() - index.workloadCount(ISTIO_ROOT_NAMESPACE);
    for (const { group, kind, path, code } of SELECTING_KINDS) {
      for (const m of index.ofKind(group, kind)) {
        const labels: Record<string, string> | undefined = path === 'selector' ? m.spec?.selector?.matchLabels : m.spec?.workloadSelector?.labels;
        if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) continue;
        const ns = index.namespaceOf(m);
        if (ns === ISTIO_ROOT_NAMESPACE) {
          if (kind !== 'AuthorizationPolicy' || outsideRoot === 0 || selectsDefaultIngressGateway(labels) || index.workloadsMatching(undefined, labels).length > 0) continue;
          out.push(findingAbout(index, m, code, Severity.WARNING,
            `applies mesh-wide (namespace ${ISTIO_ROOT_NAMESPACE}) to workloads ${labelsText(labels)}, but no workload of the set in any namespace has those pod labels, so it applies to nothing. `
            + 'Fix: correct the selector labels or the workload\'s pod labels'));
          continue;
        }
        const count = index.workloadCount(ns);
        if (count === 0 || index.workloadsMatching(ns, labels).length > 0) continue;
        out.push(findingAbout(index, m, code, Severity.WARNING,
          `selects workloads ${labelsText(labels)}, but none of the ${count} workload(s) in namespace ${ns} has those pod labels, so it applies to nothing. `
          + 'Fix: correct the selector labels or the workload\'s pod labels'));
      }
    }
    return out;
  },
};
