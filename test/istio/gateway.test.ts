import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { GatewayTlsMode, IstioGateway, TlsProtocolVersion, validateNamespacedHost } from '../../src/istio/gateway';
import { Protocol } from '../../src/service/protocol';
import { ServicePort } from '../../src/service/service-port';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('IstioGateway', () => {
  test("bookinfo's gateway: one HTTP server for every host on the default ingress gateway", () => {
    const chart = meshChart();
    new IstioGateway(chart, 'bookinfo-gateway', { servers: [{ port: ServicePort.http(8080), hosts: ['*'] }] });
    const out = schemas.add('bookinfo', Testing.synth(chart));
    expect(out).toHaveLength(1);
    expect(out[0].apiVersion).toBe('networking.istio.io/v1');
    expect(out[0].metadata).toEqual({ name: 'bookinfo-gateway', namespace: 'bookinfo' });
    expect(out[0].spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    expect(out).toMatchSnapshot();
  });

  test('HTTPS with SIMPLE and MUTUAL TLS, an HTTP redirect and TLS versions', () => {
    const chart = meshChart();
    const gw = new IstioGateway(chart, 'shop', { selector: { istio: 'ingress' } });
    gw.addServer({ port: ServicePort.http(80), hosts: ['shop.example.com'], httpsRedirect: true });
    gw.addServer({
      port: ServicePort.https(443), hosts: ['shop.example.com'], name: 'shop-https',
      tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'shop-cert', minProtocolVersion: TlsProtocolVersion.V1_2, maxProtocolVersion: TlsProtocolVersion.V1_3 },
    });
    gw.addServer({
      port: ServicePort.https(8443, { name: 'https-admin' }), hosts: ['admin/admin.example.com'],
      tls: { mode: GatewayTlsMode.MUTUAL, credentialName: 'admin-cert', subjectAltNames: ['spiffe://example.com/admin'] },
    });
    const out = schemas.add('tls', Testing.synth(chart));
    expect(out[0].spec.selector).toEqual({ istio: 'ingress' });
    expect(out[0].spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
      {
        name: 'shop-https', port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'],
        tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_2', maxProtocolVersion: 'TLSV1_3' },
      },
      {
        port: { number: 8443, name: 'https-admin', protocol: 'HTTPS' }, hosts: ['admin/admin.example.com'],
        tls: { mode: 'MUTUAL', credentialName: 'admin-cert', subjectAltNames: ['spiffe://example.com/admin'] },
      },
    ]);
    expect(gw.hosts).toEqual(['shop.example.com', 'admin/admin.example.com']);
    expect(out).toMatchSnapshot();
  });

  test('PASSTHROUGH on a TLS port and ISTIO_MUTUAL for an egress gateway', () => {
    const chart = meshChart();
    new IstioGateway(chart, 'egress', {
      selector: { istio: 'egressgateway' },
      servers: [
        { port: ServicePort.tls(443), hosts: ['edition.cnn.com'], tls: { mode: GatewayTlsMode.PASSTHROUGH } },
        { port: ServicePort.https(8443, { name: 'https-mtls' }), hosts: ['*.example.com'], tls: { mode: GatewayTlsMode.ISTIO_MUTUAL } },
      ],
    });
    const out = schemas.add('passthrough', Testing.synth(chart));
    expect(out[0].spec.servers.map((s: any) => s.tls)).toEqual([{ mode: 'PASSTHROUGH' }, { mode: 'ISTIO_MUTUAL' }]);
    expect(out).toMatchSnapshot();
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new IstioGateway(chart, 'gw', { servers: [{ port: ServicePort.http(80), hosts: ['*'] }] });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('validation', () => {
    const gw = () => new IstioGateway(meshChart(), 'gw');
    test('a gateway without servers', () => {
      const chart = meshChart();
      new IstioGateway(chart, 'gw');
      expect(() => Testing.synth(chart)).toThrow(/test\/gw: servers must list at least one server/);
    });
    test('an empty selector', () => {
      expect(() => new IstioGateway(meshChart(), 'gw', { selector: {} })).toThrow(/test\/gw: selector must not be empty/);
    });
    test('a wildcard selector value', () => {
      expect(() => new IstioGateway(meshChart(), 'gw', { selector: { istio: '*' } })).toThrow(/selector\.istio must not contain a wildcard/);
    });
    test('a server without hosts', () => {
      expect(() => gw().addServer({ port: ServicePort.http(80), hosts: [] })).toThrow(/servers\[0\]\.hosts must list at least one host/);
    });
    test('a host that is not a DNS name', () => {
      expect(() => gw().addServer({ port: ServicePort.http(80), hosts: ['Shop_Example'] })).toThrow(/servers\[0\]\.hosts\[0\] must be a DNS host name.*"Shop_Example"/);
    });
    test('a bad namespace part', () => {
      expect(() => gw().addServer({ port: ServicePort.http(80), hosts: ['Bad_NS/shop.example.com'] })).toThrow(/invalid namespace part "Bad_NS"/);
    });
    test('a protocol a gateway cannot serve', () => {
      expect(() => gw().addServer({ port: ServicePort.of(Protocol.REDIS, 6379), hosts: ['*'] })).toThrow(/has protocol redis, which an Istio gateway server cannot serve/);
    });
    test('a port that is not a ServicePort', () => {
      expect(() => gw().addServer({ port: 80 as any, hosts: ['*'] })).toThrow(/servers\[0\]\.port must be a ServicePort, got 80/);
    });
    test('an HTTPS port without TLS', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'] })).toThrow(/servers\[0\]\.tls is required for a HTTPS port/);
    });
    test('TLS on a plain HTTP port', () => {
      expect(() => gw().addServer({ port: ServicePort.http(80), hosts: ['*'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'c' } }))
        .toThrow(/servers\[0\]\.tls is set on a HTTP port, but TLS needs an HTTPS or TLS port/);
    });
    test('httpsRedirect on an HTTPS port', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], httpsRedirect: true, tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'c' } }))
        .toThrow(/httpsRedirect only applies to HTTP ports, got HTTPS/);
    });
    test('SIMPLE without a credentialName', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], tls: { mode: GatewayTlsMode.SIMPLE } }))
        .toThrow(/servers\[0\]\.tls\.credentialName is required for TLS mode SIMPLE/);
    });
    test('MUTUAL without a credentialName', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], tls: { mode: GatewayTlsMode.MUTUAL } }))
        .toThrow(/credentialName is required for TLS mode MUTUAL/);
    });
    test('a credentialName with PASSTHROUGH', () => {
      expect(() => gw().addServer({ port: ServicePort.tls(443), hosts: ['*'], tls: { mode: GatewayTlsMode.PASSTHROUGH, credentialName: 'c' } }))
        .toThrow(/credentialName is not used with TLS mode PASSTHROUGH/);
    });
    test('a credentialName that is not a Secret name', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'My Cert' } }))
        .toThrow(/credentialName must be a DNS subdomain.*"My Cert"/);
    });
    test('an unknown TLS mode', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], tls: { mode: 'STRICT' as any } })).toThrow(/tls\.mode is not a TLS mode, got "STRICT"/);
    });
    test('subjectAltNames without MUTUAL', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'c', subjectAltNames: ['a'] } }))
        .toThrow(/subjectAltNames only apply to MUTUAL TLS/);
    });
    test('an unknown TLS version', () => {
      expect(() => gw().addServer({ port: ServicePort.https(443), hosts: ['*'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'c', minProtocolVersion: 'TLS9' as any } }))
        .toThrow(/minProtocolVersion is not a TLS version, got "TLS9"/);
    });
    test('a minimum TLS version above the maximum', () => {
      expect(() => gw().addServer({
        port: ServicePort.https(443), hosts: ['*'],
        tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'c', minProtocolVersion: TlsProtocolVersion.V1_3, maxProtocolVersion: TlsProtocolVersion.V1_2 },
      })).toThrow(/minProtocolVersion TLSV1_3 is above maxProtocolVersion TLSV1_2/);
    });
    test('a repeated port name', () => {
      const g = gw();
      g.addServer({ port: ServicePort.https(443), hosts: ['a.example.com'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'a' } });
      expect(() => g.addServer({ port: ServicePort.https(443), hosts: ['b.example.com'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'b' } }))
        .toThrow(/servers\[1\]\.port\.name repeats the port name "https"/);
    });
    test('two protocols on one port number', () => {
      const g = gw();
      g.addServer({ port: ServicePort.http(8080), hosts: ['*'] });
      expect(() => g.addServer({ port: ServicePort.tcp(8080), hosts: ['*'] })).toThrow(/8080 is already served as HTTP, not TCP/);
    });
    test('a repeated server name', () => {
      const g = gw();
      g.addServer({ port: ServicePort.http(80), hosts: ['*'], name: 'web' });
      expect(() => g.addServer({ port: ServicePort.http(81, { name: 'http-alt' }), hosts: ['*'], name: 'web' })).toThrow(/repeats the server name "web"/);
    });
  });

  describe('validateNamespacedHost (property)', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
    test('accepts [namespace/]host forms and renders them unchanged', () => {
      fc.assert(fc.property(fc.constantFrom('', './', '*/', 'prod/'), fc.constantFrom('', '*.'), host, (ns, wild, h) => {
        const value = `${ns}${wild}${h}`;
        expect(validateNamespacedHost('t', 'hosts', value)).toBe(value);
      }));
    });
    test('rejects hosts with characters outside DNS names', () => {
      fc.assert(fc.property(host, fc.constantFrom('_', ' ', 'A', '!', '/x/'), (h, bad) => {
        expect(() => validateNamespacedHost('t', 'hosts', `${h}${bad}`)).toThrow(/t: hosts /);
      }));
    });
    test('requires a namespace where asked', () => {
      fc.assert(fc.property(host, (h) => {
        expect(() => validateNamespacedHost('t', 'hosts', h, { requireNamespace: true })).toThrow(/must have the form <namespace>\/<host>/);
      }));
    });
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThan(0);
    expect(schemas.problems()).toEqual([]);
  });
});
