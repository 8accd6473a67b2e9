import { controllerCreatedHosts } from './controller-hosts';
import { HostLookup } from './host-lookup';
import { exportScopes, serviceExportScopes, VisibleHosts } from './host-visibility';
import { resolveHost, serviceHost } from './hosts';
import {
  GatewayServerHost, IndexedDestinationRule, IndexedGateway, IndexedService, IndexedServiceEntryHost, IndexedWorkload, VisibleDestination,
} from './indexed';
import { groupOf, Manifest, resourceId } from './manifest';
import { labelsMatch } from './selectors';
import { destinationsOf, RouteDestination } from './virtual-service-routes';
import { podTemplateOf, WORKLOAD_KINDS } from './workloads';

/** Options of a {@link ManifestIndex}. */
export interface ManifestIndexOptions {
  /**
   * Hosts that exist outside the manifests (Services the cluster already runs, external names),
   * as FQDNs or wildcards (`*.example.com`); a name without a dot is taken to be in the default namespace.
   * @default - none
   */
  readonly knownHosts?: string[];
  /**
   * Istio Gateways that exist outside the manifests, as `namespace/name`.
   * @default - none
   */
  readonly knownGateways?: string[];
  /**
   * Secrets that exist outside the manifests, as `namespace/name` (e.g. TLS certificates that
   * cert-manager issues for Gateways). Declaring any turns on the check of Gateway `credentialName`s.
   * @default - none
   */
  readonly knownSecrets?: string[];
  /**
   * The cluster's DNS domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

const ISTIO = 'networking.istio.io';

/**
 * The manifests under analysis, indexed by kind, with the namespace every object ends up in.
 * Analyzers query it instead of scanning the list themselves.
 */
export class ManifestIndex {
  /** The cluster's DNS domain. */
  public readonly clusterDomain: string;
  /** Hosts declared to exist outside the manifests, resolved. */
  public readonly knownHosts: string[];
  /** Istio Gateways declared to exist outside the manifests (`namespace/name`). */
  public readonly knownGateways: string[];
  /** Secrets declared to exist outside the manifests (`namespace/name`). */
  public readonly knownSecrets: string[];

  private readonly byKind = new Map<string, Manifest[]>();
  /** Objects of a workload kind, in set order (read by `workloads()`). */
  private readonly workloadCandidates: Manifest[] = [];
  private readonly servicesByHost = new Map<string, IndexedService>();
  private _workloads?: IndexedWorkload[];
  private _workloadCounts?: Map<string, number>;
  private _workloadsByLabel?: Map<string, IndexedWorkload[]>;
  private _gateways?: Map<string, IndexedGateway>;
  private _destinationRules?: IndexedDestinationRule[];
  private _rulesByHost?: HostLookup<IndexedDestinationRule>;
  private _serviceEntryHosts?: IndexedServiceEntryHost[];
  private _entriesByHost?: HostLookup<IndexedServiceEntryHost>;
  private _visible?: VisibleHosts<VisibleDestination>;
  private readonly knownHostLookup: HostLookup<string>;
  private readonly routeDestinations = new Map<Manifest, RouteDestination[]>();

  /**
   * @param manifests the objects to analyze
   * @param defaultNamespace the namespace of objects that name none
   */
  public constructor(public readonly manifests: Manifest[], public readonly defaultNamespace = 'default', options: ManifestIndexOptions = {}) {
    this.clusterDomain = options.clusterDomain ?? 'cluster.local';
    this.knownHosts = (options.knownHosts ?? []).map((h) => resolveHost(h.trim(), defaultNamespace, this.clusterDomain));
    this.knownGateways = [...(options.knownGateways ?? [])];
    this.knownSecrets = [...(options.knownSecrets ?? [])];
    // the hosts controllers of the set create count as known (not listed in knownHosts, which are the user's)
    const created = controllerCreatedHosts(manifests, defaultNamespace, this.clusterDomain);
    this.knownHostLookup = new HostLookup([...this.knownHosts, ...created].map((h) => [h, h]));
    manifests.forEach((m) => {
      if (!m || typeof m !== 'object' || !m.kind || typeof m.apiVersion !== 'string' || !m.metadata?.name) return;
      const key = `${groupOf(m)}/${m.kind}`;
      const list = this.byKind.get(key);
      if (list) list.push(m);
      else this.byKind.set(key, [m]);
      if (WORKLOAD_KINDS.has(m.kind)) this.workloadCandidates.push(m);
    });
    for (const m of this.ofKind('', 'Service')) {
      const s = this.indexService(m);
      if (!this.servicesByHost.has(s.host)) this.servicesByHost.set(s.host, s);
    }
  }

