import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Mesh, useMesh } from '../core/mesh';
import { fail, quote } from '../core/errors';
import { ClusterMeshRenderer } from './cluster-mesh-renderer';
import { clusterMeshRenderer } from './cluster-mesh-renderers';
import { GlobalService, GlobalServiceProps } from './global-service';
import { checkGlobalServices } from './global-service-checks';
import { CILIUM_VALUES_FILE } from './cilium-cluster-renderer';
import { ISTIO_VALUES_FILE, istioValuesFile } from './istio-cluster-renderer';
import { LINKERD_VALUES_FILE } from './linkerd-cluster-objects';
import { MeshCluster } from './mesh-cluster';
import { STUB_NAMESPACE_ID } from './stub-namespace';

/** A mesh over several clusters (Istio, Linkerd or Cilium ClusterMesh). */
export interface MultiClusterMeshProps {
  /** The clusters of the mesh; every one gets its own output folder. */
  readonly clusters: MeshCluster[];
  /**
   * The folder under which each cluster's folder (`<outdir>/<cluster>/`) is written.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * The mesh the clusters run: Istio (multi-primary, primary-remote), Linkerd (multicluster
   * extension, 2.18+) or Cilium ClusterMesh. Each cluster's App renders for it.
   * @default Mesh.ISTIO
   */
  readonly mesh?: Mesh;
}

/**
 * A mesh spanning several clusters (Istio multi-primary or primary-remote, on one or several
 * networks; Linkerd multicluster; or Cilium ClusterMesh). Each cluster is a cdk8s App of its own
 * writing to `<outdir>/<cluster>/`: the user adds the cluster's workloads to `app(cluster)`, the
 * mesh adds a `multicluster` chart with what crosses clusters, and `synth()` writes every
 * cluster's folder and its mesh's install values beside it.
 *
 * It never renders credentials: the remote secrets (`istioctl create-remote-secret`), Linkerd's
 * Links (`linkerd multicluster link-gen`), the ClusterMesh connection (`cilium clustermesh
 * connect`) and the shared root CA or trust anchor are the user's to
 * create (docs/multicluster.md).
 */
export class MultiClusterMesh {
  /** The file beside each cluster's manifests with Istio's install-time values; not a manifest, so no `.yaml` extension (Argo CD, kube-validate and the analyzers skip it). */
  public static readonly ISTIO_VALUES_FILE = ISTIO_VALUES_FILE;
  /** The file beside each cluster's manifests with Cilium's install-time values (cluster name and ID, ClusterMesh settings); not a manifest either. */
  public static readonly CILIUM_VALUES_FILE = CILIUM_VALUES_FILE;
  /** The file beside each cluster's manifests with the linkerd-multicluster chart values and the `linkerd multicluster link-gen` commands; not a manifest either. */
  public static readonly LINKERD_VALUES_FILE = LINKERD_VALUES_FILE;

  public readonly clusters: MeshCluster[];
  public readonly outdir: string;
  /** The mesh the clusters run. */
  public readonly mesh: Mesh;
  private readonly apps = new Map<string, App>();
  private readonly charts = new Map<string, Chart>();
  private readonly services: GlobalService[] = [];
  private readonly renderer: ClusterMeshRenderer;
  private linked = false;

  public constructor(props: MultiClusterMeshProps) {
    this.outdir = props.outdir ?? 'dist';
    this.mesh = props.mesh ?? Mesh.ISTIO;
    this.renderer = clusterMeshRenderer(this.mesh);
    if (props.clusters.length === 0) fail('MultiClusterMesh', 'clusters', 'is empty', 'list the clusters of the mesh');
    this.clusters = [...props.clusters];
    const first = this.clusters[0];
    for (const c of this.clusters) {
      if (this.apps.has(c.name)) fail('MultiClusterMesh', 'clusters', `names ${quote(c.name)} twice`, 'give each cluster its own name');
      if (c.meshId !== first.meshId) {
        fail('MultiClusterMesh', `clusters[${quote(c.name)}].meshId`, `is ${quote(c.meshId)} but ${quote(first.name)} has ${quote(first.meshId)}`, 'use one mesh ID in every cluster of the mesh');
      }
      if (c.trustDomain !== first.trustDomain) {
        fail('MultiClusterMesh', `clusters[${quote(c.name)}].trustDomain`, `is ${quote(c.trustDomain)} but ${quote(first.name)} has ${quote(first.trustDomain)}`,
          'use one trust domain in every cluster (the workloads of one cluster would not be authorized in another)');
      }
      const app = new App({ outdir: path.join(this.outdir, c.name) });
      useMesh(app, this.mesh); // the cluster's charts render for the mesh unless they choose otherwise
      this.apps.set(c.name, app);
    }
    this.renderer.validateClusters(this.clusters);
    for (const c of this.clusters) {
      const chart = new Chart(this.app(c.name), 'multicluster');
      this.renderer.renderCluster(chart, c, this.clusters);
      this.charts.set(c.name, chart);
    }
  }

