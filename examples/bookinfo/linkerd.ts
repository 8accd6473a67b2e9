import { App } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { Match } from '../../src/traffic/match';
import { addWorkloads, declareServices, DEPLOYED_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';

/** The namespace of the Linkerd variant. */
export const LINKERD_NAMESPACE = 'bookinfo-linkerd';

/**
 * bookinfo on Linkerd: the same workloads with the `linkerd.io/inject: enabled` annotation and
 * per-version Services, and a canary of reviews v2 at 10% (stage 2 of 5 → 10 → 30 → 50 → 100) as
 * a GAMMA HTTPRoute, with jason always on the canary.
 */
export function addLinkerd(app: App): void {
  const chart = bookinfoChart(app, 'bookinfo-linkerd', Mesh.LINKERD, LINKERD_NAMESPACE);
  const services = declareServices(chart, DEPLOYED_VERSIONS);
  addWorkloads(chart, services);
  new CanaryService(chart, 'reviews-canary', {
    service: services.reviews!,
    stableVersion: 'v1',
    canaryVersion: 'v2',
    stage: 2,
    previewMatch: Match.header('end-user').exact('jason'),
  });
}
