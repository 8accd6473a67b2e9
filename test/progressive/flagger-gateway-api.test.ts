import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

// The service's own routes and the preview match beside the HTTPRoute Flagger's gatewayapi
// router generates (src/progressive/flagger-gateway-api.ts); walked step by step in
// preview-every-step.test.ts.
const schemas = new SchemaBatch();
const preview = Match.header('x-canary').exact('true');
type Chart = ReturnType<typeof meshChart>;
type Props = Partial<ConstructorParameters<typeof CanaryService>[2]>;

function flaggerCanary(chart: Chart, props: Props = {}): CanaryService {
  return new CanaryService(chart, 'reviews-canary', { service: props.service ?? reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.flagger(), ...props });
}

function withRatings(chart: Chart): { reviews: MeshService; ratings: MeshService } {
  return { reviews: reviewsService(chart), ratings: new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] }) };
}

function scenario(name: string, mesh: Mesh, configure: (chart: Chart) => void) {
  const chart = meshChart(mesh);
  configure(chart);
  const out = schemas.add(name, Testing.synth(chart));
  return { out, routes: ofKind(out, 'HTTPRoute'), flagger: ofKind(out, 'Canary')[0] };
}

const canaryBackend = { group: '', kind: 'Service', name: 'reviews-canary', port: 9080, weight: 1 };
const headerMatch = (name: string, value: string) => ({ headers: [{ name, type: 'Exact', value }], path: { type: 'PathPrefix', value: '/' } });

describe.each([Mesh.LINKERD, Mesh.GATEWAY_API])('Flagger on %s: the service\'s routes beside Flagger\'s HTTPRoute', (mesh) => {
  const ruleName = (name: string) => (mesh === Mesh.GATEWAY_API ? { name } : {}); // rules[].name where the target's Gateway API has it (1.4+)

  test('the preview match is a rule of HTTPRoute reviews-routes to Flagger\'s reviews-canary, with the canary\'s timeout; Flagger\'s Canary is unchanged', () => {
    const { routes, flagger, out } = scenario(`flagger-${mesh}-preview`, mesh, (chart) => flaggerCanary(chart, { previewMatch: preview, timeout: Duration.seconds(3) }));
    expect(routes.map((r) => r.metadata.name)).toEqual(['reviews-routes']);
    expect(routes[0].spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(routes[0].spec.rules).toEqual([{ ...ruleName('canary-preview'), matches: [headerMatch('x-canary', 'true')], backendRefs: [canaryBackend], timeouts: { request: '3s' } }]);
    expect(flagger.spec.service).toEqual({ name: 'reviews', port: 9080, portName: 'http', appProtocol: 'http', timeout: '3s', gatewayRefs: [{ group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo', port: 9080 }] });
    expect(flagger.spec.analysis.match).toBeUndefined();
    // Flagger creates reviews-canary: no Service of ours has its name
    expect(ofKind(out, 'Service').map((s) => s.metadata.name)).not.toContain('reviews-canary');
    expect(out).toMatchSnapshot();
  });

  test('header routes and redirects of the service\'s own keep working, in the order of the routing table', () => {
    const { routes, out } = scenario(`flagger-${mesh}-user-routes`, mesh, (chart) => {
      const { reviews, ratings } = withRatings(chart);
      reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(ratings), timeout: Duration.seconds(2) });
      reviews.addRoute({ matches: [Match.path.prefix('/legacy')], to: RouteTo.redirect({ path: '/reviews' }) });
      flaggerCanary(chart, { service: reviews, previewMatch: preview });
    });
    expect(routes.map((r) => r.metadata.name)).toEqual(['reviews-routes']);
    expect(routes[0].spec.rules.map((r: any) => [r.matches, r.backendRefs?.map((b: any) => b.name), r.filters?.[0]?.type])).toEqual([
      [[{ path: { type: 'PathPrefix', value: '/legacy' } }], undefined, 'RequestRedirect'],
      [[headerMatch('end-user', 'jason')], ['ratings'], undefined],
      [[headerMatch('x-canary', 'true')], ['reviews-canary'], undefined],
    ]);
    expect(out).toMatchSnapshot();
  });

  test('a name chosen for the service\'s HTTPRoute is kept', () => {
    const { routes } = scenario(`flagger-${mesh}-named`, mesh, (chart) => {
      const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], names: { httpRoute: 'reviews-own' } });
      flaggerCanary(chart, { service: reviews, previewMatch: preview });
    });
    expect(routes.map((r) => r.metadata.name)).toEqual(['reviews-own']);
  });

  test('routes added after the canary land in the same HTTPRoute', () => {
    const { routes } = scenario(`flagger-${mesh}-late`, mesh, (chart) => {
      const { reviews, ratings } = withRatings(chart);
      flaggerCanary(chart, { service: reviews });
      reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(ratings) });
    });
    expect(routes.map((r) => [r.metadata.name, r.spec.rules.length])).toEqual([['reviews-routes', 1]]);
  });

  test.each<[string, (chart: Chart, reviews: MeshService) => void, RegExp]>([
    ['a route to a version of the service: its pods would be in Flagger\'s -canary Service',
      (_chart, reviews) => reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3') }),
      /reviews-canary: reviews: the route of test\/reviews sends requests to version v3, but under Flagger reviews runs as one target Deployment .*pkg\/router\/kubernetes_default.go.*Fix: reach the canary with previewMatch/],
    ['a match that can rank equal to Flagger\'s PathPrefix /',
      (_chart, reviews) => reviews.addRoute({ name: 'root', matches: [Match.path.exact('/')], to: RouteTo.redirect({ path: '/reviews' }) }),
      /route root \(test\/reviews\) matches "path=exact:\/", which can rank equal to the rule PathPrefix \/ of Flagger's HTTPRoute reviews: the mesh then picks the older HTTPRoute/],
    ['a default route of another intent',
      (_chart, reviews) => reviews.setDefaultRoute(RouteTo.version('v1')),
      /test\/reviews sets the default route of reviews .*, but under Flagger the requests no route selects go to Flagger's HTTPRoute reviews/],
    ['route defaults (a RequestPolicy), which Flagger\'s rule would not get',
      (chart, reviews) => new RequestPolicy(chart, 'policy', { service: reviews, timeout: Duration.seconds(4) }),
      /reviews has route defaults \(from test\/policy\), which would not reach the route Flagger generates in its HTTPRoute reviews/],
  ])('refused: %s', (_name, build, message) => {
    const chart = meshChart(mesh);
    const reviews = reviewsService(chart);
    build(chart, reviews);
    flaggerCanary(chart, { service: reviews });
    expect(() => Testing.synth(chart)).toThrow(message);
  });
});

