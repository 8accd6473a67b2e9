import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';

/** Props of an {@link OutlierDetection}. */
export interface OutlierDetectionProps {
  /**
   * Consecutive 5xx responses (and locally-originated failures) before a host is ejected
   * (`consecutive5xxErrors`; the deprecated `consecutiveErrors` is never emitted).
   * @default - 5 (Istio's default) unless consecutiveGatewayErrors is set
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive 502/503/504 responses before a host is ejected (`consecutiveGatewayErrors`).
   * @default - not used
   */
  readonly consecutiveGatewayErrors?: number;
  /** How often hosts are analysed. @default 10s */
  readonly interval?: Duration;
  /** Minimum ejection time; it grows with each ejection of the same host. @default 30s */
  readonly baseEjectionTime?: Duration;
  /** Most hosts ejected at once, in percent. @default 10 */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection stops (all hosts are used) when fewer than this percentage of hosts are healthy.
   * @default 0 (always on)
   */
  readonly minHealthPercent?: number;
}

/**
 * Passive health checking (the circuit breaker proper): hosts that keep failing are ejected from
 * the load-balancing pool for a while.
 *
 * @example
 * new OutlierDetection({ consecutive5xxErrors: 5, interval: Duration.seconds(30), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 })
 */
export class OutlierDetection {
  public readonly consecutive5xxErrors?: number;
  public readonly consecutiveGatewayErrors?: number;
  public readonly interval?: Duration;
  public readonly baseEjectionTime?: Duration;
  public readonly maxEjectionPercent?: number;
  public readonly minHealthPercent?: number;

  public constructor(props: OutlierDetectionProps) {
    const where = 'OutlierDetection';
    if ((props as { consecutiveErrors?: unknown }).consecutiveErrors !== undefined) {
      fail(where, 'consecutiveErrors', 'is deprecated in Istio and not supported', 'use consecutive5xxErrors (or consecutiveGatewayErrors for 502/503/504 only)');
    }
    for (const key of ['consecutive5xxErrors', 'consecutiveGatewayErrors'] as const) {
      const v = props[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 2_147_483_647)) fail(where, key, `must be a whole number of errors (0 disables it), got ${quote(v)}`, 'pass e.g. 5');
    }
    for (const key of ['maxEjectionPercent', 'minHealthPercent'] as const) {
      const v = props[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 100)) fail(where, key, `must be a whole percentage from 0 to 100, got ${quote(v)}`, 'pass e.g. 50');
    }
    if (props.interval) validateDuration(where, 'interval', props.interval);
    if (props.baseEjectionTime) validateDuration(where, 'baseEjectionTime', props.baseEjectionTime);
    if (props.consecutive5xxErrors === 0 && (props.consecutiveGatewayErrors ?? 0) === 0) {
      fail(where, 'consecutive5xxErrors', 'is 0 and no consecutiveGatewayErrors is set, so no host would ever be ejected', 'set one of them to 1 or more');
    }
    this.consecutive5xxErrors = props.consecutive5xxErrors;
    this.consecutiveGatewayErrors = props.consecutiveGatewayErrors;
    this.interval = props.interval;
    this.baseEjectionTime = props.baseEjectionTime;
    this.maxEjectionPercent = props.maxEjectionPercent;
    this.minHealthPercent = props.minHealthPercent;
  }
}
