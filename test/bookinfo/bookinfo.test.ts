import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { createApp } from '../../examples/bookinfo/main';
import { retryAmplificationAnalyzer } from '../../src/analysis/checks/retry-amplification';
import { ManifestIndex } from '../../src/analysis/manifest-index';
import { ExampleApp } from '../support/example-app';
import { SchemaBatch } from '../support/schema';

// The expected values are copied from Istio's samples (samples/bookinfo/platform/kube/*.yaml,
// samples/bookinfo/networking/*.yaml, samples/bookinfo/gateway-api/*.yaml, Istio 1.28).

const batch = new SchemaBatch();
const example = new ExampleApp('bookinfo', createApp);
const { app, outdir, charts } = example;
const chart = (name: string): any[] => example.chart(name);
const get = (chartName: string, kind: string, name: string): any => example.get(chartName, kind, name);

const ids = (chartName: string): string[] => example.ids(chartName);

const subset = (v: string) => ({ name: v, labels: { version: v } });
const to = (host: string, subsetName: string, weight?: number) => ({ destination: { host, subset: subsetName }, ...(weight !== undefined ? { weight } : {}) });
const jason = [{ headers: { 'end-user': { exact: 'jason' } } }];

/** destination-rule-all.yaml */
const UPSTREAM_SUBSETS: Record<string, string[]> = {
  productpage: ['v1'],
  reviews: ['v1', 'v2', 'v3'],
  ratings: ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm'],
  details: ['v1', 'v2'],
};