test('Linkerd: a route with retries of its own goes into an HTTPRoute of its own, named after the service\'s routes, never reviews', () => {
  const { routes } = scenario('flagger-linkerd-retries', Mesh.LINKERD, (chart) => {
    const { reviews, ratings } = withRatings(chart);
    // on a path of its own: with the preview's one header only, a request with both headers would tie across the two HTTPRoutes (refused)
    reviews.addRoute({ matches: [Match.path.prefix('/reviews').and(Match.header('end-user').exact('jason'))], to: RouteTo.service(ratings), retries: new RetryPolicy({ attempts: 2 }) });
    flaggerCanary(chart, { service: reviews, previewMatch: preview });
  });
  const byName = [...routes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  expect(byName.map((r) => [r.metadata.name, Object.keys(r.metadata.annotations ?? {}), r.spec.rules[0].backendRefs[0].name])).toEqual([
    [expect.stringMatching(/^reviews-retries-[0-9a-f]{8}$/), expect.arrayContaining(['retry.linkerd.io/http', 'retry.linkerd.io/limit']), 'ratings'],
    ['reviews-routes', [], 'reviews-canary'],
  ]);
});

test('without routes of its own and without a preview match, the service renders no HTTPRoute', () => {
  const { routes } = scenario('flagger-linkerd-bare', Mesh.LINKERD, (chart) => flaggerCanary(chart));
  expect(routes).toEqual([]);
});

test('synthesizing twice gives the same output', () => {
  const chart = meshChart(Mesh.LINKERD);
  const { reviews, ratings } = withRatings(chart);
  reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(ratings) });
  flaggerCanary(chart, { service: reviews, previewMatch: preview });
  expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
});

test('every scenario is schema-valid', () => {
  expect(schemas.size).toBeGreaterThan(8);
  expect(schemas.problems()).toEqual([]);
});
