import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel } from '../core/names';
import { MeshService } from '../service/mesh-service';
import { isHttpProtocol } from '../service/protocol';
import { HttpMethod } from '../traffic/match';
import { AllowEntry } from './allow-entry';
import { Caller, CallerKind } from './caller';
import { renderCiliumAllow } from './cilium/authorization-renderer';
import { CiliumNetworkPolicy } from './cilium/cilium-network-policy';
import { AuthorizationPolicy } from './istio/authorization-policy';
import { renderIstioAllow } from './istio/authorization-renderer';
import { renderEgressNetworkPolicy, renderIngressNetworkPolicy } from './kubernetes/authorization-renderer';
import { NetworkPolicy } from './kubernetes/network-policy';
import { LinkerdAllowRenderer } from './linkerd/authorization-renderer';
import { RequestPath } from './request-path';
import { addMeshValidation } from '../core/validation-pass';

/** Props of a {@link ServiceAuthorization}. */
export interface ServiceAuthorizationProps {
  /**
   * Also render Kubernetes NetworkPolicies (defence in depth): ingress to each target from its
   * callers on the allowed ports, and egress from each caller service to its targets, DNS and the
   * mesh control plane. On Cilium the ingress allow is the CiliumNetworkPolicy alone (an L4
   * NetworkPolicy for the same peer and port would void its L7 rules); the callers' egress
   * NetworkPolicies are still rendered (they apply to the callers, not to the target's L7 rules).
   * @default true
   */
  readonly networkPolicies?: boolean;
}

/** One allow rule: `from` may call `to`, optionally only with these methods, paths and ports. */
export interface AllowOptions {
  /** The callers: MeshServices or {@link Caller}s. */
  readonly from: Array<MeshService | Caller>;
  /** The service being called. */
  readonly to: MeshService;
  /** @default - any method */
  readonly methods?: HttpMethod[];
  /** @default - any path */
  readonly paths?: RequestPath[];
  /**
   * Service ports the rule covers.
   * @default - every port of `to`
   */
  readonly ports?: number[];
  /**
   * A name for the rule, unique per target, used in Linkerd resource names.
   * @default `from-<first caller>`
   */
  readonly name?: string;
}

interface TargetState {
  readonly service: MeshService;
  readonly entries: AllowEntry[];
  readonly scope: Construct;
  linkerd?: LinkerdAllowRenderer;
}

/**
 * Service-to-service authorization from intent: one allow graph ("productpage may call reviews
 * with GET on /reviews/**"), rendered for the chart's mesh.
 *
 * - Istio: one ALLOW `AuthorizationPolicy` per target, principals `cluster.local/ns/<ns>/sa/<sa>`.
 * - Linkerd: `Server` per target port, `MeshTLSAuthentication` + `AuthorizationPolicy` per rule
 *   (with an `HTTPRoute` on the Server when methods or paths are limited).
 * - Cilium: one `CiliumNetworkPolicy` per target with L7 HTTP rules.
 * - Any mesh but Cilium (unless `networkPolicies: false`): Kubernetes `NetworkPolicy` ingress per target; on any mesh
 *   egress per caller service.
 *
 * Everything not allowed is denied once a target has a rule; pair it with {@link StrictMtlsNamespace}
 * for deny-by-default across the namespace.
 */
export class ServiceAuthorization extends Construct {
  public readonly mesh: Mesh;
  public readonly networkPolicies: boolean;
  private readonly targets = new Map<string, TargetState>();
  private readonly egress = new Map<string, { policy: NetworkPolicy; entries: AllowEntry[]; caller: Caller }>();

  public constructor(scope: Construct, id: string, props: ServiceAuthorizationProps = {}) {
    super(scope, id);
    this.mesh = meshOf(this);
    this.networkPolicies = props.networkPolicies ?? true;
    addMeshValidation(this, () => this.validateGraph());
  }

