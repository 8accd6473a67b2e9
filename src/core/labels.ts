import { ErrorSource, fail, quote } from './errors';
import { DNS_SUBDOMAIN } from './names';

/** A label key's name part: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A label value: empty, or like a label name. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Cilium label sources a selector key may start with (`k8s:app`, `any:team`). */
const CILIUM_SOURCE = /^(k8s|any|reserved|container|unspec):/;

/** Options of {@link validateLabels}. */
export interface LabelOptions {
  /** Keys may carry a Cilium label source (`k8s:io.kubernetes.pod.namespace`). */
  readonly cilium?: boolean;
}

/** True for a Kubernetes label key: `[prefix/]name`, the prefix a DNS subdomain of at most 253 characters. */
export function isLabelKey(key: unknown): key is string {
  if (typeof key !== 'string') return false;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = key.slice(slash + 1);
  return LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

/** True for a Kubernetes label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric, or empty. */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && LABEL_VALUE.test(value);
}

/**
 * Checks labels that become Kubernetes labels or label selectors (object labels, `matchLabels`,
 * `monitorLabels`, `ruleLabels`, namespace labels, ...): every key and value valid, as the API
 * server requires. Returns a copy sorted by key, or undefined when `labels` is undefined.
 */
export function validateLabels(source: ErrorSource, prop: string, labels: Record<string, string> | undefined, options: LabelOptions = {}): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) fail(source, prop, `must be a map of label keys to values, got ${quote(labels)}`, 'pass e.g. { app: "reviews" }');
  for (const [k, v] of Object.entries(labels)) {
    if (!isLabelKey(options.cilium ? k.replace(CILIUM_SOURCE, '') : k)) {
      fail(source, prop, `has the invalid label key ${quote(k)} (a name of at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric, optionally after a DNS prefix and '/')`,
        'use a key such as "app" or "example.com/tier"');
    }
    if (!isLabelValue(v)) {
      fail(source, `${prop}.${k}`, `must be a label value (at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric, or empty), got ${quote(v)}`,
        typeof v === 'string' ? `use e.g. ${quote(suggestLabelValue(v))}` : 'quote the value as a string');
    }
  }
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Checks a label selector (`matchLabels`): at least one label, each valid. Returns a copy sorted by key. */
export function validateLabelSelector(source: ErrorSource, prop: string, labels: Record<string, string> | undefined, options: LabelOptions = {}): Record<string, string> {
  if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) {
    fail(source, prop, `must name at least one pod label, got ${quote(labels)}`, 'pass e.g. { app: "reviews" }');
  }
  return validateLabels(source, prop, labels, options)!;
}

function suggestLabelValue(value: string): string {
  return value.replace(/[^-A-Za-z0-9_.]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63).replace(/[^A-Za-z0-9]+$/, '') || 'value';
}

/** Annotation keys are label keys; values are any string. Returns a copy sorted by key. */
export function validateAnnotations(scope: ErrorSource, prop: string, annotations: Record<string, string>): Record<string, string> {
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) fail(scope, prop, `must be a map of annotation keys to values, got ${quote(annotations)}`, 'pass e.g. { "example.com/owner": "team-a" }');
  for (const [k, v] of Object.entries(annotations)) {
    if (!isLabelKey(k)) fail(scope, prop, `has the invalid annotation key ${quote(k)} (a name of at most 63 alphanumerics, '-', '_' or '.', optionally after a DNS prefix and '/')`, 'use a key such as "example.com/owner"');
    if (typeof v !== 'string') fail(scope, `${prop}.${k}`, `must be a string, got ${quote(v)}`, `quote the value, e.g. ${quote(String(v))}`);
  }
  return Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
