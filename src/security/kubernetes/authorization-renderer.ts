import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { Mesh } from '../../core/mesh';
import type { MeshService } from '../../service/mesh-service';
import type { AllowEntry } from '../allow-entry';
import { ResolvedCaller } from '../caller';
import { baselineEgress } from './baseline-egress';
import { NetworkPeer, NetworkPolicy, NetworkPolicyDirection, NetworkPolicyRule } from './network-policy';

function peer(owner: Construct, e: AllowEntry, c: ResolvedCaller): NetworkPeer {
  if (!c.serviceAccount) return NetworkPeer.namespace(c.namespace);
  if (!c.podLabels) {
    fail(owner, `allow ${e.name} from`, `names the ServiceAccount ${c.namespace}/${c.serviceAccount} without podLabels; Kubernetes NetworkPolicy selects pods by label`,
      'pass Caller.serviceAccount(name, { podLabels: {...} }), or networkPolicies: false');
  }
  return NetworkPeer.pods(c.podLabels, { namespace: c.namespace });
}

function targetPorts(e: AllowEntry) {
  return [...new Set(e.ports.map((p) => p.targetPort))].sort((a, b) => a - b).map((port) => ({ port }));
}

/** Ingress NetworkPolicy (`names.ingressNetworkPolicy`, by default `<service>-ingress`): the target's pods accept the callers on the allowed ports only. */
export function renderIngressNetworkPolicy(scope: Construct, target: MeshService, entries: () => AllowEntry[]): NetworkPolicy {
  const policy = new NetworkPolicy(scope, 'IngressNetworkPolicy', {
    name: target._names.ingressNetworkPolicy,
    namespace: target.namespace,
    podSelector: target.selector,
  });
  policy._addRuleSource(NetworkPolicyDirection.INGRESS, () => entries().map((e): NetworkPolicyRule => ({
    peers: e.resolve().map((c) => peer(scope, e, c)),
    ports: targetPorts(e),
  })));
  return policy;
}

/**
 * Egress NetworkPolicy `name` (the caller's `names.egressNetworkPolicy`) for a caller service: its pods may reach the targets it is
 * allowed to call, DNS and the mesh control plane (and nothing else once egress is isolated).
 */
export function renderEgressNetworkPolicy(scope: Construct, id: string, name: string, namespace: string, mesh: Mesh,
  podLabels: () => Record<string, string>, entries: () => AllowEntry[]): NetworkPolicy {
  const policy = new NetworkPolicy(scope, id, { name, namespace });
  policy._usePodSelector(podLabels);
  policy._addRuleSource(NetworkPolicyDirection.EGRESS, () => [
    ...entries().map((e): NetworkPolicyRule => ({
      peers: [NetworkPeer.pods(e.target.selector, { namespace: e.target.namespace })],
      ports: targetPorts(e),
    })),
    ...baselineEgress(mesh),
  ]);
  return policy;
}
