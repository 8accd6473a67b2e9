import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import type * as Yaml from 'yaml';
import { Mesh } from '../core/mesh';
import { fail, quote } from '../core/errors';
import { multiClusterDiagram } from './cluster-diagram';
import { GlobalService, GlobalServiceProps } from './global-service';
import { renderEastWestGateway, renderIstioSystem, renderIstiodExposure, renderStub, istioInstallValues, STUB_NAMESPACE_ID } from './istio-cluster-objects';
import { ClusterRole, MeshCluster } from './mesh-cluster';

/** A multi-cluster Istio mesh. */
export interface MultiClusterMeshProps {
  /** The clusters of the mesh; every one gets its own output folder. */
  readonly clusters: MeshCluster[];
  /**
   * The folder under which each cluster's folder (`<outdir>/<cluster>/`) is written.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * The mesh the clusters run. Only Istio is rendered; Linkerd multicluster and Cilium ClusterMesh are refused.
   * @default Mesh.ISTIO
   */
  readonly mesh?: Mesh;
}

/**
 * A mesh spanning several clusters (Istio multi-primary or primary-remote, on one or several
 * networks). Each cluster is a cdk8s App of its own writing to `<outdir>/<cluster>/`: the user
 * adds the cluster's workloads to `app(cluster)`, the mesh adds a `multicluster` chart with what
 * crosses clusters, and `synth()` writes every cluster's folder and its Istio install values.
 *
 * It never renders credentials: the remote secrets (`istioctl create-remote-secret`) and the
 * shared root CA are the user's to create (docs/multicluster.md).
 */
export class MultiClusterMesh {
  /** The file beside each cluster's manifests with Istio's install-time values; not a manifest, so no `.yaml` extension (Argo CD, kube-validate and the analyzers skip it). */
  public static readonly ISTIO_VALUES_FILE = 'istio-install.values';

  public readonly clusters: MeshCluster[];
  public readonly outdir: string;
  private readonly apps = new Map<string, App>();
  private readonly charts = new Map<string, Chart>();
  private readonly services: GlobalService[] = [];

  public constructor(props: MultiClusterMeshProps) {
    this.outdir = props.outdir ?? 'dist';
    if ((props.mesh ?? Mesh.ISTIO) !== Mesh.ISTIO) {
      fail('MultiClusterMesh', 'mesh', `is ${quote(props.mesh)}: multi-cluster output is not yet supported for it (Linkerd multicluster and Cilium ClusterMesh are not rendered)`,
        'use Mesh.ISTIO, or link the clusters with `linkerd multicluster` / `cilium clustermesh` yourself');
    }
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
      this.apps.set(c.name, new App({ outdir: path.join(this.outdir, c.name) }));
    }
    for (const c of this.clusters) {
      if (c.role !== ClusterRole.REMOTE) continue;
      const primary = this.clusters.find((p) => p.name === c.primary);
      if (!primary) fail('MultiClusterMesh', `clusters[${quote(c.name)}].primary`, `names ${quote(c.primary)}, which is not a cluster of the mesh`, `use one of ${quote(this.clusters.map((p) => p.name))}`);
      if (primary.role !== ClusterRole.PRIMARY) fail('MultiClusterMesh', `clusters[${quote(c.name)}].primary`, `names ${quote(c.primary)}, which is a remote cluster`, 'name a primary cluster');
    }
    for (const c of this.clusters) this.charts.set(c.name, this.renderCluster(c));
  }

  /** The cdk8s App of a cluster, to which the user adds the cluster's charts. */
  public app(cluster: string): App {
    const app = this.apps.get(cluster);
    if (!app) fail('MultiClusterMesh', 'cluster', `${quote(cluster)} is not a cluster of the mesh`, `use one of ${quote([...this.apps.keys()])}`);
    return app;
  }

  /** The chart of a cluster holding what the mesh renders for it (istio-system, gateways, stubs). */
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
    for (const c of service.stubbedIn) renderStub(this.meshChart(c), service);
    return service;
  }

  /** Whether the clusters' pods are on more than one network (then every cluster needs an east-west gateway). */
  public get multiNetwork(): boolean {
    return new Set(this.clusters.map((c) => c.network)).size > 1;
  }

  /** A Mermaid flowchart of the clusters, the services each runs or stubs, and what crosses between them. */
  public diagram(): string {
    return multiClusterDiagram(this.clusters, this.services);
  }

  /** Synthesizes every cluster's App into its folder and writes its Istio install values beside. */
  public synth(): void {
    for (const c of this.clusters) {
      const app = this.app(c.name);
      this.dropNamespacesDeclaredElsewhere(app);
      app.synth();
      fs.writeFileSync(path.join(app.outdir, MultiClusterMesh.ISTIO_VALUES_FILE), MultiClusterMesh.istioValues(c));
    }
  }

  /** The Helm values (YAML) for the cluster's istiod: mesh ID, cluster name, network and trust domain. */
  public static istioValues(cluster: MeshCluster): string {
    const header = [
      `# Istio install values for cluster ${cluster.name}, written by cdk8s-mesh. Not a Kubernetes manifest and not applied by Argo CD:`,
      cluster.role === ClusterRole.REMOTE
        ? `#   helm install istiod istio/istiod -n istio-system -f ${MultiClusterMesh.ISTIO_VALUES_FILE} --set global.remotePilotAddress=<${cluster.primary}'s east-west gateway address>`
        : `#   helm install istiod istio/istiod -n istio-system -f ${MultiClusterMesh.ISTIO_VALUES_FILE}`,
      '# The remote secrets (istioctl create-remote-secret) and the shared root CA are yours to create; see docs/multicluster.md.',
    ];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stringify } = require('yaml') as typeof Yaml; // loaded on use: the library's load stays free of the YAML parser
    return `${header.join('\n')}\n${stringify(istioInstallValues(cluster))}`;
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

  private renderCluster(cluster: MeshCluster): Chart {
    const chart = new Chart(this.app(cluster.name), 'multicluster');
    renderIstioSystem(chart, cluster);
    if (this.multiNetwork) renderEastWestGateway(chart);
    if (this.clusters.some((c) => c.role === ClusterRole.REMOTE && c.primary === cluster.name)) renderIstiodExposure(chart);
    return chart;
  }
}
