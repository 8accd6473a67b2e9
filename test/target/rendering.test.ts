import { Chart, Testing } from 'cdk8s';
import { Mesh, useMesh } from '../../src/core/mesh';
import { HttpRoute } from '../../src/gateway-api/http-route';
import { ParentRef } from '../../src/gateway-api/parent-ref';
import { GatewayApiGateway, ListenerProtocol } from '../../src/gateway-api/gateway';
import { IngressApi, IngressGateway } from '../../src/ingress/ingress-gateway';
import { IngressTls } from '../../src/ingress/ingress-tls';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { Destination, RouteTo } from '../../src/traffic/route-action';
import { MeshTarget } from '../../src/target/mesh-target';
import { GatewayApiChannel, GatewayApiVersion } from '../../src/target/versions';
import { ofKind, reviewsService } from '../support/charts';

function chart(mesh: Mesh, target: MeshTarget): Chart {
  const app = Testing.app();
  useMesh(app, mesh, { target });
  return new Chart(app, 'test', { namespace: 'bookinfo' });
}
const gw = (v: GatewayApiVersion, channel = GatewayApiChannel.STANDARD) => MeshTarget.of({ gatewayApi: v, gatewayApiChannel: channel });

function namedRouteRules(mesh: Mesh, target: MeshTarget): unknown[] {
  const c = chart(mesh, target);
  const reviews = reviewsService(c);
  reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
  return ofKind(Testing.synth(c), 'HTTPRoute')[0].spec.rules.map((r: any) => r.name);
}

describe('HTTPRoute rule names', () => {
  test('rendered from Gateway API v1.4 standard', () => {
    expect(namedRouteRules(Mesh.GATEWAY_API, gw(GatewayApiVersion.V1_4))).toEqual(['jason']);
  });
  test('left out before v1.4 (the v1.2 and v1.3 standard CRDs have no rules[].name)', () => {
    expect(namedRouteRules(Mesh.GATEWAY_API, gw(GatewayApiVersion.V1_3))).toEqual([undefined]);
  });
  test('rendered on the experimental channel from v1.2', () => {
    expect(namedRouteRules(Mesh.GATEWAY_API, gw(GatewayApiVersion.V1_2, GatewayApiChannel.EXPERIMENTAL))).toEqual(['jason']);
  });
  test('left out for Linkerd, which accepts HTTPRoute fields up to Gateway API v1.2', () => {
    expect(namedRouteRules(Mesh.LINKERD, MeshTarget.LATEST)).toEqual([undefined]);
    expect(namedRouteRules(Mesh.LINKERD, gw(GatewayApiVersion.V1_6, GatewayApiChannel.EXPERIMENTAL))).toEqual([undefined]);
  });
});

