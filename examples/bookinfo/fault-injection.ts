import { App, Duration } from 'cdk8s';
import { FaultInjection } from '../../src/resilience/fault-injection';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { declareServices, SUBSET_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';

/**
 * Istio's "Fault Injection" task (virtual-service-ratings-test-delay.yaml,
 * virtual-service-ratings-test-abort.yaml) and fault-injection-details-v1.yaml.
 */
export function addFaultInjection(app: App): void {
  const jason = [Match.header('end-user').exact('jason')];

  // jason's requests to ratings wait 7 s (productpage → reviews times out first).
  const delay = bookinfoChart(app, 'virtual-service-ratings-test-delay');
  const delayed = declareServices(delay, { ratings: SUBSET_VERSIONS.ratings }).ratings!;
  delayed.addRoute({ matches: jason, to: RouteTo.version('v1'), fault: FaultInjection.delay(Duration.seconds(7), 100) });
  delayed.setDefaultRoute(RouteTo.version('v1'));

  // jason's requests to ratings fail with HTTP 500.
  const abort = bookinfoChart(app, 'virtual-service-ratings-test-abort');
  const aborted = declareServices(abort, { ratings: SUBSET_VERSIONS.ratings }).ratings!;
  aborted.addRoute({ matches: jason, to: RouteTo.version('v1'), fault: FaultInjection.abort(500, 100) });
  aborted.setDefaultRoute(RouteTo.version('v1'));

  // Every request to details fails with HTTP 555; details stays on v1 (the sample's
  // DestinationRule has only that subset). Upstream repeats the route without the fault after
  // this catch-all one, where it can never match; the library renders the catch-all once.
  const details = bookinfoChart(app, 'fault-injection-details-v1');
  declareServices(details, { details: ['v1'] }).details!.setDefaultRoute(RouteTo.version('v1'), { fault: FaultInjection.abort(555, 100) });
}
