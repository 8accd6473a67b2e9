import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { LocalRateLimit, RateLimit } from '../../src/resilience';
import { LinkerdAccessPolicy, LinkerdServer } from '../../src/security/linkerd/server';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('LocalRateLimit on Istio', () => {
  test('renders Istio\'s documented local rate limit EnvoyFilter on the inbound HTTP chain', () => {
    const c = meshChart();
    new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), burst: 50 });
    const out = batch.add('istio-rate-limit', Testing.synth(c));
    const [ef] = ofKind(out, 'EnvoyFilter');
    expect(ef.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(ef.metadata).toEqual({ name: 'reviews-local-ratelimit', namespace: 'bookinfo' });
    expect(ef.spec).toEqual({
      workloadSelector: { labels: { app: 'reviews' } },
      configPatches: [{
        applyTo: 'HTTP_FILTER',
        match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: 'envoy.filters.http.local_ratelimit',
            typed_config: {
              '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
              'type_url': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
              'value': {
                stat_prefix: 'http_local_rate_limiter',
                token_bucket: { max_tokens: 50, tokens_per_fill: 10, fill_interval: '1s' },
                filter_enabled: { runtime_key: 'local_rate_limit_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } },
                filter_enforced: { runtime_key: 'local_rate_limit_enforced', default_value: { numerator: 100, denominator: 'HUNDRED' } },
                response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: 'x-local-rate-limit', value: 'true' } }],
              },
            },
          },
        },
      }],
    });
    expect(out).toMatchSnapshot();
  });

  test('a port, a status, headers and a dry-run fraction', () => {
    const c = meshChart();
    new LocalRateLimit(c, 'rl', {
      service: reviewsService(c), limit: RateLimit.of(10, Duration.millis(500)), port: 9080, responseStatus: 503,
      responseHeaders: { 'x-rate-limited': 'reviews', 'retry-after': '1' }, enforcedPercent: 0,
    });
    const [ef] = ofKind(batch.add('istio-rate-limit-options', Testing.synth(c)), 'EnvoyFilter');
    const patch = ef.spec.configPatches[0];
    expect(patch.match.listener.portNumber).toBe(9080);
    const value = patch.patch.value.typed_config.value;
    expect(value.status).toEqual({ code: 503 });
    // Envoy reads a protobuf Duration in its JSON form: seconds, never '500ms' or '1m'.
    expect(value.token_bucket).toEqual({ max_tokens: 10, tokens_per_fill: 10, fill_interval: '0.5s' });
    expect(value.filter_enforced.default_value.numerator).toBe(0);
    expect(value.response_headers_to_add.map((h: any) => h.header.key)).toEqual(['retry-after', 'x-rate-limited']);
  });

  test('a limit per minute fills every 60s, a protobuf Duration Envoy accepts (not 1m)', () => {
    const c = meshChart();
    new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perMinute(600) });
    const [ef] = ofKind(Testing.synth(c), 'EnvoyFilter');
    expect(ef.spec.configPatches[0].patch.value.typed_config.value.token_bucket.fill_interval).toBe('60s');
  });

  test('rejects Linkerd-only settings', () => {
    const c = meshChart();
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), perClient: RateLimit.perSecond(1) }))
      .toThrow(/test\/rl: perClient cannot be rendered for istio: they are Linkerd HTTPLocalRateLimitPolicy settings/);
  });

  test('rejects a 2xx response status', () => {
    const c = meshChart();
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), responseStatus: 200 })).toThrow(/responseStatus must be a 4xx or 5xx status/);
  });

  test('rejects a port the service does not expose', () => {
    const c = meshChart();
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), port: 80 })).toThrow(/port is 80, which reviews does not expose/);
  });

  test('rejects a bucket smaller than one refill, which would cap the rate at the burst', () => {
    const c = meshChart();
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perMinute(600), burst: 50 }))
      .toThrow(/test\/rl: burst is 50, below the 600 requests the limit refills at once: .* at most 50 requests per period would pass\. Fix: raise burst to at least 600/);
  });

  test('rejects a bad burst', () => {
    const c = meshChart();
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), burst: 0 })).toThrow(/burst must be a whole number from 1/);
  });
});

