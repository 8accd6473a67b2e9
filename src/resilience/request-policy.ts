import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { linkerdRequestTimeoutAnnotations, linkerdRetryAnnotations } from './linkerd-annotations';
import { validateRouteResilience } from './route-checks';
import { RetryPolicy } from './retry-policy';
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
   * The Service port the service's catch-all route forwards to, for a service with several ports
   * (the route a RequestPolicy needs when no other intent sets a default route). Not needed on
   * Linkerd, where the defaults are Service annotations.
   * @default - the service's only port
   */
  readonly port?: number;
}

/**
 * Service-wide request defaults: retries and a timeout applied to every route of the service that
 * does not set its own. A route's own `retries` / `timeout` win.
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
    const owner = service.routing.routeDefaultsOwner;
    return owner instanceof RequestPolicy ? owner : undefined;
  }

  public readonly service: MeshService;
  public readonly retries?: RetryPolicy;
  public readonly timeout?: Duration;
  /** The port of the catch-all route, for a service with several ports. */
  public readonly port?: number;

  public constructor(scope: Construct, id: string, props: RequestPolicyProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService whose routes get the defaults');
    const s = props.service;
    if (!props.retries && !props.timeout) fail(this, 'props', 'set neither retries nor timeout', 'pass retries and/or timeout');
    if (props.timeout) validateDuration(this, 'timeout', props.timeout);
    validateRouteResilience(this, { retries: props.retries, timeout: props.timeout });
    const existing = RequestPolicy.of(s);
    if (existing) fail(this, 'service', `${s.serviceName} already has a RequestPolicy (${existing.node.path})`, 'attach one RequestPolicy per service');
    this.service = s;
    // Linkerd takes the defaults as Service annotations, which need no route and so no port.
    this.port = s.mesh === Mesh.LINKERD && props.port === undefined ? undefined : routePort(this, s, props.port);
    this.retries = props.retries;
    this.timeout = props.timeout;

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
    s._setRouteDefaults(this, { retries: props.retries, timeout: props.timeout, port: this.port });
  }
}
