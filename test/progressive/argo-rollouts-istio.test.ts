import { Duration, Testing } from 'cdk8s';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { ServiceLevelIndicator } from '../../src/observability/slo/service-level-indicator';
import { ServiceLevelObjective } from '../../src/observability/slo/service-level-objective';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryAnalysis } from '../../src/progressive/canary-analysis';
import { CanaryEngine, WorkloadScaleDown } from '../../src/progressive/canary-engine';
import { FaultInjection } from '../../src/resilience/fault-injection';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
const preview = Match.header('x-canary').exact('true');

function rolloutScenario(name: string, configure: (chart: ReturnType<typeof meshChart>) => CanaryService) {
  const chart = meshChart();
  const canary = configure(chart);
  const out = schemas.add(name, Testing.synth(chart));
  // the service's own VirtualService (the root) and the delegate the Rollout edits
  const [vs, delegate] = ofKind(out, 'VirtualService');
  const [dr] = ofKind(out, 'DestinationRule');
  const [rollout] = ofKind(out, 'Rollout');
  const [template] = ofKind(out, 'AnalysisTemplate');
  return { canary, out, vs, delegate, dr, rollout, template };
}

function argoCanary(chart: ReturnType<typeof meshChart>, props: Partial<ConstructorParameters<typeof CanaryService>[2]> = {}): CanaryService {
  const reviews = (props.service ?? reviewsService(chart));
  return new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts(), ...props });
}

