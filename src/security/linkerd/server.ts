import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as l1 from '../../../imports/policy.linkerd.io';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { validateSelector } from '../selector';
import { isPortName } from '../../core/names';

/** How Linkerd's inbound proxy treats a Server's traffic (`proxyProtocol`). */
export enum LinkerdProxyProtocol {
  UNKNOWN = 'unknown',
  HTTP1 = 'HTTP/1',
  HTTP2 = 'HTTP/2',
  GRPC = 'gRPC',
  OPAQUE = 'opaque',
  TLS = 'TLS',
}

/** The policy for traffic no AuthorizationPolicy authorizes (Linkerd default inbound policies). */
export enum LinkerdAccessPolicy {
  DENY = 'deny',
  ALL_AUTHENTICATED = 'all-authenticated',
  CLUSTER_AUTHENTICATED = 'cluster-authenticated',
  ALL_UNAUTHENTICATED = 'all-unauthenticated',
  CLUSTER_UNAUTHENTICATED = 'cluster-unauthenticated',
  /** Allow, but flag the requests in logs and metrics. */
  AUDIT = 'audit',
}

/** Props of a {@link LinkerdServer}. */
export interface LinkerdServerProps extends MeshResourceProps {
  /** The pods (in the Server's namespace) the Server covers. */
  readonly podSelector: Record<string, string>;
  /** The pod (container) port, by number or name. */
  readonly port: number | string;
  /** @default - detected (`unknown`) */
  readonly proxyProtocol?: LinkerdProxyProtocol;
  /** @default LinkerdAccessPolicy.DENY */
  readonly accessPolicy?: LinkerdAccessPolicy;
}

/**
 * A Linkerd `Server` (policy.linkerd.io/v1beta3): a port of a set of pods that authorization
 * policies and routes attach to. Traffic to it that nothing authorizes is handled by
 * `accessPolicy` (deny unless set).
 */
export class LinkerdServer extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly podSelector: Record<string, string>;
  public readonly port: number | string;
  private proxyProtocol?: LinkerdProxyProtocol;
  private accessPolicy: LinkerdAccessPolicy;
  private accessDecided: boolean;
  private accessInherited?: () => LinkerdAccessPolicy;

  public constructor(scope: Construct, id: string, props: LinkerdServerProps) {
    super(scope, id, props);
    this.podSelector = validateSelector(this, 'podSelector', props.podSelector);
    const p = props.port;
    const okNumber = typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
    const okName = isPortName(p);
    if (!okNumber && !okName) fail(this, 'port', `must be a container port number or name, got ${quote(p)}`, 'pass e.g. 9080 or "http"');
    this.port = p;
    if (props.proxyProtocol !== undefined && !Object.values(LinkerdProxyProtocol).includes(props.proxyProtocol)) {
      fail(this, 'proxyProtocol', `must be a LinkerdProxyProtocol, got ${quote(props.proxyProtocol)}`, 'use e.g. LinkerdProxyProtocol.HTTP1');
    }
    if (props.accessPolicy !== undefined && !Object.values(LinkerdAccessPolicy).includes(props.accessPolicy)) {
      fail(this, 'accessPolicy', `must be a LinkerdAccessPolicy, got ${quote(props.accessPolicy)}`, 'use e.g. LinkerdAccessPolicy.DENY');
    }
    this.proxyProtocol = props.proxyProtocol;
    this.accessPolicy = props.accessPolicy ?? LinkerdAccessPolicy.DENY;
    this.accessDecided = props.accessPolicy !== undefined;
    this.apiObject = new l1.Server(this, 'Resource', { metadata: this.metadata(props), spec: Lazy.any({ produce: () => this._toKube() }) });
  }

  /** @internal true when a construct decided the access policy (else it is inherited or the default deny) */
  public get _accessDecided(): boolean {
    return this.accessDecided;
  }

  /** @internal */
  public _toKube(): l1.ServerSpec {
    const accessPolicy = !this.accessDecided && this.accessInherited ? this.accessInherited() : this.accessPolicy;
    return { podSelector: { matchLabels: this.podSelector }, port: this.port, proxyProtocol: this.proxyProtocol, accessPolicy };
  }

  /**
   * Another construct attaches to this Server: it may set the proxy protocol when none is set yet,
   * and, when it decides who may call (`decidesAccess`), the access policy.
   * @internal
   */
  public _share(user: IConstruct, prop: string, request: ServerRequest): void {
    if (request.proxyProtocol !== undefined) {
      if (this.proxyProtocol !== undefined && this.proxyProtocol !== request.proxyProtocol) {
        fail(user, prop, `needs the Server ${this.name} with proxyProtocol ${quote(request.proxyProtocol)}, but ${this.node.path} has ${quote(this.proxyProtocol)}`, 'use the same protocol for the port everywhere');
      }
      this.proxyProtocol = request.proxyProtocol;
    }
    if (request.accessPolicy !== undefined && request.decidesAccess) {
      this.accessPolicy = request.accessPolicy;
      this.accessDecided = true;
    }
    if (request.inheritAccess && !this.accessInherited) this.accessInherited = request.inheritAccess;
  }
}

