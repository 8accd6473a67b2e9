import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { validatePercent } from '../core/percent';

/** An injected delay. */
export interface FaultDelay {
  /** How long matching requests are held before being forwarded. */
  readonly fixedDelay: Duration;
  /** Share of the route's requests delayed, 0-100 (fractions allowed). */
  readonly percent: number;
}

/** An injected error response. */
export interface FaultAbort {
  /** The HTTP status returned instead of forwarding (200-599). */
  readonly httpStatus: number;
  /** Share of the route's requests aborted, 0-100 (fractions allowed). */
  readonly percent: number;
}

/** Props of a {@link FaultInjection}: a delay and/or an abort. */
export interface FaultInjectionProps {
  /** @default - no delay */
  readonly delay?: FaultDelay;
  /** @default - no abort */
  readonly abort?: FaultAbort;
}

/**
 * Faults injected by the caller's proxy on a route, for resilience tests. Scope it to a header
 * match (a test user) so production traffic is untouched. Istio only: Linkerd and the Gateway API
 * have no fault injection.
 *
 * @example
 * FaultInjection.delay(Duration.seconds(5), 100)
 * FaultInjection.abort(503, 10)
 * new FaultInjection({ delay: { fixedDelay: Duration.seconds(2), percent: 50 }, abort: { httpStatus: 500, percent: 10 } })
 */
export class FaultInjection {
  /** Delays `percent` of the requests by `fixedDelay`. */
  public static delay(fixedDelay: Duration, percent = 100): FaultInjection {
    return new FaultInjection({ delay: { fixedDelay, percent } });
  }

  /** Answers `percent` of the requests with `httpStatus`. */
  public static abort(httpStatus: number, percent = 100): FaultInjection {
    return new FaultInjection({ abort: { httpStatus, percent } });
  }

  /** The injected delay, if any. */
  public readonly injectedDelay?: FaultDelay;
  /** The injected abort, if any. */
  public readonly injectedAbort?: FaultAbort;

  public constructor(props: FaultInjectionProps) {
    const where = 'FaultInjection';
    if (!props.delay && !props.abort) fail(where, 'props', 'must have a delay and/or an abort', 'use FaultInjection.delay(...), FaultInjection.abort(...) or pass both');
    if (props.delay) {
      if (!(props.delay.fixedDelay instanceof Duration)) fail(where, 'delay.fixedDelay', `must be a Duration, got ${quote(props.delay.fixedDelay)}`, 'use Duration.seconds(5)');
      validateDuration(where, 'delay.fixedDelay', props.delay.fixedDelay);
      validatePercent(where, 'delay.percent', props.delay.percent);
    }
    if (props.abort) {
      const s = props.abort.httpStatus;
      if (!Number.isInteger(s) || s < 200 || s > 599) fail(where, 'abort.httpStatus', `must be an HTTP status from 200 to 599, got ${quote(s)}`, 'use e.g. 503');
      validatePercent(where, 'abort.percent', props.abort.percent);
    }
    this.injectedDelay = props.delay ? { ...props.delay } : undefined;
    this.injectedAbort = props.abort ? { ...props.abort } : undefined;
  }

  /**
   * The injected delay, if any.
   * @deprecated use `injectedDelay` (in other languages `delay` is only the static factory)
   * @jsii ignore
   */
  public get delay(): FaultDelay | undefined {
    return this.injectedDelay;
  }

  /**
   * The injected abort, if any.
   * @deprecated use `injectedAbort` (in other languages `abort` is only the static factory)
   * @jsii ignore
   */
  public get abort(): FaultAbort | undefined {
    return this.injectedAbort;
  }

  /** This fault plus a delay. */
  public withDelay(fixedDelay: Duration, percent = 100): FaultInjection {
    return new FaultInjection({ abort: this.injectedAbort, delay: { fixedDelay, percent } });
  }

  /** This fault plus an abort. */
  public withAbort(httpStatus: number, percent = 100): FaultInjection {
    return new FaultInjection({ delay: this.injectedDelay, abort: { httpStatus, percent } });
  }

  public toString(): string {
    const { injectedDelay: delay, injectedAbort: abort } = this;
    return [
      delay ? `delay ${delay.fixedDelay.toMilliseconds()}ms for ${delay.percent}%` : undefined,
      abort ? `abort ${abort.httpStatus} for ${abort.percent}%` : undefined,
    ].filter(Boolean).join(' and ');
  }
}
