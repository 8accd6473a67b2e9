import { ApiObject, App, Chart } from 'cdk8s';
import { declareKnownHosts } from '../analysis/synth-analysis';
import { fail, quote } from '../core/errors';
import { ClusterApp, serviceDeclarations } from './cluster-declarations';
import { ClusterCharts, ClusterMeshRenderer } from './cluster-mesh-renderer';
import { ClusterAffinity, GlobalService } from './global-service';
import { exportLabel, federatedServiceName, LINKERD_VALUES_FILE, linkerdValuesFile, LinkerdExport, LinkerdLink, LinkerdServicePlan, mirrorServiceName, renderCrossClusterRoutes } from './linkerd-cluster-objects';
import { linkerdClusterDiagram } from './linkerd-cluster-diagram';
import { ClusterRole, MeshCluster } from './mesh-cluster';
import { LINKERD_GATEWAY_NAMESPACE, LINKERD_GATEWAY_SERVICE_ACCOUNT } from './linkerd-gateway';
import { renderStub } from './stub-namespace';

/** A label the mesh puts on the Service of a global service in a cluster it runs in. */
interface ExportedService {
  readonly cluster: string;
  readonly service: GlobalService;
  readonly mode: LinkerdExport;
}

/**
 * Linkerd multicluster (2.18–2.20): every cluster runs its own control plane; a cluster that calls
 * a service running elsewhere holds a Link to each cluster that runs it, whose service mirror
 * creates `<name>-<cluster>` (or `<name>-federated`) Services; the Services to mirror are labelled
 * in the clusters they run in; and a route in the caller sends `<name>` to the mirrors.
 */
export class LinkerdClusterMeshRenderer implements ClusterMeshRenderer {
  private readonly exported: ExportedService[] = [];
  private readonly links = new Map<string, LinkerdLink>();
  private readonly plans: LinkerdServicePlan[] = [];

  public validateClusters(clusters: MeshCluster[]): void {
    for (const c of clusters) {
      if (c.role === ClusterRole.REMOTE) {
        fail('MultiClusterMesh', `clusters[${quote(c.name)}].role`, 'is "remote", which Linkerd has no such thing as: every cluster runs its own control plane and links to the others',
          'leave role at ClusterRole.PRIMARY (and drop primary) on Linkerd');
      }
    }
  }

  public renderCluster(): void {
    // Linkerd's multicluster extension is installed from the values file (files()); no manifest per cluster.
  }

