import { App, Chart } from 'cdk8s';
import { declareKnownHosts } from '../../src/analysis/synth-analysis';
import { Mesh, useMesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { bothAnalyses, cliErrors } from '../support/analysis-agreement';

beforeEach(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

/** reviews (deployed by the app) routes /ratings to ratings, a MeshService with no workloads in the app. */
function routeToServiceWithoutWorkloads(app: App, declare = false): void {
  useMesh(app, Mesh.ISTIO);
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
  const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1'] });
  new ServiceWorkloads(chart, 'reviews-workloads', { service: reviews, versions: [{ version: 'v1', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3' }] });
  reviews.addRoute({ matches: [Match.path.prefix('/ratings')], to: RouteTo.service(ratings) });
  reviews.setDefaultRoute(RouteTo.version('v1'));
  if (declare) declareKnownHosts(app, ['ratings.shop.svc.cluster.local']);
}

describe('synth-time analysis and `cdk8s-mesh analyze` on the written files agree', () => {
  test('a route to a MeshService with no workloads in the app fails both, with the same finding', () => {
    const { synth, cli } = bothAnalyses((app) => routeToServiceWithoutWorkloads(app));
    expect(cli).toEqual(['IST0101 VirtualService shop/reviews']);
    expect(synth).toEqual(cli);
  });

  test('declared as known (and passed to the CLI as --known-host), it passes both', () => {
    const { synth } = bothAnalyses((app) => routeToServiceWithoutWorkloads(app, true));
    expect(synth).toEqual([]);
    expect(cliErrors((app) => routeToServiceWithoutWorkloads(app, true), ['--known-host', 'ratings.shop.svc.cluster.local'])).toEqual([]);
  });
});
