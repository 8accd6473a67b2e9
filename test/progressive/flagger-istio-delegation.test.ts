import { App, Chart, Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { ArgoCdIgnoreRules } from '../../src/gitops/argo-cd-ignore-rules';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { flaggerGeneratedNames } from '../../src/progressive/flagger';
import { ChaosExperiment } from '../../src/resilience/chaos-experiment';
import { FaultInjection } from '../../src/resilience/fault-injection';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { Destination, RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
type Props = Partial<ConstructorParameters<typeof CanaryService>[2]>;
const PREVIEW = Match.header('x-canary').exact('true');

interface Setup {
  readonly chart: Chart;
  readonly reviews: MeshService;
  readonly ratings: MeshService;
}

/** bookinfo's reviews as Flagger expects it (one Deployment `reviews`), and ratings to route to. */
function setup(mesh: Mesh = Mesh.ISTIO, names?: { virtualService: string }): Setup {
  const chart = meshChart(mesh);
  const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], renderServices: true, names });
  const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)], renderServices: true });
  new ServiceWorkloads(chart, 'workloads', { service: reviews, versions: [{ version: 'v2', image: 'docker.io/istio/examples-bookinfo-reviews-v2:1.20.3', deploymentName: 'reviews' }] });
  return { chart, reviews, ratings };
}

function canary({ chart, reviews }: Setup, props: Props = {}): CanaryService {
  return new CanaryService(chart, 'reviews-canary', {
    service: reviews, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.flagger({ deploymentName: 'reviews' }), ...props,
  });
}

/** A header route of the user's: testers named jason see ratings' answer, 10% of them copied to ratings. */
function jasonRoute({ reviews, ratings }: Setup): void {
  reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(reviews), mirror: Mirror.to(Destination.service(ratings), 10) });
}

function synth(name: string, s: Setup) {
  const out = schemas.add(name, Testing.synth(s.chart));
  return { out, vs: ofKind(out, 'VirtualService'), flagger: ofKind(out, 'Canary')[0] };
}

describe('Flagger on Istio: the service\'s own routes in a root VirtualService that delegates to Flagger\'s', () => {
  test('own routes and a preview match: the root holds them by precedence, the delegation to Flagger\'s VirtualService last', () => {
    const s = setup();
    jasonRoute(s);
    new ChaosExperiment(s.chart, 'chaos', { service: s.reviews, matches: [Match.header('x-chaos').exact('abort')], fault: FaultInjection.abort(503), name: 'chaos' });
    canary(s, { previewMatch: PREVIEW, timeout: Duration.seconds(3) });
    const { out, vs, flagger } = synth('delegation-routes-and-preview', s);

    expect(vs).toHaveLength(1);
    const [root] = vs;
    expect(root.metadata).toEqual({ name: 'reviews-root', namespace: 'bookinfo' });
    expect(flaggerGeneratedNames('reviews')).not.toContain(root.metadata.name);
    expect(root.spec.hosts).toEqual(['reviews']);
    expect(root.spec.gateways).toBeUndefined();
    // matched routes by precedence (ties in the order added), the delegation last
    expect(root.spec.http.map((r: any) => r.name)).toEqual(['jason', 'chaos', 'canary-preview', 'flagger']);
    expect(root.spec.http[2]).toEqual({
      name: 'canary-preview', match: [{ headers: { 'x-canary': { exact: 'true' } } }],
      route: [{ destination: { host: 'reviews-canary' } }], timeout: '3s',
    });
    // the catch-all hands everything else to Flagger's VirtualService reviews: nothing but the delegate
    expect(root.spec.http[3]).toEqual({ name: 'flagger', delegate: { name: 'reviews', namespace: 'bookinfo' } });
    expect(root.spec.http[0]).toMatchObject({ mirror: { host: 'ratings' }, mirrorPercentage: { value: 10 }, route: [{ destination: { host: 'reviews' } }] });
    expect(root.spec.http[1].fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 100 } } });

    expect(flagger.spec.service).toEqual({ name: 'reviews', port: 9080, portName: 'http', appProtocol: 'http', timeout: '3s', delegation: true });
    expect(ofKind(out, 'DestinationRule').map((d) => d.spec)).toEqual([{ host: 'reviews' }]);
    expect(out).toMatchSnapshot();
  });

  test('a preview match alone: the root routes it to <service>-canary, everything else to Flagger', () => {
    const s = setup();
    canary(s, { previewMatch: PREVIEW });
    const { out, vs, flagger } = synth('delegation-preview-only', s);
    expect(vs.map((v) => v.metadata.name)).toEqual(['reviews-root']);
    expect(vs[0].spec.http).toEqual([
      { name: 'canary-preview', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'reviews-canary' } }] },
      { name: 'flagger', delegate: { name: 'reviews', namespace: 'bookinfo' } },
    ]);
    expect(flagger.spec.service.delegation).toBe(true);
    expect(out).toMatchSnapshot();
  });

  test('nothing to keep: no root VirtualService and no delegation, Flagger\'s output alone', () => {
    const s = setup();
    canary(s, { retries: new RetryPolicy({ attempts: 2 }) });
    const { out, vs, flagger } = synth('delegation-none', s);
    expect(vs).toEqual([]);
    expect(flagger.spec.service.delegation).toBeUndefined();
    expect(flagger.spec.service.retries).toMatchObject({ attempts: 2 });
    expect(out).toMatchSnapshot();
  });

  test('routes attached after the CanaryService go into the root too', () => {
    const s = setup();
    canary(s);
    jasonRoute(s);
    const { vs, flagger } = synth('delegation-route-after', s);
    expect(vs.map((v) => [v.metadata.name, v.spec.http.map((r: any) => r.name)])).toEqual([['reviews-root', ['jason', 'flagger']]]);
    expect(flagger.spec.service.delegation).toBe(true);
  });

  test('a VirtualService name chosen in names names the root', () => {
    const s = setup(Mesh.ISTIO, { virtualService: 'reviews-routes' });
    jasonRoute(s);
    canary(s);
    expect(synth('delegation-chosen-name', s).vs.map((v) => v.metadata.name)).toEqual(['reviews-routes']);
  });

  test('route defaults (a RequestPolicy) reach Flagger\'s route through the Canary\'s service fields, and the root\'s routes', () => {
    const s = setup();
    jasonRoute(s);
    new RequestPolicy(s.chart, 'policy', { service: s.reviews, timeout: Duration.seconds(2), retries: new RetryPolicy({ attempts: 2 }) });
    canary(s);
    const { vs, flagger } = synth('delegation-request-policy', s);
    expect(flagger.spec.service).toMatchObject({ timeout: '2s', retries: { attempts: 2 }, delegation: true });
    expect(vs[0].spec.http[0]).toMatchObject({ name: 'jason', timeout: '2s', retries: { attempts: 2 } });
    // the CanaryService's own timeout wins over the defaults
    const own = setup();
    new RequestPolicy(own.chart, 'policy', { service: own.reviews, timeout: Duration.seconds(2) });
    canary(own, { timeout: Duration.seconds(4) });
    expect(synth('delegation-request-policy-own', own).flagger.spec.service.timeout).toBe('4s');
  });

  test('Argo CD: Flagger changes nothing of the root, so the ignore rules stay the target\'s replicas and the Service selector', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'bookinfo' });
    const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(reviews) });
    new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.flagger(), previewMatch: PREVIEW });
    expect(ArgoCdIgnoreRules.of(app).ignoreDifferences).toEqual([
      { group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/spec/selector'] },
      { group: 'apps', kind: 'Deployment', name: 'reviews-v2', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] },
    ]);
  });
});

