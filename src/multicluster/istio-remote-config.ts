import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import { ClusterApp } from './cluster-declarations';
import { ClusterRole, MeshCluster } from './mesh-cluster';

/**
 * The API groups istiod reads from its configuration cluster only (Istio 1.28 to 1.30): the config
 * store is built on the config cluster's client for every Istio and Gateway API kind
 * (pilot/pkg/bootstrap/configcontroller.go, makeKubeConfigController and the Gateway API
 * controller), while a remote cluster's API server is watched for discovery (Services,
 * EndpointSlices, Pods, Namespaces) and WorkloadEntries only.
 */
const CONFIG_CLUSTER_GROUPS = new Set([
  'networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io',
  'gateway.networking.k8s.io', 'gateway.networking.x-k8s.io',
]);

/**
 * Kinds of those groups istiod reads from remote clusters too: WorkloadEntries, selected by the
 * Services of their own cluster (pilot/pkg/serviceregistry/kube/controller/multicluster.go,
 * createWleConfigStore, under PILOT_ENABLE_CROSS_CLUSTER_WORKLOAD_ENTRY, on by default).
 */
const READ_FROM_EVERY_CLUSTER = new Set(['networking.istio.io/WorkloadEntry']);

/** Whether istiod reads an object of this apiVersion and kind from its configuration cluster only. */
export function configClusterOnly(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return CONFIG_CLUSTER_GROUPS.has(group) && !READ_FROM_EVERY_CLUSTER.has(`${group}/${kind}`);
}

/**
 * Refuses Istio and Gateway API configuration in a remote cluster's App: the remote has no istiod,
 * and its primary's istiod reads that configuration from the primary's API server only, so an
 * object applied to the remote would never take effect. What the mesh renders in a remote (its
 * istio-system Namespace, stub Services and their Namespaces) is of other kinds; the remote
 * callers' AuthorizationPolicy and a global service's failover and weights go to the primary.
 */
export function checkRemoteConfiguration(apps: ReadonlyMap<string, ClusterApp>, clusters: MeshCluster[]): void {
  for (const c of clusters) {
    if (c.role !== ClusterRole.REMOTE) continue;
    const { app } = apps.get(c.name)!;
    for (const o of app.node.findAll()) {
      if (!(o instanceof ApiObject) || !configClusterOnly(o.apiVersion, o.kind)) continue;
      const namespace = o.metadata.namespace;
      fail(owner(o), o.kind, `${namespace ? `${namespace}/` : ''}${o.name} (${o.apiVersion}) is in mesh.app(${quote(c.name)}), the App of a remote cluster, `
        + `whose proxies the primary ${quote(c.primary)}'s istiod configures from ${quote(c.primary)}'s API server only, so it would never take effect`,
      `declare it in the primary's App, mesh.app(${quote(c.primary)}), where it applies to ${quote(c.name)}'s proxies too`);
    }
  }
}

/** The construct to name: an L2 rather than the L1 it wraps under the id `Resource`. */
function owner(o: ApiObject): IConstruct {
  return o.node.id === 'Resource' && o.node.scope ? o.node.scope : o;
}
