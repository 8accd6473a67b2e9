import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import type { MeshService } from '../../service/mesh-service';
import { Protocol } from '../../service/protocol';
import type { ServicePort } from '../../service/service-port';
import { AllowEntry, isL7 } from '../allow-entry';
import { MeshTlsAuthentication } from './authentication';
import { LinkerdAuthorizationPolicy, LinkerdPolicyTarget } from './authorization-policy';
import { LinkerdServerRoute, ServerRouteMatch } from './http-route';
import { LinkerdAccessPolicy, LinkerdServer, LinkerdProxyProtocol, sharedServer } from './server';

const PROXY_PROTOCOL: Partial<Record<Protocol, LinkerdProxyProtocol>> = {
  [Protocol.HTTP]: LinkerdProxyProtocol.HTTP1,
  [Protocol.HTTP2]: LinkerdProxyProtocol.HTTP2,
  [Protocol.GRPC]: LinkerdProxyProtocol.GRPC,
};

/**
 * Renders allow rules for one target as Linkerd policy: a `Server` per target port
 * (`<service>-<port name>`, access policy deny) and, per rule and port, a `MeshTLSAuthentication`
 * of the callers' ServiceAccounts plus an `AuthorizationPolicy` targeting the Server — or, when the
 * rule limits methods or paths, an `HTTPRoute` on the Server with those matches and a policy
 * targeting the route.
 */
export class LinkerdAllowRenderer {
  private readonly servers = new Map<number, LinkerdServer>();
  private readonly forms = new Map<number, { l7: boolean; entry: string }>();

  public constructor(private readonly scope: Construct, private readonly target: MeshService) {}

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
    const base = `${this.target.serviceName}-${port.name}-${e.name}`;
    const id = `${port.name}-${e.name}`;
    const auth = new MeshTlsAuthentication(this.scope, `MeshTLSAuthentication-${id}`, { name: base, namespace: this.target.namespace });
    auth._addServiceAccountSource(() => e.resolve().map((c) => ({ name: c.serviceAccount, namespace: c.namespace })));
    let target = LinkerdPolicyTarget.server(server);
    if (isL7(e)) {
      const methods = e.methods?.length ? e.methods : [undefined];
      const paths = e.paths?.length ? e.paths : [undefined];
      const matches: ServerRouteMatch[] = methods.flatMap((method) => paths.map((path) => ({ method, path })));
      const route = new LinkerdServerRoute(this.scope, `HTTPRoute-${id}`, { name: base, namespace: this.target.namespace, server, matches });
      target = LinkerdPolicyTarget.route(route);
    }
    new LinkerdAuthorizationPolicy(this.scope, `AuthorizationPolicy-${id}`, {
      name: base,
      namespace: this.target.namespace,
      target,
      requiredAuthentications: [auth],
    });
  }
}
