// The rule files the promtool unit tests (*.test.yaml beside this file) run against. Each is
// rendered from constructs, so the tests exercise exactly what the library generates.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { Mesh, useMesh } from '../../../src/core/mesh';
import { ServiceAlerts, ServiceAlertsProps } from '../../../src/observability/alerting/service-alerts';
import { RuleFile } from '../../../src/observability/prometheus/prometheus-rule';
import { ServiceLevelIndicator } from '../../../src/observability/slo/service-level-indicator';
import { ServiceLevelObjective } from '../../../src/observability/slo/service-level-objective';
import { MeshService } from '../../../src/service/mesh-service';
import { ServicePort } from '../../../src/service/service-port';

/** True when promtool is on the PATH. */
export const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

function service(mesh: Mesh): MeshService {
  const chart = Testing.chart();
  useMesh(chart, mesh);
  return new MeshService(chart, 'reviews', { namespace: 'bookinfo', ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
}

/** Golden-signal alerts of reviews.bookinfo. */
export function goldenSignalRules(mesh: Mesh, props: Partial<ServiceAlertsProps> = {}): RuleFile {
  const svc = service(mesh);
  return new ServiceAlerts(svc.node.scope!, 'alerts', { service: svc, runbookBaseUrl: 'https://runbooks.example.com/mesh', ...props }).rule.toRuleFile();
}

/** reviews.bookinfo: 99.9% availability over 30 days. */
export function availabilitySloRules(objectivePercent = 99.9): RuleFile {
  const svc = service(Mesh.ISTIO);
  return new ServiceLevelObjective(svc.node.scope!, 'slo', { service: svc, objectivePercent }).rule.toRuleFile();
}

/** reviews.bookinfo: 99% of requests within 250 ms over 30 days. */
export function latencySloRules(mesh = Mesh.ISTIO): RuleFile {
  const svc = service(mesh);
  return new ServiceLevelObjective(svc.node.scope!, 'slo', {
    service: svc, objectivePercent: 99, indicator: ServiceLevelIndicator.latency(Duration.millis(250)),
  }).rule.toRuleFile();
}

/** The rule files the test YAMLs name in `rule_files`. */
export function defaultRuleFiles(): Record<string, RuleFile> {
  return {
    'golden-signals-istio.rules.yaml': goldenSignalRules(Mesh.ISTIO),
    'golden-signals-linkerd.rules.yaml': goldenSignalRules(Mesh.LINKERD),
    'slo-availability.rules.yaml': availabilitySloRules(),
    'slo-latency.rules.yaml': latencySloRules(),
  };
}

const staged: string[] = [];

/** Removes the directories stage() created. */
export function cleanup(): void {
  for (const d of staged.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Writes rule files and copies of the test YAMLs (from `testsDir`) into a fresh directory; returns it. */
export function stage(ruleFiles: Record<string, unknown>, tests: string[], testsDir = __dirname): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-promtool-'));
  staged.push(dir);
  for (const [name, file] of Object.entries(ruleFiles)) fs.writeFileSync(path.join(dir, name), YAML.stringify(file));
  for (const t of tests) fs.copyFileSync(path.join(testsDir, t), path.join(dir, t));
  return dir;
}

/** Runs promtool; returns its exit status and output. */
export function promtool(dir: string, ...args: string[]): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// `npx ts-node test/observability/promtool/scenario.ts <dir>` writes the rule files for manual runs.
if (require.main === module) {
  const dir = process.argv[2] ?? '.';
  for (const [name, file] of Object.entries(defaultRuleFiles())) fs.writeFileSync(path.join(dir, name), YAML.stringify(file));
}
