import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Kinds that select pods by label and whose selectors must keep selecting a service's pods once
 * Flagger runs them: access policies (a selector that misses the pods leaves them open or blocked),
 * the proxies' configuration, and disruption budgets and pod monitors.
 */
const POD_SELECTING_KINDS = new Set([
  'security.istio.io/AuthorizationPolicy', 'security.istio.io/PeerAuthentication', 'security.istio.io/RequestAuthentication',
  'networking.istio.io/Sidecar', 'networking.istio.io/EnvoyFilter', 'telemetry.istio.io/Telemetry',
  'networking.k8s.io/NetworkPolicy', 'policy.linkerd.io/Server',
  'cilium.io/CiliumNetworkPolicy', 'policy/PodDisruptionBudget', 'monitoring.coreos.com/PodMonitor',
]);

/**
 * Objects of the service's namespace that select its pods by the label Flagger rewrites: Flagger
 * copies the target's pod template into `<deployment>-primary` with that label set to
 * `<value>-primary` (pkg/canary/util.go makePrimaryLabels), and the primary serves production, so a
 * selector `<label>: <value>` (a policy's own, or a NetworkPolicy peer's) no longer selects it: an
 * AuthorizationPolicy or Server stops protecting production (open, or denied by the namespace's
 * default), a caller's egress NetworkPolicy stops reaching it.
 * @internal
 */
export function primaryLabelSelectorErrors(owner: IConstruct, namespace: string, serviceName: string, label: string, value: string): string[] {
  const errors: string[] = [];
  for (const o of owner.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(o) || o.metadata.namespace !== namespace || !POD_SELECTING_KINDS.has(`${o.apiGroup}/${o.kind}`)) continue;
    if (!selectsByLabel((o.toJson() as { spec?: unknown }).spec, label, value)) continue;
    errors.push(`${owner.node.path}: ${o.kind} ${o.name} (${o.node.path}) selects pods by ${label}: ${value}, but Flagger runs ${serviceName}'s production pods as its -primary copy labelled `
      + `${label}: ${value}-primary (pkg/canary/util.go makePrimaryLabels), which that selector misses once Flagger has initialized: their policy, or a caller's way to them, would be gone. `
      + `Fix: leave ${serviceName}'s access policies out under Flagger, or canary it with CanaryEngine.argoRollouts(), which keeps the pods' labels`);
  }
  return errors;
}

/** True if a label selector anywhere in `spec` (`matchLabels`, or Istio's `workloadSelector.labels`) requires `label: value`. */
function selectsByLabel(spec: unknown, label: string, value: string): boolean {
  if (Array.isArray(spec)) return spec.some((x) => selectsByLabel(x, label, value));
  if (!spec || typeof spec !== 'object') return false;
  return Object.entries(spec as Record<string, unknown>).some(([k, v]) => {
    if ((k === 'matchLabels' || k === 'labels') && v && typeof v === 'object' && (v as Record<string, unknown>)[label] === value) return true;
    return selectsByLabel(v, label, value);
  });
}
