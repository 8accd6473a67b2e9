import { App } from 'cdk8s';
import { ClientTls } from '../../src/security/client-tls';
import { ClientTlsPolicy } from '../../src/security/client-tls-policy';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { BOOKINFO_SERVICES, declareServices, SUBSET_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';

/**
 * Istio's "Request Routing" task and its destination rules
 * (samples/bookinfo/networking/destination-rule-all.yaml, destination-rule-all-mtls.yaml, virtual-service-all-v1.yaml,
 * virtual-service-reviews-test-v2.yaml).
 */
export function addRequestRouting(app: App): void {
  // One DestinationRule per service with a subset per version; no routes.
  declareServices(bookinfoChart(app, 'destination-rule-all'), SUBSET_VERSIONS);

  // The same with Istio mutual TLS from every client (destination-rule-all-mtls.yaml).
  const mtls = bookinfoChart(app, 'destination-rule-all-mtls');
  const mtlsServices = declareServices(mtls, SUBSET_VERSIONS);
  for (const name of BOOKINFO_SERVICES) new ClientTlsPolicy(mtls, `${name}-tls`, { service: mtlsServices[name]!, tls: ClientTls.istioMutual() });

  // Every service to v1.
  const allV1 = bookinfoChart(app, 'virtual-service-all-v1');
  const services = declareServices(allV1, SUBSET_VERSIONS);
  for (const name of BOOKINFO_SERVICES) services[name]!.setDefaultRoute(RouteTo.version('v1'));

  // The user jason sees reviews v2; everyone else v1.
  const testV2 = bookinfoChart(app, 'virtual-service-reviews-test-v2');
  const { reviews } = declareServices(testV2, { reviews: SUBSET_VERSIONS.reviews });
  reviews!.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
  reviews!.setDefaultRoute(RouteTo.version('v1'));
}
