import { policyWorkloadsAnalyzer } from '../../../src/analysis/checks/policy-workloads';
import { Severity } from '../../../src/analysis/finding';
import { Manifest } from '../../../src/analysis/manifest';
import { authorizationPolicy, deployment, sidecar } from '../fixtures';
import { run } from './helpers';

describe('IST0127 no matching workloads', () => {
  const reviews = deployment('reviews-v1', { app: 'reviews', version: 'v1' });

  test('a policy selecting labels no workload of its namespace has is reported', () => {
    expect(run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('ratings', { app: 'ratings' })])).toEqual([{
      code: 'IST0127', severity: Severity.WARNING, resource: 'AuthorizationPolicy default/ratings',
      message: 'selects workloads {app=ratings}, but none of the 1 workload(s) in namespace default has those pod labels, so it applies to nothing. Fix: correct the selector labels or the workload\'s pod labels',
    }]);
    // Istio reports a Sidecar (or Telemetry) selector that matches no pod as IST0101
    expect(run(policyWorkloadsAnalyzer, [reviews, sidecar('ratings', { app: 'ratings' })]).map((f) => `${f.code} ${f.resource}`)).toEqual(['IST0101 Sidecar default/ratings']);
  });

  test('matching workloads, empty selectors and namespaces without workloads raise nothing', () => {
    expect(run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('reviews', { app: 'reviews' })])).toEqual([]);
    expect(run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('all', {})])).toEqual([]);
    expect(run(policyWorkloadsAnalyzer, [authorizationPolicy('ratings', { app: 'ratings' })])).toEqual([]);
    expect(run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('ratings', { app: 'ratings' }, 'other')])).toEqual([]);
  });

  test('policies in istio-system (selecting Istio\'s gateways) are not checked', () => {
    const gatewayPod = deployment('istio-ingressgateway', { istio: 'ingressgateway' }, 'istio-system');
    expect(run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('jwt', { istio: 'ingressgateway' }, 'istio-system')])).toEqual([]);
    expect(run(policyWorkloadsAnalyzer, [gatewayPod, authorizationPolicy('jwt', { istio: 'egressgateway' }, 'istio-system')])).toEqual([]);
  });

  test('an AuthorizationPolicy in istio-system applies mesh-wide and is checked against every namespace', () => {
    expect(run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('reviews', { app: 'reviews' }, 'istio-system')])).toEqual([]);
    const findings = run(policyWorkloadsAnalyzer, [reviews, authorizationPolicy('ratings', { app: 'ratings' }, 'istio-system')]);
    expect(findings.map((f) => `${f.code} ${f.resource}: ${f.message.split(',')[0]}`)).toEqual(['IST0127 AuthorizationPolicy istio-system/ratings: applies mesh-wide (namespace istio-system) to workloads {app=ratings}']);
  });
  // found by npm run fuzz (Istio's analyzers beside ours): a canary on a user's Deployment is a
  // Rollout with workloadRef and no template; its pods are the Deployment's, not pods without labels
  test('a Rollout taking its pods from a workloadRef is not a workload without labels', () => {
    const rollout: Manifest = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-v2' } },
    };
    const filter: Manifest = { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'web-rl', namespace: 'default' }, spec: { workloadSelector: { labels: { app: 'web' } } } };
    // the referenced Deployment is not in the set: the namespace shows no workload, nothing is checked
    expect(run(policyWorkloadsAnalyzer, [rollout, authorizationPolicy('web', { app: 'web' }), filter])).toEqual([]);
    // it is: its pod labels decide
    expect(run(policyWorkloadsAnalyzer, [rollout, deployment('web-v2', { app: 'web' }), authorizationPolicy('web', { app: 'web' }), filter])).toEqual([]);
    expect(run(policyWorkloadsAnalyzer, [rollout, deployment('web-v2', { app: 'other' }), authorizationPolicy('web', { app: 'web' }), filter]).map((f) => `${f.code} ${f.resource}`))
      .toEqual(['IST0127 AuthorizationPolicy default/web', 'MESH0207 EnvoyFilter default/web-rl']);
  });
});

// Istio reports NoMatchingWorkloadsFound (IST0127) for AuthorizationPolicies only
// (authz/authorizationpolicies.go, analyzeNoMatchingWorkloads); no analyzer of Istio checks the
// selectors of these kinds, so reporting them as IST0127 would disagree with istioctl analyze.
describe('MESH0207 no matching workloads for a PeerAuthentication, RequestAuthentication or EnvoyFilter', () => {
  const reviews = deployment('reviews-v1', { app: 'reviews', version: 'v1' });
  const policy = (apiVersion: string, kind: string, name: string, spec: any, namespace = 'default'): Manifest => (
    { apiVersion, kind, metadata: { name, namespace }, spec });
  const message = 'selects workloads {app=ratings}, but none of the 1 workload(s) in namespace default has those pod labels, so it applies to nothing. Fix: correct the selector labels or the workload\'s pod labels';

  test.each([
    ['PeerAuthentication', policy('security.istio.io/v1', 'PeerAuthentication', 'ratings', { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'STRICT' } }),
      policy('security.istio.io/v1', 'PeerAuthentication', 'reviews', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' } })],
    ['RequestAuthentication', policy('security.istio.io/v1', 'RequestAuthentication', 'ratings', { selector: { matchLabels: { app: 'ratings' } }, jwtRules: [{ issuer: 'https://issuer.example' }] }),
      policy('security.istio.io/v1', 'RequestAuthentication', 'reviews', { selector: { matchLabels: { app: 'reviews' } }, jwtRules: [{ issuer: 'https://issuer.example' }] })],
    ['EnvoyFilter', policy('networking.istio.io/v1alpha3', 'EnvoyFilter', 'ratings', { workloadSelector: { labels: { app: 'ratings' } }, configPatches: [] }),
      policy('networking.istio.io/v1alpha3', 'EnvoyFilter', 'reviews', { workloadSelector: { labels: { app: 'reviews' } }, configPatches: [] })],
  ])('a %s selecting labels no workload of its namespace has is MESH0207, not IST0127', (kind, unmatched, matched) => {
    expect(run(policyWorkloadsAnalyzer, [reviews, unmatched])).toEqual([{
      code: 'MESH0207', severity: Severity.WARNING, resource: `${kind} default/ratings`, message,
    }]);
    expect(policyWorkloadsAnalyzer.codes).toContain('MESH0207');
    expect(run(policyWorkloadsAnalyzer, [reviews, matched])).toEqual([]);
    // no workload of its namespace in the set: not checked
    expect(run(policyWorkloadsAnalyzer, [unmatched])).toEqual([]);
    // in istio-system only an AuthorizationPolicy applies mesh-wide and is checked
    expect(run(policyWorkloadsAnalyzer, [reviews, { ...unmatched, metadata: { name: 'ratings', namespace: 'istio-system' } }])).toEqual([]);
  });
});
