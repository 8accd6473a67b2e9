import { App, Duration } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { IngressTls } from '../../src/ingress/ingress-tls';
import { ObservabilityStack } from '../../src/observability/observability-stack';
import { ServiceLevelIndicator } from '../../src/observability/slo/service-level-indicator';
import { CanaryService } from '../../src/patterns/canary-service';
import { CircuitBreakerPolicy } from '../../src/resilience/circuit-breaker-policy';
import { CircuitBreakerPreset } from '../../src/resilience/circuit-breaker-preset';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { RetryOn } from '../../src/resilience/retry-on';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { Caller } from '../../src/security/caller';
import { RequestPath } from '../../src/security/request-path';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { HttpMethod } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { addWorkloads, BOOKINFO_PORT, declareServices, DEPLOYED_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';
import { productpageMatches } from './edge';

/** The namespace of the production-grade variant. */
export const PRODUCTION_NAMESPACE = 'bookinfo-prod';

/**
 * bookinfo as a platform team would run it: a STRICT mTLS namespace that denies by default,
 * per-service authorization along the call graph (ingress → productpage → details/reviews →
 * ratings), HTTPS at the edge, circuit breakers, retries and timeouts, a reviews canary, and
 * observability with golden-signal alerts and SLOs.
 */
export function addProduction(app: App): void {
  const chart = bookinfoChart(app, 'bookinfo-production', Mesh.ISTIO, PRODUCTION_NAMESPACE);
  new StrictMtlsNamespace(chart, PRODUCTION_NAMESPACE, { cni: true });

  const services = declareServices(chart, DEPLOYED_VERSIONS);
  // productpage, the edge-facing service, follows its load: 2 to 10 pods at 60% of its CPU request
  addWorkloads(chart, services, { replicas: 2, autoscaling: { productpage: {} } });
  const { productpage, details, reviews, ratings } = services as Required<typeof services>;

  // Edge: HTTPS with a redirect from HTTP, productpage's paths only.
  new IngressGateway(chart, 'bookinfo', { hosts: ['bookinfo.example.com'], tls: IngressTls.simple('bookinfo-credential'), httpsRedirect: true })
    .addRoute({ matches: productpageMatches(), to: RouteTo.service(productpage, { port: BOOKINFO_PORT }) });

  // Who may call whom: the call graph and nothing else.
  const authz = new ServiceAuthorization(chart, 'authorization');
  authz.allow({ from: [Caller.ingressGateway()], to: productpage, methods: [HttpMethod.GET, HttpMethod.POST] });
  authz.allow({ from: [productpage], to: details, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/details')] });
  authz.allow({ from: [productpage], to: reviews, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/reviews')] });
  authz.allow({ from: [reviews], to: ratings, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/ratings')] });

  // Routing: everything on v1, reviews v3 as a 10% canary.
  productpage.setDefaultRoute(RouteTo.version('v1'));
  details.setDefaultRoute(RouteTo.version('v1'));
  ratings.setDefaultRoute(RouteTo.version('v1'));
  new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v3', stage: 2 });

  // Resilience: bounded retries inside a request timeout, circuit breakers on the callees.
  // Retries at one hop only: productpage's calls (the caller closest to the user) retry on errors;
  // reviews → ratings retries only connection failures, which never reached ratings. Retrying on
  // errors there too would turn one request into up to 3 × 4 = 12 at ratings (MESH0106).
  new RequestPolicy(chart, 'details-requests', { service: details, retries: new RetryPolicy({ attempts: 2, perTryTimeout: Duration.seconds(1) }), timeout: Duration.seconds(3) });
  new RequestPolicy(chart, 'reviews-requests', { service: reviews, retries: new RetryPolicy({ attempts: 2, perTryTimeout: Duration.millis(1500) }), timeout: Duration.seconds(5) });
  new RequestPolicy(chart, 'ratings-requests', { service: ratings, retries: new RetryPolicy({ attempts: 2, retryOn: RetryOn.CONNECTION_FAILURES }), timeout: Duration.seconds(2) });
  for (const service of [details, reviews, ratings]) {
    new CircuitBreakerPolicy(chart, `${service.serviceName}-circuit-breaker`, { service, preset: CircuitBreakerPreset.STANDARD });
  }

  // Observability: scraping, golden-signal alerts, dashboards and SLOs with burn-rate alerts.
  new ObservabilityStack(chart, 'observability', {
    services: [productpage, details, reviews, ratings],
    alerts: { runbookBaseUrl: 'https://runbooks.example.com/bookinfo', team: 'bookinfo' },
    objectives: [
      { service: productpage, objectivePercent: 99.9 },
      { service: reviews, objectivePercent: 99.5 },
      { service: productpage, objectivePercent: 95, indicator: ServiceLevelIndicator.latency(Duration.millis(500)) },
    ],
  });
}