  /** Adds an allow rule. */
  public allow(options: AllowOptions): void {
    const target = options.to;
    if (!MeshService.isMeshService(target)) fail(this, 'to', `must be a MeshService, got ${quote(target)}`, 'pass the MeshService being called');
    if (!Array.isArray(options.from) || options.from.length === 0) fail(this, 'from', 'must list at least one caller', 'pass e.g. from: [productpage]');
    const callers = options.from.map((c, i) => {
      if (MeshService.isMeshService(c)) return Caller.service(c);
      if (c instanceof Caller) return c;
      return fail(this, `from[${i}]`, `must be a MeshService or a Caller, got ${quote(c)}`, 'use the MeshService, or Caller.serviceNamed("name"), Caller.serviceAccount(...), Caller.namespace(...)');
    });
    const ports = options.ports === undefined ? target.ports : options.ports.map((p) => target.port(p, this, 'ports'));
    if (options.ports !== undefined && options.ports.length === 0) fail(this, 'ports', 'is empty', 'leave ports out for every port of the service');
    options.methods?.forEach((m) => {
      if (!Object.values(HttpMethod).includes(m)) fail(this, 'methods', `has ${quote(m)}, which is not an HttpMethod`, 'use HttpMethod.GET, ...');
    });
    options.paths?.forEach((p) => {
      if (!(p instanceof RequestPath)) fail(this, 'paths', `has ${quote(p)}, which is not a RequestPath`, 'use RequestPath.prefix("/reviews") or RequestPath.exact("/health")');
    });
    const l7 = Boolean(options.methods?.length || options.paths?.length);
    const tcp = ports.filter((p) => !isHttpProtocol(p.protocol));
    if (l7 && tcp.length) {
      fail(this, 'methods', `or paths need HTTP ports, but ${target.serviceName} port ${tcp.map((p) => `${p.name}(${p.port})`).join(', ')} is not HTTP`, 'restrict the rule to HTTP ports with ports: [...], or drop methods and paths');
    }
    if (l7 && this.mesh === Mesh.GATEWAY_API) {
      fail(this, 'methods', `cannot be enforced for ${this.mesh}: the Gateway API has no authorization resource, only Kubernetes NetworkPolicies (L4) are rendered`, 'use Mesh.ISTIO, Mesh.LINKERD or Mesh.CILIUM, or drop methods and paths');
    }
    if (this.mesh === Mesh.GATEWAY_API && !this.networkPolicies) {
      fail(this, 'networkPolicies', `is false, and ${this.mesh} has no authorization resource: nothing would be rendered`, 'keep networkPolicies: true or use Mesh.ISTIO, Mesh.LINKERD or Mesh.CILIUM');
    }

    const state = this.target(target);
    const name = validateDnsLabel(this, 'name', options.name ?? `from-${callers[0].name}`);
    if (state.entries.some((e) => e.name === name)) {
      fail(this, 'name', `${quote(name)} is already a rule for ${target.serviceName}`, 'give the rule a unique name: allow({ ..., name: "..." })');
    }
    const entry = AllowEntry._create({
      name,
      callers,
      target,
      ports,
      allPorts: options.ports === undefined,
      methods: options.methods,
      paths: options.paths,
      owner: this,
    });
    state.entries.push(entry);
    if (this.mesh === Mesh.LINKERD) {
      state.linkerd ??= new LinkerdAllowRenderer(state.scope, target);
      state.linkerd.add(entry);
    }
    if (this.networkPolicies) {
      for (const c of callers.filter((x) => x.kind === CallerKind.SERVICE)) this.addEgress(c, entry);
    }
  }

  /** The allow rules (a copy). */
  public get rules(): AllowEntry[] {
    return [...this.targets.values()].flatMap((t) => t.entries);
  }

  /** The Istio AuthorizationPolicies rendered (Istio only). */
  public get istioPolicies(): AuthorizationPolicy[] {
    return this.node.findAll().filter((c): c is AuthorizationPolicy => c instanceof AuthorizationPolicy);
  }

  /** The CiliumNetworkPolicies rendered (Cilium only). */
  public get ciliumPolicies(): CiliumNetworkPolicy[] {
    return this.node.findAll().filter((c): c is CiliumNetworkPolicy => c instanceof CiliumNetworkPolicy);
  }

  /** The Kubernetes NetworkPolicies rendered. */
  public get kubernetesNetworkPolicies(): NetworkPolicy[] {
    return this.node.findAll().filter((c): c is NetworkPolicy => c instanceof NetworkPolicy);
  }

