import { Chart, Duration, Testing } from 'cdk8s';
import { Mesh, useMesh } from '../../src/core/mesh';
import { MeshTarget } from '../../src/target/mesh-target';
import { GatewayApiVersion } from '../../src/target/versions';
import { TlsProtocolVersion } from '../../src/istio/gateway';
import { IngressApi, IngressGateway } from '../../src/ingress/ingress-gateway';
import { IngressTls } from '../../src/ingress/ingress-tls';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Match } from '../../src/traffic/match';
import { Destination, RedirectStatus, RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

const BOOKINFO_MATCHES = () => [
  Match.path.exact('/productpage'),
  Match.path.prefix('/static'),
  Match.path.exact('/login'),
  Match.path.exact('/logout'),
  Match.path.prefix('/api/v1/products'),
];

function productpage(chart: Chart): MeshService {
  return new MeshService(chart, 'productpage', { ports: [ServicePort.http(9080)] });
}

describe('IngressGateway on Istio', () => {
  // The sample's `prefix: /static` also matches `/staticfoo`; ours selects whole segments, as the
  // Gateway API's PathPrefix does (an exact match plus a prefix ending in `/`).
  test("reproduces bookinfo-gateway.yaml: Gateway/bookinfo-gateway and VirtualService/bookinfo", () => {
    const chart = meshChart();
    const ingress = new IngressGateway(chart, 'bookinfo', { httpPort: 8080 });
    ingress.addRoute({ matches: BOOKINFO_MATCHES(), to: RouteTo.service(productpage(chart), { port: 9080 }) });
    const out = schemas.add('istio-bookinfo', Testing.synth(chart));
    expect(out.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'networking.istio.io/v1 Gateway/bookinfo-gateway',
      'networking.istio.io/v1 VirtualService/bookinfo',
    ]);
    expect(out[0].spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    expect(out[1].spec).toEqual({
      hosts: ['*'],
      gateways: ['bookinfo-gateway'],
      http: [{
        match: [
          { uri: { exact: '/productpage' } },
          { uri: { exact: '/static' } },
          { uri: { prefix: '/static/' } },
          { uri: { exact: '/login' } },
          { uri: { exact: '/logout' } },
          { uri: { exact: '/api/v1/products' } },
          { uri: { prefix: '/api/v1/products/' } },
        ],
        route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
      }],
    });
    expect(ingress.istioGateway?.name).toBe('bookinfo-gateway');
    expect(ingress.virtualService?.name).toBe('bookinfo');
    expect(out).toMatchSnapshot();
  });

  test('a host with SIMPLE TLS, HTTPS redirect, a versioned split, another namespace, a redirect and a catch-all', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    const other = new Chart(chart.node.scope!, 'shop', { namespace: 'shop' });
    const cart = new MeshService(other, 'cart', { ports: [ServicePort.http(8080), ServicePort.grpc(9090)] });
    const ingress = new IngressGateway(chart, 'edge', {
      gatewayName: 'edge', routeName: 'edge-routes', hosts: ['shop.example.com', 'www.shop.example.com'],
      tls: IngressTls.simple('shop-credential', { minProtocolVersion: TlsProtocolVersion.V1_2 }), httpsRedirect: true, selector: { istio: 'ingress' },
    });
    ingress.addRoute({ name: 'catch-all', to: RouteTo.service(cart, { port: 8080 }) });
    ingress.addRoute({
      name: 'reviews', matches: [Match.path.prefix('/reviews')], timeout: Duration.seconds(5), rewrite: { path: '/' },
      to: RouteTo.weighted([{ to: Destination.service(reviews, { version: 'v1' }), weight: 90 }, { to: Destination.service(reviews, { version: 'v2' }), weight: 10 }]),
    });
    ingress.addRoute({ matches: [Match.path.exact('/old')], to: RouteTo.redirect({ path: '/new', statusCode: RedirectStatus.FOUND }) });
    ingress.addRoute({ matches: [Match.path.exact('/down')], to: RouteTo.directResponse(503, 'maintenance') });
    const out = schemas.add('istio-tls', Testing.synth(chart));
    const [gw] = ofKind(out, 'Gateway');
    const [vs] = ofKind(out, 'VirtualService').filter((o) => o.metadata.name === 'edge-routes');
    expect(gw.metadata.name).toBe('edge');
    expect(gw.spec).toEqual({
      selector: { istio: 'ingress' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com', 'www.shop.example.com'], tls: { httpsRedirect: true } },
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com', 'www.shop.example.com'],
          tls: { mode: 'SIMPLE', credentialName: 'shop-credential', minProtocolVersion: 'TLSV1_2' },
        },
      ],
    });
    expect(vs.spec.hosts).toEqual(['shop.example.com', 'www.shop.example.com']);
    expect(vs.spec.gateways).toEqual(['edge']);
    expect(vs.spec.http).toEqual([
      {
        name: 'reviews', match: [{ uri: { exact: '/reviews' } }, { uri: { prefix: '/reviews/' } }], timeout: '5s',
        rewrite: { uriRegexRewrite: { match: '^/reviews/?(.*)$', rewrite: '/\\1' } },
        route: [
          { destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } }, weight: 90 },
          { destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } }, weight: 10 },
        ],
      },
      { match: [{ uri: { exact: '/old' } }], redirect: { uri: '/new', redirectCode: 302 } },
      { match: [{ uri: { exact: '/down' } }], directResponse: { status: 503, body: { string: 'maintenance' } } },
      { name: 'catch-all', route: [{ destination: { host: 'cart.shop.svc.cluster.local', port: { number: 8080 } } }] },
    ]);
    expect(out).toMatchSnapshot();
  });

  test('MUTUAL TLS takes the client CA from the credential', () => {
    const chart = meshChart();
    const ingress = new IngressGateway(chart, 'secure', { hosts: ['api.example.com'], tls: IngressTls.mutual('api-credential', { subjectAltNames: ['client.example.com'] }), httpsPort: 8443 });
    ingress.addRoute({ to: RouteTo.service(productpage(chart)) });
    const [gw] = ofKind(schemas.add('istio-mutual', Testing.synth(chart)), 'Gateway');
    expect(gw.spec.servers[1]).toEqual({
      port: { number: 8443, name: 'https', protocol: 'HTTPS' }, hosts: ['api.example.com'],
      tls: { mode: 'MUTUAL', credentialName: 'api-credential', subjectAltNames: ['client.example.com'] },
    });
  });

  test("the Gateway API on Istio: bookinfo's gateway-api sample with the class istio", () => {
    const chart = meshChart();
    const ingress = new IngressGateway(chart, 'bookinfo', { api: IngressApi.GATEWAY_API });
    ingress.addRoute({ matches: BOOKINFO_MATCHES(), to: RouteTo.service(productpage(chart), { port: 9080 }) });
    const out = schemas.add('istio-gateway-api', Testing.synth(chart));
    expect(out.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'gateway.networking.k8s.io/v1 Gateway/bookinfo-gateway',
      'gateway.networking.k8s.io/v1 HTTPRoute/bookinfo',
    ]);
    expect(out[0].spec.gatewayClassName).toBe('istio');
    expect(out[1].spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'productpage', port: 9080, weight: 1 }]);
    expect(ingress.api).toBe(IngressApi.GATEWAY_API);
    expect(ingress.virtualService).toBeUndefined();
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new IngressGateway(chart, 'bookinfo').addRoute({ to: RouteTo.service(productpage(chart)) });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });
});

