import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { metricsScrapersOf, onMetricsScraper } from '../core/metrics-scrapers';
import { validateDnsLabel } from '../core/names';
import { MeshService } from '../service/mesh-service';
import { AuthorizationPolicy } from './istio/authorization-policy';
import { PeerAuthentication } from './istio/peer-authentication';
import { baselineEgress } from './kubernetes/baseline-egress';
import { NetworkPeer, NetworkPolicy, NetworkPolicyDirection } from './kubernetes/network-policy';
import { LinkerdScrapeAdmission, LinkerdScrapeAdmissionNames } from './linkerd/scrape-admission';
import { LinkerdAccessPolicy, LinkerdServer } from './linkerd/server';
import { plainTextRules } from './mtls-conflicts';
import { MtlsMigration, MtlsMode, PortMtls, validateMtlsMode } from './mtls';
import { portMtlsList } from './port-mtls';
import { PodSecurityLevel, podSecurityLabels, podSecurityLevel } from './pod-security';
import { validateSelector } from './selector';
import { validateLabels } from '../core/labels';
import { enableObjectIdentityCheck } from '../core/object-identity';
import { chosenName } from '../core/object-names';
import { addMeshValidation } from '../core/validation-pass';

/** The names of the namespace-wide policies a {@link StrictMtlsNamespace} renders. */
export interface StrictMtlsNamespaceNames {
  /**
   * The namespace-wide PeerAuthentication (Istio).
   * @default 'default'
   */
  readonly peerAuthentication?: string;
  /**
   * The allow-nothing AuthorizationPolicy (Istio, when denying by default).
   * @default 'allow-nothing'
   */
  readonly allowNothing?: string;
  /**
   * The default-deny NetworkPolicy (when denying by default).
   * @default 'default-deny'
   */
  readonly defaultDeny?: string;
  /**
   * The objects that let Prometheus scrape the proxies (Linkerd, denying by default, with an
   * ObservabilityStack scraping the namespace).
   * @default - see LinkerdScrapeAdmissionNames
   */
  readonly scrapeAdmission?: LinkerdScrapeAdmissionNames;
}

/** Props of a {@link StrictMtlsNamespace}. */
export interface StrictMtlsNamespaceProps {
  /**
   * The namespace name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The migration stage: DISABLE → PERMISSIVE → STRICT, one step per rollout.
   * @default MtlsMigration.COMPLETE (STRICT)
   */
  readonly migration?: MtlsMigration;
  /**
   * Deny every request no allow rule admits: Istio allow-nothing AuthorizationPolicy, Linkerd
   * `default-inbound-policy: deny`, and a default-deny NetworkPolicy.
   * @default - true once the migration is STRICT; false before (identity-based allow rules cannot
   * match plain-text clients, so denying by default mid-migration cuts them off)
   */
  readonly denyByDefault?: boolean;
  /**
   * Render a default-deny Kubernetes NetworkPolicy (ingress and egress, except DNS and the mesh
   * control plane) when denying by default.
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * The Istio revision to inject (`istio.io/rev` label) instead of `istio-injection: enabled`.
   * @default - the default revision
   */
  readonly istioRevision?: string;
  /**
   * Whether the mesh's CNI plugin (Istio CNI, linkerd-cni) is installed, so injected pods need no
   * privileged init container.
   * @default false
   */
  readonly cni?: boolean;
  /**
   * The Pod Security level to enforce.
   * @default - Istio/Linkerd: BASELINE with `cni: true`, else PRIVILEGED (the init container needs
   * NET_ADMIN); Cilium and the Gateway API: RESTRICTED. Warn and audit are always RESTRICTED.
   */
  readonly podSecurity?: PodSecurityLevel;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * Names for the namespace-wide policies, to keep those of existing objects (the Namespace is
   * `name`; an exception's objects are named by its `name`).
   * @default - see StrictMtlsNamespaceNames
   */
  readonly names?: StrictMtlsNamespaceNames;
}

/** A workload- or port-level exception to the namespace's mTLS mode. */
export interface MtlsException {
  /**
   * The service whose pods the exception covers (its selector; `ports` are its Service ports).
   * @default - give `selector` instead
   */
  readonly service?: MeshService;
  /**
   * The pods the exception covers (`ports` are then container ports).
   * @default - give `service` instead
   */
  readonly selector?: Record<string, string>;
  /**
   * The mode for the whole workload.
   * @default - the namespace's mode
   */
  readonly mode?: MtlsMode;
  /**
   * Modes for single ports.
   * @default - none
   */
  readonly portMtls?: PortMtls[];
  /**
   * Modes for single ports, keyed by port.
   * @default - none
   * @deprecated use `portMtls: [{ port, mode }]` (maps keyed by numbers do not cross to other languages)
   * @jsii ignore
   */
  readonly ports?: Record<number, MtlsMode>;
  /**
   * The PeerAuthentication name (Istio), or the prefix of the Server names (Linkerd).
   * @default - the service name, or the selector's label values joined with '-' (`{ app: 'legacy' }` → `legacy`)
   */
  readonly name?: string;
}

/**
 * A namespace that speaks mTLS only and denies by default: the Namespace (sidecar injection, Pod
 * Security labels, Linkerd default policy), a STRICT `PeerAuthentication` (Istio), the
 * deny-by-default baseline, and exceptions that must name their workloads.
 *
 * Build it at a migration stage (`MtlsMigration.stage(MtlsMode.PERMISSIVE)`) and move one stage
 * per rollout. At STRICT, a DestinationRule in the app sending plain text to this namespace
 * (tls.mode DISABLE) fails the synth: it would be refused by the servers.
 */
export class StrictMtlsNamespace extends Construct {
  public readonly namespaceName: string;
  public readonly mesh: Mesh;
  public readonly migration: MtlsMigration;
  public readonly denyByDefault: boolean;
  public readonly podSecurity: PodSecurityLevel;
  /** The Namespace object. */
  public readonly namespace: ApiObject;
  /** The namespace-wide PeerAuthentication, `default` unless `names` says otherwise (Istio). */
  public readonly peerAuthentication?: PeerAuthentication;
  /** The allow-nothing AuthorizationPolicy (Istio, when denying by default). */
  public readonly allowNothing?: AuthorizationPolicy;
  /** The default-deny NetworkPolicy (when denying by default). */
  public readonly defaultDeny?: NetworkPolicy;
  private _scrapeAdmission?: LinkerdScrapeAdmission;
  private readonly exceptions: Array<{ services: MeshService[]; mode?: MtlsMode }> = [];
  private readonly exceptionNames = new Set<string>();

