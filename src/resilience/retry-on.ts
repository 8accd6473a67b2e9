import { fail, quote } from '../core/errors';

/** The failure classes a retry can react to (Envoy's `x-envoy-retry-on` policies). */
export enum RetryCondition {
  /** Any 5xx response, a reset, a connect failure or a refused stream. */
  SERVER_ERROR = '5xx',
  /** 502, 503 or 504. */
  GATEWAY_ERROR = 'gateway-error',
  /** The upstream reset the stream or disconnected before responding. */
  RESET = 'reset',
  /** The connection to the upstream could not be established (the request never reached it). */
  CONNECT_FAILURE = 'connect-failure',
  /** The upstream refused an HTTP/2 stream with REFUSED_STREAM (the request was not processed). */
  REFUSED_STREAM = 'refused-stream',
  /** A 409 Conflict response. */
  RETRIABLE_4XX = 'retriable-4xx',
}

/** Conditions under which no request reached the application, so retrying never repeats its side effects. */
const SAFE_FOR_NON_IDEMPOTENT: readonly RetryCondition[] = [RetryCondition.CONNECT_FAILURE, RetryCondition.REFUSED_STREAM];

/**
 * When a request is retried: failure classes and/or response status codes.
 *
 * @example
 * RetryOn.of(RetryCondition.GATEWAY_ERROR, RetryCondition.CONNECT_FAILURE)
 * RetryOn.of(RetryCondition.RESET).withStatusCodes(503, 429)
 */
export class RetryOn {
  /** 5xx, reset, connect-failure and refused-stream: the seeds' usual `5xx,reset,connect-failure,refused-stream`. */
  public static readonly DEFAULT = RetryOn.of(RetryCondition.SERVER_ERROR, RetryCondition.RESET, RetryCondition.CONNECT_FAILURE, RetryCondition.REFUSED_STREAM);
  /** Only failures that happen before the request reaches the application; safe for non-idempotent requests. */
  public static readonly CONNECTION_FAILURES = RetryOn.of(RetryCondition.CONNECT_FAILURE, RetryCondition.REFUSED_STREAM);

  /** The given failure classes. */
  public static of(...conditions: RetryCondition[]): RetryOn {
    return new RetryOn(conditions, []);
  }

  /** The given response status codes (Envoy's retriable-status-codes). */
  public static statusCodes(...codes: number[]): RetryOn {
    return new RetryOn([], codes);
  }

  private readonly _conditions: readonly RetryCondition[];
  private readonly _codes: readonly number[];

  private constructor(conditions: RetryCondition[], codes: number[]) {
    const where = 'RetryOn';
    for (const c of conditions) {
      if (!Object.values(RetryCondition).includes(c)) fail(where, 'conditions', `contains an unknown condition ${quote(c)}`, `use RetryCondition.${Object.keys(RetryCondition).join(', RetryCondition.')}`);
    }
    for (const code of codes) {
      if (!Number.isInteger(code) || code < 100 || code > 599) fail(where, 'statusCodes', `must be HTTP status codes from 100 to 599, got ${quote(code)}`, 'pass codes such as 503 or 429');
    }
    this._conditions = [...new Set(conditions)];
    this._codes = [...new Set(codes)].sort((a, b) => a - b);
    if (this._conditions.length === 0 && this._codes.length === 0) {
      fail(where, 'conditions', 'must name at least one condition or status code', 'use e.g. RetryOn.of(RetryCondition.GATEWAY_ERROR) or RetryOn.DEFAULT');
    }
  }

  /** The failure classes, in the order given, without duplicates (a copy). */
  public get conditions(): RetryCondition[] {
    return [...this._conditions];
  }

  /** The retried status codes, ascending, without duplicates (a copy). */
  public get codes(): number[] {
    return [...this._codes];
  }

  /**
   * The retried status codes, ascending, without duplicates.
   * @deprecated use `codes` (in other languages `statusCodes` is only the static factory)
   * @jsii ignore
   */
  public get statusCodes(): readonly number[] {
    return this._codes;
  }

  /** These conditions plus the given status codes. */
  public withStatusCodes(...codes: number[]): RetryOn {
    return new RetryOn([...this._conditions], [...this._codes, ...codes]);
  }

  /** True when every condition fires only before the request reaches the application. */
  public get safeForNonIdempotent(): boolean {
    return this._codes.length === 0 && this._conditions.every((c) => SAFE_FOR_NON_IDEMPOTENT.includes(c));
  }

  /** Istio's `retryOn` string: the policies, then the codes (Istio adds listed codes to retriable-status-codes). */
  public toString(): string {
    return [...this._conditions, ...this._codes.map(String)].join(',');
  }
}
