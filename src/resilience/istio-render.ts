import { Duration } from 'cdk8s';
import { renderDuration } from '../core/duration';
import { ErrorSource, fail } from '../core/errors';
import { ConnectionPool } from './connection-pool';
import { ConnectionTimeouts } from './connection-timeouts';
import { FaultInjection } from './fault-injection';
import { LocalityLoadBalancing } from './locality-load-balancing';
import { OutlierDetection } from './outlier-detection';
import { RetryPolicy } from './retry-policy';

// The objects below are handed to the generated L1 bindings, whose TypeScript field names differ
// from the YAML ones in one place: `consecutive5XxErrors` is emitted as `consecutive5xxErrors`.

/**
 * Renders Istio's `trafficPolicy.connectionPool`: a pool's limits and timeouts with the connection
 * timeouts set elsewhere (RequestPolicy) merged in; a timeout set in both is an error.
 */
export function istioConnectionPool(where: ErrorSource, prop: string, p?: ConnectionPool, t?: ConnectionTimeouts): Record<string, unknown> {
  const shared = p && t?._sharedWith(p);
  if (shared) {
    fail(where, `${prop}.${shared}`, 'is set twice: by the connection pool (a circuit breaker or bulkhead) and by the connection timeouts (a RequestPolicy)',
      `set ${shared} in one place: keep it in the RequestPolicy and remove it from the ConnectionPool, or the other way round`);
  }
  const d = (name: string, v?: Duration) => (v ? renderDuration(where, `${prop}.${name}`, v) : undefined);
  const connectTimeout = p?.connectTimeout ?? t?.connectTimeout;
  const idleTimeout = p?.idleTimeout ?? t?.idleTimeout;
  return {
    tcp: p?.hasTcp || connectTimeout ? {
      maxConnections: p?.maxConnections,
      connectTimeout: d('connectTimeout', connectTimeout),
      tcpKeepalive: p?.tcpKeepalive ? { probes: p.tcpKeepalive.probes, time: d('tcpKeepalive.time', p.tcpKeepalive.time), interval: d('tcpKeepalive.interval', p.tcpKeepalive.interval) } : undefined,
    } : undefined,
    http: p?.hasHttp || idleTimeout ? {
      http1MaxPendingRequests: p?.http1MaxPendingRequests,
      http2MaxRequests: p?.http2MaxRequests,
      maxRequestsPerConnection: p?.maxRequestsPerConnection,
      maxRetries: p?.maxRetries,
      idleTimeout: d('idleTimeout', idleTimeout),
      h2UpgradePolicy: p?.h2UpgradePolicy,
    } : undefined,
  };
}

/** Renders Istio's `trafficPolicy.outlierDetection` (never the deprecated `consecutiveErrors`). */
export function istioOutlierDetection(where: ErrorSource, prop: string, o: OutlierDetection): Record<string, unknown> {
  return {
    consecutive5XxErrors: o.consecutive5xxErrors,
    consecutiveGatewayErrors: o.consecutiveGatewayErrors,
    interval: o.interval ? renderDuration(where, `${prop}.interval`, o.interval) : undefined,
    baseEjectionTime: o.baseEjectionTime ? renderDuration(where, `${prop}.baseEjectionTime`, o.baseEjectionTime) : undefined,
    maxEjectionPercent: o.maxEjectionPercent,
    minHealthPercent: o.minHealthPercent,
  };
}

/** Renders Istio's `loadBalancer.localityLbSetting`. */
export function istioLocalityLbSetting(l: LocalityLoadBalancing): Record<string, unknown> {
  return {
    enabled: true,
    failover: l.failoverRules.length ? l.failoverRules.map((f) => ({ from: f.from, to: f.to })) : undefined,
    failoverPriority: l.failoverPriority.length ? l.failoverPriority : undefined,
  };
}

/**
 * Checks that locality failover has outlier detection at the same level or inherited from the
 * service: without it Envoy never sees endpoints as unhealthy and never fails over.
 */
export function checkLocalityNeedsOutlierDetection(where: ErrorSource, prop: string, locality?: LocalityLoadBalancing, outlier?: OutlierDetection): void {
  if (locality && !outlier) {
    fail(where, prop, 'sets locality load balancing without outlier detection, so Istio would never see endpoints as unhealthy and never fail over',
      'add a CircuitBreakerPolicy with outlierDetection (or a preset) for the same service or version');
  }
}

/** Renders an Istio `HTTPRetry`. */
export function istioRetries(where: ErrorSource, prop: string, r: RetryPolicy): Record<string, unknown> {
  return {
    attempts: r.attempts,
    perTryTimeout: r.perTryTimeout ? renderDuration(where, `${prop}.perTryTimeout`, r.perTryTimeout) : undefined,
    retryOn: r.retryOn?.toString(),
    retryRemoteLocalities: r.retryRemoteLocalities,
    backoff: r.backoff ? renderDuration(where, `${prop}.backoff`, r.backoff) : undefined,
  };
}

/** Renders an Istio `HTTPFaultInjection`. */
export function istioFault(where: ErrorSource, prop: string, f: FaultInjection): Record<string, unknown> {
  const { injectedDelay: delay, injectedAbort: abort } = f;
  return {
    delay: delay ? { fixedDelay: renderDuration(where, `${prop}.delay.fixedDelay`, delay.fixedDelay), percentage: { value: delay.percent } } : undefined,
    abort: abort ? { httpStatus: abort.httpStatus, percentage: { value: abort.percent } } : undefined,
  };
}