  private target(service: MeshService): TargetState {
    const key = `${service.namespace}/${service.serviceName}`;
    let state = this.targets.get(key);
    if (state) return state;
    const scope = new Construct(this, `${service.namespace}-${service.serviceName}`);
    const s: TargetState = { service, entries: [], scope };
    const entries = () => s.entries;
    if (this.mesh === Mesh.ISTIO) renderIstioAllow(scope, service, entries);
    if (this.mesh === Mesh.CILIUM) renderCiliumAllow(scope, service, entries);
    // On Cilium the CiliumNetworkPolicy is the ingress allow: an L4 NetworkPolicy for the same
    // peer and port beside its L7 rules would make them have no effect (Cilium, "Layer 7 Policies").
    if (this.networkPolicies && this.mesh !== Mesh.CILIUM) renderIngressNetworkPolicy(scope, service, entries);
    this.targets.set(key, s);
    return s;
  }

  private addEgress(caller: Caller, entry: AllowEntry): void {
    const namespace = caller._namespace(this);
    const key = `${namespace}/${caller.name}`;
    let e = this.egress.get(key);
    if (!e) {
      const entries: AllowEntry[] = [];
      const name = caller._service?._names.egressNetworkPolicy ?? `${caller.name}-egress`;
      const policy = renderEgressNetworkPolicy(this, `egress-${namespace}-${caller.name}`, name, namespace, this.mesh,
        () => caller._resolve(this, this, `allow ${entry.name} from`).podLabels!, () => entries);
      e = { policy, entries, caller };
      this.egress.set(key, e);
    }
    e.entries.push(entry);
  }

  private validateGraph(): string[] {
    const errors: string[] = [];
    // callers named by string must exist (a misspelt caller fails here, before rendering)
    for (const entry of this.rules) {
      try {
        for (const c of entry.resolve()) {
          if (this.networkPolicies && c.serviceAccount && !c.podLabels) {
            errors.push(`${this.node.path}: allow ${entry.name} from names the ServiceAccount ${c.namespace}/${c.serviceAccount} without podLabels; Kubernetes NetworkPolicy selects pods by label. `
              + 'Fix: pass Caller.serviceAccount(name, { podLabels: {...} }), or networkPolicies: false');
          }
        }
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    // a caller named by string is found only now: its chosen egress NetworkPolicy name came too late
    for (const { policy, caller } of this.egress.values()) {
      if (caller._service) continue;
      let chosen: string | undefined;
      try {
        chosen = caller._resolve(this).service?._names.egressNetworkPolicy;
      } catch {
        continue; // an unknown caller is reported above
      }
      if (chosen && chosen !== policy.name) {
        errors.push(`${this.node.path}: from ${caller.name} names the caller by name (Caller.serviceNamed), so its egress NetworkPolicy is ${policy.name}, not the name its MeshService chose (names.egressNetworkPolicy: ${chosen}). `
          + 'Fix: pass the MeshService with Caller.service(...), whose names are known when the rule is added');
      }
    }
    // two allow graphs rendering policies for the same target would emit duplicate objects
    const mine = new Set(this.targets.keys());
    for (const other of this.node.root.node.findAll()) {
      if (other === this || !(other instanceof ServiceAuthorization)) continue;
      if (this.node.path > other.node.path) continue;
      for (const key of other.targets.keys()) {
        if (mine.has(key)) {
          errors.push(`${this.node.path}: to ${key} also has allow rules in ${other.node.path}, which would render a second policy of the same name. Fix: keep all rules for a service in one ServiceAuthorization`);
        }
      }
      if (this.networkPolicies && other.networkPolicies) {
        for (const key of other.egress.keys()) {
          if (this.egress.has(key)) {
            errors.push(`${this.node.path}: from ${key} is also a caller in ${other.node.path}; both would render the NetworkPolicy ${this.egress.get(key)!.policy.name}. Fix: keep a caller's rules in one ServiceAuthorization, or set networkPolicies: false on one of them`);
          }
        }
      }
    }
    return errors;
  }
}
