import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { onProbePath, probePathsOf } from '../../core/probe-paths';
import { HttpMethod } from '../../traffic/match';
import type { MeshService } from '../../service/mesh-service';
import { Protocol } from '../../service/protocol';
import type { ServicePort } from '../../service/service-port';
import { AllowEntry, isL7 } from '../allow-entry';
import { RequestPath } from '../request-path';
import { ANY_NETWORK, ILinkerdAuthentication, MeshTlsAuthentication, NetworkAuthentication } from './authentication';
import { LinkerdAuthorizationPolicy, LinkerdPolicyTarget } from './authorization-policy';
import { LinkerdServerRoute, ServerRouteMatch } from './http-route';
import { RouteAtom, routeGroups } from './route-groups';
import { LinkerdAccessPolicy, LinkerdServer, LinkerdProxyProtocol, sharedServer } from './server';

const PROXY_PROTOCOL: Partial<Record<Protocol, LinkerdProxyProtocol>> = {
  [Protocol.HTTP]: LinkerdProxyProtocol.HTTP1,
  [Protocol.HTTP2]: LinkerdProxyProtocol.HTTP2,
  [Protocol.GRPC]: LinkerdProxyProtocol.GRPC,
};

/**
 * Renders allow rules for one target as Linkerd policy: a `Server` per target port
 * (`names.linkerdServers`, by default `<service>-<port name>`; access policy deny) and, per rule and port, a `MeshTLSAuthentication`
 * of the callers' ServiceAccounts plus an `AuthorizationPolicy` targeting the Server. Rules that
 * limit methods or paths become `HTTPRoute`s on the Server instead, one per distinct set of rules
 * a request can fall under, whose policy admits the callers of all of them: Linkerd checks only
 * the one route a request selects.
 */
export class LinkerdAllowRenderer {
  private readonly servers = new Map<number, LinkerdServer>();
  private readonly forms = new Map<number, { l7: boolean; entry: string }>();
  private readonly l7 = new Map<number, AllowEntry[]>();
  private readonly routeIds = new Map<number, string[]>();
  private readonly l7Ports = new Map<number, ServicePort>();

  public constructor(private readonly scope: Construct, private readonly target: MeshService) {
    // a probe path declared after the rules (ServiceWorkloads built later) re-renders the routes
    onProbePath(target, () => {
      for (const [n, port] of this.l7Ports) this.renderRoutes(this.server(port), port, this.l7.get(n) ?? []);
    });
  }

  /** The Servers created so far, by service port. */
  public get serverList(): LinkerdServer[] {
    return [...this.servers.values()];
  }

  public add(e: AllowEntry): void {
    for (const port of e.ports) {
      const form = this.forms.get(port.port);
      if (form && form.l7 !== isL7(e)) {
        fail(e.owner, `allow ${e.name}`, `${isL7(e) ? 'limits' : 'does not limit'} methods or paths on ${this.target.serviceName} port ${port.port}, but rule ${form.entry} ${form.l7 ? 'does' : 'does not'}; Linkerd authorizes either whole Servers or HTTPRoutes of a Server, and once a Server has routes only routed requests pass`,
          'give every rule on that port paths (RequestPath.prefix("/") for all paths) or none');
      }
      this.forms.set(port.port, { l7: isL7(e), entry: e.name });
      this.addForPort(e, port);
    }
  }

  private server(port: ServicePort): LinkerdServer {
    let server = this.servers.get(port.port);
    if (!server) {
      server = sharedServer(this.scope, `Server-${port.name}`, this.scope, 'allow', this.target, port,
        { proxyProtocol: PROXY_PROTOCOL[port.protocol], accessPolicy: LinkerdAccessPolicy.DENY, decidesAccess: true });
      this.servers.set(port.port, server);
    }
    return server;
  }

  private addForPort(e: AllowEntry, port: ServicePort): void {
    const server = this.server(port);
    if (isL7(e)) {
      const rules = [...(this.l7.get(port.port) ?? []), e];
      this.l7.set(port.port, rules);
      this.l7Ports.set(port.port, port);
      this.renderRoutes(server, port, rules);
      return;
    }
    const base = `${server.name}-${e.name}`;
    const id = `${port.name}-${e.name}`;
    const auth = new MeshTlsAuthentication(this.scope, `MeshTLSAuthentication-${id}`, { name: base, namespace: this.target.namespace });
    auth._addServiceAccountSource(() => e.resolve().map((c) => ({ name: c.serviceAccount, namespace: c.namespace })));
    new LinkerdAuthorizationPolicy(this.scope, `AuthorizationPolicy-${id}`, {
      name: base,
      namespace: this.target.namespace,
      target: LinkerdPolicyTarget.server(server),
      requiredAuthentications: [auth],
    });
  }

