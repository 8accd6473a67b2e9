import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { ServiceLevelIndicator } from '../../src/observability/slo/service-level-indicator';
import { ServiceLevelObjective } from '../../src/observability/slo/service-level-objective';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryAnalysis } from '../../src/progressive/canary-analysis';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { flaggerGeneratedNames } from '../../src/progressive/flagger';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
type Props = Partial<ConstructorParameters<typeof CanaryService>[2]>;

function flaggerCanary(chart: ReturnType<typeof meshChart>, props: Props = {}): CanaryService {
  const reviews = props.service ?? reviewsService(chart);
  return new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.flagger(), ...props });
}

function scenario(name: string, mesh: Mesh, configure: (chart: ReturnType<typeof meshChart>) => CanaryService) {
  const chart = meshChart(mesh);
  const canary = configure(chart);
  const out = schemas.add(name, Testing.synth(chart));
  const [flagger] = ofKind(out, 'Canary');
  const templates = ofKind(out, 'MetricTemplate');
  return { canary, out, flagger, templates };
}

/** bookinfo's reviews rendered as Flagger expects: one Deployment `reviews` (the canary version's), autoscaled. */
function withWorkloads(chart: ReturnType<typeof meshChart>, props: Props = {}): CanaryService {
  const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], renderServices: true });
  new ServiceWorkloads(chart, 'workloads', { service: reviews, autoscaling: {}, versions: [{ version: 'v2', image: 'docker.io/istio/examples-bookinfo-reviews-v2:1.20.3', deploymentName: 'reviews' }] });
  return flaggerCanary(chart, { service: reviews, ...props });
}

