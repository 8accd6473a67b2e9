import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { ANALYSIS_CONTEXT_KEY, analyzeChart, chartManifests, declareKnownGateways, declareKnownHosts, declareKnownSecrets, enableAnalysis } from '../../src/analysis/synth-analysis';
import { ANALYZERS } from '../../src/analysis/registry';
import { duplicateObjectsAnalyzer } from '../../src/analysis/checks/duplicate-objects';
import { DestinationRule } from '../../src/istio/destination-rule';
import { VirtualService } from '../../src/istio/virtual-service';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { RouteTo } from '../../src/traffic/route-action';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

/** A DestinationRule of reviews with subset v1 only: with it, a route to another subset is an error (without any DestinationRule, a warning). */
function reviewsRule(chart: Chart): DestinationRule {
  return new DestinationRule(chart, 'dr', { name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
}

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
    captureStderr(() => expect(() => Testing.synth(chart)).toThrow(/^Analysis of chart test failed with the following errors:\n {2}\[test\] error IST0101 VirtualService default\/reviews: http\[0\]\.route\[0\] routes to subset "v9" of reviews.default.svc.cluster.local, which DestinationRule default\/reviews does not define \(defined: v1\)/));
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

  test('each chart is analyzed once per synth, however many constructs enable it', () => {
    const app = Testing.app();
    const seen: string[] = [];
    const counter = { name: 'count', codes: ['MESH9999'], analyze: (index: any) => { seen.push(index.manifests.map((m: any) => m.metadata.name).join(',')); return []; } };
    ANALYZERS.push(counter);
    try {
      for (const id of ['one', 'two']) {
        const chart = new Chart(app, id);
        new VirtualService(chart, 'a', { name: `${id}-a`, hosts: [`${id}-a.example.com`], http: [{ destinations: [{ host: 'ratings' }] }] });
        new VirtualService(chart, 'b', { name: `${id}-b`, hosts: [`${id}-b.example.com`], http: [{ destinations: [{ host: 'ratings' }] }] });
        new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
      }
      app.synthYaml();
    } finally {
      ANALYZERS.splice(ANALYZERS.indexOf(counter), 1);
    }
    expect(seen).toEqual(['one-a,one-b', 'two-a,two-b']);
  });

  test('the synth leaves duplicate objects to the identity check on constructs, which names both', () => {
    const chart = Testing.chart();
    new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
    const duplicates = jest.spyOn(duplicateObjectsAnalyzer, 'analyze');
    try {
      Testing.synth(chart);
      expect(duplicates).not.toHaveBeenCalled();
      new VirtualService(chart, 'a', { name: 'same', hosts: ['a.example.com'], http: [{ destinations: [{ host: 'ratings' }] }] });
      new VirtualService(chart, 'b', { name: 'same', hosts: ['b.example.com'], http: [{ destinations: [{ host: 'ratings' }] }] });
      expect(() => Testing.synth(chart)).toThrow(/test\/b: writes VirtualService same .*which test\/a also writes/);
    } finally {
      duplicates.mockRestore();
    }
  });

  test('analyzeChart renders and analyzes a chart without synthesizing it', () => {
    const chart = Testing.chart();
    badSubsetRoute(chart, 'a');
    reviewsRule(chart);
    new VirtualService(chart, 'b', { name: 'details', hosts: ['details'], http: [{ destinations: [{ host: 'details' }] }] });
    declareKnownHosts(chart, ['ratings.default.svc.cluster.local']);
    // a declared known host makes unknown hosts errors
    expect(analyzeChart(chart).map((e) => e.split(':')[0])).toEqual([
      'error IST0101 VirtualService default/details', 'error IST0101 VirtualService default/reviews', 'error IST0101 VirtualService default/reviews',
    ]);
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

  test('Services of other charts count as known hosts; a MeshService alone does not (the CLI cannot see it)', () => {
    const app = Testing.app();
    const services = new Chart(app, 'services');
    new MeshService(services, 'ratings', { ports: [ServicePort.http(9080)] });
    new MeshService(services, 'reviews', { ports: [ServicePort.http(9080)] });
    new ApiObject(services, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' }, spec: { ports: [{ port: 9080, name: 'http' }] } });
    const routes = new Chart(app, 'routes');
    new VirtualService(routes, 'ok', { name: 'reviews', hosts: ['reviews.example.com'], http: [{ destinations: [{ host: 'reviews' }] }] });
    expect(analyzeChart(routes)).toEqual([]);
    new VirtualService(routes, 'bad', { name: 'ratings', hosts: ['ratings.example.com'], http: [{ destinations: [{ host: 'ratings' }] }] });
    expect(analyzeChart(routes)).toEqual([expect.stringMatching(/^error IST0101 VirtualService default\/ratings: http\[0\]\.route\[0\] routes to host ratings/)]);
  });

  test('declared known hosts and gateways count as existing in every chart of the app', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'routes');
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings' }, spec: { ports: [{ port: 9080, name: 'http' }] } });
    new VirtualService(chart, 'vs', {
      name: 'legacy', hosts: ['shop.example.com'], gateways: ['istio-system/public'],
      http: [{ destinations: [{ host: 'legacy.billing.svc.cluster.local', weight: 50 }, { host: 'api.corp.example.com', weight: 50 }] }],
    });
    const before = captureStderr(() => expect(analyzeChart(chart).map((e) => e.split(' (')[0])).toEqual([
      'error IST0101 VirtualService default/legacy: http[0].route[0] routes to host legacy.billing.svc.cluster.local',
      'error IST0101 VirtualService default/legacy: http[0].route[1] routes to host api.corp.example.com',
    ]));
    expect(before).toEqual([expect.stringMatching(/warning IST0101 VirtualService default\/legacy: gateways\[0\] names Gateway istio-system\/public/)]);
    declareKnownHosts(app, ['legacy.billing.svc.cluster.local', '*.corp.example.com']);
    declareKnownGateways(chart, ['istio-system/public']);
    expect(analyzeChart(chart)).toEqual([]);
    expect(() => declareKnownHosts(chart, [' '])).toThrow(/routes: knownHosts must be host names, got " "\. Fix: pass FQDNs/);
    expect(() => declareKnownGateways(chart, ['public'])).toThrow(/routes: knownGateways must be "<namespace>\/<name>", got "public"/);
  });

  test('declared known Secrets turn on the Gateway credentialName check; Secrets of other charts count', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'edge');
    enableAnalysis(chart);
    new ApiObject(chart, 'gw', {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'shop' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } }] },
    });
    expect(analyzeChart(chart)).toEqual([]);
    declareKnownSecrets(app, ['istio-system/other-cert']);
    expect(analyzeChart(chart)).toEqual([expect.stringMatching(/^error IST0101 Gateway shop\/public: servers\[0\]\.tls\.credentialName names Secret istio-system\/shop-cert/)]);
    new ApiObject(new Chart(app, 'certs'), 'cert', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-cert', namespace: 'istio-system' } });
    expect(analyzeChart(chart)).toEqual([]);
    expect(() => declareKnownSecrets(chart, ['shop-cert'])).toThrow(/edge: knownSecrets must be "<namespace>\/<name>", got "shop-cert"/);
  });

  test('warnings are printed to stderr once', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-analysis-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'edge');
    new VirtualService(chart, 'vs', { name: 'reviews', hosts: ['reviews'], http: [{ destinations: [{ host: 'reviews', subset: 'v1', weight: 100 }] }] });
    new DestinationRule(chart, 'dr', { name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const lines = captureStderr(() => {
      app.synth();
      app.synth();
    });
    expect(lines).toEqual([expect.stringMatching(/^cdk8s-mesh analysis \(edge\): warning IST0101 VirtualService default\/reviews: .*a warning because the set holds no Services/)]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('every synth analyzes what it writes: a change between two synths is seen', () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'dr', { name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const vs = new VirtualService(chart, 'vs', { name: 'reviews', hosts: ['reviews'], http: [{ destinations: [{ host: 'reviews', subset: 'v1' }] }] });
    captureStderr(() => {
      expect(() => Testing.synth(chart)).not.toThrow();
      vs.addHttpRoute({ destinations: [{ host: 'reviews', subset: 'v2' }] });
      expect(() => Testing.synth(chart)).toThrow(/http\[1\]\.route\[0\] routes to subset "v2" of reviews/);
    });
  });

  test('the per-resource folder output, which bypasses Chart.toJson, is analyzed by a validation', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-analysis-'));
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const edge = new Chart(app, 'edge');
    badSubsetRoute(edge);
    reviewsRule(edge);
    captureStderr(() => expect(() => app.synth()).toThrow(/Validation failed with the following errors:\n {2}\[edge\] error IST0101 VirtualService default\/reviews/));
    fs.rmSync(outdir, { recursive: true, force: true });
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
