import { IConstruct } from 'constructs';
import { ErrorSource } from '../core/errors';
import { validateLabelSelector } from '../core/labels';

/**
 * Validates a label selector (`matchLabels`): non-empty, with valid keys and values. Returns a sorted copy.
 * With `cilium`, keys may carry a Cilium label source prefix (`k8s:io.kubernetes.pod.namespace`).
 */
export function validateSelector(source: ErrorSource | IConstruct, prop: string, labels: Record<string, string> | undefined, options: { cilium?: boolean } = {}): Record<string, string> {
  return validateLabelSelector(source, prop, labels, options);
}

/** Sorted unique strings. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