  /** The objects of one kind, e.g. `ofKind('networking.istio.io', 'VirtualService')`. */
  public ofKind(group: string, kind: string): Manifest[] {
    return [...(this.byKind.get(`${group}/${kind}`) ?? [])];
  }

  /** The namespace an object ends up in. */
  public namespaceOf(manifest: Manifest): string {
    return manifest.metadata.namespace ?? this.defaultNamespace;
  }

  /** `Kind namespace/name` of an object. */
  public idOf(manifest: Manifest): string {
    return resourceId(manifest, this.defaultNamespace);
  }

  /** A host as written in an object of `namespace`, resolved the way Istio does (see `resolveHost`). */
  public resolve(host: string, namespace: string): string {
    return resolveHost(host, namespace, this.clusterDomain);
  }

  /** The destinations of a VirtualService's routes and mirrors (see `destinationsOf`), computed once. */
  public destinationsOf(vs: Manifest): RouteDestination[] {
    let list = this.routeDestinations.get(vs);
    if (!list) {
      list = destinationsOf(vs);
      this.routeDestinations.set(vs, list);
    }
    return list;
  }

  /** The Kubernetes Services of the set. */
  public services(): IndexedService[] {
    return [...this.servicesByHost.values()];
  }

  /** The Service whose FQDN is `host`, if it is in the set. */
  public serviceByHost(host: string): IndexedService | undefined {
    return this.servicesByHost.get(host.toLowerCase());
  }

  /** The Service `name` in `namespace`, if it is in the set. */
  public service(name: string, namespace: string): IndexedService | undefined {
    return this.servicesByHost.get(serviceHost(name, namespace, this.clusterDomain));
  }

  /** True if the set holds at least one Service. */
  public get hasServices(): boolean {
    return this.servicesByHost.size > 0;
  }

  /** The workloads (pod-creating objects) of the set, optionally in one namespace. */
  public workloads(namespace?: string): IndexedWorkload[] {
    this._workloads ??= this.indexWorkloads();
    return namespace === undefined ? [...this._workloads] : this._workloads.filter((w) => w.namespace === namespace);
  }

  /** The number of workloads in a namespace, or (undefined) in the set. */
  public workloadCount(namespace?: string): number {
    if (!this._workloadCounts) {
      this._workloadCounts = new Map();
      for (const w of this.workloads()) this._workloadCounts.set(w.namespace, (this._workloadCounts.get(w.namespace) ?? 0) + 1);
    }
    return namespace === undefined ? this._workloads!.length : this._workloadCounts.get(namespace) ?? 0;
  }

  /**
   * The workloads whose pods carry every label of `labels`, in one namespace or (undefined) all.
   * An empty `labels` matches every workload.
   *
   * @param labels the labels the pods must carry
   * @param namespace the namespace to look in
   * @default namespace - every namespace
   */
  public workloadsWithLabels(labels: Record<string, string>, namespace?: string): IndexedWorkload[] {
    return this.workloadsMatching(namespace, labels);
  }

  /**
   * The workloads whose pods carry every label of `labels`, in one namespace or (undefined) all.
   * TypeScript only (jsii refuses an optional parameter before a required one): other languages
   * call `workloadsWithLabels(labels, namespace)`.
   *
   * @jsii ignore
   */
  public workloadsMatching(namespace: string | undefined, labels: Readonly<Record<string, string>>): IndexedWorkload[] {
    const entries = Object.entries(labels);
    if (entries.length === 0) return this.workloads(namespace);
    if (!this._workloadsByLabel) {
      this._workloadsByLabel = new Map();
      for (const w of this.workloads()) {
        for (const [k, v] of Object.entries(w.podLabels)) {
          const key = `${k}=${v}`;
          const list = this._workloadsByLabel.get(key) ?? [];
          list.push(w);
          this._workloadsByLabel.set(key, list);
        }
      }
    }
    const [k, v] = entries[0];
    return (this._workloadsByLabel.get(`${k}=${v}`) ?? [])
      .filter((w) => (namespace === undefined || w.namespace === namespace) && labelsMatch(labels, w.podLabels));
  }

  /** The hosts declared by ServiceEntries. */
  public serviceEntryHosts(): IndexedServiceEntryHost[] {
    return [...this.entryList()];
  }

