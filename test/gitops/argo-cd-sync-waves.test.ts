import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { createApp as bookinfo } from '../../examples/bookinfo/main';
import { createApp as traffic } from '../../examples/traffic/main';
import { createApp as resilience } from '../../examples/resilience/main';
import { createApp as security } from '../../examples/security/main';
import { ArgoCdSyncWaves, CanaryService, MeshService, ServicePort, SyncWave } from '../../src';

const WAVE = ArgoCdSyncWaves.ANNOTATION;
const wave = (o: any): number => Number(o.metadata.annotations[WAVE]);
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'waves-'));

function outputs(createApp: (outdir: string) => App): Array<[string, any[]]> {
  const app = createApp(tmp());
  ArgoCdSyncWaves.enable(app);
  return app.charts.map((c) => [c.node.path, c.toJson()]);
}

const examples: Array<[string, (outdir: string) => App]> = [['bookinfo', bookinfo], ['traffic', traffic], ['resilience', resilience], ['security', security]];
const charts = examples.flatMap(([name, create]) => outputs(create).map(([chart, objects]) => [`${name}/${chart}`, objects] as [string, any[]]));
const short = (host: string): string => host.split('.')[0];

test('every object of every example chart gets a wave', () => {
  for (const [chart, objects] of charts) {
    for (const o of objects) expect([chart, o.kind, o.metadata.name, Number.isInteger(wave(o))]).toEqual([chart, o.kind, o.metadata.name, true]);
  }
});

test('namespaces come first in every chart', () => {
  let seen = 0;
  for (const [chart, objects] of charts) {
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      seen++;
      const later = objects.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition' && !o.apiVersion.startsWith('admissionregistration.k8s.io/'));
      for (const o of later) expect([chart, o.kind, o.metadata.name, wave(o) > wave(ns)]).toEqual([chart, o.kind, o.metadata.name, true]);
    }
  }
  expect(seen).toBeGreaterThan(0);
});

test('each DestinationRule has a lower wave than every VirtualService routing to its subsets', () => {
  let pairs = 0;
  for (const [chart, objects] of charts) {
    const rules = objects.filter((o) => o.kind === 'DestinationRule');
    for (const vs of objects.filter((o) => o.kind === 'VirtualService')) {
      const destinations = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])].flatMap((r: any) => (r.route ?? []).map((d: any) => d.destination));
      for (const d of destinations.filter((x: any) => x.subset)) {
        const dr = rules.find((r) => short(r.spec.host) === short(d.host) && (r.spec.subsets ?? []).some((s: any) => s.name === d.subset));
        if (!dr) continue; // defined in another chart of the app
        pairs++;
        expect([chart, vs.metadata.name, d.subset, wave(dr) < wave(vs)]).toEqual([chart, vs.metadata.name, d.subset, true]);
      }
    }
  }
  expect(pairs).toBeGreaterThan(10);
});

test('each HTTPRoute has a higher wave than the Services it sends traffic to', () => {
  let pairs = 0;
  for (const [chart, objects] of charts) {
    for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
      for (const ref of (route.spec.rules ?? []).flatMap((r: any) => r.backendRefs ?? [])) {
        const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === ref.name);
        if (!svc) continue;
        pairs++;
        expect([chart, route.metadata.name, ref.name, wave(svc) < wave(route)]).toEqual([chart, route.metadata.name, ref.name, true]);
      }
    }
  }
  expect(pairs).toBeGreaterThan(3);
});

test('a VirtualService that delegates comes after its delegate: the Flagger Canary that generates it, or the VirtualService without hosts rendered for Argo Rollouts', () => {
  let pairs = 0;
  const kinds = new Set<string>();
  for (const [chart, objects] of charts) {
    for (const vs of objects.filter((o) => o.kind === 'VirtualService')) {
      for (const d of (vs.spec.http ?? []).map((r: any) => r.delegate).filter(Boolean)) {
        const at = (o: any) => o.metadata.name === d.name && o.metadata.namespace === (d.namespace ?? vs.metadata.namespace);
        const delegate = objects.find((o) => at(o) && (o.kind === 'Canary' || (o.kind === 'VirtualService' && !o.spec.hosts)));
        pairs++;
        if (delegate) kinds.add(delegate.kind);
        expect([chart, vs.metadata.name, wave(vs), delegate && wave(vs) > wave(delegate)]).toEqual([chart, vs.metadata.name, ArgoCdSyncWaves.numberOf(SyncWave.DELEGATING_ROUTES), true]);
      }
    }
    // the VirtualServices that do not delegate keep their kind's wave
    for (const vs of objects.filter((o) => o.kind === 'VirtualService' && !(o.spec.http ?? []).some((r: any) => r.delegate))) expect(wave(vs)).toBe(1);
  }
  expect(pairs).toBeGreaterThan(0);
  expect([...kinds].sort()).toEqual(['Canary', 'VirtualService']);
});