  /** The cdk8s App of a cluster, to which the user adds the cluster's charts. */
  public app(cluster: string): App {
    const app = this.apps.get(cluster);
    if (!app) fail('MultiClusterMesh', 'cluster', `${quote(cluster)} is not a cluster of the mesh`, `use one of ${quote([...this.apps.keys()])}`);
    return app;
  }

  /** The chart of a cluster holding what the mesh renders for it (Istio: istio-system, gateways, stubs). */
  public meshChart(cluster: string): Chart {
    this.app(cluster);
    return this.charts.get(cluster)!;
  }

  /** Declares a service that runs in some clusters and is called from others; the clusters that call it without running it get its stub Service. */
  public addGlobalService(props: GlobalServiceProps): GlobalService {
    const service = new GlobalService(props);
    const where = `MultiClusterMesh/${service.namespace}/${service.name}`;
    for (const [prop, names] of [['runsIn', service.runsIn], ['calledFrom', service.calledFrom]] as const) {
      for (const n of names) {
        if (!this.apps.has(n)) fail(where, prop, `names ${quote(n)}, which is not a cluster of the mesh`, `use one of ${quote([...this.apps.keys()])}`);
      }
    }
    if (this.services.some((s) => s.name === service.name && s.namespace === service.namespace)) {
      fail(where, 'name', `declares ${service.namespace}/${service.name} twice`, 'declare each service once, with all the clusters it runs in and is called from');
    }
    this.services.push(service);
    this.renderer.renderService(service, { chartOf: (c) => this.meshChart(c) }, this.clusters);
    return service;
  }

  /** Whether the clusters' pods are on more than one network (then every cluster needs an east-west gateway). */
  public get multiNetwork(): boolean {
    return new Set(this.clusters.map((c) => c.network)).size > 1;
  }

  /** A Mermaid flowchart of the clusters, the services each runs or stubs, and what crosses between them. */
  public diagram(): string {
    return this.renderer.diagram(this.clusters, this.services);
  }

  /** Synthesizes every cluster's App into its folder and writes the mesh's non-manifest files beside (Istio: its install values). */
  public synth(): void {
    this.linkGlobalServices();
    for (const c of this.clusters) {
      const app = this.app(c.name);
      this.dropNamespacesDeclaredElsewhere(app);
      app.synth();
      for (const [name, content] of Object.entries(this.renderer.files(c, this.clusters))) fs.writeFileSync(path.join(app.outdir, name), content);
    }
  }

  /**
   * The Helm values (YAML) for the cluster's Istio charts: mesh ID, cluster name, network and trust
   * domain; for primary-remote, what makes the primary the remotes' control plane.
   * @param cluster the cluster whose values these are
   * @param clusters the mesh's clusters, from which a primary learns that remotes name it
   */
  public static istioValues(cluster: MeshCluster, clusters?: MeshCluster[]): string {
    return istioValuesFile(cluster, clusters ?? [cluster]);
  }

  /** Once, before the first synth: the cross-cluster checks on the clusters' Apps, then what the mesh renders into them (Istio: failover). */
  private linkGlobalServices(): void {
    if (this.linked) return;
    const apps = new Map(this.clusters.map((c) => [c.name, { app: this.app(c.name), meshChart: this.meshChart(c.name) }]));
    checkGlobalServices(this.services, apps);
    this.renderer.checkApps?.(apps, this.clusters);
    this.renderer.linkServices(this.services, apps, this.clusters);
    this.linked = true;
  }

  /** A stub's namespace is left to the user's chart when that chart declares it too (one object, one owner). */
  private dropNamespacesDeclaredElsewhere(app: App): void {
    const chart = this.charts.get(path.basename(app.outdir))!;
    const elsewhere = new Set(app.charts.filter((c) => c !== chart).flatMap((c) => c.node.findAll())
      .filter((n): n is ApiObject => n instanceof ApiObject && n.kind === 'Namespace' && n.apiVersion === 'v1').map((n) => n.name));
    for (const child of [...chart.node.children]) {
      if (child instanceof ApiObject && child.node.id.startsWith(STUB_NAMESPACE_ID) && elsewhere.has(child.name)) chart.node.tryRemoveChild(child.node.id);
    }
  }
}
