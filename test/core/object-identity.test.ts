import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { MeshConfigError } from '../../src/core/errors';
import { Mesh, useMesh } from '../../src/core/mesh';
import { ObservabilityStack } from '../../src/observability';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { LocalRateLimit, RateLimit } from '../../src/resilience';
import { LinkerdAccessPolicy } from '../../src/security/linkerd/server';
import { PeerAuthentication } from '../../src/security/istio/peer-authentication';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { IstioGateway } from '../../src/istio/gateway';
import { JaegerAllInOne } from '../../src/observability/telemetry/jaeger-all-in-one';
import { meshChart, reviewsService } from '../support/charts';

// "One object per identity": two constructs writing the same Kubernetes object (same group, kind,
// namespace and name) in charts applied together fail the synth, naming both constructs.

describe('one object per identity', () => {
  test('ServiceAlerts beside an ObservabilityStack on the same service: two PrometheusRules reviews-golden-signals', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new ObservabilityStack(c, 'obs', { services: [reviews], namespace: 'bookinfo' });
    new ServiceAlerts(c, 'alerts', { service: reviews });
    expect(() => Testing.synth(c)).toThrow(MeshConfigError);
    expect(() => Testing.synth(c)).toThrow(/test\/alerts\/Rule: writes PrometheusRule bookinfo\/reviews-golden-signals \(monitoring.coreos.com\/v1\), which test\/obs\/Alerts-bookinfo-reviews\/Rule also writes \(chart test\).*Fix: keep only one of the two constructs/);
  });

  test('two LocalRateLimits on one service: two EnvoyFilters reviews-local-ratelimit', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new LocalRateLimit(c, 'rl1', { service: reviews, limit: RateLimit.perSecond(10) });
    new LocalRateLimit(c, 'rl2', { service: reviews, limit: RateLimit.perSecond(20) });
    expect(() => Testing.synth(c)).toThrow(/test\/rl2: writes EnvoyFilter bookinfo\/reviews-local-ratelimit .*which test\/rl1 also writes/);
  });

  test('every duplicate is listed, not only the first', () => {
    const c = meshChart();
    for (const id of ['a', 'b', 'c']) new PeerAuthentication(c, id, { name: 'same' });
    let message = '';
    try {
      Testing.synth(c);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Validation failed with the following errors:',
      expect.stringMatching(/^ {2}test\/b: writes PeerAuthentication bookinfo\/same .*which test\/a also writes/),
      expect.stringMatching(/^ {2}test\/c: writes PeerAuthentication bookinfo\/same .*which test\/a also writes/),
    ]);
  });

  test('objects of other namespaces, names or kinds are different objects', () => {
    const c = meshChart();
    new PeerAuthentication(c, 'a', { name: 'same' });
    new PeerAuthentication(c, 'b', { name: 'same', namespace: 'other' });
    new PeerAuthentication(c, 'c', { name: 'other' });
    new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('two versions of one kind name the same object; cluster-scoped kinds ignore the namespace', () => {
    const c = meshChart();
    new PeerAuthentication(c, 'a', { name: 'same' });
    new ApiObject(c, 'beta', { apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'same' } });
    new ApiObject(c, 'ns1', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'a' } });
    new ApiObject(c, 'ns2', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'b' } });
    expect(() => Testing.synth(c)).toThrow(/test\/beta: writes PeerAuthentication bookinfo\/same \(security.istio.io\/v1beta1\), which test\/a also writes/);
    expect(() => Testing.synth(c)).toThrow(/test\/ns2: writes Namespace b\/shop \(v1\), which test\/ns1 also writes/);
  });

  describe('across charts', () => {
    function twoCharts(): { app: App; a: Chart; b: Chart } {
      const app = Testing.app();
      useMesh(app, Mesh.ISTIO);
      const a = new Chart(app, 'a', { namespace: 'bookinfo' });
      const b = new Chart(app, 'b', { namespace: 'bookinfo' });
      new PeerAuthentication(a, 'pa', { name: 'default' });
      new PeerAuthentication(b, 'pa', { name: 'default' });
      return { app, a, b };
    }

    test('charts without a dependency are alternatives (bookinfo\'s scenarios) and may define the same object', () => {
      const { app } = twoCharts();
      expect(() => app.synthYaml()).not.toThrow();
    });

    test('a chart and the chart it depends on are applied together', () => {
      const { app, a, b } = twoCharts();
      b.addDependency(a);
      expect(() => app.synthYaml()).toThrow(/b\/pa: writes PeerAuthentication bookinfo\/default .*which a\/pa also writes \(charts a and b, which are applied together\)/);
    });

    test('two charts one chart depends on are applied together; a dependency between their constructs counts', () => {
      const { app, a, b } = twoCharts();
      const top = new Chart(app, 'top');
      new PeerAuthentication(top, 'x', { name: 'x', namespace: 'bookinfo' }).node.addDependency(a);
      top.addDependency(b);
      expect(() => app.synthYaml()).toThrow(/charts a and b, which are applied together/);
    });

    test('a nested chart is synthesized with its parent', () => {
      const app = Testing.app();
      const parent = new Chart(app, 'parent', { namespace: 'bookinfo' });
      new PeerAuthentication(parent, 'pa', { name: 'default' });
      new PeerAuthentication(new Chart(parent, 'child', { namespace: 'bookinfo' }), 'pa', { name: 'default' });
      expect(() => app.synthYaml()).toThrow(/parent\/child\/pa: writes PeerAuthentication bookinfo\/default/);
    });
  });
});

