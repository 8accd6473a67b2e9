import { App, Chart, Duration, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import fc from 'fast-check';
import {
  Caller, CircuitBreakerPolicy, CircuitBreakerPreset, Destination, ExternalService, HttpMethod, IngressApi, IngressGateway, LocalRateLimit, Match,
  Mesh, MeshService, Mirror, ObservabilityStack, RateLimit, RequestPath, RequestPolicy, RetryCondition, RetryOn, RetryPolicy, RouteTo, ServiceAuthorization, ServicePort,
  ServiceWorkloads, StrictMtlsNamespace, useMesh, AbTest, BlueGreenService, CanaryService, Color, FaultInjection,
  ArgoCdDestination, ArgoCdSyncWaves, Environment, GitOpsEnvironments, VpaUpdateMode,
} from '../../src';
import { addCanary, BAD_CANARY_PLACEMENTS, BAD_CANARY_VALUES, canaryPlan } from './random-canary';

// Random apps built through the public API: services with one or two ports and one to three
// versions, routes, a rollout pattern, resilience, security, observability, ingress and egress, on
// any of the four meshes; canaries under each engine (random-canary.ts); Argo CD sync waves, or the
// whole app as a GitOps environment with its Argo CD Application and ignore rules. Half of them carry
// one bad value, which must be refused.

export const MESHES = [Mesh.ISTIO, Mesh.GATEWAY_API, Mesh.LINKERD, Mesh.CILIUM];
const NAMES = ['web', 'reviews', 'ratings'];
const ROUTE_RETRIES = [
  new RetryPolicy({ attempts: 2, perTryTimeout: Duration.seconds(1) }),
  new RetryPolicy({ attempts: 3, retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR).withStatusCodes(429) }),
];
const VERSIONS = ['v1', 'v2', 'v3'];

/** One bad value and where it goes; each must end in a MeshConfigError. */
export const BAD_VALUES: Record<string, () => unknown> = {
  'path with a space': () => Match.path.prefix('/a b'),
  'path with a dot segment': () => Match.path.exact('/a/../b'),
  'path with an invalid escape': () => Match.path.prefix('/a%zz'),
  'path with a fragment': () => Match.path.prefix('/a#b'),
  'path with //': () => Match.path.prefix('/a//b'),
  'path over 1,024 characters': () => Match.path.prefix(`/${'a'.repeat(1024)}`),
  'empty header value': () => Match.header('x-user').exact(''),
  'header value over 4,096 characters': () => Match.header('x-user').exact('a'.repeat(4097)),
  'query name that is not a token': () => Match.queryParam('a b'),
  'look-around regex': () => Match.header('x-user').regex('a(?=b)'),
  'RE2 repeat over 1000': () => Match.path.regex('/a{1001}'),
  'JavaScript-only escape \\cA': () => Match.header('x-user').regex('\\cA'),
  'mirror percent over 100': () => Mirror.to(Destination.version('v2'), 150),
  'redirect with a bad path': () => RouteTo.redirect({ path: '/x y' }),
  ...BAD_CANARY_VALUES,
};
export const BAD_PLACEMENTS: Record<string, string> = {
  'redirect plus rewrite on an ingress route': 'ingress',
  'unknown version': 'route',
  'port the service lacks': 'pattern',
  'no port for a two-port service': 'pattern',
  'rate limit of zero': 'ratelimit',
  'timeout of zero': 'route',
  'weights not summing to 100': 'default route',
  ...Object.fromEntries(BAD_CANARY_PLACEMENTS.map((b) => [b, 'canary'])),
};

