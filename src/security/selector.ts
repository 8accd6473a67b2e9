import { IConstruct } from 'constructs';
import { ErrorSource, fail, quote } from '../core/errors';

const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Cilium label sources a selector key may start with (`k8s:app`, `any:team`). */
const CILIUM_SOURCE = /^(k8s|any|reserved|container|unspec):/;

/**
 * Validates a label selector (`matchLabels`): non-empty, with valid keys and values. Returns a sorted copy.
 * With `cilium`, keys may carry a Cilium label source prefix (`k8s:io.kubernetes.pod.namespace`).
 */
export function validateSelector(source: ErrorSource | IConstruct, prop: string, labels: Record<string, string> | undefined, options: { cilium?: boolean } = {}): Record<string, string> {
  if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) {
    fail(source, prop, `must name at least one pod label, got ${quote(labels)}`, 'pass e.g. { app: "reviews" }');
  }
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_NAME.test(options.cilium ? k.replace(CILIUM_SOURCE, '') : k)) fail(source, prop, `has an invalid label key ${quote(k)}`, 'use a Kubernetes label key such as "app" or "example.com/tier"');
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) fail(source, prop, `has an invalid value ${quote(v)} for ${k}`, 'use at most 63 alphanumerics, "-", "_" or "."');
  }
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Sorted unique strings. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
