import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ANALYSIS_CONTEXT_KEY, analyzeChart, chartManifests } from '../../src/analysis/synth-analysis';
import { DestinationRule } from '../../src/istio/destination-rule';
import { VirtualService } from '../../src/istio/virtual-service';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { RouteTo } from '../../src/traffic/route-action';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

function badSubsetRoute(chart: Chart, id = 'reviews'): VirtualService {
  return new VirtualService(chart, id, { name: 'reviews', hosts: ['reviews'], http: [{ destinations: [{ host: 'reviews', subset: 'v9' }] }] });
}

function captureStderr(fn: () => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('synth-time analysis', () => {
  test('a hand-made VirtualService routing to an undefined subset fails the synth with IST0101', () => {
    const chart = Testing.chart();
    badSubsetRoute(chart);
    new DestinationRule(chart, 'dr', { name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    captureStderr(() => expect(() => Testing.synth(chart)).toThrow(/\[test\] error IST0101 VirtualService default\/reviews: http\[0\]\.route\[0\] routes to subset "v9" of reviews.default.svc.cluster.local, which DestinationRule default\/reviews does not define \(defined: v1\)/));
  });

  test('a MeshService canary with its workloads synthesizes cleanly', () => {
    const chart = Testing.chart();
    const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
    reviews.setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 }));
    new ServiceWorkloads(chart, 'reviews-workloads', {
      service: reviews,
      versions: [{ version: 'v1', image: 'example/reviews:v1' }, { version: 'v2', image: 'example/reviews:v2' }],
    });
    const lines = captureStderr(() => batch.add('canary', Testing.synth(chart)));
    expect(analyzeChart(chart)).toEqual([]);
    expect(lines).toEqual([]);
  });

  test('one validation per chart, however many constructs enable it', () => {
    const chart = Testing.chart();
    badSubsetRoute(chart, 'a');
    new VirtualService(chart, 'b', { name: 'details', hosts: ['details'], http: [{ destinations: [{ host: 'details' }] }] });
    new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
    // the MeshService makes `ratings` a known host, so unknown hosts are errors
    expect(chart.node.validate().map((e) => e.split(':')[0])).toEqual([
      'error IST0101 VirtualService default/details', 'error IST0101 VirtualService default/reviews', 'error IST0101 VirtualService default/reviews',
    ]);
    expect(chart.node.validate().filter((e) => /subset "v9"/.test(e))).toHaveLength(1);
  });

  test('charts are analyzed separately: alternative scenarios may both define VirtualService/reviews', () => {
    const app = Testing.app();
    for (const id of ['canary', 'blue-green']) {
      const chart = new Chart(app, id);
      const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
      reviews.setDefaultRoute(RouteTo.version('v2'));
    }
    expect(() => app.synthYaml()).not.toThrow();
    for (const chart of app.charts) batch.add(chart.node.id, Testing.synth(chart));
  });

  test('MeshServices and Services of other charts count as known hosts', () => {
    const app = Testing.app();
    new MeshService(new Chart(app, 'services'), 'ratings', { ports: [ServicePort.http(9080)] });
    const routes = new Chart(app, 'routes');
    new VirtualService(routes, 'ok', { name: 'reviews', hosts: ['reviews.example.com'], http: [{ destinations: [{ host: 'ratings' }] }] });
    expect(analyzeChart(routes)).toEqual([]);
    new VirtualService(routes, 'bad', { name: 'details', hosts: ['details.example.com'], http: [{ destinations: [{ host: 'details' }] }] });
    expect(analyzeChart(routes)).toEqual([expect.stringMatching(/^error IST0101 VirtualService default\/details: http\[0\]\.route\[0\] routes to host details/)]);
  });

  test('warnings are printed to stderr once per synth, not once per validation pass', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-analysis-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'edge');
    new VirtualService(chart, 'vs', { name: 'reviews', hosts: ['reviews'], http: [{ destinations: [{ host: 'reviews', subset: 'v1', weight: 100 }] }] });
    new DestinationRule(chart, 'dr', { name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const lines = captureStderr(() => app.synth()); // validates twice: App.synth and Chart.toJson
    expect(lines).toEqual([expect.stringMatching(/^cdk8s-mesh analysis \(edge\): warning IST0101 VirtualService default\/reviews: .*a warning because the set holds no Services/)]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('a later synth re-analyzes after a change: a new construct, or a tick', async () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'dr', { name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const vs = new VirtualService(chart, 'vs', { name: 'reviews', hosts: ['reviews'], http: [{ destinations: [{ host: 'reviews', subset: 'v1' }] }] });
    const silently = (fn: () => void) => captureStderr(fn);
    silently(() => expect(() => Testing.synth(chart)).not.toThrow());
    badSubsetRoute(chart, 'added'); // same tick, one more construct
    silently(() => expect(() => Testing.synth(chart)).toThrow(/subset "v9"/));

    const other = Testing.chart();
    const ok = new VirtualService(other, 'vs', { name: 'details', hosts: ['details'], http: [{ destinations: [{ host: 'details' }] }] });
    silently(() => expect(() => Testing.synth(other)).not.toThrow());
    await Promise.resolve(); // the cached findings expire with the job
    ok.addHttpRoute({ destinations: [{ host: 'details', subset: 'v2' }] });
    silently(() => expect(() => Testing.synth(other)).toThrow(/http\[1\]\.route\[0\] routes to subset "v2" of details/));
    expect(vs.httpRoutes).toHaveLength(1);
  });

  test(`context ${ANALYSIS_CONTEXT_KEY}=off turns the analysis off`, () => {
    const app = Testing.app();
    app.node.setContext(ANALYSIS_CONTEXT_KEY, 'off');
    const chart = new Chart(app, 'test');
    badSubsetRoute(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('chartManifests renders the chart\'s own objects, not those of nested charts', () => {
    const chart = Testing.chart();
    badSubsetRoute(chart);
    const nested = new Chart(chart, 'nested');
    new VirtualService(nested, 'x', { name: 'x', hosts: ['x'], http: [{ destinations: [{ host: 'x' }] }] });
    expect(chartManifests(chart).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['VirtualService/reviews']);
  });

  test('synthesized scenarios are schema-valid', () => {
    expect(batch.size).toBeGreaterThan(0);
    expect(batch.problems()).toEqual([]);
  });
});