describe.each([Mesh.GATEWAY_API, Mesh.LINKERD, Mesh.CILIUM])('IngressGateway on %s', (mesh) => {
  const klass = mesh === Mesh.CILIUM ? undefined : 'istio';

  test("reproduces bookinfo's gateway-api/bookinfo-gateway.yaml: Gateway/bookinfo-gateway and HTTPRoute/bookinfo", () => {
    const chart = meshChart(mesh);
    const ingress = new IngressGateway(chart, 'bookinfo', { gatewayClassName: klass });
    ingress.addRoute({ matches: BOOKINFO_MATCHES(), to: RouteTo.service(productpage(chart), { port: 9080 }) });
    const out = schemas.add(`${mesh}-bookinfo`, Testing.synth(chart));
    expect(out.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'gateway.networking.k8s.io/v1 Gateway/bookinfo-gateway',
      'gateway.networking.k8s.io/v1 HTTPRoute/bookinfo',
    ]);
    expect(out[0].spec).toEqual({
      gatewayClassName: klass ?? 'cilium',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(out[1].spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'bookinfo-gateway' }],
      rules: [{
        matches: [
          { path: { type: 'Exact', value: '/productpage' } },
          { path: { type: 'PathPrefix', value: '/static' } },
          { path: { type: 'Exact', value: '/login' } },
          { path: { type: 'Exact', value: '/logout' } },
          { path: { type: 'PathPrefix', value: '/api/v1/products' } },
        ],
        backendRefs: [{ group: '', kind: 'Service', name: 'productpage', port: 9080, weight: 1 }],
      }],
    });
    expect(out).toMatchSnapshot();
  });

  test('a host with HTTPS, a redirect route for plain HTTP and per-version backends', () => {
    const chart = meshChart(mesh);
    const reviews = reviewsService(chart);
    const ingress = new IngressGateway(chart, 'reviews-edge', { gatewayClassName: klass, hosts: ['reviews.example.com'], tls: IngressTls.simple('reviews-cert'), httpsRedirect: true });
    ingress.addRoute({ matches: [Match.path.prefix('/')], to: RouteTo.weighted([{ to: Destination.service(reviews, { version: 'v1' }), weight: 80 }, { to: Destination.service(reviews, { version: 'v3' }), weight: 20 }]) });
    const out = schemas.add(`${mesh}-tls`, Testing.synth(chart));
    const [gw] = ofKind(out, 'Gateway');
    const routes = ofKind(out, 'HTTPRoute');
    expect(gw.spec.listeners).toEqual([
      { name: 'http', hostname: 'reviews.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https', hostname: 'reviews.example.com', port: 443, protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'reviews-cert' }] }, allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
    const main = routes.find((r) => r.metadata.name === 'reviews-edge');
    const redirect = routes.find((r) => r.metadata.name === 'reviews-edge-https-redirect');
    expect(main.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'reviews-edge-gateway', sectionName: 'https' }],
      hostnames: ['reviews.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { group: '', kind: 'Service', name: 'reviews-v1', port: 9080, weight: 80 },
          { group: '', kind: 'Service', name: 'reviews-v3', port: 9080, weight: 20 },
        ],
      }],
    });
    expect(redirect.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'reviews-edge-gateway', sectionName: 'http' }],
      hostnames: ['reviews.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    expect(ingress.redirectRoute?.name).toBe('reviews-edge-https-redirect');
    expect(out).toMatchSnapshot();
  });

  test('MUTUAL TLS validates clients with a CA ConfigMap', () => {
    const chart = meshChart(mesh);
    const ingress = new IngressGateway(chart, 'api', { gatewayClassName: klass, hosts: ['api.example.com', 'api2.example.com'], tls: IngressTls.mutual('api-cert', { clientCaConfigMap: 'api-client-ca' }) });
    ingress.addRoute({ to: RouteTo.service(productpage(chart)) });
    const out = schemas.add(`${mesh}-mutual`, Testing.synth(chart));
    const [gw] = ofKind(out, 'Gateway');
    expect(gw.spec.tls).toEqual({ frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'api-client-ca' }] } } } });
    expect(gw.spec.listeners.map((l: any) => l.hostname)).toEqual([undefined, undefined]);
    expect(ofKind(out, 'HTTPRoute')[0].spec.hostnames).toEqual(['api.example.com', 'api2.example.com']);
  });

  test('MUTUAL TLS without a CA ConfigMap', () => {
    expect(() => new IngressGateway(meshChart(mesh), 'api', { gatewayClassName: klass, tls: IngressTls.mutual('api-cert') }))
      .toThrow(/test\/api: tls\.clientCaConfigMap is required for MUTUAL TLS/);
  });
  test('a TLS version', () => {
    expect(() => new IngressGateway(meshChart(mesh), 'api', { gatewayClassName: klass, tls: IngressTls.simple('c', { minProtocolVersion: TlsProtocolVersion.V1_3 }) }))
      .toThrow(/tls\.minProtocolVersion cannot be rendered for .*: the Gateway API has no standard TLS version setting/);
  });
  test('client SANs', () => {
    expect(() => new IngressGateway(meshChart(mesh), 'api', { gatewayClassName: klass, tls: IngressTls.mutual('c', { clientCaConfigMap: 'ca', subjectAltNames: ['x'] }) }))
      .toThrow(/tls\.subjectAltNames cannot be rendered for/);
  });
  test('an Istio selector', () => {
    expect(() => new IngressGateway(meshChart(mesh), 'api', { gatewayClassName: klass, selector: { istio: 'ingressgateway' } })).toThrow(/selector selects Istio gateway pods, but this ingress renders the Gateway API/);
  });
  test('a direct response', () => {
    const ingress = new IngressGateway(meshChart(mesh), 'api', { gatewayClassName: klass });
    expect(() => ingress.addRoute({ matches: [Match.path.exact('/x')], to: RouteTo.directResponse(503) })).toThrow(/routes\[0\]\.to cannot be rendered for .*: the Gateway API has no direct response/);
  });
  test('a port match', () => {
    const chart = meshChart(mesh);
    const ingress = new IngressGateway(chart, 'api', { gatewayClassName: klass });
    expect(() => ingress.addRoute({ matches: [Match.port(80)], to: RouteTo.service(productpage(chart)) })).toThrow(/contains a port condition/);
  });
  test('a 307 redirect on Gateway API v1.4 (Extended, in the CRDs from v1.5)', () => {
    const app = Testing.app();
    useMesh(app, mesh, { target: MeshTarget.of({ gatewayApi: GatewayApiVersion.V1_4 }) });
    const ingress = new IngressGateway(new Chart(app, 'test'), 'api', { gatewayClassName: klass });
    expect(() => ingress.addRoute({ matches: [Match.path.exact('/x')], to: RouteTo.redirect({ path: '/y', statusCode: RedirectStatus.TEMPORARY_REDIRECT }) }))
      .toThrow(/routes\[0\]\.to\.redirect\.statusCode needs redirect status codes 303, 307 and 308, which the target lacks: .*standard channel from v1\.5/);
  });
  test('a service in another namespace gets a ReferenceGrant there', () => {
    const chart = meshChart(mesh);
    const other = new Chart(chart.node.scope!, 'shop', { namespace: 'shop' });
    const cart = new MeshService(other, 'cart', { ports: [ServicePort.http(8080)], versions: ['v1'] });
    const ingress = new IngressGateway(chart, 'api', { gatewayClassName: klass });
    ingress.addRoute({ matches: [Match.path.prefix('/cart')], to: RouteTo.service(cart) });
    ingress.addRoute({ matches: [Match.path.prefix('/cart-v1')], to: RouteTo.service(cart, { version: 'v1' }) });
    const out = schemas.add(`${mesh}-cross-namespace`, Testing.synth(chart));
    expect(ofKind(out, 'HTTPRoute')[0].spec.rules.map((r: any) => r.backendRefs)).toEqual([
      [{ group: '', kind: 'Service', name: 'cart', namespace: 'shop', port: 8080, weight: 1 }],
      [{ group: '', kind: 'Service', name: 'cart-v1', namespace: 'shop', port: 8080, weight: 1 }],
    ]);
    const grants = ofKind(out, 'ReferenceGrant');
    expect(grants.map((g) => [g.apiVersion, g.metadata, g.spec])).toEqual([[
      'gateway.networking.k8s.io/v1',
      { name: 'api-from-bookinfo', namespace: 'shop' },
      { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'bookinfo' }], to: [{ group: '', kind: 'Service', name: 'cart' }, { group: '', kind: 'Service', name: 'cart-v1' }] },
    ]]);
    expect(ingress.referenceGrants).toHaveLength(1);
  });
  test('more than 16 routes', () => {
    const chart = meshChart(mesh);
    const pp = productpage(chart);
    const ingress = new IngressGateway(chart, 'api', { gatewayClassName: klass });
    for (let i = 0; i < 16; i++) ingress.addRoute({ matches: [Match.path.exact(`/p${i}`)], to: RouteTo.service(pp) });
    expect(() => ingress.addRoute({ matches: [Match.path.exact('/p16')], to: RouteTo.service(pp) })).toThrow(/cannot hold more than 16 routes/);
  });
});

