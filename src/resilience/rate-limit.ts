import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';

/**
 * A request rate: `requests` per `per`.
 *
 * @example
 * RateLimit.perSecond(100)
 * RateLimit.perMinute(600)
 */
export class RateLimit {
  public static perSecond(requests: number): RateLimit {
    return new RateLimit(requests, Duration.seconds(1));
  }

  public static perMinute(requests: number): RateLimit {
    return new RateLimit(requests, Duration.minutes(1));
  }

  /** `requests` per `per` (at least 50ms, Envoy's shortest fill interval). */
  public static of(requests: number, per: Duration): RateLimit {
    return new RateLimit(requests, per);
  }

  private constructor(public readonly requests: number, public readonly per: Duration) {
    const where = 'RateLimit';
    if (!Number.isInteger(requests) || requests < 1 || requests > 4_294_967_295) fail(where, 'requests', `must be a whole number from 1 to 4294967295, got ${quote(requests)}`, 'pass e.g. 100');
    if (!(per instanceof Duration)) fail(where, 'per', `must be a Duration, got ${quote(per)}`, 'use Duration.seconds(1)');
    const ms = validateDuration(where, 'per', per);
    if (ms < 50) fail(where, 'per', `must be at least 50ms (Envoy refills token buckets at most every 50ms), got ${ms}ms`, 'use a longer period, e.g. RateLimit.perSecond(...)');
  }

  /** Whole requests per second, or undefined when the rate is not a whole number per second (Linkerd needs one). */
  public get requestsPerSecond(): number | undefined {
    const rps = (this.requests * 1000) / this.per.toMilliseconds();
    return Number.isInteger(rps) ? rps : undefined;
  }

  public toString(): string {
    return `${this.requests} per ${this.per.toMilliseconds()}ms`;
  }
}
