// The class forms of the analysis functions (what Python, Java and Go call) answer as the functions.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  analysisDisabled, analyze, Analysis, ANALYZERS, chartManifests, destinationsOf, formatFinding, gatewaysOf, groupOf, hostCovers, Hosts,
  ManifestQueries, resolveHost, resourceId, selectorMatches, serviceHost, weightedRoutesOf,
} from '../../src';
import { destinationRule, healthyReviews, route, virtualService } from './fixtures';

const broken = () => [...healthyReviews(), virtualService('ratings', { hosts: ['ratings'], http: [route({ host: 'reviews', subset: 'v9' })] })];

describe('Analysis (class form of analyze, readManifests, enableAnalysis, ...)', () => {
  test('analyze and analyzeYaml find what analyze() finds, from JSON and from YAML text', () => {
    const manifests = broken();
    const expected = analyze(manifests);
    expect(expected.map((f) => f.code)).toContain('IST0101');
    expect(Analysis.analyze(manifests)).toEqual(expected);
    const yaml = manifests.map((m) => YAML.stringify(m)).join('---\n');
    expect(Analysis.analyzeYaml(yaml)).toEqual(expected);
    expect(Analysis.analyze(manifests, { analyzers: [] })).toEqual([]);
    expect(Analysis.formatFinding(expected[0])).toBe(formatFinding(expected[0]));
  });

  test('readManifests and findYamlFiles read whole objects from files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'class-forms-'));
    const file = path.join(dir, 'app.k8s.yaml');
    fs.writeFileSync(file, broken().map((m) => YAML.stringify(m)).join('---\n'));
    expect(Analysis.findYamlFiles(dir)).toEqual([file]);
    const read = Analysis.readManifests(file);
    expect(read.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(broken().map((m) => `${m.kind}/${m.metadata.name}`));
    expect(read[0].spec).toEqual(broken()[0].spec);
  });

  test('analyzers() lists the registered checks (a copy)', () => {
    const list = Analysis.analyzers();
    expect(list.map((a) => a.name)).toEqual(ANALYZERS.map((a) => a.name));
    list.pop();
    expect(Analysis.analyzers()).toHaveLength(ANALYZERS.length);
  });

  test('synth-time settings: context key, isDisabled, chartManifests, declareKnownHosts', () => {
    const app = Testing.app();
    app.node.setContext(Analysis.CONTEXT_KEY, 'off');
    const chart = new Chart(app, 'c');
    expect(Analysis.isDisabled(chart)).toBe(analysisDisabled(chart));
    expect(Analysis.isDisabled(chart)).toBe(true);
    expect(Analysis.chartManifests(chart)).toEqual(chartManifests(chart));
    expect(() => Analysis.declareKnownHosts(new App(), [''])).toThrow(/knownHosts must be host names/);
    expect(() => Analysis.declareKnownGateways(new App(), ['nope'])).toThrow(/knownGateways must be "<namespace>\/<name>"/);
    expect(() => Analysis.declareKnownSecrets(new App(), ['nope'])).toThrow(/knownSecrets must be "<namespace>\/<name>"/);
  });
});

describe('Hosts and ManifestQueries (class forms of the analyzer helpers)', () => {
  test('Hosts answers as the host functions', () => {
    expect(Hosts.resolve('reviews', 'shop')).toBe(resolveHost('reviews', 'shop'));
    expect(Hosts.serviceHost('Reviews', 'shop', 'corp.local')).toBe(serviceHost('Reviews', 'shop', 'corp.local'));
    expect(Hosts.covers('*.example.com', 'a.example.com')).toBe(hostCovers('*.example.com', 'a.example.com'));
    expect(Hosts.overlap('a.example.com', '*.example.com')).toBe(true);
    expect(Hosts.isWildcard('*')).toBe(true);
    expect(Hosts.isClusterHost('reviews.shop.svc.cluster.local')).toBe(true);
  });

  test('ManifestQueries answers as the manifest functions', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], gateways: ['shop/public', 'mesh'], http: [route({ host: 'reviews', subset: 'v1', weight: 50 }, { host: 'reviews', subset: 'v2', weight: 50 })] });
    const dr = destinationRule('reviews', 'reviews', { v1: { version: 'v1' } });
    expect(ManifestQueries.groupOf(dr)).toBe(groupOf(dr));
    expect(ManifestQueries.resourceId(dr, 'x')).toBe(resourceId(dr, 'x'));
    expect(ManifestQueries.destinationsOf(vs)).toEqual(destinationsOf(vs));
    expect(ManifestQueries.weightedRoutesOf(vs)).toEqual(weightedRoutesOf(vs));
    expect(ManifestQueries.gatewaysOf(vs)).toEqual(gatewaysOf(vs));
    expect(ManifestQueries.isMeshBound(vs)).toBe(true);
    expect(ManifestQueries.labelsMatch({ app: 'a' }, { app: 'a', v: '1' })).toBe(true);
    const sel = { matchExpressions: [{ key: 'v', operator: 'In', values: ['1'] }] };
    expect(ManifestQueries.selectorMatches(sel, { v: '2' })).toBe(selectorMatches(sel, { v: '2' }));
    expect(ManifestQueries.exportScopes('shop', ['.'])).toEqual(['shop']);
    expect(ManifestQueries.serviceExportScopes('shop', { [ManifestQueries.SERVICE_EXPORT_TO_ANNOTATION]: '*' })).toEqual([ManifestQueries.ALL_NAMESPACES]);
    expect(ManifestQueries.isInternalGatewayReference(`ns/gw${ManifestQueries.INTERNAL_GATEWAY_MARKER}http`)).toBe(true);
  });
});
