import { subsetPodsAnalyzer } from '../../../src/analysis/checks/subset-pods';
import { Severity } from '../../../src/analysis/finding';
import { deployment, destinationRule, healthyReviews, service } from '../fixtures';
import { run } from './helpers';

describe('IST0173 subset selects no pods', () => {
  const svc = service('reviews', [{ port: 9080, name: 'http' }]);
  const v1 = deployment('reviews-v1', { app: 'reviews', version: 'v1' });

  test('a subset whose labels no pod of the Service carries is reported', () => {
    const findings = run(subsetPodsAnalyzer, [svc, v1, destinationRule('reviews', 'reviews', { v1: { version: 'v1' }, v3: { version: 'v3' } })]);
    expect(findings).toEqual([{
      code: 'IST0173', severity: Severity.WARNING, resource: 'DestinationRule default/reviews',
      message: 'subset "v3" {version=v3} selects none of the pods of Service default/reviews (Deployment reviews-v1 {app=reviews, version=v1}), so traffic routed to it fails. Fix: correct the subset labels or deploy a workload whose pods carry them',
    }]);
  });

  test('pods of another service carrying the labels do not count', () => {
    const other = deployment('ratings-v3', { app: 'ratings', version: 'v3' });
    expect(run(subsetPodsAnalyzer, [svc, v1, other, destinationRule('reviews', 'reviews', { v3: { version: 'v3' } })])).toHaveLength(1);
  });

  test('nothing is reported when the set says nothing about the pods', () => {
    const dr = destinationRule('reviews', 'reviews', { v3: { version: 'v3' } });
    expect(run(subsetPodsAnalyzer, [dr])).toEqual([]); // mesh resources only
    expect(run(subsetPodsAnalyzer, [svc, dr])).toEqual([]); // no workload
    expect(run(subsetPodsAnalyzer, [svc, deployment('ratings', { app: 'ratings' }), dr])).toEqual([]); // workloads of other services only
    expect(run(subsetPodsAnalyzer, healthyReviews())).toEqual([]);
  });

  describe('topology labels Istio adds to pods', () => {
    const locality = destinationRule('reviews', 'reviews', { west: { 'topology.kubernetes.io/region': 'us-west-1' }, east: { 'topology.kubernetes.io/region': 'us-east-1' }, blank: { 'topology.kubernetes.io/region': '' } });
    const pod = (nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'reviews-1', namespace: 'default', labels: { app: 'reviews' } }, spec: { ...(nodeName ? { nodeName } : {}), containers: [] } });
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/region': 'us-west-1' } } };

    test("a Pod on a Node of the set carries the node's locality and hostname", () => {
      expect(run(subsetPodsAnalyzer, [svc, pod('n1'), node, locality]).map((f) => f.message.split(' {')[0])).toEqual(['subset "east"', 'subset "blank"']);
      const host = destinationRule('reviews', 'reviews', { n1: { 'kubernetes.io/hostname': 'n1' }, n2: { 'kubernetes.io/hostname': 'n2' } });
      expect(run(subsetPodsAnalyzer, [svc, pod('n1'), node, host]).map((f) => f.message.split(' {')[0])).toEqual(['subset "n2"']);
    });

    test('pod templates and Pods on unknown nodes may land anywhere: topology labels are not held against them', () => {
      expect(run(subsetPodsAnalyzer, [svc, v1, locality]).map((f) => f.message.split(' {')[0])).toEqual(['subset "blank"']);
      expect(run(subsetPodsAnalyzer, [svc, pod('elsewhere'), locality]).map((f) => f.message.split(' {')[0])).toEqual(['subset "blank"']);
    });
  });
});
