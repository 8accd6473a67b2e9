import { Duration } from 'cdk8s';
import { millisOf } from '../../core/duration';
import { ErrorSource, fail } from '../../core/errors';
import { MeshService } from '../../service/mesh-service';
import { MeshMetrics } from '../metrics/mesh-metrics';
import { formatNumber } from '../prometheus/promql';

/** The PromQL rates of bad and of all requests of a service over a window. */
export interface RequestRates {
  readonly bad: string;
  readonly total: string;
}

/** What the SLI counts as a bad event. */
export enum IndicatorKind {
  /** A failed request (5xx on Istio, `classification="failure"` on Linkerd). */
  AVAILABILITY = 'availability',
  /** A request slower than a threshold. */
  LATENCY = 'latency',
}

/**
 * A service-level indicator: the share of bad requests, read from the mesh's metrics.
 *
 * @example
 * ServiceLevelIndicator.availability()
 * ServiceLevelIndicator.latency(Duration.millis(250)) // requests slower than 250ms are bad
 */
export class ServiceLevelIndicator {
  /** Bad events are failed requests. */
  public static availability(): ServiceLevelIndicator {
    return new ServiceLevelIndicator(IndicatorKind.AVAILABILITY);
  }

  /**
   * Bad events are requests slower than `threshold`, counted with the histogram bucket whose upper
   * bound is the threshold; it must therefore be one of the mesh's bucket boundaries (Istio: 100,
   * 250, 500, 1000 ms, ...; Linkerd: 100, 200, 300, 400, 500 ms, ...).
   */
  public static latency(threshold: Duration): ServiceLevelIndicator {
    const ms = millisOf('ServiceLevelIndicator.latency', 'threshold', threshold);
    if (!(ms > 0)) fail('ServiceLevelIndicator.latency', 'threshold', `must be positive, got ${ms}ms`, 'pass e.g. Duration.millis(250)');
    return new ServiceLevelIndicator(IndicatorKind.LATENCY, ms);
  }

  private constructor(public readonly kind: IndicatorKind, public readonly thresholdMs?: number) {}

  /** What a good request does, e.g. `complete within 250ms`. */
  public get description(): string {
    return this.kind === IndicatorKind.AVAILABILITY ? 'succeed' : `complete within ${formatNumber(this.thresholdMs!)}ms`;
  }

  /** Checks the indicator against the mesh's metrics (latency thresholds must be bucket bounds). */
  public validateFor(source: ErrorSource, prop: string, metrics: MeshMetrics): void {
    if (this.kind !== IndicatorKind.LATENCY) return;
    const buckets = metrics.latencyBucketsMs;
    if (!buckets.includes(this.thresholdMs!)) {
      const below = buckets.filter((b) => b < this.thresholdMs!).pop();
      const above = buckets.find((b) => b > this.thresholdMs!);
      const nearest = [below, above].filter((b): b is number => b !== undefined);
      fail(source, prop, `threshold ${formatNumber(this.thresholdMs!)}ms is not a bucket boundary of ${metrics.latencyBucketMetric} (${buckets.join(', ')} ms), so no series counts the requests under it`,
        `use ${nearest.map((n) => `Duration.millis(${n})`).join(' or ')}, or configure the proxy's histogram buckets and pass matching metrics`);
    }
  }

  /** The PromQL share of bad requests of a service over a window. */
  public errorRatio(metrics: MeshMetrics, service: MeshService, window: string): string {
    return this.kind === IndicatorKind.AVAILABILITY ? metrics.errorRatio(service, window) : metrics.slowRatio(service, this.thresholdMs!, window);
  }

  /** The PromQL rates of bad and all requests over a window, for request-weighted budget accounting. */
  public rates(metrics: MeshMetrics, service: MeshService, window: string): RequestRates {
    if (this.kind === IndicatorKind.AVAILABILITY) {
      return { bad: `(${metrics.requestRate(service, window, { errorsOnly: true })} or vector(0))`, total: metrics.requestRate(service, window) };
    }
    const all = metrics.measuredRequestRate(service, window);
    const fast = metrics.fastRequestRate(service, this.thresholdMs!, window);
    return { bad: `(${all} - ${fast})`, total: all };
  }
}
