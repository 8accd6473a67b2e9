import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { IngressApi, IngressGateway } from '../../src/ingress/ingress-gateway';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { Destination, RedirectScheme, RouteTo } from '../../src/traffic/route-action';
import { meshChart, reviewsService } from '../support/charts';

describe('redirects and rewrites are checked where they are created, for every mesh', () => {
  test('a redirect path follows the Gateway API path rules', () => {
    expect(() => RouteTo.redirect({ path: '/a b' })).toThrow(/RouteTo.redirect: options.path contains characters a URL path cannot hold/);
    expect(() => RouteTo.redirect({ host: 'Not A Host' })).toThrow(/RouteTo.redirect: options.host must be a DNS host name, got "Not A Host"/);
    expect(() => RouteTo.redirect({ port: 0 })).toThrow(/RouteTo.redirect: options.port must be a port number from 1 to 65535, got 0/);
    expect(() => RouteTo.redirect({ scheme: 'ftp' as RedirectScheme })).toThrow(/options.scheme must be a RedirectScheme, got "ftp"/);
  });

  test.each([Mesh.ISTIO, Mesh.GATEWAY_API, Mesh.LINKERD, Mesh.CILIUM])('a mesh route rewrite path follows the Gateway API path rules on %s', (mesh) => {
    const svc = reviewsService(meshChart(mesh));
    expect(() => svc.addRoute({ matches: [Match.path.prefix('/v2')], to: RouteTo.version('v2'), rewrite: { path: '/v2//x' } }))
      .toThrow(/test\/reviews: rewrite.path contains '\/\/'.*Fix: use "\/v2\/x"/);
    expect(() => svc.addRoute({ matches: [Match.path.prefix('/v3')], to: RouteTo.version('v3'), rewrite: {} }))
      .toThrow(/test\/reviews: rewrite rewrites nothing/);
  });

  test.each([IngressApi.ISTIO, IngressApi.GATEWAY_API])('an ingress route cannot redirect and rewrite at once (%s)', (api) => {
    const chart = meshChart(api === IngressApi.ISTIO ? Mesh.ISTIO : Mesh.GATEWAY_API);
    const ingress = new IngressGateway(chart, 'edge', { api, gatewayClassName: api === IngressApi.ISTIO ? undefined : 'istio' });
    expect(() => ingress.addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new' }), rewrite: { path: '/x' } }))
      .toThrow(/test\/edge: routes\[0\].to is a redirect, which cannot be combined with rewrite\. Fix: remove rewrite, or forward the requests instead/);
  });

  test('an ingress rewrite path follows the Gateway API path rules', () => {
    const chart = meshChart(Mesh.GATEWAY_API);
    const ingress = new IngressGateway(chart, 'edge', { api: IngressApi.GATEWAY_API, gatewayClassName: 'istio' });
    const pp = new MeshService(chart, 'productpage', { ports: [ServicePort.http(9080)] });
    expect(() => ingress.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.service(pp), rewrite: { path: '/x/../y' } }))
      .toThrow(/test\/edge: routes\[0\].rewrite.path contains the dot segment/);
  });
});

describe('a fractional mirror percent', () => {
  test('renders on Istio, whose mirrorPercentage is a double', () => {
    const chart = meshChart(Mesh.ISTIO);
    reviewsService(chart).setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v2'), 0.5) });
    const vs = Testing.synth(chart).find((o) => o.kind === 'VirtualService');
    expect(vs.spec.http[0].mirrorPercentage).toEqual({ value: 0.5 });
  });

  test.each([Mesh.GATEWAY_API, Mesh.CILIUM])('is refused on %s, whose requestMirror.percent is an integer', (mesh) => {
    const svc = reviewsService(meshChart(mesh));
    expect(() => svc.setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v2'), 0.5) }))
      .toThrow(/test\/reviews: mirror cannot be rendered for .*: the Gateway API's requestMirror.percent is a whole number, got 0.5\. Fix: mirror 1 percent, or render this chart for Istio/);
  });
});
