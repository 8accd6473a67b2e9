import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryResolution, validateExportTo } from '../../src/istio/service-entry';
import { ServicePort } from '../../src/service/service-port';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('ServiceEntry', () => {
  test("bookinfo's googleapis entry: two ports, DNS resolution, no location (Istio's default)", () => {
    const chart = meshChart();
    new ServiceEntry(chart, 'googleapis', {
      hosts: ['www.googleapis.com'],
      ports: [ServicePort.http(80), ServicePort.https(443)],
      resolution: ServiceEntryResolution.DNS,
    });
    const out = schemas.add('googleapis', Testing.synth(chart));
    expect(out[0].apiVersion).toBe('networking.istio.io/v1');
    expect(out[0].metadata).toEqual({ name: 'googleapis', namespace: 'bookinfo' });
    expect(out[0].spec).toEqual({
      hosts: ['www.googleapis.com'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: 'DNS',
    });
    expect(out).toMatchSnapshot();
  });

  test('static endpoints, addresses, a target port, MESH_INTERNAL and exportTo', () => {
    const chart = meshChart();
    new ServiceEntry(chart, 'legacy-db', {
      hosts: ['db.legacy.internal'],
      addresses: ['10.10.0.0/16'],
      ports: [ServicePort.tcp(5432, { name: 'tcp-postgres', targetPort: 15432 })],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      endpoints: [{ address: '10.10.1.1', labels: { zone: 'a' } }, { address: '10.10.1.2', ports: { 'tcp-postgres': 6432 }, weight: 2 }],
      exportTo: ['.', 'payments'],
    });
    const out = schemas.add('static', Testing.synth(chart));
    expect(out[0].spec).toEqual({
      hosts: ['db.legacy.internal'],
      addresses: ['10.10.0.0/16'],
      ports: [{ number: 5432, name: 'tcp-postgres', protocol: 'TCP', targetPort: 15432 }],
      location: 'MESH_INTERNAL',
      resolution: 'STATIC',
      endpoints: [{ address: '10.10.1.1', labels: { zone: 'a' } }, { address: '10.10.1.2', ports: { 'tcp-postgres': 6432 }, weight: 2 }],
      exportTo: ['.', 'payments'],
    });
    expect(out).toMatchSnapshot();
  });

  test('a wildcard host with resolution NONE', () => {
    const chart = meshChart();
    const se = new ServiceEntry(chart, 'wikipedia', { hosts: ['*.wikipedia.org'], ports: [ServicePort.tls(443)], resolution: ServiceEntryResolution.NONE, location: ServiceEntryLocation.MESH_EXTERNAL });
    const out = schemas.add('wildcard', Testing.synth(chart));
    expect(out[0].spec).toEqual({ hosts: ['*.wikipedia.org'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], location: 'MESH_EXTERNAL', resolution: 'NONE' });
    expect(se.resolution).toBe(ServiceEntryResolution.NONE);
  });

  test('DNS endpoints by name, DNS_ROUND_ROBIN with one endpoint', () => {
    const chart = meshChart();
    new ServiceEntry(chart, 'api', { hosts: ['api.example.com'], ports: [ServicePort.https(443)], resolution: ServiceEntryResolution.DNS, endpoints: [{ address: 'eu.api.example.com' }, { address: 'us.api.example.com' }] });
    new ServiceEntry(chart, 'big', { hosts: ['big.example.com'], ports: [ServicePort.https(443)], resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'lb.big.example.com' }] });
    const out = schemas.add('dns-endpoints', Testing.synth(chart));
    expect(out[0].spec.endpoints).toEqual([{ address: 'eu.api.example.com' }, { address: 'us.api.example.com' }]);
    expect(out[1].spec.resolution).toBe('DNS_ROUND_ROBIN');
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new ServiceEntry(chart, 'api', { hosts: ['api.example.com'], ports: [ServicePort.https(443)] });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('validation', () => {
    const https = [ServicePort.https(443)];
    const make = (props: any) => new ServiceEntry(meshChart(), 'se', { hosts: ['api.example.com'], ports: https, ...props });
    test('no hosts', () => expect(() => make({ hosts: [] })).toThrow(/test\/se: hosts must list at least one host/));
    test("the host '*'", () => expect(() => make({ hosts: ['*'] })).toThrow(/hosts\[0\] cannot be '\*'/));
    test('a host that is not a DNS name', () => expect(() => make({ hosts: ['API.example.com'] })).toThrow(/hosts\[0\] must be a DNS host name/));
    test('a repeated host', () => expect(() => make({ hosts: ['a.example.com', 'a.example.com'] })).toThrow(/hosts repeats a host/));
    test('more than 256 hosts', () => expect(() => make({ hosts: Array.from({ length: 257 }, (_, i) => `h${i}.example.com`) })).toThrow(/lists 257 hosts, more than Istio's 256/));
    test('no ports', () => expect(() => make({ ports: [] })).toThrow(/ports must list at least one port/));
    test('a port that is not a ServicePort', () => expect(() => make({ ports: [443] })).toThrow(/ports\[0\] must be a ServicePort/));
    test('a repeated port number', () => expect(() => make({ ports: [ServicePort.https(443), ServicePort.tls(443)] })).toThrow(/ports\[1\] repeats the port https\(443\)/));
    test('an unknown location', () => expect(() => make({ location: 'OUTSIDE' })).toThrow(/location is not a location, got "OUTSIDE"/));
    test('an unknown resolution', () => expect(() => make({ resolution: 'MDNS' })).toThrow(/resolution is not a resolution, got "MDNS"/));
    test('DNS resolution with a wildcard host', () => {
      expect(() => make({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DNS })).toThrow(/resolution DNS cannot resolve the wildcard host "\*\.example\.com"\. Fix: use ServiceEntryResolution\.NONE/);
    });
    test('DNS_ROUND_ROBIN with a wildcard host', () => {
      expect(() => make({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DNS_ROUND_ROBIN })).toThrow(/DNS_ROUND_ROBIN cannot resolve the wildcard host/);
    });
    test('an address that is not an IP', () => expect(() => make({ addresses: ['example.com'] })).toThrow(/addresses\[0\] must be an IP address or CIDR block/));
    test('a CIDR with DNS resolution', () => expect(() => make({ addresses: ['10.0.0.0/8'], resolution: ServiceEntryResolution.DNS })).toThrow(/is the CIDR block "10\.0\.0\.0\/8", which needs resolution NONE or STATIC, not DNS/));
    test('endpoints with resolution NONE', () => expect(() => make({ endpoints: [{ address: '10.0.0.1' }] })).toThrow(/endpoints cannot be set with resolution NONE/));
    test('STATIC without endpoints', () => expect(() => make({ resolution: ServiceEntryResolution.STATIC })).toThrow(/endpoints are required with resolution STATIC/));
    test('STATIC with a host-name endpoint', () => {
      expect(() => make({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'db.example.com' }] })).toThrow(/endpoints\[0\]\.address must be an IP address with resolution STATIC/);
    });
    test('DNS_ROUND_ROBIN with two endpoints', () => {
      expect(() => make({ resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] })).toThrow(/lists 2 endpoints, but DNS_ROUND_ROBIN takes at most one/);
    });
    test('an endpoint port name the entry does not define', () => {
      expect(() => make({ resolution: ServiceEntryResolution.DNS, endpoints: [{ address: 'a.example.com', ports: { http: 8080 } }] })).toThrow(/endpoints\[0\]\.ports names the port "http", which the entry does not define \(ports: https\)/);
    });
    test('an endpoint port out of range', () => {
      expect(() => make({ resolution: ServiceEntryResolution.DNS, endpoints: [{ address: 'a.example.com', ports: { https: 70000 } }] })).toThrow(/endpoints\[0\]\.ports\.https must be a whole number from 1 to 65535/);
    });
    test('an endpoint without address', () => expect(() => make({ resolution: ServiceEntryResolution.DNS, endpoints: [{ address: '' }] })).toThrow(/endpoints\[0\]\.address is required/));
    test('a bad exportTo entry', () => expect(() => make({ exportTo: ['Payments'] })).toThrow(/exportTo\[0\] must be a DNS label/));
    test("exportTo mixing '*' with namespaces", () => expect(() => make({ exportTo: ['*', 'payments'] })).toThrow(/exportTo mixes '\*' with other entries/));
  });

  describe('properties', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
    const host = fc.array(label, { minLength: 2, maxLength: 4 }).map((p) => p.join('.'));
    const octet = fc.integer({ min: 0, max: 255 });
    const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    test('random valid entries render their hosts, ports and endpoints unchanged', () => {
      const batch = new SchemaBatch();
      fc.assert(fc.property(
        fc.uniqueArray(host, { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
        fc.array(ip, { minLength: 1, maxLength: 3 }),
        (hosts, ports, ips) => {
          const chart = meshChart();
          new ServiceEntry(chart, 'se', {
            hosts, ports: ports.map((p) => ServicePort.tcp(p, { name: `tcp-${p}` })), resolution: ServiceEntryResolution.STATIC, endpoints: ips.map((address) => ({ address })),
          });
          const [o] = batch.add('prop', Testing.synth(chart));
          expect(o.spec.hosts).toEqual(hosts);
          expect(o.spec.ports.map((p: any) => p.number)).toEqual(ports);
          expect(o.spec.endpoints.map((e: any) => e.address)).toEqual(ips);
        },
      ), { numRuns: 30 });
      expect(batch.problems()).toEqual([]);
    });
    test('validateExportTo accepts namespace names and rejects anything else', () => {
      fc.assert(fc.property(fc.uniqueArray(label, { minLength: 1, maxLength: 4 }), (nss) => {
        expect(validateExportTo('t', 'exportTo', nss)).toEqual(nss);
        expect(() => validateExportTo('t', 'exportTo', [...nss, `${nss[0]}_x`])).toThrow(/t: exportTo\[\d\] must be a DNS label/);
      }));
    });
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThan(0);
    expect(schemas.problems()).toEqual([]);
  });
});