  /**
   * (Re)renders the per-route rules of a port: one HTTPRoute per distinct set of rules, each with
   * a MeshTLSAuthentication of all their callers and a policy on the route (see routeGroups).
   * Rules arrive one by one and a new rule can split existing routes, so the port's routes are
   * rebuilt on each rule.
   *
   * The workloads' HTTP probe paths on the port take part as one more rule: Linkerd authorizes
   * the kubelet's probes by itself only on Servers without HTTPRoutes, so the route a probe
   * selects also gets a policy admitting Linkerd's default probe networks (any address, as
   * `policyController.probeNetworks` defaults to) — GET on those exact paths only.
   */
  private renderRoutes(server: LinkerdServer, port: ServicePort, rules: AllowEntry[]): void {
    for (const id of this.routeIds.get(port.port) ?? []) this.scope.node.tryRemoveChild(id);
    const ids: string[] = [];
    const probePaths = probePathsOf(this.target, port.port);
    const items: Array<{ rule: AllowEntry | undefined; atoms: RouteAtom[] }> = rules.map((e) => ({
      rule: e,
      atoms: (e.methods?.length ? e.methods : [undefined]).flatMap((method) => (e.paths?.length ? e.paths : [undefined]).map((path): RouteAtom => ({ method, path }))),
    }));
    // undefined stands for the kubelet
    if (probePaths.length > 0) items.push({ rule: undefined, atoms: probePaths.map((p) => ({ method: HttpMethod.GET, path: RequestPath.exact(p) })) });
    for (const g of routeGroups(items)) {
      const allowed = g.rules.filter((e): e is AllowEntry => e !== undefined);
      const probes = allowed.length < g.rules.length;
      const names = [...allowed.map((e) => e.name), ...(probes ? ['probes'] : [])].join('-');
      const name = dnsLabel(`${server.name}-${names}`);
      const id = `${port.name}-${names}`;
      let auth: MeshTlsAuthentication | undefined;
      if (allowed.length > 0) {
        auth = new MeshTlsAuthentication(this.scope, `MeshTLSAuthentication-${id}`, { name, namespace: this.target.namespace });
        for (const e of allowed) auth._addServiceAccountSource(() => e.resolve().map((c) => ({ name: c.serviceAccount, namespace: c.namespace })));
        ids.push(`MeshTLSAuthentication-${id}`);
      }
      const route = new LinkerdServerRoute(this.scope, `HTTPRoute-${id}`, { name, namespace: this.target.namespace, server, matches: g.atoms as ServerRouteMatch[] });
      ids.push(`HTTPRoute-${id}`);
      const policy = (suffix: string, authentication: ILinkerdAuthentication): void => {
        new LinkerdAuthorizationPolicy(this.scope, `AuthorizationPolicy-${id}${suffix}`, {
          name: dnsLabel(`${name}${suffix}`), namespace: this.target.namespace, target: LinkerdPolicyTarget.route(route), requiredAuthentications: [authentication],
        });
        ids.push(`AuthorizationPolicy-${id}${suffix}`);
      };
      if (auth) policy('', auth);
      if (probes) {
        // policies on one route are alternatives: the callers' one and the kubelet's one
        const suffix = allowed.length > 0 ? '-kubelet' : '';
        const kubelet = new NetworkAuthentication(this.scope, `NetworkAuthentication-${id}${suffix}`, {
          name: dnsLabel(`${name}${suffix}`), namespace: this.target.namespace, networks: ANY_NETWORK,
        });
        ids.push(`NetworkAuthentication-${id}${suffix}`);
        policy(suffix, kubelet);
      }
    }
    this.routeIds.set(port.port, ids);
  }
}

/** A name of at most 63 characters: longer ones keep a prefix and a hash of the whole. */
function dnsLabel(name: string): string {
  if (name.length <= 63) return name;
  return `${name.slice(0, 54).replace(/-+$/, '')}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}
