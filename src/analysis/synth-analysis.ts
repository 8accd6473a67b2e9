import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { analyze } from './analyze';
import { Finding, formatFinding, Severity } from './finding';
import { Manifest } from './manifest';
import { serviceHost } from './hosts';

/**
 * The context key that turns synth-time analysis off: set it to `off` on the App (or a Chart)
 * before adding children, e.g. `app.node.setContext(ANALYSIS_CONTEXT_KEY, 'off')`.
 */
export const ANALYSIS_CONTEXT_KEY = 'cdk8s-mesh:analysis';

const analyzedCharts = new WeakSet<Chart>();
const printedWarnings = new WeakMap<Chart, Set<string>>();

/**
 * The findings of a chart's last analysis, reused while the same synchronous synth is running.
 * `App.synth()` validates the app once, then again inside every `Chart.toJson()`; without this
 * the chart would be rendered and analyzed 1 + (number of charts) times per synth. An entry
 * expires at the end of the current job (a microtask bumps `generation`) and is ignored if the
 * app's construct count changed, so a later synth after changes analyzes afresh. Only findings are
 * kept, never the rendered objects.
 */
const recentFindings = new WeakMap<Chart, { generation: number; constructs: number; findings: Finding[] }>();
/** Bumped at the end of every job in which a chart was analyzed, which expires `recentFindings`. */
let generation = 0;
let generationEnding = false;

/**
 * Makes every synth of the chart holding `scope` run the analysis on that chart's manifests.
 * Idempotent: one validation per chart however many constructs call it. Error findings fail the
 * synth (they are returned as validation errors); warnings are printed to stderr once.
 *
 * Each chart is analyzed on its own (charts of one app may be alternative scenarios); what other
 * charts of the app define (MeshService hosts, Services, Istio Gateways) only counts as known to exist.
 */
export function enableAnalysis(scope: IConstruct): void {
  const chart = Chart.of(scope);
  if (analyzedCharts.has(chart)) return;
  analyzedCharts.add(chart);
  chart.node.addValidation({ validate: () => analyzeChart(chart) });
}

/** True if analysis is turned off for the chart with the `cdk8s-mesh:analysis` context. */
export function analysisDisabled(chart: Chart): boolean {
  const value = chart.node.tryGetContext(ANALYSIS_CONTEXT_KEY);
  return value === 'off' || value === false || value === 'false';
}

/** The chart's objects as JSON, rendered without synthesizing the app (no validation, no dependency ordering). */
export function chartManifests(chart: Chart): Manifest[] {
  const out: Manifest[] = [];
  collect(chart, chart, out);
  return out;
}

function collect(c: IConstruct, chart: Chart, out: Manifest[]): void {
  for (const child of c.node.children) {
    if (Chart.isChart(child)) continue; // a nested chart is analyzed (and synthesized) on its own
    if (ApiObject.isApiObject(child)) out.push(child.toJson());
    collect(child, chart, out);
  }
}

/** A construct that has the shape of a MeshService (matched by shape to keep this module free of import cycles). */
interface MeshServiceLike extends IConstruct {
  readonly host: string;
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly versions: ReadonlyArray<{ readonly serviceName: string }>;
}

function isMeshServiceLike(c: IConstruct): c is MeshServiceLike {
  const ctor = (c as any).constructor;
  return typeof ctor?.isMeshService === 'function' && ctor.isMeshService(c) === true;
}

/**
 * What the rest of the app declares: MeshService hosts (and their per-version Services), Services
 * and Istio Gateways of other charts; and the app's construct count.
 */
function knownFromApp(chart: Chart): { known: { knownHosts: string[]; knownGateways: string[] }; constructs: number } {
  const hosts = new Set<string>();
  const gateways = new Set<string>();
  const all = chart.node.root.node.findAll();
  for (const c of all) {
    if (isMeshServiceLike(c)) {
      hosts.add(c.host);
      for (const v of c.versions) hosts.add(serviceHost(v.serviceName, c.namespace, c.clusterDomain));
    } else if (ApiObject.isApiObject(c) && c.chart !== chart) {
      const ns = c.metadata.namespace ?? 'default';
      if (c.kind === 'Service' && c.apiVersion === 'v1') hosts.add(serviceHost(c.name, ns));
      else if (c.kind === 'Gateway' && c.apiGroup === 'networking.istio.io') gateways.add(`${ns}/${c.name}`);
    }
  }
  return { known: { knownHosts: [...hosts].sort(), knownGateways: [...gateways].sort() }, constructs: all.length };
}

/** Analyzes one chart: the validation `enableAnalysis` registers. Returns the errors as lines. */
export function analyzeChart(chart: Chart): string[] {
  if (analysisDisabled(chart)) return [];
  const findings = findingsOf(chart);
  printWarnings(chart, findings.filter((f) => f.severity !== Severity.ERROR));
  return findings.filter((f) => f.severity === Severity.ERROR).map(formatFinding);
}

function findingsOf(chart: Chart): Finding[] {
  const { known, constructs } = knownFromApp(chart);
  const recent = recentFindings.get(chart);
  if (recent && recent.generation === generation && recent.constructs === constructs) return recent.findings;
  const findings = analyze(chartManifests(chart), { ...known, defaultNamespace: chart.namespace ?? 'default' });
  recentFindings.set(chart, { generation, constructs, findings });
  if (!generationEnding) {
    generationEnding = true;
    // the closure holds no chart: a synchronous script synthesizing many apps must not keep them alive
    queueMicrotask(() => {
      generation++;
      generationEnding = false;
    });
  }
  return findings;
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
