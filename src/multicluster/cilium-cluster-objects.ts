import { Chart } from 'cdk8s';
import { CiliumNetworkPolicy, CiliumRule, CILIUM_SERVICE_ACCOUNT_LABEL } from '../security/cilium/cilium-network-policy';
import { GlobalService, GlobalServiceCaller } from './global-service';
import { MeshCluster } from './mesh-cluster';
import { ServedPorts } from './served-ports';

/** Marks a Service global: its backends are merged with those of the same-named Services of the other clusters (pkg/annotation). */
export const CILIUM_GLOBAL_ANNOTATION = 'service.cilium.io/global';
/** `"false"`: the cluster uses the other clusters' backends without sharing its own; Cilium's default for a global Service is `"true"`. */
export const CILIUM_SHARED_ANNOTATION = 'service.cilium.io/shared';
/** `local`, `remote` or `none` (Cilium's default): which clusters' backends the cluster prefers. */
export const CILIUM_AFFINITY_ANNOTATION = 'service.cilium.io/affinity';
/** The deprecated `io.cilium/` forms Cilium still reads when the current key is absent, by current key. */
export const CILIUM_DEPRECATED_ANNOTATIONS: Record<string, string> = {
  [CILIUM_GLOBAL_ANNOTATION]: 'io.cilium/global-service',
  [CILIUM_SHARED_ANNOTATION]: 'io.cilium/shared-service',
  [CILIUM_AFFINITY_ANNOTATION]: 'io.cilium/service-affinity',
};
/** The label of a Cilium identity naming its cluster; a policy selector without it matches only the local cluster from Cilium 1.19 (`policy-default-local-cluster`). */
export const CILIUM_CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';

/** The annotations of the global service's Service in one cluster: global, shared only where it runs, and the affinity. */
export function ciliumServiceAnnotations(service: GlobalService, shared: boolean): Record<string, string> {
  return {
    [CILIUM_AFFINITY_ANNOTATION]: service.affinity,
    [CILIUM_GLOBAL_ANNOTATION]: 'true',
    [CILIUM_SHARED_ANNOTATION]: String(shared),
  };
}

/**
 * In a cluster that runs the service: the policy admitting exactly the declared callers of the other
 * clusters on the service's pod ports. Purely additive (no default deny): it widens what the user's
 * own policies allow by these callers and changes nothing for anyone else.
 */
export function renderRemoteIngress(chart: Chart, service: GlobalService, served: ServedPorts, callers: GlobalServiceCaller[]): void {
  if (callers.length === 0) return;
  const policy = new CiliumNetworkPolicy(chart, `ingress-${service.namespace}-${service.name}`, {
    name: `${service.name}-remote-callers`,
    namespace: service.namespace,
    endpointSelector: served.selector,
    description: `Callers of ${service.name} in other clusters (cdk8s-mesh MultiClusterMesh)`,
    defaultDeny: false,
  });
  policy.addIngress({
    endpoints: callers.map((c) => ({ labels: { [CILIUM_SERVICE_ACCOUNT_LABEL]: c.serviceAccount, [CILIUM_CLUSTER_LABEL]: c.cluster }, namespace: c.namespace })),
    ports: served.targetPorts,
  });
}

/**
 * In a caller's cluster: the policy letting the caller's pods out to the service's pods in the
 * other clusters that run it, one rule per cluster. Purely additive, like the ingress policy.
 */
export function renderRemoteEgress(chart: Chart, service: GlobalService, caller: GlobalServiceCaller, targets: ServedPorts[]): void {
  const id = `egress-${caller.namespace}-${caller.serviceAccount}-${service.namespace}-${service.name}`;
  if (targets.length === 0) return;
  const policy = new CiliumNetworkPolicy(chart, id, {
    name: `${caller.serviceAccount}-to-remote-${service.name}`,
    namespace: caller.namespace!,
    endpointSelector: { [CILIUM_SERVICE_ACCOUNT_LABEL]: caller.serviceAccount },
    description: `${caller.serviceAccount} calls ${service.namespace}/${service.name} in other clusters (cdk8s-mesh MultiClusterMesh)`,
    defaultDeny: false,
  });
  for (const t of targets) {
    const rule: CiliumRule = { endpoints: [{ labels: { ...t.selector, [CILIUM_CLUSTER_LABEL]: t.cluster }, namespace: service.namespace }], ports: t.targetPorts };
    policy.addEgress(rule);
  }
}

/** Cilium's Helm values for the cluster's ClusterMesh: its name and ID, the clustermesh-apiserver, and policies local to the cluster unless they name one. */
export function ciliumInstallValues(cluster: MeshCluster): Record<string, unknown> {
  return {
    cluster: { name: cluster.name, id: cluster.clusterId },
    clustermesh: { useAPIServer: true, policyDefaultLocalCluster: true },
  };
}
