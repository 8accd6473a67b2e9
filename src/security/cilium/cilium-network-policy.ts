import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/cilium.io';
import { fail, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { HttpMethod } from '../../traffic/match';
import { RequestPath } from '../request-path';
import { validateSelector } from '../selector';

/** Cilium's label for a pod's namespace. */
export const CILIUM_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';
/** Cilium's label for a pod's ServiceAccount. */
export const CILIUM_SERVICE_ACCOUNT_LABEL = 'k8s:io.cilium.k8s.policy.serviceaccount';

/** Transport protocols of a Cilium port rule. */
export enum CiliumProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  ANY = 'ANY',
}

/** Special peers Cilium knows by name (`fromEntities` / `toEntities`). */
export enum CiliumEntity {
  CLUSTER = 'cluster',
  HOST = 'host',
  KUBE_APISERVER = 'kube-apiserver',
  WORLD = 'world',
}

/** Pods a rule admits: by labels, optionally in another namespace. */
export interface CiliumEndpoints {
  /**
   * The pod labels (`app: productpage`, or Cilium labels such as the ServiceAccount label).
   * @default - every pod of the namespace
   */
  readonly labels?: Record<string, string>;
  /**
   * The pods' namespace.
   * @default - the policy's namespace
   */
  readonly namespace?: string;
}

/** An L7 HTTP rule: requests allowed on the rule's ports. Method and path are POSIX regexes. */
export interface CiliumHttpRule {
  /** @default - any method */
  readonly method?: HttpMethod;
  /** @default - any path */
  readonly path?: RequestPath;
  /** Required headers, as `Name: value` or just `Name`. @default - none */
  readonly headers?: string[];
}

/** One ingress or egress rule of a {@link CiliumNetworkPolicy}. */
export interface CiliumRule {
  /** Peers by labels. @default - none */
  readonly endpoints?: CiliumEndpoints[];
  /** Peers by entity. @default - none */
  readonly entities?: CiliumEntity[];
  /** Ports (numbers) the rule allows. @default - all ports */
  readonly ports?: number[];
  /** @default CiliumProtocol.TCP */
  readonly protocol?: CiliumProtocol;
  /** L7 HTTP rules on those ports (needs ports). @default - no L7 filtering */
  readonly http?: CiliumHttpRule[];
  /** DNS names the peer may resolve (egress to DNS servers only; needs ports). @default - no DNS filtering */
  readonly dnsMatchPatterns?: string[];
}

/** Props of a {@link CiliumNetworkPolicy}. */
export interface CiliumNetworkPolicyProps extends MeshResourceProps {
  /** The pods the policy applies to. */
  readonly endpointSelector: Record<string, string>;
  /** @default - none */
  readonly description?: string;
  /**
   * Whether the policy puts the pods it selects into default deny for the directions it has
   * rules for (Cilium's `enableDefaultDeny`). `false` makes the policy purely additive: it allows
   * what its rules say and leaves the pods' posture to the other policies that select them.
   * @default true
   */
  readonly defaultDeny?: boolean;
}

/**
 * A `CiliumNetworkPolicy` (cilium.io/v2). Once a policy with ingress (egress) rules selects a pod,
 * everything else in that direction is denied; the rules allow peers, ports and, with `http`, L7
 * requests (enforced by Cilium's Envoy).
 */
export class CiliumNetworkPolicy extends MeshResource {
  /** Cilium's label for a pod's namespace (`CILIUM_NAMESPACE_LABEL`). */
  public static readonly NAMESPACE_LABEL = CILIUM_NAMESPACE_LABEL;
  /** Cilium's label for a pod's ServiceAccount (`CILIUM_SERVICE_ACCOUNT_LABEL`). */
  public static readonly SERVICE_ACCOUNT_LABEL = CILIUM_SERVICE_ACCOUNT_LABEL;
  public readonly apiObject: ApiObject;
  public readonly endpointSelector: Record<string, string>;
  private readonly ingress: l1.CiliumNetworkPolicySpecIngress[] = [];
  private readonly egress: l1.CiliumNetworkPolicySpecEgress[] = [];
  private readonly description?: string;
  private readonly defaultDeny: boolean;
  private readonly ingressSources: Array<() => CiliumRule[]> = [];

