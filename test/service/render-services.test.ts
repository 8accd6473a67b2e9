import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CircuitBreakerPolicy } from '../../src/resilience/circuit-breaker-policy';
import { CircuitBreakerPreset } from '../../src/resilience/circuit-breaker-preset';
import { MeshService, MeshServiceProps } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

function reviews(mesh: Mesh, extra: Partial<MeshServiceProps> = {}) {
  const chart = meshChart(mesh);
  const s = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080), ServicePort.grpc(9090)], versions: ['v1', 'v2'], renderServices: true, ...extra });
  return { chart, s };
}

/** Every Service an HTTPRoute names, as a parent or a backend: `namespace/name`. */
function servicesRoutesName(objects: any[]): string[] {
  const names = new Set<string>();
  for (const route of ofKind(objects, 'HTTPRoute')) {
    const ns = route.metadata.namespace;
    for (const p of route.spec.parentRefs ?? []) if ((p.kind ?? 'Gateway') === 'Service') names.add(`${p.namespace ?? ns}/${p.name}`);
    for (const rule of route.spec.rules ?? []) {
      for (const b of rule.backendRefs ?? []) if ((b.kind ?? 'Service') === 'Service') names.add(`${b.namespace ?? ns}/${b.name}`);
    }
  }
  return [...names].sort();
}