const plan = fc.record({
  mesh: fc.constantFrom(...MESHES),
  // the app deploys every service's workloads, or none (mesh configuration for workloads deployed elsewhere)
  workloads: fc.boolean(),
  services: fc.array(fc.record({ twoPorts: fc.boolean(), versions: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
  // a HorizontalPodAutoscaler per Deployment (its CPU target up to the default limit's share of the request, 1000%)
  autoscaling: fc.option(fc.record({ minReplicas: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 20 }), cpuUtilization: fc.integer({ min: 1, max: 1000 }) }), { nil: undefined }),
  // a VerticalPodAutoscaler per Deployment (under a canary engine it sizes what runs the pods)
  vpa: fc.option(fc.constantFrom(...Object.values(VpaUpdateMode)), { nil: undefined, freq: 2 }),
  routes: fc.array(fc.record({
    match: fc.oneof(
      fc.stringMatching(/^\/[a-z0-9]{1,6}(\/[a-z0-9._~-]{1,6}){0,2}$/).filter((p) => !/\/\.\.?(\/|$)/.test(p)).map((p) => ({ kind: 'prefix', value: p })),
      fc.stringMatching(/^\/[a-z0-9]{1,6}$/).map((p) => ({ kind: 'exact', value: p })),
      fc.tuple(fc.stringMatching(/^x-[a-z]{1,6}$/), fc.stringMatching(/^[A-Za-z0-9 ._-]{1,12}$/)).map(([n, v]) => ({ kind: 'header', name: n, value: v })),
      fc.tuple(fc.stringMatching(/^x-[a-z]{1,6}$/), fc.constantFrom('(?i)jason', '^[[:alpha:]]+$', 'v\\x{41}[0-9]{1,3}', '\\pL+')).map(([n, v]) => ({ kind: 'regex', name: n, value: v })),
      fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).map((n) => ({ kind: 'query', name: n, value: 'on' })),
      fc.constantFrom(HttpMethod.GET, HttpMethod.POST).map((m) => ({ kind: 'method', value: m })),
    ),
    version: fc.integer({ min: 0, max: 2 }),
    // a version of the service, the whole service (what Flagger keeps beside its split), another service or a redirect
    target: fc.constantFrom('version', 'version', 'service', 'other service', 'redirect'),
    timeoutMs: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: undefined }),
    retries: fc.boolean(),
    fault: fc.boolean(),
    mirrorPercent: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  }), { maxLength: 4 }),
  pattern: fc.constantFrom('none', 'canary', 'canary', 'canary', 'blue-green', 'ab-test'),
  canary: canaryPlan,
  requestPolicy: fc.option(fc.record({ timeoutS: fc.integer({ min: 1, max: 30 }), retries: fc.boolean(), connectMs: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }) }), { nil: undefined }),
  circuitBreaker: fc.option(fc.constantFrom(CircuitBreakerPreset.STANDARD, CircuitBreakerPreset.AGGRESSIVE), { nil: undefined }),
  rateLimit: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
  strictMtls: fc.boolean(),
  allow: fc.array(fc.record({ from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 2 }), get: fc.boolean(), path: fc.option(fc.stringMatching(/^\/[a-z]{1,6}$/), { nil: undefined }) }), { maxLength: 3 }),
  observability: fc.boolean(),
  ingress: fc.boolean(),
  egress: fc.boolean(),
  // none, sync waves on the chart, or the app as the environments dev and prod of GitOpsEnvironments (waves on, an Application each)
  gitops: fc.constantFrom('none', 'waves', 'environments'),
  bad: fc.option(fc.constantFrom(...Object.keys(BAD_VALUES), ...Object.keys(BAD_PLACEMENTS)), { nil: undefined, freq: 2 }),
});

export type Plan = typeof plan extends fc.Arbitrary<infer T> ? T : never;

/** Random plans, half of them with one bad value. */
export const plans: fc.Arbitrary<Plan> = plan;

function match(m: Plan['routes'][number]['match']): Match {
  switch (m.kind) {
    case 'prefix': return Match.path.prefix(m.value as string);
    case 'exact': return Match.path.exact(m.value as string);
    case 'header': return Match.header((m as any).name).exact(m.value as string);
    case 'regex': return Match.header((m as any).name).regex(m.value as string);
    case 'query': return Match.queryParam((m as any).name).exact(m.value as string);
    default: return Match.method(m.value as HttpMethod);
  }
}

/** A built app: the charts whose objects are applied together (the app's, and the Argo CD objects when it is a GitOps environment). */
export interface BuiltApp { readonly charts: Chart[] }

/**
 * Builds the app a plan describes (in one chart `app`, namespace `shop`; as GitOps environments, the
 * prod environment's chart and the Argo CD Applications); throws what the library throws.
 */
export function buildApp(p: Plan): BuiltApp {
  if (p.gitops !== 'environments') {
    const app = Testing.app();
    return { charts: [buildChart(app, p)] };
  }
  const charts: Chart[] = [];
  const gitops = new GitOpsEnvironments({
    name: 'shop', outdir: 'fuzz-gitops', argoCd: { repoUrl: 'https://github.com/acme/deploy.git' },
    // two clusters: two Applications never apply one object to one cluster
    environments: [new Environment({ name: 'dev', destination: ArgoCdDestination.toServer('https://dev.example.com:6443') }), new Environment({ name: 'prod' })],
    builder: { buildEnvironment: (app: App) => { charts.push(buildChart(app, p)); } },
  });
  return { charts: [charts[charts.length - 1], ...gitops.applicationsApp.charts] };
}

