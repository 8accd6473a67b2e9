import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh } from '../../src/core/mesh';
import { AbTest, VariantAssignment } from '../../src/patterns/ab-test';
import { BlueGreenService, Color } from '../../src/patterns/blue-green-service';
import { CanaryService, DEFAULT_CANARY_STAGES } from '../../src/patterns/canary-service';
import { StranglerFig } from '../../src/patterns/strangler-fig';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { Match } from '../../src/traffic/match';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

function routesOf(chart: ReturnType<typeof meshChart>, name: string): any {
  const out = schemas.add(name, Testing.synth(chart));
  return ofKind(out, 'VirtualService')[0]?.spec.http ?? ofKind(out, 'HTTPRoute')[0]?.spec.rules;
}

describe('CanaryService', () => {
  test.each([
    [0, [{ destination: { host: 'reviews', subset: 'v1' } }]],
    [1, [{ destination: { host: 'reviews', subset: 'v1' }, weight: 95 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 5 }]],
    [3, [{ destination: { host: 'reviews', subset: 'v1' }, weight: 70 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 30 }]],
    [5, [{ destination: { host: 'reviews', subset: 'v2' } }]],
  ])('stage %i of 5 → 10 → 30 → 50 → 100 renders the split', (stage, route) => {
    const chart = meshChart();
    const canary = new CanaryService(chart, 'reviews-canary', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stage });
    expect(canary.stages).toEqual([...DEFAULT_CANARY_STAGES]);
    expect(routesOf(chart, `canary-stage-${stage}`)).toEqual([{ route }]);
  });

  test('a preview match always reaches the canary', () => {
    const chart = meshChart(Mesh.GATEWAY_API);
    new CanaryService(chart, 'reviews-canary', {
      service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v3', stages: [10, 50], stage: 1, previewMatch: Match.header('x-canary').exact('always'),
    });
    const rules = routesOf(chart, 'canary-gamma-preview');
    expect(rules).toEqual([
      { name: 'canary-preview', matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'x-canary', value: 'always' }] }], backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v3', port: 9080, weight: 1 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v1', port: 9080, weight: 90 }, { group: '', kind: 'Service', name: 'reviews-v3', port: 9080, weight: 10 }] },
    ]);
  });

  test('every stage of any valid plan renders weights that sum to 100', () => {
    const plan = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(fc.property(plan, fc.nat(), (stages, pick) => {
      const stage = pick % (stages.length + 1);
      const chart = meshChart();
      const canary = new CanaryService(chart, 'c', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stages, stage });
      const [vs] = ofKind(Testing.synth(chart), 'VirtualService');
      const route = vs.spec.http[0].route;
      const total = route.length === 1 ? 100 : route.reduce((s: number, r: any) => s + r.weight, 0);
      expect(total).toBe(100);
      expect(canary.canaryWeight).toBe(stage === 0 ? 0 : stages[stage - 1]);
    }), { numRuns: 50 });
  });

  test('rejects a stage outside the plan', () => {
    const chart = meshChart();
    expect(() => new CanaryService(chart, 'reviews-canary', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stage: 6 }))
      .toThrow(/test\/reviews-canary: stage must be a whole number from 0 \(all traffic to v1\) to 5 \(100% to v2\), got 6/);
  });

  test('rejects a plan that does not increase', () => {
    const chart = meshChart();
    expect(() => new CanaryService(chart, 'c', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stages: [10, 5], stage: 1 }))
      .toThrow(/stages must increase strictly, got 10 → 5/);
  });

  test('rejects a percentage over 100', () => {
    const chart = meshChart();
    expect(() => new CanaryService(chart, 'c', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', stages: [50, 150], stage: 1 }))
      .toThrow(/stages\[1\] must be a whole percentage from 1 to 100, got 150/);
  });

  test('rejects an unknown canary version', () => {
    const chart = meshChart();
    expect(() => new CanaryService(chart, 'c', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v4', stage: 1 }))
      .toThrow(/test\/c: canaryVersion names version "v4", which reviews does not define/);
  });

  test('rejects the same version twice', () => {
    const chart = meshChart();
    expect(() => new CanaryService(chart, 'c', { service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v1', stage: 1 }))
      .toThrow(/canaryVersion is the stable version "v1"/);
  });

  test('two traffic splits on one service fail naming both constructs', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stage: 1 });
    expect(() => new BlueGreenService(chart, 'reviews-bg', { service: reviews, blueVersion: 'v1', greenVersion: 'v3', active: Color.BLUE }))
      .toThrow(/test\/reviews-bg: default route of test\/reviews is already set by test\/reviews-canary/);
  });
});

describe('BlueGreenService', () => {
  test('all traffic to the active colour; the preview match reaches the idle one', () => {
    const chart = meshChart();
    const bg = new BlueGreenService(chart, 'reviews-bg', { service: reviewsService(chart), blueVersion: 'v1', greenVersion: 'v2', active: Color.GREEN, previewMatch: Match.header('x-preview').exact('1') });
    expect([bg.activeVersion, bg.idleVersion]).toEqual(['v2', 'v1']);
    expect(routesOf(chart, 'blue-green')).toEqual([
      { name: 'preview-blue', match: [{ headers: { 'x-preview': { exact: '1' } } }], route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
    ]);
  });

  test('rolling back is changing one value', () => {
    const chart = meshChart();
    new BlueGreenService(chart, 'reviews-bg', { service: reviewsService(chart), blueVersion: 'v1', greenVersion: 'v2', active: Color.BLUE });
    expect(routesOf(chart, 'blue-green-rollback')).toEqual([{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }]);
  });

  test('rejects an unknown colour', () => {
    const chart = meshChart();
    expect(() => new BlueGreenService(chart, 'bg', { service: reviewsService(chart), blueVersion: 'v1', greenVersion: 'v2', active: 'red' as Color }))
      .toThrow(/test\/bg: active must be Color.BLUE or Color.GREEN, got "red"/);
  });
});

describe('AbTest', () => {
  test('assignments pin users, the rest is split, affinity holds users to a pod of their variant', () => {
    const chart = meshChart();
    new AbTest(chart, 'reviews-ab', {
      service: reviewsService(chart),
      split: { v1: 50, v2: 50 },
      assignments: [VariantAssignment.cookie('ab-group', 'b', 'v2'), VariantAssignment.header('x-group', 'a', 'v1')],
      affinity: LoadBalancer.consistentHash.cookie('session', { ttl: Duration.hours(1) }),
    });
    const out = schemas.add('ab-test', Testing.synth(chart));
    const [vs] = ofKind(out, 'VirtualService');
    expect(vs.spec.http[0].match).toEqual([{ headers: { cookie: { regex: '(^|.*;\\s*)ab-group=b(;.*|$)' } } }]);
    expect(vs.spec.http[1].match).toEqual([{ headers: { 'x-group': { exact: 'a' } } }]);
    expect(vs.spec.http[2].route.map((r: any) => r.weight)).toEqual([50, 50]);
    const [dr] = ofKind(out, 'DestinationRule');
    expect(dr.spec.subsets.slice(0, 2).map((s: any) => s.trafficPolicy)).toEqual([
      { loadBalancer: { consistentHash: { httpCookie: { name: 'session', ttl: '1h' } } } },
      { loadBalancer: { consistentHash: { httpCookie: { name: 'session', ttl: '1h' } } } },
    ]);
    expect(out).toMatchSnapshot();
  });

  test('the cookie regex matches the cookie wherever it stands in the header, and nothing else', () => {
    const regex = new RegExp(VariantAssignment.cookie('ab', 'b', 'v2').match.headerMatches[0].match.value);
    expect(regex.test('ab=b')).toBe(true);
    expect(regex.test('x=1; ab=b; y=2')).toBe(true);
    expect(regex.test('xab=b')).toBe(false);
    expect(regex.test('ab=bb')).toBe(false);
  });

  test('rejects an assignment to a version outside the split', () => {
    const chart = meshChart();
    expect(() => new AbTest(chart, 'ab', { service: reviewsService(chart), split: { v1: 50, v2: 50 }, assignments: [VariantAssignment.header('x', '1', 'v3')] }))
      .toThrow(/test\/ab: assignments\[0\] pins users to "v3", which is not a variant of the split \(v1, v2\)/);
  });

  test('rejects a split with one variant', () => {
    const chart = meshChart();
    expect(() => new AbTest(chart, 'ab', { service: reviewsService(chart), split: { v1: 100 } })).toThrow(/split must name at least two variants/);
  });

  test('rejects a non-hash affinity', () => {
    const chart = meshChart();
    expect(() => new AbTest(chart, 'ab', { service: reviewsService(chart), split: { v1: 50, v2: 50 }, affinity: LoadBalancer.RANDOM })).toThrow(/affinity must be a consistent hash, got RANDOM/);
  });
});

describe('StranglerFig', () => {
  function shopWith(chart: ReturnType<typeof meshChart>) {
    return {
      shop: new MeshService(chart, 'shop', { ports: [ServicePort.http(80)] }),
      orders: new MeshService(chart, 'orders', { ports: [ServicePort.http(8080)] }),
      users: new MeshService(chart, 'users', { ports: [ServicePort.http(8080)] }),
    };
  }

  test('migrated prefixes go to the new services, the rest to the monolith (Istio)', () => {
    const chart = meshChart();
    const { shop, orders, users } = shopWith(chart);
    const fig = new StranglerFig(chart, 'shop-migration', { monolith: shop });
    fig.migrate('/orders', orders, { rewritePrefix: '/' });
    fig.migrate('/api/users', users);
    expect(fig.migrations).toEqual([{ prefix: '/orders', service: 'orders' }, { prefix: '/api/users', service: 'users' }]);
    expect(routesOf(chart, 'strangler-istio')).toEqual([
      { name: 'to-users', match: [{ uri: { exact: '/api/users' } }, { uri: { prefix: '/api/users/' } }], route: [{ destination: { host: 'users' } }] },
      {
        name: 'to-orders', match: [{ uri: { exact: '/orders' } }, { uri: { prefix: '/orders/' } }],
        rewrite: { uriRegexRewrite: { match: '^/orders/?(.*)$', rewrite: '/\\1' } }, route: [{ destination: { host: 'orders' } }],
      },
      { route: [{ destination: { host: 'shop' } }] },
    ]);
  });

  test('renders for the Gateway API too', () => {
    const chart = meshChart(Mesh.GATEWAY_API);
    const { shop, orders } = shopWith(chart);
    new StranglerFig(chart, 'fig', { monolith: shop }).migrate('/orders', orders);
    const rules = routesOf(chart, 'strangler-gamma');
    expect(rules[1]).toEqual({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'shop', port: 80, weight: 1 }] });
  });

  test('rejects a prefix migrated twice', () => {
    const chart = meshChart();
    const { shop, orders, users } = shopWith(chart);
    const fig = new StranglerFig(chart, 'fig', { monolith: shop });
    fig.migrate('/orders', orders);
    expect(() => fig.migrate('/orders', users)).toThrow(/test\/fig: prefix "\/orders" is already migrated to orders/);
  });

  test('rejects migrating to the monolith', () => {
    const chart = meshChart();
    const { shop } = shopWith(chart);
    expect(() => new StranglerFig(chart, 'fig', { monolith: shop }).migrate('/a', shop)).toThrow(/service is the monolith itself/);
  });
});

test('every scenario is valid against the CRD schemas', () => {
  expect(schemas.size).toBeGreaterThan(8);
  expect(schemas.problems()).toEqual([]);
});