describe('refused under Flagger\'s delegation, with the fix', () => {
  test('a route to a version of the service: its subset is gone, Flagger splits the pods', () => {
    const s = setup();
    s.reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    canary(s);
    expect(() => Testing.synth(s.chart)).toThrow(/reviews-canary: route jason of reviews \(from test\/reviews\) goes to version v2, but under Flagger reviews runs as one Deployment reviews that Flagger copies to reviews-primary and splits by weight: no subset selects version v2's pods\. Fix: route to the whole service \(RouteTo.service\(reviews\)/);
  });

  test('a mirror to a version of the service', () => {
    const s = setup();
    s.reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(s.ratings), mirror: Mirror.to(Destination.version('v1')) });
    canary(s);
    expect(() => Testing.synth(s.chart)).toThrow(/the route matching "header\[end-user\]=exact:jason" of reviews \(from test\/reviews\) mirrors to version v1/);
  });

  test('a default route of ours: Flagger\'s route is the default', () => {
    const s = setup();
    s.reviews.setDefaultRoute(RouteTo.service(s.ratings));
    canary(s);
    expect(() => Testing.synth(s.chart)).toThrow(/reviews-canary: test\/reviews sets the default route of reviews .*, but under Flagger the requests no route selects go to Flagger's VirtualService reviews/);
  });

  test('route defaults whose retries outlast the Canary\'s timeout', () => {
    const s = setup();
    new RequestPolicy(s.chart, 'policy', { service: s.reviews, retries: new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) }) });
    canary(s, { timeout: Duration.seconds(1) });
    expect(() => Testing.synth(s.chart)).toThrow(/reviews-canary: retries need up to 8000ms .* \(with the defaults of test\/policy\), longer than the route timeout of 1000ms/);
  });
  // the Gateway API and Linkerd keep them beside Flagger's HTTPRoute: flagger-gateway-api.test.ts
});

test('synthesizing twice gives the same output', () => {
  const s = setup();
  jasonRoute(s);
  canary(s, { previewMatch: PREVIEW });
  expect(Testing.synth(s.chart)).toEqual(Testing.synth(s.chart));
});

test('every scenario is schema-valid', () => {
  expect(schemas.size).toBeGreaterThan(3);
  expect(schemas.problems()).toEqual([]);
});