describe('IngressGateway validation', () => {
  test('no gatewayClassName on the Gateway API', () => {
    expect(() => new IngressGateway(meshChart(Mesh.GATEWAY_API), 'api')).toThrow(/test\/api: gatewayClassName is required for gateway-api\. Fix: pass the GatewayClass/);
  });
  test('no gatewayClassName on Linkerd, which has no ingress', () => {
    expect(() => new IngressGateway(meshChart(Mesh.LINKERD), 'api')).toThrow(/gatewayClassName is required for linkerd, which has no ingress of its own/);
  });
  test("a gatewayClassName for Istio's own Gateway", () => {
    expect(() => new IngressGateway(meshChart(), 'api', { gatewayClassName: 'istio' })).toThrow(/gatewayClassName is for the Gateway API, but this ingress renders Istio's Gateway.*Fix: remove it, or pass api: IngressApi\.GATEWAY_API/);
  });
  test("Istio's Gateway on a Gateway API mesh", () => {
    expect(() => new IngressGateway(meshChart(Mesh.GATEWAY_API), 'api', { api: IngressApi.ISTIO })).toThrow(/api is IngressApi\.ISTIO, but this chart renders for gateway-api/);
  });
  test('an unknown API', () => {
    expect(() => new IngressGateway(meshChart(), 'api', { api: 'nginx' as any })).toThrow(/api is not an ingress API, got "nginx"/);
  });
  test('a version on the Gateway API with an Istio mesh', () => {
    const chart = meshChart();
    const ingress = new IngressGateway(chart, 'api', { api: IngressApi.GATEWAY_API });
    expect(() => ingress.addRoute({ to: RouteTo.service(reviewsService(chart), { version: 'v1' }) }))
      .toThrow(/routes\[0\]\.to\[0\]\.version cannot be rendered for the Gateway API: an Istio mesh has no per-version Services/);
  });
  test('no routes', () => {
    const chart = meshChart();
    new IngressGateway(chart, 'api');
    expect(() => Testing.synth(chart)).toThrow(/test\/api: routes must list at least one route/);
  });
  test('no hosts', () => expect(() => new IngressGateway(meshChart(), 'api', { hosts: [] })).toThrow(/hosts must list at least one host/));
  test('a bad host', () => expect(() => new IngressGateway(meshChart(), 'api', { hosts: ['Shop.Example.com'] })).toThrow(/hosts\[0\] must be a DNS host name/));
  test("'*' with other hosts", () => expect(() => new IngressGateway(meshChart(), 'api', { hosts: ['*', 'a.example.com'] })).toThrow(/hosts mixes '\*' with other hosts/));
  test('a repeated host', () => expect(() => new IngressGateway(meshChart(), 'api', { hosts: ['a.example.com', 'a.example.com'] })).toThrow(/hosts repeats a host/));
  test('a bad gateway name', () => expect(() => new IngressGateway(meshChart(), 'api', { gatewayName: 'Edge_GW' })).toThrow(/gatewayName must be a DNS subdomain/));
  test('a bad route name', () => expect(() => new IngressGateway(meshChart(), 'api', { routeName: 'Routes!' })).toThrow(/routeName must be a DNS subdomain/));
  test('a port out of range', () => expect(() => new IngressGateway(meshChart(), 'api', { httpPort: 70000 })).toThrow(/httpPort must be a whole number from 1 to 65535, got 70000/));
  test('tls that is not an IngressTls', () => expect(() => new IngressGateway(meshChart(), 'api', { tls: 'cert' as any })).toThrow(/tls must be an IngressTls, got "cert"/));
  test('a redirect without TLS', () => expect(() => new IngressGateway(meshChart(), 'api', { httpsRedirect: true })).toThrow(/httpsRedirect needs tls/));
  test('the same port for HTTP and HTTPS', () => expect(() => new IngressGateway(meshChart(), 'api', { tls: IngressTls.simple('c'), httpPort: 443 })).toThrow(/httpsPort is the same as httpPort \(443\)/));

  describe('routes', () => {
    const setup = () => {
      const chart = meshChart();
      return { chart, pp: productpage(chart), reviews: reviewsService(chart), ingress: new IngressGateway(chart, 'api') };
    };
    test('to that is not a RouteTo', () => {
      const { ingress, pp } = setup();
      expect(() => ingress.addRoute({ to: pp as any })).toThrow(/routes\[0\]\.to must be a RouteTo/);
    });
    test('a match that is not a Match', () => {
      const { ingress, pp } = setup();
      expect(() => ingress.addRoute({ matches: ['/x' as any], to: RouteTo.service(pp) })).toThrow(/routes\[0\]\.matches\[0\] must be a Match/);
    });
    test('an empty match list', () => {
      const { ingress, pp } = setup();
      expect(() => ingress.addRoute({ matches: [], to: RouteTo.service(pp) })).toThrow(/routes\[0\]\.matches is empty/);
    });
    test('two catch-all routes', () => {
      const { ingress, pp } = setup();
      ingress.addRoute({ to: RouteTo.service(pp) });
      expect(() => ingress.addRoute({ to: RouteTo.service(pp) })).toThrow(/routes\[1\]\.matches are omitted twice/);
    });
    test('a repeated match', () => {
      const { ingress, pp } = setup();
      ingress.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.service(pp) });
      expect(() => ingress.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.service(pp) })).toThrow(/repeat the match "path=prefix:\/a" of an earlier route.*IST0130/);
    });
    test('a repeated route name', () => {
      const { ingress, pp } = setup();
      ingress.addRoute({ name: 'r', matches: [Match.path.prefix('/a')], to: RouteTo.service(pp) });
      expect(() => ingress.addRoute({ name: 'r', matches: [Match.path.prefix('/b')], to: RouteTo.service(pp) })).toThrow(/routes\[1\]\.name repeats the route name "r"/);
    });
    test('weights that do not sum to 100', () => {
      const { ingress, reviews } = setup();
      expect(() => ingress.addRoute({ to: RouteTo.weighted([{ to: Destination.service(reviews, { version: 'v1' }), weight: 80 }, { to: Destination.service(reviews, { version: 'v2' }), weight: 15 }]) }))
        .toThrow(/routes\[0\]\.to weights must sum to 100, got 95 \(reviews\/v1=80, reviews\/v2=15\)/);
    });
    test('a fractional weight', () => {
      const { ingress, reviews } = setup();
      expect(() => ingress.addRoute({ to: RouteTo.weighted([{ to: Destination.service(reviews, { version: 'v1' }), weight: 50.5 }, { to: Destination.service(reviews, { version: 'v2' }), weight: 49.5 }]) }))
        .toThrow(/routes\[0\]\.to\[0\]\.weight must be a whole number/);
    });
    test('a version of no service', () => {
      const { ingress } = setup();
      expect(() => ingress.addRoute({ to: RouteTo.version('v1') })).toThrow(/routes\[0\]\.to\[0\] is the version "v1" of no service, but an ingress route forwards to services of the mesh/);
    });
    test('an external host', () => {
      const { ingress } = setup();
      expect(() => ingress.addRoute({ to: RouteTo.destination(Destination.host('api.example.com')) })).toThrow(/is the host "api\.example\.com"/);
    });
    test('an unknown version', () => {
      const { ingress, reviews } = setup();
      expect(() => ingress.addRoute({ to: RouteTo.service(reviews, { version: 'v9' }) })).toThrow(/routes\[0\]\.to\[0\]\.version names version "v9", which reviews does not define/);
    });
    test('a port the service does not expose', () => {
      const { ingress, pp } = setup();
      expect(() => ingress.addRoute({ to: RouteTo.service(pp, { port: 80 }) })).toThrow(/routes\[0\]\.to\[0\]\.port is 80, which productpage does not expose/);
    });
    test('no port for a service with several', () => {
      const { chart, ingress } = setup();
      const multi = new MeshService(chart, 'multi', { ports: [ServicePort.http(80), ServicePort.grpc(90)] });
      expect(() => ingress.addRoute({ to: RouteTo.service(multi) })).toThrow(/routes\[0\]\.to\[0\]\.port is required: multi has several ports \(80, 90\)/);
    });
    test('an unknown redirect status', () => {
      const { ingress } = setup();
      expect(() => ingress.addRoute({ matches: [Match.path.exact('/x')], to: RouteTo.redirect({ statusCode: 399 as any }) })).toThrow(/RouteTo.redirect: options.statusCode must be a RedirectStatus \(301, 302, 303, 307 or 308\), got 399/);
    });
    test('a relative rewrite path', () => {
      const { ingress, pp } = setup();
      expect(() => ingress.addRoute({ matches: [Match.path.prefix('/x')], to: RouteTo.service(pp), rewrite: { path: 'y' } })).toThrow(/test\/api: routes\[0\].rewrite\.path must be an absolute path starting with '\/', got "y"/);
    });
  });
});

