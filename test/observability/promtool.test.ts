import * as fs from 'fs';
import * as path from 'path';
import { Mesh } from '../../src/core/mesh';
import { availabilitySloRules, cleanup, defaultRuleFiles, goldenSignalRules, hasPromtool, promtool, stage } from './promtool/scenario';

const TESTS = fs.readdirSync(path.join(__dirname, 'promtool')).filter((f) => f.endsWith('.test.yaml')).sort();

if (!hasPromtool) {
  // eslint-disable-next-line no-console
  console.warn('promtool not found: skipping the promtool rule checks and unit tests (install the Debian package "prometheus"; .ci/run does)');
}

(hasPromtool ? describe : describe.skip)('promtool', () => {
  afterAll(cleanup);

  test('the test suite lists the unit-test files', () => {
    expect(TESTS).toEqual(['golden-signals-linkerd.test.yaml', 'golden-signals.test.yaml', 'slo-burn-rate.test.yaml', 'slo-latency.test.yaml']);
  });

  test('promtool check rules accepts every generated rule file', () => {
    const files = defaultRuleFiles();
    const dir = stage(files, []);
    const r = promtool(dir, 'check', 'rules', ...Object.keys(files));
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  test.each(TESTS)('promtool test rules %s passes', (file) => {
    const dir = stage(defaultRuleFiles(), [file]);
    const r = promtool(dir, 'test', 'rules', file);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 60_000);

  // Controls: the unit tests must notice when the rules change behaviour.
  test('the golden-signal tests fail when the error-ratio threshold is 50% instead of 5%', () => {
    const files = { ...defaultRuleFiles(), 'golden-signals-istio.rules.yaml': goldenSignalRules(Mesh.ISTIO, { errorRatio: { thresholdPercent: 50 } }) };
    const dir = stage(files, ['golden-signals.test.yaml']);
    const r = promtool(dir, 'test', 'rules', 'golden-signals.test.yaml');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: MeshServiceHighErrorRatio');
  });

  test('the burn-rate tests fail for a 99% objective (10x the budget)', () => {
    const files = { ...defaultRuleFiles(), 'slo-availability.rules.yaml': availabilitySloRules(99) };
    const dir = stage(files, ['slo-burn-rate.test.yaml']);
    const r = promtool(dir, 'test', 'rules', 'slo-burn-rate.test.yaml');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: ErrorBudgetBurn');
  }, 60_000);
});
