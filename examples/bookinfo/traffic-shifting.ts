import { App } from 'cdk8s';
import { MeshService } from '../../src/service/mesh-service';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { declareServices, SUBSET_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';

/** Istio's "Traffic Shifting" task: weighted splits of reviews (and details to v2). */
export function addTrafficShifting(app: App): void {
  const reviewsScenario = (id: string, configure: (reviews: MeshService) => void) => {
    const chart = bookinfoChart(app, id);
    configure(declareServices(chart, { reviews: SUBSET_VERSIONS.reviews }).reviews!);
  };
  reviewsScenario('virtual-service-reviews-50-v3', (r) => r.setDefaultRoute(RouteTo.split({ v1: 50, v3: 50 })));
  reviewsScenario('virtual-service-reviews-v3', (r) => r.setDefaultRoute(RouteTo.version('v3')));
  reviewsScenario('virtual-service-reviews-80-20', (r) => r.setDefaultRoute(RouteTo.split({ v1: 80, v2: 20 })));
  reviewsScenario('virtual-service-reviews-90-10', (r) => r.setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 })));
  reviewsScenario('virtual-service-reviews-v2-v3', (r) => r.setDefaultRoute(RouteTo.split({ v2: 50, v3: 50 })));
  reviewsScenario('virtual-service-reviews-jason-v2-v3', (r) => {
    r.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    r.setDefaultRoute(RouteTo.version('v3'));
  });

  const detailsV2 = bookinfoChart(app, 'virtual-service-details-v2');
  declareServices(detailsV2, { details: SUBSET_VERSIONS.details }).details!.setDefaultRoute(RouteTo.version('v2'));
}