  public constructor(scope: Construct, id: string, props: CiliumNetworkPolicyProps) {
    super(scope, id, props);
    this.endpointSelector = validateSelector(this, 'endpointSelector', props.endpointSelector, { cilium: true });
    this.description = props.description;
    this.defaultDeny = props.defaultDeny ?? true;
    this.apiObject = new l1.CiliumNetworkPolicy(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.CiliumNetworkPolicySpec,
    });
  }

  /** Allows traffic into the selected pods. */
  public addIngress(rule: CiliumRule): void {
    const r = this.rule(`ingress[${this.ingress.length}]`, rule, 'ingress');
    this.ingress.push({ fromEndpoints: r.endpoints, fromEntities: r.entities, toPorts: r.toPorts } as l1.CiliumNetworkPolicySpecIngress);
  }

  /** Allows traffic out of the selected pods. */
  public addEgress(rule: CiliumRule): void {
    const r = this.rule(`egress[${this.egress.length}]`, rule, 'egress');
    this.egress.push({ toEndpoints: r.endpoints, toEntities: r.entities, toPorts: r.toPorts } as l1.CiliumNetworkPolicySpecEgress);
  }

  /** @internal lets an intent construct supply ingress rules computed at synth time (validated when rendered) */
  public _addIngressSource(rules: () => CiliumRule[]): void {
    this.ingressSources.push(rules);
  }

  private rule(prop: string, rule: CiliumRule, direction: 'ingress' | 'egress') {
    if (!rule.endpoints?.length && !rule.entities?.length) {
      fail(this, prop, 'names no peer', 'give endpoints (pod labels) or entities; an allow-all rule is rarely what zero trust wants');
    }
    const endpoints = rule.endpoints?.map((e, i) => {
      const labels = e.labels === undefined ? {} : validateSelector(this, `${prop}.endpoints[${i}].labels`, e.labels, { cilium: true });
      const ns = validateDnsLabel(this, `${prop}.endpoints[${i}].namespace`, e.namespace ?? this.namespace ?? 'default');
      return { matchLabels: { ...labels, [CILIUM_NAMESPACE_LABEL]: ns } };
    });
    rule.entities?.forEach((e) => {
      if (!Object.values(CiliumEntity).includes(e)) fail(this, `${prop}.entities`, `has ${quote(e)}, which is not a CiliumEntity`, 'use CiliumEntity.CLUSTER, ...');
    });
    const protocol = rule.protocol ?? CiliumProtocol.TCP;
    if ((rule.http || rule.dnsMatchPatterns) && !rule.ports?.length) fail(this, `${prop}.ports`, 'are needed for L7 rules', 'list the ports the HTTP or DNS rules apply to');
    if (rule.http && rule.dnsMatchPatterns) fail(this, `${prop}.http`, 'cannot be combined with dnsMatchPatterns in one rule', 'split them into two rules');
    if (rule.dnsMatchPatterns && direction !== 'egress') fail(this, `${prop}.dnsMatchPatterns`, 'only apply to egress', 'move them to addEgress()');
    if (rule.http && protocol === CiliumProtocol.UDP) fail(this, `${prop}.protocol`, 'is UDP, which cannot carry HTTP rules', 'use CiliumProtocol.TCP');
    rule.ports?.forEach((p) => {
      if (!Number.isInteger(p) || p < 1 || p > 65535) fail(this, `${prop}.ports`, `has ${quote(p)}, which is not a port number`, 'use 1-65535');
    });
    if (rule.http !== undefined && rule.http.length === 0) fail(this, `${prop}.http`, 'is empty', 'leave it out for L4-only rules');
    const http = rule.http?.map((h, i) => {
      if (h.method !== undefined && !Object.values(HttpMethod).includes(h.method)) fail(this, `${prop}.http[${i}].method`, `must be an HttpMethod, got ${quote(h.method)}`, 'use HttpMethod.GET, ...');
      if (h.path !== undefined && !(h.path instanceof RequestPath)) fail(this, `${prop}.http[${i}].path`, `must be a RequestPath, got ${quote(h.path)}`, 'use RequestPath.prefix("/api")');
      return { method: h.method, path: h.path?.toRegex(), headers: h.headers ? [...h.headers] : undefined };
    });
    const toPorts = rule.ports?.length ? [{
      ports: rule.ports.map((p) => ({ port: String(p), protocol: protocol as unknown as l1.CiliumNetworkPolicySpecIngressToPortsPortsProtocol })),
      rules: http ? { http } : rule.dnsMatchPatterns ? { dns: rule.dnsMatchPatterns.map((m) => ({ matchPattern: m })) } : undefined,
    }] : undefined;
    return { endpoints, entities: rule.entities ? [...rule.entities] : undefined, toPorts };
  }

  /** @internal */
  public _toKube(): l1.CiliumNetworkPolicySpec {
    const ingress = [...this.ingress];
    for (const rule of this.ingressSources.flatMap((src) => src())) {
      const r = this.rule(`ingress[${ingress.length}]`, rule, 'ingress');
      ingress.push({ fromEndpoints: r.endpoints, fromEntities: r.entities, toPorts: r.toPorts } as l1.CiliumNetworkPolicySpecIngress);
    }
    return {
      description: this.description,
      endpointSelector: { matchLabels: this.endpointSelector },
      enableDefaultDeny: this.defaultDeny ? undefined : { ingress: false, egress: false },
      ingress: ingress.length ? ingress : undefined,
      egress: this.egress.length ? this.egress : undefined,
    } as l1.CiliumNetworkPolicySpec;
  }
}
