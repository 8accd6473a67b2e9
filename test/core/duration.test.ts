import { Duration } from 'cdk8s';
import fc from 'fast-check';
import { envoyDuration, gatewayApiDuration, renderDuration, singleUnitDuration, validateDuration } from '../../src/core/duration';

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

/** Linkerd's annotation and HTTPRoute duration parser (policy controller `parse_duration`): one unit. */
function linkerdParse(s: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
}

describe('single-unit durations (Linkerd, Gateway API)', () => {
  test.each([
    [Duration.millis(1500), '1500ms'],
    [Duration.seconds(90), '90s'],
    [Duration.minutes(2), '2m'],
    [Duration.millis(123456), undefined], // 123456ms has six digits, and 123.456s is not whole
  ])('%p renders as %s', (d, expected) => {
    expect(singleUnitDuration('t', 'd', d)).toBe(expected);
  });

  test('gatewayApiDuration uses one unit where it fits, so Linkerd reads every timeout it can', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999 * 3_600_000 }), (ms) => {
      const s = gatewayApiDuration('p', 'd', Duration.millis(ms));
      expect(s).toMatch(GATEWAY_API_DURATION);
      expect(parse(s)).toBe(ms);
      if (singleUnitDuration('p', 'd', Duration.millis(ms)) !== undefined) expect(linkerdParse(s)).toBe(ms);
    }));
  });
});

describe('envoyDuration (protobuf JSON: seconds)', () => {
  test.each([
    [Duration.minutes(1), '60s'],
    [Duration.millis(500), '0.5s'],
    [Duration.millis(1050), '1.05s'],
    [Duration.hours(1), '3600s'],
  ])('%p renders as %s', (d, expected) => {
    expect(envoyDuration('t', 'd', d)).toBe(expected);
  });

  test('any whole-millisecond duration is a protobuf JSON duration of the same length', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 ** 10 }), (ms) => {
      const s = envoyDuration('p', 'd', Duration.millis(ms));
      expect(s).toMatch(/^\d+(\.\d{1,9})?s$/);
      expect(Math.round(Number(s.slice(0, -1)) * 1000)).toBe(ms);
    }));
  });
});