  private entryList(): IndexedServiceEntryHost[] {
    this._serviceEntryHosts ??= this.ofKind(ISTIO, 'ServiceEntry').flatMap((m) => {
      const ns = this.namespaceOf(m);
      const ports = (Array.isArray(m.spec?.ports) ? m.spec.ports : []).map((p: any) => Number(p?.number)).filter((n: number) => Number.isFinite(n));
      return (Array.isArray(m.spec?.hosts) ? m.spec.hosts : []).filter((h: unknown) => typeof h === 'string')
        .map((h: string) => ({ manifest: m, host: this.resolve(h, ns), ports, exportTo: exportScopes(m.spec?.exportTo, ns) }));
    });
    return this._serviceEntryHosts;
  }

  /** The Istio Gateways (networking.istio.io) of the set. */
  public gateways(): IndexedGateway[] {
    return [...this.gatewayMap().values()];
  }

  /**
   * The Istio Gateway a VirtualService in `fromNamespace` means by `ref` (`name`, `ns/name`,
   * `./name` or the legacy `name.ns.svc.<domain>`), if it is in the set.
   */
  public gateway(ref: string, fromNamespace: string): IndexedGateway | undefined {
    return this.gatewayMap().get(this.gatewayKey(ref, fromNamespace));
  }

  /** `namespace/name` of the gateway a reference names. */
  public gatewayKey(ref: string, fromNamespace: string): string {
    if (ref.startsWith('./')) return `${fromNamespace}/${ref.slice(2)}`;
    if (ref.includes('/')) return ref;
    if (ref.includes('.')) {
      const [name, ns] = ref.split('.');
      return `${ns}/${name}`;
    }
    return `${fromNamespace}/${ref}`;
  }

  /** The DestinationRules of the set. */
  public destinationRules(): IndexedDestinationRule[] {
    return [...this.ruleList()];
  }

  private ruleList(): IndexedDestinationRule[] {
    this._destinationRules ??= this.ofKind(ISTIO, 'DestinationRule').map((m) => {
      const ns = this.namespaceOf(m);
      const subsets = (Array.isArray(m.spec?.subsets) ? m.spec.subsets : [])
        .filter((s: any) => s && typeof s.name === 'string')
        .map((s: any) => ({ name: s.name as string, labels: s.labels && typeof s.labels === 'object' ? s.labels : {} }));
      return { manifest: m, name: m.metadata.name, namespace: ns, host: this.resolve(String(m.spec?.host ?? ''), ns), subsets };
    });
    return this._destinationRules;
  }

  /** The DestinationRules that apply to a resolved host (exact or by wildcard), in set order. */
  public destinationRulesFor(host: string): IndexedDestinationRule[] {
    this._rulesByHost ??= new HostLookup(this.ruleList().filter((d) => d.host !== '').map((d) => [d.host, d]));
    return this._rulesByHost.covering(host);
  }

  /** The ServiceEntry hosts that overlap a resolved host. */
  public serviceEntriesFor(host: string): IndexedServiceEntryHost[] {
    this._entriesByHost ??= new HostLookup(this.entryList().map((e) => [e.host, e]));
    return this._entriesByHost.overlapping(host);
  }

  /**
   * The Service or ServiceEntry host that a resolved `host`, named by an object of `fromNamespace`
   * with its own `exportTo`, reaches — honouring the `exportTo` of ServiceEntries, the
   * `networking.istio.io/exportTo` annotation of Services and the naming object's `exportTo`, as
   * Istio's analyzers do (see `VisibleHosts`). Undefined when none is visible to it.
   */
  public visibleDestination(host: string, fromNamespace: string, exportTo?: any[]): VisibleDestination | undefined {
    if (!this._visible) {
      this._visible = new VisibleHosts();
      for (const s of this.services()) this._visible.add(s.host, s.exportTo, { service: s, ports: s.ports.map((p) => p.port) });
      for (const e of this.entryList()) this._visible.add(e.host, e.exportTo, { entry: e, ports: e.ports });
    }
    return this._visible.find(host, fromNamespace, exportTo);
  }

  /** True if a resolved host is declared by a ServiceEntry. */
  public isServiceEntryHost(host: string): boolean {
    return this.serviceEntriesFor(host).length > 0;
  }

  /** True if a resolved host is one of the known hosts given to the analysis. */
  public isKnownHost(host: string): boolean {
    return this.knownHostLookup.overlapping(host).length > 0;
  }