describe('partial request mirroring', () => {
  function mirrored(target: MeshTarget, percent: number): any {
    const c = chart(Mesh.GATEWAY_API, target);
    reviewsService(c).setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v2'), percent) });
    return ofKind(Testing.synth(c), 'HTTPRoute')[0].spec.rules[0].filters[0].requestMirror;
  }
  test('percent from Gateway API v1.3', () => {
    expect(mirrored(gw(GatewayApiVersion.V1_3), 20).percent).toBe(20);
  });
  test('a 100% mirror on v1.2 is rendered without percent', () => {
    expect(mirrored(gw(GatewayApiVersion.V1_2), 100)).toEqual({ backendRef: { group: '', kind: 'Service', name: 'reviews-v2', port: 9080 } });
  });
  test('a partial mirror on v1.2 is refused, naming the release that introduced it and the fix', () => {
    expect(() => mirrored(gw(GatewayApiVersion.V1_2), 20)).toThrow(
      /test\/reviews: mirror\.percent needs partial request mirroring, which the target lacks: HTTPRoute RequestMirror filter requestMirror\.percent is in the Gateway API's standard channel from v1\.3 \(experimental channel from v1\.2\); the target has Gateway API v1\.2 \(standard channel\)\. Fix: raise the target .* or mirror 100% of the requests \(got 20%\)/);
  });
  test('the HttpRoute L2 refuses it too', () => {
    const c = chart(Mesh.GATEWAY_API, gw(GatewayApiVersion.V1_2));
    new HttpRoute(c, 'r', { parents: [ParentRef.service('reviews')], rules: [{ backends: [{ name: 'reviews-v1', port: 9080 }], mirror: { name: 'reviews-v2', port: 9080, percent: 5 } }] });
    expect(() => Testing.synth(c)).toThrow(/test\/r: rules\[0\]\.mirror\.percent needs partial request mirroring, .*standard channel from v1\.3/);
  });
});

describe('ReferenceGrant', () => {
  function grantVersion(target: MeshTarget): string {
    const c = chart(Mesh.GATEWAY_API, target);
    const shop = new MeshService(c, 'shop', { ports: [ServicePort.http(80)] });
    const billing = new MeshService(c, 'billing', { ports: [ServicePort.http(80)], namespace: 'finance' });
    shop.addRoute({ matches: [Match.path.prefix('/b')], to: RouteTo.service(billing) });
    return ofKind(Testing.synth(c), 'ReferenceGrant')[0].apiVersion;
  }
  test('v1 from Gateway API v1.5, v1beta1 before', () => {
    expect(grantVersion(gw(GatewayApiVersion.V1_5))).toBe('gateway.networking.k8s.io/v1');
    expect(grantVersion(gw(GatewayApiVersion.V1_4))).toBe('gateway.networking.k8s.io/v1beta1');
  });
});

describe('ingress mTLS (Gateway spec.tls.frontend)', () => {
  const mutual = IngressTls.mutual('api-cert', { clientCaConfigMap: 'api-client-ca' });
  test('rendered from Gateway API v1.5 standard and v1.4 experimental', () => {
    for (const t of [gw(GatewayApiVersion.V1_5), gw(GatewayApiVersion.V1_4, GatewayApiChannel.EXPERIMENTAL)]) {
      const c = chart(Mesh.ISTIO, t);
      new IngressGateway(c, 'api', { api: IngressApi.GATEWAY_API, tls: mutual }).addRoute({ to: RouteTo.service(new MeshService(c, 'pp', { ports: [ServicePort.http(9080)] })) });
      expect(ofKind(Testing.synth(c), 'Gateway')[0].spec.tls.frontend).toBeDefined();
    }
  });
  test('refused before, pointing Istio users at Istio\'s Gateway', () => {
    expect(() => new IngressGateway(chart(Mesh.ISTIO, gw(GatewayApiVersion.V1_4)), 'api', { api: IngressApi.GATEWAY_API, tls: mutual })).toThrow(
      /test\/api: tls needs client certificate validation on a Gateway \(ingress mTLS\), which the target lacks: Gateway spec\.tls\.frontend is in the Gateway API's standard channel from v1\.5 \(experimental channel from v1\.4\); the target has Gateway API v1\.4 .*Fix: raise the target .* or render Istio's Gateway with MUTUAL TLS \(api: IngressApi\.ISTIO\)/);
    expect(() => new IngressGateway(chart(Mesh.CILIUM, gw(GatewayApiVersion.V1_2)), 'api', { gatewayClassName: 'cilium', tls: mutual })).toThrow(/or use IngressTls\.simple/);
  });
  test('the GatewayApiGateway L2 refuses client CAs too', () => {
    expect(() => new GatewayApiGateway(chart(Mesh.GATEWAY_API, gw(GatewayApiVersion.V1_3)), 'g', {
      gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }], clientCaConfigMaps: ['ca'],
    })).toThrow(/test\/g: clientCaConfigMaps needs client certificate validation on a Gateway .*standard channel from v1\.5/);
  });
  test('Istio\'s own Gateway with MUTUAL works on every target', () => {
    const c = chart(Mesh.ISTIO, gw(GatewayApiVersion.V1_2));
    new IngressGateway(c, 'api', { tls: IngressTls.mutual('api-cert') }).addRoute({ to: RouteTo.service(new MeshService(c, 'pp', { ports: [ServicePort.http(9080)] })) });
    expect(ofKind(Testing.synth(c), 'Gateway')[0].spec.servers[1].tls.mode).toBe('MUTUAL');
  });
});
