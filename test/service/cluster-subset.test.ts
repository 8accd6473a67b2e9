import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { Mesh } from '../../src/core/mesh';
import { TrafficDiagram } from '../../src/diagram/traffic-diagram';
import { ClusterSubset } from '../../src/service/cluster-subset';
import { Match } from '../../src/traffic/match';
import { Destination, RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('cluster subsets (Istio)', () => {
  test('a subset per cluster on topology.istio.io/cluster, after the version subsets', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    const west = reviews.addClusterSubset('west');
    expect(west.name).toBe('cluster-west');
    expect(west.labels).toEqual({ 'topology.istio.io/cluster': 'west' });
    reviews.addClusterSubset('east');
    expect(reviews.clusterSubsets.map((s) => s.cluster)).toEqual(['west', 'east']);
    const [dr] = ofKind(batch.add('cluster-subsets', Testing.synth(c)), 'DestinationRule');
    expect(dr.spec.subsets.map((s: any) => [s.name, s.labels])).toEqual([
      ['v1', { version: 'v1' }], ['v2', { version: 'v2' }], ['v3', { version: 'v3' }],
      ['cluster-west', { 'topology.istio.io/cluster': 'west' }], ['cluster-east', { 'topology.istio.io/cluster': 'east' }],
    ]);
  });

  test('a cluster split and a route pinned to one cluster go through the routing table', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addClusterSubset('east');
    reviews.addClusterSubset('west');
    reviews.addRoute({ name: 'pin-west', matches: [Match.header('x-cluster').exact('west')], to: RouteTo.cluster('west') });
    reviews.setDefaultRoute(RouteTo.clusterSplit({ east: 90, west: 10 }));
    const objects = batch.add('cluster-split', Testing.synth(c));
    const [vs] = ofKind(objects, 'VirtualService');
    expect(vs.spec.http).toEqual([
      { name: 'pin-west', match: [{ headers: { 'x-cluster': { exact: 'west' } } }], route: [{ destination: { host: 'reviews', subset: 'cluster-west' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'cluster-east' }, weight: 90 }, { destination: { host: 'reviews', subset: 'cluster-west' }, weight: 10 }] },
    ]);
    expect(objects).toMatchSnapshot();
    const diagram = TrafficDiagram.of(c).toMermaid();
    expect(diagram).toContain('n_ver__bookinfo__reviews__cluster_west["cluster-west<br/>topology.istio.io/cluster=west"]:::version');
    expect(diagram).toContain('n_svc__bookinfo__reviews -->|"2. default · 90%"| n_ver__bookinfo__reviews__cluster_east');
  });

  test('a split may mix versions and clusters of the service', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addClusterSubset('west');
    reviews.setDefaultRoute(RouteTo.weighted([{ to: Destination.version('v1'), weight: 80 }, { to: Destination.cluster('west'), weight: 20 }]));
    const [vs] = ofKind(Testing.synth(c), 'VirtualService');
    expect(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 80], ['cluster-west', 20]]);
  });

  test('refusals', () => {
    const reviews = reviewsService(meshChart());
    reviews.addClusterSubset('west');
    expect(() => reviews.setDefaultRoute(RouteTo.cluster('north'))).toThrow(/test\/reviews: to.destinations\[0\] names cluster "north", for which reviews has no cluster subset \(known: west\)\. Fix: add it with reviews.addClusterSubset\("north"\) before the route/);
    expect(() => reviews.setDefaultRoute(RouteTo.clusterSplit({ east: 90, west: 5 }))).toThrow(/names cluster "east"/);
    reviews.addClusterSubset('east');
    expect(() => reviews.setDefaultRoute(RouteTo.clusterSplit({ east: 90, west: 5 }))).toThrow(/weights must sum to 100, got 95/);
    expect(() => reviews.addClusterSubset('west')).toThrow(/cluster subset for "west" is already defined/);
    expect(() => reviews.addClusterSubset('West_1')).toThrow(/cluster must be a DNS label/);
    expect(() => reviews.addClusterSubset('c'.repeat(56))).toThrow(/is 56 characters long, but its subset name cluster-<cluster> must fit in a DNS label \(63\)/);
    expect(() => reviews.addVersion('cluster-west')).toThrow(/version "cluster-west" is the name of a cluster subset/);
    reviews.addVersion('cluster-north');
    expect(() => reviews.addClusterSubset('north')).toThrow(/cluster subset "cluster-north" has the name of a version/);
    expect(() => RouteTo.clusterSplit(null as any)).toThrow(/RouteTo.clusterSplit: weights must map clusters to percentages/);
    expect(() => Destination.cluster('')).toThrow(/Destination.cluster: name must be a cluster name/);
  });

  test.each([Mesh.GATEWAY_API, Mesh.LINKERD, Mesh.CILIUM])('refused on %s: GAMMA routes select Services, not a cluster\'s endpoints', (mesh) => {
    const reviews = reviewsService(meshChart(mesh));
    expect(() => reviews.addClusterSubset('west')).toThrow(/reviews: cluster subset cannot be rendered for .*: a GAMMA route selects Services, not the endpoints of one cluster/);
  });

  test('property: any cluster name of at most 55 characters gives a DNS-label subset selecting that cluster; longer ones are refused', () => {
    const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    fc.assert(fc.property(label, (cluster) => {
      const reviews = reviewsService(meshChart());
      if (cluster.length > 55) {
        expect(() => reviews.addClusterSubset(cluster)).toThrow(/must fit in a DNS label/);
        return;
      }
      const s = reviews.addClusterSubset(cluster);
      expect(s.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(s.name.length).toBeLessThanOrEqual(63);
      expect(s.labels).toEqual({ [ClusterSubset.CLUSTER_LABEL]: cluster });
    }), { numRuns: 200 });
  });
});

test('every rendered scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
