import { fail, quote } from '../core/errors';
import { ciliumClusterDiagram } from './cilium-cluster-diagram';
import { ciliumInstallValues, ciliumServiceAnnotations, CILIUM_DEPRECATED_ANNOTATIONS, renderRemoteEgress, renderRemoteIngress } from './cilium-cluster-objects';
import { servedPorts, userService } from './served-ports';
import { ClusterApp } from './cluster-declarations';
import { ClusterCharts, ClusterMeshRenderer } from './cluster-mesh-renderer';
import { GlobalService } from './global-service';
import { globalServicePath } from './global-service-checks';
import { ClusterRole, MeshCluster } from './mesh-cluster';
import { renderStub } from './stub-namespace';
import { annotateUserService } from './user-service';
import { valuesFile } from './values-file';

/** The file beside each cluster's manifests with Cilium's install-time values; not a manifest, so no `.yaml` extension. */
export const CILIUM_VALUES_FILE = 'cilium-install.values';

/** Cilium's longest cluster name (`cluster.name`: at most 32 lower-case alphanumerics and '-'). */
const MAX_NAME_LENGTH = 32;
/** Cilium's highest cluster ID with the default `clustermesh.maxConnectedClusters` (255). */
const MAX_CLUSTER_ID = 255;

/**
 * Cilium ClusterMesh: every cluster is a peer running its own agents and clustermesh-apiserver.
 * A global service is the same-named Service in every cluster that runs or calls it, annotated
 * `service.cilium.io/global`; policies admit the declared callers of other clusters by their
 * cluster label. Connecting the clusters (`cilium clustermesh connect`) and the shared CA are the user's.
 */
export class CiliumClusterMeshRenderer implements ClusterMeshRenderer {
  public validateClusters(clusters: MeshCluster[]): void {
    const ids = new Map<number, string>();
    for (const c of clusters) {
      const where = `clusters[${quote(c.name)}]`;
      if (c.role === ClusterRole.REMOTE) {
        fail('MultiClusterMesh', `${where}.role`, 'is ClusterRole.REMOTE, but Cilium ClusterMesh has no remote clusters: every cluster runs its own agents', 'leave role and primary unset');
      }
      if (c.name.length > MAX_NAME_LENGTH || c.name === 'default') {
        fail('MultiClusterMesh', `${where}.name`, `is ${quote(c.name)}: Cilium's cluster.name must have at most ${MAX_NAME_LENGTH} characters and not be "default" in a cluster mesh`, 'choose a shorter, distinct name');
      }
      if (c.clusterId === undefined) {
        fail('MultiClusterMesh', `${where}.clusterId`, 'is missing: Cilium ClusterMesh identifies each cluster by a number', `give each cluster its own clusterId from 1 to ${MAX_CLUSTER_ID}`);
      }
      if (!Number.isInteger(c.clusterId) || c.clusterId < 1 || c.clusterId > MAX_CLUSTER_ID) {
        fail('MultiClusterMesh', `${where}.clusterId`, `must be an integer from 1 to ${MAX_CLUSTER_ID}, got ${quote(c.clusterId)}`,
          `use 1-${MAX_CLUSTER_ID} (IDs up to 511 need clustermesh.maxConnectedClusters: 511 at install, fewer identities per cluster; not rendered)`);
      }
      const other = ids.get(c.clusterId);
      if (other) fail('MultiClusterMesh', `${where}.clusterId`, `is ${c.clusterId}, which ${quote(other)} has too`, 'give each cluster its own clusterId');
      ids.set(c.clusterId, c.name);
    }
  }

  public renderCluster(): void {}

  public renderService(service: GlobalService, charts: ClusterCharts): void {
    if (service.failover) {
      fail(globalServicePath(service), 'failover', 'is Istio\'s locality failover, which Cilium ClusterMesh does not render',
        'use affinity: ClusterAffinity.LOCAL (prefer the calling cluster\'s endpoints, the others when it has none healthy)');
    }
    if (service.weights.length > 0) {
      fail(globalServicePath(service), 'weights', 'are not rendered on Cilium ClusterMesh, whose global services balance over every cluster\'s endpoints with no per-cluster weight',
        'leave weights out, and use affinity to prefer the local or the remote clusters');
    }
    for (const c of service.stubbedIn) renderStub(charts.chartOf(c), service, ciliumServiceAnnotations(service, false));
  }

  /** At synth, after the cross-cluster checks: the annotations on the user's Services, and the policies built from their selectors and pod ports. */
  public linkServices(services: GlobalService[], apps: ReadonlyMap<string, ClusterApp>): void {
    for (const s of services) {
      const served = new Map(s.runsIn.map((c) => {
        const service = userService(s, c, apps.get(c)!, 'Cilium needs to annotate global');
        annotateUserService(globalServicePath(s), service, ciliumServiceAnnotations(s, true), CILIUM_DEPRECATED_ANNOTATIONS);
        return [c, servedPorts(globalServicePath(s), c, s, service)] as const;
      }));
      for (const [c, ports] of served) renderRemoteIngress(apps.get(c)!.meshChart, s, ports, s.remoteCallers.filter((r) => r.cluster !== c));
      for (const caller of s.remoteCallers) {
        renderRemoteEgress(apps.get(caller.cluster)!.meshChart, s, caller, [...served.values()].filter((t) => t.cluster !== caller.cluster));
      }
    }
  }

  public files(cluster: MeshCluster): Record<string, string> {
    return {
      [CILIUM_VALUES_FILE]: valuesFile([
        `Cilium install values for cluster ${cluster.name}, written by cdk8s-mesh. Not a Kubernetes manifest and not applied by Argo CD:`,
        `  helm upgrade --install cilium cilium/cilium -n kube-system --reuse-values -f ${CILIUM_VALUES_FILE}`,
        'then connect the clusters (cilium clustermesh connect); the shared CA (cilium-ca Secret) is yours to create; see docs/multicluster.md.',
      ], ciliumInstallValues(cluster)),
    };
  }

  public diagram(clusters: MeshCluster[], services: GlobalService[]): string {
    return ciliumClusterDiagram(clusters, services);
  }
}
