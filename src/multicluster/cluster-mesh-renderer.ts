import { Chart } from 'cdk8s';
import { GlobalService } from './global-service';
import { ClusterApp } from './cluster-declarations';
import { MeshCluster } from './mesh-cluster';

/** The mesh charts of a multi-cluster mesh, one per cluster, by cluster name. */
export interface ClusterCharts {
  /** The chart of the named cluster holding what the mesh renders for it. */
  chartOf(cluster: string): Chart;
}

/**
 * What one mesh (Istio, Linkerd, Cilium) renders for a multi-cluster mesh. `MultiClusterMesh`
 * picks one in its constructor (`clusterMeshRenderer`) and holds no mesh-specific logic itself:
 * the cluster list, the Apps and folders, the service declarations and the checks that do not
 * depend on the mesh stay there. Internal: not exported from the package.
 */
export interface ClusterMeshRenderer {
  /** Refuses clusters this mesh cannot join (a role it has no such thing as, mismatched trust). Throws a MeshConfigError. */
  validateClusters(clusters: MeshCluster[]): void;
  /** The objects a cluster needs whatever services it runs (namespaces, gateways), into its mesh chart. */
  renderCluster(chart: Chart, cluster: MeshCluster, clusters: MeshCluster[]): void;
  /** The objects a declared global service needs in each cluster (stubs, mirrors, routes). Throws a MeshConfigError for what the mesh cannot do. */
  renderService(service: GlobalService, charts: ClusterCharts, clusters: MeshCluster[]): void;
  /**
   * At synth, after the cross-cluster checks and before linkServices: the mesh's checks on the
   * clusters' Apps as the user built them (Istio: no Istio configuration in a remote's App; a mesh
   * without remote clusters has none). Throws a MeshConfigError.
   */
  checkApps?(apps: ReadonlyMap<string, ClusterApp>, clusters: MeshCluster[]): void;
  /**
   * At synth, once the clusters' Apps are complete and pass the cross-cluster checks: what a global
   * service puts into the user's constructs (Istio: its failover into the host's DestinationRule).
   * Throws a MeshConfigError for an intent the mesh cannot render (e.g. `failover`).
   */
  linkServices(services: GlobalService[], apps: ReadonlyMap<string, ClusterApp>, clusters: MeshCluster[]): void;
  /** Files written beside the cluster's manifests (name to content); none may be a manifest (no `.yaml` extension). */
  files(cluster: MeshCluster, clusters: MeshCluster[]): Record<string, string>;
  /** A Mermaid flowchart of the clusters and what crosses between them. */
  diagram(clusters: MeshCluster[], services: GlobalService[]): string;
}
