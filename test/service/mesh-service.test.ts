import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { meshChart, reviewsService } from '../support/charts';

describe('MeshService', () => {
  test('resolves its identity from props and chart', () => {
    const chart = meshChart(Mesh.ISTIO, 'shop');
    const s = new MeshService(chart, 'cart', { ports: [ServicePort.http(8080)], serviceAccountName: 'cart-sa' });
    expect(s.serviceName).toBe('cart');
    expect(s.namespace).toBe('shop');
    expect(s.host).toBe('cart.shop.svc.cluster.local');
    expect(s.principal).toBe('cluster.local/ns/shop/sa/cart-sa');
    expect(s.selector).toEqual({ app: 'cart' });
    expect(s.mesh).toBe(Mesh.ISTIO);
  });

  test('versions carry the service selector plus their own labels', () => {
    const s = reviewsService(meshChart());
    expect(s.version('v2').podLabels).toEqual({ app: 'reviews', version: 'v2' });
    expect(s.version('v2').labels).toEqual({ version: 'v2' });
    expect(s.version('v2').serviceName).toBe('reviews-v2');
    expect(s.versions.map((v) => v.name)).toEqual(['v1', 'v2', 'v3']);
  });

  test('a service with nothing attached renders nothing', () => {
    const chart = meshChart();
    new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('rejects a service name that is not a DNS label', () => {
    expect(() => new MeshService(meshChart(), 'Reviews_Svc', { ports: [ServicePort.http(9080)] }))
      .toThrow(/test\/Reviews_Svc: serviceName must be a valid Service name .* got "Reviews_Svc"\. Fix: use a name such as "reviews-svc"/);
  });

  test('rejects a service without ports', () => {
    expect(() => new MeshService(meshChart(), 'a', { ports: [] })).toThrow(/test\/a: ports must list at least one port/);
  });

  test('rejects two ports with one number', () => {
    expect(() => new MeshService(meshChart(), 'a', { ports: [ServicePort.http(80), ServicePort.grpc(80)] })).toThrow(/ports\[1\] repeats the port http\(80\)/);
  });

  test('rejects a version defined twice', () => {
    const s = reviewsService(meshChart());
    expect(() => s.addVersion('v1')).toThrow(/test\/reviews: version "v1" is already defined/);
  });

  test('rejects two versions with the same labels', () => {
    const s = new MeshService(meshChart(), 'a', { ports: [ServicePort.http(80)] });
    s.addVersion('blue', { labels: { track: 'x' } });
    expect(() => s.addVersion('green', { labels: { track: 'x' } })).toThrow(/version green labels are the same as version blue's/);
  });

  test('an unknown version names the known ones and the fix', () => {
    const s = reviewsService(meshChart());
    expect(() => s.version('v4')).toThrow(/names version "v4", which reviews does not define \(known: v1, v2, v3\)\. Fix: add it with reviews.addVersion\("v4"\)/);
  });

  test('a traffic-policy setting can be set once per service or version', () => {
    const s = reviewsService(meshChart());
    s.setLoadBalancer(LoadBalancer.LEAST_REQUEST);
    s.setLoadBalancer(LoadBalancer.RANDOM, { version: 'v2' });
    expect(() => s.setLoadBalancer(LoadBalancer.ROUND_ROBIN)).toThrow(/loadBalancer of reviews is already set by test\/reviews/);
    expect(s.trafficPolicy()).toEqual({ loadBalancer: LoadBalancer.LEAST_REQUEST });
    expect(s.trafficPolicy('v2')).toEqual({ loadBalancer: LoadBalancer.RANDOM });
  });

  test('Service annotations conflict only on different values', () => {
    const s = reviewsService(meshChart());
    s._addServiceAnnotation(s, 'a', '1');
    s._addServiceAnnotation(s, 'a', '1');
    expect(() => s._addServiceAnnotation(s, 'a', '2')).toThrow(/annotation a conflicts with "1"/);
    expect(s.serviceAnnotations).toEqual({ a: '1' });
  });
});

describe('ServicePort', () => {
  test('names ports by protocol', () => {
    expect(ServicePort.http(9080)).toMatchObject({ name: 'http', port: 9080, targetPort: 9080 });
    expect(ServicePort.grpc(8443, { name: 'grpc-api', targetPort: 9443 })).toMatchObject({ name: 'grpc-api', targetPort: 9443 });
  });

  test('rejects a name Istio cannot detect the protocol from (IST0118)', () => {
    expect(() => ServicePort.http(80, { name: 'web' })).toThrow(/ServicePort.http: name "web" does not tell Istio the protocol http \(IST0118.*Fix: name it "http" or "http-web"/);
  });

  test('rejects a port out of range', () => {
    expect(() => ServicePort.tcp(0)).toThrow(/ServicePort.tcp: port must be a whole number from 1 to 65535, got 0/);
  });
});
