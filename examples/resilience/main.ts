// Every resilience intent of cdk8s-mesh on bookinfo: circuit breakers (presets, per version),
// bulkheads, retries and timeouts (service-wide and per route), locality failover, local rate
// limits, and fault-injection (chaos) scenarios, for Istio and Linkerd. One chart per scenario,
// written to dist/resilience/ by `npm run synth`.
import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Bulkhead, ChaosExperiment, CircuitBreakerPolicy, CircuitBreakerPreset, ConnectionPool, FaultInjection, HttpMethod,
  LinkerdAccessPolicy, LocalityFailoverPolicy, LocalityLoadBalancing, LocalRateLimit, Match, Mesh, MeshService, OutlierDetection, RateLimit,
  RequestPolicy, RetryCondition, RetryOn, RetryPolicy, RouteTo, ServicePort, useMesh,
} from '../../src';
// the bookinfo workloads as audited against upstream (ports, writable directories, user, health path)
import { addWorkloads } from '../bookinfo/bookinfo';
import { MeshTarget, useTarget } from '../../src/target/mesh-target';


function chart(app: App, name: string, mesh: Mesh): Chart {
  const c = new Chart(app, name, { namespace: 'bookinfo' });
  useMesh(c, mesh);
  return c;
}

/** reviews with its workloads, a canary split and a header route (the traffic intents the resilience intents merge with). */
function reviews(scope: Construct): MeshService {
  const svc = new MeshService(scope, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2', 'v3'], serviceAccountName: 'bookinfo-reviews' });
  addWorkloads(scope, { reviews: svc });
  svc.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
  svc.setDefaultRoute(RouteTo.split({ v1: 90, v3: 10 }));
  return svc;
}

/** ratings with the routes bookinfo's fault-injection tasks start from. */
function ratings(scope: Construct): MeshService {
  const svc = new MeshService(scope, 'ratings', { ports: [ServicePort.http(9080)], versions: ['v1'], serviceAccountName: 'bookinfo-ratings' });
  addWorkloads(scope, { ratings: svc });
  svc.setDefaultRoute(RouteTo.version('v1'));
  return svc;
}

export function createApp(outdir: string, target?: MeshTarget): App {
  const app = new App({ outdir });
  if (target) useTarget(app, target);

  // Istio: circuit breaker (STANDARD for the service, AGGRESSIVE for the v3 canary), bulkheads for
  // v1 and v2, service-wide retries, request, connect and idle timeouts, a route with its own retries and a
  // non-idempotent write route. One VirtualService and one DestinationRule for reviews.
  const istio = chart(app, 'reviews-resilience-istio', Mesh.ISTIO);
  const rev = reviews(istio);
  new CircuitBreakerPolicy(istio, 'reviews-circuit-breaker', { service: rev, preset: CircuitBreakerPreset.STANDARD });
  new CircuitBreakerPolicy(istio, 'reviews-v3-circuit-breaker', { service: rev, version: 'v3', preset: CircuitBreakerPreset.AGGRESSIVE });
  new Bulkhead(istio, 'reviews-bulkhead', {
    service: rev,
    pools: {
      v1: new ConnectionPool({ maxConnections: 80, http1MaxPendingRequests: 40, http2MaxRequests: 80 }),
      v2: new ConnectionPool({ maxConnections: 20, http1MaxPendingRequests: 10, http2MaxRequests: 20, connectTimeout: Duration.millis(500) }),
    },
  });
  new RequestPolicy(istio, 'reviews-requests', {
    service: rev,
    retries: new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) }),
    timeout: Duration.seconds(10),
    connectTimeout: Duration.seconds(2),
    idleTimeout: Duration.minutes(5),
  });
  rev.addRoute({
    name: 'bulk-export', matches: [Match.path.prefix('/export')], to: RouteTo.version('v1'), timeout: Duration.seconds(30),
    retries: new RetryPolicy({ attempts: 2, perTryTimeout: Duration.seconds(10), retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR).withStatusCodes(429), backoff: Duration.millis(100) }),
  });
  rev.addRoute({ name: 'post-review', matches: [Match.method(HttpMethod.POST)], to: RouteTo.version('v1'), idempotent: false });

  // Istio: locality-aware failover between regions, with the outlier detection it needs.
  const multiRegion = chart(app, 'locality-failover-istio', Mesh.ISTIO);
  const rat = ratings(multiRegion);
  new CircuitBreakerPolicy(multiRegion, 'ratings-circuit-breaker', {
    service: rat,
    outlierDetection: new OutlierDetection({ consecutiveGatewayErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 100 }),
  });
  new LocalityFailoverPolicy(multiRegion, 'ratings-failover', {
    service: rat,
    locality: LocalityLoadBalancing.failover({ from: 'us-east', to: 'us-west' }, { from: 'us-west', to: 'us-east' }),
  });
  new RequestPolicy(multiRegion, 'ratings-requests', {
    service: rat, retries: new RetryPolicy({ attempts: 2, perTryTimeout: Duration.seconds(1), retryRemoteLocalities: true }), timeout: Duration.seconds(3),
  });

  // Istio: per-pod rate limit on productpage's inbound HTTP chain (EnvoyFilter).
  const limited = chart(app, 'rate-limit-istio', Mesh.ISTIO);
  const productpage = new MeshService(limited, 'productpage', { ports: [ServicePort.http(9080)], versions: ['v1'], serviceAccountName: 'bookinfo-productpage' });
  addWorkloads(limited, { productpage });
  new LocalRateLimit(limited, 'productpage-rate-limit', { service: productpage, limit: RateLimit.perSecond(10), burst: 50, port: 9080 });

  // Chaos scenarios: each chart is ratings' full routing plus one experiment for the test user
  // "jason"; apply one in place of the regular ratings routes, re-apply those to end the test.
  const delay = chart(app, 'chaos-ratings-delay-istio', Mesh.ISTIO);
  new ChaosExperiment(delay, 'ratings-delay', { service: ratings(delay), matches: [Match.header('end-user').exact('jason')], fault: FaultInjection.delay(Duration.seconds(7)) });
  const abort = chart(app, 'chaos-ratings-abort-istio', Mesh.ISTIO);
  new ChaosExperiment(abort, 'ratings-abort', { service: ratings(abort), matches: [Match.header('end-user').exact('jason')], fault: FaultInjection.abort(500, 100) });
  const flaky = chart(app, 'chaos-ratings-flaky-istio', Mesh.ISTIO);
  new ChaosExperiment(flaky, 'ratings-flaky', {
    service: ratings(flaky), matches: [Match.header('x-chaos').exact('flaky')],
    fault: new FaultInjection({ delay: { fixedDelay: Duration.seconds(2), percent: 50 }, abort: { httpStatus: 503, percent: 10 } }),
  });

  // Linkerd: failure accrual, retries and timeouts as annotations, a rate limit with per-identity
  // fairness and an override for productpage.
  const linkerd = chart(app, 'reviews-resilience-linkerd', Mesh.LINKERD);
  const lrev = new MeshService(linkerd, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], serviceAccountName: 'bookinfo-reviews' });
  addWorkloads(linkerd, { reviews: lrev });
  const retries = new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR).withStatusCodes(429) });
  lrev.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), retries });
  lrev.setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 }), { retries, timeout: Duration.seconds(10) });
  // A route that retries differently goes into an HTTPRoute of its own (Linkerd reads one retry
  // policy per HTTPRoute): HTTPRoute/reviews-retries-<hash>, also attached to Service/reviews.
  lrev.addRoute({ name: 'product-reviews', matches: [Match.path.prefix('/reviews')], to: RouteTo.version('v1'), retries: new RetryPolicy({ attempts: 1, retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR) }) });
  new CircuitBreakerPolicy(linkerd, 'reviews-circuit-breaker', { service: lrev, preset: CircuitBreakerPreset.STANDARD });
  new RequestPolicy(linkerd, 'reviews-requests', { service: lrev, retries, timeout: Duration.seconds(10) });
  const lpp = new MeshService(linkerd, 'productpage', { ports: [ServicePort.http(9080)], serviceAccountName: 'bookinfo-productpage' });
  new LocalRateLimit(linkerd, 'reviews-rate-limit', {
    service: lrev, limit: RateLimit.perSecond(100), perClient: RateLimit.perSecond(20),
    overrides: [{ limit: RateLimit.perSecond(50), clients: [lpp] }],
    // The Server replaces the namespace's default inbound policy for its port: keep Linkerd's
    // install default, which this namespace uses (no StrictMtlsNamespace in this chart).
    serverAccessPolicy: LinkerdAccessPolicy.ALL_UNAUTHENTICATED,
  });
  return app;
}
