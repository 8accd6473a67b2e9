import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { validateSelector } from '../selector';

/** The label Kubernetes puts on every namespace with its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Directions a NetworkPolicy isolates. */
export enum NetworkPolicyDirection {
  INGRESS = 'Ingress',
  EGRESS = 'Egress',
}

/** Transport protocols of a NetworkPolicy port. */
export enum NetworkProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** Options of {@link NetworkPeer.pods}. */
export interface PodPeerOptions {
  /** @default - the policy's namespace */
  readonly namespace?: string;
}

/**
 * A peer of a NetworkPolicy rule.
 *
 * @example
 * NetworkPeer.pods({ app: 'productpage' })
 * NetworkPeer.pods({ 'k8s-app': 'kube-dns' }, { namespace: 'kube-system' })
 * NetworkPeer.namespace('istio-system')
 */
export class NetworkPeer {
  /** The label Kubernetes puts on every namespace with its name (`NAMESPACE_NAME_LABEL`). */
  public static readonly NAMESPACE_NAME_LABEL = NAMESPACE_NAME_LABEL;
  /** Pods with these labels, in the policy's namespace or another one. */
  public static pods(labels: Record<string, string>, options: PodPeerOptions = {}): NetworkPeer {
    const l = validateSelector('NetworkPeer.pods', 'labels', labels);
    const ns = options.namespace === undefined ? undefined : validateDnsLabel('NetworkPeer.pods', 'namespace', options.namespace);
    return new NetworkPeer({ podSelector: { matchLabels: l }, namespaceSelector: ns ? { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } : undefined });
  }

  /** Every pod of a namespace. */
  public static namespace(name: string): NetworkPeer {
    validateDnsLabel('NetworkPeer.namespace', 'name', name);
    return new NetworkPeer({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });
  }

