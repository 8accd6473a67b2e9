import { Duration } from 'cdk8s';
import { describeValue, ErrorSource, fail } from './errors';

const UNITS: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];

/**
 * Renders a duration as the Go/protobuf duration string Istio and the Gateway API accept
 * (`"5s"`, `"150ms"`, `"1m30s"`).
 *
 * Both require at least 1 ms and at most millisecond precision, and the Gateway API allows at most
 * five digits per unit, so composite forms (`"2m3s456ms"`) are used rather than `"123456ms"`.
 */
export function renderDuration(source: ErrorSource, prop: string, duration: Duration): string {
  const ms = validateDuration(source, prop, duration);
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * A user's duration in milliseconds, for checks: a clear error instead of cdk8s's own for a
 * non-Duration or a NaN/Infinity amount (cdk8s throws "'NaN seconds' cannot be converted").
 */
export function millisOf(source: ErrorSource, prop: string, duration: Duration): number {
  if (!(duration instanceof Duration)) fail(source, prop, `must be a Duration, got ${describeValue(duration)}`, 'use e.g. Duration.seconds(5)');
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms)) fail(source, prop, `must be a finite duration, got ${ms} milliseconds`, 'use e.g. Duration.millis(100) or Duration.seconds(2)');
  return ms;
}

/**
 * A duration in one unit (`1500ms`, `90s`, `2m`): the largest unit that holds it exactly in at
 * most five digits (the Gateway API's limit per unit), or undefined if none does. Linkerd's
 * policy controller parses annotation and HTTPRoute durations with a single unit and silently
 * ignores (HTTPRoute) or rejects (annotations) `1s500ms`.
 */
export function singleUnitDuration(source: ErrorSource, prop: string, duration: Duration): string | undefined {
  const ms = validateDuration(source, prop, duration);
  for (const [unit, size] of UNITS) {
    if (ms % size === 0 && ms / size <= 99_999) return `${ms / size}${unit}`;
  }
  return undefined;
}

/**
 * A duration for the Gateway API: one unit when one fits (every implementation parses that),
 * else the composite form.
 */
export function gatewayApiDuration(source: ErrorSource, prop: string, duration: Duration): string {
  return singleUnitDuration(source, prop, duration) ?? renderDuration(source, prop, duration);
}

/**
 * A protobuf `Duration` in its JSON form, as Envoy reads it in EnvoyFilter patches: seconds with
 * up to nine fractional digits (`60s`, `0.5s`), never `1m`.
 */
export function envoyDuration(source: ErrorSource, prop: string, duration: Duration): string {
  const ms = validateDuration(source, prop, duration);
  const seconds = Math.floor(ms / 1000);
  const frac = ms % 1000;
  return frac ? `${seconds}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${seconds}s`;
}

/** Validates a duration (>= 1 ms, whole milliseconds) and returns it in milliseconds. */
export function validateDuration(source: ErrorSource, prop: string, duration: Duration): number {
  const ms = millisOf(source, prop, duration);
  if (ms < 1) {
    fail(source, prop, `must be at least 1ms, got ${ms}ms`, 'use e.g. Duration.millis(100) or Duration.seconds(2)');
  }
  if (!Number.isInteger(ms)) {
    fail(source, prop, `must be a whole number of milliseconds, got ${ms}ms`, `round it, e.g. Duration.millis(${Math.max(1, Math.round(ms))})`);
  }
  if (ms > 99_999 * 3_600_000) {
    fail(source, prop, `is too long (${ms}ms)`, 'use a duration under 99,999 hours');
  }
  return ms;
}
