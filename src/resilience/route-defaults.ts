import { RouteActionKind } from '../traffic/route-action';
import type { RouteBehaviour, RouteDefaults } from '../traffic/route';
import type { ResolvedRoute } from '../traffic/routing-table';
import { RetryPolicy } from './retry-policy';

/**
 * A route's behaviour with the service's route defaults (RequestPolicy) applied: the route's own
 * retries and timeout win; a non-idempotent route never inherits unsafe retries and gets retries
 * disabled (Istio would otherwise retry it twice by default). Pure: renderers call it at synth.
 */
export function withRouteDefaults(r: ResolvedRoute, defaults?: RouteDefaults): RouteBehaviour {
  return r.action.kind === RouteActionKind.FORWARD ? forwardingWithDefaults(r.behaviour, defaults) : r.behaviour;
}

/** The behaviour of a route that forwards, with the route defaults applied (see withRouteDefaults). */
export function forwardingWithDefaults(b: RouteBehaviour, defaults?: RouteDefaults): RouteBehaviour {
  let retries = b.retries;
  if (retries === undefined && defaults?.retries) {
    const unsafe = b.idempotent === false && defaults.retries.attempts > 0 && !defaults.retries.retryOn!.safeForNonIdempotent;
    retries = unsafe ? RetryPolicy.DISABLED : defaults.retries;
  }
  if (retries === undefined && b.idempotent === false) retries = RetryPolicy.DISABLED;
  const timeout = b.timeout ?? defaults?.timeout;
  if (retries === b.retries && timeout === b.timeout) return b;
  return { ...b, retries, timeout };
}
