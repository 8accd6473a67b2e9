import { Duration } from 'cdk8s';
import { ConnectionPool } from './connection-pool';
import { FailureAccrual } from './failure-accrual';
import { OutlierDetection } from './outlier-detection';

/**
 * Named circuit-breaker settings taken from the values practitioners start from (the Istio
 * circuit-breaking examples in the project's source documents). Each preset carries the Istio
 * connection pool and outlier detection and the Linkerd failure accrual that expresses the same
 * intent; docs/resilience.md lists the numbers.
 */
export class CircuitBreakerPreset {
  /**
   * Trips late: generous limits and 7 consecutive 5xx before an ejection, at most 10% of hosts ejected.
   * For services whose callers would rather wait than fail fast.
   */
  public static readonly CONSERVATIVE = new CircuitBreakerPreset('conservative',
    new ConnectionPool({ maxConnections: 100, http1MaxPendingRequests: 100, http2MaxRequests: 1000, maxRequestsPerConnection: 10 }),
    new OutlierDetection({ consecutive5xxErrors: 7, interval: Duration.seconds(30), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 10 }),
    new FailureAccrual({ consecutiveFailures: 7, minPenalty: Duration.seconds(30), maxPenalty: Duration.minutes(5) }));

  /** The documents' recurring values: 100 connections, 50 pending, 5 consecutive 5xx, 30s/30s, 50% max ejection. */
  public static readonly STANDARD = new CircuitBreakerPreset('standard',
    new ConnectionPool({ maxConnections: 100, http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 10 }),
    new OutlierDetection({ consecutive5xxErrors: 5, interval: Duration.seconds(30), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50, minHealthPercent: 40 }),
    new FailureAccrual({ consecutiveFailures: 5, minPenalty: Duration.seconds(30), maxPenalty: Duration.minutes(5) }));

  /** Trips early: tight limits, 3 consecutive 5xx checked every 10s. For protecting a fragile dependency. */
  public static readonly AGGRESSIVE = new CircuitBreakerPreset('aggressive',
    new ConnectionPool({ maxConnections: 50, http1MaxPendingRequests: 10, http2MaxRequests: 50, maxRequestsPerConnection: 5, maxRetries: 3 }),
    new OutlierDetection({ consecutive5xxErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 }),
    new FailureAccrual({ consecutiveFailures: 3, minPenalty: Duration.seconds(30), maxPenalty: Duration.minutes(5) }));

  private constructor(
    /** The preset name. */
    public readonly name: string,
    /** Istio connection-pool limits. */
    public readonly connectionPool: ConnectionPool,
    /** Istio outlier detection. */
    public readonly outlierDetection: OutlierDetection,
    /** The Linkerd failure accrual with the same trip point. */
    public readonly failureAccrual: FailureAccrual,
  ) {}

  public toString(): string {
    return this.name;
  }
}
