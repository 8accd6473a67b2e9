import { Chart, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { EgressScope } from '../../src/egress/egress-scope';
import { ExternalService } from '../../src/egress/external-service';
import { OutboundTrafficPolicyMode } from '../../src/istio/sidecar';
import { ServicePort } from '../../src/service/service-port';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe('EgressScope', () => {
  test('defaults: a namespace-wide Sidecar "default", own namespace and istio-system, REGISTRY_ONLY', () => {
    const chart = meshChart();
    const scope = new EgressScope(chart, 'egress');
    const out = schemas.add('defaults', Testing.synth(chart));
    expect(out.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual(['networking.istio.io/v1 Sidecar/default']);
    expect(out[0].metadata.namespace).toBe('bookinfo');
    expect(out[0].spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(scope.sidecar.name).toBe('default');
    expect(out).toMatchSnapshot();
  });

  test('external services, extra hosts and a workload selector', () => {
    const chart = meshChart();
    const shared = new Chart(chart.node.scope!, 'shared', { namespace: 'egress' });
    const googleapis = new ExternalService(shared, 'googleapis', { hosts: ['www.googleapis.com'], ports: [ServicePort.https(443)] });
    const local = new ExternalService(chart, 'stripe', { hosts: ['api.stripe.com'], ports: [ServicePort.https(443)], exportTo: ['.'] });
    const scope = new EgressScope(chart, 'reviews-egress', {
      name: 'reviews', workloadSelector: { app: 'reviews' }, hosts: ['payments/*'], externalServices: [googleapis], allowIstioSystem: false,
    });
    scope.allowExternalService(local);
    scope.allowHost('*/status.example.com');
    const out = schemas.add('services', Testing.synth(chart));
    expect(out.find((o) => o.kind === 'Sidecar').spec).toEqual({
      workloadSelector: { labels: { app: 'reviews' } },
      // bookinfo/api.stripe.com is the scope's own namespace, which ./* already covers.
      egress: [{ hosts: ['./*', 'payments/*', 'egress/www.googleapis.com', '*/status.example.com'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(out).toMatchSnapshot();
  });

  test('ALLOW_ANY keeps unknown hosts reachable', () => {
    const chart = meshChart();
    new EgressScope(chart, 'egress', { outboundTrafficPolicy: OutboundTrafficPolicyMode.ALLOW_ANY, allowOwnNamespace: false });
    expect(schemas.add('allow-any', Testing.synth(chart))[0].spec).toEqual({ egress: [{ hosts: ['istio-system/*'] }], outboundTrafficPolicy: { mode: 'ALLOW_ANY' } });
  });

  test('synthesizes the same output twice', () => {
    const chart = meshChart();
    new EgressScope(chart, 'egress');
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  describe('validation', () => {
    test.each([Mesh.GATEWAY_API, Mesh.LINKERD])('cannot be rendered for %s', (mesh) => {
      expect(() => new EgressScope(meshChart(mesh), 'egress')).toThrow(/test\/egress: hosts cannot be rendered for .*Istio's Sidecar resource.*Fix: render this chart for Istio/);
    });
    test('Cilium users are pointed at toFQDNs', () => {
      expect(() => new EgressScope(meshChart(Mesh.CILIUM), 'egress')).toThrow(/CiliumNetworkPolicy with toFQDNs/);
    });
    test('a host without namespace', () => expect(() => new EgressScope(meshChart(), 'egress', { hosts: ['api.example.com'] })).toThrow(/test\/egress: hosts\[0\] must have the form <namespace>\/<host>/));
    test('allowHost with a bad host', () => expect(() => new EgressScope(meshChart(), 'egress').allowHost('ns/Bad_Host')).toThrow(/host must be a DNS host name/));
    test('a bad namespace', () => expect(() => new EgressScope(meshChart(), 'egress', { namespace: 'Prod' })).toThrow(/namespace must be a DNS label/));
    test('nothing allowed at all', () => {
      const chart = meshChart();
      new EgressScope(chart, 'egress', { allowOwnNamespace: false, allowIstioSystem: false });
      expect(() => Testing.synth(chart)).toThrow(/test\/egress: hosts must allow at least one host/);
    });
    test('something that is not an ExternalService', () => {
      expect(() => new EgressScope(meshChart(), 'egress').allowExternalService({ hosts: ['x'] } as any)).toThrow(/externalServices must be ExternalServices, got \{"hosts":\["x"\]\}/);
    });
    test('an external service not exported to the namespace', () => {
      const chart = meshChart();
      const other = new Chart(chart.node.scope!, 'other', { namespace: 'egress' });
      const ext = new ExternalService(other, 'private', { hosts: ['private.example.com'], ports: [ServicePort.https(443)], exportTo: ['.'] });
      expect(() => new EgressScope(chart, 'egress', { externalServices: [ext] })).toThrow(/externalServices include .*private, which is not exported to namespace bookinfo.*Fix: add "bookinfo" to its exportTo/);
    });
  });

  test('every scenario is schema-valid', () => {
    expect(schemas.size).toBeGreaterThan(0);
    expect(schemas.problems()).toEqual([]);
  });
});
