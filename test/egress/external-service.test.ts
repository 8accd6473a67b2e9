import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh } from '../../src/core/mesh';
import { ExternalService } from '../../src/egress/external-service';
import { ServiceEntryResolution } from '../../src/istio/service-entry';
import { ClientTls } from '../../src/security/client-tls';
import { ServicePort } from '../../src/service/service-port';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
const name = (o: any) => `${o.kind}/${o.metadata.name}`;

describe('ExternalService', () => {
  test('a plain external API: one ServiceEntry, MESH_EXTERNAL, DNS', () => {
    const chart = meshChart();
    const api = new ExternalService(chart, 'payments-api', { hosts: ['api.stripe.com'], ports: [ServicePort.https(443)] });
    const out = schemas.add('plain', Testing.synth(chart));
    expect(out.map(name)).toEqual(['ServiceEntry/payments-api']);
    expect(out[0].spec).toEqual({
      hosts: ['api.stripe.com'],
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
    });
    expect(api.sidecarHosts).toEqual(['bookinfo/api.stripe.com']);
    expect(api.destinationRule).toBeUndefined();
    expect(out).toMatchSnapshot();
  });

  test("bookinfo's egress-rule-google-apis.yaml: ServiceEntry, rewrite-port-for-googleapis and originate-tls-for-googleapis", () => {
    const chart = meshChart();
    const g = new ExternalService(chart, 'googleapis', {
      hosts: ['www.googleapis.com'],
      ports: [ServicePort.http(80), ServicePort.https(443)],
      resolution: ServiceEntryResolution.DNS,
      loadBalancer: LoadBalancer.ROUND_ROBIN,
      tlsOrigination: { fromPort: 80, toPort: 443 },
    });
    const out = schemas.add('googleapis', Testing.synth(chart));
    expect(out.map(name)).toEqual(['ServiceEntry/googleapis', 'VirtualService/rewrite-port-for-googleapis', 'DestinationRule/originate-tls-for-googleapis']);
    expect(out[0].spec.ports).toEqual([{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }]);
    expect(out[1].spec).toEqual({
      hosts: ['www.googleapis.com'],
      http: [{ match: [{ port: 80 }], route: [{ destination: { host: 'www.googleapis.com', port: { number: 443 } } }] }],
    });
    expect(out[2].spec).toEqual({
      host: 'www.googleapis.com',
      trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' }, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', caCertificates: 'system' } }] },
    });
    expect(g.tlsOriginationRoute?.name).toBe('rewrite-port-for-googleapis');
    expect(out).toMatchSnapshot();
  });

  test('TLS origination with own client TLS settings and names', () => {
    const chart = meshChart();
    new ExternalService(chart, 'partner', {
      hosts: ['api.partner.example'],
      ports: [ServicePort.http(8080, { name: 'http-plain' }), ServicePort.tls(8443)],
      destinationRuleName: 'partner-tls',
      tlsOrigination: { fromPort: 8080, toPort: 8443, virtualServiceName: 'partner-port', tls: ClientTls.mutual({ credentialName: 'partner-client-cert', sni: 'api.partner.example' }) },
      exportTo: ['.'],
    });
    const out = schemas.add('mutual-origination', Testing.synth(chart));
    expect(out.map(name)).toEqual(['ServiceEntry/partner', 'VirtualService/partner-port', 'DestinationRule/partner-tls']);
    expect(out[2].spec).toEqual({
      host: 'api.partner.example',
      exportTo: ['.'],
      trafficPolicy: { portLevelSettings: [{ port: { number: 8443 }, tls: { mode: 'MUTUAL', credentialName: 'partner-client-cert', sni: 'api.partner.example' } }] },
    });
    expect(out[1].spec.exportTo).toEqual(['.']);
  });

  test("through an egress gateway, as Istio's egress-gateway task does for edition.cnn.com", () => {
    const chart = meshChart();
    const cnn = new ExternalService(chart, 'cnn', {
      hosts: ['edition.cnn.com'],
      ports: [ServicePort.http(80, { name: 'http-port' }), ServicePort.https(443)],
      egressGateway: { gatewayName: 'istio-egressgateway' },
    });
    const out = schemas.add('egress-gateway', Testing.synth(chart));
    expect(out.map(name)).toEqual(['ServiceEntry/cnn', 'Gateway/istio-egressgateway', 'DestinationRule/egressgateway-for-cnn', 'VirtualService/direct-cnn-through-egress-gateway']);
    expect(out[1].spec).toEqual({ selector: { istio: 'egressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] }] });
    expect(out[2].spec).toEqual({ host: 'istio-egressgateway.istio-system.svc.cluster.local', subsets: [{ name: 'cnn', labels: { istio: 'egressgateway' } }] });
    expect(out[3].spec).toEqual({
      hosts: ['edition.cnn.com'],
      gateways: ['istio-egressgateway', 'mesh'],
      http: [
        { match: [{ port: 80, gateways: ['mesh'] }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'cnn', port: { number: 80 } } }] },
        { match: [{ port: 80, gateways: ['istio-egressgateway'] }], route: [{ destination: { host: 'edition.cnn.com', port: { number: 80 } } }] },
      ],
    });
    expect(cnn.egressGateway?.name).toBe('istio-egressgateway');
    expect(out).toMatchSnapshot();
  });

  test('a custom egress gateway deployment', () => {
    const chart = meshChart();
    new ExternalService(chart, 'httpbin', {
      hosts: ['httpbin.org'],
      ports: [ServicePort.http(80), ServicePort.http(8080, { name: 'http-alt' })],
      egressGateway: { port: 8080, selector: { app: 'egress' }, gatewayHost: 'egress.egress.svc.cluster.local', subset: 'httpbin-alt', destinationRuleName: 'egress-httpbin', virtualServiceName: 'httpbin-via-egress' },
    });
    const out = schemas.add('custom-egress', Testing.synth(chart));
    expect(out.map(name)).toEqual(['ServiceEntry/httpbin', 'Gateway/httpbin-egressgateway', 'DestinationRule/egress-httpbin', 'VirtualService/httpbin-via-egress']);
    expect(ofKind(out, 'DestinationRule')[0].spec.subsets).toEqual([{ name: 'httpbin-alt', labels: { app: 'egress' } }]);
    expect(ofKind(out, 'VirtualService')[0].spec.http[0].route[0].destination).toEqual({ host: 'egress.egress.svc.cluster.local', subset: 'httpbin-alt', port: { number: 8080 } });
  });

  test('wildcard hosts default to resolution NONE', () => {
    const chart = meshChart();
    new ExternalService(chart, 'wikipedia', { hosts: ['*.wikipedia.org'], ports: [ServicePort.tls(443)] });
    expect(schemas.add('wildcard', Testing.synth(chart))[0].spec.resolution).toBe('NONE');
  });

  test('a load balancer alone makes a DestinationRule named after the service', () => {
    const chart = meshChart();
    new ExternalService(chart, 'api', { hosts: ['api.example.com'], ports: [ServicePort.https(443)], loadBalancer: LoadBalancer.LEAST_REQUEST });
    const out = schemas.add('lb', Testing.synth(chart));
    expect(ofKind(out, 'DestinationRule').map((o) => [o.metadata.name, o.spec])).toEqual([['api', { host: 'api.example.com', trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } }]]);
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new ExternalService(chart, 'googleapis', { hosts: ['www.googleapis.com'], ports: [ServicePort.http(80), ServicePort.https(443)], tlsOrigination: { fromPort: 80, toPort: 443 } });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('validation', () => {
    const ports = [ServicePort.http(80), ServicePort.https(443)];
    const make = (props: any, mesh = Mesh.ISTIO) => new ExternalService(meshChart(mesh), 'ext', { hosts: ['api.example.com'], ports, ...props });
    test.each([Mesh.GATEWAY_API, Mesh.CILIUM])('cannot be rendered for %s', (mesh) => {
      expect(() => make({}, mesh)).toThrow(/test\/ext: hosts cannot be rendered for .*: an external service is an Istio ServiceEntry.*Fix: render this chart for Istio/);
    });
    test('Linkerd is told that EgressNetwork is not generated', () => {
      expect(() => make({}, Mesh.LINKERD)).toThrow(/cannot be rendered for linkerd.*EgressNetwork is not generated/);
    });
    test('a bad name', () => expect(() => make({ name: 'Ext API' })).toThrow(/test\/ext: name must be a DNS subdomain/));
    test('DNS resolution of a wildcard host', () => expect(() => make({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DNS })).toThrow(/resolution DNS cannot resolve the wildcard host/));
    test('a load balancer that is not a LoadBalancer', () => expect(() => make({ loadBalancer: 'ROUND_ROBIN' })).toThrow(/loadBalancer must be a LoadBalancer, got "ROUND_ROBIN"/));
    test('TLS origination with two hosts', () => {
      expect(() => make({ hosts: ['a.example.com', 'b.example.com'], tlsOrigination: { fromPort: 80, toPort: 443 } })).toThrow(/tlsOrigination needs exactly one named host/);
    });
    test('TLS origination from a port the service lacks', () => {
      expect(() => make({ tlsOrigination: { fromPort: 8080, toPort: 443 } })).toThrow(/tlsOrigination\.fromPort is 8080, which the service does not declare \(ports: 80, 443\)/);
    });
    test('TLS origination from a TLS port', () => {
      expect(() => make({ tlsOrigination: { fromPort: 443, toPort: 80 } })).toThrow(/tlsOrigination\.fromPort is the HTTPS port 443, but needs protocol HTTP/);
    });
    test('TLS origination to a plain port', () => {
      expect(() => make({ ports: [ServicePort.http(80), ServicePort.http(8080, { name: 'http-alt' })], tlsOrigination: { fromPort: 80, toPort: 8080 } }))
        .toThrow(/tlsOrigination\.toPort is the HTTP port 8080, but needs protocol HTTPS or TLS/);
    });
    test('TLS origination together with an egress gateway', () => {
      expect(() => make({ tlsOrigination: { fromPort: 80, toPort: 443 }, egressGateway: {} })).toThrow(/egressGateway cannot be combined with tlsOrigination/);
    });
    test('a DestinationRule name without a DestinationRule', () => expect(() => make({ destinationRuleName: 'x' })).toThrow(/destinationRuleName is set \("x"\) but no DestinationRule is made/));
    test('an egress gateway for a service without HTTP port', () => {
      expect(() => make({ ports: [ServicePort.https(443)], egressGateway: {} })).toThrow(/egressGateway\.port is needed: the service has 0 HTTP ports/);
    });
    test('an egress gateway on a TLS port', () => expect(() => make({ egressGateway: { port: 443 } })).toThrow(/egressGateway\.port is the HTTPS port 443, but needs protocol HTTP/));
    test('an egress gateway for a wildcard host', () => {
      expect(() => make({ hosts: ['*.example.com'], egressGateway: {} })).toThrow(/egressGateway needs exactly one named host, got \["\*\.example\.com"\]/);
    });
    test('a bad egress gateway host', () => expect(() => make({ egressGateway: { gatewayHost: 'Egress GW' } })).toThrow(/egressGateway\.gatewayHost must be a DNS host name/));
    test('a bad subset name', () => expect(() => make({ egressGateway: { subset: 'API.v1' } })).toThrow(/egressGateway\.subset must be a DNS label/));
  });

  test('random hosts and ports with TLS origination render schema-valid and keep their values', () => {
    const batch = new SchemaBatch();
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const host = fc.array(label, { minLength: 2, maxLength: 4 }).map((p) => p.join('.'));
    const port = fc.integer({ min: 1, max: 65535 });
    fc.assert(fc.property(host, port, port, (h, from, to) => {
      fc.pre(from !== to);
      const chart = meshChart();
      new ExternalService(chart, 'ext', { hosts: [h], ports: [ServicePort.http(from), ServicePort.https(to)], tlsOrigination: { fromPort: from, toPort: to } });
      const out = batch.add('prop', Testing.synth(chart));
      expect(out[1].spec.http[0]).toEqual({ match: [{ port: from }], route: [{ destination: { host: h, port: { number: to } } }] });
      expect(out[2].spec.trafficPolicy.portLevelSettings).toEqual([{ port: { number: to }, tls: { mode: 'SIMPLE', caCertificates: 'system' } }]);
    }), { numRuns: 25 });
    expect(batch.problems()).toEqual([]);
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThan(0);
    expect(schemas.problems()).toEqual([]);
  });
});
