import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { GatewayApiGateway, ListenerProtocol, ListenerTlsMode, RouteNamespaces } from '../../src/gateway-api/gateway';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('GatewayApiGateway', () => {
  test("bookinfo's Gateway API gateway: one HTTP listener for routes of its namespace", () => {
    const chart = meshChart();
    new GatewayApiGateway(chart, 'bookinfo-gateway', { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    const out = schemas.add('bookinfo', Testing.synth(chart));
    expect(out[0].apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(out[0].metadata).toEqual({ name: 'bookinfo-gateway', namespace: 'bookinfo' });
    expect(out[0].spec).toEqual({
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(out).toMatchSnapshot();
  });

  test('HTTPS termination, TLS passthrough, TCP, namespace selectors and client certificate validation', () => {
    const chart = meshChart();
    const gw = new GatewayApiGateway(chart, 'edge', { gatewayClassName: 'cilium', clientCaConfigMaps: ['client-ca'] });
    gw.addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', tls: { certificateRefs: ['wildcard-cert'] }, allowedRoutes: RouteNamespaces.all() });
    gw.addListener({ name: 'tls', port: 8443, protocol: ListenerProtocol.TLS, hostname: 'db.example.com', tls: { mode: ListenerTlsMode.PASSTHROUGH } });
    gw.addListener({ name: 'tcp', port: 5432, protocol: ListenerProtocol.TCP, allowedRoutes: RouteNamespaces.selector({ team: 'data' }) });
    const out = schemas.add('tls', Testing.synth(chart));
    expect(out[0].spec).toEqual({
      gatewayClassName: 'cilium',
      listeners: [
        {
          name: 'https', hostname: '*.example.com', port: 443, protocol: 'HTTPS',
          tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'wildcard-cert' }] },
          allowedRoutes: { namespaces: { from: 'All' } },
        },
        { name: 'tls', hostname: 'db.example.com', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' } } },
        { name: 'tcp', port: 5432, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'data' } } } } },
      ],
      tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'client-ca' }] } } } },
    });
    expect(gw.listeners.map((l) => l.name)).toEqual(['https', 'tls', 'tcp']);
    expect(out).toMatchSnapshot();
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new GatewayApiGateway(chart, 'gw', { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('validation', () => {
    const gw = () => new GatewayApiGateway(meshChart(), 'gw', { gatewayClassName: 'istio' });
    const http = { name: 'http', port: 80, protocol: ListenerProtocol.HTTP };
    test('no gatewayClassName', () => expect(() => new GatewayApiGateway(meshChart(), 'gw', {} as any)).toThrow(/test\/gw: gatewayClassName is required, got undefined/));
    test('a bad gatewayClassName', () => expect(() => new GatewayApiGateway(meshChart(), 'gw', { gatewayClassName: 'Istio Class' })).toThrow(/gatewayClassName must be a DNS subdomain/));
    test('a bad client CA ConfigMap name', () => expect(() => new GatewayApiGateway(meshChart(), 'gw', { gatewayClassName: 'istio', clientCaConfigMaps: ['CA'] })).toThrow(/clientCaConfigMaps\[0\] must be a DNS subdomain/));
    test('a gateway without listeners', () => {
      const chart = meshChart();
      new GatewayApiGateway(chart, 'gw', { gatewayClassName: 'istio' });
      expect(() => Testing.synth(chart)).toThrow(/test\/gw: listeners must list at least one listener/);
    });
    test('a bad listener name', () => expect(() => gw().addListener({ ...http, name: 'HTTP' })).toThrow(/listeners\[0\]\.name must be a DNS subdomain/));
    test('a port out of range', () => expect(() => gw().addListener({ ...http, port: 0 })).toThrow(/listeners\[0\]\.port must be a whole number from 1 to 65535, got 0/));
    test('an unknown protocol', () => expect(() => gw().addListener({ ...http, protocol: 'UDP' as any })).toThrow(/listeners\[0\]\.protocol is not a listener protocol, got "UDP"/));
    test("the hostname '*'", () => expect(() => gw().addListener({ ...http, hostname: '*' })).toThrow(/listeners\[0\]\.hostname cannot be '\*'/));
    test('a hostname that is not a DNS name', () => expect(() => gw().addListener({ ...http, hostname: 'Shop' })).toThrow(/listeners\[0\]\.hostname must be a DNS host name/));
    test('a hostname on a TCP listener', () => expect(() => gw().addListener({ name: 'tcp', port: 5432, protocol: ListenerProtocol.TCP, hostname: 'db.example.com' })).toThrow(/hostname cannot be set on a TCP listener/));
    test('allowedRoutes that is not a RouteNamespaces', () => expect(() => gw().addListener({ ...http, allowedRoutes: 'All' as any })).toThrow(/allowedRoutes must be a RouteNamespaces/));
    test('an empty namespace selector', () => expect(() => RouteNamespaces.selector({})).toThrow(/RouteNamespaces\.selector: matchLabels must not be empty/));
    test('TLS on an HTTP listener', () => expect(() => gw().addListener({ ...http, tls: { certificateRefs: ['c'] } })).toThrow(/listeners\[0\]\.tls cannot be set on a HTTP listener/));
    test('an HTTPS listener without TLS', () => expect(() => gw().addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS })).toThrow(/listeners\[0\]\.tls is required for a HTTPS listener/));
    test('passthrough on an HTTPS listener', () => {
      expect(() => gw().addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, tls: { mode: ListenerTlsMode.PASSTHROUGH } })).toThrow(/tls\.mode must be TERMINATE on an HTTPS listener, got Passthrough/);
    });
    test('an unknown TLS mode', () => {
      expect(() => gw().addListener({ name: 'tls', port: 443, protocol: ListenerProtocol.TLS, tls: { mode: 'Reencrypt' as any } })).toThrow(/tls\.mode is not a TLS mode, got "Reencrypt"/);
    });
    test('termination without certificates', () => {
      expect(() => gw().addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, tls: {} })).toThrow(/tls\.certificateRefs must name at least one Secret to terminate TLS/);
    });
    test('certificates with passthrough', () => {
      expect(() => gw().addListener({ name: 'tls', port: 443, protocol: ListenerProtocol.TLS, tls: { mode: ListenerTlsMode.PASSTHROUGH, certificateRefs: ['c'] } })).toThrow(/certificateRefs are not used in PASSTHROUGH mode/);
    });
    test('a bad certificate Secret name', () => {
      expect(() => gw().addListener({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, tls: { certificateRefs: ['My_Cert'] } })).toThrow(/certificateRefs\[0\] must be a DNS subdomain/);
    });
    test('a repeated listener name', () => {
      const g = gw();
      g.addListener(http);
      expect(() => g.addListener({ ...http, port: 8080 })).toThrow(/listeners\[1\]\.name repeats the listener name "http"/);
    });
    test('a repeated port, protocol and hostname', () => {
      const g = gw();
      g.addListener(http);
      expect(() => g.addListener({ ...http, name: 'http-2' })).toThrow(/listeners\[1\] repeats port 80, protocol HTTP and hostname "" of listener "http"/);
    });
    test('more than 64 listeners', () => {
      const g = gw();
      for (let i = 0; i < 64; i++) g.addListener({ name: `l${i}`, port: 1000 + i, protocol: ListenerProtocol.HTTP });
      expect(() => g.addListener({ name: 'l64', port: 2000, protocol: ListenerProtocol.HTTP })).toThrow(/listeners cannot hold more than 64 listeners/);
    });
  });

  test('random listener sets with unique names and ports render schema-valid', () => {
    const batch = new SchemaBatch();
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 5 }),
      fc.option(fc.array(label, { minLength: 2, maxLength: 3 }).map((p) => p.join('.')), { nil: undefined }),
      (ports, hostname) => {
        const chart = meshChart();
        new GatewayApiGateway(chart, 'gw', { gatewayClassName: 'istio', listeners: ports.map((port) => ({ name: `http-${port}`, port, protocol: ListenerProtocol.HTTP, hostname })) });
        const [o] = batch.add('prop', Testing.synth(chart));
        expect(o.spec.listeners.map((l: any) => [l.port, l.hostname])).toEqual(ports.map((p) => [p, hostname]));
      },
    ), { numRuns: 25 });
    expect(batch.problems()).toEqual([]);
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThan(0);
    expect(schemas.problems()).toEqual([]);
  });
});
