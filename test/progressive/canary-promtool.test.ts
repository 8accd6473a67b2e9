// promtool checks and unit-tests every query an automatic canary engine runs (promtool/*.test.yaml):
// the AnalysisTemplate's metrics as rendered on Istio and on Linkerd (the Gateway API plugin).
// Each metric becomes a recording rule (its value) and an alert that fires exactly when the
// metric's successCondition fails. Skipped without promtool (.ci/run installs it).
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryAnalysis } from '../../src/progressive/canary-analysis';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { cleanup, hasPromtool, promtool, stage as stageRuleFiles } from '../observability/promtool/scenario';

interface CheckedQuery { readonly metric: string; readonly query: string; readonly successCondition: string }

/** `isNaN(result) || result >= 0.99` → `vector(q) < 0.99`: fires iff the condition is false (NaN compares false). */
function ruleFile(checks: CheckedQuery[]): unknown {
  const rules = checks.flatMap(({ metric, query, successCondition }) => {
    const m = /^isNaN\(result\) \|\| result (>=|<=) ([0-9.]+)$/.exec(successCondition);
    if (!m) throw new Error(`unexpected successCondition ${successCondition}`);
    const failing = `vector(${query}) ${m[1] === '>=' ? '<' : '>'} ${m[2]}`;
    const alert = `Canary${metric.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Fails`;
    return [{ record: 'canary:result', expr: `vector(${query})`, labels: { metric } }, { alert, expr: failing, labels: { metric } }];
  });
  return { groups: [{ name: 'canary', rules }] };
}

/** The AnalysisTemplate's metrics as Argo Rollouts renders them for the mesh. */
function checks(mesh: Mesh, analysis?: CanaryAnalysis): CheckedQuery[] {
  const chart = meshChart(mesh);
  new CanaryService(chart, 'reviews-canary', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts(), analysis });
  const [template] = ofKind(Testing.synth(chart), 'AnalysisTemplate');
  return template.spec.metrics.map((m: any) => ({ metric: m.name, query: m.provider.prometheus.query, successCondition: m.successCondition }));
}
const istioChecks = (analysis?: CanaryAnalysis) => checks(Mesh.ISTIO, analysis);

const stage = (files: Record<string, unknown>, tests: string[]) => stageRuleFiles(files, tests, path.join(__dirname, 'promtool'));

const rules = () => ({ 'canary-istio.rules.yaml': ruleFile(istioChecks()), 'canary-linkerd.rules.yaml': ruleFile(checks(Mesh.LINKERD)) });

(hasPromtool ? describe : describe.skip)('promtool on the canary queries', () => {
  afterAll(cleanup);

  test('promtool check rules accepts every query', () => {
    const files = rules();
    const r = promtool(stage(files, []), 'check', 'rules', ...Object.keys(files));
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  test.each(['canary-istio.test.yaml', 'canary-linkerd.test.yaml'])('promtool test rules %s passes', (file) => {
    const r = promtool(stage(rules(), [file]), 'test', 'rules', file);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 60_000);

  // Controls: the tests notice a looser threshold and a query that ignores the unreachable canary.
  test('the Istio tests fail when the success threshold is 80%', () => {
    const files = { ...rules(), 'canary-istio.rules.yaml': ruleFile(istioChecks(CanaryAnalysis.of({ successRatePercent: 80 }))) };
    const r = promtool(stage(files, ['canary-istio.test.yaml']), 'test', 'rules', 'canary-istio.test.yaml');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: CanarySuccessRateFails');
  }, 60_000);

  test('the Istio tests fail when "unknown" versions are not counted against the canary', () => {
    const checks = istioChecks().map((c) => ({ ...c, query: c.query.replace(/destination_version=~"v2\|unknown"/g, 'destination_version="v2"') }));
    const r = promtool(stage({ ...rules(), 'canary-istio.rules.yaml': ruleFile(checks) }, ['canary-istio.test.yaml']), 'test', 'rules', 'canary-istio.test.yaml');
    expect(r.status).not.toBe(0);
  }, 60_000);

  test('the Linkerd tests fail when the success rate reads the canary pods\' inbound series only (what never reaches them is missed)', () => {
    const inbound = (errors: string) => `response_total{direction="inbound",namespace="bookinfo",app="reviews",version="v2"${errors}}`;
    const inboundOnly = `scalar((1 - ((sum(rate(${inbound(',classification="failure"')}[60s])) or vector(0)) / sum(rate(${inbound('')}[60s])))) and on() (sum(increase(${inbound('')}[60s])) >= 1))`;
    const checks2 = checks(Mesh.LINKERD).map((c) => (c.metric === 'success-rate' ? { ...c, query: inboundOnly } : c));
    const r = promtool(stage({ ...rules(), 'canary-linkerd.rules.yaml': ruleFile(checks2) }, ['canary-linkerd.test.yaml']), 'test', 'rules', 'canary-linkerd.test.yaml');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: CanarySuccessRateFails');
  }, 60_000);
});
