import { Duration, Testing } from 'cdk8s';
import { MeshConfigError } from '../../src/core/errors';
import { Mesh } from '../../src/core/mesh';
import { AbTest } from '../../src/patterns/ab-test';
import { BlueGreenService, Color } from '../../src/patterns/blue-green-service';
import { CanaryService } from '../../src/patterns/canary-service';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
const MESHES = [Mesh.ISTIO, Mesh.GATEWAY_API, Mesh.LINKERD, Mesh.CILIUM];

function api(mesh: Mesh): MeshService {
  return new MeshService(meshChart(mesh), 'api', { ports: [ServicePort.http(8080), ServicePort.grpc(9090)], versions: ['v1', 'v2'] });
}

/** Each construct that attaches routes, built with or without a port. */
const ATTACHERS: Record<string, (s: MeshService, port?: number) => void> = {
  CanaryService: (s, port) => new CanaryService(s, 'canary', { service: s, stableVersion: 'v1', canaryVersion: 'v2', stage: 2, port }),
  BlueGreenService: (s, port) => new BlueGreenService(s, 'bg', { service: s, blueVersion: 'v1', greenVersion: 'v2', active: Color.GREEN, port }),
  AbTest: (s, port) => new AbTest(s, 'ab', { service: s, split: { v1: 50, v2: 50 }, port }),
  RequestPolicy: (s, port) => new RequestPolicy(s, 'requests', { service: s, timeout: Duration.seconds(5), port }),
};

describe.each(Object.keys(ATTACHERS))('%s on a service with several ports', (name) => {
  const attach = ATTACHERS[name];

  test.each(MESHES)('without port: an error that names the prop and the mesh\'s reason (%s)', (mesh) => {
    const reason = mesh === Mesh.ISTIO ? /an Istio route to it needs a destination port \(IST0112\)/ : /an HTTPRoute backendRef to a Service needs a port/;
    const run = (): void => attach(api(mesh));
    if (name === 'RequestPolicy' && mesh === Mesh.LINKERD) return expect(run).not.toThrow(); // annotations, no route
    expect(run).toThrow(new RegExp(`^test/api/\\w+: port is required: api has ports http\\(8080\\), grpc-9090\\(9090\\)|^test/api/\\w+: port is required: api has ports`));
    expect(run).toThrow(reason);
    expect(run).toThrow(/Fix: set port to the one the routes serve, e\.g\. port: 8080/);
    if (mesh !== Mesh.ISTIO) expect(run).not.toThrow(/Istio/);
  });

  test('a port the service does not expose is refused', () => {
    expect(() => attach(api(Mesh.ISTIO), 7000)).toThrow(/port is 7000, which api does not expose \(ports: 8080, 9090\)/);
  });

  test.each(MESHES)('with port: every destination names it (%s)', (mesh) => {
    const s = api(mesh);
    attach(s, 9090);
    const objects = schemas.add(`${name}-${mesh}`, Testing.synth(s.node.scope as any));
    if (name === 'RequestPolicy' && mesh === Mesh.LINKERD) {
      expect(objects.filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
      expect(s.serviceAnnotations).toEqual({ 'timeout.linkerd.io/request': '5s' });
      return;
    }
    const vs = objects.find((o) => o.kind === 'VirtualService');
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'api');
    const ports = vs
      ? vs.spec.http.flatMap((r: any) => r.route.map((d: any) => d.destination.port.number))
      : route.spec.rules.flatMap((r: any) => r.backendRefs.map((b: any) => b.port));
    expect(ports.length).toBeGreaterThan(0);
    expect(new Set(ports)).toEqual(new Set([9090]));
  });
});

test('a route attached directly names the destination prop in its fix, and the mesh in its reason', () => {
  expect(() => api(Mesh.LINKERD).setDefaultRoute(RouteTo.version('v1')))
    .toThrow(/^test\/api: port is required: api has ports .* and an HTTPRoute backendRef to a Service needs a port \(linkerd routes with the Gateway API\)\. Fix: pass \{ port \} to the destination, e\.g\. RouteTo\.version\('v1', \{ port: 8080 \}\)$/);
  expect(() => api(Mesh.ISTIO).setDefaultRoute(RouteTo.split({ v1: 50, v2: 50 }, { port: 9090 }))).not.toThrow();
});

test('the rendered manifests are schema-valid', () => {
  expect(schemas.problems()).toEqual([]);
});

test.each(MESHES)('a matched route on a two-port service can be added before its default route (%s)', (mesh) => {
  // the GAMMA rule-count check used to build the implicit catch-all, which needs a port, at addRoute
  const s = api(mesh);
  s.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v2', { port: 8080 }) });
  s.setDefaultRoute(RouteTo.version('v1', { port: 8080 }));
  expect(Testing.synth(s.node.scope as any).length).toBeGreaterThan(0);
});

test.each(MESHES)('matched routes on a two-port service with no default route: a MeshConfigError asking for a default route with a port (%s)', (mesh) => {
  const s = api(mesh);
  s.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v2', { port: 8080 }) });
  expect(() => Testing.synth(s.node.scope as any)).toThrow(MeshConfigError);
  expect(() => Testing.synth(s.node.scope as any)).toThrow(/^test\/api: port is required: api has ports .*Fix: requests no route matches need a port too: set a default route that names one, e\.g\. setDefaultRoute\(RouteTo\.version\('v1', \{ port: 8080 \}\)\)$/);
});