  public renderService(service: GlobalService, charts: ClusterCharts, clusters: MeshCluster[]): void {
    const where = `MultiClusterMesh/${service.namespace}/${service.name}`;
    for (const [prop, set] of [['failover', service.failover], ['outlierDetection', service.outlierDetection]] as const) {
      if (set === undefined) continue;
      fail(where, prop, 'is not rendered on Linkerd: its failover extension (linkerd-failover 0.1.3) drives SMI TrafficSplits only, not the HTTPRoutes that pod-to-pod links need (linkerd/linkerd2#11472)',
        'leave it out; on one network a federated service (no weights) balances over the endpoints that exist in every cluster, or set weights for a static split');
    }
    if (service.affinity !== ClusterAffinity.NONE) {
      fail(where, 'affinity', `is ${quote(service.affinity)}, which Linkerd cannot render: it has no failover between a local Service and its mirrors (see failover)`,
        'leave it at ClusterAffinity.NONE: a caller that runs the service already keeps its calls local unless weights say otherwise');
    }
    const network = new Map(clusters.map((c) => [c.name, c.network]));
    refuseRemoteCallers(where, service, network, clusters[0].trustDomain);
    const flat = new Set([...service.runsIn, ...service.calledFrom].map((c) => network.get(c))).size === 1;
    // One service over several clusters of one network, with no split asked for: Linkerd's federated service (2.17+) balances over all their endpoints, as one Service.
    const federated = flat && service.runsIn.length > 1 && service.weights.length === 0;
    const callers = service.calledFrom.filter((c) => service.runsIn.some((t) => t !== c));
    const plan: LinkerdServicePlan = { service, exports: new Map(), routes: new Map() };
    for (const target of service.runsIn) {
      const from = callers.filter((c) => c !== target);
      if (from.length === 0 && !federated) continue;
      const sameNetwork = from.filter((c) => network.get(c) === network.get(target));
      if (sameNetwork.length > 0 && sameNetwork.length < from.length) {
        fail(where, 'calledFrom', `mixes callers on ${quote(target)}'s network ${quote(network.get(target))} (${quote(sameNetwork)}) and on others (${quote(from.filter((c) => !sameNetwork.includes(c)))}): `
          + `Linkerd exports the Service one way, pod to pod (mirror.linkerd.io/exported=remote-discovery) or through the gateway (=true)`, 'declare the callers of one network in a GlobalService of their own, or put the clusters on one network');
      }
      const mode = federated ? LinkerdExport.FEDERATED : sameNetwork.length > 0 ? LinkerdExport.REMOTE_DISCOVERY : LinkerdExport.GATEWAY;
      plan.exports.set(target, mode);
      this.exported.push({ cluster: target, service, mode });
    }
    for (const caller of callers) {
      const remote = service.runsIn.filter((t) => t !== caller);
      for (const t of remote) this.addLink({ from: caller, to: t, gateway: network.get(caller) !== network.get(t) });
      const backends = federated ? [{ name: federatedServiceName(where, service.name), weight: 100 }]
        : service.weights.length > 0 ? service.weights.map((w) => ({ name: w.cluster === caller ? service.name : mirrorServiceName(where, service.name, w.cluster), weight: w.weight }))
          : service.runsIn.includes(caller) ? [] // no split asked for: its own Service serves it, the mirrors are there for you to route to
            : remote.map((t) => ({ name: mirrorServiceName(where, service.name, t), weight: 1 }));
      plan.routes.set(caller, backends);
      if (backends.length === 0) continue;
      for (const p of service.ports) {
        if (!/^(http|grpc)(-|$)/.test(p.name)) {
          fail(where, `ports[${quote(p.name)}]`, `is not an HTTP or gRPC port, and Linkerd sends ${service.name} across clusters with an HTTPRoute`, "name the port 'http', 'http-*', 'grpc' or 'grpc-*' if it carries HTTP; Linkerd does not split TCP across clusters");
        }
      }
      const chart = charts.chartOf(caller);
      if (!service.runsIn.includes(caller)) renderStub(chart, service);
      renderCrossClusterRoutes(chart, service, backends);
      // The mirrors are created by the service mirror once the Link exists, not by these manifests.
      declareKnownHosts(chart.node.root, backends.filter((b) => b.name !== service.name).map((b) => `${b.name}.${service.namespace}.svc.cluster.local`));
    }
    this.plans.push(plan);
  }

  /**
   * At synth, once the clusters' Apps are complete (and each cluster in a runsIn declares the
   * service, checked before): the export label on the user's Service where it runs, through the
   * MeshService that owns it (or on the Service object itself), and a refusal when a calling cluster
   * routes the Service the mesh routes.
   */
  public linkServices(_services: GlobalService[], apps: ReadonlyMap<string, ClusterApp>): void {
    for (const e of this.exported) {
      const s = e.service;
      const { app, meshChart } = apps.get(e.cluster)!;
      const [key, value] = exportLabel(e.mode);
      const declared = serviceDeclarations(app, meshChart, s.namespace, s.name);
      for (const m of declared.meshServices) m._addServiceLabel(meshChart, key, value);
      for (const o of declared.serviceObjects) { // a MeshService's own Service object renders its intent labels (the same) instead
        const own = o.metadata.getLabel(key);
        if (own !== undefined && own !== value) {
          fail(`MultiClusterMesh/${s.namespace}/${s.name}`, `label ${key}`, `is ${quote(value)} but ${o.node.path} sets ${quote(own)}`, `remove the label from ${o.node.path}; the mesh sets it`);
        }
        o.metadata.addLabel(key, value);
      }
    }
    for (const [cluster, { app, meshChart }] of apps) this.refuseSecondRoutes(cluster, app, meshChart);
  }

