import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import type { RouteBehaviour } from '../traffic/route';
import { RouteActionKind, RouteTo } from '../traffic/route-action';
import { FaultInjection } from './fault-injection';
import { RetryPolicy } from './retry-policy';

/** A route's behaviour and, once known, where it goes. */
interface CheckedRoute extends RouteBehaviour {
  readonly to?: RouteTo;
}

/**
 * Checks the resilience settings of a route: their types, that the retry budget fits in the route
 * timeout, and that a non-idempotent route only retries failures that never reached the application.
 * Called when a route is attached and again at synth with the service's RequestPolicy applied.
 */
export function validateRouteResilience(owner: IConstruct | string, route: CheckedRoute, context = ''): void {
  const { retries, fault, timeout } = route;
  if (retries !== undefined && !(retries instanceof RetryPolicy)) fail(owner, 'retries', `must be a RetryPolicy, got ${quote(retries)}`, 'use new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) })');
  if (fault !== undefined && !(fault instanceof FaultInjection)) fail(owner, 'fault', `must be a FaultInjection, got ${quote(fault)}`, 'use FaultInjection.delay(...) or FaultInjection.abort(...)');
  if (route.idempotent !== undefined && typeof route.idempotent !== 'boolean') fail(owner, 'idempotent', `must be true or false, got ${quote(route.idempotent)}`, 'pass idempotent: false for routes whose requests must not be repeated');
  if (route.to?.kind === RouteActionKind.REDIRECT && (retries || fault)) {
    fail(owner, 'to', 'is a redirect, which cannot be combined with retries or fault', 'remove them, or forward the requests instead');
  }
  if (!retries || retries.attempts === 0) return;
  if (route.idempotent === false && !retries.retryOn!.safeForNonIdempotent) {
    fail(owner, 'retries', `retry on ${retries.retryOn}${context}, but the route is marked idempotent: false, so a retried request could be processed twice`,
      'retry only on RetryOn.CONNECTION_FAILURES (connect-failure, refused-stream), use RetryPolicy.DISABLED, or mark the route idempotent if repeating it is safe');
  }
  if (timeout && retries.perTryTimeout) {
    const total = timeout.toMilliseconds();
    const perTry = retries.perTryTimeout.toMilliseconds();
    const worst = retries.worstCaseMillis!;
    if (worst > total) {
      const fitting = Math.floor(total / perTry) - 1;
      fail(owner, 'retries', `need up to ${worst}ms (the first try plus ${retries.attempts} retries × ${perTry}ms per try)${context}, longer than the route timeout of ${total}ms, so the last retries could never finish`,
        fitting >= 1
          ? `lower attempts to ${fitting}, shorten perTryTimeout to ${Math.floor(total / (retries.attempts + 1))}ms, or raise the timeout to at least ${worst}ms`
          : `shorten perTryTimeout to at most ${Math.floor(total / (retries.attempts + 1))}ms or raise the timeout to at least ${worst}ms`);
    }
  }
}
