import { App, Duration } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { FaultInjection } from '../../src/resilience/fault-injection';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { BOOKINFO_HEALTH_PATH, bookinfoUser, bookinfoWorkload, declareServices } from './bookinfo';
import { bookinfoChart } from './charts';
import { addReviewsObjectives } from './progressive-delivery';

/**
 * The reviews canary (v1 → v2) moved by Flagger, on Istio and on Linkerd (Flagger's gatewayapi
 * provider with the reviews Service as the HTTPRoute's parent). Flagger's workload shape: one
 * Deployment `reviews` running the version being rolled out (v2), autoscaled; Flagger copies it to
 * `reviews-primary`, which serves the stable version. So the chart has a namespace of its own,
 * without bookinfo's per-version reviews Deployments. Thresholds come from reviews' SLOs; a load
 * test from flagger-loadtester keeps the analysis fed. Flagger generates the VirtualService or
 * HTTPRoute `reviews`. On Istio it is a delegate (`service.delegation: true`) and reviews keeps
 * routes of its own in the root VirtualService `reviews-root`: a delay for the chaos tester and the
 * preview header `x-canary: true`, which reaches Flagger's `reviews-canary` at every step. On
 * Linkerd the preview header is a rule of reviews' own HTTPRoute `reviews-routes`, beside Flagger's
 * on the same Service parent (GAMMA merges them by match precedence; no faults on Linkerd).
 */
export function addFlaggerDelivery(app: App): void {
  reviewsFlagger(app, 'reviews-canary-flagger', Mesh.ISTIO, 'bookinfo-flagger');
  reviewsFlagger(app, 'reviews-canary-flagger-linkerd', Mesh.LINKERD, 'bookinfo-flagger-linkerd');
}

function reviewsFlagger(app: App, id: string, mesh: Mesh, namespace: string): void {
  const chart = bookinfoChart(app, id, mesh, namespace);
  const reviews = declareServices(chart, { reviews: ['v1', 'v2'] }).reviews!;
  new ServiceWorkloads(chart, 'reviews-workloads', {
    service: reviews,
    versions: [{ ...bookinfoWorkload('reviews', 'v2'), deploymentName: 'reviews' }],
    perVersionServices: false,
    autoscaling: {},
    runAsUser: bookinfoUser('reviews'),
    healthCheckPath: BOOKINFO_HEALTH_PATH,
  });
  addReviewsObjectives(chart, reviews);
  if (mesh === Mesh.ISTIO) {
    // a route of reviews' own, which Flagger would overwrite without delegation (fluxcd/flagger#1715)
    reviews.addRoute({ name: 'chaos-tester', matches: [Match.header('end-user').exact('chaos-tester')], to: RouteTo.service(reviews), fault: FaultInjection.delay(Duration.seconds(2)) });
  }
  new CanaryService(chart, 'reviews-canary', {
    service: reviews, stableVersion: 'v1', canaryVersion: 'v2',
    timeout: Duration.seconds(5),
    previewMatch: Match.header('x-canary').exact('true'),
    engine: CanaryEngine.flagger({ deploymentName: 'reviews', loadTest: {} }),
  });
}
