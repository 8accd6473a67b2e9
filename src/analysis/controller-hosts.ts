import { serviceHost } from './hosts';
import { groupOf, Manifest } from './manifest';

/**
 * The Service hosts that controllers of the set create at runtime, which routes of the set may name
 * before they exist: a Flagger `Canary` creates `<service>-primary` and `<service>-canary` beside
 * the apex Service (pkg/router/kubernetes_default.go), `<service>` being `spec.service.name`, else
 * the target's name (Canary.GetServiceNames), in the Canary's namespace.
 */
export function controllerCreatedHosts(manifests: Manifest[], defaultNamespace: string, clusterDomain: string): string[] {
  const hosts: string[] = [];
  for (const m of manifests) {
    if (!m || typeof m !== 'object' || m.kind !== 'Canary' || typeof m.apiVersion !== 'string' || groupOf(m) !== 'flagger.app') continue;
    const name = m.spec?.service?.name ?? m.spec?.targetRef?.name;
    if (typeof name !== 'string' || name === '') continue;
    const ns = m.metadata?.namespace ?? defaultNamespace;
    hosts.push(serviceHost(`${name}-primary`, ns, clusterDomain), serviceHost(`${name}-canary`, ns, clusterDomain));
  }
  return hosts;
}
