import { Chart } from 'cdk8s';
import { fail, quote } from '../core/errors';
import { multiClusterDiagram } from './cluster-diagram';
import { ClusterCharts, ClusterMeshRenderer } from './cluster-mesh-renderer';
import { applyFailover, validateFailover } from './global-failover';
import { ClusterApp } from './cluster-declarations';
import { applyIstioWeights, validateIstioWeights } from './istio-global-weights';
import { ClusterAffinity, GlobalService } from './global-service';
import { globalServicePath } from './global-service-checks';
import { istioInstallValues, renderEastWestGateway, renderIstioSystem, renderIstiodExposure } from './istio-cluster-objects';
import { renderIstioRemoteCallers } from './istio-remote-callers';
import { checkRemoteConfiguration } from './istio-remote-config';
import { ClusterRole, MeshCluster } from './mesh-cluster';
import { configCluster } from './istio-host-service';
import { ServedPorts, servedPorts, userService } from './served-ports';
import { renderStub } from './stub-namespace';
import { valuesFile } from './values-file';

/** The file beside each cluster's manifests with Istio's install-time values; not a manifest, so no `.yaml` extension (Argo CD, kube-validate and the analyzers skip it). */
export const ISTIO_VALUES_FILE = 'istio-install.values';

/** Istio multi-primary or primary-remote, on one network or several. */
export class IstioClusterMeshRenderer implements ClusterMeshRenderer {
  public validateClusters(clusters: MeshCluster[]): void {
    for (const c of clusters) {
      if (c.role !== ClusterRole.REMOTE) continue;
      const primary = clusters.find((p) => p.name === c.primary);
      if (!primary) fail('MultiClusterMesh', `clusters[${quote(c.name)}].primary`, `names ${quote(c.primary)}, which is not a cluster of the mesh`, `use one of ${quote(clusters.map((p) => p.name))}`);
      if (primary.role !== ClusterRole.PRIMARY) fail('MultiClusterMesh', `clusters[${quote(c.name)}].primary`, `names ${quote(c.primary)}, which is a remote cluster`, 'name a primary cluster');
    }
  }

  public renderCluster(chart: Chart, cluster: MeshCluster, clusters: MeshCluster[]): void {
    renderIstioSystem(chart, cluster);
    // a remote's east-west gateway is configured by its primary's istiod, from the primary's Gateway
    // ("exposing services on the primary cluster will expose them on the east-west gateways of both clusters")
    if (new Set(clusters.map((c) => c.network)).size > 1 && cluster.role !== ClusterRole.REMOTE) renderEastWestGateway(chart);
    if (managesRemotes(cluster, clusters)) renderIstiodExposure(chart);
  }

  public renderService(service: GlobalService, charts: ClusterCharts, clusters: MeshCluster[]): void {
    validateIstioWeights(service);
    validateFailover(service, clusters);
    if (service.affinity !== ClusterAffinity.NONE) {
      fail(globalServicePath(service), 'affinity', `is ${quote(service.affinity)}, which the Istio multi-cluster mesh does not render`,
        'leave it at ClusterAffinity.NONE and order failover by locality (failover: LocalityLoadBalancing.failover(...))');
    }
    for (const c of service.stubbedIn) renderStub(charts.chartOf(c), service);
  }

  public checkApps(apps: ReadonlyMap<string, ClusterApp>, clusters: MeshCluster[]): void {
    checkRemoteConfiguration(apps, clusters);
  }

  public linkServices(services: GlobalService[], apps: ReadonlyMap<string, ClusterApp>, clusters: MeshCluster[]): void {
    for (const s of services) {
      applyFailover(s, clusters, apps);
      applyIstioWeights(s, clusters, apps);
      if (s.remoteCallers.length > 0) this.admitRemoteCallers(s, apps, clusters);
    }
  }

  /**
   * One AuthorizationPolicy per configuration cluster of the clusters that run the service (istiod
   * reads AuthorizationPolicies from its config cluster only and applies them to the matching pods
   * of every cluster it configures: a primary's policy covers its remotes' pods), admitting the
   * callers of every cluster but the one a pod runs in.
   */
  private admitRemoteCallers(s: GlobalService, apps: ReadonlyMap<string, ClusterApp>, clusters: MeshCluster[]): void {
    const where = globalServicePath(s);
    const byConfig = new Map<string, ServedPorts[]>();
    for (const c of s.runsIn) {
      const served = servedPorts(where, c, s, userService(s, c, apps.get(c)!, 'the AuthorizationPolicy admitting its remote callers needs (its selector and pod ports)'));
      const config = configCluster(clusters.find((m) => m.name === c)!);
      byConfig.set(config, [...(byConfig.get(config) ?? []), served]);
    }
    for (const [config, served] of byConfig) {
      const [first, ...others] = served;
      const differing = others.find((o) => JSON.stringify([o.selector, o.targetPorts]) !== JSON.stringify([first.selector, first.targetPorts]));
      if (differing) {
        fail(where, 'remoteCallers', `need one AuthorizationPolicy in ${quote(config)}, whose istiod configures both ${quote(first.cluster)} and ${quote(differing.cluster)}, but their Services ${s.namespace}/${s.name} `
          + `select different pods or pod ports (${quote(first.selector)} ${first.targetPorts.join(',')} vs ${quote(differing.selector)} ${differing.targetPorts.join(',')})`,
        'give the Service the same selector and targetPorts in both clusters');
      }
      const callers = s.remoteCallers.filter((r) => served.some((x) => x.cluster !== r.cluster));
      renderIstioRemoteCallers(apps.get(config)!.meshChart, s, first, callers, clusters.find((m) => m.name === config)!.trustDomain);
    }
  }

  public files(cluster: MeshCluster, clusters: MeshCluster[]): Record<string, string> {
    return { [ISTIO_VALUES_FILE]: istioValuesFile(cluster, clusters) };
  }

  public diagram(clusters: MeshCluster[], services: GlobalService[]): string {
    return multiClusterDiagram(clusters, services);
  }
}

/** The Helm values (YAML) for the cluster's istiod, with a header saying how to pass them. */
export function istioValuesFile(cluster: MeshCluster, clusters: MeshCluster[]): string {
  return valuesFile([
    `Istio install values for cluster ${cluster.name}, written by cdk8s-mesh. Not a Kubernetes manifest and not applied by Argo CD:`,
    `  helm install istio-base istio/base -n istio-system -f ${ISTIO_VALUES_FILE}`,
    cluster.role === ClusterRole.REMOTE
      ? `  helm install istiod istio/istiod -n istio-system -f ${ISTIO_VALUES_FILE} --set global.remotePilotAddress=<${cluster.primary}'s east-west gateway address>`
      : `  helm install istiod istio/istiod -n istio-system -f ${ISTIO_VALUES_FILE}`,
    'The remote secrets (istioctl create-remote-secret) and the shared root CA are yours to create; see docs/multicluster.md.',
  ], istioInstallValues(cluster, managesRemotes(cluster, clusters)));
}

/** Whether a remote cluster of the mesh names this one as its primary. */
function managesRemotes(cluster: MeshCluster, clusters: MeshCluster[]): boolean {
  return clusters.some((c) => c.role === ClusterRole.REMOTE && c.primary === cluster.name);
}
