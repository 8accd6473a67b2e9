import { App, Chart, Duration, Yaml } from 'cdk8s';
import { Mesh, useMesh } from '../src/core/mesh';
import { AbTest, VariantAssignment } from '../src/patterns/ab-test';
import { CanaryService } from '../src/patterns/canary-service';
import { StranglerFig } from '../src/patterns/strangler-fig';
import { MeshService } from '../src/service/mesh-service';
import { ServicePort } from '../src/service/service-port';
import { LoadBalancer } from '../src/traffic/load-balancer';
import { Match } from '../src/traffic/match';
import { RouteTo } from '../src/traffic/route-action';

function build(mesh: Mesh): string {
  const app = new App({ outdir: '/tmp/unused' });
  useMesh(app, mesh);
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2', 'v3'] });
  reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3'), timeout: Duration.seconds(1) });
  new CanaryService(chart, 'canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stage: 2 });
  const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)], versions: ['a', 'b'] });
  new AbTest(chart, 'ab', { service: ratings, split: { a: 50, b: 50 }, assignments: [VariantAssignment.cookie('g', 'b', 'b')], affinity: mesh === Mesh.ISTIO ? LoadBalancer.consistentHash.header('x-user') : undefined });
  const mono = new MeshService(chart, 'monolith', { ports: [ServicePort.http(80)] });
  new StranglerFig(chart, 'fig', { monolith: mono }).migrate('/reviews', reviews);
  return Yaml.stringify(...Object.values(chart.toJson()));
}

test.each([Mesh.ISTIO, Mesh.GATEWAY_API, Mesh.LINKERD])('the same app synthesizes to identical YAML every time (%s)', (mesh) => {
  const first = build(mesh);
  expect(first.length).toBeGreaterThan(500);
  expect(build(mesh)).toBe(first);
});

test('rendering a chart twice gives the same output (no side effects in _toKube)', () => {
  const app = new App({ outdir: '/tmp/unused' });
  const chart = new Chart(app, 'c');
  const s = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
  s.setDefaultRoute(RouteTo.split({ v1: 50, v2: 50 }));
  expect(JSON.stringify(chart.toJson())).toBe(JSON.stringify(chart.toJson()));
});
