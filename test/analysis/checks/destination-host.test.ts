import { destinationHostAnalyzer } from '../../../src/analysis/checks/destination-host';
import { Severity } from '../../../src/analysis/finding';
import { healthyReviews, route, service, serviceEntry, virtualService } from '../fixtures';
import { run } from './helpers';

const toRatings = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'ratings' })] });

describe('IST0101 destination host', () => {
  test('an unknown host is an error when the set holds Services', () => {
    const findings = run(destinationHostAnalyzer, [service('reviews', [{ port: 9080, name: 'http' }]), toRatings]);
    expect(findings).toEqual([expect.objectContaining({ code: 'IST0101', severity: Severity.ERROR, resource: 'VirtualService default/reviews' })]);
    expect(findings[0].message).toMatch(/^http\[0\]\.route\[0\] routes to host ratings \(ratings.default.svc.cluster.local\), which is not a Service or ServiceEntry host in the set\. Fix: .*--known-host/);
  });

  test('only a warning when the set holds no Service and no known host was declared', () => {
    const findings = run(destinationHostAnalyzer, [toRatings]);
    expect(findings.map((f) => f.severity)).toEqual([Severity.WARNING]);
    expect(findings[0].message).toMatch(/a warning because the set holds no Services/);
  });

  test('known hosts, ServiceEntry hosts (incl. wildcards) and istio-system services count as existing', () => {
    expect(run(destinationHostAnalyzer, [toRatings], { knownHosts: ['ratings.default.svc.cluster.local'] })).toEqual([]);
    expect(run(destinationHostAnalyzer, [toRatings], { knownHosts: ['reviews.default.svc.cluster.local'] }).map((f) => f.severity)).toEqual([Severity.ERROR]);
    const external = virtualService('api', { hosts: ['api.example.com'], http: [route({ host: 'eu.api.example.com' })] });
    expect(run(destinationHostAnalyzer, [service('x', [{ port: 80, name: 'http' }]), serviceEntry('api', ['*.api.example.com']), external])).toEqual([]);
    const egress = virtualService('egress', { hosts: ['httpbin.org'], http: [route({ host: 'istio-egressgateway.istio-system.svc.cluster.local' })] });
    expect(run(destinationHostAnalyzer, [service('x', [{ port: 80, name: 'http' }]), egress])).toEqual([]);
  });

  test('one finding per unknown host of a VirtualService, listing every place it is named', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'ratings', weight: 50 }, { host: 'ratings.default.svc.cluster.local', weight: 50 }), route({ host: 'details' })] });
    expect(run(destinationHostAnalyzer, [vs]).map((f) => f.message.split(',').slice(0, 2).join(',').split(' (')[0])).toEqual([
      'http[0].route[0], http[0].route[1] route to host ratings',
      'http[1].route[0] routes to host details',
    ]);
  });

  test('an external host a VirtualService routes to itself still needs a ServiceEntry (as Istio reports)', () => {
    const vs = virtualService('httpbin', { hosts: ['httpbin.org'], http: [{ ...route({ host: 'httpbin.org' }), timeout: '3s' }] });
    expect(run(destinationHostAnalyzer, [service('x', [{ port: 80, name: 'http' }]), vs]).map((f) => f.message.split(',')[0])).toEqual(['http[0].route[0] routes to host httpbin.org (httpbin.org)']);
    expect(run(destinationHostAnalyzer, [service('x', [{ port: 80, name: 'http' }]), serviceEntry('httpbin', ['httpbin.org']), vs])).toEqual([]);
  });

  test("only the Services of Istio's gateways in istio-system are taken to exist, not every istio-system host", () => {
    const vs = (host: string) => virtualService('edge', { hosts: ['edge'], http: [route({ host })] });
    const x = service('x', [{ port: 80, name: 'http' }]);
    expect(run(destinationHostAnalyzer, [x, vs('istio-egressgateway.istio-system.svc.cluster.local')])).toEqual([]);
    expect(run(destinationHostAnalyzer, [x, vs('istiod.istio-system.svc.cluster.local')])).toHaveLength(1);
  });

  test("a TLS passthrough route to istiod (a primary exposing it to its remotes through the east-west gateway) is Istio's own Service", () => {
    const istiod = 'istiod.istio-system.svc.cluster.local';
    const vs = virtualService('istiod-vs', { hosts: ['*'], gateways: ['istiod-gateway'] });
    const expose = { ...vs, spec: { ...vs.spec, tls: [{ match: [{ port: 15012, sniHosts: ['*'] }], route: [{ destination: { host: istiod, port: { number: 15012 } } }] }] } };
    expect(run(destinationHostAnalyzer, [service('x', [{ port: 80, name: 'http' }]), expose])).toEqual([]);
  });

  test('a port the Service does not expose is an error', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', port: 8080 })] });
    const findings = run(destinationHostAnalyzer, [service('reviews', [{ port: 9080, name: 'http' }]), vs]);
    expect(findings.map((f) => f.message)).toEqual(['http[0].route[0] routes to port 8080 of reviews.default.svc.cluster.local, which Service default/reviews does not expose (ports: 9080). Fix: use one of the Service\'s ports']);
  });

  test('routes to Services of the set raise nothing; mirror hosts are checked', () => {
    expect(run(destinationHostAnalyzer, healthyReviews())).toEqual([]);
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [{ ...route({ host: 'reviews' }), mirror: { host: 'reviews-shadow' } }] });
    expect(run(destinationHostAnalyzer, [service('reviews', [{ port: 9080, name: 'http' }]), vs]).map((f) => f.message)).toEqual([expect.stringMatching(/^http\[0\]\.mirror routes to host reviews-shadow/)]);
  });

  test('the Services a Flagger Canary creates (<service>-primary, -canary) count as existing in its namespace', () => {
    const canary = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'reviews', namespace: 'default' }, spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews' }, service: { port: 9080 } } };
    const preview = virtualService('reviews-root', { hosts: ['reviews'], http: [route({ host: 'reviews-canary' }), route({ host: 'reviews-primary' })] });
    const base = [service('reviews', [{ port: 9080, name: 'http' }]), preview];
    expect(run(destinationHostAnalyzer, base).map((f) => f.message.split(' (')[0])).toEqual(['http[0].route[0] routes to host reviews-canary', 'http[1].route[0] routes to host reviews-primary']);
    expect(run(destinationHostAnalyzer, [...base, canary])).toEqual([]);
    // spec.service.name names the Services; another namespace's Canary does not count
    expect(run(destinationHostAnalyzer, [...base, { ...canary, spec: { ...canary.spec, service: { name: 'reviews', port: 9080 } } }])).toEqual([]);
    expect(run(destinationHostAnalyzer, [...base, { ...canary, metadata: { name: 'reviews', namespace: 'other' } }])).toHaveLength(2);
  });
});