  /** An IP range (for peers outside the cluster). */
  public static ipBlock(cidr: string, except: string[] = []): NetworkPeer {
    const ok = (c: string) => typeof c === 'string' && /^((\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/.test(c);
    for (const c of [cidr, ...except]) if (!ok(c)) fail('NetworkPeer.ipBlock', 'cidr', `must be a CIDR, got ${quote(c)}`, 'use e.g. "10.0.0.0/8"');
    return new NetworkPeer({ ipBlock: { cidr, except: except.length ? [...except] : undefined } });
  }

  private constructor(private readonly peer: k8s.NetworkPolicyPeer) {}

  /** @internal */
  public _render(): k8s.NetworkPolicyPeer {
    return this.peer;
  }
}

/** A port of a NetworkPolicy rule. */
export interface NetworkPolicyPortSpec {
  /** The pod (container) port. */
  readonly port: number;
  /** @default NetworkProtocol.TCP */
  readonly protocol?: NetworkProtocol;
}

/** One rule: traffic from/to any of `peers` on any of `ports`. */
export interface NetworkPolicyRule {
  /** @default - any peer */
  readonly peers?: NetworkPeer[];
  /** @default - every port */
  readonly ports?: NetworkPolicyPortSpec[];
}

/** Props of a {@link NetworkPolicy}. */
export interface NetworkPolicyProps extends MeshResourceProps {
  /**
   * The pods the policy applies to.
   * @default - every pod of the namespace
   */
  readonly podSelector?: Record<string, string>;
  /**
   * The directions to isolate even without rules (a default deny).
   * @default - the directions that have rules, or Ingress
   */
  readonly isolate?: NetworkPolicyDirection[];
}

/**
 * A Kubernetes `NetworkPolicy` (networking.k8s.io/v1): L3/L4 defence in depth beneath the mesh.
 * Ports sit inside each rule; a pod selected by any policy for a direction accepts only what some
 * rule allows.
 */
export class NetworkPolicy extends MeshResource {
  public readonly apiObject: ApiObject;
  private readonly podSelector?: Record<string, string>;
  private podSelectorSource?: () => Record<string, string>;
  private readonly isolate: NetworkPolicyDirection[];
  private readonly ingress: k8s.NetworkPolicyIngressRule[] = [];
  private readonly egress: k8s.NetworkPolicyEgressRule[] = [];
  private readonly sources: Array<{ direction: NetworkPolicyDirection; rules: () => NetworkPolicyRule[] }> = [];

  public constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    super(scope, id, props);
    this.podSelector = props.podSelector === undefined ? undefined : validateSelector(this, 'podSelector', props.podSelector);
    (props.isolate ?? []).forEach((d) => {
      if (!Object.values(NetworkPolicyDirection).includes(d)) fail(this, 'isolate', `has ${quote(d)}, which is not a NetworkPolicyDirection`, 'use NetworkPolicyDirection.INGRESS or EGRESS');
    });
    this.isolate = [...(props.isolate ?? [])];
    this.apiObject = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as k8s.NetworkPolicySpec,
    });
  }

  /** Allows traffic into the selected pods. */
  public addIngress(rule: NetworkPolicyRule): void {
    const r = this.rule(`ingress[${this.ingress.length}]`, rule);
    this.ingress.push({ from: r.peers, ports: r.ports });
  }

  /** Allows traffic out of the selected pods. */
  public addEgress(rule: NetworkPolicyRule): void {
    const r = this.rule(`egress[${this.egress.length}]`, rule);
    this.egress.push({ to: r.peers, ports: r.ports });
  }

  /** @internal lets an intent construct supply the pod selector at synth time (when the policy was created without one) */
  public _usePodSelector(source: () => Record<string, string>): void {
    if (this.podSelector) fail(this, 'podSelector', 'is already set', 'set the pod selector once');
    this.podSelectorSource = source;
  }

  /** @internal lets an intent construct supply rules computed at synth time (validated when rendered) */
  public _addRuleSource(direction: NetworkPolicyDirection, rules: () => NetworkPolicyRule[]): void {
    this.sources.push({ direction, rules });
  }

  private rule(prop: string, rule: NetworkPolicyRule) {
    if (rule.peers !== undefined && (!Array.isArray(rule.peers) || rule.peers.length === 0 || rule.peers.some((p) => !(p instanceof NetworkPeer)))) {
      fail(this, `${prop}.peers`, `must be a non-empty list of NetworkPeer, got ${quote(rule.peers)}`, 'use NetworkPeer.pods(...), or leave peers out for any peer');
    }
    if (rule.ports !== undefined && (!Array.isArray(rule.ports) || rule.ports.length === 0)) fail(this, `${prop}.ports`, 'must be a non-empty list when given', 'leave ports out for every port');
    const ports = rule.ports?.map((p, i) => {
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) fail(this, `${prop}.ports[${i}].port`, `must be a port number, got ${quote(p.port)}`, 'use the container port, 1-65535');
      if (p.protocol !== undefined && !Object.values(NetworkProtocol).includes(p.protocol)) fail(this, `${prop}.ports[${i}].protocol`, `must be a NetworkProtocol, got ${quote(p.protocol)}`, 'use NetworkProtocol.TCP or UDP');
      return { port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? NetworkProtocol.TCP };
    });
    return { peers: rule.peers?.map((p) => p._render()), ports };
  }

  /** The directions the policy isolates. */
  public get policyTypes(): NetworkPolicyDirection[] {
    const types = new Set(this.isolate);
    if (this.ingress.length) types.add(NetworkPolicyDirection.INGRESS);
    if (this.egress.length) types.add(NetworkPolicyDirection.EGRESS);
    for (const s of this.sources) types.add(s.direction);
    if (types.size === 0) types.add(NetworkPolicyDirection.INGRESS);
    return [NetworkPolicyDirection.INGRESS, NetworkPolicyDirection.EGRESS].filter((d) => types.has(d));
  }

  /** @internal */
  public _toKube(): k8s.NetworkPolicySpec {
    const ingress = [...this.ingress];
    const egress = [...this.egress];
    for (const s of this.sources) {
      for (const rule of s.rules()) {
        if (s.direction === NetworkPolicyDirection.INGRESS) {
          const r = this.rule(`ingress[${ingress.length}]`, rule);
          ingress.push({ from: r.peers, ports: r.ports });
        } else {
          const r = this.rule(`egress[${egress.length}]`, rule);
          egress.push({ to: r.peers, ports: r.ports });
        }
      }
    }
    return {
      podSelector: this.podSelectorSource ? { matchLabels: validateSelector(this, 'podSelector', this.podSelectorSource()) }
        : this.podSelector ? { matchLabels: this.podSelector } : {},
      policyTypes: this.policyTypes,
      ingress: ingress.length ? ingress : undefined,
      egress: egress.length ? egress : undefined,
    };
  }
}