describe('MeshService renderServices', () => {
  test('Linkerd, existing workloads: every Service the HTTPRoutes name is rendered, once', () => {
    const { chart, s } = reviews(Mesh.LINKERD);
    s.addVersion('v3');
    s.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2', { port: 9080 }) });
    s.setDefaultRoute(RouteTo.split({ v1: 50, v3: 50 }, { port: 9080 }));
    const objects = batch.add('linkerd', Testing.synth(chart));
    const services = ofKind(objects, 'Service').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    const named = servicesRoutesName(objects);
    expect(named).toEqual(['bookinfo/reviews', 'bookinfo/reviews-v1', 'bookinfo/reviews-v2', 'bookinfo/reviews-v3']);
    for (const n of named) expect(services).toContain(n);
    expect(new Set(services).size).toBe(services.length);
    expect(ofKind(objects, 'Deployment')).toEqual([]);
    expect(objects).toMatchSnapshot();
  });

  test('the main Service selects the selector, a version\'s Service adds the version labels; ports keep names and appProtocol', () => {
    const { chart } = reviews(Mesh.GATEWAY_API, { selector: { app: 'reviews', tier: 'backend' } });
    const services = ofKind(batch.add('gateway-api', Testing.synth(chart)), 'Service');
    expect(services.map((o) => o.metadata.name)).toEqual(['reviews', 'reviews-v1', 'reviews-v2']);
    expect(services[0].spec.selector).toEqual({ app: 'reviews', tier: 'backend' });
    expect(services[2].spec.selector).toEqual({ app: 'reviews', tier: 'backend', version: 'v2' });
    expect(services[0].spec.ports).toEqual([
      { name: 'http', port: 9080, targetPort: 9080, appProtocol: 'http' },
      { name: 'grpc', port: 9090, targetPort: 9090, appProtocol: 'grpc' },
    ]);
  });

  test('Istio routes by subset: the main Service only', () => {
    const { chart, s } = reviews(Mesh.ISTIO);
    s.setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 }, { port: 9080 }));
    const services = ofKind(batch.add('istio', Testing.synth(chart)), 'Service');
    expect(services.map((o) => o.metadata.name)).toEqual(['reviews']);
    expect(s.versionKubeService('v1')).toBeUndefined();
  });

  test('off by default: no Service, as before', () => {
    const chart = meshChart(Mesh.LINKERD);
    const s = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'] });
    expect(s.kubeService).toBeUndefined();
    expect(ofKind(Testing.synth(chart), 'Service')).toEqual([]);
  });

  test('labels and annotations: on every rendered Service; intent annotations join them on the main Service', () => {
    const { chart, s } = reviews(Mesh.LINKERD, { serviceLabels: { team: 'books', 'example.com/tier': 'backend' }, serviceAnnotations: { 'example.com/owner': 'team-a' } });
    new CircuitBreakerPolicy(chart, 'reviews-cb', { service: s, preset: CircuitBreakerPreset.STANDARD });
    const services = ofKind(batch.add('linkerd-annotations', Testing.synth(chart)), 'Service');
    expect(services[0].metadata.labels).toEqual({ 'app': 'reviews', 'service': 'reviews', 'team': 'books', 'example.com/tier': 'backend' });
    expect(services[1].metadata.labels).toEqual({ 'app': 'reviews', 'version': 'v1', 'service': 'reviews-v1', 'team': 'books', 'example.com/tier': 'backend' });
    expect(services[0].metadata.annotations).toMatchObject({ 'example.com/owner': 'team-a', 'balancer.linkerd.io/failure-accrual': 'consecutive' });
    expect(services[1].metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
  });

  test('ServiceWorkloads uses the rendered Services instead of rendering its own', () => {
    const { chart, s } = reviews(Mesh.LINKERD, { serviceLabels: { team: 'books' } });
    const w = new ServiceWorkloads(chart, 'reviews-workloads', {
      service: s,
      versions: ['v1', 'v2'].map((v) => ({ version: v, image: `docker.io/istio/examples-bookinfo-reviews-${v}:1.20.3` })),
    });
    const objects = batch.add('linkerd-workloads', Testing.synth(chart));
    expect(ofKind(objects, 'Service').map((o) => o.metadata.name)).toEqual(['reviews', 'reviews-v1', 'reviews-v2']);
    expect(w.service).toBe(s.kubeService);
    expect(w.versionService('v2')).toBe(s.versionKubeService('v2'));
  });

  test('serviceLabels also reach the Services ServiceWorkloads renders', () => {
    const chart = meshChart(Mesh.ISTIO);
    const s = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'], serviceLabels: { team: 'books' } });
    new ServiceWorkloads(chart, 'w', { service: s, versions: [{ version: 'v1', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3' }] });
    expect(ofKind(Testing.synth(chart), 'Service')[0].metadata.labels).toEqual({ app: 'reviews', service: 'reviews', team: 'books' });
  });

  test('bad labels, annotations and flags are refused', () => {
    expect(() => reviews(Mesh.LINKERD, { serviceLabels: { 'bad key!': 'x' } })).toThrow(/reviews.*serviceLabels.*invalid label key "bad key!"/);
    expect(() => reviews(Mesh.LINKERD, { serviceLabels: { team: 'not a value' } })).toThrow(/serviceLabels\.team.*must be a label value/);
    expect(() => reviews(Mesh.LINKERD, { serviceAnnotations: { '/nope': 'x' } })).toThrow(/serviceAnnotations.*invalid annotation key "\/nope"/);
    expect(() => reviews(Mesh.LINKERD, { serviceAnnotations: { owner: 1 as any } })).toThrow(/serviceAnnotations\.owner.*must be a string, got 1/);
    expect(() => reviews(Mesh.LINKERD, { renderServices: 'yes' as any })).toThrow(/renderServices.*must be true or false, got "yes"/);
  });

  test('an annotation prop that conflicts with an intent names both', () => {
    const { chart, s } = reviews(Mesh.LINKERD, { serviceAnnotations: { 'balancer.linkerd.io/failure-accrual': 'none' } });
    expect(() => new CircuitBreakerPolicy(chart, 'reviews-cb', { service: s, preset: CircuitBreakerPreset.STANDARD }))
      .toThrow(/reviews-cb.*failure-accrual.*conflicts with "none" set by test\/reviews/);
  });

  test('schemas', () => {
    expect(batch.size).toBeGreaterThanOrEqual(4);
    expect(batch.problems()).toEqual([]);
  });
});
