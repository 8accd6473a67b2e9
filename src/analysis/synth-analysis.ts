import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, keepMeshConfigErrors, MeshConfigError, quote } from '../core/errors';
import { analyze } from './analyze';
import { Analyzer } from './analyzer';
import { duplicateObjectsAnalyzer } from './checks/duplicate-objects';
import { Finding, formatFinding, Severity } from './finding';
import { serviceHost } from './hosts';
import { Manifest } from './manifest';
import { ANALYZERS } from './registry';

/**
 * The context key that turns synth-time analysis off: set it to `off` on the App (or a Chart)
 * before adding children, e.g. `app.node.setContext(ANALYSIS_CONTEXT_KEY, 'off')`.
 */
export const ANALYSIS_CONTEXT_KEY = 'cdk8s-mesh:analysis';

/**
 * The analyzers of a synth: all but the duplicate-object check, which the app-level object identity
 * check (core/object-identity.ts, turned on by every construct that turns the analysis on) already
 * makes on the constructs of the charts applied together, a superset of one chart, naming both.
 */
function synthAnalyzers(): Analyzer[] {
  return ANALYZERS.filter((a) => a !== duplicateObjectsAnalyzer);
}

const analyzedCharts = new WeakSet<Chart>();
const declared = new WeakMap<IConstruct, { hosts: Set<string>; gateways: Set<string>; secrets: Set<string> }>();
const printedWarnings = new WeakMap<Chart, Set<string>>();

/**
 * Makes every synth of the chart holding `scope` run the analysis on that chart's manifests.
 * Idempotent: the chart is analyzed once per synth however many constructs call it. Error
 * findings fail the synth; warnings are printed to stderr once.
 *
 * The analysis reads exactly the objects the synth writes: it runs inside the chart's `toJson()`
 * (which `App.synth()`, `App.synthYaml()` and `Testing.synth()` call once per chart), on the
 * objects it returns, so nothing is rendered twice. Only for the one output type that bypasses
 * `Chart.toJson()` (`FOLDER_PER_CHART_FILE_PER_RESOURCE`) does a chart validation render the
 * objects for the analysis instead.
 *
 * Each chart is analyzed on its own (charts of one app may be alternative scenarios); what other
 * charts of the app render (Services, Istio Gateways) only counts as known to exist.
 */
export function enableAnalysis(scope: IConstruct): void {
  const chart = Chart.of(scope);
  if (analyzedCharts.has(chart)) return;
  analyzedCharts.add(chart);
  const render: () => any[] = chart.toJson;
  Object.defineProperty(chart, 'toJson', {
    configurable: true,
    writable: true,
    value: function toJson(this: Chart): any[] {
      const objects = keepMeshConfigErrors(() => render.call(this));
      failOnErrors(this, analyzeObjects(this, objects));
      return objects;
    },
  });
  chart.node.addValidation({ validate: () => (bypassesChartToJson(chart) ? analyzeChart(chart) : []) });
}

/**
 * Declares hosts that exist outside the app (Services the cluster already runs, external names)
 * for the synth-time analysis of every chart of the app: FQDNs such as
 * `legacy.billing.svc.cluster.local`, or wildcards such as `*.corp.example.com`.
 */
export function declareKnownHosts(scope: IConstruct, hosts: string[]): void {
  for (const h of hosts) {
    if (typeof h !== 'string' || h.trim() === '') fail(scope, 'knownHosts', `must be host names, got ${quote(h)}`, 'pass FQDNs such as "legacy.billing.svc.cluster.local" or wildcards such as "*.example.com"');
    declaredFor(scope).hosts.add(h.trim().toLowerCase());
  }
}

/** Declares Istio Gateways (`namespace/name`) that exist outside the app, for the synth-time analysis. */
export function declareKnownGateways(scope: IConstruct, gateways: string[]): void {
  for (const g of gateways) {
    if (typeof g !== 'string' || !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(g)) fail(scope, 'knownGateways', `must be "<namespace>/<name>", got ${quote(g)}`, 'pass e.g. "istio-system/public-gateway"');
    declaredFor(scope).gateways.add(g);
  }
}

/**
 * Declares Secrets (`namespace/name`) that exist outside the app, such as the TLS certificates
 * cert-manager issues for Istio Gateways, for the synth-time analysis. Declaring any turns on the
 * check that a Gateway's `credentialName` names an existing Secret (IST0101).
 */
export function declareKnownSecrets(scope: IConstruct, secrets: string[]): void {
  for (const s of secrets) {
    if (typeof s !== 'string' || !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(s)) fail(scope, 'knownSecrets', `must be "<namespace>/<name>", got ${quote(s)}`, 'pass e.g. "istio-system/shop-example-com"');
    declaredFor(scope).secrets.add(s);
  }
}

