import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
const preview = Match.header('x-canary').exact('true');

function scenario(name: string, mesh: Mesh, configure: (chart: ReturnType<typeof meshChart>) => CanaryService) {
  const chart = meshChart(mesh);
  const canary = configure(chart);
  const out = schemas.add(name, Testing.synth(chart));
  const [route] = ofKind(out, 'HTTPRoute');
  const [rollout] = ofKind(out, 'Rollout');
  const services = ofKind(out, 'Service');
  return { canary, out, route, rollout, services };
}

function argoCanary(chart: ReturnType<typeof meshChart>, props: Partial<ConstructorParameters<typeof CanaryService>[2]> = {}): CanaryService {
  return new CanaryService(chart, 'reviews-canary', { service: props.service ?? reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts(), ...props });
}

const backend = (name: string, weight?: number) => ({ group: '', kind: 'Service', name, port: 9080, ...(weight !== undefined ? { weight } : {}) });

describe.each([Mesh.LINKERD, Mesh.GATEWAY_API])('CanaryService with Argo Rollouts on %s (Gateway API plugin)', (mesh) => {
  test('the rule primary holds the stable and canary Services, the canary at weight 0; the Services select the whole service', () => {
    const { route, services, canary } = scenario(`${mesh}-basic`, mesh, (chart) => argoCanary(chart));
    // rules[].name only where the target's Gateway API has it (1.4+); the plugin finds the rule by its backends
    const name = mesh === Mesh.GATEWAY_API ? { name: 'primary' } : {};
    expect(route.spec.rules).toEqual([{ ...name, matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [backend('reviews-stable', 100), backend('reviews-canary', 0)] }]);
    expect(services.map((s: any) => [s.metadata.name, s.spec.selector])).toEqual([['reviews-stable', { app: 'reviews' }], ['reviews-canary', { app: 'reviews' }]]);
    expect(canary.rolloutStableService?.serviceName).toBe('reviews-stable');
    expect(canary.rolloutCanaryService?.serviceName).toBe('reviews-canary');
  });

  test('the Rollout names the Services and the HTTPRoute for the plugin; the preview header is a managed route at every step', () => {
    const { rollout } = scenario(`${mesh}-rollout`, mesh, (chart) => argoCanary(chart, { previewMatch: preview, stages: [20, 100] }));
    const c = rollout.spec.strategy.canary;
    expect(c.stableService).toBe('reviews-stable');
    expect(c.canaryService).toBe('reviews-canary');
    expect(c.trafficRouting).toEqual({
      plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'reviews', useHeaderRoutes: true }], namespace: 'bookinfo' } },
      managedRoutes: [{ name: 'canary-preview' }],
    });
    const analysis = { analysis: { templates: [{ templateName: 'reviews-canary' }] } };
    expect(c.steps).toEqual([
      { setHeaderRoute: { name: 'canary-preview', match: [{ headerName: 'x-canary', headerValue: { exact: 'true' } }] } },
      { setWeight: 20 }, analysis, { setWeight: 100 }, analysis,
    ]);
  });

  test('a preview match on several headers: the plugin ANDs them; a prefix goes as an escaped regex, since the plugin appends .* to a prefix unescaped', () => {
    const { rollout } = scenario(`${mesh}-preview-headers`, mesh, (chart) => argoCanary(chart, { previewMatch: Match.header('x-canary').exact('true').and(Match.header('x-build').prefix('1.2')) }));
    expect(rollout.spec.strategy.canary.steps[0].setHeaderRoute.match).toEqual([
      { headerName: 'x-canary', headerValue: { exact: 'true' } },
      { headerName: 'x-build', headerValue: { regex: '^1\\.2.*' } },
    ]);
  });

  test('the user\'s routes keep the per-version Services, which the plugin does not touch', () => {
    const { route } = scenario(`${mesh}-user-routes`, mesh, (chart) => {
      const reviews = reviewsService(chart);
      reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3') });
      reviews.addRoute({ matches: [Match.header('x-debug').exact('1')], to: RouteTo.version('v2') });
      return argoCanary(chart, { service: reviews });
    });
    expect(route.spec.rules.map((r: any) => r.backendRefs.map((b: any) => b.name))).toEqual([['reviews-v3'], ['reviews-v2'], ['reviews-stable', 'reviews-canary']]);
  });

  test('runtimeOwnedFields: the HTTPRoute\'s weights, managed rule and label, the Services\' selectors, the Deployment\'s replicas', () => {
    const { canary } = scenario(`${mesh}-owned`, mesh, (chart) => argoCanary(chart, { previewMatch: preview }));
    expect(canary.runtimeOwnedFields.map((f) => [f.group, f.kind, f.name, f.jsonPointers, f.jqPathExpressions])).toEqual([
      ['gateway.networking.k8s.io', 'HTTPRoute', 'reviews', ['/metadata/labels/rollouts.argoproj.io~1gatewayapi-canary'], [
        '.spec.rules[].backendRefs[] | select(.name == "reviews-stable" or .name == "reviews-canary") | .weight',
        '.spec.rules[] | select((.backendRefs // []) | length == 1 and .[0].name == "reviews-canary")',
      ]],
      ['', 'Service', 'reviews-stable', ['/spec/selector/rollouts-pod-template-hash'], undefined],
      ['', 'Service', 'reviews-canary', ['/spec/selector/rollouts-pod-template-hash'], undefined],
      ['apps', 'Deployment', 'reviews-v2', ['/spec/replicas'], undefined],
      ['argoproj.io', 'Rollout', 'reviews', ['/metadata/annotations/rollout.argoproj.io~1workload-generation'], undefined],
    ]);
    const plain = scenario(`${mesh}-owned-plain`, mesh, (chart) => argoCanary(chart)).canary;
    expect(plain.runtimeOwnedFields[0].jqPathExpressions).toEqual(['.spec.rules[].backendRefs[] | select(.name == "reviews-stable" or .name == "reviews-canary") | .weight']);
  });

  test('a snapshot of the full scenario', () => {
    const { out } = scenario(`${mesh}-snapshot`, mesh, (chart) => argoCanary(chart, { previewMatch: preview }));
    expect(out).toMatchSnapshot();
  });

  test('the preview match needs a free rule of the 16 an HTTPRoute holds', () => {
    const chart = meshChart(mesh);
    const reviews = reviewsService(chart);
    for (let i = 0; i < 15; i++) reviews.addRoute({ matches: [Match.header('x-tenant').exact(`t${i}`)], to: RouteTo.version('v3') });
    argoCanary(chart, { service: reviews, previewMatch: preview });
    expect(() => Testing.synth(chart)).toThrow(/reviews-canary: previewMatch needs one more rule in HTTPRoute reviews, which already has 16 of 16/);
  });
});

test('Argo Rollouts on Cilium is refused: nothing to analyse', () => {
  expect(() => argoCanary(meshChart(Mesh.CILIUM))).toThrow(/engine Argo Rollouts cannot analyse a canary on cilium/);
});

test('every scenario is schema-valid', () => {
  expect(schemas.size).toBeGreaterThan(8);
  expect(schemas.problems()).toEqual([]);
});