describe('objects two constructs need are shared', () => {
  test('a Linkerd ServiceAuthorization and a LocalRateLimit on one port share the Server reviews-http', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    const productpage = new MeshService(c, 'productpage', { ports: [ServicePort.http(9080)] });
    new ServiceAuthorization(c, 'authz', { networkPolicies: false }).allow({ from: [productpage], to: reviews });
    const rl = new LocalRateLimit(c, 'rl', { service: reviews, limit: RateLimit.perSecond(10) });
    const servers = Testing.synth(c).filter((o) => o.kind === 'Server');
    expect(servers.map((s) => s.metadata.name)).toEqual(['reviews-http']);
    // the authorization decides who may call: the shared Server denies what it does not authorize
    expect(servers[0].spec).toEqual({ podSelector: { matchLabels: { app: 'reviews' } }, port: 9080, proxyProtocol: 'HTTP/1', accessPolicy: 'deny' });
    expect(rl.rateLimitPolicy!.toJson().spec.targetRef).toEqual({ group: 'policy.linkerd.io', kind: 'Server', name: 'reviews-http' });
  });

  test('the same, with the rate limit created first', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    const productpage = new MeshService(c, 'productpage', { ports: [ServicePort.http(9080)] });
    new LocalRateLimit(c, 'rl', { service: reviews, limit: RateLimit.perSecond(10) });
    new ServiceAuthorization(c, 'authz', { networkPolicies: false }).allow({ from: [productpage], to: reviews });
    const servers = Testing.synth(c).filter((o) => o.kind === 'Server');
    expect(servers.map((s) => [s.metadata.name, s.spec.accessPolicy])).toEqual([['reviews-http', 'deny']]);
  });

  test('a rate limit that insists on another access policy than the authorization fails, naming both', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    const productpage = new MeshService(c, 'productpage', { ports: [ServicePort.http(9080)] });
    new ServiceAuthorization(c, 'authz', { networkPolicies: false }).allow({ from: [productpage], to: reviews });
    expect(() => new LocalRateLimit(c, 'rl', { service: reviews, limit: RateLimit.perSecond(10), serverAccessPolicy: LinkerdAccessPolicy.ALL_UNAUTHENTICATED }))
      .toThrow(/test\/rl: serverAccessPolicy needs accessPolicy "all-unauthenticated" on the Server reviews-http, which test\/authz\/bookinfo-reviews shares with accessPolicy "deny"\. Fix: let one of them decide/);
  });
});

describe('object names their kind accepts', () => {
  test('a Service name must start with a letter (RFC 1035), even where the construct took a DNS label', () => {
    const c = meshChart();
    new JaegerAllInOne(c, 'jaeger', { name: '9jaeger' });
    expect(() => Testing.synth(c)).toThrow(/test\/jaeger\/Service: writes Service "9jaeger" \(7 characters\), but a Service name must be an RFC 1035 label .*Fix: shorten the names/);
  });

  test('names over the limit of their kind: 63 for a Service or Job, 52 for a CronJob, 253 otherwise', () => {
    const c = meshChart();
    new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${'a'.repeat(63)}` } });
    new ApiObject(c, 'cron', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c'.repeat(53) } });
    new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm'.repeat(200) } });
    new PeerAuthentication(c, 'pa', { name: 'p'.repeat(100) });
    let message = '';
    try {
      Testing.synth(c);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n').slice(1).map((l) => l.trim().split(':')[0])).toEqual(['test/svc', 'test/cron']);
  });
});

test('every validation error of the app is a MeshConfigError, in cdk8s\'s format, the constructs\' own first', () => {
  const c = meshChart();
  new IstioGateway(c, 'gw'); // no servers: a construct validation
  new PeerAuthentication(c, 'a', { name: 'same' });
  new PeerAuthentication(c, 'b', { name: 'same' });
  expect(() => Testing.synth(c)).toThrow(MeshConfigError);
  expect(() => Testing.synth(c)).toThrow(/^Validation failed with the following errors:\n {2}\[test\/gw\] test\/gw: servers must list at least one server.*\n {2}test\/b: writes PeerAuthentication/);
});

test('a construct validation alone also fails as a MeshConfigError', () => {
  const c = meshChart();
  new IstioGateway(c, 'gw');
  expect(() => Testing.synth(c)).toThrow(MeshConfigError);
  expect(() => c.node.root instanceof App && (c.node.root as App).synthYaml()).toThrow(MeshConfigError);
});
