import { ErrorSource, fail, quote } from './errors';

/** Validates a percentage in [0, 100]. */
export function validatePercent(source: ErrorSource, prop: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    fail(source, prop, `must be a percentage between 0 and 100, got ${quote(value)}`, 'pass a number such as 10 for 10%');
  }
  return value;
}

/** Validates a whole-number percentage in [0, 100] (route weights). */
export function validateWeight(source: ErrorSource, prop: string, value: number): number {
  validatePercent(source, prop, value);
  if (!Number.isInteger(value)) {
    fail(source, prop, `must be a whole number (Istio and the Gateway API take integer weights), got ${quote(value)}`, `use ${Math.round(value)}`);
  }
  return value;
}

/** Validates a positive integer with an optional upper bound. */
export function validatePositiveInt(source: ErrorSource, prop: string, value: number, options: { min?: number; max?: number } = {}): number {
  const min = options.min ?? 1;
  const max = options.max ?? 2_147_483_647;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(source, prop, `must be a whole number from ${min} to ${max}, got ${quote(value)}`, `pass a whole number in that range`);
  }
  return value;
}

/**
 * Checks that the weights of a split sum to 100; the message lists them as `label=weight`.
 * Each weight is validated by the caller, with its own prop name.
 */
export function validateWeightTotal(source: ErrorSource, prop: string, weights: ReadonlyArray<readonly [string, number]>, fix = 'adjust the weights so they add up to 100'): void {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  if (total !== 100) fail(source, prop, `must sum to 100, got ${total} (${weights.map(([l, w]) => `${l}=${w}`).join(', ')})`, fix);
}
