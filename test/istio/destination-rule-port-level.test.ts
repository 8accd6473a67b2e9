import { Testing } from 'cdk8s';
import { DestinationRule } from '../../src/istio/destination-rule';
import { ClientTls } from '../../src/security/client-tls';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('DestinationRule port-level settings', () => {
  test("bookinfo's originate-tls-for-googleapis: a load balancer and SIMPLE TLS on port 443", () => {
    const chart = meshChart();
    new DestinationRule(chart, 'originate-tls-for-googleapis', {
      host: 'www.googleapis.com',
      trafficPolicy: { loadBalancer: LoadBalancer.ROUND_ROBIN },
      portLevelSettings: [{ port: 443, originateTls: true }],
    });
    const out = schemas.add('googleapis', Testing.synth(chart));
    expect(out[0].spec).toEqual({
      host: 'www.googleapis.com',
      trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' }, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', caCertificates: 'system' } }] },
    });
    expect(out).toMatchSnapshot();
  });

  test('client TLS settings and a load balancer per port, without a rule-wide policy', () => {
    const chart = meshChart();
    const dr = new DestinationRule(chart, 'db', { host: 'db.example.com' });
    dr.addPortLevelSettings({ port: 5432, tls: ClientTls.simple({ caCertificates: '/etc/certs/ca.pem', sni: 'db.example.com' }) });
    dr.addPortLevelSettings({ port: 8080, loadBalancer: LoadBalancer.LEAST_REQUEST });
    const out = schemas.add('ports', Testing.synth(chart));
    expect(out[0].spec.trafficPolicy).toEqual({
      portLevelSettings: [
        { port: { number: 5432 }, tls: { mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem', sni: 'db.example.com' } },
        { port: { number: 8080 }, loadBalancer: { simple: 'LEAST_REQUEST' } },
      ],
    });
    expect(dr.portLevelSettings.map((p) => p.port)).toEqual([5432, 8080]);
  });

  describe('validation', () => {
    const dr = () => new DestinationRule(meshChart(), 'dr', { host: 'api.example.com' });
    test('a port out of range', () => expect(() => dr().addPortLevelSettings({ port: 70000 })).toThrow(/test\/dr: portLevelSettings\[0\]\.port must be a port number from 1 to 65535, got 70000/));
    test('a repeated port', () => {
      const d = dr();
      d.addPortLevelSettings({ port: 443, originateTls: true });
      expect(() => d.addPortLevelSettings({ port: 443 })).toThrow(/portLevelSettings\[1\]\.port repeats the port 443/);
    });
    test('originateTls together with tls', () => {
      expect(() => dr().addPortLevelSettings({ port: 443, originateTls: true, tls: ClientTls.istioMutual() })).toThrow(/originateTls cannot be combined with tls/);
    });
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.problems()).toEqual([]);
  });
});
