import { App, Chart, Duration } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { ServiceLevelIndicator } from '../../src/observability/slo/service-level-indicator';
import { ServiceLevelObjective } from '../../src/observability/slo/service-level-objective';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { MeshService } from '../../src/service/mesh-service';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { declareServices, SUBSET_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';
import { LINKERD_NAMESPACE } from './linkerd';

/**
 * The reviews canary (v1 → v2) moved by Argo Rollouts: apply over the bookinfo app (whose
 * reviews-v2 Deployment the Rollout takes its pod template from). Testers with `x-canary: true`
 * reach the canary at every step; jason keeps seeing v3; the analysis thresholds come from reviews'
 * SLOs (99.5% availability, 99% of requests within 1 s). On Istio (subset-level routing) and on
 * Linkerd (the Gateway API plugin, over the per-version Services).
 */
export function addProgressiveDelivery(app: App): void {
  reviewsRollout(app, 'reviews-canary-argo-rollouts', Mesh.ISTIO);
  reviewsRollout(app, 'reviews-canary-argo-rollouts-linkerd', Mesh.LINKERD, LINKERD_NAMESPACE);
}

/** reviews' SLOs, which the canaries' analysis thresholds come from: 99.5% availability, 99% of requests within 1 s. */
export function addReviewsObjectives(chart: Chart, reviews: MeshService): void {
  new ServiceLevelObjective(chart, 'reviews-availability', { service: reviews, objectivePercent: 99.5 });
  new ServiceLevelObjective(chart, 'reviews-latency', { service: reviews, objectivePercent: 99, indicator: ServiceLevelIndicator.latency(Duration.seconds(1)) });
}

function reviewsRollout(app: App, id: string, mesh: Mesh, namespace?: string): void {
  const chart = bookinfoChart(app, id, mesh, namespace);
  const reviews = declareServices(chart, { reviews: SUBSET_VERSIONS.reviews }).reviews!;
  reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3') });
  addReviewsObjectives(chart, reviews);
  new CanaryService(chart, 'reviews-canary', {
    service: reviews, stableVersion: 'v1', canaryVersion: 'v2',
    previewMatch: Match.header('x-canary').exact('true'),
    // a shadow phase first where the Rollout can mirror (Istio; the Gateway API plugin cannot)
    engine: CanaryEngine.argoRollouts({ replicas: 2, ...(mesh === Mesh.ISTIO ? { mirrorPercent: 20 } : {}) }),
  });
}