describe('IngressTls', () => {
  test('keeps mode, credential and options', () => {
    const t = IngressTls.mutual('cred', { clientCaConfigMap: 'ca', subjectAltNames: ['a'], minProtocolVersion: TlsProtocolVersion.V1_3 });
    expect([t.mode, t.credentialName, t.clientCaConfigMap, t.subjectAltNames, t.minProtocolVersion]).toEqual(['MUTUAL', 'cred', 'ca', ['a'], 'TLSV1_3']);
  });
  test('no credential', () => expect(() => IngressTls.simple('')).toThrow(/IngressTls\.simple: credentialName is required/));
  test('a credential that is not a Secret name', () => expect(() => IngressTls.simple('My Cert')).toThrow(/credentialName must be a DNS subdomain/));
  test('an unknown TLS version', () => expect(() => IngressTls.simple('c', { minProtocolVersion: 'TLS1' as any })).toThrow(/minProtocolVersion is not a TLS version, got "TLS1"/));
  test('empty SANs', () => expect(() => IngressTls.mutual('c', { subjectAltNames: [] })).toThrow(/IngressTls\.mutual: subjectAltNames must be a non-empty list/));
  test('a bad CA ConfigMap name', () => expect(() => IngressTls.mutual('c', { clientCaConfigMap: 'CA!' })).toThrow(/clientCaConfigMap must be a DNS subdomain/));
});

test('every scenario is schema-valid', () => {
  expect(schemas.size).toBeGreaterThan(0);
  expect(schemas.problems()).toEqual([]);
});
