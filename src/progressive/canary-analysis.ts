import { Duration } from 'cdk8s';
import { millisOf } from '../core/duration';
import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';

/** Props of a {@link CanaryAnalysis}. Unset thresholds are derived from the service's objectives. */
export interface CanaryAnalysisProps {
  /**
   * The share of the canary's requests that must succeed, in percent (e.g. 99).
   * @default - the objective of the service's availability ServiceLevelObjective, else 100 minus
   * its ServiceAlerts error-ratio threshold, else 99
   */
  readonly successRatePercent?: number;
  /**
   * The latency the canary's `latencyPercentile` must stay under.
   * @default - the threshold of the service's latency ServiceLevelObjective, else of its
   * ServiceAlerts latency alert, else 500 ms
   */
  readonly latencyThreshold?: Duration;
  /**
   * The latency percentile compared with `latencyThreshold`, e.g. 99 for p99.
   * @default - the objective of the latency SLO whose threshold is used, else the ServiceAlerts
   * latency percentile, else 99
   */
  readonly latencyPercentile?: number;
  /**
   * How often the canary is measured; also the window each measurement reads. At least 30 s,
   * whole seconds.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Failed measurements tolerated per stage: the next failure rolls the canary back.
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * Measurements per stage: a stage lasts `measurementsPerStage × interval` and the canary
   * advances only when they hold.
   * @default 5
   */
  readonly measurementsPerStage?: number;
  /**
   * The fewest canary requests in one interval that a measurement judges. With fewer (low or no
   * traffic) the measurement passes without judging and the next one is awaited: no traffic is
   * neither a failure nor a stall.
   * @default 1 - only an interval without any request passes unjudged
   */
  readonly minRequests?: number;
  /**
   * The Prometheus the engine queries, an http(s) URL reachable from its controller.
   * @default - Istio's Prometheus add-on (`http://prometheus.istio-system:9090`), or linkerd-viz's
   * (`http://prometheus.linkerd-viz:9090`) on Linkerd
   */
  readonly prometheusAddress?: string;
}

/**
 * How an automatic canary engine judges the canary: success rate and latency percentile of the
 * canary's own requests, measured every interval, with a failure limit. Shared by every engine.
 *
 * @example
 * CanaryAnalysis.of({ successRatePercent: 99.5, latencyThreshold: Duration.millis(300) })
 * CanaryAnalysis.fromObjectives() // everything derived from the service's SLOs and alerts
 */
export class CanaryAnalysis {
  /** An analysis with these settings; unset thresholds are derived from the service's objectives. */
  public static of(props: CanaryAnalysisProps): CanaryAnalysis {
    return new CanaryAnalysis(props);
  }

  /** Everything derived: thresholds from the service's SLOs or alerts, default timing. */
  public static fromObjectives(): CanaryAnalysis {
    return new CanaryAnalysis({});
  }

  /** The success rate in percent, when given. */
  public readonly successRatePercent?: number;
  /** The latency threshold in milliseconds, when given. */
  public readonly latencyThresholdMs?: number;
  /** The latency percentile, when given. */
  public readonly latencyPercentile?: number;
  /** The measurement interval. */
  public readonly interval: Duration;
  /** Failed measurements tolerated per stage. */
  public readonly failureLimit: number;
  /** Measurements per stage. */
  public readonly measurementsPerStage: number;
  /** The fewest requests a measurement judges. */
  public readonly minRequests: number;
  /** The Prometheus address, when given. */
  public readonly prometheusAddress?: string;

  private constructor(props: CanaryAnalysisProps) {
    const where = 'CanaryAnalysis';
    if (props.successRatePercent !== undefined) this.successRatePercent = openPercent(where, 'successRatePercent', props.successRatePercent, 'pass e.g. 99 for 99%');
    if (props.latencyThreshold !== undefined) {
      const ms = millisOf(where, 'latencyThreshold', props.latencyThreshold);
      if (!(ms > 0)) fail(where, 'latencyThreshold', `must be positive, got ${ms}ms`, 'pass e.g. Duration.millis(500)');
      this.latencyThresholdMs = ms;
    }
    if (props.latencyPercentile !== undefined) this.latencyPercentile = openPercent(where, 'latencyPercentile', props.latencyPercentile, 'pass e.g. 99 for p99');
    this.interval = props.interval ?? Duration.minutes(1);
    const intervalMs = millisOf(where, 'interval', this.interval);
    if (!(intervalMs >= 30_000 && intervalMs % 1000 === 0)) {
      fail(where, 'interval', `must be whole seconds and at least 30s (two Prometheus scrapes), got ${intervalMs}ms`, 'pass e.g. Duration.minutes(1)');
    }
    this.failureLimit = props.failureLimit ?? 1;
    if (!Number.isInteger(this.failureLimit) || this.failureLimit < 0) {
      fail(where, 'failureLimit', `must be a whole number >= 0, got ${quote(this.failureLimit)}`, 'pass e.g. 1 to tolerate one failed measurement per stage');
    }
    this.measurementsPerStage = validatePositiveInt(where, 'measurementsPerStage', props.measurementsPerStage ?? 5);
    if (this.failureLimit >= this.measurementsPerStage) {
      fail(where, 'failureLimit', `is ${this.failureLimit}, so a stage of ${this.measurementsPerStage} measurements could never fail`, `use a failureLimit below measurementsPerStage (${this.measurementsPerStage})`);
    }
    this.minRequests = validatePositiveInt(where, 'minRequests', props.minRequests ?? 1);
    if (props.prometheusAddress !== undefined) {
      if (typeof props.prometheusAddress !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.prometheusAddress)) {
        fail(where, 'prometheusAddress', `must be an http(s) URL, got ${quote(props.prometheusAddress)}`, 'pass e.g. "http://prometheus.monitoring:9090"');
      }
      this.prometheusAddress = props.prometheusAddress;
    }
  }
}

function openPercent(where: string, prop: string, value: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 100) fail(where, prop, `must be strictly between 0 and 100, got ${quote(value)}`, fix);
  return value;
}
