import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { linkerdRequestTimeoutAnnotations, linkerdRetryAnnotations } from './linkerd-annotations';
import { validateRouteResilience } from './route-checks';
import { RetryPolicy } from './retry-policy';
import { ConnectionTimeouts } from './connection-timeouts';
import { routePort } from '../traffic/route-port';

/** Props of a {@link RequestPolicy}. */
export interface RequestPolicyProps {
  /** The service whose routes get the defaults. */
  readonly service: MeshService;
  /**
   * Retries for every route that sets none (routes marked `idempotent: false` get retries only if
   * this policy retries connection failures alone; otherwise they get none).
   * @default - the mesh's default
   */
  readonly retries?: RetryPolicy;
  /**
   * Request timeout for every route that sets none.
   * @default - none
   */
  readonly timeout?: Duration;
  /**
   * How long callers' proxies wait for a TCP connection to the service's endpoints, for every
   * version (Istio: DestinationRule `trafficPolicy.connectionPool.tcp.connectTimeout`, merged with
   * a circuit breaker's limits). Istio only.
   * @default - the mesh's default (Istio: 10s)
   */
  readonly connectTimeout?: Duration;
  /**
   * Close connections to the service that carried no request for this long, for every version
   * (Istio: `trafficPolicy.connectionPool.http.idleTimeout`). Istio only: Linkerd's
   * `timeout.linkerd.io/idle` limits an idle request stream, not a connection.
   * @default - the mesh's default (Istio: 1h)
   */
  readonly idleTimeout?: Duration;
  /**
   * The Service port the service's catch-all route forwards to, for a service with several ports
   * (the route a RequestPolicy needs when no other intent sets a default route). Not needed on
   * Linkerd, where the defaults are Service annotations.
   * @default - the service's only port
   */
  readonly port?: number;
}

/**
 * Service-wide request defaults: retries and a timeout applied to every route of the service that
 * does not set its own (a route's own `retries` / `timeout` win), and the connect and idle
 * timeouts of the connections to the service (Istio only).
 *
 * - Istio: rendered into each HTTP route of the service's one VirtualService (created if needed).
 * - Linkerd: `retry.linkerd.io/*` and `timeout.linkerd.io/request` annotations on the Service
 *   (`service.serviceAnnotations`), which apply to all traffic to it.
 * - Gateway API (GAMMA): the timeout goes into every HTTPRoute rule; retries are an error (the
 *   standard channel has no retries).
 *
 * @example
 * new RequestPolicy(this, 'reviews-requests', { service: reviews, retries: new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) }), timeout: Duration.seconds(10) });
 */
export class RequestPolicy extends Construct {
  /** The policy attached to a service, if any. */
  public static of(service: MeshService): RequestPolicy | undefined {
    const owner = service.routing.routeDefaultsOwner ?? service._policyOwner('connectionTimeouts');
    return owner instanceof RequestPolicy ? owner : undefined;
  }

  public readonly service: MeshService;
  public readonly retries?: RetryPolicy;
  public readonly timeout?: Duration;
  /** The connect and idle timeouts, when set. */
  public readonly connectionTimeouts?: ConnectionTimeouts;
  /** The port of the catch-all route, for a service with several ports. */
  public readonly port?: number;

  public constructor(scope: Construct, id: string, props: RequestPolicyProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService whose routes get the defaults');
    const s = props.service;
    const routes = props.retries !== undefined || props.timeout !== undefined;
    if (!routes && props.connectTimeout === undefined && props.idleTimeout === undefined) {
      fail(this, 'props', 'set no retries and no timeout', 'pass retries, timeout, connectTimeout and/or idleTimeout');
    }
    for (const key of ['timeout', 'connectTimeout', 'idleTimeout'] as const) if (props[key] !== undefined) validateDuration(this, key, props[key]!);
    validateRouteResilience(this, { retries: props.retries, timeout: props.timeout });
    const existing = RequestPolicy.of(s);
    if (existing) fail(this, 'service', `${s.serviceName} already has a RequestPolicy (${existing.node.path})`, 'attach one RequestPolicy per service');
    this.service = s;
    // Linkerd takes the defaults as Service annotations, which need no route and so no port; nor do connection timeouts.
    this.port = !routes || (s.mesh === Mesh.LINKERD && props.port === undefined) ? undefined : routePort(this, s, props.port);
    this.retries = props.retries;
    this.timeout = props.timeout;

    if (props.connectTimeout !== undefined || props.idleTimeout !== undefined) {
      if (s.mesh !== Mesh.ISTIO) this.refuseConnectionTimeouts(s.mesh, props.connectTimeout !== undefined ? 'connectTimeout' : 'idleTimeout');
      this.connectionTimeouts = new ConnectionTimeouts({ connectTimeout: props.connectTimeout, idleTimeout: props.idleTimeout });
      s._setPolicy(this, 'connectionTimeouts', this.connectionTimeouts);
    }

    switch (s.mesh) {
      case Mesh.ISTIO:
        break;
      case Mesh.LINKERD: {
        const annotations = {
          ...(props.retries ? linkerdRetryAnnotations(this, 'retries', props.retries) : {}),
          ...(props.timeout ? linkerdRequestTimeoutAnnotations(props.timeout) : {}),
        };
        for (const [k, v] of Object.entries(annotations)) s._addServiceAnnotation(this, k, v);
        break;
      }
      default:
        if (props.retries) fail(this, 'retries', `cannot be rendered for ${s.mesh === Mesh.GATEWAY_API ? 'the Gateway API (GAMMA)' : s.mesh}: HTTPRoute retries are not in the Gateway API's standard channel`, 'drop retries (keep the timeout), or render this chart for Istio or Linkerd');
    }
    if (routes) s._setRouteDefaults(this, { retries: props.retries, timeout: props.timeout, port: this.port });
  }

  private refuseConnectionTimeouts(mesh: Mesh, prop: string): never {
    if (mesh === Mesh.LINKERD) {
      fail(this, prop, 'cannot be rendered for linkerd: Linkerd has no connect or idle timeout per destination service. Its connect timeout is a setting of each calling proxy, for all its destinations (pod annotation config.linkerd.io/proxy-outbound-connect-timeout), and timeout.linkerd.io/idle limits how long one request stream may be idle (it fails slow requests), not how long an unused connection stays open',
        'drop connectTimeout and idleTimeout for Linkerd (set config.linkerd.io/proxy-outbound-connect-timeout on the callers\' pods if you need another connect timeout), or render this chart for Istio');
    }
    fail(this, prop, `cannot be rendered for ${mesh === Mesh.GATEWAY_API ? 'the Gateway API (GAMMA)' : mesh}: HTTPRoute has request timeouts only, no connection-level ones`,
      'drop connectTimeout and idleTimeout (keep timeout), or render this chart for Istio');
  }
}