describe('bookinfo', () => {
  test('one chart per scenario, with the task file names', () => {
    expect([...charts.keys()].sort()).toEqual(expect.arrayContaining([
      'bookinfo', 'bookinfo-details-v2', 'bookinfo-gateway', 'destination-rule-all', 'destination-rule-all-mtls', 'egress-rule-google-apis', 'fault-injection-details-v1',
      'gateway-api-bookinfo-gateway', 'gateway-api-route-all-v1', 'gateway-api-route-reviews-50-v3',
      'gateway-api-route-reviews-90-10', 'gateway-api-route-reviews-v1', 'gateway-api-route-reviews-v3',
      'virtual-service-all-v1', 'virtual-service-details-v2', 'virtual-service-reviews-50-v3',
      'virtual-service-reviews-80-20', 'virtual-service-reviews-90-10', 'virtual-service-reviews-jason-v2-v3',
      'virtual-service-reviews-test-v2', 'virtual-service-reviews-v2-v3', 'virtual-service-reviews-v3',
      'virtual-service-ratings-test-delay', 'virtual-service-ratings-test-abort', 'bookinfo-linkerd', 'bookinfo-production',
    ]));
  });

  describe('the application (bookinfo.yaml, bookinfo-versions.yaml)', () => {
    const deployments: Array<[string, string, string]> = [
      ['details', 'v1', 'docker.io/istio/examples-bookinfo-details-v1:1.20.3'],
      ['ratings', 'v1', 'docker.io/istio/examples-bookinfo-ratings-v1:1.20.3'],
      ['reviews', 'v1', 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3'],
      ['reviews', 'v2', 'docker.io/istio/examples-bookinfo-reviews-v2:1.20.3'],
      ['reviews', 'v3', 'docker.io/istio/examples-bookinfo-reviews-v3:1.20.3'],
      ['productpage', 'v1', 'docker.io/istio/examples-bookinfo-productpage-v1:1.20.3'],
    ];

    test.each(deployments)('Deployment %s-%s: upstream image, labels, ServiceAccount and port', (svc, version, image) => {
      const d = get('bookinfo', 'Deployment', `${svc}-${version}`);
      expect(d.metadata.labels).toEqual({ app: svc, version });
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.selector).toEqual({ matchLabels: { app: svc, version } });
      expect(d.spec.template.metadata.labels).toEqual({ 'app': svc, version, 'sidecar.istio.io/inject': 'true' });
      const pod = d.spec.template.spec;
      expect(pod.serviceAccountName).toBe(`bookinfo-${svc}`);
      expect(pod.containers).toHaveLength(1);
      expect(pod.containers[0]).toMatchObject({ name: svc, image, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 9080, name: 'http' }] });
    });

    test('reviews keeps its upstream environment and writable directories; productpage its scrape annotations', () => {
      const reviews = get('bookinfo', 'Deployment', 'reviews-v2').spec.template.spec;
      expect(reviews.containers[0].env).toEqual([{ name: 'LOG_DIR', value: '/tmp/logs' }]);
      expect(reviews.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/opt/ibm/wlp/output', '/opt/ol/wlp/output']);
      expect(get('bookinfo', 'Deployment', 'productpage-v1').spec.template.metadata.annotations)
        .toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080', 'prometheus.io/path': '/metrics' });
    });

    test.each(['details', 'ratings', 'reviews', 'productpage'])('Service %s and ServiceAccount bookinfo-%s', (svc) => {
      const s = get('bookinfo', 'Service', svc);
      expect(s.metadata.labels).toEqual({ app: svc, service: svc });
      expect(s.spec.selector).toEqual({ app: svc });
      expect(s.spec.ports).toEqual([{ port: 9080, name: 'http', targetPort: 9080, appProtocol: 'http' }]);
      expect(get('bookinfo', 'ServiceAccount', `bookinfo-${svc}`).metadata.labels).toEqual({ account: svc });
    });

    test('per-version Services for the Gateway API routes', () => {
      for (const [svc, version] of deployments) {
        const s = get('bookinfo', 'Service', `${svc}-${version}`);
        expect(s.spec.selector).toEqual({ app: svc, version });
        expect(s.spec.ports).toEqual([{ port: 9080, name: 'http', targetPort: 9080, appProtocol: 'http' }]);
      }
    });

    test('no routing resources in the application chart', () => {
      expect(chart('bookinfo').map((o) => o.kind).filter((k) => !['ServiceAccount', 'Service', 'Deployment'].includes(k))).toEqual([]);
    });

    test('details v2 (bookinfo-details-v2.yaml) with DO_NOT_ENCRYPT', () => {
      const d = get('bookinfo-details-v2', 'Deployment', 'details-v2');
      expect(d.metadata.labels).toEqual({ app: 'details', version: 'v2' });
      expect(d.spec.template.spec.containers[0]).toMatchObject({
        image: 'docker.io/istio/examples-bookinfo-details-v2:1.20.3',
        env: [{ name: 'DO_NOT_ENCRYPT', value: 'true' }],
      });
      expect(chart('bookinfo-details-v2').filter((o) => o.kind === 'Deployment')).toHaveLength(1);
      expect(get('bookinfo-details-v2', 'Service', 'details')).toEqual(get('bookinfo', 'Service', 'details'));
    });
  });

  describe('destination rules (destination-rule-all.yaml)', () => {
    test.each(Object.entries(UPSTREAM_SUBSETS))('DestinationRule/%s', (svc, versions) => {
      expect(get('destination-rule-all', 'DestinationRule', svc).spec).toEqual({ host: svc, subsets: versions.map(subset) });
    });
    test.each(Object.entries(UPSTREAM_SUBSETS))('destination-rule-all-mtls: DestinationRule/%s with ISTIO_MUTUAL', (svc, versions) => {
      expect(get('destination-rule-all-mtls', 'DestinationRule', svc).spec).toEqual({ host: svc, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: versions.map(subset) });
    });
    test('nothing else', () => {
      expect(ids('destination-rule-all-mtls')).toEqual(ids('destination-rule-all'));
      expect(ids('destination-rule-all')).toEqual(['DestinationRule/details', 'DestinationRule/productpage', 'DestinationRule/ratings', 'DestinationRule/reviews']);
    });
  });

  describe('request routing', () => {
    test.each(['productpage', 'reviews', 'ratings', 'details'])('virtual-service-all-v1: VirtualService/%s → v1', (svc) => {
      expect(get('virtual-service-all-v1', 'VirtualService', svc).spec).toEqual({ hosts: [svc], http: [{ route: [to(svc, 'v1')] }] });
      expect(get('virtual-service-all-v1', 'DestinationRule', svc).spec.subsets).toEqual(UPSTREAM_SUBSETS[svc].map(subset));
    });

    test('virtual-service-reviews-test-v2: jason → v2, everyone else → v1', () => {
      expect(get('virtual-service-reviews-test-v2', 'VirtualService', 'reviews').spec).toEqual({
        hosts: ['reviews'],
        http: [{ match: jason, route: [to('reviews', 'v2')] }, { route: [to('reviews', 'v1')] }],
      });
      expect(ids('virtual-service-reviews-test-v2')).toEqual(['DestinationRule/reviews', 'VirtualService/reviews']);
    });
  });

  describe('traffic shifting', () => {
    const splits: Array<[string, Array<[string, number | undefined]>]> = [
      ['virtual-service-reviews-50-v3', [['v1', 50], ['v3', 50]]],
      ['virtual-service-reviews-v3', [['v3', undefined]]],
      ['virtual-service-reviews-80-20', [['v1', 80], ['v2', 20]]],
      ['virtual-service-reviews-90-10', [['v1', 90], ['v2', 10]]],
      ['virtual-service-reviews-v2-v3', [['v2', 50], ['v3', 50]]],
    ];
    test.each(splits)('%s', (name, weights) => {
      expect(get(name, 'VirtualService', 'reviews').spec).toEqual({ hosts: ['reviews'], http: [{ route: weights.map(([v, w]) => to('reviews', v, w)) }] });
      expect(ids(name)).toEqual(['DestinationRule/reviews', 'VirtualService/reviews']);
    });

    test('virtual-service-reviews-jason-v2-v3: jason → v2, everyone else → v3', () => {
      expect(get('virtual-service-reviews-jason-v2-v3', 'VirtualService', 'reviews').spec).toEqual({
        hosts: ['reviews'],
        http: [{ match: jason, route: [to('reviews', 'v2')] }, { route: [to('reviews', 'v3')] }],
      });
    });

    test('virtual-service-details-v2: details → v2', () => {
      expect(get('virtual-service-details-v2', 'VirtualService', 'details').spec).toEqual({ hosts: ['details'], http: [{ route: [to('details', 'v2')] }] });
    });
  });

  describe('fault injection', () => {
    const faultRoute = (fault: Record<string, unknown>) => ({
      hosts: ['ratings'],
      http: [{ match: jason, fault, route: [to('ratings', 'v1')] }, { route: [to('ratings', 'v1')] }],
    });
    test('virtual-service-ratings-test-delay: 7s for jason', () => {
      expect(get('virtual-service-ratings-test-delay', 'VirtualService', 'ratings').spec).toEqual(faultRoute({ delay: { fixedDelay: '7s', percentage: { value: 100 } } }));
      expect(get('virtual-service-ratings-test-delay', 'DestinationRule', 'ratings').spec.subsets).toEqual(UPSTREAM_SUBSETS.ratings.map(subset));
    });
    test('virtual-service-ratings-test-abort: HTTP 500 for jason', () => {
      expect(get('virtual-service-ratings-test-abort', 'VirtualService', 'ratings').spec).toEqual(faultRoute({ abort: { httpStatus: 500, percentage: { value: 100 } } }));
    });
    test('fault-injection-details-v1: HTTP 555 for every request, kept on v1', () => {
      expect(get('fault-injection-details-v1', 'VirtualService', 'details').spec).toEqual({
        hosts: ['details'],
        http: [{ fault: { abort: { httpStatus: 555, percentage: { value: 100 } } }, route: [to('details', 'v1')] }],
      });
      expect(get('fault-injection-details-v1', 'DestinationRule', 'details').spec).toEqual({ host: 'details', subsets: [subset('v1')] });
    });
  });

  describe('ingress (bookinfo-gateway.yaml)', () => {
    test('Gateway/bookinfo-gateway', () => {
      expect(get('bookinfo-gateway', 'Gateway', 'bookinfo-gateway').spec).toEqual({
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      });
    });
    test('VirtualService/bookinfo with productpage\'s paths', () => {
      expect(get('bookinfo-gateway', 'VirtualService', 'bookinfo').spec).toEqual({
        hosts: ['*'],
        gateways: ['bookinfo-gateway'],
        http: [{
          match: [
            // Prefixes select whole segments (exact + prefix with '/'), unlike the sample's `prefix`.
            { uri: { exact: '/productpage' } }, { uri: { exact: '/static' } }, { uri: { prefix: '/static/' } }, { uri: { exact: '/login' } },
            { uri: { exact: '/logout' } }, { uri: { exact: '/api/v1/products' } }, { uri: { prefix: '/api/v1/products/' } },
          ],
          route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
        }],
      });
      expect(ids('bookinfo-gateway')).toEqual(['Gateway/bookinfo-gateway', 'VirtualService/bookinfo']);
    });
  });

  describe('egress with TLS origination', () => {
    test('ServiceEntry/googleapis', () => {
      expect(get('egress-rule-google-apis', 'ServiceEntry', 'googleapis').spec).toEqual({
        hosts: ['www.googleapis.com'],
        location: 'MESH_EXTERNAL',
        ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
        resolution: 'DNS',
      });
    });
    test('VirtualService/rewrite-port-for-googleapis', () => {
      expect(get('egress-rule-google-apis', 'VirtualService', 'rewrite-port-for-googleapis').spec).toEqual({
        hosts: ['www.googleapis.com'],
        http: [{ match: [{ port: 80 }], route: [{ destination: { host: 'www.googleapis.com', port: { number: 443 } } }] }],
      });
    });
    test('DestinationRule/originate-tls-for-googleapis', () => {
      expect(get('egress-rule-google-apis', 'DestinationRule', 'originate-tls-for-googleapis').spec).toEqual({
        host: 'www.googleapis.com',
        trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' }, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', caCertificates: 'system' } }] },
      });
    });
  });

  describe('Gateway API (samples/bookinfo/gateway-api)', () => {
    test('Gateway/bookinfo-gateway and HTTPRoute/bookinfo', () => {
      expect(get('gateway-api-bookinfo-gateway', 'Gateway', 'bookinfo-gateway').spec).toEqual({
        gatewayClassName: 'istio',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
      });
      const route = get('gateway-api-bookinfo-gateway', 'HTTPRoute', 'bookinfo').spec;
      expect(route.parentRefs).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'bookinfo-gateway' })]);
      expect(route.rules).toEqual([{
        matches: [
          { path: { type: 'Exact', value: '/productpage' } }, { path: { type: 'PathPrefix', value: '/static' } },
          { path: { type: 'Exact', value: '/login' } }, { path: { type: 'Exact', value: '/logout' } },
          { path: { type: 'PathPrefix', value: '/api/v1/products' } },
        ],
        backendRefs: [expect.objectContaining({ name: 'productpage', port: 9080 })],
      }]);
    });

    const reviewsRoutes: Array<[string, Array<[string, number | undefined]>]> = [
      ['gateway-api-route-reviews-v1', [['reviews-v1', undefined]]],
      ['gateway-api-route-reviews-90-10', [['reviews-v1', 90], ['reviews-v2', 10]]],
      ['gateway-api-route-reviews-50-v3', [['reviews-v1', 50], ['reviews-v3', 50]]],
      ['gateway-api-route-reviews-v3', [['reviews-v3', undefined]]],
    ];
    test.each(reviewsRoutes)('%s', (name, backends) => {
      const spec = get(name, 'HTTPRoute', 'reviews').spec;
      expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
      expect(spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: backends.map(([n, w]) => ({ group: '', kind: 'Service', name: n, port: 9080, weight: w ?? 1 })) }]);
      expect(ids(name)).toEqual(['HTTPRoute/reviews']);
    });

    test.each(['productpage', 'reviews', 'ratings', 'details'])('gateway-api-route-all-v1: HTTPRoute/%s → %s-v1', (svc) => {
      const spec = get('gateway-api-route-all-v1', 'HTTPRoute', svc).spec;
      expect(spec.parentRefs).toEqual([expect.objectContaining({ kind: 'Service', name: svc })]);
      expect(spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: `${svc}-v1`, port: 9080, weight: 1 }] }]);
    });
  });

  describe('Linkerd variant', () => {
    test('the same workloads with the Linkerd injection annotation, in their own namespace', () => {
      const deployments = chart('bookinfo-linkerd').filter((o) => o.kind === 'Deployment');
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
      for (const d of deployments) {
        expect(d.metadata.namespace).toBe('bookinfo-linkerd');
        expect(d.spec.template.metadata.annotations).toMatchObject({ 'linkerd.io/inject': 'enabled' });
        expect(d.spec.template.metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
      }
      expect(chart('bookinfo-linkerd').some((o) => String(o.apiVersion).includes('istio.io'))).toBe(false);
    });
    test('a reviews canary: jason on v2, 90/10 between the per-version Services', () => {
      const route = get('bookinfo-linkerd', 'HTTPRoute', 'reviews').spec;
      expect(route.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
      expect(route.rules.map((r: any) => ({ matches: r.matches, backends: r.backendRefs.map((b: any) => [b.name, b.port, b.weight]) }))).toEqual([
        { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }] }], backends: [['reviews-v2', 9080, 1]] },
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backends: [['reviews-v1', 9080, 90], ['reviews-v2', 9080, 10]] },
      ]);
      expect(get('bookinfo-linkerd', 'Service', 'reviews-v2').spec.selector).toEqual({ app: 'reviews', version: 'v2' });
    });
  });

  describe('production-grade variant', () => {
    const prod = 'bookinfo-production';
    test('a STRICT mTLS namespace that denies by default', () => {
      expect(get(prod, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
      expect(get(prod, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
      expect(get(prod, 'Namespace', 'bookinfo-prod').metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    });
    test('authorization along the call graph: ingress → productpage → details/reviews → ratings', () => {
      const from = (svc: string) => get(prod, 'AuthorizationPolicy', svc).spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals));
      expect(from('productpage')).toEqual(['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account']);
      expect(from('details')).toEqual(['cluster.local/ns/bookinfo-prod/sa/bookinfo-productpage']);
      expect(from('reviews')).toEqual(['cluster.local/ns/bookinfo-prod/sa/bookinfo-productpage']);
      expect(from('ratings')).toEqual(['cluster.local/ns/bookinfo-prod/sa/bookinfo-reviews']);
    });
    test('circuit breakers, retries and timeouts on the callees; reviews v3 at 10%', () => {
      for (const svc of ['details', 'reviews', 'ratings']) {
        expect(Object.keys(get(prod, 'DestinationRule', svc).spec.trafficPolicy).sort()).toEqual(['connectionPool', 'outlierDetection']);
      }
      const reviews = get(prod, 'VirtualService', 'reviews').spec.http[0];
      expect(reviews).toMatchObject({ timeout: '5s', retries: { attempts: 2, perTryTimeout: '1s500ms' } });
      expect(reviews.route).toEqual([to('reviews', 'v1', 90), to('reviews', 'v3', 10)]);
      expect(get(prod, 'VirtualService', 'ratings').spec.http[0]).toMatchObject({ timeout: '2s', retries: { attempts: 2, retryOn: 'connect-failure,refused-stream' } });
    });
    test('retries do not multiply along ingress → productpage → reviews → ratings (MESH0106)', () => {
      const findings = retryAmplificationAnalyzer.analyze(new ManifestIndex(chart(prod), 'bookinfo-prod'));
      expect(findings).toEqual([]);
    });
    test('productpage follows its load with a HorizontalPodAutoscaler; the other services run 2 pods', () => {
      expect(get(prod, 'HorizontalPodAutoscaler', 'productpage-v1').spec).toMatchObject({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'productpage-v1' }, minReplicas: 2, maxReplicas: 10,
      });
      expect(get(prod, 'Deployment', 'productpage-v1').spec.replicas).toBeUndefined();
      expect(get(prod, 'Deployment', 'details-v1').spec.replicas).toBe(2);
      expect(chart(prod).filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(1);
    });
    test('HTTPS at the edge with a redirect from HTTP', () => {
      const servers = get(prod, 'Gateway', 'bookinfo-gateway').spec.servers;
      expect(servers).toEqual([
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } },
        expect.objectContaining({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'bookinfo-credential' } }),
      ]);
    });
    test('observability: scraping, alerts and SLOs', () => {
      const kinds = new Set(chart(prod).map((o) => o.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['PodMonitor', 'ServiceMonitor', 'PrometheusRule', 'ConfigMap']));
      const rules = chart(prod).filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
      expect(rules.some((r: any) => String(r.record ?? '').includes('slo'))).toBe(true);
    });
  });

  describe('the reviews canary under Flagger (reviews-canary-flagger, -linkerd)', () => {
    test.each([['reviews-canary-flagger', 'istio'], ['reviews-canary-flagger-linkerd', 'gatewayapi:v1']])('%s: one target Deployment, autoscaled, and no route of ours named as Flagger\'s', (name, provider) => {
      const canary = get(name, 'Canary', 'reviews');
      expect(canary.spec.provider).toBe(provider);
      expect(canary.spec.targetRef.name).toBe('reviews');
      expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'reviews' });
      expect(canary.spec.service.timeout).toBe('5s');
      // thresholds from reviews' SLOs: 99.5% availability, 99% within 1 s
      expect(canary.spec.analysis.metrics.map((m: any) => m.thresholdRange)).toEqual([{ min: 0.995 }, { max: 1000 }]);
      expect(canary.spec.analysis.webhooks[0].url).toBe(`http://flagger-loadtester.${canary.metadata.namespace}/`);
      expect(chart(name).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['reviews']);
      const routes = chart(name).filter((o) => o.kind === 'VirtualService' || o.kind === 'HTTPRoute');
      if (provider !== 'istio') {
        // Linkerd: the preview header's rule to Flagger's reviews-canary, in an HTTPRoute beside Flagger's reviews
        expect(routes.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['HTTPRoute/reviews-routes']);
        expect(routes[0].spec.rules.map((r: any) => [r.matches[0].headers, r.backendRefs.map((b: any) => b.name)])).toEqual([[[{ name: 'x-canary', type: 'Exact', value: 'true' }], ['reviews-canary']]]);
        return;
      }
      // Istio: reviews' own route and the preview in the root reviews-root, the rest delegated to Flagger's reviews
      expect(canary.spec.service.delegation).toBe(true);
      expect(routes.map((o) => [o.metadata.name, o.spec.hosts, o.spec.http.map((r: any) => r.name)])).toEqual([['reviews-root', ['reviews'], ['chaos-tester', 'canary-preview', 'flagger']]]);
      expect(routes[0].spec.http[1].route).toEqual([{ destination: { host: 'reviews-canary' } }]);
      expect(routes[0].spec.http[2].delegate).toEqual({ name: 'reviews', namespace: 'bookinfo-flagger' });
    });
  });

  describe('the reviews canary under Argo Rollouts (reviews-canary-argo-rollouts, -linkerd)', () => {
    // what the Rollout names must exist in the shape Argo Rollouts needs before it sets any weight
    test('Istio: the VirtualService route the Rollout names holds both subsets, the canary at 0, and the DestinationRule both subsets', () => {
      const name = 'reviews-canary-argo-rollouts';
      const { istio } = get(name, 'Rollout', 'reviews').spec.strategy.canary.trafficRouting;
      const vs = get(name, 'VirtualService', istio.virtualService.name);
      const routes = vs.spec.http.filter((r: any) => istio.virtualService.routes.includes(r.name));
      expect(routes.map((r: any) => r.route)).toEqual([[
        { destination: { host: 'reviews', subset: istio.destinationRule.stableSubsetName }, weight: 100 },
        { destination: { host: 'reviews', subset: istio.destinationRule.canarySubsetName }, weight: 0 },
      ]]);
      const subsets = get(name, 'DestinationRule', istio.destinationRule.name).spec.subsets.map((s: any) => s.name);
      expect(subsets).toEqual(expect.arrayContaining([istio.destinationRule.stableSubsetName, istio.destinationRule.canarySubsetName]));
    });

    test('Linkerd: the HTTPRoute the plugin names has one rule over the stable and canary Services, the canary at 0', () => {
      const name = 'reviews-canary-argo-rollouts-linkerd';
      const { canaryService, stableService, trafficRouting } = get(name, 'Rollout', 'reviews').spec.strategy.canary;
      const [ref] = trafficRouting.plugins['argoproj-labs/gatewayAPI'].httpRoutes;
      const route = get(name, 'HTTPRoute', ref.name);
      // the plugin sets the weights of every rule naming the two Services (pkg/plugin/httproute.go setHTTPRouteWeight)
      const split = route.spec.rules.filter((r: any) => r.backendRefs.some((b: any) => [stableService, canaryService].includes(b.name)));
      expect(split.map((r: any) => r.backendRefs.map((b: any) => [b.name, b.weight]))).toEqual([[[stableService, 100], [canaryService, 0]]]);
      expect([stableService, canaryService].map((s) => get(name, 'Service', s).spec.selector)).toEqual([{ app: 'reviews' }, { app: 'reviews' }]);
    });
  });

  test('no chart holds two mesh VirtualServices for one host', () => {
    for (const [name, objects] of charts) {
      const hosts = objects.filter((o) => o.kind === 'VirtualService' && !o.spec.gateways?.length).flatMap((o) => o.spec.hosts);
      expect({ chart: name, duplicates: hosts.filter((h: string, i: number) => hosts.indexOf(h) !== i) }).toEqual({ chart: name, duplicates: [] });
    }
  });

  test('only v1 Istio APIs and Gateway API v1 are emitted', () => {
    const versions = new Set([...charts.values()].flat().map((o) => o.apiVersion).filter((v) => v.includes('istio.io') || v.includes('gateway.networking')));
    for (const v of versions) expect(v).toMatch(/\/v1$/);
  });

  test('the app synthesizes with the analysis passing, and the same twice', () => {
    app.synth();
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toContain('virtual-service-reviews-test-v2.k8s.yaml');
    const first = files.map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'));
    const again = createApp(fs.mkdtempSync(path.join(os.tmpdir(), 'bookinfo-')));
    expect(again.charts.map((c) => Testing.synth(c))).toEqual(app.charts.map((c) => Testing.synth(c)));
    expect(first.length).toBe(charts.size);
  });

  test.each([...charts.keys()])('snapshot %s', (name) => {
    batch.add(name, chart(name));
    expect(chart(name)).toMatchSnapshot();
  });

  test('every scenario is schema-valid', () => {
    expect(batch.size).toBe(charts.size);
    expect(batch.problems()).toEqual([]);
  });
});
