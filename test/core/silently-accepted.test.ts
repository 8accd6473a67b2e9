import { Chart, Testing } from 'cdk8s';
import { Mesh, useMesh } from '../../src/core/mesh';
import { MeshTarget } from '../../src/target/mesh-target';
import { GatewayApiVersion } from '../../src/target/versions';
import { AlertRouting } from '../../src/observability/alerting/alert-routing';
import { Receiver } from '../../src/observability/alerting/receivers';
import { Match } from '../../src/traffic/match';
import { RedirectStatus, RouteTo } from '../../src/traffic/route-action';
import { meshChart, reviewsService } from '../support/charts';

// Bad input that used to render YAML: each is now a MeshConfigError naming the prop and the fix.

describe('pseudo-headers are not headers a route can match', () => {
  test.each([':authority', ':Authority', ':path', ':method', ':scheme'])('Match.header(%p)', (name) => {
    expect(() => Match.header(name)).toThrow(new RegExp(`^Match.header: name is the HTTP/2 pseudo-header "${name}", which a route cannot match as a header.*Fix: `));
  });

  test('the fix for :authority is to route by host', () => {
    expect(() => Match.header(':authority')).toThrow(/Fix: match the host instead/);
  });
});

describe('a route lists each match once', () => {
  test.each([Mesh.ISTIO, Mesh.GATEWAY_API, Mesh.LINKERD])('%s', (mesh) => {
    const c = meshChart(mesh);
    const reviews = reviewsService(c);
    expect(() => reviews.addRoute({ matches: [Match.header('end-user').exact('jason'), Match.path.prefix('/a'), Match.header('end-user').exact('jason')], to: RouteTo.version('v2') }))
      .toThrow(/^test\/reviews: matches\[2\] repeats matches\[0\] \("header\[end-user\]=exact:jason"\) of the same route\. Fix: list each match once/);
  });
});

describe('redirect status codes', () => {
  test('Istio renders 303, 307 and 308 (Envoy\'s redirect response codes)', () => {
    const c = meshChart();
    reviewsService(c).addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new', statusCode: RedirectStatus.PERMANENT_REDIRECT }) });
    const [vs] = Testing.synth(c).filter((o) => o.kind === 'VirtualService');
    expect(vs.spec.http[0].redirect).toEqual({ uri: '/new', redirectCode: 308 });
  });

  test.each([
    [Mesh.GATEWAY_API, MeshTarget.of({ gatewayApi: GatewayApiVersion.V1_4 })],
    [Mesh.LINKERD, MeshTarget.LATEST],
  ])('%s refuses 303, 307 and 308 when the target\'s Gateway API CRDs reject them (before v1.5; Linkerd\'s)', (mesh, target) => {
    for (const code of [RedirectStatus.SEE_OTHER, RedirectStatus.TEMPORARY_REDIRECT, RedirectStatus.PERMANENT_REDIRECT]) {
      const app = Testing.app();
      useMesh(app, mesh, { target });
      const reviews = reviewsService(new Chart(app, 'test', { namespace: 'bookinfo' }));
      expect(() => reviews.addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new', statusCode: code }) }))
        .toThrow(new RegExp(`test/reviews: statusCode needs redirect status codes 303, 307 and 308, which the target lacks: .*from v1\\.5.*Fix: .*use RedirectStatus.MOVED_PERMANENTLY \\(301\\) or RedirectStatus.FOUND \\(302\\) instead of ${code}`));
    }
  });

  test('GAMMA renders 308 from Gateway API v1.5', () => {
    const c = meshChart(Mesh.GATEWAY_API);
    reviewsService(c).addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new', statusCode: RedirectStatus.PERMANENT_REDIRECT }) });
    const [route] = Testing.synth(c).filter((o) => o.kind === 'HTTPRoute');
    expect(route.spec.rules[0].filters[0].requestRedirect.statusCode).toBe(308);
  });

  test.each([Mesh.GATEWAY_API, Mesh.LINKERD])('%s renders the default 301 explicitly (the Gateway API\'s own default is 302)', (mesh) => {
    const c = meshChart(mesh);
    reviewsService(c).addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new' }) });
    const [route] = Testing.synth(c).filter((o) => o.kind === 'HTTPRoute');
    expect(route.spec.rules[0].filters[0].requestRedirect.statusCode).toBe(301);
  });
});

describe('receivers of one name', () => {
  const slack = Receiver.slack('team', { apiUrl: { secretName: 'slack', key: 'url' }, channel: '#team' });
  const pager = Receiver.pagerDuty('team', { routingKey: { secretName: 'pd', key: 'key' } });

  test('two different receivers with one name fail instead of the second being dropped', () => {
    const c = meshChart();
    expect(() => new AlertRouting(c, 'routing', { namespace: 'bookinfo', defaultReceiver: pager, teams: [{ team: 'a', receiver: slack }] }))
      .toThrow(/^test\/routing: teams\[0\].receiver is a receiver named "team", like the different receiver of defaultReceiver; Alertmanager would keep only one of them\. Fix: give each receiver its own name/);
  });

  test('one receiver in several roles is rendered once', () => {
    const c = meshChart();
    new AlertRouting(c, 'routing', { namespace: 'bookinfo', defaultReceiver: slack, criticalReceiver: slack, teams: [{ team: 'a', receiver: slack }] });
    const [config] = Testing.synth(c).filter((o) => o.kind === 'AlertmanagerConfig');
    expect(config.spec.receivers.map((r: any) => r.name)).toEqual(['team']);
  });
});

test('header names that are Object.prototype keys are ordinary headers', () => {
  expect(Match.header('constructor').exact('x').toString()).toBe('header[constructor]=exact:x');
});