describe('CanaryService with Argo Rollouts on Istio', () => {
  test('the named route holds both destinations, the canary at weight 0, in a delegate of the service\'s VirtualService; the DestinationRule both subsets', () => {
    const { vs, delegate, dr, canary } = rolloutScenario('rollout-basic', (chart) => argoCanary(chart));
    // the root: the service's host, its catch-all handed to the delegate
    expect(vs.metadata.name).toBe('reviews');
    expect(vs.spec).toEqual({ hosts: ['reviews'], http: [{ name: 'rollout', delegate: { name: 'reviews-rollout', namespace: 'bookinfo' } }] });
    // the delegate: no hosts (Istio reads it through the root only), route primary alone
    expect(delegate.metadata).toEqual({ name: 'reviews-rollout', namespace: 'bookinfo' });
    expect(delegate.spec).toEqual({ http: [{ name: 'primary', route: [
      { destination: { host: 'reviews', subset: 'stable' }, weight: 100 },
      { destination: { host: 'reviews', subset: 'canary' }, weight: 0 },
    ] }] });
    expect(dr.spec.subsets).toEqual([
      { name: 'stable', labels: { app: 'reviews' } },
      { name: 'canary', labels: { app: 'reviews' } },
      { name: 'v3', labels: { version: 'v3' } },
    ]);
    expect(canary.canaryWeight).toBe(0);
  });

  test('the Rollout names the route and subsets and steps through the stage plan with an analysis per stage', () => {
    const { rollout } = rolloutScenario('rollout-steps', (chart) => argoCanary(chart, { stages: [10, 50], engine: CanaryEngine.argoRollouts({ replicas: 3, scaleDown: WorkloadScaleDown.ON_SUCCESS }) }));
    expect(rollout.metadata).toEqual({ name: 'reviews', namespace: 'bookinfo' });
    expect(rollout.spec.replicas).toBe(3);
    expect(rollout.spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-v2', scaleDown: 'onsuccess' });
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ istio: {
      virtualService: { name: 'reviews-rollout', routes: ['primary'] },
      destinationRule: { name: 'reviews', stableSubsetName: 'stable', canarySubsetName: 'canary' },
    } });
    const analysis = { analysis: { templates: [{ templateName: 'reviews-canary' }] } };
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, analysis, { setWeight: 50 }, analysis]);
  });

  test('the preview header reaches the canary at every step: a managed header route set before the first weight', () => {
    const { rollout, vs, delegate } = rolloutScenario('rollout-preview', (chart) => argoCanary(chart, { previewMatch: preview }));
    const canary = rollout.spec.strategy.canary;
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-preview' }]);
    expect(canary.steps[0]).toEqual({ setHeaderRoute: { name: 'canary-preview', match: [{ headerName: 'x-canary', headerValue: { exact: 'true' } }] } });
    // the header route exists from step 0 until Rollouts removes its managed routes at the end
    expect(canary.steps.slice(1).filter((s: any) => s.setHeaderRoute)).toEqual([]);
    expect(canary.steps.filter((s: any) => s.setWeight !== undefined).length).toBe(5);
    // Rollouts owns the managed route: neither VirtualService renders it
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['rollout']);
    expect(delegate.spec.http.map((r: any) => r.name)).toEqual(['primary']);
  });

  test('the user\'s other routes survive, and routes to the stable or canary version use its subset', () => {
    const { vs, delegate, dr } = rolloutScenario('rollout-user-routes', (chart) => {
      const reviews = reviewsService(chart);
      reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3'), timeout: Duration.seconds(2) });
      reviews.addRoute({ matches: [Match.header('x-debug').exact('1')], to: RouteTo.version('v2'), retries: new RetryPolicy({ attempts: 2 }) });
      reviews.addRoute({ matches: [Match.header('x-chaos').exact('1')], to: RouteTo.version('v1'), fault: FaultInjection.delay(Duration.seconds(1), 10) });
      return argoCanary(chart, { service: reviews, previewMatch: preview });
    });
    // the own routes stay in the root, in front of the delegating route; the delegate holds primary only
    expect(vs.spec.http.map((r: any) => [r.name, r.route?.map((d: any) => d.destination.subset) ?? r.delegate.name])).toEqual([
      [undefined, ['v3']], [undefined, ['canary']], [undefined, ['stable']], ['rollout', 'reviews-rollout'],
    ]);
    expect(delegate.spec.http.map((r: any) => [r.name, r.route.map((d: any) => d.destination.subset)])).toEqual([['primary', ['stable', 'canary']]]);
    expect(vs.spec.http[0].timeout).toBe('2s');
    expect(vs.spec.http[1].retries.attempts).toBe(2);
    expect(vs.spec.http[2].fault.delay.fixedDelay).toBe('1s');
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['stable', 'canary', 'v3']);
  });

  test('the split\'s timeout and retries go on the delegating route, where Argo CD syncs them; Istio applies them to every route of the delegate that sets none', () => {
    const { vs, delegate } = rolloutScenario('rollout-behaviour', (chart) => argoCanary(chart, {
      previewMatch: preview, timeout: Duration.seconds(3), retries: new RetryPolicy({ attempts: 4 }),
    }));
    // pilot/pkg/model/virtualservice.go mergeHTTPRoute: the delegate route takes the root route's timeout and retries when unset,
    // so the managed routes Argo Rollouts appends (createHeaderRoute sets name, match and route only) get them too
    expect(vs.spec.http).toEqual([{ name: 'rollout', delegate: { name: 'reviews-rollout', namespace: 'bookinfo' }, timeout: '3s', retries: expect.objectContaining({ attempts: 4 }) }]);
    expect(delegate.spec.http).toEqual([{ name: 'primary', route: expect.any(Array) }]);
    // the service's request policy as well
    const fromPolicy = rolloutScenario('rollout-request-policy', (chart) => {
      const reviews = reviewsService(chart);
      new RequestPolicy(chart, 'policy', { service: reviews, timeout: Duration.seconds(5) });
      return argoCanary(chart, { service: reviews });
    });
    expect(fromPolicy.vs.spec.http[0]).toMatchObject({ name: 'rollout', timeout: '5s' });
    expect(fromPolicy.delegate.spec.http[0].timeout).toBeUndefined();
  });

  test('the AnalysisTemplate measures success rate and latency; no traffic (NaN) passes', () => {
    const { template } = rolloutScenario('rollout-analysis', (chart) => argoCanary(chart, {
      analysis: CanaryAnalysis.of({ successRatePercent: 99.5, latencyThreshold: Duration.millis(300), latencyPercentile: 95, interval: Duration.seconds(30), failureLimit: 2, measurementsPerStage: 4, minRequests: 20, prometheusAddress: 'http://prometheus.monitoring:9090' }),
    }));
    const [success, latency] = template.spec.metrics;
    expect(template.metadata).toEqual({ name: 'reviews-canary', namespace: 'bookinfo' });
    expect(success).toMatchObject({ name: 'success-rate', interval: '30s', count: 4, failureLimit: 2, successCondition: 'isNaN(result) || result >= 0.995' });
    expect(latency).toMatchObject({ name: 'latency', interval: '30s', count: 4, failureLimit: 2, successCondition: 'isNaN(result) || result <= 300' });
    expect(success.provider.prometheus.address).toBe('http://prometheus.monitoring:9090');
    expect(success.provider.prometheus.query).toMatch(/^scalar\(.*destination_version=~"v2\|unknown".*>= 20\)\)$/);
    expect(latency.provider.prometheus.query).toMatch(/^scalar\(\(histogram_quantile\(0\.95, /);
    // no failureCondition: a NaN result is a success, never inconclusive (which would pause the rollout)
    expect(success.failureCondition).toBeUndefined();
  });

  test('thresholds default from the service\'s SLOs, created before or after the canary', () => {
    const { template } = rolloutScenario('rollout-from-slo', (chart) => {
      const reviews = reviewsService(chart);
      const canary = argoCanary(chart, { service: reviews });
      new ServiceLevelObjective(chart, 'availability', { service: reviews, objectivePercent: 99.9 });
      new ServiceLevelObjective(chart, 'latency', { service: reviews, objectivePercent: 95, indicator: ServiceLevelIndicator.latency(Duration.millis(250)) });
      return canary;
    });
    expect(template.spec.metrics[0].successCondition).toBe('isNaN(result) || result >= 0.999');
    expect(template.spec.metrics[1].successCondition).toBe('isNaN(result) || result <= 250');
    expect(template.spec.metrics[1].provider.prometheus.query).toMatch(/histogram_quantile\(0\.95, /);
  });

  test('without SLOs, thresholds default from ServiceAlerts, else 99% and p99 500ms', () => {
    const fromAlerts = rolloutScenario('rollout-from-alerts', (chart) => {
      const reviews = reviewsService(chart);
      new ServiceAlerts(chart, 'alerts', { service: reviews, errorRatio: { thresholdPercent: 2 }, latency: { percentile: 90, threshold: Duration.millis(800) } });
      return argoCanary(chart, { service: reviews });
    }).template;
    expect(fromAlerts.spec.metrics.map((m: any) => m.successCondition)).toEqual(['isNaN(result) || result >= 0.98', 'isNaN(result) || result <= 800']);
    expect(fromAlerts.spec.metrics[1].provider.prometheus.query).toMatch(/histogram_quantile\(0\.9, /);
    const plain = rolloutScenario('rollout-defaults', (chart) => argoCanary(chart)).template;
    expect(plain.spec.metrics.map((m: any) => m.successCondition)).toEqual(['isNaN(result) || result >= 0.99', 'isNaN(result) || result <= 500']);
    expect(plain.spec.metrics[0]).toMatchObject({ interval: '60s', count: 5, failureLimit: 1 });
  });

  test('runtimeOwnedFields lists what Argo Rollouts changes at runtime', () => {
    const { canary } = rolloutScenario('rollout-owned', (chart) => argoCanary(chart, { previewMatch: preview }));
    expect(canary.runtimeOwnedFields.map((f) => [f.group, f.kind, f.name, f.jsonPointers ?? f.jqPathExpressions])).toEqual([
      // the delegate's whole route list: it holds nothing of the service's own
      ['networking.istio.io', 'VirtualService', 'reviews-rollout', ['/spec/http']],
      ['networking.istio.io', 'DestinationRule', 'reviews', ['.spec.subsets[] | select(.name == "stable" or .name == "canary") | .labels["rollouts-pod-template-hash"]']],
      ['apps', 'Deployment', 'reviews-v2', ['/spec/replicas']],
      ['argoproj.io', 'Rollout', 'reviews', ['/metadata/annotations/rollout.argoproj.io~1workload-generation']],
    ]);
    const plain = rolloutScenario('rollout-owned-plain', (chart) => argoCanary(chart, { engine: CanaryEngine.argoRollouts({ scaleDown: WorkloadScaleDown.NEVER }) })).canary;
    expect(plain.runtimeOwnedFields.map((f) => f.jqPathExpressions ?? f.jsonPointers)).toEqual([
      ['/spec/http'],
      ['.spec.subsets[] | select(.name == "stable" or .name == "canary") | .labels["rollouts-pod-template-hash"]'],
      ['/metadata/annotations/rollout.argoproj.io~1workload-generation'],
    ]);
  });

  test('the static stage is unchanged and owns nothing at runtime', () => {
    const chart = meshChart();
    const canary = new CanaryService(chart, 'c', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stage: 2, engine: CanaryEngine.staticStage() });
    expect(canary.runtimeOwnedFields).toEqual([]);
    expect(canary.rollout).toBeUndefined();
    expect(ofKind(Testing.synth(chart), 'VirtualService')[0].spec.http).toEqual([{ route: [
      { destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
    ] }]);
  });

  test('a snapshot of the full scenario', () => {
    const { out } = rolloutScenario('rollout-snapshot', (chart) => argoCanary(chart, { previewMatch: preview, stages: [10, 50, 100] }));
    expect(out).toMatchSnapshot();
  });

  test('synthesizing twice gives the same output', () => {
    const chart = meshChart();
    argoCanary(chart, { previewMatch: preview });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });
});

describe('refusals', () => {
  test.each<[string, (chart: ReturnType<typeof meshChart>) => unknown, RegExp]>([
    ['a stage with an automatic engine', (c) => argoCanary(c, { stage: 2 }), /reviews-canary: stage is 2, but the argo-rollouts engine moves through the stages itself at runtime/],
    ['no stage with the static engine', (c) => new CanaryService(c, 'x', { service: reviewsService(c), stableVersion: 'v1', canaryVersion: 'v2' }), /x: stage must be a whole number from 0 .* got undefined/],
    ['an analysis with the static engine', (c) => new CanaryService(c, 'x', { service: reviewsService(c), stableVersion: 'v1', canaryVersion: 'v2', stage: 1, analysis: CanaryAnalysis.fromObjectives() }), /x: analysis has no effect with the static-stage engine/],
    ['a preview match on the path', (c) => argoCanary(c, { previewMatch: Match.path.prefix('/beta') }), /reviews-canary: previewMatch is .* but Argo Rollouts' setHeaderRoute matches request headers only/],
    ['a preview match on a query parameter and a header', (c) => argoCanary(c, { previewMatch: Match.header('a').exact('b').and(Match.queryParam('c').exact('d')) }), /setHeaderRoute matches request headers only/],
    ['a preview match on two headers, which the Istio router would OR', (c) => argoCanary(c, { previewMatch: Match.header('x-canary').exact('true').and(Match.header('x-team').exact('qa')) }),
      /previewMatch is .*, but Argo Rollouts' Istio router makes each header of a setHeaderRoute a VirtualService match of its own, which Istio ORs \(rollout\/trafficrouting\/istio\/istio.go createHeaderRoute\)/],
    ['a version Istio metrics cannot tell apart', (c) => {
      const s = reviewsService(c); s.addVersion('v4', { labels: { track: 'canary' } });
      return argoCanary(c, { service: s, canaryVersion: 'v4' });
    }, /reviews: version v4 labels have none of service.istio.io\/canonical-revision, app.kubernetes.io\/version, version/],
    ['another version named like the engine\'s subset', (c) => {
      const s = reviewsService(c); s.addVersion('canary');
      return argoCanary(c, { service: s });
    }, /subset "canary" of version v2 is already the subset of version canary/],
  ])('%s', (_name, build, message) => {
    expect(() => build(meshChart())).toThrow(message);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['successRatePercent 100', () => CanaryAnalysis.of({ successRatePercent: 100 }), /CanaryAnalysis: successRatePercent must be strictly between 0 and 100, got 100/],
    ['a zero latency', () => CanaryAnalysis.of({ latencyThreshold: Duration.millis(0) }), /latencyThreshold must be positive/],
    ['an interval under 30s', () => CanaryAnalysis.of({ interval: Duration.seconds(10) }), /interval must be whole seconds and at least 30s/],
    ['a failure limit a stage cannot reach', () => CanaryAnalysis.of({ failureLimit: 5, measurementsPerStage: 5 }), /failureLimit is 5, so a stage of 5 measurements could never fail/],
    ['a negative failure limit', () => CanaryAnalysis.of({ failureLimit: -1 }), /failureLimit must be a whole number >= 0, got -1/],
    ['minRequests 0', () => CanaryAnalysis.of({ minRequests: 0 }), /minRequests must be a whole number from 1/],
    ['a Prometheus address without scheme', () => CanaryAnalysis.of({ prometheusAddress: 'prometheus:9090' }), /prometheusAddress must be an http\(s\) URL, got "prometheus:9090"/],
    ['a bad Deployment name', () => CanaryEngine.argoRollouts({ deploymentName: 'Reviews' }), /CanaryEngine.argoRollouts: deploymentName must be a DNS label/],
    ['zero replicas', () => CanaryEngine.argoRollouts({ replicas: 0 }), /replicas must be a whole number from 1/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

test('every scenario is schema-valid', () => {
  expect(schemas.size).toBeGreaterThan(8);
  expect(schemas.problems()).toEqual([]);
});

test('the Rollout names the VirtualService and DestinationRule the service renders, when their names are chosen', () => {
  const chart = meshChart();
  const reviews = new MeshService(chart, 'reviews', {
    ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], names: { virtualService: 'reviews-vs', destinationRule: 'reviews-dr' },
  });
  argoCanary(chart, { service: reviews });
  const [rollout] = ofKind(Testing.synth(chart), 'Rollout');
  const out = Testing.synth(chart);
  expect(ofKind(out, 'VirtualService').map((vs) => [vs.metadata.name, vs.spec.hosts])).toEqual([['reviews-vs', ['reviews']], ['reviews-vs-rollout', undefined]]);
  expect(rollout.spec.strategy.canary.trafficRouting.istio.virtualService.name).toBe('reviews-vs-rollout');
  expect(rollout.spec.strategy.canary.trafficRouting.istio.destinationRule.name).toBe('reviews-dr');
});