/** What a construct needs of a Server it shares. */
interface ServerRequest {
  readonly proxyProtocol?: LinkerdProxyProtocol;
  readonly accessPolicy?: LinkerdAccessPolicy;
  /** True when the access policy is explicit (an authorization, or a policy the user passed). */
  readonly decidesAccess: boolean;
  /**
   * When nothing decides the access policy: the one to keep (resolved at synth), because a Server
   * replaces the namespace's default inbound policy for its port.
   */
  readonly inheritAccess?: () => LinkerdAccessPolicy;
}

/** The service port a shared Server covers (structural, to keep this module free of the MeshService import). */
interface ServerTarget extends IConstruct {
  readonly serviceName: string;
  /** The Server names by port name (MeshServiceNames.linkerdServers, filled in). */
  readonly _names: { readonly linkerdServers: Record<string, string> };
  readonly namespace: string;
  readonly selector: Record<string, string>;
}

interface SharedServer {
  readonly server: LinkerdServer;
  readonly owner: IConstruct;
  decider?: { readonly user: IConstruct; readonly accessPolicy: LinkerdAccessPolicy };
}

const sharedServers = new WeakMap<IConstruct, Map<string, SharedServer>>();

/**
 * The one Server of a service port (`names.linkerdServers`, by default `<service>-<port name>`) that several constructs attach to (an
 * authorization and a rate limit on one port need the same Server): created by the first, under
 * its scope, and shared with the others. Two constructs that each decide the access policy must
 * agree on it; a construct that does not decide (a rate limit with its default) takes the
 * other's.
 * @internal
 */
export function sharedServer(scope: Construct, id: string, user: IConstruct, prop: string, target: ServerTarget,
  port: { readonly name: string; readonly targetPort: number }, request: ServerRequest): LinkerdServer {
  const byPort = sharedServers.get(target) ?? new Map<string, SharedServer>();
  sharedServers.set(target, byPort);
  let entry = byPort.get(port.name);
  if (!entry) {
    const server = new LinkerdServer(scope, id, {
      name: target._names.linkerdServers[port.name], namespace: target.namespace, podSelector: target.selector, port: port.targetPort,
      proxyProtocol: request.proxyProtocol, accessPolicy: request.decidesAccess ? request.accessPolicy : undefined,
    });
    if (request.inheritAccess) server._share(user, prop, { decidesAccess: false, inheritAccess: request.inheritAccess });
    entry = { server, owner: user };
    byPort.set(port.name, entry);
  } else {
    entry.server._share(user, prop, request);
  }
  if (request.decidesAccess && request.accessPolicy !== undefined) {
    const d = entry.decider;
    if (d && d.accessPolicy !== request.accessPolicy) {
      fail(user, prop, `needs accessPolicy ${quote(request.accessPolicy)} on the Server ${entry.server.name}, which ${d.user.node.path} shares with accessPolicy ${quote(d.accessPolicy)}`,
        'let one of them decide the access policy (drop serverAccessPolicy: the Server of an authorized port denies what its policies do not allow)');
    }
    entry.decider = { user, accessPolicy: request.accessPolicy };
  }
  return entry.server;
}
