// promtool checks and unit-tests the queries of the Flagger MetricTemplates (promtool/flagger-*.test.yaml),
// with Flagger's template variables substituted as Flagger renders them for the Canary `reviews` in
// `bookinfo` ({{ namespace }}, {{ service }}, {{ interval }}: pkg/apis/flagger/v1beta1/metric.go).
// Each metric becomes a recording rule (its value) and an alert that fires exactly when Flagger's
// thresholdRange check halts the canary. Flagger halts on "no values found" too, so the no-traffic
// cases check that the query returns a passing value, not nothing and not NaN. Skipped without promtool.
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryAnalysis } from '../../src/progressive/canary-analysis';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { cleanup, hasPromtool, promtool, stage as stageRuleFiles } from '../observability/promtool/scenario';

/** Flagger's template variables for the Canary reviews.bookinfo with a 5-minute metric interval. */
function substitute(query: string, interval: string): string {
  return query.replace(/\{\{ namespace \}\}/g, 'bookinfo').replace(/\{\{ service \}\}/g, 'reviews').replace(/\{\{ interval \}\}/g, interval);
}

function ruleFile(mesh: Mesh, analysis?: CanaryAnalysis): unknown {
  const chart = meshChart(mesh);
  new CanaryService(chart, 'reviews-canary', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.flagger(), analysis });
  const out = Testing.synth(chart);
  const [canary] = ofKind(out, 'Canary');
  const templates = new Map(ofKind(out, 'MetricTemplate').map((t) => [t.metadata.name, t.spec.query as string]));
  const rules = canary.spec.analysis.metrics.flatMap((m: any) => {
    const query = substitute(templates.get(m.templateRef.name)!, m.interval);
    const alert = `Canary${m.name.split('-').map((w: string) => w[0].toUpperCase() + w.slice(1)).join('')}Fails`;
    const failing = m.thresholdRange.min !== undefined ? `< ${m.thresholdRange.min}` : `> ${m.thresholdRange.max}`;
    return [
      { record: 'canary:result', expr: query, labels: { metric: m.name } },
      { alert, expr: `canary:result{metric="${m.name}"} ${failing}`, labels: { metric: m.name } },
    ];
  });
  return { groups: [{ name: 'flagger', rules }] };
}

const stage = (files: Record<string, unknown>, tests: string[]) => stageRuleFiles(files, tests, path.join(__dirname, 'promtool'));

const rules = () => ({ 'flagger-istio.rules.yaml': ruleFile(Mesh.ISTIO), 'flagger-linkerd.rules.yaml': ruleFile(Mesh.LINKERD) });

(hasPromtool ? describe : describe.skip)('promtool on the Flagger MetricTemplates', () => {
  afterAll(cleanup);

  test('promtool check rules accepts every query with the template variables substituted', () => {
    const files = rules();
    const r = promtool(stage(files, []), 'check', 'rules', ...Object.keys(files));
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  test.each(['flagger-istio.test.yaml', 'flagger-linkerd.test.yaml'])('promtool test rules %s passes (healthy, failing, no traffic)', (file) => {
    const r = promtool(stage(rules(), [file]), 'test', 'rules', file);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 60_000);

  test('the Istio tests fail when the success threshold is 80%', () => {
    const files = { ...rules(), 'flagger-istio.rules.yaml': ruleFile(Mesh.ISTIO, CanaryAnalysis.of({ successRatePercent: 80 })) };
    const r = promtool(stage(files, ['flagger-istio.test.yaml']), 'test', 'rules', 'flagger-istio.test.yaml');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: CanarySuccessRateFails');
  }, 60_000);
});
