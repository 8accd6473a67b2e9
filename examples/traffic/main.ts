// Every traffic-management pattern of cdk8s-mesh, rendered for Istio and for the Gateway API mesh
// profile (GAMMA). One chart per pattern and mesh, written to dist/traffic/ by `npm run synth`.
import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AbTest, BlueGreenService, CanaryService, Color, Destination, HttpMethod, LoadBalancer, Match, Mesh, MeshService, Mirror,
  RouteTo, ServicePort, ServiceWorkloads, StranglerFig, VariantAssignment, useMesh,
} from '../../src';
import { MeshTarget, useTarget } from '../../src/target/mesh-target';

// podinfo, a small demo server that runs as non-root and listens on 9898.
const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.9.2';

const MESHES: Array<[string, Mesh]> = [['istio', Mesh.ISTIO], ['gamma', Mesh.GATEWAY_API]];

function chart(app: App, name: string, mesh: Mesh): Chart {
  const c = new Chart(app, name, { namespace: 'shop' });
  useMesh(c, mesh);
  return c;
}

/** A service with its workloads, so that each chart is complete on its own (and analyzable as such). */
function deployed(scope: Construct, name: string, versions: string[]): MeshService {
  const service = new MeshService(scope, name, { ports: [ServicePort.http(8080, { targetPort: 9898 })], versions });
  new ServiceWorkloads(scope, `${name}-workloads`, { service, healthCheckPath: '/readyz', versions: versions.map((version) => ({ version, image: IMAGE })) });
  return service;
}

function catalog(scope: Construct): MeshService {
  return deployed(scope, 'catalog', ['v1', 'v2']);
}

export function createApp(outdir: string, target?: MeshTarget): App {
  const app = new App({ outdir });
  if (target) useTarget(app, target);
  for (const [suffix, mesh] of MESHES) {
    // Canary at stage 2 of 5 → 10 → 30 → 50 → 100 (10%), testers always on the canary.
    const canary = chart(app, `canary-${suffix}`, mesh);
    new CanaryService(canary, 'catalog-canary', {
      service: catalog(canary), stableVersion: 'v1', canaryVersion: 'v2', stage: 2,
      previewMatch: Match.header('x-canary').exact('true'),
    });

    // Content-based routing: headers, URI, method and query parameters; catch-all to v1.
    const content = chart(app, `content-routing-${suffix}`, mesh);
    const svc = catalog(content);
    svc.addRoute({ name: 'beta-users', matches: [Match.header('x-user-group').exact('beta')], to: RouteTo.version('v2') });
    svc.addRoute({ name: 'v2-api', matches: [Match.path.prefix('/api/v2')], to: RouteTo.version('v2'), timeout: Duration.seconds(5) });
    svc.addRoute({ name: 'writes', matches: [Match.method(HttpMethod.POST).and(Match.path.prefix('/api'))], to: RouteTo.version('v1') });
    svc.addRoute({ name: 'preview', matches: [Match.queryParam('preview').exact('1')], to: RouteTo.version('v2') });
    svc.setDefaultRoute(RouteTo.version('v1'));

    // Blue-green: green is live; blue stays reachable for checks with a header.
    const bg = chart(app, `blue-green-${suffix}`, mesh);
    new BlueGreenService(bg, 'catalog-blue-green', {
      service: catalog(bg), blueVersion: 'v1', greenVersion: 'v2', active: Color.GREEN, previewMatch: Match.header('x-preview').exact('blue'),
    });

    // Mirroring: 20% of production traffic copied to v2.
    const mirror = chart(app, `mirror-${suffix}`, mesh);
    catalog(mirror).setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v2'), 20) });

    // Strangler fig: /orders and /users leave the monolith.
    const fig = chart(app, `strangler-fig-${suffix}`, mesh);
    const migration = new StranglerFig(fig, 'shop-migration', { monolith: deployed(fig, 'shop', ['v1']) });
    migration.migrate('/orders', deployed(fig, 'orders', ['v1']), { rewritePrefix: '/' });
    migration.migrate('/users', deployed(fig, 'users', ['v1']));
  }

  // Istio only: A/B test with session affinity, and load balancers per service and version.
  const ab = chart(app, 'ab-test-istio', Mesh.ISTIO);
  new AbTest(ab, 'catalog-ab', {
    service: catalog(ab), split: { v1: 50, v2: 50 },
    assignments: [VariantAssignment.cookie('ab-group', 'a', 'v1'), VariantAssignment.cookie('ab-group', 'b', 'v2')],
    affinity: LoadBalancer.consistentHash.cookie('session', { ttl: Duration.hours(1) }),
  });
  const lb = chart(app, 'load-balancing-istio', Mesh.ISTIO);
  const balanced = catalog(lb);
  balanced.setLoadBalancer(LoadBalancer.LEAST_REQUEST);
  balanced.setLoadBalancer(LoadBalancer.consistentHash.header('x-user-id'), { version: 'v2' });
  return app;
}

if (require.main === module) createApp(process.env.CDK8S_OUTDIR ?? 'dist/traffic').synth();
