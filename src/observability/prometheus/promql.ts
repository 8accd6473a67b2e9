import { Duration } from 'cdk8s';
import { millisOf } from '../../core/duration';
import { ErrorSource, fail, quote } from '../../core/errors';

const PROM_UNITS: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];

/**
 * Renders a duration in Prometheus' notation (`5m`, `1h30m`, `3d`), used both in PromQL range
 * selectors and in rule `for` fields.
 */
export function promDuration(source: ErrorSource, prop: string, duration: Duration): string {
  const ms = millisOf(source, prop, duration);
  if (ms < 1 || !Number.isInteger(ms)) {
    fail(source, prop, `must be a whole number of milliseconds of at least 1ms, got ${ms}ms`, 'use e.g. Duration.minutes(5)');
  }
  let rest = ms;
  let out = '';
  for (const [unit, size] of PROM_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Escapes a string for a double-quoted PromQL label value. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes a literal string for use inside a PromQL (RE2) regular expression. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The Prometheus label a Kubernetes label becomes when a scrape config copies pod labels
 * (`app.kubernetes.io/name` → `app_kubernetes_io_name`).
 */
export function sanitizeLabelName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** A label matcher of a PromQL selector. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** Equality matcher. */
export function eq(name: string, value: string): LabelMatcher {
  return { name, op: '=', value };
}

/** Regex matcher. */
export function re(name: string, value: string): LabelMatcher {
  return { name, op: '=~', value };
}

/** Negative equality matcher. */
export function ne(name: string, value: string): LabelMatcher {
  return { name, op: '!=', value };
}

/** Renders `metric{a="b",c=~"d"}`. */
export function selector(metric: string, matchers: LabelMatcher[]): string {
  if (matchers.length === 0) return metric;
  return `${metric}{${matchers.map((m) => `${m.name}${m.op}"${escapeLabelValue(m.value)}"`).join(',')}}`;
}

/**
 * Formats a number for PromQL without floating-point noise (`0.001`, not `0.0010000000000000009`).
 */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** A regex matching a histogram bucket boundary in both Prometheus 2 (`250`) and 3 (`250.0`) notation. */
export function leMatcher(boundary: number): LabelMatcher {
  const s = formatNumber(boundary);
  return re('le', Number.isInteger(boundary) ? `${s}(\\.0)?` : escapeRegex(s));
}

/** Validates a Prometheus metric / recording-rule name. */
export function validateMetricName(source: ErrorSource, prop: string, value: string): string {
  if (typeof value !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value)) {
    fail(source, prop, `must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${quote(value)}`, 'use e.g. "slo:sli_error:ratio_rate5m"');
  }
  return value;
}

/** Validates a Prometheus label name. */
export function validateLabelName(source: ErrorSource, prop: string, value: string): string {
  if (typeof value !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(value) || value.startsWith('__')) {
    fail(source, prop, `must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"), got ${quote(value)}`, 'use e.g. "team"');
  }
  return value;
}

/** Validates a map of Prometheus labels. */
export function validateLabels(source: ErrorSource, prop: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  for (const [k, v] of Object.entries(labels)) {
    validateLabelName(source, `${prop} key`, k);
    if (typeof v !== 'string') fail(source, `${prop}.${k}`, `must be a string, got ${quote(v)}`, 'quote the value');
  }
  return { ...labels };
}
