import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { enableAnalysis } from '../analysis/synth-analysis';
import { enableObjectIdentityCheck } from '../core/object-identity';
import { fail, quote } from '../core/errors';
import { chartNamespace, Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel, validateServiceName } from '../core/names';
import { LoadBalancer } from '../traffic/load-balancer';
import { DefaultRouteOptions, RouteDefaults, RouteOptions } from '../traffic/route';
import { RouteTo } from '../traffic/route-action';
import { RoutingTable } from '../traffic/routing-table';
import { TrafficPolicy, TrafficPolicySetting } from '../traffic/traffic-policy';
import { createServiceRenderer } from './renderers';
import { IServiceRenderer } from './service-renderer';
import { CatchAllDelegation } from './catch-all-delegation';
import { ServicePort } from './service-port';
import { ServiceVersion, ServiceVersionOptions } from './service-version';
import { ClusterSubset, ClusterSubsets } from './cluster-subset';
import { validateAnnotations, validateLabels, validateLabelSelector } from '../core/labels';
import { MeshKubeService } from './kube-service';
import { MeshServiceNames, resolveServiceNames } from './mesh-service-names';
import { chosenName } from '../core/object-names';
import { DeploymentScaling } from './deployment-scaling';

/** Props of a {@link MeshService}. */
export interface MeshServiceProps {
  /**
   * The Kubernetes Service name, which is also the mesh host.
   * @default - the construct id
   */
  readonly serviceName?: string;
  /**
   * The namespace of the Service.
   * @default - the chart's namespace, or `default`
   */
  readonly namespace?: string;
  /** The Service's ports, named by protocol. At least one. */
  readonly ports: ServicePort[];
  /**
   * The labels that select the service's pods (all versions).
   * @default { app: <serviceName> }
   */
  readonly selector?: Record<string, string>;
  /**
   * The ServiceAccount the pods run as; their mesh identity.
   * @default - the service name
   */
  readonly serviceAccountName?: string;
  /**
   * Versions to add right away (each with the default labels `{ version: <name> }`).
   * @default - none; use addVersion()
   */
  readonly versions?: string[];
  /**
   * The cluster's DNS domain, for fully qualified host names.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Render the Kubernetes Service for workloads you already have: the main Service (selecting
   * `selector`) and, on meshes that route per version (Gateway API, Linkerd, Cilium), one Service
   * per version (`ServiceVersion.serviceName`, selecting the selector plus the version's labels),
   * which the routes name as backends. `ServiceWorkloads` then uses these instead of rendering its
   * own. Leave it off when the Services are created elsewhere (another chart, Helm, existing YAML).
   * @default false
   */
  readonly renderServices?: boolean;
  /**
   * Labels on the rendered Services (by `renderServices` or `ServiceWorkloads`), in addition to
   * the selector labels and `service: <name>`.
   * @default - none
   */
  readonly serviceLabels?: Record<string, string>;
  /**
   * Annotations on the rendered Services (by `renderServices` or `ServiceWorkloads`). On the main
   * Service they are merged with the annotations intents need (see `serviceAnnotations`); the same
   * key with another value is an error.
   * @default - none
   */
  readonly serviceAnnotations?: Record<string, string>;
  /**
   * Names for the objects rendered for this service, to keep the names of existing objects.
   * @default - each object is named after the service (see MeshServiceNames)
   */
  readonly names?: MeshServiceNames;
}

/** Options for a version's traffic-policy setting. */
export interface PolicyTarget {
  /**
   * Apply to one version only (an Istio subset traffic policy).
   * @default - the whole service
   */
  readonly version?: string;
}

/**
 * A service in the mesh: the unit every traffic, resilience and security intent attaches to.
 *
 * It describes a Kubernetes Service the user already has (or creates with `ServiceWorkloads`):
 * its name, namespace, ports, pod labels, versions and ServiceAccount. Intents attached to it are
 * merged into exactly one routing table and one traffic policy, rendered for the chart's mesh as one
 * VirtualService and one DestinationRule (Istio) or one HTTPRoute (GAMMA, Linkerd, Cilium).
 */