test('an HTTPRoute on the Service of a Flagger Canary (Gateway API) comes after the Canary', () => {
  // Before Flagger's HTTPRoute <service> exists, ours alone holds only matched rules: Linkerd adds its
  // default route only to a Service without HTTPRoutes (policy-controller grpc/src/outbound/http.rs),
  // so every other request gets 404; and its backendRef to <service>-canary is BackendNotFound
  // (ResolvedRefs False), which Argo CD's HTTPRoute health reads as Degraded, failing the sync before
  // the Canary's wave is ever applied.
  let pairs = 0;
  for (const [chart, objects] of charts) {
    for (const canary of objects.filter((o) => o.kind === 'Canary' && o.spec.service.gatewayRefs)) {
      for (const route of objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.namespace === canary.metadata.namespace
        && o.spec.parentRefs.some((p: any) => p.kind === 'Service' && p.name === canary.spec.service.name))) {
        pairs++;
        expect([chart, route.metadata.name, wave(route)]).toEqual([chart, route.metadata.name, ArgoCdSyncWaves.numberOf(SyncWave.DELEGATING_ROUTES)]);
        expect(wave(route)).toBeGreaterThan(wave(canary));
      }
    }
  }
  expect(pairs).toBeGreaterThan(0);
});

test('the ordering table', () => {
  expect(ArgoCdSyncWaves.waveOf('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toBe(-3);
  expect(ArgoCdSyncWaves.waveOf('v1', 'Namespace')).toBe(-2);
  expect(ArgoCdSyncWaves.waveOf('v1', 'ServiceAccount')).toBe(-1);
  expect(ArgoCdSyncWaves.waveOf('security.istio.io/v1', 'AuthorizationPolicy')).toBe(-1);
  expect(ArgoCdSyncWaves.waveOf('apps/v1', 'Deployment')).toBe(0);
  expect(ArgoCdSyncWaves.waveOf('networking.istio.io/v1', 'DestinationRule')).toBe(0);
  expect(ArgoCdSyncWaves.waveOf('networking.istio.io/v1', 'VirtualService')).toBe(1);
  expect(ArgoCdSyncWaves.waveOf('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe(1);
  expect(ArgoCdSyncWaves.waveOf('argoproj.io/v1alpha1', 'Rollout')).toBe(2);
  expect(ArgoCdSyncWaves.waveOf('policy.linkerd.io/v1beta3', 'Server')).toBe(2);
  expect(ArgoCdSyncWaves.waveOf('example.com/v1', 'Unknown')).toBe(0); // Argo CD's default
  expect(ArgoCdSyncWaves.placeOf('v1', 'Namespace')).toBe(SyncWave.NAMESPACES);
  expect(ArgoCdSyncWaves.numberOf(SyncWave.ROUTES)).toBe(1);
  expect(ArgoCdSyncWaves.numberOf(SyncWave.DELEGATING_ROUTES)).toBe(3);
});

test('every kind of the table has its reason in docs/gitops.md', () => {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'gitops.md'), 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SYNC_WAVE_TABLE } = require('../../src/gitops/sync-wave-table');
  for (const place of SYNC_WAVE_TABLE) for (const kind of place.kinds) expect([kind, docs.includes(`\`${kind}\``)]).toEqual([kind, true]);
});

function canaryChart(enable: (app: App, chart: Chart) => void = () => undefined): Chart {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  enable(app, chart);
  const svc = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
  new CanaryService(chart, 'reviews-canary', { service: svc, stableVersion: 'v1', canaryVersion: 'v2', stage: 1 });
  return chart;
}

test('off by default: existing output is unchanged', () => {
  expect(Testing.synth(canaryChart()).filter((o: any) => o.metadata.annotations?.[WAVE] !== undefined)).toEqual([]);
});

test('enabled on a chart after its children exist, and idempotent across synths', () => {
  const chart = canaryChart();
  ArgoCdSyncWaves.enable(chart);
  ArgoCdSyncWaves.enable(chart);
  const first = Testing.synth(chart);
  expect(Testing.synth(chart)).toEqual(first);
  expect(first.map((o: any) => `${o.kind}=${o.metadata.annotations[WAVE]}`).sort()).toEqual(['DestinationRule=0', 'VirtualService=1']);
  expect(ArgoCdSyncWaves.isEnabled(chart)).toBe(true);
  expect(ArgoCdSyncWaves.isEnabled(chart.node.root)).toBe(false);
});

test('only below the enabled scope', () => {
  const app = Testing.app();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  new MeshService(a, 'x', { ports: [ServicePort.http(80)], versions: ['v1', 'v2'] });
  new MeshService(b, 'y', { ports: [ServicePort.http(80)], versions: ['v1', 'v2'] });
  ArgoCdSyncWaves.enable(a);
  expect(a.toJson().every((o: any) => o.metadata.annotations?.[WAVE] !== undefined)).toBe(true);
  expect(b.toJson().some((o: any) => o.metadata.annotations?.[WAVE] !== undefined)).toBe(false);
});

test('a wave set by the user is kept', () => {
  const chart = canaryChart((app) => ArgoCdSyncWaves.enable(app));
  const dr = chart.node.findAll().filter(ApiObject.isApiObject).find((o) => o.kind === 'DestinationRule')!;
  dr.metadata.addAnnotation(WAVE, '-5');
  const objects = Testing.synth(chart);
  expect(objects.find((o: any) => o.kind === 'DestinationRule').metadata.annotations[WAVE]).toBe('-5');
  expect(objects.find((o: any) => o.kind === 'VirtualService').metadata.annotations[WAVE]).toBe('1');
});

test('snapshot: a canary with waves', () => {
  expect(Testing.synth(canaryChart((app) => ArgoCdSyncWaves.enable(app)))).toMatchSnapshot();
});
