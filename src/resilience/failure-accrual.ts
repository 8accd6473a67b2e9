import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';

/** Props of a {@link FailureAccrual}. */
export interface FailureAccrualProps {
  /** Consecutive failures (5xx responses) after which an endpoint is marked unavailable. */
  readonly consecutiveFailures: number;
  /** First backoff before the endpoint is probed again. @default 1s (Linkerd's default) */
  readonly minPenalty?: Duration;
  /** Longest backoff. @default 1m (Linkerd's default) */
  readonly maxPenalty?: Duration;
  /** Jitter of the backoff, from 0 to 100. @default 0.5 (Linkerd's default) */
  readonly jitterRatio?: number;
}

/** Linkerd's annotation keys for consecutive-failure accrual (set on the Service). */
export const FAILURE_ACCRUAL_ANNOTATIONS = {
  mode: 'balancer.linkerd.io/failure-accrual',
  maxFailures: 'balancer.linkerd.io/failure-accrual-consecutive-max-failures',
  minPenalty: 'balancer.linkerd.io/failure-accrual-consecutive-min-penalty',
  maxPenalty: 'balancer.linkerd.io/failure-accrual-consecutive-max-penalty',
  jitterRatio: 'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio',
} as const;

/**
 * Linkerd's circuit breaker: consecutive-failure accrual per endpoint, with an exponential backoff
 * before the endpoint is tried again. Rendered as `balancer.linkerd.io/failure-accrual*` Service
 * annotations. CircuitBreakerPolicy derives one from outlier detection or a preset on Linkerd.
 */
export class FailureAccrual {
  public readonly consecutiveFailures: number;
  public readonly minPenalty?: Duration;
  public readonly maxPenalty?: Duration;
  public readonly jitterRatio?: number;

  public constructor(props: FailureAccrualProps) {
    const where = 'FailureAccrual';
    if (!Number.isInteger(props.consecutiveFailures) || props.consecutiveFailures < 1 || props.consecutiveFailures > 1_000_000) {
      fail(where, 'consecutiveFailures', `must be a whole number from 1 to 1000000, got ${quote(props.consecutiveFailures)}`, 'pass e.g. 5');
    }
    const min = props.minPenalty ? validateDuration(where, 'minPenalty', props.minPenalty) : undefined;
    const max = props.maxPenalty ? validateDuration(where, 'maxPenalty', props.maxPenalty) : undefined;
    if ((min ?? 1000) > (max ?? 60_000)) {
      fail(where, 'minPenalty', `(${min ?? 1000}ms) is longer than maxPenalty (${max ?? 60_000}ms${max === undefined ? ', the default' : ''})`, 'make minPenalty at most maxPenalty');
    }
    if (props.jitterRatio !== undefined && (typeof props.jitterRatio !== 'number' || !Number.isFinite(props.jitterRatio) || props.jitterRatio < 0 || props.jitterRatio > 100)) {
      fail(where, 'jitterRatio', `must be a number from 0 to 100, got ${quote(props.jitterRatio)}`, 'pass e.g. 0.5');
    }
    this.consecutiveFailures = props.consecutiveFailures;
    this.minPenalty = props.minPenalty;
    this.maxPenalty = props.maxPenalty;
    this.jitterRatio = props.jitterRatio;
  }

  /** The Service annotations, in key order. */
  public toAnnotations(): Record<string, string> {
    const out: Record<string, string> = {
      [FAILURE_ACCRUAL_ANNOTATIONS.mode]: 'consecutive',
      [FAILURE_ACCRUAL_ANNOTATIONS.maxFailures]: String(this.consecutiveFailures),
    };
    if (this.minPenalty) out[FAILURE_ACCRUAL_ANNOTATIONS.minPenalty] = linkerdDuration(this.minPenalty);
    if (this.maxPenalty) out[FAILURE_ACCRUAL_ANNOTATIONS.maxPenalty] = linkerdDuration(this.maxPenalty);
    if (this.jitterRatio !== undefined) out[FAILURE_ACCRUAL_ANNOTATIONS.jitterRatio] = String(this.jitterRatio);
    return out;
  }
}

/** A duration as Linkerd's annotations take it: one unit (`500ms`, `2s`, `5m`, `1h`). */
export function linkerdDuration(d: Duration): string {
  const ms = validateDuration('linkerd annotation', 'duration', d);
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
