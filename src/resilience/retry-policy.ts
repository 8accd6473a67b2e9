import { Duration } from 'cdk8s';
import { validateDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { RetryOn } from './retry-on';

/** Props of a {@link RetryPolicy}. */
export interface RetryPolicyProps {
  /** How many times a failed request is retried (after the first try). 0 disables retries. */
  readonly attempts: number;
  /**
   * The timeout of each try, the first one included.
   * @default - the route timeout (Istio); Linkerd's default (none)
   */
  readonly perTryTimeout?: Duration;
  /**
   * When to retry.
   * @default RetryOn.DEFAULT (5xx, reset, connect-failure, refused-stream)
   */
  readonly retryOn?: RetryOn;
  /**
   * Let retries go to endpoints in other localities (Istio `retryRemoteLocalities`).
   * @default false
   */
  readonly retryRemoteLocalities?: boolean;
  /**
   * The base interval of the exponential backoff between retries (Istio `backoff`).
   * @default - Envoy's 25ms
   */
  readonly backoff?: Duration;
}

/**
 * A retry policy for a route (or every route of a service, with `RequestPolicy`).
 *
 * @example
 * new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) })
 * RetryPolicy.DISABLED // Istio otherwise retries twice by default
 */
export class RetryPolicy {
  /** No retries: `attempts: 0`. Istio retries twice by default, so this is not the same as setting nothing. */
  public static readonly DISABLED = new RetryPolicy({ attempts: 0 });

  public readonly attempts: number;
  public readonly perTryTimeout?: Duration;
  public readonly retryOn?: RetryOn;
  public readonly retryRemoteLocalities?: boolean;
  public readonly backoff?: Duration;
  /** True when retryOn was not given and the default conditions apply. */
  public readonly retryOnIsDefault: boolean;

  public constructor(props: RetryPolicyProps) {
    const where = 'RetryPolicy';
    if (!Number.isInteger(props.attempts) || props.attempts < 0 || props.attempts > 100) {
      fail(where, 'attempts', `must be a whole number from 0 to 100, got ${quote(props.attempts)}`, 'pass e.g. attempts: 3');
    }
    if (props.perTryTimeout) validateDuration(where, 'perTryTimeout', props.perTryTimeout);
    if (props.backoff) validateDuration(where, 'backoff', props.backoff);
    if (props.retryOn !== undefined && !(props.retryOn instanceof RetryOn)) fail(where, 'retryOn', `must be a RetryOn, got ${quote(props.retryOn)}`, 'use RetryOn.of(...) or RetryOn.DEFAULT');
    if (props.attempts === 0 && (props.perTryTimeout || props.retryOn || props.retryRemoteLocalities || props.backoff)) {
      fail(where, 'attempts', 'is 0 (retries disabled), but other retry settings are given', 'set attempts to 1 or more, or drop perTryTimeout, retryOn, retryRemoteLocalities and backoff');
    }
    this.attempts = props.attempts;
    this.perTryTimeout = props.perTryTimeout;
    this.retryOn = props.attempts > 0 ? props.retryOn ?? RetryOn.DEFAULT : undefined;
    this.retryOnIsDefault = props.retryOn === undefined;
    this.retryRemoteLocalities = props.retryRemoteLocalities;
    this.backoff = props.backoff;
  }

  /** The longest the tries can take in total: (1 + attempts) × perTryTimeout, in ms; undefined without a per-try timeout. */
  public get worstCaseMillis(): number | undefined {
    return this.perTryTimeout ? (this.attempts + 1) * this.perTryTimeout.toMilliseconds() : undefined;
  }

  /** A stable description, used to compare policies and in messages. */
  public toString(): string {
    if (this.attempts === 0) return 'no retries';
    const parts = [`${this.attempts} attempts`];
    if (this.perTryTimeout) parts.push(`${this.perTryTimeout.toMilliseconds()}ms per try`);
    parts.push(`on ${this.retryOn}`);
    if (this.retryRemoteLocalities) parts.push('remote localities');
    if (this.backoff) parts.push(`backoff ${this.backoff.toMilliseconds()}ms`);
    return parts.join(', ');
  }
}