export class MeshService extends Construct {
  /** True if `x` is a MeshService. */
  public static isMeshService(x: unknown): x is MeshService {
    return x instanceof MeshService;
  }

  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  public readonly clusterDomain: string;
  /** The mesh this service is rendered for. */
  public readonly mesh: Mesh;
  /** The service's routing table (read-only use; attach routes with addRoute / setDefaultRoute). */
  public readonly routing: RoutingTable;
  /** The names of the objects rendered for this service: the `names` prop with every default filled in. */
  public readonly names: MeshServiceNames;
  /** @internal the same names, typed as filled in */
  public readonly _names: Required<MeshServiceNames>;

  private readonly _ports: ServicePort[];
  private readonly _selector: Record<string, string>;
  private readonly _versions = new Map<string, ServiceVersion>();
  private readonly _clusterSubsets = new ClusterSubsets();
  private readonly _policies = new Map<string, { value: unknown; owner: IConstruct }>();
  private readonly _serviceAnnotations = new Map<string, { value: string; owner: IConstruct }>();
  private readonly renderer: IServiceRenderer;
  private readonly _serviceLabels: Record<string, string>;
  private readonly _intentLabels = new Map<string, { value: string; owner: IConstruct }>();
  private readonly _userAnnotations: Record<string, string>;
  private readonly _kubeService?: ApiObject;
  private readonly _versionKubeServices = new Map<string, ApiObject>();
  private readonly _deployments = new Map<string, { name: string; declaredBy?: IConstruct; readBy?: IConstruct }>();
  /** @internal which of its Deployments an HPA scales, and what the HPA targets instead (a Rollout) */
  public readonly _scaling = new DeploymentScaling();
  private readonly _subsetRoles = new Map<string, { subset: string; owner: IConstruct }>();
  private _subsetsDroppedBy?: IConstruct;
  private _catchAll?: { owner: IConstruct; delegation: CatchAllDelegation };

