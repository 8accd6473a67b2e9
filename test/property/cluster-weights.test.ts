import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh, MeshCluster, MeshService, MultiClusterMesh, ServicePort } from '../../src';
import { validateSchemas } from '../support/schema';

// A global service's weights on Linkerd: any split of 100 over the clusters it runs in renders, in
// every caller, one HTTPRoute whose backends carry exactly those weights (its own Service for its
// own cluster, the mirror <name>-<cluster> for the others) and validates against the Gateway API
// schema; any other list of weights is refused.

const CLUSTERS = ['c1', 'c2', 'c3', 'c4'];

/** The clusters on one network (pod to pod) or each on its own (through the gateways). */
function mesh(runsIn: string[], oneNetwork = false): MultiClusterMesh {
  const m = new MultiClusterMesh({ mesh: Mesh.LINKERD, clusters: CLUSTERS.map((name, i) => new MeshCluster({ name, network: oneNetwork ? 'net' : `net${i}`, meshId: 'm' })) });
  for (const c of runsIn) new MeshService(new Chart(m.app(c), 'app', { namespace: 'shop' }), 'cart', { ports: [ServicePort.http(8080)] });
  return m;
}

/** 2 to 4 serving clusters and integer weights summing to 100 over them. */
const validSplit = fc.integer({ min: 2, max: 4 }).chain((n) => fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 })
  .map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
    return CLUSTERS.slice(0, n).map((cluster, i) => ({ cluster, weight: sorted[i + 1] - sorted[i] }));
  }));

describe('GlobalService weights on Linkerd', () => {
  test('a split of 100 renders in every caller with exactly those weights, schema-valid', () => {
    fc.assert(fc.property(validSplit, fc.boolean(), (weights, oneNetwork) => {
      const runsIn = weights.map((w) => w.cluster);
      const m = mesh(runsIn, oneNetwork);
      m.addGlobalService({ name: 'cart', namespace: 'shop', ports: [{ name: 'http', port: 8080 }], runsIn, calledFrom: CLUSTERS, weights });
      for (const caller of CLUSTERS) {
        const routes = Testing.synth(m.meshChart(caller)).filter((o) => o.kind === 'HTTPRoute');
        expect(routes).toHaveLength(1);
        const backends = routes[0].spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]);
        expect(backends).toEqual(weights.map((w) => [w.cluster === caller ? 'cart' : `cart-${w.cluster}`, w.weight]));
        expect(validateSchemas(routes).invalid).toEqual([]);
      }
    }), { numRuns: 40 });
  });

  test('weights that do not sum to 100, or are not whole percentages, are refused', () => {
    const bad = fc.array(fc.oneof(fc.integer({ min: -50, max: 150 }), fc.double({ min: 0, max: 100, noNaN: true })), { minLength: 2, maxLength: 2 })
      .filter(([a, b]) => !(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a <= 100 && b <= 100 && a + b === 100));
    fc.assert(fc.property(bad, ([a, b]) => {
      const m = mesh(['c1', 'c2']);
      expect(() => m.addGlobalService({ name: 'cart', namespace: 'shop', ports: [{ name: 'http', port: 8080 }], runsIn: ['c1', 'c2'], weights: [{ cluster: 'c1', weight: a }, { cluster: 'c2', weight: b }] }))
        .toThrow(/GlobalService "cart": weights(\[\d\]\.weight must be an integer from 0 to 100| must sum to 100)/);
    }), { numRuns: 100 });
  });
});
