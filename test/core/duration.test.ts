import { Duration } from 'cdk8s';
import fc from 'fast-check';
import { renderDuration, validateDuration } from '../../src/core/duration';

const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

function parse(s: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  for (const [, n, u] of s.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(n) * units[u];
  return total;
}

describe('renderDuration', () => {
  test.each([
    [Duration.millis(150), '150ms'],
    [Duration.seconds(5), '5s'],
    [Duration.minutes(1), '1m'],
    [Duration.seconds(90), '1m30s'],
    [Duration.hours(2), '2h'],
    [Duration.millis(123456), '2m3s456ms'],
  ])('%p renders as %s', (d, expected) => {
    expect(renderDuration('test', 'timeout', d)).toBe(expected);
  });

  test('rejects durations under 1ms', () => {
    expect(() => renderDuration('Chart/reviews', 'timeout', Duration.millis(0))).toThrow(/Chart\/reviews: timeout must be at least 1ms, got 0ms\. Fix:/);
  });

  test('rejects sub-millisecond precision', () => {
    expect(() => validateDuration('x', 'perTryTimeout', Duration.millis(1.5))).toThrow(/perTryTimeout must be a whole number of milliseconds, got 1.5ms/);
  });

  test('any whole-millisecond duration round-trips and fits the Gateway API pattern', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999 * 3_600_000 }), (ms) => {
      const s = renderDuration('p', 'd', Duration.millis(ms));
      expect(s).toMatch(GATEWAY_API_DURATION);
      expect(parse(s)).toBe(ms);
    }));
  });
});
