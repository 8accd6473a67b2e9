import { Testing } from 'cdk8s';
import { OutboundTrafficPolicyMode, Sidecar } from '../../src/istio/sidecar';
import { ServicePort } from '../../src/service/service-port';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('Sidecar', () => {
  test('a namespace-wide REGISTRY_ONLY sidecar reaching its namespace and istio-system', () => {
    const chart = meshChart();
    new Sidecar(chart, 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: OutboundTrafficPolicyMode.REGISTRY_ONLY });
    const out = schemas.add('namespace', Testing.synth(chart));
    expect(out[0].apiVersion).toBe('networking.istio.io/v1');
    expect(out[0].metadata).toEqual({ name: 'default', namespace: 'bookinfo' });
    expect(out[0].spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(out).toMatchSnapshot();
  });

  test('a workload selector, a port-specific listener and hosts added later', () => {
    const chart = meshChart();
    const sc = new Sidecar(chart, 'ratings', { workloadSelector: { app: 'ratings' }, outboundTrafficPolicy: OutboundTrafficPolicyMode.ALLOW_ANY });
    sc.addEgress({ port: ServicePort.tcp(27017, { name: 'tcp-mongo' }), hosts: ['prod/mongo.prod.svc.cluster.local'] });
    sc.addHosts('./*');
    sc.addHosts('./*', '*/api.example.com');
    const out = schemas.add('selector', Testing.synth(chart));
    expect(out[0].spec).toEqual({
      workloadSelector: { labels: { app: 'ratings' } },
      egress: [
        { port: { number: 27017, name: 'tcp-mongo', protocol: 'TCP' }, hosts: ['prod/mongo.prod.svc.cluster.local'] },
        { hosts: ['./*', '*/api.example.com'] },
      ],
      outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
    });
    expect(sc.egress).toHaveLength(2);
    expect(out).toMatchSnapshot();
  });

  test('hosts a namespace wildcard of the same listener covers are not rendered (Istio warns "duplicated egress host")', () => {
    const chart = meshChart();
    const sc = new Sidecar(chart, 'default');
    sc.addHosts('bookinfo/reviews.bookinfo.svc.cluster.local', './*', 'istio-system/*', 'bookinfo/api.example.com', 'istio-system/istiod', 'shop/api.example.com', '*/api.example.com');
    const out = schemas.add('covered-hosts', Testing.synth(chart));
    expect(out[0].spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*', 'shop/api.example.com', '*/api.example.com'] }]);
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new Sidecar(chart, 'default', { egress: [{ hosts: ['./*'] }] });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('validation', () => {
    const sc = () => new Sidecar(meshChart(), 'default');
    test('an empty workload selector', () => expect(() => new Sidecar(meshChart(), 's', { workloadSelector: {} })).toThrow(/test\/s: workloadSelector must not be empty/));
    test('a wildcard in the workload selector', () => expect(() => new Sidecar(meshChart(), 's', { workloadSelector: { app: 'a*' } })).toThrow(/workloadSelector\.app must not contain a wildcard/));
    test('an unknown outbound mode', () => expect(() => new Sidecar(meshChart(), 's', { outboundTrafficPolicy: 'DENY' as any })).toThrow(/outboundTrafficPolicy is not a mode, got "DENY"/));
    test('a listener without hosts', () => expect(() => sc().addEgress({ hosts: [] })).toThrow(/egress\[0\]\.hosts must list at least one host/));
    test('a host without namespace', () => expect(() => sc().addEgress({ hosts: ['api.example.com'] })).toThrow(/egress\[0\]\.hosts\[0\] must have the form <namespace>\/<host>, got "api\.example\.com"\. Fix: prefix the host/));
    test('a repeated host', () => expect(() => sc().addEgress({ hosts: ['./*', './*'] })).toThrow(/egress\[0\]\.hosts repeats a host/));
    test('a port that is not a ServicePort', () => expect(() => sc().addEgress({ hosts: ['./*'], port: 80 as any })).toThrow(/egress\[0\]\.port must be a ServicePort/));
    test('two catch-all listeners', () => {
      const s = sc();
      s.addEgress({ hosts: ['./*'] });
      expect(() => s.addEgress({ hosts: ['istio-system/*'] })).toThrow(/egress\[1\]\.port is omitted twice: only one egress listener may cover all ports/);
    });
    test('two listeners on one port', () => {
      const s = sc();
      s.addEgress({ hosts: ['./*'], port: ServicePort.http(80) });
      expect(() => s.addEgress({ hosts: ['istio-system/*'], port: ServicePort.http(80) })).toThrow(/egress\[1\]\.port repeats the port 80/);
    });
    test('addHosts with a bad host', () => {
      const s = sc();
      s.addHosts('./*');
      expect(() => s.addHosts('nope')).toThrow(/egress\[0\]\.hosts must have the form <namespace>\/<host>/);
    });
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThan(0);
    expect(schemas.problems()).toEqual([]);
  });
});

test('two namespace-wide Sidecars in one namespace', () => {
  const chart = meshChart();
  new Sidecar(chart, 'default', { egress: [{ hosts: ['./*'] }] });
  new Sidecar(chart, 'other', { egress: [{ hosts: ['./*'] }] });
  new Sidecar(chart, 'scoped', { egress: [{ hosts: ['./*'] }], workloadSelector: { app: 'x' } });
  expect(() => Testing.synth(chart)).toThrow(/test\/default: workloadSelector is missing, and test\/other also applies to every pod of namespace bookinfo: Istio uses only one of them/);
});

test('namespace-wide Sidecars in different namespaces', () => {
  const chart = meshChart();
  new Sidecar(chart, 'default', { egress: [{ hosts: ['./*'] }] });
  new Sidecar(chart, 'prod', { namespace: 'prod', egress: [{ hosts: ['./*'] }] });
  expect(Testing.synth(chart)).toHaveLength(2);
});
