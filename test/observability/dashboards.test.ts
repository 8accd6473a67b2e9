import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Testing } from 'cdk8s';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { Mesh } from '../../src/core/mesh';
import { DashboardModel, GrafanaDashboard, MeshMetrics, meshOverviewDashboard, PanelUnit, serviceDashboard } from '../../src/observability';
import { meshChart, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';
import { hasPromtool } from './promtool/scenario';

const batch = new SchemaBatch();

function dashboardJson(cm: any): any {
  const files = Object.keys(cm.data);
  expect(files).toHaveLength(1);
  return JSON.parse(cm.data[files[0]]);
}

/** Checks what Grafana needs to import a dashboard. */
function expectImportable(d: any): void {
  expect(typeof d.uid).toBe('string');
  expect(d.uid.length).toBeLessThanOrEqual(40);
  expect(d.schemaVersion).toBe(39);
  expect(d.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
  expect(d.panels.length).toBeGreaterThan(0);
  const ids = d.panels.map((p: any) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const p of d.panels) {
    expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    expect(p.targets.length).toBeGreaterThan(0);
    for (const t of p.targets) expect(t.expr).toMatch(/\S/);
  }
  // no two panels overlap
  for (const a of d.panels) {
    for (const b of d.panels) {
      if (a === b) continue;
      const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
      expect(overlap).toBe(false);
    }
  }
}

describe('dashboards', () => {
  test('a service dashboard: per-version rate, errors and latency; percentiles; saturation; error budget', () => {
    const c = meshChart();
    const svc = reviewsService(c);
    new GrafanaDashboard(c, 'dash', { namespace: 'monitoring', dashboard: serviceDashboard(svc, { showErrorBudget: true }) });
    const cm = (batch.add('service', Testing.synth(c)) as any[]).find((o) => o.kind === 'ConfigMap');
    expect(cm.metadata).toEqual({ name: 'grafana-dashboard-mesh-bookinfo-reviews', namespace: 'monitoring', labels: { grafana_dashboard: '1' } });
    const d = dashboardJson(cm);
    expectImportable(d);
    expect(d.uid).toBe('mesh-bookinfo-reviews');
    expect(d.panels.map((p: any) => p.title)).toEqual([
      'Request rate by version', 'Error ratio by version', 'Latency percentiles', 'p99 latency by version', 'CPU usage / limit', 'Memory working set / limit', 'SLO error budget remaining',
    ]);
    expect(d.panels[0].targets[0]).toEqual({
      refId: 'A',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      expr: 'sum by (destination_version) (rate(istio_requests_total{reporter="source",destination_service_namespace="bookinfo",destination_service_name="reviews"}[$__rate_interval]) or rate(istio_requests_total{reporter="destination",source_workload="unknown",destination_service_namespace="bookinfo",destination_service_name="reviews"}[$__rate_interval]))',
      legendFormat: '{{destination_version}}',
    });
    expect(d.panels[2].targets.map((t: any) => t.legendFormat)).toEqual(['p50', 'p90', 'p99']);
    expect(d.panels[3].targets[0].expr).toContain('sum by (le, destination_version)');
    expect(d.panels[6].gridPos).toEqual({ h: 8, w: 24, x: 0, y: 24 });
    expect(d).toMatchSnapshot();
  });

  test('Linkerd dashboards split by the version pod label', () => {
    const c = meshChart(Mesh.LINKERD);
    const d = serviceDashboard(reviewsService(c), { metrics: MeshMetrics.linkerd() }).toJson() as any;
    expect(d.panels[0].targets[0].expr).toBe('sum by (version) (rate(response_total{direction="inbound",namespace="bookinfo",app="reviews"}[$__rate_interval]))');
  });

  test('the mesh overview, with a custom sidecar label', () => {
    const c = meshChart();
    new GrafanaDashboard(c, 'overview', { dashboard: meshOverviewDashboard(), sidecarLabel: ['grafana.example.com/dashboard', 'mesh'] });
    const [cm] = batch.add('overview', Testing.synth(c)) as any[];
    expect(cm.metadata.labels).toEqual({ 'grafana.example.com/dashboard': 'mesh' });
    const d = dashboardJson(cm);
    expectImportable(d);
    expect(d.panels.map((p: any) => p.targets[0].legendFormat)).toEqual(Array(3).fill('{{destination_service_name}}.{{destination_service_namespace}}'));
  });

  test('the sidecar label as a { key, value } struct (the form every language has) equals the deprecated tuple', () => {
    const c = meshChart();
    new GrafanaDashboard(c, 'overview', { dashboard: meshOverviewDashboard(), sidecar: { key: 'grafana.example.com/dashboard', value: 'mesh' } });
    const [cm] = Testing.synth(c) as any[];
    expect(cm.metadata.labels).toEqual({ 'grafana.example.com/dashboard': 'mesh' });
    expect(() => new GrafanaDashboard(meshChart(), 'd', { dashboard: meshOverviewDashboard(), sidecar: { key: 'a', value: '1' }, sidecarLabel: ['a', '1'] }))
      .toThrow(/sidecar is set together with the deprecated sidecarLabel/);
    expect(() => new GrafanaDashboard(meshChart(), 'd', { dashboard: meshOverviewDashboard(), sidecar: { key: 'bad key!', value: '1' } }))
      .toThrow(/sidecar has the invalid label key "bad key!"/);
  });

  test('output is deterministic', () => {
    const build = () => {
      const c = meshChart();
      new GrafanaDashboard(c, 'dash', { dashboard: serviceDashboard(reviewsService(c)) });
      return JSON.stringify(Testing.synth(c));
    };
    expect(build()).toEqual(build());
  });

  test('panels flow into rows without overlapping (property)', () => {
    fc.assert(fc.property(fc.array(fc.record({ w: fc.integer({ min: 1, max: 24 }), h: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 20 }), (sizes) => {
      const m = new DashboardModel({ uid: 'x', title: 'x' });
      sizes.forEach((s, i) => m.addPanel({ title: `p${i}`, width: s.w, height: s.h, unit: PanelUnit.SHORT, queries: [{ expr: 'up' }] }));
      expectImportable(m.toJson());
    }), { numRuns: 100 });
  });

  test('long uids are shortened stably', () => {
    const uid = DashboardModel.uidFor(`mesh-${'a'.repeat(30)}-${'b'.repeat(30)}`);
    expect(uid.length).toBeLessThanOrEqual(40);
    expect(uid).toEqual(DashboardModel.uidFor(`mesh-${'a'.repeat(30)}-${'b'.repeat(30)}`));
  });

  test('validation', () => {
    expect(() => new DashboardModel({ uid: 'has space', title: 't' })).toThrow(/uid must be 1-40 letters/);
    const m = new DashboardModel({ uid: 'u', title: 't' });
    expect(() => m.addPanel({ title: 'p', queries: [] })).toThrow(/queries must list at least one query/);
    expect(() => m.addPanel({ title: 'p', queries: [{ expr: 'up' }], width: 25 })).toThrow(/width must be 1-24/);
    expect(() => new GrafanaDashboard(meshChart(), 'd', { dashboard: m, sidecarLabel: ['bad key!', '1'] })).toThrow(/sidecarLabel has the invalid label key "bad key!"/);
  });

  (hasPromtool ? test : test.skip)('every dashboard query is valid PromQL (promtool, with $__rate_interval as 5m)', () => {
    const c = meshChart();
    const exprs = [
      ...serviceDashboard(reviewsService(c), { showErrorBudget: true }).expressions,
      ...serviceDashboard(reviewsService(meshChart(Mesh.LINKERD)), { metrics: MeshMetrics.linkerd() }).expressions,
      ...meshOverviewDashboard().expressions,
      ...meshOverviewDashboard({ metrics: MeshMetrics.linkerd() }).expressions,
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-check-'));
    try {
      const file = path.join(dir, 'queries.yaml');
      fs.writeFileSync(file, YAML.stringify({ groups: [{ name: 'dashboards', rules: exprs.map((e, i) => ({ record: `dashboard:query${i}`, expr: e.replace(/\$__rate_interval/g, '5m') })) }] }));
      const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