describe('CanaryService with Flagger on Istio', () => {
  test('the Canary targets the canary version\'s Deployment and steps through the stage plan below 100%', () => {
    const { flagger, out } = scenario('flagger-istio', Mesh.ISTIO, (chart) => flaggerCanary(chart));
    expect(flagger.apiVersion).toBe('flagger.app/v1beta1');
    expect(flagger.metadata).toEqual({ name: 'reviews', namespace: 'bookinfo' });
    expect(flagger.spec.provider).toBe('istio');
    expect(flagger.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-v2' });
    expect(flagger.spec.service).toEqual({ name: 'reviews', port: 9080, portName: 'http', appProtocol: 'http' });
    // a stage lasts measurementsPerStage x interval (5 x 60s); 100% is Flagger's promotion itself
    expect(flagger.spec.analysis).toMatchObject({ interval: '300s', threshold: 2, stepWeights: [5, 10, 30, 50] });
    expect(flagger.spec.analysis.metrics).toEqual([
      { name: 'success-rate', templateRef: { name: 'reviews-success-rate', namespace: 'bookinfo' }, thresholdRange: { min: 0.99 }, interval: '300s' },
      { name: 'latency', templateRef: { name: 'reviews-latency', namespace: 'bookinfo' }, thresholdRange: { max: 500 }, interval: '300s' },
    ]);
    expect(flagger.spec.analysis.webhooks).toBeUndefined();
    expect(ofKind(out, 'VirtualService')).toEqual([]);
    // Flagger routes to reviews-primary and reviews-canary: no version subsets selecting pods nobody routes to
    expect(ofKind(out, 'DestinationRule').map((d) => d.spec)).toEqual([{ host: 'reviews' }]);
    expect(out).toMatchSnapshot();
  });

  test('a version with a traffic policy of its own is refused: there are no version subsets under Flagger', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.setLoadBalancer(LoadBalancer.LEAST_REQUEST, { version: 'v2' });
    flaggerCanary(chart, { service: reviews });
    expect(() => Testing.synth(chart)).toThrow(/reviews-canary: version v2 has a traffic policy of its own \(from test\/reviews\), but test\/reviews-canary renders reviews without version subsets/);
  });

  test('the MetricTemplates read the requests to <service>-canary with Flagger\'s variables and pass without traffic', () => {
    const { templates } = scenario('flagger-istio-templates', Mesh.ISTIO, (chart) => flaggerCanary(chart));
    expect(templates.map((t) => t.metadata.name)).toEqual(['reviews-success-rate', 'reviews-latency']);
    for (const t of templates) {
      expect(t.spec.provider).toEqual({ type: 'prometheus', address: 'http://prometheus.istio-system:9090' });
      expect(t.spec.query).toContain('destination_service_namespace="{{ namespace }}",destination_service_name="{{ service }}-canary"');
      expect(t.spec.query).toContain('[{{ interval }}]');
      expect(t.spec.query).toContain('reporter="source"');
      expect(t.spec.query).not.toContain('destination_version');
    }
    expect(templates[0].spec.query).toMatch(/ or on\(\) vector\(1\)$/);
    expect(templates[1].spec.query).toMatch(/^\(\(histogram_quantile\(0\.99, .* or on\(\) vector\(0\)$/);
  });

  test('thresholds come from the analysis or the service\'s objectives; the failure limit is Flagger\'s threshold minus one', () => {
    const given = scenario('flagger-istio-given', Mesh.ISTIO, (chart) => flaggerCanary(chart, {
      analysis: CanaryAnalysis.of({ successRatePercent: 99.5, latencyThreshold: Duration.millis(300), failureLimit: 2, measurementsPerStage: 3, interval: Duration.seconds(30) }),
    }));
    expect(given.flagger.spec.analysis).toMatchObject({ interval: '90s', threshold: 3 });
    expect(given.flagger.spec.analysis.metrics.map((m: any) => m.thresholdRange)).toEqual([{ min: 0.995 }, { max: 300 }]);

    const fromSlo = scenario('flagger-istio-slo', Mesh.ISTIO, (chart) => {
      const reviews = reviewsService(chart);
      new ServiceLevelObjective(chart, 'availability', { service: reviews, objectivePercent: 99.9 });
      new ServiceLevelObjective(chart, 'latency', { service: reviews, objectivePercent: 95, indicator: ServiceLevelIndicator.latency(Duration.millis(250)) });
      return flaggerCanary(chart, { service: reviews });
    });
    expect(fromSlo.flagger.spec.analysis.metrics.map((m: any) => m.thresholdRange)).toEqual([{ min: 0.999 }, { max: 250 }]);
    expect(fromSlo.templates[1].spec.query).toContain('histogram_quantile(0.95,');
  });

  test('a plan of only 100% is a blue-green rollout: iterations, no weights', () => {
    const { flagger } = scenario('flagger-istio-blue-green', Mesh.ISTIO, (chart) => flaggerCanary(chart, { stages: [100] }));
    expect(flagger.spec.analysis).toMatchObject({ interval: '60s', threshold: 2, iterations: 5 });
    expect(flagger.spec.analysis.stepWeights).toBeUndefined();
  });

  test('timeout, retries and the service\'s traffic policy go into the Canary\'s service fields', () => {
    const { flagger } = scenario('flagger-istio-service-fields', Mesh.ISTIO, (chart) => {
      const reviews = reviewsService(chart);
      reviews.setLoadBalancer(LoadBalancer.LEAST_REQUEST);
      return flaggerCanary(chart, { service: reviews, timeout: Duration.seconds(3), retries: new RetryPolicy({ attempts: 2 }) });
    });
    expect(flagger.spec.service.timeout).toBe('3s');
    expect(flagger.spec.service.retries).toMatchObject({ attempts: 2 });
    expect(flagger.spec.service.trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' } });
  });

  test('the Canary carries the port\'s appProtocol, so Flagger keeps it on the Service it rewrites', () => {
    // pkg/router/kubernetes_default.go reconcileService replaces the ports when they differ from the
    // Canary's: without appProtocol it drops ours, and Argo CD puts it back, on every reconcile
    const { flagger, out } = scenario('flagger-istio-app-protocol', Mesh.ISTIO, (chart) => withWorkloads(chart));
    const [service] = ofKind(out, 'Service').filter((o) => o.metadata.name === 'reviews');
    expect(service.spec.ports[0].appProtocol).toBe('http');
    expect(flagger.spec.service.appProtocol).toBe(service.spec.ports[0].appProtocol);
  });

  test('a load test runs on flagger-loadtester against <service>-canary', () => {
    const { flagger } = scenario('flagger-istio-load-test', Mesh.ISTIO, (chart) => flaggerCanary(chart, { engine: CanaryEngine.flagger({ loadTest: {} }) }));
    expect(flagger.spec.analysis.webhooks).toEqual([{
      name: 'load-test', type: 'rollout', url: 'http://flagger-loadtester.bookinfo/', timeout: '5s',
      metadata: { type: 'cmd', cmd: 'hey -z 300s -q 10 -c 2 http://reviews-canary.bookinfo:9080/' },
    }]);
    const custom = scenario('flagger-istio-load-test-custom', Mesh.ISTIO, (chart) => flaggerCanary(chart, {
      engine: CanaryEngine.flagger({ loadTest: { url: 'http://loadtester.test/', command: 'hey -z 1m http://reviews-canary.bookinfo:9080/' } }),
    }));
    expect(custom.flagger.spec.analysis.webhooks[0]).toMatchObject({ url: 'http://loadtester.test/', metadata: { cmd: 'hey -z 1m http://reviews-canary.bookinfo:9080/' } });
  });

  test('with an autoscaled target, the Canary names its HPA and Flagger owns the target\'s replicas and the Service selector', () => {
    const { flagger, canary, out } = scenario('flagger-istio-workloads', Mesh.ISTIO, (chart) => withWorkloads(chart));
    expect(flagger.spec.targetRef.name).toBe('reviews');
    expect(flagger.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'reviews' });
    expect(ofKind(out, 'Deployment').map((d) => d.metadata.name)).toEqual(['reviews']);
    expect(canary.runtimeOwnedFields).toEqual([
      expect.objectContaining({ group: 'apps', kind: 'Deployment', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] }),
      expect.objectContaining({ group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/spec/selector'] }),
    ]);
    expect(out).toMatchSnapshot();
  });
});

describe('CanaryService with Flagger on Linkerd and the Gateway API', () => {
  test.each([Mesh.LINKERD, Mesh.GATEWAY_API])('%s: the gatewayapi:v1 provider with the Service as the HTTPRoute\'s parent', (mesh) => {
    const { flagger, out, templates } = scenario(`flagger-${mesh}`, mesh, (chart) => flaggerCanary(chart, { timeout: Duration.seconds(2) }));
    expect(flagger.spec.provider).toBe('gatewayapi:v1');
    expect(flagger.spec.service).toEqual({
      name: 'reviews', port: 9080, portName: 'http', appProtocol: 'http', timeout: '2s',
      gatewayRefs: [{ group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo', port: 9080 }],
    });
    expect(ofKind(out, 'HTTPRoute')).toEqual([]);
    if (mesh === Mesh.LINKERD) {
      expect(templates[0].spec.provider.address).toBe('http://prometheus.linkerd-viz:9090');
      // the callers' view of Flagger's reviews-canary, and callers without a proxy at the target's pods,
      // which keep app=reviews (Flagger relabels the primary's app=reviews-primary)
      expect(templates[0].spec.query).toContain('outbound_http_route_backend_response_statuses_total{backend_kind="Service",backend_namespace="{{ namespace }}",backend_name="{{ service }}-canary",error!=""}[{{ interval }}]');
      expect(templates[0].spec.query).toContain('response_total{direction="inbound",namespace="{{ namespace }}",app="reviews",tls!="true",classification="failure"}[{{ interval }}]');
    }
    expect(out).toMatchSnapshot();
  });

  test('retries are refused: Flagger\'s gatewayapi router does not render them', () => {
    const chart = meshChart(Mesh.LINKERD);
    expect(() => flaggerCanary(chart, { retries: new RetryPolicy({ attempts: 2 }) })).toThrow(/retries cannot be set on the Gateway API with Flagger: .*pkg\/router\/gateway_api.go/);
  });
});

describe('no object of ours shares a name with what Flagger generates', () => {
  const kinds = ['VirtualService', 'DestinationRule', 'HTTPRoute', 'Service'];
  test.each([Mesh.ISTIO, Mesh.LINKERD])('%s', (mesh) => {
    const { out } = scenario(`flagger-names-${mesh}`, mesh, (chart) => withWorkloads(chart));
    const generated = flaggerGeneratedNames('reviews');
    const ours = out.filter((o) => kinds.includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    // the Service reviews is adopted by Flagger (runtime-owned selector); the DestinationRule reviews is for the apex host, Flagger's are -primary and -canary
    const clashing = ours.filter((n) => generated.some((g) => n.endsWith(`/${g}`)) && n !== 'Service/reviews' && n !== 'DestinationRule/reviews');
    expect(clashing).toEqual([]);
    expect(ours.filter((n) => n.startsWith('VirtualService/') || n.startsWith('HTTPRoute/'))).toEqual([]);
  });

  test.each<[string, Mesh, (chart: ReturnType<typeof meshChart>) => void, RegExp]>([
    ['a DestinationRule named <service>-primary', Mesh.ISTIO, (chart) => flaggerCanary(chart, { service: new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], names: { destinationRule: 'reviews-primary' } }) }),
      /DestinationRule reviews-primary \(test\/reviews\/DestinationRule\) has a name Flagger generates for reviews/],
    ['a version Service named <service>-canary', Mesh.LINKERD, (chart) => {
      const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], renderServices: true });
      reviews.addVersion('v1');
      reviews.addVersion('v2', { serviceName: 'reviews-canary' });
      flaggerCanary(chart, { service: reviews });
    }, /Service reviews-canary .* has a name Flagger generates/],
    // pkg/router/istio.go reconcileDestinationRule(canary, canaryName): the DestinationRule <service>-canary
    ['a DestinationRule named <service>-canary', Mesh.ISTIO, (chart) => flaggerCanary(chart, { service: new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], names: { destinationRule: 'reviews-canary' } }) }),
      /DestinationRule reviews-canary \(test\/reviews\/DestinationRule\) has a name Flagger generates for reviews/],
    // pkg/router/istio.go reconcileVirtualService: the VirtualService <service> (apexName), which Flagger overwrites
    ['another service\'s VirtualService named <service>', Mesh.ISTIO, (chart) => {
      const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)], names: { virtualService: 'reviews' } });
      ratings.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(ratings) });
      flaggerCanary(chart);
    }, /VirtualService reviews \(test\/ratings\/VirtualService\) has a name Flagger generates for reviews/],
    // pkg/router/gateway_api.go Reconcile: the HTTPRoute <service> (apexSvcName) in the Canary's namespace
    ['another service\'s HTTPRoute named <service>', Mesh.LINKERD, (chart) => {
      const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)], names: { httpRoute: 'reviews' } });
      ratings.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.service(ratings) });
      flaggerCanary(chart);
    }, /HTTPRoute reviews \(test\/ratings\/HTTPRoute\/Resource\) has a name Flagger generates for reviews/],
  ])('%s is refused', (_name, mesh, build, message) => {
    const chart = meshChart(mesh);
    build(chart);
    expect(() => Testing.synth(chart)).toThrow(message);
  });
});

