import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { Mesh } from '../../src/core/mesh';
import { AlertSeverity, burnRate, ServiceLevelIndicator, ServiceLevelObjective, SRE_WORKBOOK_BURN_RATES } from '../../src/observability';
import { meshChart, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';
import { hasPromtool } from './promtool/scenario';

const batch = new SchemaBatch();

function rules(objects: any[]): any[] {
  return objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
}

describe('burn-rate table', () => {
  test('the SRE workbook table for a 30-day window: 14.4x/1h/5m and 6x/6h/30m page, 1x/3d/6h ticket', () => {
    expect(SRE_WORKBOOK_BURN_RATES.map((t) => [burnRate(t, Duration.days(30)), t.longWindow.toHours(), t.shortWindow.toMinutes(), t.severity])).toEqual([
      [14.4, 1, 5, AlertSeverity.CRITICAL],
      [6, 6, 30, AlertSeverity.CRITICAL],
      [1, 72, 360, AlertSeverity.WARNING],
    ]);
  });

  test('other windows keep the budget-consumption semantics (28 days pages at 13.44x)', () => {
    expect(burnRate(SRE_WORKBOOK_BURN_RATES[0], Duration.days(28))).toBe(13.44);
  });
});

describe('ServiceLevelObjective', () => {
  test('availability 99.9% over 30d: recording rules, budget series and three burn-rate alerts', () => {
    const c = meshChart();
    const slo = new ServiceLevelObjective(c, 'slo', { service: reviewsService(c), objectivePercent: 99.9, team: 'bookinfo', runbookBaseUrl: 'https://runbooks.example.com' });
    const objects = batch.add('availability', Testing.synth(c)) as any[];
    const rule = objects.find((o) => o.kind === 'PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'reviews-availability-slo', namespace: 'bookinfo' });
    expect(slo.objective).toBe(0.999);
    expect(slo.errorBudget).toBe(0.001);
    const rs = rules(objects);
    expect(rs.filter((r) => r.record).map((r) => r.record)).toEqual([
      'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h', 'slo:sli_error:ratio_rate1d', 'slo:sli_error:ratio_rate3d',
      'slo:sli_errors:rate5m', 'slo:sli_requests:rate5m', 'slo:sli_error:ratio_rate30d', 'slo:objective:ratio', 'slo:error_budget:remaining_ratio',
    ]);
    for (const r of rs) expect(r.labels).toMatchObject({ slo: 'reviews-availability', service: 'reviews', namespace: 'bookinfo' });
    const sel = '{slo="reviews-availability",service="reviews",namespace="bookinfo"}';
    expect(rs.find((r) => r.record === 'slo:error_budget:remaining_ratio').expr).toBe(`1 - (slo:sli_error:ratio_rate30d${sel} / 0.001)`);
    const alerts = rs.filter((r) => r.alert);
    expect(alerts.map((a) => [a.alert, a.labels.severity, a.labels.long_window, a.labels.short_window])).toEqual([
      ['ErrorBudgetBurn', 'critical', '1h', '5m'], ['ErrorBudgetBurn', 'critical', '6h', '30m'], ['ErrorBudgetBurn', 'warning', '3d', '6h'],
    ]);
    expect(alerts[0].expr).toBe(`slo:sli_error:ratio_rate1h${sel} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m${sel} > (14.4 * 0.001)`);
    expect(alerts[0].labels.team).toBe('bookinfo');
    expect(alerts[0].annotations.runbook_url).toBe('https://runbooks.example.com/ErrorBudgetBurn');
    expect(rule).toMatchSnapshot();
  });

  test('latency: the share of requests above the threshold bucket, matching "250" and "250.0"', () => {
    const c = meshChart();
    new ServiceLevelObjective(c, 'slo', { service: reviewsService(c), objectivePercent: 95, indicator: ServiceLevelIndicator.latency(Duration.millis(250)), window: Duration.days(28) });
    const rs = rules(batch.add('latency', Testing.synth(c)) as any[]);
    const sel = 'destination_service_namespace="bookinfo",destination_service_name="reviews"';
    const rate = (metric: string, extra = '') => `rate(${metric}{reporter="source",${sel}${extra}}[5m]) or rate(${metric}{reporter="destination",source_workload="unknown",${sel}${extra}}[5m])`;
    const le = ',le=~"250(\\\\.0)?"';
    expect(rs[0]).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: `1 - (sum(${rate('istio_request_duration_milliseconds_bucket', le)}) / sum(${rate('istio_request_duration_milliseconds_count')}))`,
      labels: { namespace: 'bookinfo', service: 'reviews', slo: 'reviews-latency' },
    });
    expect(rs.find((r) => r.record === 'slo:sli_errors:rate5m').expr).toBe(
      `(sum(${rate('istio_request_duration_milliseconds_count')}) - sum(${rate('istio_request_duration_milliseconds_bucket', le)}))`);
    expect(rs.some((r) => r.record === 'slo:sli_error:ratio_rate28d')).toBe(true);
    expect(rs.find((r) => r.alert).expr).toContain('> (13.44 * 0.05)');
  });

  test('Linkerd latency buckets allow 300ms', () => {
    const c = meshChart(Mesh.LINKERD);
    const slo = new ServiceLevelObjective(c, 'slo', { service: reviewsService(c), objectivePercent: 95, indicator: ServiceLevelIndicator.latency(Duration.millis(300)) });
    expect(slo.rule.rules[0].expr).toContain('response_latency_ms_bucket{direction="inbound",namespace="bookinfo",app="reviews",le=~"300(\\\\.0)?"}');
  });

  test('validation', () => {
    const c = meshChart();
    const svc = reviewsService(c);
    expect(() => new ServiceLevelObjective(c, 'a', { service: svc, objectivePercent: 100 })).toThrow(/objectivePercent must be strictly between 0 and 100, got 100/);
    expect(() => new ServiceLevelObjective(c, 'b', { service: svc, objectivePercent: 0 })).toThrow(/objectivePercent must be strictly between 0 and 100/);
    expect(() => new ServiceLevelObjective(c, 'c', { service: svc, objectivePercent: 99, window: Duration.days(3) })).toThrow(/window must be a whole number of hours from 7 to 90 days, got 3d/);
    expect(() => new ServiceLevelObjective(c, 'd', { service: svc, objectivePercent: 99, window: Duration.minutes(30 * 24 * 60 + 1) })).toThrow(/window must be a whole number of hours/);
    expect(() => new ServiceLevelObjective(c, 'e', { service: svc, objectivePercent: 99, indicator: ServiceLevelIndicator.latency(Duration.millis(300)) }))
      .toThrow(/threshold 300ms is not a bucket boundary of istio_request_duration_milliseconds_bucket .* Fix: use Duration.millis\(250\) or Duration.millis\(500\)/);
    expect(() => new ServiceLevelObjective(c, 'f', { service: svc, objectivePercent: 90 })).toThrow(/burnRates\[0\] needs an error ratio above 1.44 .* Fix: raise objectivePercent above 93.0555555556/);
    expect(() => new ServiceLevelObjective(c, 'g', { service: svc, objectivePercent: 99, burnRates: [] })).toThrow(/burnRates must list at least one tier/);
    expect(() => new ServiceLevelObjective(c, 'h', { service: svc, objectivePercent: 99, name: 'Bad_Name' })).toThrow(/name/);
    expect(() => ServiceLevelIndicator.latency(Duration.millis(0))).toThrow(/threshold must be positive/);
  });

  test('any objective either renders reachable thresholds or is refused (property)', () => {
    fc.assert(fc.property(fc.double({ min: 0.001, max: 99.999, noNaN: true }), fc.integer({ min: 7, max: 90 }), (p, days) => {
      const c = meshChart();
      const make = () => new ServiceLevelObjective(c, 'slo', { service: reviewsService(c), objectivePercent: p, window: Duration.days(days) });
      const budget = 1 - p / 100;
      const maxBurn = Math.max(...SRE_WORKBOOK_BURN_RATES.map((t) => burnRate(t, Duration.days(days))));
      if (maxBurn * budget >= 1 - 1e-9) {
        expect(make).toThrow(/can never happen/);
      } else if (maxBurn * budget < 1 - 1e-6) {
        const slo = make();
        for (const r of slo.rule.rules.filter((x) => x.alert)) {
          const [, rate, b] = /> \(([\d.]+) \* ([\d.e-]+)\)/.exec(r.expr)!;
          expect(Number(rate) * Number(b)).toBeLessThan(1);
        }
      }
    }), { numRuns: 60 });
  });

  (hasPromtool ? test : test.skip)('random valid SLOs pass promtool check rules (property)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-check-'));
    try {
      const files: string[] = [];
      fc.assert(fc.property(fc.constantFrom(99, 99.5, 99.9, 99.95, 99.99), fc.integer({ min: 7, max: 90 }), fc.boolean(), fc.constantFrom(Mesh.ISTIO, Mesh.LINKERD), (p, days, latency, mesh) => {
        const c = meshChart(mesh);
        const slo = new ServiceLevelObjective(c, 'slo', {
          service: reviewsService(c), objectivePercent: p, window: Duration.days(days),
          indicator: latency ? ServiceLevelIndicator.latency(Duration.millis(500)) : undefined,
        });
        const f = path.join(dir, `${files.length}.yaml`);
        fs.writeFileSync(f, YAML.stringify(slo.rule.toRuleFile()));
        files.push(f);
      }), { numRuns: 25 });
      const r = spawnSync('promtool', ['check', 'rules', ...files], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/FAILED/);
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