function buildChart(app: App, p: Plan): Chart {
  useMesh(app, p.mesh);
  const chart = new Chart(app, 'app', { namespace: 'shop' });
  if (p.gitops === 'waves') ArgoCdSyncWaves.enable(chart);
  const bad = p.bad;
  if (bad && BAD_VALUES[bad]) BAD_VALUES[bad]();

  if (p.strictMtls) new StrictMtlsNamespace(chart, 'shop');
  const flagger = p.pattern === 'canary' && p.canary.engine === 'flagger';
  const services = p.services.map((s, i) => {
    const ports = [ServicePort.http(8080), ...(s.twoPorts ? [ServicePort.grpc(9090)] : [])];
    const svc = new MeshService(chart, NAMES[i], { ports, versions: VERSIONS.slice(0, s.versions) });
    if (p.workloads) {
      // under Flagger the canary version's Deployment alone (Flagger copies it into <name>-primary)
      const deployed = i === 0 && flagger && s.versions > 1 ? [VERSIONS[1]] : VERSIONS.slice(0, s.versions);
      new ServiceWorkloads(chart, `${NAMES[i]}-workloads`, {
        service: svc, versions: deployed.map((v) => ({ version: v, image: `ghcr.io/example/${NAMES[i]}:${v}` })),
        autoscaling: p.autoscaling && { minReplicas: p.autoscaling.minReplicas, maxReplicas: p.autoscaling.minReplicas + p.autoscaling.extra, cpuUtilization: p.autoscaling.cpuUtilization },
        // beside an HPA only a VPA that recommends (a resizing one is refused, tested in test/service)
        verticalAutoscaling: p.vpa && { updateMode: p.autoscaling ? VpaUpdateMode.OFF : p.vpa },
      });
    }
    return svc;
  });
  const main = services[0];
  const port = main.ports.length > 1 ? 8080 : undefined;
  const versions = main.versions.map((v) => v.name);

  const seen = new Set<string>();
  p.routes.forEach((r, i) => {
    const m = match(r.match);
    if (seen.has(m.toString())) return;
    seen.add(m.toString());
    const version = versions[r.version % versions.length];
    const other = services[1] ?? main;
    // under Flagger (one Deployment, no version subsets) routes go to the whole service, but one in three
    const target = r.target === 'version' && flagger && r.version < 2 ? 'service' : r.target;
    const to = target === 'version' ? RouteTo.version(version, { port }) : target === 'service' ? RouteTo.service(main, { port })
      : target === 'other service' ? RouteTo.service(other, { port: other.ports.length > 1 ? 8080 : undefined }) : RouteTo.redirect({ path: `/moved${i}` });
    const mirrorTo = target === 'version' ? versions.find((v) => v !== version) : undefined;
    // a mirror copies to a destination the route does not already send to
    const mirror = target === 'version' ? (mirrorTo ? Mirror.to(Destination.version(mirrorTo, { port }), r.mirrorPercent) : undefined)
      : target === 'service' && other !== main ? Mirror.to(Destination.service(other, { port: other.ports.length > 1 ? 8080 : undefined }), r.mirrorPercent) : undefined;
    const forwards = target !== 'redirect';
    main.addRoute({
      name: `r${i}`,
      matches: [m],
      to,
      timeout: r.timeoutMs && forwards ? Duration.millis(r.timeoutMs) : undefined,
      // two policies, so that Linkerd splits the routes over one HTTPRoute per retry policy
      retries: r.retries && forwards && (p.mesh === Mesh.ISTIO || p.mesh === Mesh.LINKERD) ? ROUTE_RETRIES[i % ROUTE_RETRIES.length] : undefined,
      fault: r.fault && forwards && p.mesh === Mesh.ISTIO ? FaultInjection.abort(503, 1) : undefined,
      mirror: r.mirrorPercent && p.mesh !== Mesh.LINKERD ? mirror : undefined,
    });
  });

  const patternPort = bad === 'port the service lacks' ? 7777 : bad === 'no port for a two-port service' ? undefined : port;
  const portCase = bad === 'port the service lacks' || bad === 'no port for a two-port service';
  const canaryCase = BAD_CANARY_PLACEMENTS.includes(bad ?? '');
  // a bad placement needs a service with two versions: one of its own when the first service has one
  const target = portCase ? new MeshService(chart, 'multi', { ports: [ServicePort.http(8080), ServicePort.grpc(9090)], versions: ['v1', 'v2'] })
    : canaryCase && main.versions.length < 2 ? new MeshService(chart, 'beta', { ports: [ServicePort.http(8080)], versions: ['v1', 'v2'] }) : main;
  const [a, b] = [target.versions[0]?.name, target.versions[1]?.name];
  const pattern = portCase || canaryCase ? 'canary' : p.pattern;
  if (pattern === 'canary' && b && portCase) new CanaryService(chart, 'canary', { service: target, stableVersion: a, canaryVersion: b, stage: 2, port: patternPort });
  else if (pattern === 'canary' && b) addCanary(chart, p.mesh, target, a, b, p.canary, target === main ? port : undefined, bad);
  else if (pattern === 'blue-green' && b) new BlueGreenService(chart, 'blue-green', { service: target, blueVersion: a, greenVersion: b, active: Color.GREEN, port: patternPort });
  else if (pattern === 'ab-test' && b) new AbTest(chart, 'ab-test', { service: target, split: { [a]: 50, [b]: 50 }, port: patternPort });

  if (bad === 'unknown version') main.addRoute({ matches: [Match.path.prefix('/bad')], to: RouteTo.version('v9', { port }) });
  if (bad === 'timeout of zero') main.addRoute({ matches: [Match.path.prefix('/bad')], to: RouteTo.version(versions[0], { port }), timeout: Duration.millis(0) });
  if (bad === 'weights not summing to 100') main.setDefaultRoute(RouteTo.split({ [versions[0]]: 90 }, { port }));
  if (p.requestPolicy) {
    new RequestPolicy(chart, 'requests', {
      service: main, port, timeout: Duration.seconds(p.requestPolicy.timeoutS),
      retries: p.requestPolicy.retries && (p.mesh === Mesh.ISTIO || p.mesh === Mesh.LINKERD) ? new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(1) }) : undefined,
      // connection timeouts exist on Istio only (refused elsewhere, tested in test/resilience)
      connectTimeout: p.requestPolicy.connectMs && p.mesh === Mesh.ISTIO ? Duration.millis(p.requestPolicy.connectMs) : undefined,
    });
  }
  if (p.circuitBreaker && p.mesh !== Mesh.GATEWAY_API && p.mesh !== Mesh.CILIUM) new CircuitBreakerPolicy(chart, 'circuit-breaker', { service: main, preset: p.circuitBreaker });
  if (p.rateLimit || bad === 'rate limit of zero') {
    if (p.mesh === Mesh.ISTIO || p.mesh === Mesh.LINKERD) {
      new LocalRateLimit(chart, 'rate-limit', { service: main, limit: RateLimit.perSecond(bad === 'rate limit of zero' ? 0 : p.rateLimit!), port: 8080 });
    } else if (bad === 'rate limit of zero') {
      RateLimit.perSecond(0);
    }
  }
  if (p.allow.length) {
    const authz = new ServiceAuthorization(chart, 'authz');
    const pairs = new Set<string>();
    for (const r of p.allow) {
      const from = services[r.from % services.length];
      const to = services[r.to % services.length];
      if (pairs.has(`${from.node.id}>${to.node.id}`)) continue; // one rule per caller and callee (a second one is refused by name)
      pairs.add(`${from.node.id}>${to.node.id}`);
      authz.allow({ from: [from === to ? Caller.ingressGateway() : from], to, methods: r.get ? [HttpMethod.GET] : undefined, paths: r.path ? [RequestPath.prefix(r.path)] : undefined, ports: to.ports.length > 1 ? [8080] : undefined });
    }
  }
  if (p.observability) new ObservabilityStack(chart, 'observability', { services });
  if (p.ingress || bad === 'redirect plus rewrite on an ingress route') {
    const ingress = new IngressGateway(chart, 'edge', p.mesh === Mesh.ISTIO ? {} : { api: IngressApi.GATEWAY_API, gatewayClassName: p.mesh === Mesh.CILIUM ? 'cilium' : 'istio' });
    if (bad === 'redirect plus rewrite on an ingress route') ingress.addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new' }), rewrite: { path: '/x' } });
    ingress.addRoute({ matches: [Match.path.prefix('/shop')], to: RouteTo.service(main, { port: 8080 }) });
  }
  if (p.egress && p.mesh === Mesh.ISTIO) new ExternalService(chart, 'payments', { hosts: ['api.payments.example.com'], ports: [ServicePort.https(443)] });
  return chart;
}

/** The canary of an app, if it has one. */
export function canaryOf(scope: IConstruct): CanaryService | undefined {
  return scope.node.findAll().find((c): c is CanaryService => c instanceof CanaryService);
}