  public constructor(scope: Construct, id: string, props: StrictMtlsNamespaceProps = {}) {
    super(scope, id);
    enableObjectIdentityCheck(this);
    this.namespaceName = validateDnsLabel(this, 'name', props.name ?? id);
    const names = props.names ?? {};
    this.mesh = meshOf(this);
    this.migration = props.migration ?? MtlsMigration.COMPLETE;
    if (!(this.migration instanceof MtlsMigration)) fail(this, 'migration', `must be an MtlsMigration, got ${quote(this.migration)}`, 'use MtlsMigration.stage(MtlsMode.PERMISSIVE) or MtlsMigration.COMPLETE');
    if (this.mesh === Mesh.LINKERD && this.migration.mode === MtlsMode.DISABLE) {
      fail(this, 'migration', 'is DISABLE, but Linkerd always uses mTLS between meshed pods and has no plain-text mode', 'start at MtlsMigration.stage(MtlsMode.PERMISSIVE) (meshed and unmeshed clients allowed)');
    }
    if (props.istioRevision !== undefined) {
      validateDnsLabel(this, 'istioRevision', props.istioRevision);
      if (this.mesh !== Mesh.ISTIO) fail(this, 'istioRevision', `is only used by Istio, not ${this.mesh}`, 'drop it');
    }
    this.denyByDefault = props.denyByDefault ?? this.migration.isComplete;
    this.podSecurity = podSecurityLevel(this, this.mesh, props.cni ?? false, props.podSecurity);

    const labels: Record<string, string> = { ...validateLabels(this, 'labels', props.labels), ...podSecurityLabels(this.podSecurity) };
    const annotations: Record<string, string> = { ...props.annotations };
    if (this.mesh === Mesh.ISTIO) {
      if (props.istioRevision) labels['istio.io/rev'] = props.istioRevision;
      else labels['istio-injection'] = 'enabled';
    } else if (this.mesh === Mesh.LINKERD) {
      annotations['linkerd.io/inject'] = 'enabled';
      annotations['config.linkerd.io/default-inbound-policy'] = this.denyByDefault ? LinkerdAccessPolicy.DENY
        : this.migration.isComplete ? LinkerdAccessPolicy.ALL_AUTHENTICATED : LinkerdAccessPolicy.ALL_UNAUTHENTICATED;
    }
    this.namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.namespaceName, labels, annotations: Object.keys(annotations).length ? annotations : undefined },
    });
    // cluster-scoped: drop the namespace the chart gives every object
    if (Chart.of(this).namespace !== undefined) this.namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    if (this.mesh === Mesh.ISTIO) {
      this.peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
        name: chosenName(this, 'names.peerAuthentication', 'security.istio.io/PeerAuthentication', names.peerAuthentication, 'default'), namespace: this.namespaceName, mode: this.migration.mode,
      });
      if (this.denyByDefault) {
        this.allowNothing = AuthorizationPolicy.allowNothing(this, 'AllowNothing', {
          name: chosenName(this, 'names.allowNothing', 'security.istio.io/AuthorizationPolicy', names.allowNothing, 'allow-nothing'), namespace: this.namespaceName,
        });
      }
    }
    if (this.denyByDefault && (props.networkPolicies ?? true)) {
      this.defaultDeny = new NetworkPolicy(this, 'DefaultDeny', {
        name: chosenName(this, 'names.defaultDeny', 'networking.k8s.io/NetworkPolicy', names.defaultDeny, 'default-deny'),
        namespace: this.namespaceName,
        isolate: [NetworkPolicyDirection.INGRESS, NetworkPolicyDirection.EGRESS],
      });
      for (const rule of baselineEgress(this.mesh)) this.defaultDeny.addEgress(rule);
      // the Prometheus of an ObservabilityStack in this chart reaches the proxies' metrics ports
      this.defaultDeny._addRuleSource(NetworkPolicyDirection.INGRESS, () => metricsScrapersOf(this, this.namespaceName).map((s) => ({
        peers: [NetworkPeer.pods({ ...s.podLabels }, { namespace: s.namespace })],
        ports: s.ports.map((port) => ({ port })),
      })));
    }
    if (this.mesh === Mesh.LINKERD && this.denyByDefault) {
      // default-inbound-policy deny refuses the scrapes of the proxies' admin port too
      onMetricsScraper(this, (scraper) => {
        if (!scraper.targetNamespaces.includes(this.namespaceName)) return;
        this._scrapeAdmission ??= new LinkerdScrapeAdmission(this, 'ScrapeAdmission', {
          namespace: this.namespaceName,
          // the default-deny NetworkPolicy admits only the scrapers' pods to the admin port
          authenticateByNetwork: this.defaultDeny !== undefined,
          names: names.scrapeAdmission,
        });
        this._scrapeAdmission.addScraper(scraper);
      });
    }
    addMeshValidation(this, () => this.validatePlainText());
  }

  /**
   * Linkerd, denying by default, with an ObservabilityStack of this chart scraping the namespace:
   * the policy letting its Prometheus scrape the proxies' admin port (4191).
   */
  public get scrapeAdmission(): LinkerdScrapeAdmission | undefined {
    return this._scrapeAdmission;
  }

  /**
   * Adds a workload- or port-level exception (e.g. a legacy port that must stay PERMISSIVE).
   * It must name its workloads (`service` or `selector`): a selector-less exception would change the
   * whole namespace, and Istio ignores port-level modes without a selector.
   */
  public addException(exception: MtlsException): void {
    const e = exception ?? {};
    if (!e.service && !e.selector) {
      fail(this, 'exception', `has no selector: ${e.ports || e.portMtls ? 'port-level mTLS needs a workload selector (Istio ignores it otherwise)' : 'without one it would change the mode of the whole namespace'}`,
        'pass service: <MeshService> or selector: { app: "<workload>" }');
    }
    if (e.service && e.selector) fail(this, 'exception', 'has both service and selector', 'pass one of them');
    if (e.service && !MeshService.isMeshService(e.service)) fail(this, 'exception.service', `must be a MeshService, got ${quote(e.service)}`, 'pass the MeshService');
    if (e.service && e.service.namespace !== this.namespaceName) {
      fail(this, 'exception.service', `${e.service.serviceName} is in namespace ${quote(e.service.namespace)}, not ${quote(this.namespaceName)}`, 'add the exception to that service\'s namespace');
    }
    const selector = e.service ? e.service.selector : validateSelector(this, 'exception.selector', e.selector);
    if (e.mode !== undefined) validateMtlsMode(this, 'exception.mode', e.mode);
    const ports = portMtlsList(this, 'exception.portMtls', e.portMtls, 'exception.ports', e.ports).map(({ port, mode }) => {
      validateMtlsMode(this, `exception.portMtls port ${port}`, mode);
      // PeerAuthentication ports are container ports: translate a Service port
      return { port: e.service ? e.service.port(port, this, 'exception.portMtls').targetPort : port, mode };
    });
    if (e.mode === undefined && ports.length === 0) fail(this, 'exception', 'sets neither mode nor ports', 'give mode: MtlsMode.PERMISSIVE or portMtls: [{ port: 9090, mode: MtlsMode.PERMISSIVE }]');
    const name = validateDnsLabel(this, 'exception.name', e.name ?? e.service?.serviceName ?? nameFromSelector(selector));
    if (this.exceptionNames.has(name)) fail(this, 'exception.name', `${quote(name)} is already an exception`, 'give each exception a unique name');
    this.exceptionNames.add(name);

    switch (this.mesh) {
      case Mesh.ISTIO: {
        const pa = new PeerAuthentication(this, `Exception-${name}`, { name, namespace: this.namespaceName, selector, mode: e.mode });
        for (const p of ports) pa.addPortMtls(p.port, p.mode);
        break;
      }
      case Mesh.LINKERD: {
        if (e.mode !== undefined) {
          fail(this, 'exception.mode', 'cannot be set per workload on Linkerd (its mTLS is automatic; policy is per port)', 'use portMtls: [{ port: <port>, mode: MtlsMode.PERMISSIVE }], rendered as a Server with accessPolicy all-unauthenticated');
        }
        for (const p of ports) {
          if (p.mode === MtlsMode.DISABLE) fail(this, `exception.portMtls port ${p.port}`, 'is DISABLE, which Linkerd cannot do', 'use MtlsMode.PERMISSIVE (accept unauthenticated clients) or mark the port opaque/skip it in the proxy config');
          new LinkerdServer(this, `Exception-${name}-${p.port}`, {
            name: `${name}-${p.port}`, namespace: this.namespaceName, podSelector: selector, port: p.port,
            accessPolicy: p.mode === MtlsMode.STRICT ? LinkerdAccessPolicy.ALL_AUTHENTICATED : LinkerdAccessPolicy.ALL_UNAUTHENTICATED,
          });
        }
        break;
      }
      default:
        fail(this, 'exception', `cannot be rendered for ${this.mesh}, which has no mTLS mode resource`, 'configure transport encryption in the Cilium installation (WireGuard/IPsec) instead');
    }
    if (e.service && (e.mode === MtlsMode.DISABLE || e.mode === MtlsMode.PERMISSIVE)) this.exceptions.push({ services: [e.service], mode: e.mode });
    const plainPorts = ports.filter((p) => p.mode !== MtlsMode.STRICT).map((p) => p.port);
    if (e.mode === MtlsMode.PERMISSIVE || e.mode === MtlsMode.DISABLE) {
      // the whole workload takes plain text: its Service's ports, or every port of a bare selector
      this.admitPlainText(name, selector, e.service ? e.service.ports.map((p) => p.targetPort) : undefined);
    } else if (plainPorts.length > 0) {
      this.admitPlainText(name, selector, plainPorts);
    }
  }

  /**
   * A port that accepts plain text must also be let through the deny-by-default baseline, or the
   * exception changes nothing: clients without a proxy have no identity, so `allow-nothing` refuses
   * them, and `default-deny` drops their packets. Renders an Istio ALLOW policy for those ports of
   * the workload (any source) and a NetworkPolicy admitting any peer to them (every port when
   * `ports` is undefined).
   */
  private admitPlainText(name: string, selector: Record<string, string>, ports: number[] | undefined): void {
    if (!this.denyByDefault) return;
    const policyName = validateDnsLabel(this, 'exception.name', `${name}-plaintext`);
    const unique = ports && [...new Set(ports)].sort((a, b) => a - b);
    if (this.allowNothing) {
      new AuthorizationPolicy(this, `Exception-${name}-Allow`, {
        name: policyName, namespace: this.namespaceName, selector, rules: [unique ? { to: [{ ports: unique }] } : {}],
      });
    }
    if (this.defaultDeny) {
      const np = new NetworkPolicy(this, `Exception-${name}-Ingress`, { name: policyName, namespace: this.namespaceName, podSelector: selector });
      np.addIngress(unique ? { ports: unique.map((port) => ({ port })) } : {});
    }
  }

  private validatePlainText(): string[] {
    if (this.mesh !== Mesh.ISTIO || this.migration.mode !== MtlsMode.STRICT) return [];
    const excepted = new Set(this.exceptions.flatMap((x) => x.services.map((s) => s.serviceName)));
    return plainTextRules(this)
      .filter((r) => r.hostNamespace === this.namespaceName && !excepted.has(r.hostName))
      .map((r) => `${r.path}: ${r.where} is DISABLE for ${r.host}, but ${this.node.path} makes namespace ${this.namespaceName} STRICT, so the server sidecars refuse plain text (DISABLE does not bypass STRICT). Fix: use ClientTls.istioMutual() (or drop tls), or add a PERMISSIVE exception for that service with addException({ service, mode: MtlsMode.PERMISSIVE })`);
  }
}

/** A default exception name from its selector's label values (`{ app: 'legacy' }` → `legacy`). */
function nameFromSelector(selector: Record<string, string>): string {
  const name = Object.values(selector).join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  return name || 'exception';
}