  public files(cluster: MeshCluster): Record<string, string> {
    return { [LINKERD_VALUES_FILE]: linkerdValuesFile(cluster.name, [...this.links.values()]) };
  }

  public diagram(clusters: MeshCluster[]): string {
    return linkerdClusterDiagram(clusters, this.plans);
  }

  /** Linkerd picks one HTTPRoute per request: a route of the cluster's own charts on a Service the mesh routes would leave one of the two ignored. */
  private refuseSecondRoutes(cluster: string, app: App, meshChart: Chart): void {
    const others = app.node.findAll().filter((n): n is ApiObject => n instanceof ApiObject && n.kind === 'HTTPRoute' && !n.node.scopes.includes(meshChart));
    for (const route of meshChart.node.findAll().filter((n): n is ApiObject => n instanceof ApiObject && n.kind === 'HTTPRoute')) {
      const parent = route.toJson().spec.parentRefs[0].name;
      const clash = others.find((n) => n.metadata.namespace === route.metadata.namespace
        && (n.toJson().spec?.parentRefs ?? []).some((p: any) => p.kind === 'Service' && p.name === parent));
      if (clash) {
        fail(`MultiClusterMesh/${route.metadata.namespace}/${parent}`, 'weights', `route ${parent} in ${quote(cluster)} across clusters, but ${clash.node.path} routes it too (Linkerd picks one HTTPRoute per request: one of the two would be ignored)`,
          `leave weights out of the GlobalService, or drop the routes of ${parent} in ${quote(cluster)}`);
      }
    }
  }

  private addLink(link: LinkerdLink): void {
    this.links.set(`${link.from}/${link.to}`, link);
  }
}

/**
 * Linkerd's remoteCallers are the user's allow rules, never a policy of the mesh. Through the
 * gateway (callers on another network) the server sees the gateway's identity, not the caller's:
 * the gateway terminates the caller's mTLS and calls the service as itself (linkerd/website
 * tasks/pod-to-pod-multicluster: "client identity is lost when going through the gateway"), so no
 * policy admits exactly these callers. Pod to pod the caller's identity is kept, and is the one a
 * ServiceAccount of the same name has locally, so the user's own allow rule admits it.
 */
function refuseRemoteCallers(where: string, service: GlobalService, network: Map<string, string>, trustDomain: string): void {
  if (service.remoteCallers.length === 0) return;
  const viaGateway = service.remoteCallers.filter((c) => service.runsIn.some((t) => t !== c.cluster && network.get(t) !== network.get(c.cluster)));
  if (viaGateway.length > 0) {
    fail(where, 'remoteCallers', `names ${quote(viaGateway.map((c) => `${c.cluster}/${c.namespace}/${c.serviceAccount}`))}, on another network than the clusters that run it: they reach it through the Linkerd gateway, which terminates their mTLS and calls the service as itself (${LINKERD_GATEWAY_SERVICE_ACCOUNT}.${LINKERD_GATEWAY_NAMESPACE}.serviceaccount.identity.linkerd.${trustDomain}), so no policy can admit exactly these callers`,
      `drop remoteCallers and admit the gateway where the service runs (ServiceAuthorization allow from Caller.serviceAccount('${LINKERD_GATEWAY_SERVICE_ACCOUNT}', { namespace: '${LINKERD_GATEWAY_NAMESPACE}' })), which admits every meshed workload of the linked clusters; or put the clusters on one network, where calls go pod to pod with the caller's identity`);
  }
  fail(where, 'remoteCallers', `is not rendered on Linkerd: pod to pod the server sees the caller's own identity (<sa>.<ns>.serviceaccount.identity.linkerd.${trustDomain}), the same as a local ServiceAccount of that name`,
    'drop remoteCallers and admit the callers where the service runs: ServiceAuthorization allow from Caller.serviceAccount(<sa>, { namespace: <ns> })');
}