describe('refused on Flagger, with the reason', () => {
  // the preview match and the service's own routes: flagger-istio-delegation.test.ts (kept on Istio, refused on the Gateway API)

  test('the stable version\'s Deployment beside the target', () => {
    const chart = meshChart();
    const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
    new ServiceWorkloads(chart, 'workloads', { service: reviews, versions: [{ version: 'v1', image: 'r:1' }, { version: 'v2', image: 'r:2' }] });
    flaggerCanary(chart, { service: reviews });
    expect(() => Testing.synth(chart)).toThrow(/Deployment reviews-v1 .* runs pods of reviews beside Flagger's target reviews-v2/);
  });

  test('a service with several ports: Flagger rewrites the Service with the Canary\'s one port', () => {
    // pkg/router/kubernetes_default.go reconcileService: Update with Ports = [service.port] (+ portDiscovery's container ports)
    const chart = meshChart();
    const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080), ServicePort.grpc(9090)], versions: ['v1', 'v2'] });
    expect(() => flaggerCanary(chart, { service: reviews, port: 9080 })).toThrow(/reviews has 2 ports \(http 9080, grpc 9090\), but Flagger rewrites the Service reviews .* with the Canary's one port/);
  });

  test('a selector without a label Flagger builds selectors from', () => {
    const chart = meshChart();
    const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], selector: { component: 'reviews' } });
    expect(() => flaggerCanary(chart, { service: reviews })).toThrow(/but Flagger builds the primary's selector from one of the labels app, name, app.kubernetes.io\/name/);
  });

  test.each([Mesh.ISTIO, Mesh.LINKERD])('%s: access policies selecting the pods by the label Flagger rewrites on the primary', (mesh) => {
    // pkg/canary/util.go makePrimaryLabels: the primary's pods carry app: reviews-primary, which app: reviews misses
    const chart = meshChart(mesh);
    const productpage = new MeshService(chart, 'productpage', { ports: [ServicePort.http(9080)] });
    const reviews = reviewsService(chart);
    new ServiceAuthorization(chart, 'authz').allow({ from: [productpage], to: reviews });
    flaggerCanary(chart, { service: reviews });
    const policy = mesh === Mesh.ISTIO ? 'AuthorizationPolicy reviews' : 'Server reviews-http';
    expect(() => Testing.synth(chart)).toThrow(new RegExp(`${policy} \\(.*\\) selects pods by app: reviews, but Flagger runs reviews's production pods as its -primary copy labelled app: reviews-primary`));
    expect(() => Testing.synth(chart)).toThrow(/NetworkPolicy productpage-egress .* selects pods by app: reviews/);
  });

  test('policies of other services, or selecting by other labels, pass', () => {
    const chart = meshChart();
    const productpage = new MeshService(chart, 'productpage', { ports: [ServicePort.http(9080)] });
    const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
    new ServiceAuthorization(chart, 'authz').allow({ from: [productpage], to: ratings });
    flaggerCanary(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('Cilium: no request metrics to analyse', () => {
    const chart = meshChart(Mesh.CILIUM);
    expect(() => flaggerCanary(chart)).toThrow(/Flagger cannot analyse a canary on cilium/);
  });

  test('a stage with the Flagger engine', () => {
    const chart = meshChart();
    expect(() => flaggerCanary(chart, { stage: 1 })).toThrow(/stage is 1, but the flagger engine moves through the stages itself/);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a bad Deployment name', () => CanaryEngine.flagger({ deploymentName: 'Reviews' }), /CanaryEngine.flagger: deploymentName must be a DNS label/],
    ['a load tester URL without scheme', () => CanaryEngine.flagger({ loadTest: { url: 'flagger-loadtester' } }), /CanaryEngine.flagger: loadTest.url must be an http\(s\) URL, got "flagger-loadtester"/],
    ['an empty load test command', () => CanaryEngine.flagger({ loadTest: { command: ' ' } }), /CanaryEngine.flagger: loadTest.command must be a command line/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

test('synthesizing twice gives the same output', () => {
  const chart = meshChart();
  withWorkloads(chart, { engine: CanaryEngine.flagger({ loadTest: {} }) });
  expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
});

test('every scenario is schema-valid', () => {
  expect(schemas.size).toBeGreaterThan(8);
  expect(schemas.problems()).toEqual([]);
});