  /**
   * True if a resolved host names a Service of the set, a ServiceEntry host, a known host, or a
   * gateway Service of Istio's (see `isIstioGatewayHost`).
   */
  public hostExists(host: string): boolean {
    return this.serviceByHost(host) !== undefined || this.isServiceEntryHost(host) || this.isKnownHost(host)
      || this.isIstioGatewayHost(host);
  }

  /**
   * True for the Service of a gateway installed with Istio: `<name>gateway.istio-system.svc.<domain>`
   * (`istio-ingressgateway`, `istio-egressgateway`), which charts route to but never define.
   */
  public isIstioGatewayHost(host: string): boolean {
    const suffix = `.istio-system.svc.${this.clusterDomain}`;
    return host.endsWith(suffix) && host.slice(0, -suffix.length).endsWith('gateway');
  }

  /**
   * True for istiod's Service (`istiod.istio-system.svc.<domain>`), installed with Istio. Only a TLS
   * passthrough route may go there: the east-west gateway exposing istiod to remote clusters
   * (Istio's expose-istiod sample, rendered by MultiClusterMesh for a primary with remotes).
   */
  public isIstiodHost(host: string): boolean {
    return host === `istiod.istio-system.svc.${this.clusterDomain}`;
  }

  /**
   * True when the set says enough about which hosts exist for an unknown host to be an error: it
   * holds Services, or known hosts were declared. A set of mesh resources alone (routing for
   * Services deployed elsewhere) only earns warnings.
   */
  public get knowsHosts(): boolean {
    return this.hasServices || this.knownHosts.length > 0;
  }

  /** True if a gateway key (`namespace/name`) was declared known. */
  public isKnownGateway(key: string): boolean {
    return this.knownGateways.includes(key);
  }

  private indexService(m: Manifest): IndexedService {
    const ns = this.namespaceOf(m);
    const ports = (Array.isArray(m.spec?.ports) ? m.spec.ports : []).map((p: any) => ({
      port: Number(p?.port),
      name: typeof p?.name === 'string' && p.name !== '' ? p.name : undefined,
      appProtocol: typeof p?.appProtocol === 'string' && p.appProtocol !== '' ? p.appProtocol : undefined,
      protocol: typeof p?.protocol === 'string' ? p.protocol : 'TCP',
      ...(typeof p?.targetPort === 'number' && p.targetPort > 0 ? { targetPortNumber: p.targetPort } : {}),
    }));
    const selector = m.spec?.selector && typeof m.spec.selector === 'object' && Object.keys(m.spec.selector).length ? { ...m.spec.selector } : undefined;
    return {
      manifest: m, name: m.metadata.name, namespace: ns, host: serviceHost(m.metadata.name, ns, this.clusterDomain), ports, selector,
      type: m.spec?.type ?? 'ClusterIP', exportTo: serviceExportScopes(m.metadata.annotations, ns),
    };
  }

  private indexWorkloads(): IndexedWorkload[] {
    const out: IndexedWorkload[] = [];
    for (const m of this.workloadCandidates) {
      const template = podTemplateOf(m);
      if (!template) continue;
      out.push({
        manifest: m,
        kind: m.kind,
        name: m.metadata.name,
        namespace: this.namespaceOf(m),
        podLabels: { ...(template.labels ?? {}) },
        serviceAccountName: template.serviceAccountName ?? 'default',
        ...(template.nodeName ? { nodeName: template.nodeName } : {}),
      });
    }
    return out;
  }

  private gatewayMap(): Map<string, IndexedGateway> {
    if (this._gateways) return this._gateways;
    this._gateways = new Map();
    for (const m of this.ofKind(ISTIO, 'Gateway')) {
      const ns = this.namespaceOf(m);
      const hosts: GatewayServerHost[] = [];
      for (const server of Array.isArray(m.spec?.servers) ? m.spec.servers : []) {
        for (const h of Array.isArray(server?.hosts) ? server.hosts : []) {
          if (typeof h !== 'string') continue;
          const [hostNs, host] = h.includes('/') ? h.split('/', 2) : ['*', h];
          hosts.push({ namespace: hostNs === '.' ? ns : hostNs, host });
        }
      }
      const key = `${ns}/${m.metadata.name}`;
      if (!this._gateways.has(key)) this._gateways.set(key, { manifest: m, name: m.metadata.name, namespace: ns, hosts });
    }
    return this._gateways;
  }
}
