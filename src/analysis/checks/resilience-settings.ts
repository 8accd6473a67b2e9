import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

const INT32_MAX = 2_147_483_647;
const POOL_COUNTERS: Record<string, string[]> = {
  tcp: ['maxConnections'],
  http: ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams'],
};

/** Each traffic policy of a DestinationRule with where it sits: top level, per port, per subset. */
function trafficPolicies(dr: Manifest): Array<{ where: string; policy: any }> {
  const out: Array<{ where: string; policy: any }> = [];
  const add = (where: string, p: any) => {
    if (!p || typeof p !== 'object') return;
    out.push({ where, policy: p });
    (Array.isArray(p.portLevelSettings) ? p.portLevelSettings : []).forEach((s: any, i: number) => out.push({ where: `${where}.portLevelSettings[${i}]`, policy: s }));
  };
  add('trafficPolicy', dr.spec?.trafficPolicy);
  (Array.isArray(dr.spec?.subsets) ? dr.spec.subsets : []).forEach((s: any) => add(`subset ${s?.name} trafficPolicy`, s?.trafficPolicy));
  return out;
}

function isWhole(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

const NON_IDEMPOTENT = ['POST', 'PATCH'];
const SAFE_RETRY_ON = ['connect-failure', 'refused-stream'];

/** True when every match of a route requires a non-idempotent method. */
function onlyNonIdempotent(match: unknown): boolean {
  if (!Array.isArray(match) || match.length === 0) return false;
  return match.every((m: any) => NON_IDEMPOTENT.includes(String(m?.method?.exact ?? '').toUpperCase()));
}

function percentOf(p: any): number | undefined {
  if (p?.percentage?.value !== undefined) return p.percentage.value;
  return p?.percent;
}

/**
 * Resilience settings that Istio rejects, ignores or has deprecated:
 *
 * - MESH0101 (error): a DestinationRule connection-pool counter outside 1..2^31-1, or an outlier
 *   detection percentage outside 0..100.
 * - MESH0102 (warning): outlier detection with the deprecated `consecutiveErrors`.
 * - MESH0103 (error): a VirtualService fault whose percentage is outside 0..100, or which has
 *   neither a delay nor an abort.
 * - MESH0104 (warning): a retry policy with 0 attempts and other retry settings, which do nothing.
 * - MESH0105 (warning): retries on a route that only matches non-idempotent methods (POST, PATCH)
 *   on conditions other than connection failures, which may repeat side effects. A warning, since
 *   the application may deduplicate (idempotency keys).
 */
export const resilienceSettingsAnalyzer: IAnalyzer = {
  name: 'resilience-settings',
  codes: ['MESH0101', 'MESH0102', 'MESH0103', 'MESH0104', 'MESH0105'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const dr of index.ofKind('networking.istio.io', 'DestinationRule')) {
      for (const { where, policy } of trafficPolicies(dr)) {
        for (const [section, keys] of Object.entries(POOL_COUNTERS)) {
          for (const key of keys) {
            const v = policy.connectionPool?.[section]?.[key];
            if (v === undefined || isWhole(v, 1, INT32_MAX)) continue;
            out.push(findingAbout(index, dr, 'MESH0101', Severity.ERROR,
              `${where}.connectionPool.${section}.${key} is ${JSON.stringify(v)}, outside 1..${INT32_MAX}. Fix: set a positive whole limit such as 100, or remove it for no limit`));
          }
        }
        const od = policy.outlierDetection;
        if (!od || typeof od !== 'object') continue;
        for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
          if (od[key] === undefined || isWhole(od[key], 0, 100)) continue;
          out.push(findingAbout(index, dr, 'MESH0101', Severity.ERROR,
            `${where}.outlierDetection.${key} is ${JSON.stringify(od[key])}, outside 0..100. Fix: use a whole percentage, e.g. 50`));
        }
        if (od.consecutiveErrors !== undefined) {
          out.push(findingAbout(index, dr, 'MESH0102', Severity.WARNING,
            `${where}.outlierDetection uses consecutiveErrors, which Istio deprecated. Fix: use consecutive5xxErrors${od.consecutive5xxErrors === undefined ? ` (${JSON.stringify(od.consecutiveErrors)})` : ''}, or consecutiveGatewayErrors for 502/503/504 only`));
        }
      }
    }
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const routes: any[] = Array.isArray(vs.spec?.http) ? vs.spec.http : [];
      routes.forEach((r, i) => {
        const where = `http[${i}]${r?.name ? ` (${r.name})` : ''}`;
        const fault = r?.fault;
        if (fault && typeof fault === 'object') {
          if (!fault.delay && !fault.abort) {
            out.push(findingAbout(index, vs, 'MESH0103', Severity.ERROR, `${where}.fault has neither a delay nor an abort. Fix: add fault.delay or fault.abort, or remove the fault`));
          }
          for (const kind of ['delay', 'abort']) {
            const p = percentOf(fault[kind]);
            if (p === undefined || (typeof p === 'number' && p >= 0 && p <= 100)) continue;
            out.push(findingAbout(index, vs, 'MESH0103', Severity.ERROR, `${where}.fault.${kind} percentage is ${JSON.stringify(p)}, outside 0..100. Fix: use a percentage such as 10`));
          }
        }
        const retries = r?.retries;
        if (retries && retries.attempts === 0) {
          const extra = ['perTryTimeout', 'retryOn', 'retryRemoteLocalities', 'backoff'].filter((k) => retries[k] !== undefined);
          if (extra.length) {
            out.push(findingAbout(index, vs, 'MESH0104', Severity.WARNING,
              `${where}.retries has attempts 0 (retries off) but also sets ${extra.join(', ')}, which do nothing. Fix: set attempts to 1 or more, or remove ${extra.join(', ')}`));
          }
        }
        if (retries && retries.attempts > 0 && onlyNonIdempotent(r.match)) {
          const conditions = typeof retries.retryOn === 'string' ? retries.retryOn.split(',').map((c: string) => c.trim()) : [];
          const unsafe = conditions.length === 0 ? ['(Istio\'s defaults, which include 503)'] : conditions.filter((c: string) => !SAFE_RETRY_ON.includes(c));
          if (unsafe.length) {
            out.push(findingAbout(index, vs, 'MESH0105', Severity.WARNING,
              `${where} matches only ${NON_IDEMPOTENT.join('/')} requests but retries them on ${unsafe.join(', ')}, which can repeat a request the application already processed. `
              + 'Fix: retry only on connect-failure,refused-stream, set retries.attempts to 0, or make the requests idempotent (e.g. idempotency keys)'));
          }
        }
      });
    }
    return out;
  },
};