  public constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    enableAnalysis(this);
    enableObjectIdentityCheck(this);
    this.serviceName = validateServiceName(this, 'serviceName', props.serviceName ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? chartNamespace(this));
    this.serviceAccountName = validateDnsLabel(this, 'serviceAccountName', props.serviceAccountName ?? this.serviceName);
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (!Array.isArray(props.ports) || props.ports.length === 0) {
      fail(this, 'ports', 'must list at least one port', 'pass e.g. ports: [ServicePort.http(8080)]');
    }
    for (const [i, p] of props.ports.entries()) {
      if (!(p instanceof ServicePort)) fail(this, `ports[${i}]`, `must be a ServicePort, got ${quote(p)}`, 'use ServicePort.http(8080), ServicePort.grpc(...), ...');
      const clash = props.ports.slice(0, i).find((q) => q.port === p.port || q.name === p.name);
      if (clash) fail(this, `ports[${i}]`, `repeats the port ${clash.name}(${clash.port})`, 'give each port a unique number and name');
    }
    this._ports = [...props.ports];
    this._selector = validateLabelSelector(this, 'selector', props.selector ?? { app: this.serviceName });
    this._names = resolveServiceNames(this, props.names ?? {});
    this.names = this._names;
    this.mesh = meshOf(this);
    this.routing = new RoutingTable(this);
    this.renderer = createServiceRenderer(this);
    this._serviceLabels = validateLabels(this, 'serviceLabels', props.serviceLabels) ?? {};
    this._userAnnotations = validateAnnotations(this, 'serviceAnnotations', props.serviceAnnotations ?? {});
    for (const [k, v] of Object.entries(this._userAnnotations)) this._addServiceAnnotation(this, k, v);
    if (props.renderServices !== undefined && typeof props.renderServices !== 'boolean') {
      fail(this, 'renderServices', `must be true or false, got ${quote(props.renderServices)}`, 'pass renderServices: true to render the Services');
    }
    if (props.renderServices) this._kubeService = new MeshKubeService(this, 'Service', this);
    for (const v of props.versions ?? []) this.addVersion(v);
  }

  /** The fully qualified host, e.g. `reviews.default.svc.cluster.local`. */
  public get host(): string {
    return `${this.serviceName}.${this.namespace}.svc.${this.clusterDomain}`;
  }

  /** The SPIFFE-style principal of the service's pods, e.g. `cluster.local/ns/default/sa/bookinfo-reviews`. */
  public get principal(): string {
    return `${this.clusterDomain}/ns/${this.namespace}/sa/${this.serviceAccountName}`;
  }

  /** The service's ports (a copy). */
  public get ports(): ServicePort[] {
    return [...this._ports];
  }

  /** The labels selecting all of the service's pods (a copy). */
  public get selector(): Record<string, string> {
    return { ...this._selector };
  }

  /** The main Kubernetes Service, when `renderServices` is on. */
  public get kubeService(): ApiObject | undefined {
    return this._kubeService;
  }

  /** The Service of a version, when `renderServices` is on and the mesh routes per version. */
  public versionKubeService(version: string): ApiObject | undefined {
    return this._versionKubeServices.get(version);
  }

  /** The labels on the rendered Services besides the selector and `service` (a copy). */
  public get serviceLabels(): Record<string, string> {
    return { ...this._serviceLabels };
  }

  /** @internal the user's `serviceAnnotations` prop, which per-version Services carry */
  public get _userServiceAnnotations(): Record<string, string> {
    return { ...this._userAnnotations };
  }

  /** The versions, in the order added (a copy). */
  public get versions(): ServiceVersion[] {
    return [...this._versions.values()];
  }

  /** Adds a version (an Istio subset; a per-version Service for GAMMA). */
  public addVersion(name: string, options: ServiceVersionOptions = {}): ServiceVersion {
    validateDnsLabel(this, 'version', name);
    if (this._versions.has(name)) fail(this, 'version', `${quote(name)} is already defined`, 'add each version once');
    this._clusterSubsets.checkVersionName(this, name);
    const labels = validateLabels(this, `version ${name} labels`, options.labels ?? { version: name })!;
    if (Object.keys(labels).length === 0) fail(this, `version ${name} labels`, 'must not be empty', 'pass labels that tell this version\'s pods apart, e.g. { version: "v2" }');
    const clash = [...this._versions.values()].find((v) => JSON.stringify(v.labels) === JSON.stringify(labels));
    if (clash) fail(this, `version ${name} labels`, `are the same as version ${clash.name}'s (${quote(labels)})`, 'give each version labels of its own');
    const serviceName = chosenName(this, `version ${name} serviceName`, '/Service', options.serviceName, `${this.serviceName}-${name}`);
    const version = new ServiceVersion(name, { ...this._selector, ...labels }, labels, serviceName);
    this._versions.set(name, version);
    if (this._kubeService && this.mesh !== Mesh.ISTIO) {
      this._versionKubeServices.set(name, new MeshKubeService(this, `Service-${name}`, this, version));
    }
    this.renderer.versionAdded(version);
    return version;
  }

  /**
   * Adds the subset of the service's endpoints in one cluster of a multi-cluster mesh, which routes
   * name with `RouteTo.cluster` / `RouteTo.clusterSplit` (Istio: subset `cluster-<cluster>` on
   * `topology.istio.io/cluster`; other meshes refuse it).
   */
  public addClusterSubset(cluster: string): ClusterSubset {
    const subset = this._clusterSubsets.add(this, cluster, [...this._versions.keys()]);
    this.renderer.clusterSubsetAdded(subset);
    return subset;
  }

  /** The cluster subsets, in the order added (a copy). */
  public get clusterSubsets(): ClusterSubset[] {
    return this._clusterSubsets.all;
  }

  /**
   * A cluster subset by cluster name.
   * @param requestedBy the construct asking, named in the error if the cluster has no subset
   */
  public clusterSubset(cluster: string, requestedBy: IConstruct = this, prop = 'cluster'): ClusterSubset {
    return this._clusterSubsets.get(this.serviceName, cluster, requestedBy, prop);
  }

  /**
   * A version by name.
   * @param requestedBy the construct asking, named in the error if the version is unknown
   */
  public version(name: string, requestedBy: IConstruct = this, prop = 'version'): ServiceVersion {
    const v = this._versions.get(name);
    if (!v) {
      const known = [...this._versions.keys()];
      fail(requestedBy, prop, `names version ${quote(name)}, which ${this.serviceName} does not define (known: ${known.length ? known.join(', ') : 'none'})`,
        `add it with ${this.serviceName}.addVersion(${quote(name)}) or use one of the known versions`);
    }
    return v;
  }

  /** A port by number. */
  public port(port: number, requestedBy: IConstruct = this, prop = 'port'): ServicePort {
    const p = this._ports.find((q) => q.port === port);
    if (!p) fail(requestedBy, prop, `is ${quote(port)}, which ${this.serviceName} does not expose (ports: ${this._ports.map((q) => q.port).join(', ')})`, 'use one of the service\'s ports');
    return p;
  }

  /**
   * @internal the name of a version's Deployment, for constructs that refer to it (a Rollout's
   * workloadRef): the one ServiceWorkloads renders, else `<service>-<version>`. Once read, a
   * different name declared later is an error, so that a reference never goes stale.
   */
  public _deploymentName(version: string, readBy: IConstruct): string {
    const d = this._deployments.get(version) ?? { name: `${this.serviceName}-${version}` };
    this._deployments.set(version, { ...d, readBy: d.readBy ?? readBy });
    return d.name;
  }

  /** @internal the names of the Deployments declared so far (ServiceWorkloads), by version order */
  public get _declaredDeploymentNames(): string[] {
    return [...this._deployments.values()].filter((d) => d.declaredBy).map((d) => d.name);
  }

  /** @internal declares the name of a version's Deployment (ServiceWorkloads) */
  public _declareDeployment(version: string, name: string, owner: IConstruct, prop: string): void {
    const d = this._deployments.get(version);
    if (d?.readBy && d.name !== name) {
      fail(owner, prop, `is ${quote(name)}, but ${d.readBy.node.path} already refers to the Deployment of ${this.serviceName} version ${version} as ${quote(d.name)}`,
        `create ${owner.node.path} before ${d.readBy.node.path}, or give ${d.readBy.node.path} the same Deployment name`);
    }
    this._deployments.set(version, { name, declaredBy: owner, readBy: d?.readBy });
  }

  /** Adds a route for the requests matching `options.matches`. */
  public addRoute(options: RouteOptions): void {
    this._addRoute(this, options);
  }

  /** Sets where requests that match no other route go. One per service. */
  public setDefaultRoute(to: RouteTo, behaviour: DefaultRouteOptions = {}): void {
    this._setDefaultRoute(this, to, behaviour);
  }

  /** Sets the load balancer for the service or one version. */
  public setLoadBalancer(loadBalancer: LoadBalancer, target: PolicyTarget = {}): void {
    if (!(loadBalancer instanceof LoadBalancer)) fail(this, 'loadBalancer', `must be a LoadBalancer, got ${quote(loadBalancer)}`, 'use LoadBalancer.LEAST_REQUEST, LoadBalancer.consistentHash.header(...), ...');
    this._setPolicy(this, 'loadBalancer', loadBalancer, target.version);
  }

  /** The traffic policy of the service (no version) or of one version. */
  public trafficPolicy(version?: string): TrafficPolicy {
    const out: Record<string, unknown> = {};
    for (const [key, { value }] of this._policies) {
      const [v, setting] = key.split('/');
      if (v === (version ?? '*')) out[setting] = value;
    }
    return out as TrafficPolicy;
  }

  /**
   * Annotations that intents need on the Kubernetes Service (e.g. Linkerd's
   * `balancer.linkerd.io/failure-accrual`). `ServiceWorkloads` applies them; for a Service created
   * elsewhere, copy them onto it.
   */
  public get serviceAnnotations(): Record<string, string> {
    return Object.fromEntries([...this._serviceAnnotations].map(([k, v]) => [k, v.value]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /**
   * Labels that intents need on the main Kubernetes Service (e.g. Linkerd's
   * `mirror.linkerd.io/exported` from a MultiClusterMesh, so that other clusters mirror it).
   * `renderServices` and `ServiceWorkloads` apply them; for a Service created elsewhere, copy them
   * onto it. The per-version Services do not get them.
   */
  public get intentServiceLabels(): Record<string, string> {
    return Object.fromEntries([...this._intentLabels].map(([k, v]) => [k, v.value]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** @internal sets a main-Service label on behalf of an intent construct; a different value for the same key (here or in serviceLabels) is a conflict */
  public _addServiceLabel(owner: IConstruct, key: string, value: string): void {
    const existing = this._intentLabels.get(key);
    const user = this._serviceLabels[key];
    if (existing && existing.value !== value) {
      fail(owner, `label ${key}`, `conflicts with ${quote(existing.value)} set by ${existing.owner.node.path}`, 'set it once per service');
    }
    if (user !== undefined && user !== value) {
      fail(owner, `label ${key}`, `is ${quote(value)} but ${this.node.path} sets ${quote(user)} in serviceLabels`, `remove ${key} from serviceLabels; ${owner.node.path} sets it`);
    }
    this._intentLabels.set(key, { value, owner });
  }

  /** @internal sets a Service annotation on behalf of an intent construct; a different value for the same key is a conflict */
  public _addServiceAnnotation(owner: IConstruct, key: string, value: string): void {
    const existing = this._serviceAnnotations.get(key);
    if (existing && existing.value !== value) {
      fail(owner, `annotation ${key}`, `conflicts with ${quote(existing.value)} set by ${existing.owner.node.path}`, 'set it once per service');
    }
    this._serviceAnnotations.set(key, { value, owner });
  }

  /** @internal attaches a route on behalf of an intent construct */
  public _addRoute(owner: IConstruct, options: RouteOptions): void {
    this.renderer.routeAdded(this.routing.add(owner, options));
  }

  /** @internal sets the default route on behalf of an intent construct */
  public _setDefaultRoute(owner: IConstruct, to: RouteTo, behaviour: DefaultRouteOptions = {}): void {
    this.renderer.routeAdded(this.routing.setDefault(owner, { ...behaviour, to }));
  }

  /** @internal sets the service-wide route defaults (retries, timeout) on behalf of an intent construct */
  public _setRouteDefaults(owner: IConstruct, defaults: RouteDefaults): void {
    this.routing.setRouteDefaults(owner, defaults);
    this.renderer.routeDefaultsSet();
  }

  /**
   * @internal renders a version as a subset named `subset` that selects the whole service, for an
   * engine that tells its pods apart at runtime (Argo Rollouts adds `rollouts-pod-template-hash`)
   */
  public _setSubsetRole(owner: IConstruct, version: string, subset: string): void {
    const v = this.version(version, owner);
    const taken = [...this._subsetRoles].find(([name, r]) => name !== v.name && r.subset === subset)
      ?? (this._versions.has(subset) && subset !== v.name ? [subset, { owner: this as IConstruct }] as const : undefined);
    if (taken) fail(owner, 'subset', `${quote(subset)} of version ${v.name} is already the subset of version ${taken[0]}`, `rename version ${taken[0]}: ${subset} is the name the engine's subset needs`);
    const existing = this._subsetRoles.get(v.name);
    if (existing && existing.subset !== subset) fail(owner, `version ${v.name}`, `is already the ${existing.subset} subset of ${existing.owner.node.path}`, 'let one construct manage the version');
    this._subsetRoles.set(v.name, { subset, owner });
  }

  /**
   * @internal renders no version subsets, for an engine that runs the service as one workload and
   * routes by Services of its own (Flagger's `<service>-primary` and `-canary`): they would select
   * pods nobody routes to. Versions with their own traffic policy are refused.
   */
  public _dropVersionSubsets(owner: IConstruct): void {
    this._subsetsDroppedBy = owner;
  }

  /**
   * @internal requests no route of the table selects go to a route a controller generates (e.g.
   * Flagger's `<service>`) instead of the Service: on Istio the service's VirtualService becomes
   * the root holding the table's routes, named `delegation.rootName`, and delegates to the
   * controller's; on the Gateway API the service's HTTPRoutes hold only the table's matched rules,
   * the main one named `delegation.rootName`, beside the controller's on the same Service parent.
   * Either is rendered only while the table has routes of its own.
   */
  public _delegateCatchAll(owner: IConstruct, delegation: CatchAllDelegation): void {
    if (this._catchAll) fail(owner, 'service', `${this.serviceName}'s catch-all route is already delegated by ${this._catchAll.owner.node.path}`, 'let one construct manage the service\'s routes');
    this._catchAll = { owner, delegation: { ...delegation } };
    this.renderer.catchAllDelegated?.();
  }

  /** @internal the delegation of the catch-all route, if any (see _delegateCatchAll) */
  public get _catchAllDelegation(): CatchAllDelegation | undefined {
    return this._catchAll?.delegation;
  }

  /** @internal the versions rendered as Istio subsets (none after _dropVersionSubsets) */
  public get _subsetVersions(): ServiceVersion[] {
    if (!this._subsetsDroppedBy) return this.versions;
    const policed = [...this._policies.keys()].map((k) => k.split('/')[0]).find((v) => v !== '*');
    if (policed) {
      fail(this._subsetsDroppedBy, `version ${policed}`, `has a traffic policy of its own (from ${this._policies.get([...this._policies.keys()].find((k) => k.startsWith(`${policed}/`))!)!.owner.node.path}), but ${this._subsetsDroppedBy.node.path} renders ${this.serviceName} without version subsets`,
        'set the traffic policy on the service as a whole');
    }
    return [];
  }

  /** @internal the Istio subset of a version: its name and labels (see _setSubsetRole) */
  public _subsetOf(version: ServiceVersion): { readonly name: string; readonly labels: Record<string, string> } {
    const role = this._subsetRoles.get(version.name);
    return role ? { name: role.subset, labels: this.selector } : { name: version.name, labels: { ...version.labels } };
  }

  /** @internal the construct that set a traffic-policy setting of the service (no version) or of one version */
  public _policyOwner(setting: TrafficPolicySetting, version?: string): IConstruct | undefined {
    return this._policies.get(`${version ?? '*'}/${setting}`)?.owner;
  }

  /** @internal sets a traffic-policy setting on behalf of an intent construct */
  public _setPolicy<K extends TrafficPolicySetting>(owner: IConstruct, setting: K, value: TrafficPolicy[K], version?: string): void {
    const v = version !== undefined ? this.version(version, owner) : undefined;
    const key = `${v?.name ?? '*'}/${setting}`;
    const existing = this._policies.get(key);
    if (existing) {
      fail(owner, setting, `of ${this.serviceName}${v ? ` version ${v.name}` : ''} is already set by ${existing.owner.node.path}`, 'set each traffic-policy setting once per service or version');
    }
    this._policies.set(key, { value, owner });
    this.renderer.policySet(setting, v);
  }
}