function declaredFor(scope: IConstruct): { hosts: Set<string>; gateways: Set<string>; secrets: Set<string> } {
  const root = scope.node.root;
  let d = declared.get(root);
  if (!d) {
    d = { hosts: new Set(), gateways: new Set(), secrets: new Set() };
    declared.set(root, d);
  }
  return d;
}

/** True if analysis is turned off for the chart with the `cdk8s-mesh:analysis` context. */
export function analysisDisabled(chart: Chart): boolean {
  const value = chart.node.tryGetContext(ANALYSIS_CONTEXT_KEY);
  return value === 'off' || value === false || value === 'false';
}

/**
 * Renders the chart's objects and analyzes them (what the synth does, without writing anything).
 * Prints the warnings once and returns the errors as `formatFinding` lines.
 */
export function analyzeChart(chart: Chart): string[] {
  return analyzeObjects(chart, chartManifests(chart)).map(formatFinding);
}

/** The chart's objects as JSON, rendered without synthesizing the app (no validation, no dependency ordering). */
export function chartManifests(chart: Chart): Manifest[] {
  const out: Manifest[] = [];
  collect(chart, out);
  return out;
}

function collect(c: IConstruct, out: Manifest[]): void {
  for (const child of c.node.children) {
    if (Chart.isChart(child)) continue; // a nested chart is analyzed (and synthesized) on its own
    if (ApiObject.isApiObject(child)) out.push(child.toJson());
    collect(child, out);
  }
}

function bypassesChartToJson(chart: Chart): boolean {
  const root = chart.node.root;
  return root instanceof App && root.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
}

/** Analyzes rendered objects of a chart: prints the warnings (once per chart) and returns the errors. */
function analyzeObjects(chart: Chart, objects: readonly Manifest[]): Finding[] {
  if (analysisDisabled(chart)) return [];
  const findings = analyze(objects, { ...knownFromApp(chart), defaultNamespace: chart.namespace ?? 'default', analyzers: synthAnalyzers() });
  printWarnings(chart, findings.filter((f) => f.severity !== Severity.ERROR));
  return findings.filter((f) => f.severity === Severity.ERROR);
}

function failOnErrors(chart: Chart, errors: readonly Finding[]): void {
  if (errors.length === 0) return;
  const where = chart.node.path || chart.node.id;
  throw new MeshConfigError(`Analysis of chart ${where} failed with the following errors:\n  ${errors.map((f) => `[${where}] ${formatFinding(f)}`).join('\n  ')}\n`
    + `Fix the findings (see docs/analysis.md), or turn the analysis off with the context ${ANALYSIS_CONTEXT_KEY}=off.`);
}

/**
 * What exists besides the chart: the declared known hosts, gateways and Secrets, and the Services,
 * Istio Gateways and Secrets that other charts of the app render. A MeshService alone is not a
 * Service: counting its host as known made synth pass where `cdk8s-mesh analyze` on the written
 * files (which cannot see constructs) failed. Declare hosts deployed elsewhere with
 * declareKnownHosts (CLI: --known-host).
 */
function knownFromApp(chart: Chart): { knownHosts: string[]; knownGateways: string[]; knownSecrets: string[] } {
  const hosts = new Set<string>(declared.get(chart.node.root)?.hosts ?? []);
  const gateways = new Set<string>(declared.get(chart.node.root)?.gateways ?? []);
  const secrets = new Set<string>(declared.get(chart.node.root)?.secrets ?? []);
  for (const c of chart.node.root.node.findAll()) {
    if (ApiObject.isApiObject(c) && c.chart !== chart) {
      const ns = c.metadata.namespace ?? 'default';
      if (c.kind === 'Service' && c.apiVersion === 'v1') hosts.add(serviceHost(c.name, ns));
      else if (c.kind === 'Gateway' && c.apiGroup === 'networking.istio.io') gateways.add(`${ns}/${c.name}`);
      else if (c.kind === 'Secret' && c.apiVersion === 'v1') secrets.add(`${ns}/${c.name}`);
    }
  }
  return { knownHosts: [...hosts].sort(), knownGateways: [...gateways].sort(), knownSecrets: [...secrets].sort() };
}

function printWarnings(chart: Chart, findings: Finding[]): void {
  const printed = printedWarnings.get(chart) ?? new Set<string>();
  printedWarnings.set(chart, printed);
  for (const f of findings) {
    const line = formatFinding(f);
    if (printed.has(line)) continue;
    printed.add(line);
    process.stderr.write(`cdk8s-mesh analysis (${chart.node.path}): ${line}\n`);
  }
}