describe('IST0101 destination host: exportTo', () => {
  const withAnnotation = (m: any, exportTo: string) => ({ ...m, metadata: { ...m.metadata, annotations: { 'networking.istio.io/exportTo': exportTo } } });
  const toPayments = (ns: string, extra: any = {}) => virtualService('pay', { hosts: ['pay'], http: [route({ host: 'payments.billing.svc.cluster.local' })], ...extra }, ns);
  const payments = service('payments', [{ port: 8080, name: 'http' }], { app: 'payments' }, 'billing');

  test('a Service exported only to other namespaces is not seen', () => {
    const hidden = withAnnotation(payments, 'billing,audit');
    expect(run(destinationHostAnalyzer, [hidden, toPayments('audit')])).toEqual([]);
    expect(run(destinationHostAnalyzer, [hidden, toPayments('billing')])).toEqual([]);
    const findings = run(destinationHostAnalyzer, [hidden, toPayments('shop')]);
    expect(findings.map((f) => f.resource)).toEqual(['VirtualService shop/pay']);
    expect(findings[0].message).toMatch(/Service billing\/payments does not export to namespace shop \(its exportTo: billing, audit\)/);
    expect(run(destinationHostAnalyzer, [withAnnotation(payments, '.'), toPayments('shop')])).toHaveLength(1);
  });

  test('a ServiceEntry exported to its own namespace is not seen from others, wildcards included', () => {
    const local = (hosts: string[]) => ({ ...serviceEntry('ext', hosts, [443], 'ops'), spec: { ...serviceEntry('ext', hosts, [443], 'ops').spec, exportTo: ['.'] } });
    const toApi = (ns: string) => virtualService('api', { hosts: ['api'], http: [route({ host: 'api.example.com' })] }, ns);
    const x = service('x', [{ port: 80, name: 'http' }]);
    expect(run(destinationHostAnalyzer, [x, local(['api.example.com']), toApi('ops')])).toEqual([]);
    expect(run(destinationHostAnalyzer, [x, local(['api.example.com']), toApi('shop')]).map((f) => f.resource)).toEqual(['VirtualService shop/api']);
    expect(run(destinationHostAnalyzer, [x, local(['*']), toApi('shop')]).map((f) => f.resource)).toEqual(['VirtualService shop/api']);
    const exported = { ...local(['api.example.com']), spec: { ...local(['api.example.com']).spec, exportTo: ['shop'] } };
    expect(run(destinationHostAnalyzer, [x, exported, toApi('shop')])).toEqual([]);
  });

  test("a VirtualService's exportTo decides where the host must be visible", () => {
    expect(run(destinationHostAnalyzer, [payments, toPayments('shop', { exportTo: ['nowhere'] })])).toEqual([]);
    const hidden = withAnnotation(payments, 'billing');
    expect(run(destinationHostAnalyzer, [hidden, toPayments('billing', { exportTo: ['.'] })])).toEqual([]);
    expect(run(destinationHostAnalyzer, [hidden, toPayments('billing', { exportTo: ['nowhere'] })]).map((f) => f.message)).toEqual([
      expect.stringMatching(/does not export to the namespaces the VirtualService is exported to \(nowhere\)/),
    ]);
  });

  test('a port a ServiceEntry does not list is an error', () => {
    const vs = virtualService('api', { hosts: ['api.example.com'], http: [route({ host: 'api.example.com', port: 8443 })] });
    expect(run(destinationHostAnalyzer, [serviceEntry('api', ['api.example.com'], [443]), vs]).map((f) => f.message)).toEqual([
      expect.stringMatching(/routes to port 8443 of api.example.com, which ServiceEntry default\/api does not expose \(ports: 443\)/),
    ]);
  });
});
