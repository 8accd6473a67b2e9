import { Duration } from 'cdk8s';
import type { RetryPolicy } from '../resilience/retry-policy';
import type { RouteBehaviour } from '../traffic/route';

/**
 * The port and request settings a rollout pattern applies to every route it adds (its preview or assignment
 * routes and its weighted default route). They go through the same checks as routes added with
 * `MeshService.addRoute`, and win over the service's RequestPolicy.
 */
export interface PatternRouteOptions {
  /**
   * The Service port the routes forward to; needed when the service has several ports.
   * @default - the service's only port
   */
  readonly port?: number;
  /**
   * Overall timeout for a request on the pattern's routes, retries included.
   * @default - the service's RequestPolicy timeout, else none
   */
  readonly timeout?: Duration;
  /**
   * Retries on the pattern's routes.
   * @default - the service's RequestPolicy retries, else the mesh's default
   */
  readonly retries?: RetryPolicy;
}

/** @internal the behaviour the pattern's routes carry: only the settings the user gave */
export function patternRouteBehaviour(props: PatternRouteOptions): RouteBehaviour {
  return {
    ...(props.timeout !== undefined ? { timeout: props.timeout } : {}),
    ...(props.retries !== undefined ? { retries: props.retries } : {}),
  };
}