describe('LocalRateLimit on Linkerd', () => {
  test('an HTTPLocalRateLimitPolicy targeting a Server it creates, with per-identity limits and overrides', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    const productpage = new MeshService(c, 'productpage', { ports: [ServicePort.http(9080)], serviceAccountName: 'bookinfo-productpage' });
    const other = new MeshService(c, 'batch', { namespace: 'jobs', ports: [ServicePort.http(8080)] });
    const rl = new LocalRateLimit(c, 'rl', {
      service: reviews, limit: RateLimit.perSecond(100), perClient: RateLimit.perSecond(20), serverAccessPolicy: LinkerdAccessPolicy.ALL_UNAUTHENTICATED,
      overrides: [{ limit: RateLimit.perSecond(50), clients: [productpage, other] }],
    });
    const out = batch.add('linkerd-rate-limit', Testing.synth(c));
    expect(ofKind(out, 'Server')[0]).toEqual({
      apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: { name: 'reviews-http', namespace: 'bookinfo' },
      spec: { podSelector: { matchLabels: { app: 'reviews' } }, port: 9080, accessPolicy: 'all-unauthenticated' },
    });
    expect(ofKind(out, 'HTTPLocalRateLimitPolicy')[0]).toEqual({
      apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'HTTPLocalRateLimitPolicy', metadata: { name: 'reviews-local-ratelimit', namespace: 'bookinfo' },
      spec: {
        targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'reviews-http' },
        total: { requestsPerSecond: 100 },
        identity: { requestsPerSecond: 20 },
        overrides: [{ requestsPerSecond: 50, clientRefs: [{ kind: 'ServiceAccount', name: 'bookinfo-productpage' }, { kind: 'ServiceAccount', name: 'batch', namespace: 'jobs' }] }],
      },
    });
    expect(rl.server?.name).toBe('reviews-http');
    expect(out).toMatchSnapshot();
  });

  test('in a deny-by-default namespace the Server it creates keeps deny (a Server replaces the namespace default)', () => {
    const c = meshChart(Mesh.LINKERD);
    new StrictMtlsNamespace(c, 'bookinfo');
    new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10) });
    expect(ofKind(Testing.synth(c), 'Server')[0].spec.accessPolicy).toBe('deny');
  });

  test('in a namespace that is not deny-by-default it keeps that namespace\'s policy, whatever the construct order', () => {
    const c = meshChart(Mesh.LINKERD);
    new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10) });
    new StrictMtlsNamespace(c, 'bookinfo', { denyByDefault: false });
    expect(ofKind(Testing.synth(c), 'Server')[0].spec.accessPolicy).toBe('all-authenticated');
  });

  test('without the namespace in the app, synth asks for serverAccessPolicy', () => {
    const c = meshChart(Mesh.LINKERD);
    new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10) });
    expect(() => Testing.synth(c)).toThrow(/test\/rl: serverAccessPolicy is needed: the Server reviews-http replaces the default inbound policy of namespace "bookinfo" for port http.*Fix: pass serverAccessPolicy/);
  });

  test('uses a given Server', () => {
    const c = meshChart(Mesh.LINKERD);
    const server = new LinkerdServer(c, 'server', { name: 'reviews-web', podSelector: { app: 'reviews' }, port: 9080, accessPolicy: LinkerdAccessPolicy.ALL_AUTHENTICATED });
    new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(5), server });
    const out = batch.add('linkerd-rate-limit-server', Testing.synth(c));
    expect(ofKind(out, 'Server')).toHaveLength(1);
    expect(ofKind(out, 'HTTPLocalRateLimitPolicy')[0].spec.targetRef.name).toBe('reviews-web');
  });

  test('rejects a rate that is not whole requests per second', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perMinute(100) }))
      .toThrow(/limit cannot be rendered for linkerd: Linkerd takes whole requests per second, got 100 per 60000ms/);
  });

  test('rejects a per-client limit above the total', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), perClient: RateLimit.perSecond(20) })).toThrow(/perClient \(20\/s\) is higher than the total limit \(10\/s\)/);
  });

  test('rejects Istio-only settings', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10), burst: 20 })).toThrow(/burst cannot be rendered for linkerd/);
  });

  test('needs a port when the service has several', () => {
    const c = meshChart(Mesh.LINKERD);
    const svc = new MeshService(c, 'api', { ports: [ServicePort.http(8080), ServicePort.grpc(9090)] });
    expect(() => new LocalRateLimit(c, 'rl', { service: svc, limit: RateLimit.perSecond(10) })).toThrow(/port is required: api has ports http\(8080\), grpc\(9090\)/);
  });
});

test('the Gateway API has no rate limiting', () => {
  const c = meshChart(Mesh.GATEWAY_API);
  expect(() => new LocalRateLimit(c, 'rl', { service: reviewsService(c), limit: RateLimit.perSecond(10) })).toThrow(/service cannot be rendered for the Gateway API \(GAMMA\): the Gateway API has no rate limiting/);
});

test('every scenario is schema-valid', () => {
  expect(batch.problems()).toEqual([]);
});
