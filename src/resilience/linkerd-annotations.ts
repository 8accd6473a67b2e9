import { Duration } from 'cdk8s';
import { ErrorSource, fail } from '../core/errors';
import { FAILURE_ACCRUAL_ANNOTATIONS, linkerdDuration } from './failure-accrual';
import { RetryCondition } from './retry-on';
import { RetryPolicy } from './retry-policy';

/** Linkerd's retry and timeout annotation keys (on a Service or an HTTPRoute). */
export const LINKERD_RETRY_ANNOTATIONS = {
  http: 'retry.linkerd.io/http',
  limit: 'retry.linkerd.io/limit',
  timeout: 'retry.linkerd.io/timeout',
  requestTimeout: 'timeout.linkerd.io/request',
} as const;

const LINKERD_CONDITIONS: Partial<Record<RetryCondition, string>> = {
  [RetryCondition.SERVER_ERROR]: '5xx',
  [RetryCondition.GATEWAY_ERROR]: 'gateway-error',
  [RetryCondition.RETRIABLE_4XX]: '409',
};

/**
 * Renders a retry policy as Linkerd's `retry.linkerd.io/*` annotations. Linkerd retries on
 * response codes only; the default condition set (no retryOn given) becomes `5xx`.
 */
export function linkerdRetryAnnotations(where: ErrorSource, prop: string, r: RetryPolicy): Record<string, string> {
  if (r.attempts === 0) return {};
  if (r.retryRemoteLocalities) fail(where, `${prop}.retryRemoteLocalities`, 'cannot be rendered for linkerd: Linkerd has no locality-aware retries', 'remove retryRemoteLocalities for Linkerd');
  if (r.backoff) fail(where, `${prop}.backoff`, 'cannot be rendered for linkerd: Linkerd\'s retry backoff is not configurable', 'remove backoff for Linkerd');
  const codes: string[] = [];
  if (r.retryOnIsDefault) {
    codes.push('5xx');
  } else {
    for (const c of r.retryOn!.conditions) {
      const mapped = LINKERD_CONDITIONS[c];
      if (!mapped) {
        fail(where, `${prop}.retryOn`, `cannot be rendered for linkerd: ${c} is a connection-level condition and retry.linkerd.io/http lists response codes only`,
          'retry on RetryCondition.SERVER_ERROR, RetryCondition.GATEWAY_ERROR or status codes for Linkerd');
      }
      codes.push(mapped);
    }
    codes.push(...r.retryOn!.codes.map(String));
  }
  const out: Record<string, string> = {
    [LINKERD_RETRY_ANNOTATIONS.http]: [...new Set(codes)].join(','),
    [LINKERD_RETRY_ANNOTATIONS.limit]: String(r.attempts),
  };
  if (r.perTryTimeout) out[LINKERD_RETRY_ANNOTATIONS.timeout] = linkerdDuration(r.perTryTimeout);
  return out;
}

/** Renders a request timeout as Linkerd's `timeout.linkerd.io/request` annotation. */
export function linkerdRequestTimeoutAnnotations(timeout: Duration): Record<string, string> {
  return { [LINKERD_RETRY_ANNOTATIONS.requestTimeout]: linkerdDuration(timeout) };
}

/**
 * Linkerd's annotation keys and duration format, for every language: the class form of
 * `LINKERD_RETRY_ANNOTATIONS`, `FAILURE_ACCRUAL_ANNOTATIONS` and `linkerdDuration`.
 */
export class LinkerdAnnotations {
  /** Retry and timeout annotation keys by setting (`http`, `limit`, `timeout`, `requestTimeout`). */
  public static readonly RETRY: Record<string, string> = { ...LINKERD_RETRY_ANNOTATIONS };
  /** Consecutive-failure accrual annotation keys by setting (`mode`, `maxFailures`, `minPenalty`, `maxPenalty`, `jitterRatio`). */
  public static readonly FAILURE_ACCRUAL: Record<string, string> = { ...FAILURE_ACCRUAL_ANNOTATIONS };

  /** A duration as Linkerd's annotations take it: one unit (`500ms`, `2s`, `5m`, `1h`). */
  public static duration(duration: Duration): string {
    return linkerdDuration(duration);
  }

  private constructor() {}
}
